//! `zeren init --preset 机关|县区|国企|高校`: a workspace shaped like the organisation — its unit
//! kinds, wording and duty catalogue — with nothing fictional in it; an unknown shape is a usage
//! error that lists the four.

mod common;

use common::*;
use std::path::Path;

/// Each preset: its name, the organ placeholder, the kinds its roster offers, and a title its
/// letters cite.
const PRESETS: [(&str, &str, &[&str], &str); 4] = [
    ("机关", "中共××××委员会", &["处室", "党支部", "直属单位"], "《党委（党组）落实全面从严治党主体责任规定》"),
    (
        "县区",
        "中共××县委员会",
        &["乡镇党委", "街道党工委", "县直部门党组（党委）", "县委工作部门"],
        "《党委（党组）落实全面从严治党主体责任规定》",
    ),
    (
        "国企",
        "中共××××有限公司委员会",
        &["职能部门", "二级单位党委", "二级单位党总支", "直属党支部"],
        "《中国共产党国有企业基层组织工作条例（试行）》",
    ),
    ("高校", "中共××××大学委员会", &["院系党委（党总支）", "职能部门"], "《中国共产党普通高等学校基层组织工作条例》"),
];

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn each_preset_writes_its_own_settings_catalogue_and_blank_roster() {
    let tmp = tempfile::tempdir().unwrap();
    for (preset, organ, kinds, _) in PRESETS {
        let ws = tmp.path().join(format!("{preset}2027"));
        let o = zeren(&["init", ws.to_str().unwrap(), "--preset", preset]);
        assert!(o.status.success(), "{preset}: {}", stderr(&o));
        let said = stdout(&o);
        assert!(
            said.contains(&format!("（{preset}）：")) && said.contains(&format!("类别从下拉列表选择（{}）", kinds.join("、"))),
            "{said}"
        );
        let mut written: Vec<String> = files_under(&ws).iter().map(|p| p.to_string_lossy().into_owned()).collect();
        written.sort();
        assert_eq!(written, ["data/duties.yaml", "zeren.yaml", "名单.xlsx"], "{preset}: only the starter, nothing fictional");
        let settings = read(&ws.join("zeren.yaml"));
        assert!(settings.contains(&format!("organ: {organ}")) && settings.contains("year: 2027"), "{preset}:\n{settings}");
        let duties = read(&ws.join("data/duties.yaml"));
        // A county, an enterprise or a university is no city bureau: none of a bureau's words.
        for word in ["处室", "局党委", "省、市", "机关纪委"].iter().filter(|_| preset != "机关") {
            assert!(!duties.contains(word) && !settings.contains(word), "{preset}: {word}");
        }
        for kind in kinds.iter().filter(|_| preset != "机关") {
            assert!(settings.contains(&format!("name: {kind},")), "{preset}: kind {kind} in the settings:\n{settings}");
            assert!(duties.contains(kind), "{preset}: a duty group applies to {kind}");
        }
    }
}

#[test]
fn no_preset_is_the_organ_preset() {
    let tmp = tempfile::tempdir().unwrap();
    let (plain, organ) = (tmp.path().join("a2027"), tmp.path().join("b2027"));
    assert!(zeren(&["init", plain.to_str().unwrap()]).status.success());
    assert!(zeren(&["init", organ.to_str().unwrap(), "--preset", "机关"]).status.success());
    for file in ["zeren.yaml", "data/duties.yaml", "名单.xlsx"] {
        assert_eq!(std::fs::read(plain.join(file)).unwrap(), std::fs::read(organ.join(file)).unwrap(), "{file}");
    }
}

#[test]
fn an_unknown_preset_is_a_usage_error_naming_the_four() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let o = zeren(&["init", ws.to_str().unwrap(), "--preset", "省直"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("未知的形态“省直”") && err.contains("机关、县区、国企、高校"), "{err}");
    assert!(!ws.exists(), "nothing written");

    let o = zeren(&["init", ws.to_str().unwrap(), "--preset", "县区", "--example"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不能同时使用") && !ws.exists(), "{}", stderr(&o));
}

/// The roster as a clerk fills in the blank template's 单位名单 sheet: name, kind, head, title,
/// 分管领导 (may be empty) and one duty of its own.
fn fill_roster(path: &Path, units: &[(&str, &str, &str, &str, &str)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("单位名单").unwrap();
    let headers = ["序号", "单位名称", "类别", "负责人", "职务", "分管领导", "分管领导职务", "联系电话", "本单位责任"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (name, kind, leader, title, supervisor)) in units.iter().enumerate() {
        let row = r as u32 + 1;
        sheet.write_number(row, 0, f64::from(row)).unwrap();
        for (c, v) in [name, kind, leader, title].iter().enumerate() {
            sheet.write_string(row, c as u16 + 1, **v).unwrap();
        }
        if !supervisor.is_empty() {
            sheet.write_string(row, 5, *supervisor).unwrap();
            sheet.write_string(row, 6, "县委常委、常务副县长").unwrap();
        }
        sheet.write_string(row, 8, format!("结合{name}职责，每季度开展一次廉政风险排查。")).unwrap();
    }
    wb.save(path).unwrap();
}

/// A preset's workspace with its placeholders filled in (organ, code, secretary), `extra` added
/// to its settings, `files` beside them and the roster filled with `units`; built.
fn built(
    preset: &str,
    organ: &str,
    units: &[(&str, &str, &str, &str, &str)],
    extra: &str,
    files: &[(&str, &str)],
) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("2027年度");
    let o = zeren(&["init", ws.to_str().unwrap(), "--preset", preset]);
    assert!(o.status.success(), "{preset}: {}", stderr(&o));
    let path = ws.join("zeren.yaml");
    let text = read(&path);
    let placeholder = text.lines().find_map(|l| l.strip_prefix("organ: ")).unwrap().split_whitespace().next().unwrap().to_string();
    let text = text.replace(&placeholder, organ).replace("××委", "测委").replace("××党", "测党").replace("×××", "周正清");
    std::fs::write(&path, format!("{text}{extra}")).unwrap();
    for (rel, text) in files {
        std::fs::write(ws.join(rel), text).unwrap();
    }
    fill_roster(&ws.join("名单.xlsx"), units);
    let o = zeren(&["build", ws.to_str().unwrap()]);
    assert!(o.status.success(), "{preset}: {}", stderr(&o));
    assert!(!stderr(&o).contains("duties.yaml"), "{preset}: the catalogue passes its own rules: {}", stderr(&o));
    (tmp, ws)
}

/// The documents of one kind a build wrote (`out/责任书`), each as its name (the file's, without
/// the number) and its text.
fn documents(ws: &Path, kind: &str) -> Vec<(String, String)> {
    let dir = ws.join("out").join(kind);
    files_under(&dir)
        .into_iter()
        .map(|f| {
            let name = f.file_stem().unwrap().to_string_lossy().split_once('-').unwrap().1.to_string();
            (name, Docx::open(&dir.join(&f)).flowing_text())
        })
        .collect()
}

fn letter<'a>(letters: &'a [(String, String)], name: &str) -> &'a str {
    &letters
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no letter for {name}: {:?}", letters.iter().map(|l| &l.0).collect::<Vec<_>>()))
        .1
}

/// The blank roster's 类别 dropdown offers the preset's kinds.
fn dropdown(ws: &Path) -> String {
    let sheet = Docx::open(&ws.join("名单.xlsx"));
    let xml = sheet.part("xl/worksheets/sheet1.xml");
    let start = xml.find("<formula1>").unwrap_or_else(|| panic!("no dropdown: {xml}")) + "<formula1>".len();
    xml[start..start + xml[start..].find("</formula1>").unwrap()].trim_matches('"').to_string()
}

#[test]
fn each_roster_offers_its_presets_kinds() {
    let tmp = tempfile::tempdir().unwrap();
    for (preset, _, kinds, _) in PRESETS {
        let ws = tmp.path().join(preset);
        assert!(zeren(&["init", ws.to_str().unwrap(), "--preset", preset]).status.success());
        assert_eq!(dropdown(&ws), kinds.join(","), "{preset}");
    }
}

#[test]
fn a_county_speaks_as_the_county_committee_to_its_townships_and_departments() {
    let units = [
        ("城关镇党委", "乡镇党委", "李明", "党委书记", "王强"),
        ("东湖街道党工委", "街道党工委", "赵丽", "党工委书记", ""),
        ("中共测县财政局党组", "县直部门党组（党委）", "孙杰", "党组书记、局长", ""),
        ("县委组织部", "县委工作部门", "钱进", "部长", "王强"),
    ];
    let members = "members:\n  - { name: 王强, title: 县委常委、常务副县长, portfolio: 分管财政、乡村振兴工作 }\n";
    let tasks = "tasks:\n  - { task: 规范村级小微权力运行, requirement: 公布村级权力清单。, deadline: 全年, lead: 县委组织部, applies_to: [乡镇党委] }\n  - { task: 排查审批廉政风险, requirement: 更新风险防控台账。, deadline: 全年, lead: 县委组织部, applies_to: [县直部门党组（党委）] }\n";
    let (_tmp, ws) = built("县区", "中共测县委员会", &units, members, &[("data/tasks.yaml", tasks)]);
    let letters = documents(&ws, "责任书");
    let town = letter(&letters, "城关镇党委");
    assert!(town.contains("甲方：中共测县委员会") && town.contains("乙方：城关镇党委"), "{town}");
    assert!(town.contains("本乡镇") && town.contains("主体责任") && town.contains("农村集体资金"), "{town}");
    assert!(town.contains("《中国共产党章程》《党委（党组）落实全面从严治党主体责任规定》《中国共产党问责条例》"), "{town}");
    assert!(town.contains("乙方（盖章）") && town.contains("向县委书面报告"), "{town}");
    for word in ["处室", "本单位", "行政审批"] {
        assert!(!town.contains(word), "a township is no office: {word}\n{town}");
    }
    let dept = letter(&letters, "中共测县财政局党组");
    assert!(dept.contains("本部门") && dept.contains("行政审批") && !dept.contains("农村集体资金") && !dept.contains("本乡镇"), "{dept}");
    let organ = letter(&letters, "县委组织部");
    assert!(organ.contains("走在前、作表率") && organ.contains("乙方（盖章）"), "{organ}");
    let member = letter(&letters, "班子成员-王强");
    assert!(member.contains("联系乡镇（街道）") && member.contains("城关镇党委") && member.contains("县委组织部"), "{member}");
    // The 函告书 addresses each as the county committee calls it.
    let notices = documents(&ws, "函告书");
    let town = letter(&notices, "城关镇党委");
    assert!(town.contains("你乡镇") && town.contains("规范村级小微权力运行") && !town.contains("你单位"), "{town}");
    let dept = letter(&notices, "中共测县财政局党组");
    assert!(dept.contains("你部门") && dept.contains("排查审批廉政风险"), "{dept}");
}

#[test]
fn an_enterprise_tells_its_departments_from_its_subsidiaries_party_organisations() {
    let units = [
        ("财务部", "职能部门", "李明", "部长", ""),
        ("第一分公司党委", "二级单位党委", "赵丽", "党委书记", ""),
        ("物流公司党总支", "二级单位党总支", "孙杰", "党总支书记", ""),
        ("机关党支部", "直属党支部", "钱进", "支部书记", ""),
    ];
    let (_tmp, ws) = built("国企", "中共测试集团有限公司委员会", &units, "", &[]);
    let letters = documents(&ws, "责任书");
    let dept = letter(&letters, "财务部");
    assert!(
        dept.contains("《中国共产党国有企业基层组织工作条例（试行）》") && dept.contains("本部门") && dept.contains("一岗双责"),
        "{dept}"
    );
    assert!(
        !dept.contains("负主体责任") && !dept.contains("履行全面从严治党主体责任") && !dept.contains("乙方（盖章）"),
        "a department is no 党组织 and has no seal:\n{dept}"
    );
    let sub = letter(&letters, "第一分公司党委");
    assert!(sub.contains("主体责任") && sub.contains("三重一大") && sub.contains("乙方（盖章）") && sub.contains("本单位"), "{sub}");
    let branch = letter(&letters, "机关党支部");
    assert!(branch.contains("三会一课") && branch.contains("本支部"), "{branch}");
    // A kind whose name ends in 支部 is a branch: its 支部委员会 bears the 主体责任, not a 领导班子.
    assert!(branch.contains("乙方支部委员会履行本支部全面从严治党主体责任") && !branch.contains("领导班子"), "{branch}");
}

#[test]
fn a_university_speaks_to_its_schools_and_offices() {
    let units = [("文学院党委", "院系党委（党总支）", "李明", "党委书记", ""), ("教务处", "职能部门", "赵丽", "处长", "")];
    let (_tmp, ws) = built("高校", "中共测试大学委员会", &units, "", &[]);
    let letters = documents(&ws, "责任书");
    let school = letter(&letters, "文学院党委");
    assert!(school.contains("《中国共产党普通高等学校基层组织工作条例》") && school.contains("本院（系）"), "{school}");
    assert!(school.contains("主体责任") && school.contains("师德师风") && school.contains("乙方（盖章）"), "{school}");
    let office = letter(&letters, "教务处");
    assert!(
        office.contains("本部门") && office.contains("一岗双责") && !office.contains("负主体责任") && !office.contains("本院（系）"),
        "{office}"
    );
}

#[test]
fn the_organ_preset_speaks_to_offices_as_before() {
    let units = [
        ("办公室", "处室", "李明", "主任", ""),
        ("机关党支部", "党支部", "赵丽", "支部书记", ""),
        ("信息中心", "直属单位", "钱进", "主任", ""),
    ];
    let (_tmp, ws) = built("机关", "中共测试局委员会", &units, "", &[]);
    let letters = documents(&ws, "责任书");
    let office = letter(&letters, "办公室");
    assert!(office.contains("本处室") && !office.contains("负主体责任") && !office.contains("乙方（盖章）"), "{office}");
    assert!(letter(&letters, "机关党支部").contains("本支部"));
    let centre = letter(&letters, "信息中心");
    assert!(centre.contains("本单位") && centre.contains("负主体责任") && centre.contains("乙方（盖章）"), "{centre}");
}
