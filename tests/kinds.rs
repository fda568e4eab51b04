//! Unit kinds belong to the workspace (design settled 19): a county's 乡镇党委, 县直部门党组 and
//! 县纪委室 defined in zeren.yaml `kinds:` decide each letter's words (本乡镇/你乡镇), who signs
//! and as what, who seals, whether 主体责任 is written, and which tiers a kind signs; an unknown
//! kind anywhere is an error at its place that lists the workspace's kinds; the roster template
//! offers them.

mod common;

use common::*;
use std::io::Read;
use std::path::{Path, PathBuf};

const SETTINGS: &str = "\
organ: 中共青山县委员会
code: 青山委
year: 2026
date: 2026-01-05
signatory: { name: 林远山, title: 县委书记 }
kinds:
  - name: 乡镇党委
    party: true
    seal: true
    own: 本乡镇
    you: 你乡镇
    head: 党委书记
    tiers: [单位, 副职]
  - name: 县直部门党组
    party: true
    own: 本部门
    head: 党组书记
    tiers: [单位]
  - name: 县纪委室
    party: false
    seal: false
    own: 本室
    head: 主任
letter:
  tiers: [单位, 副职]
";

const UNITS: &str = "\
units:
  - name: 青山镇党委
    type: 乡镇党委
    leader: { name: 周春和, title: 镇党委书记 }
    members:
      - { name: 吴晓峰, title: 镇党委副书记、镇长, portfolio: 分管政府工作 }
    duties:
      - 督促{本单位}各村落实村务公开
  - name: 县财政局党组
    type: 县直部门党组
    leader: { name: 郑明远, title: 党组书记、局长 }
    members:
      - { name: 钱立, title: 副局长, portfolio: 分管预算 }
    duties:
      - 加强{本单位}预算资金监管
  - name: 第一监督检查室
    type: 县纪委室
    leader: { name: 孙正, title: 主任 }
    duties:
      - 规范{本单位}监督检查程序
";

const DUTIES: &str = "\
groups:
  - subject: 履行全面从严治党主体责任
    applies_to: [乡镇党委, 县直部门党组]
    duties:
      - 年初制定{本单位}党风廉政建设工作计划。
  - subject: 落实全面从严治党要求
    applies_to: [县纪委室]
    duties:
      - 在县委领导下把党风廉政建设要求融入{本单位}业务工作。
  - subject: 班子副职一岗双责
    applies_to: [副职]
    duties:
      - 对分管领域党风廉政建设负重要领导责任。
";

const TASKS: &str = "\
intro: 现将{你单位}2026年度党风廉政建设主要工作任务函告如下。
receipt_due: 2026-01-20
tasks:
  - task: 开展廉政教育
    requirement: 组织{你单位}党员干部开展警示教育。
    deadline: 全年
    lead: 第一监督检查室
    applies_to: [全部]
";

fn write(ws: &Path, rel: &str, text: &str) {
    let path = ws.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The county workspace, with `edit` applied to (file, text) before writing.
fn county(edit: impl Fn(&str, String) -> String) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("青山县");
    for (rel, text) in [("zeren.yaml", SETTINGS), ("data/units.yaml", UNITS), ("data/duties.yaml", DUTIES), ("data/tasks.yaml", TASKS)] {
        write(&ws, rel, &edit(rel, text.to_string()));
    }
    (tmp, ws)
}

fn build(ws: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    zeren(&args)
}

fn text(out: &Path, kind: &str, file: &str) -> String {
    Docx::open(&out.join(kind).join(file)).text()
}

#[test]
fn a_county_workspace_speaks_in_its_own_kinds() {
    let (tmp, ws) = county(|_, t| t);
    let out = tmp.path().join("out");
    let o = build(&ws, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Each kind signs the tiers it says: a 乡镇党委 with its deputies, a 县直部门党组 only as a unit.
    let letters: Vec<PathBuf> = files_under(&out.join("责任书"));
    let names = ["1-青山镇党委.docx", "2-县财政局党组.docx", "3-第一监督检查室.docx", "4-青山镇党委-吴晓峰.docx"];
    assert_eq!(letters, names.map(PathBuf::from), "no deputy letter for a kind whose tiers leave it out");

    let town = text(&out, "责任书", "1-青山镇党委.docx");
    assert!(town.contains("乙方领导班子对本乡镇党风廉政建设负主体责任，镇党委书记周春和同志为第一责任人"), "{town}");
    assert!(town.contains("年初制定本乡镇党风廉政建设工作计划。"), "{{本单位}} is the kind's own word:\n{town}");
    assert!(town.contains("本乡镇重点责任") && town.contains("督促本乡镇各村落实村务公开。"), "{town}");
    assert!(town.contains("乙方（盖章）："), "a sealed kind has a seal line:\n{town}");
    assert!(town.contains("党委书记（签字）："), "its head signs as the kind says:\n{town}");

    let department = text(&out, "责任书", "2-县财政局党组.docx");
    assert!(department.contains("党组书记（签字）：") && department.contains("乙方（盖章）："), "{department}");
    assert!(department.contains("加强本部门预算资金监管。"), "{department}");

    // Not a 党组织: no 主体责任, no 第一责任人, no seal line; its head signs as 主任.
    let office = text(&out, "责任书", "3-第一监督检查室.docx");
    assert!(!office.contains("主体责任") && !office.contains("第一责任人"), "{office}");
    assert!(
        office.contains("乙方在甲方领导下落实全面从严治党各项要求，主任孙正同志按照“一岗双责”要求，对本室党风廉政建设负领导责任。"),
        "{office}"
    );
    assert!(office.contains("主任（签字）：") && !office.contains("乙方（盖章）") && office.contains("乙方："), "{office}");

    // The 函告书 address each unit as its kind says: given (你乡镇), from its own word (本部门 →
    // 你部门), or by its name (第一监督检查室 → 你室).
    let notices = files_under(&out.join("函告书"));
    assert_eq!(notices.len(), 3, "{notices:?}");
    for (file, you) in notices.iter().zip(["你乡镇", "你部门", "你室"]) {
        let t = text(&out, "函告书", &file.to_string_lossy());
        assert!(t.contains(&format!("现将{you}2026年度")) && t.contains(&format!("组织{you}党员干部")), "{}: {you}\n{t}", file.display());
    }
}

#[test]
fn a_custom_kind_is_chosen_by_name_and_an_unknown_one_is_refused_with_the_list() {
    let (tmp, ws) = county(|_, t| t);
    let out = tmp.path().join("out");
    let o = build(&ws, &out, &["--kind", "责任书", "--type", "乡镇党委", "--tier", "单位"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files_under(&out.join("责任书")), [PathBuf::from("1-青山镇党委.docx")]);
    let o = build(&ws, &tmp.path().join("x"), &["--type", "处室"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("未知的单位类别“处室”；本工作区的单位类别有：乡镇党委、县直部门党组、县纪委室"), "{}", stderr(&o));
}

/// `zeren check` (with `extra`) fails: each problem as "file:line:column message" or
/// "file [sheet] cell message".
fn check_fails(ws: &Path, extra: &[&str]) -> String {
    let mut args = vec!["check", ws.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let o = zeren(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    problems(&o)
}

fn problems(o: &std::process::Output) -> String {
    let json: serde_json::Value = serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)));
    let text = |v: &serde_json::Value| v.as_str().map(String::from).or_else(|| v.as_u64().map(|n| n.to_string())).unwrap_or_default();
    json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| match p["sheet"].as_str() {
            Some(sheet) => format!("{} [{sheet}] {} {}", text(&p["file"]), text(&p["cell"]), text(&p["message"])),
            None => format!("{}:{}:{} {}", text(&p["file"]), text(&p["line"]), text(&p["column"]), text(&p["message"])),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn an_unknown_kind_in_yaml_is_an_error_at_its_place_listing_the_kinds() {
    let (_tmp, ws) = county(|file, t| match file {
        "data/units.yaml" => t.replace("type: 县纪委室", "type: 纪委室"),
        "data/duties.yaml" => t.replace("applies_to: [县纪委室]", "applies_to: [县纪委室, 村党支部]"),
        "zeren.yaml" => t.replace("tiers: [单位]\n", "tiers: [单位, 班子]\n") + "seals: { 处室: false }\n",
        _ => t,
    });
    let said = check_fails(&ws, &[]);
    let list = "乡镇党委、县直部门党组 或 县纪委室";
    for (place, words) in [
        ("units.yaml:17:11", format!("单位“第一监督检查室”的类别(type)“纪委室”无效；应为 {list}")),
        ("duties.yaml:7:24", "适用类别“村党支部”无效；应为 乡镇党委、县直部门党组、县纪委室、班子成员".to_string()),
        ("zeren.yaml:18:17", "单位类别“县直部门党组”的 tiers 中的“班子”无效；可用：单位、副职".to_string()),
        ("zeren.yaml:26:14", "印章设置(seals)中的“处室”不是单位类别；本工作区的单位类别有：乡镇党委、县直部门党组、县纪委室".to_string()),
    ] {
        assert!(said.lines().any(|l| l.contains(place) && l.contains(&words)), "{place} {words}:\n{said}");
    }
}

#[test]
fn a_kind_without_what_it_must_say_is_an_error_at_its_entry() {
    let (_tmp, ws) = county(|file, t| if file == "zeren.yaml" { t.replace("    party: false\n", "") } else { t });
    let said = check_fails(&ws, &[]);
    assert!(said.contains("zeren.yaml:19:5") && said.contains("单位类别“县纪委室”缺少 party"), "{said}");
    // Two kinds of one name: the second is refused, naming the first.
    let (_tmp, ws) = county(|file, t| if file == "zeren.yaml" { t.replace("name: 县纪委室", "name: 乡镇党委") } else { t });
    assert!(check_fails(&ws, &[]).contains("单位类别“乡镇党委”重复（首次出现在"));
}

#[test]
fn principal_duty_for_a_kind_that_is_not_a_party_organisation_is_flagged() {
    let (_tmp, ws) = county(|file, t| {
        if file == "data/duties.yaml" {
            t.replace("applies_to: [乡镇党委, 县直部门党组]", "applies_to: [乡镇党委, 县纪委室]")
        } else {
            t
        }
    });
    let o = zeren(&["check", ws.to_str().unwrap(), "--format", "json"]);
    let said = problems(&o);
    assert!(said.contains("责任组“履行全面从严治党主体责任”适用于县纪委室，但县纪委室不是党组织"), "{said}");
    assert!(!said.contains("适用于乡镇党委"), "a 乡镇党委 is one:\n{said}");
}

#[test]
fn a_workspace_without_kinds_reads_a_legacy_list_of_document_kinds() {
    let (tmp, ws) = county(|file, t| {
        if file == "zeren.yaml" {
            let start = t.find("kinds:").unwrap();
            let end = t.find("letter:").unwrap();
            format!("{}kinds: [函告书]\n{}", &t[..start], &t[end..])
        } else {
            t.replace("type: 乡镇党委", "type: 直属单位")
                .replace("type: 县直部门党组", "type: 党支部")
                .replace("type: 县纪委室", "type: 处室")
        }
    });
    let out = tmp.path().join("out");
    let o = build(&ws, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("责任书").exists(), "kinds: [函告书] still means the documents to build");
    let notices = files_under(&out.join("函告书"));
    let office = text(&out, "函告书", &notices[2].to_string_lossy());
    assert!(office.contains("现将你室2026年度"), "the built-in 处室 as before:\n{office}");
}

/// The 单位名单 sheet's XML of a roster workbook.
fn units_sheet_xml(book: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(book).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

#[test]
fn the_roster_template_offers_the_workspaces_kinds_and_a_roster_is_read_by_them() {
    let (tmp, ws) = county(|_, t| t);
    let book = tmp.path().join("名单模板.xlsx");
    let o = zeren(&["roster", "template", "-w", ws.to_str().unwrap(), "-o", book.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let xml = units_sheet_xml(&book);
    assert!(xml.contains(r#"<formula1>"乡镇党委,县直部门党组,县纪委室"</formula1>"#), "{xml}");
    assert!(!xml.contains("处室"), "not the built-in kinds:\n{xml}");

    // A roster naming a kind the workspace lacks: the cell, the unit, and the kinds there are.
    let roster = ws.join("名单.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("单位名单").unwrap();
    let rows = [
        ["单位名称", "类别", "负责人", "职务"],
        ["青山镇党委", "乡镇党委", "周春和", "镇党委书记"],
        ["石门村党支部", "村党支部", "冯石", "支部书记"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(&roster).unwrap();
    let said = check_fails(&ws, &["--roster", roster.to_str().unwrap(), "--kind", "责任书"]);
    assert!(said.contains("[单位名单] B3 “石门村党支部”的类别“村党支部”无效；应为 乡镇党委、县直部门党组 或 县纪委室"), "{said}");
}

#[test]
fn template_vars_show_the_words_of_a_kind() {
    let o = zeren(&["template", "vars", "责任书"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    for var in ["unit.type", "unit.party", "unit.own", "unit.you", "unit.head", "unit.seal"] {
        assert!(said.lines().any(|l| l.trim_start().starts_with(var) && l.contains("kinds")), "{var}:\n{said}");
    }
}

#[test]
fn the_words_zeren_fills_in_are_the_workspaces_to_change() {
    let (tmp, ws) = county(|_, t| t);
    let words = "letter_title: \"{年度}年度全面从严治党（党风廉政建设）责任书\"\nsecretary: 县委书记\nsign_label: \"{身份}签名\"\n";
    write(&ws, "templates/words.yaml", words);
    let out = tmp.path().join("out");
    let o = build(&ws, &out, &["--kind", "责任书", "--tier", "单位"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let town = text(&out, "责任书", "1-青山镇党委.docx");
    assert!(town.replace('\n', "").contains("2026年度全面从严治党（党风廉政建设）责任书"), "the title, over two lines:\n{town}");
    assert!(town.contains("县委书记签名：") && town.contains("党委书记签名："), "{town}");
    assert!(!town.contains("（签字）") && !town.contains("2026年度党风廉政建设责任书"), "{town}");
    // A word zeren does not know, or a placeholder it does not take, is refused where written.
    write(&ws, "templates/words.yaml", "secretary: 县委书记\nparty_c: 丙方\nparty_a: \"{发文机关}\"\n");
    let said = check_fails(&ws, &[]);
    assert!(said.contains("words.yaml:2:") && said.contains("词语表中没有“party_c”；可改写的有：letter_title"), "{said}");
    assert!(said.contains("words.yaml:3:") && said.contains("词语“party_a”中的“{发文机关}”不是它可用的占位符"), "{said}");
}

#[test]
fn documents_names_the_default_document_kinds_beside_the_unit_kinds() {
    let (tmp, ws) = county(|file, t| if file == "zeren.yaml" { t + "documents: [函告书]\n" } else { t });
    let out = tmp.path().join("out");
    let o = build(&ws, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("责任书").exists() && files_under(&out.join("函告书")).len() == 3);
    // A document kind among the unit kinds is refused where it is written.
    let (_tmp, ws) = county(|file, t| if file == "zeren.yaml" { t.replace("letter:\n", "  - 函告书\nletter:\n") } else { t });
    let said = check_fails(&ws, &[]);
    assert!(said.contains("zeren.yaml:24:5") && said.contains("kinds 列出单位类别"), "{said}");
}
