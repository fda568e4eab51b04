//! The first five minutes of a real user, as the README's 第一次使用 walks them: `zeren init`,
//! one's own organisation and roster, build, change the roster, build again without `--force`.
//! Nothing of the sample's fictional organisation may reach these letters.

mod common;

use common::*;
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};

/// The roster as a clerk fills in the blank template's 单位名单 sheet.
fn fill_roster(path: &Path, units: &[(&str, &str, &str, &str)]) {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("单位名单").unwrap();
    let headers = ["序号", "单位名称", "类别", "负责人", "职务", "分管领导", "分管领导职务", "联系电话", "本单位责任"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (name, kind, leader, title)) in units.iter().enumerate() {
        let row = r as u32 + 1;
        sheet.write_number(row, 0, f64::from(row)).unwrap();
        for (c, v) in [name, kind, leader, title].iter().enumerate() {
            sheet.write_string(row, c as u16 + 1, **v).unwrap();
        }
        sheet.write_string(row, 8, format!("加强{name}重点岗位廉政风险防控，每季度开展一次廉政提醒。")).unwrap();
    }
    wb.save(path).unwrap();
}

/// zeren.yaml with init's placeholders replaced by one's own organisation.
fn fill_settings(ws: &Path) {
    let path = ws.join("zeren.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("中共××××委员会") && text.contains("××党") && text.contains("×××"), "init marks what to fill in:\n{text}");
    let text = text.replace("中共××××委员会", "中共临江县审计局党组").replace("××党", "临审党").replace("×××", "周正清");
    std::fs::write(path, text).unwrap();
}

fn letters(out: &Path) -> Vec<PathBuf> {
    files_under(&out.join("责任书"))
}

#[test]
fn from_init_to_letters_and_a_clean_rebuild_keeping_the_users_files() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("2027年度");
    let o = zeren(&["init", ws.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(ws.join("名单.xlsx").is_file() && ws.join("data/duties.yaml").is_file());
    let settings = std::fs::read_to_string(ws.join("zeren.yaml")).unwrap();
    assert!(settings.contains("year: 2027") && settings.contains("date: 2027-01-05"), "the year the folder is named for:\n{settings}");
    assert!(!ws.join("data/units.yaml").exists() && !ws.join("data/cases.yaml").exists(), "no fictional data");

    // Untouched: one short message saying what to fill in first.
    let o = zeren(&["build", ws.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 2, "one problem and the count:\n{err}");
    assert!(err.contains("工作区还没有填写") && err.contains("发文机关全称(organ)") && err.contains("名单.xlsx 中还没有单位"), "{err}");

    // One's own organisation and five units.
    fill_settings(&ws);
    let five = [
        ("办公室", "处室", "李明", "主任"),
        ("法规审理股", "处室", "王芳", "股长"),
        ("财政审计股", "处室", "赵强", "股长"),
        ("机关党支部", "党支部", "孙丽", "支部书记"),
        ("县审计服务中心", "直属单位", "钱进", "主任"),
    ];
    fill_roster(&ws.join("名单.xlsx"), &five);
    let o = zeren(&["build", ws.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The catalogue init writes passes its own rules: no hint about it on the first build (a
    // 处室 is not a 党组织 and is given no 主体责任); only the roster's missing duties are hinted.
    assert!(!stderr(&o).contains("duties.yaml"), "{}", stderr(&o));
    let office = Docx::open(&ws.join("out/责任书/1-办公室.docx")).text();
    assert!(!office.contains("主体责任") && office.contains("一岗双责"), "{office}");
    let out = ws.join("out");
    let first: Vec<PathBuf> = five.iter().enumerate().map(|(i, u)| PathBuf::from(format!("{}-{}.docx", i + 1, u.0))).collect();
    assert_eq!(letters(&out), first);
    for (file, unit) in first.iter().zip(&five) {
        let text = Docx::open(&out.join("责任书").join(file)).text();
        assert!(text.contains("甲方：中共临江县审计局党组") && text.contains(&format!("乙方：{}", unit.0)), "{text}");
        assert!(text.contains(unit.2), "{}: its head {}", unit.0, unit.2);
        for sample in ["江州", "财政局", "沈嘉木"] {
            assert!(!text.contains(sample), "{}: nothing of the sample ({sample})", unit.0);
        }
    }

    // The user edits the last letter and drops a signed scan into OUT; then a unit leaves and
    // another comes, so the files after it renumber.
    let edited = out.join("责任书/5-县审计服务中心.docx");
    let mut bytes = std::fs::read(&edited).unwrap();
    bytes.extend_from_slice(b"edited");
    std::fs::write(&edited, &bytes).unwrap();
    std::fs::write(out.join("责任书/已签字扫描件.pdf"), b"%PDF signed").unwrap();
    let changed = [five[0], five[2], five[3], five[4], ("信息化审计股", "处室", "周敏", "股长")];
    fill_roster(&ws.join("名单.xlsx"), &changed);
    let o = zeren(&["build", ws.to_str().unwrap()]);
    assert!(o.status.success(), "a rebuild needs no --force: {}", stderr(&o));
    let said = stdout(&o);
    assert!(
        said.contains("保留了 2 个您修改或添加的文件")
            && said.contains("责任书/5-县审计服务中心.docx")
            && said.contains("已签字扫描件.pdf"),
        "{said}"
    );
    let now: Vec<PathBuf> = [
        "1-办公室.docx",
        "2-财政审计股.docx",
        "3-机关党支部.docx",
        "4-县审计服务中心.docx",
        "5-信息化审计股.docx",
        "5-县审计服务中心.docx",
        "已签字扫描件.pdf",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    assert_eq!(letters(&out), now, "exactly the new set, plus the user's own files");
    assert_eq!(std::fs::read(&edited).unwrap(), bytes, "the edited letter is untouched");
    assert!(Docx::open(&out.join("责任书/2-财政审计股.docx")).text().contains("乙方：财政审计股"));
}

/// The example workspace with a roster of one's own: the letters build from it alone; a 函告书,
/// whose tasks name the sample's units, fails naming them and where the unit list came from.
#[test]
fn the_example_workspace_with_an_unrelated_roster_builds_what_it_can() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("示例");
    assert!(zeren(&["init", "--example", ws.to_str().unwrap()]).status.success());
    let roster = tmp.path().join("名单.xlsx");
    let units = [("综合科", "处室", "甲一", "科长"), ("第一支部", "党支部", "乙二", "支部书记"), ("服务中心", "直属单位", "丙三", "主任")];
    fill_roster(&roster, &units);
    let out = tmp.path().join("out");
    let args = |kind: &str| {
        ["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--roster", roster.to_str().unwrap(), "--kind", kind].map(String::from)
    };
    let o = zeren(&args("责任书").iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{}", stderr(&o));
    let unit_letters: Vec<PathBuf> =
        letters(&out).into_iter().filter(|f| units.iter().any(|u| f.to_string_lossy().ends_with(&format!("-{}.docx", u.0)))).collect();
    assert_eq!(unit_letters.len(), units.len(), "one letter per roster row: {:?}", letters(&out));
    let o = zeren(&args("函告书").iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("data/tasks.yaml") && err.contains("“机关第一党支部”") && err.contains("单位名单来自") && err.contains("名单.xlsx"),
        "{err}"
    );
}
