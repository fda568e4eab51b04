//! The Excel roster through `zeren build`: template → filled in → one letter per row;
//! a roster named in zeren.yaml with a column mapping; a bad cell stops the run.

mod common;

use common::*;
use rust_xlsxwriter::Workbook;
use std::path::Path;
use zeren::load::cases_sheet::CaseColumn;

/// A workspace whose units come from a roster: the sample settings and duty catalogue only.
fn workspace(extra_settings: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("data")).unwrap();
    std::fs::write(
        tmp.path().join("zeren.yaml"),
        format!("organ: 中共某某局委员会\ncode: 某党\nyear: 2026\ndate: 2026-01-05\nsignatory: {{ name: 赵书记, title: 党委书记 }}\nsigning: tiered\n{extra_settings}"),
    )
    .unwrap();
    std::fs::copy(samples().join("data/duties.yaml"), tmp.path().join("data/duties.yaml")).unwrap();
    tmp
}

fn write_rows(path: &Path, headers: &[String], rows: &[Vec<&str>]) {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("2026年名单").unwrap();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn a_filled_in_template_builds_one_letter_per_row() {
    let ws = workspace("");
    let template = ws.path().join("模板.xlsx");
    let o = zeren(&["roster", "template", "-o", template.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Take the template's own header row and fill rows in under it, as a clerk would.
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(&template).unwrap();
    let range = wb.worksheet_range("单位名单").unwrap();
    let headers: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let value = |h: &str, i: usize| -> String {
        match h {
            "序号" => (i + 1).to_string(),
            "单位名称" => ["办公室", "机关第一党支部", "市会计核算中心"][i].to_string(),
            "类别" => ["处室", "党支部", "直属单位"][i].to_string(),
            "负责人" => ["王一", "李二", "张三"][i].to_string(),
            "职务" => ["主任", "支部书记", "主任"][i].to_string(),
            "分管领导" => {
                if i == 1 {
                    "许分管".into()
                } else {
                    String::new()
                }
            }
            "分管领导职务" => {
                if i == 1 {
                    "党委委员".into()
                } else {
                    String::new()
                }
            }
            "联系电话" => "13800138000".into(),
            "本单位责任" => {
                if i == 0 {
                    "第一条本单位责任。\n第二条本单位责任。".into()
                } else {
                    String::new()
                }
            }
            _ => String::new(),
        }
    };
    let rows: Vec<Vec<String>> = (0..3).map(|i| headers.iter().map(|h| value(h, i)).collect()).collect();
    let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let filled = ws.path().join("名单.xlsx");
    write_rows(&filled, &headers, &rows);
    let out = ws.path().join("out");
    let o = zeren(&["build", ws.path().to_str().unwrap(), "-o", out.to_str().unwrap(), "--roster", filled.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = files_under(&out.join("责任书"));
    assert_eq!(files.len(), 3, "one letter per row: {files:?}");
    let first = Docx::open(&out.join("责任书/1-办公室.docx")).text();
    assert!(first.contains("乙方：办公室") && first.contains("王一"));
    assert!(first.contains("1.第一条本单位责任。") && first.contains("2.第二条本单位责任。"), "Alt+Enter: one duty per line:\n{first}");
    let second = Docx::open(&out.join("责任书/2-机关第一党支部.docx")).text();
    assert!(second.contains("分管领导（签字）：") && second.contains("许分管"), "tiered signing from the roster");
    // The 党支部 gets the 党支部 duties of the sample catalogue, the 处室 does not.
    let (sample, _) = zeren::load::load(&samples()).unwrap();
    let branch_only = sample
        .duty_groups
        .iter()
        .find(|g| g.applies_to == [zeren::model::Audience::Unit(sample.settings.unit_kinds.find("党支部").unwrap())])
        .unwrap();
    assert!(second.contains(&branch_only.duties[0]) && !first.contains(&branch_only.duties[0]));
}

#[test]
fn a_roster_named_in_settings_with_a_column_mapping() {
    let ws = workspace("data:\n  roster: 名单.xlsx\nroster:\n  sheet: 2026年名单\n  columns:\n    负责同志: leader\n");
    let headers: Vec<String> = ["单位名称", "类别", "负责同志", "职务"].map(String::from).to_vec();
    write_rows(&ws.path().join("名单.xlsx"), &headers, &[vec!["预算处", "处室", "唐某", "处长"]]);
    let out = ws.path().join("out");
    let o = zeren(&["build", ws.path().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(Docx::open(&out.join("责任书/1-预算处.docx")).text().contains("唐某"));
}

#[test]
fn a_bad_mapping_field_is_located_in_settings() {
    let ws = workspace("roster:\n  columns:\n    负责同志: boss\n");
    let o = zeren(&["check", ws.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let p = &v["problems"][0];
    assert_eq!((p["line"].as_u64(), p["column"].as_u64(), p["code"].as_str()), (Some(9), Some(11), Some("settings.roster-field")), "{v:#}");
}

#[test]
fn a_bad_cell_stops_the_run_and_names_sheet_and_cell() {
    let ws = workspace("");
    let headers: Vec<String> = ["单位名称", "类别", "负责人", "职务"].map(String::from).to_vec();
    write_rows(&ws.path().join("名单.xlsx"), &headers, &[vec!["预算处", "处室", "唐某", "处长"], vec!["国库处", "处室", "", "处长"]]);
    let out = ws.path().join("out");
    let o = zeren(&[
        "build",
        ws.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--roster",
        ws.path().join("名单.xlsx").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("名单.xlsx [2026年名单] C3: “国库处”的负责人为空"), "{}", stderr(&o));
    assert!(!out.exists());
}

/// A roster workbook with a 问责案件 sheet headed as the reader knows it (the template's columns
/// and the old 依据); each case a list of (column, value).
fn workbook_with_cases(path: &Path, cases: &[Vec<(&str, &str)>]) {
    let mut wb = Workbook::new();
    let units = wb.add_worksheet();
    units.set_name("单位名单").unwrap();
    for (c, h) in ["单位名称", "类别", "负责人", "职务"].iter().enumerate() {
        units.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["市政府采购中心", "直属单位", "苏某", "主任"].iter().enumerate() {
        units.write_string(1, c as u16, *v).unwrap();
    }
    let sheet = wb.add_worksheet();
    sheet.set_name("问责案件").unwrap();
    for (c, h) in CaseColumn::ALL.iter().enumerate() {
        sheet.write_string(0, c as u16, h.label()).unwrap();
    }
    for (r, row) in cases.iter().enumerate() {
        for (header, v) in row {
            sheet.write_string(r as u32 + 1, column(header), *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

fn column(header: &str) -> u16 {
    CaseColumn::ALL.iter().position(|c| c.label() == header).unwrap_or_else(|| panic!("no column {header}")) as u16
}

/// The cell of a column in a sheet row (row 2 is the first case).
fn cell(header: &str, row: u32) -> String {
    let c = column(header);
    let letters = if c < 26 { ((b'A' + c as u8) as char).to_string() } else { format!("A{}", (b'A' + (c - 26) as u8) as char) };
    format!("{letters}{row}")
}

const CADRE_ROW: [(&str, &str); 17] = [
    ("案件编号", "X-1"),
    ("问责对象类型", "领导干部"),
    ("问责对象", "吕某"),
    ("性别", "男"),
    ("出生年月", "1978-06"),
    ("政治面貌", "中共党员"),
    ("所在单位", "市政府采购中心"),
    ("单位全称", "江州市政府采购中心"),
    ("职务", "副主任"),
    ("事实", "经查，吕某失察失管。"),
    ("责任类型", "主要领导责任"),
    ("问责情形", "第八项"),
    ("问责方式", "通报、诫勉"),
    ("通报范围", "全局范围内"),
    ("诫勉方式", "书面"),
    ("陈述申辩", "吕某同志在陈述申辩中对上述事实无异议"),
    ("申辩处理", "无异议"),
];

fn with(row: &[(&'static str, &'static str)], changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = row.iter().filter(|(h, _)| !changes.iter().any(|(c, _)| c == h)).copied().collect();
    out.extend(changes.iter().filter(|(_, v)| !v.is_empty()));
    out
}

fn build_roster(ws: &Path, book: &Path) -> std::process::Output {
    let out = ws.join("out");
    zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--roster", book.to_str().unwrap(), "--kind", "问责决定书"])
}

#[test]
fn cases_come_from_the_roster_workbooks_case_sheet() {
    let ws = workspace("");
    let book = ws.path().join("名单.xlsx");
    let org = vec![
        ("案件编号", "X-2"),
        ("问责对象类型", "党组织"),
        ("问责对象", "中共市政府采购中心支部委员会"),
        ("所在单位", "市政府采购中心"),
        ("负有责任的班子成员", "吕某\n苏某：已另案处理"),
        ("事实", "经查，支部落实主体责任不力。"),
        ("问责情形", "8"),
        ("问责方式", "检查"),
        ("申辩处理", "放弃"),
        ("文号", "某党〔2026〕7号"),
        ("抄送", "市委组织部"),
    ];
    workbook_with_cases(&book, &[with(&CADRE_ROW, &[("抄送", "市纪委监委、市委组织部")]), org]);
    let o = build_roster(ws.path(), &book);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("第六条"), "the 主要负责人 has a reason, the member a case:\n{}", stderr(&o));
    let out = ws.path().join("out");
    let files = files_under(&out.join("问责决定书"));
    assert_eq!(files.len(), 2, "{files:?}");
    let cadre = Docx::open(&out.join("问责决定书/1-吕某.docx")).text();
    for said in [
        "吕某，男，1978年6月生，中共党员，江州市政府采购中心副主任。",
        "吕某同志对上述问题负有主要领导责任。",
        "吕某同志在陈述申辩中对上述事实无异议。",
        "根据《中国共产党问责条例》第七条第八项、第八条第二款第一项和第二项、第三款的规定，经中共某某局委员会研究，决定对吕某同志合并使用以下问责方式：对吕某同志进行通报，予以严肃批评，责令其作出书面检查、切实整改，并在全局范围内通报；以书面方式对其进行诫勉。",
        "如不服本决定，可自收到本决定之日起1个月内向中共某某局委员会书面申诉。申诉期间，不停止本决定的执行。",
        "某党〔2026〕8号",
        "抄送：市纪委监委，市委组织部。",
    ] {
        assert!(cadre.contains(said), "{said}\n{cadre}");
    }
    let org = Docx::open(&out.join("问责决定书/2-中共市政府采购中心支部委员会.docx")).text();
    for said in [
        "中共市政府采购中心支部委员会，市政府采购中心党组织，主要负责人苏某。",
        "经告知，中共市政府采购中心支部委员会放弃陈述和申辩。",
        "第七条第八项、第八条第一款第一项的规定，经中共某某局委员会研究，决定责令中共市政府采购中心支部委员会作出书面检查并切实整改。",
        "某党〔2026〕7号",
    ] {
        assert!(org.contains(said), "{said}\n{org}");
    }
}

/// Every rule reports at its cell, as in cases.yaml.
#[test]
fn a_bad_case_row_is_located_at_its_cell() {
    let ws = workspace("");
    let book = ws.path().join("名单.xlsx");
    let rows = [
        with(
            &CADRE_ROW,
            &[
                ("问责方式", "改组"),
                ("文号", "某党[2026]7号"),
                ("问责情形", "第十五项"),
                ("出生年月", "1978-13"),
                ("通报范围", ""),
                ("诫勉方式", ""),
            ],
        ),
        with(
            &CADRE_ROW,
            &[
                ("案件编号", "X-3"),
                ("问责对象", "苏某"),
                ("职务", "主任"),
                ("责任类型", "重要领导责任"),
                ("问责方式", "通报"),
                ("通报范围", ""),
                ("诫勉方式", ""),
                ("申辩处理", "不予采纳"),
            ],
        ),
        with(&CADRE_ROW, &[("案件编号", "X-4"), ("所在单位", "财务处"), ("陈述申辩", ""), ("申辩处理", "")]),
        with(&CADRE_ROW, &[("案件编号", "X-5"), ("问责情形", ""), ("依据", "《中国共产党问责条例》第七条第八项\n第八条第一款第三项")]),
        with(&CADRE_ROW, &[("案件编号", "X-6"), ("问责方式", "组织调整或者组织处理"), ("通报范围", ""), ("诫勉方式", "")]),
        with(&CADRE_ROW, &[("案件编号", "X-7"), ("诫勉方式", ""), ("性别", ""), ("责任类型", "")]),
        with(&CADRE_ROW, &[("案件编号", "X-8"), ("问责方式", "纪律处分"), ("纪律处分", "留党察看"), ("通报范围", "")]),
        with(
            &CADRE_ROW,
            &[("案件编号", "X-9"), ("问责对象类型", "党组织"), ("问责对象", "中共市政府采购中心支部委员会"), ("问责方式", "检查、通报")],
        ),
    ];
    workbook_with_cases(&book, &rows);
    let o = build_roster(ws.path(), &book);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for (cell, says) in [
        (cell("问责方式", 2), "案件“X-1”：对领导干部不能采用“改组”"),
        (cell("文号", 2), "案件“X-1”的文号“某党[2026]7号”格式有误"),
        (cell("问责情形", 2), "案件“X-1”的问责情形“第十五项”不存在：《中国共产党问责条例》第七条只有十一项"),
        (cell("出生年月", 2), "案件“X-1”的出生年月“1978-13”有误"),
        (cell("责任类型", 3), "案件“X-3”：苏某是“市政府采购中心”的主要负责人"),
        (cell("问责方式", 3), "案件“X-3”：通报应写明通报范围"),
        (cell("处理理由", 3), "案件“X-3”的陈述申辩不予采纳，应写明处理理由"),
        (cell("所在单位", 4), "案件“X-4”：单位“财务处”不在单位名单中"),
        (cell("陈述申辩", 4), "案件“X-4”缺少陈述申辩"),
        (cell("依据", 5), "案件“X-5”的依据“第八条第一款第三项”有误：第八条第一款是对党组织的问责方式"),
        (cell("问责方式", 6), "案件“X-6”：组织调整或者组织处理应写明具体措施"),
        (cell("问责方式", 7), "案件“X-7”：诫勉应写明以谈话还是书面方式进行"),
        (cell("性别", 7), "案件“X-7”的性别为空"),
        (cell("责任类型", 7), "案件“X-7”缺少责任类型"),
        (cell("纪律处分", 8), "案件“X-8”的纪律处分“留党察看”无效：留党察看应写明期限"),
        (cell("诫勉方式", 8), "案件“X-8”填了诫勉方式，但问责方式中没有诫勉"),
        (cell("责任类型", 9), "案件“X-9”：党组织领导班子负全面领导责任"),
        (cell("诫勉方式", 9), "案件“X-9”填了诫勉方式，但问责方式中没有诫勉"),
    ] {
        assert!(err.contains(&format!("名单.xlsx [问责案件] {cell}: {says}")), "{cell}: {says}\n{err}");
    }
    assert!(err.contains(&format!("名单.xlsx [问责案件] {}: 提示：案件“X-5”：“依据”列已分为问责情形和其他依据", cell("依据", 5))), "{err}");
    assert!(!ws.path().join("out").exists());
}

/// The checks that depend on facts the list cannot show are warnings, in the sheet as in YAML;
/// one's own act is no 问责 case at all (问责条例 第六条), refused at its cell.
#[test]
fn ones_own_act_is_refused_and_an_odd_political_status_warned_at_its_cell() {
    let ws = workspace("");
    let book = ws.path().join("名单.xlsx");
    let own = with(&CADRE_ROW, &[("责任类型", "重要领导责任"), ("本人直接实施", "是"), ("政治面貌", "群众")]);
    workbook_with_cases(&book, &[own]);
    let o = build_roster(ws.path(), &book);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let own = format!("名单.xlsx [问责案件] {}: 案件“X-1”写明问题是本人直接实施的", cell("本人直接实施", 2));
    assert!(err.contains(&own), "{err}");
    assert!(err.contains(&format!("名单.xlsx [问责案件] {}: 提示：案件“X-1”的政治面貌为“群众”", cell("政治面貌", 2))), "{err}");
}

/// The sheet's cases are held to the same rules as cases.yaml: a 文号 the ledger already gave
/// another case is refused at its cell, and a case against an organisation with no case for its
/// 主要负责人 is flagged (条例 Art. 6).
#[test]
fn a_sheet_case_cannot_reuse_a_ledger_number_and_gets_the_article_6_warning() {
    let ws = workspace("");
    std::fs::write(ws.path().join("文号台账.yaml"), "numbers:\n  \"Y-9\": \"某党〔2026〕7号\"\n").unwrap();
    let book = ws.path().join("名单.xlsx");
    let row = vec![
        ("案件编号", "X-2"),
        ("问责对象类型", "党组织"),
        ("问责对象", "中共市政府采购中心支部委员会"),
        ("所在单位", "市政府采购中心"),
        ("事实", "经查，支部落实主体责任不力。"),
        ("问责情形", "第八项"),
        ("问责方式", "检查"),
        ("申辩处理", "放弃"),
        ("文号", "某党〔2026〕7号"),
    ];
    workbook_with_cases(&book, &[row]);
    let o = build_roster(ws.path(), &book);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let taken = format!("名单.xlsx [问责案件] {}: 案件“X-2”的文号“某党〔2026〕7号”已在文号台账中分配给案件“Y-9”", cell("文号", 2));
    assert!(err.contains(&taken), "{err}");
    assert!(!ws.path().join("out").exists());
    // With its own number the case builds, and the Art. 6 warning names the 主要负责人.
    std::fs::write(ws.path().join("文号台账.yaml"), "numbers: {}\n").unwrap();
    let o = build_roster(ws.path(), &book);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("名单.xlsx [问责案件] A2: 提示：对党组织“中共市政府采购中心支部委员会”问责的")
            && stderr(&o).contains("主要负责人苏某"),
        "{}",
        stderr(&o)
    );
}
