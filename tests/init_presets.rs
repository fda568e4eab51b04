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
        let mut written: Vec<String> = files_under(&ws).iter().map(|p| p.to_string_lossy().into_owned()).collect();
        written.sort();
        assert_eq!(written, ["data/duties.yaml", "zeren.yaml", "名单.xlsx"], "{preset}: only the starter, nothing fictional");
        let settings = read(&ws.join("zeren.yaml"));
        assert!(settings.contains(&format!("organ: {organ}")) && settings.contains("year: 2027"), "{preset}:\n{settings}");
        let duties = read(&ws.join("data/duties.yaml"));
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
