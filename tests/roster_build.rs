//! The Excel roster through `zeren build`: template → filled in → one letter per row;
//! a roster named in zeren.yaml with a column mapping; a bad cell stops the run.

mod common;

use common::*;
use rust_xlsxwriter::Workbook;
use std::path::Path;

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
    let branch_only = sample.duty_groups.iter().find(|g| g.applies_to == [zeren::model::UnitType::Branch]).unwrap();
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
    assert!(stderr(&o).contains("名单.xlsx [2026年名单] C3: 负责人为空"), "{}", stderr(&o));
    assert!(!out.exists());
}

/// A roster workbook with a 问责案件 sheet, as `zeren roster template` lays it out.
fn workbook_with_cases(path: &Path, cases: &[Vec<&str>]) {
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
    let headers = ["案件编号", "问责对象类型", "问责对象", "所在单位", "职务", "问责方式", "责任类型", "事实", "依据", "文号", "抄送"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in cases.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn cases_come_from_the_roster_workbooks_case_sheet() {
    let ws = workspace("");
    let book = ws.path().join("名单.xlsx");
    workbook_with_cases(
        &book,
        &[
            vec![
                "X-1",
                "领导干部",
                "吕某",
                "市政府采购中心",
                "副主任",
                "通报、诫勉",
                "主要领导责任",
                "经查，吕某失察失管。",
                "《中国共产党问责条例》第七条第八项",
                "",
                "市纪委监委、市委组织部",
            ],
            vec![
                "X-2",
                "党组织",
                "中共市政府采购中心支部委员会",
                "",
                "",
                "检查",
                "",
                "经查，支部落实主体责任不力。",
                "",
                "某党〔2026〕7号",
                "市委组织部",
            ],
        ],
    );
    let out = ws.path().join("out");
    let o = zeren(&[
        "build",
        ws.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--roster",
        book.to_str().unwrap(),
        "--kind",
        "问责决定书",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = files_under(&out.join("问责决定书"));
    assert_eq!(files.len(), 2, "{files:?}");
    let cadre = Docx::open(&out.join("问责决定书/1-吕某.docx")).text();
    assert!(cadre.contains("予以通报、诫勉。") && cadre.contains("某党〔2026〕8号"), "next number after the sheet's 7:\n{cadre}");
    assert!(cadre.contains("抄送：市纪委监委，市委组织部。"));
    let org = Docx::open(&out.join("问责决定书/2-中共市政府采购中心支部委员会.docx")).text();
    assert!(org.contains("某党〔2026〕7号") && org.contains("予以检查。"));
}

#[test]
fn a_bad_case_row_is_located_at_its_cell() {
    let ws = workspace("");
    let book = ws.path().join("名单.xlsx");
    workbook_with_cases(
        &book,
        &[vec!["X-1", "领导干部", "吕某", "市政府采购中心", "副主任", "改组", "", "经查。", "", "某党[2026]7号", ""]],
    );
    let out = ws.path().join("out");
    let o = zeren(&["build", ws.path().to_str().unwrap(), "-o", out.to_str().unwrap(), "--roster", book.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("名单.xlsx [问责案件] F2: 案件“X-1”：对领导干部不能采用“改组”"), "{err}");
    assert!(err.contains("名单.xlsx [问责案件] J2: 案件“X-1”的文号“某党[2026]7号”格式有误"), "{err}");
    assert!(!out.exists());
}

/// The sheet's cases are held to the same rules as cases.yaml: a 文号 the ledger already gave
/// another case is refused at its cell, and a case against an organisation with no case for its
/// cadres is flagged (条例 Art. 6).
#[test]
fn a_sheet_case_cannot_reuse_a_ledger_number_and_gets_the_article_6_warning() {
    let ws = workspace("");
    std::fs::write(ws.path().join("文号台账.yaml"), "numbers:\n  \"Y-9\": \"某党〔2026〕7号\"\n").unwrap();
    let book = ws.path().join("名单.xlsx");
    let row = vec![
        "X-2",
        "党组织",
        "中共市政府采购中心支部委员会",
        "",
        "",
        "检查",
        "",
        "经查，支部落实主体责任不力。",
        "",
        "某党〔2026〕7号",
        "",
    ];
    workbook_with_cases(&book, &[row]);
    let out = ws.path().join("out");
    let args =
        ["build", ws.path().to_str().unwrap(), "-o", out.to_str().unwrap(), "--roster", book.to_str().unwrap(), "--kind", "问责决定书"];
    let o = zeren(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("名单.xlsx [问责案件] J2: 案件“X-2”的文号“某党〔2026〕7号”已在文号台账中分配给案件“Y-9”"), "{err}");
    assert!(!out.exists());
    // With its own number the case builds, and the Art. 6 warning names the organisation.
    std::fs::write(ws.path().join("文号台账.yaml"), "numbers: {}\n").unwrap();
    let o = zeren(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("名单.xlsx [问责案件] A2: 提示：对党组织“中共市政府采购中心支部委员会”问责的"), "{}", stderr(&o));
}
