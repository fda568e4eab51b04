//! Bad input: each case gives a Chinese message naming the file and the place, the right exit
//! code, no panic, and no file in OUT.

mod common;

use common::*;
use std::path::Path;

/// Builds a workspace from the three files, runs `build`, and checks the common promises.
fn build_fails(settings: &str, units: &str, duties: &str, code: i32) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(ws.join("data")).unwrap();
    std::fs::write(ws.join("zeren.yaml"), settings).unwrap();
    std::fs::write(ws.join("data/units.yaml"), units).unwrap();
    std::fs::write(ws.join("data/duties.yaml"), duties).unwrap();
    let out = tmp.path().join("out");
    let o = zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "exit code; stderr:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(files_under(&out).is_empty(), "OUT must stay empty: {:?}", files_under(&out));
    assert!(!out.exists(), "OUT not even created");
    err
}

fn assert_says(err: &str, place: &str, words: &str) {
    let line = err.lines().find(|l| l.contains(place)).unwrap_or_else(|| panic!("no message at {place}:\n{err}"));
    assert!(line.contains(words), "message at {place} should say {words}:\n{err}");
}

#[test]
fn yaml_syntax_error_is_located() {
    let units = UNITS.replace("    type: 处室\n    leader: { name: 王主任", "    type: 处室\n\tleader: { name: 王主任");
    let err = build_fails(SETTINGS, &units, DUTIES, 1);
    assert_says(&err, "units.yaml:3:", "YAML 语法错误");
}

#[test]
fn unclosed_bracket_is_located() {
    let units = UNITS.replace("{ name: 王主任, title: 主任 }", "{ name: 王主任, title: 主任");
    let err = build_fails(SETTINGS, &units, DUTIES, 1);
    assert!(err.contains("units.yaml:"), "{err}");
}

#[test]
fn wrong_type_names_the_value() {
    let err = build_fails(&SETTINGS.replace("year: 2026", "year: 二〇二六"), UNITS, DUTIES, 1);
    assert_says(&err, "zeren.yaml:3:7", "“二〇二六”不是整数");
}

#[test]
fn list_where_text_belongs_is_a_type_error() {
    let err = build_fails(SETTINGS, UNITS, &DUTIES.replace("duties: [一条责任。]", "duties: 一条责任。"), 1);
    assert_says(&err, "duties.yaml:4:13", "应为列表");
}

#[test]
fn unknown_field_lists_the_known_ones() {
    let units = UNITS.replace("    type: 处室\n    leader: { name: 李处长", "    colour: red\n    type: 处室\n    leader: { name: 李处长");
    let err = build_fails(SETTINGS, &units, DUTIES, 1);
    assert_says(&err, "units.yaml:6:5", "未知字段“colour”");
    assert!(err.contains("leader"), "{err}");
}

#[test]
fn duplicate_key_is_refused() {
    let units = UNITS.replace("  - name: 预算处\n", "  - name: 预算处\n    name: 国库处\n");
    let err = build_fails(SETTINGS, &units, DUTIES, 1);
    assert_says(&err, "units.yaml:6:5", "重复的键“name”");
}

#[test]
fn missing_leader_names_the_unit() {
    let units = UNITS.replace("    leader: { name: 李处长, title: 处长 }\n", "");
    let err = build_fails(SETTINGS, &units, DUTIES, 1);
    assert_says(&err, "units.yaml:5:5", "单位“预算处”缺少负责人(leader)");
}

#[test]
fn every_problem_of_every_file_is_listed_together() {
    let settings = SETTINGS.replace("date: 2026-01-05", "date: 2026-02-30");
    let units = UNITS
        .replace("type: 处室\n    leader: { name: 李处长", "type: 科室\n    leader: { name: 李处长")
        .replace("    leader: { name: 王主任, title: 主任 }\n", "");
    let duties = DUTIES.replace("applies_to: [处室]", "applies_to: [处室, 大队]");
    let err = build_fails(&settings, &units, &duties, 1);
    assert_says(&err, "zeren.yaml:4:7", "日期不存在");
    assert_says(&err, "units.yaml:2:5", "单位“办公室”缺少负责人");
    assert_says(&err, "units.yaml:5:11", "类别(type)“科室”无效");
    assert_says(&err, "duties.yaml:3:22", "适用类别“大队”无效");
    assert!(err.contains("共 4 处错误"), "{err}");
}

#[test]
fn unknown_kind_in_settings_is_located() {
    let err = build_fails(&format!("{SETTINGS}kinds: [责任书, 通知书]\n"), UNITS, DUTIES, 1);
    assert_says(&err, "zeren.yaml:6:14", "未知的文书种类“通知书”");
}

#[test]
fn duplicate_unit_names_point_at_both() {
    let units = UNITS.replace("name: 预算处", "name: 办公室");
    let err = build_fails(SETTINGS, &units, DUTIES, 1);
    assert_says(&err, "units.yaml:5:5", "单位名称“办公室”重复");
    assert!(err.contains("units.yaml:2:5"), "first place named: {err}");
}

#[test]
fn not_utf8_is_said_plainly() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    copy_dir(&samples(), &ws);
    // "办公室" in GBK, as Notepad on a Chinese Windows might save it.
    std::fs::write(ws.join("data/units.yaml"), b"units:\n  - name: \xb0\xec\xb9\xab\xca\xd2\n").unwrap();
    let o = zeren(&["build", ws.to_str().unwrap(), "-o", tmp.path().join("out").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("units.yaml:2:11: 文件不是 UTF-8 编码"), "{}", stderr(&o));
}

fn with_template(template: &str) -> (tempfile::TempDir, std::process::Output) {
    let (tmp, ws) = sample_copy();
    std::fs::create_dir_all(ws.join("templates")).unwrap();
    std::fs::write(ws.join("templates/responsibility-letter.xml"), template).unwrap();
    let out = tmp.path().join("out");
    let o = zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(files_under(&out).is_empty());
    (tmp, o)
}

#[test]
fn undefined_variable_points_at_the_template_line() {
    let (_t, o) = with_template("<document>\n  <title>责任书</title>\n  <p>{{ unit.nmae }}</p>\n</document>\n");
    let err = stderr(&o);
    assert_says(&err, "templates/responsibility-letter.xml:3:14", "字段 nmae 未定义");
    assert_eq!(err.matches("nmae").count(), 2, "said once (plus the snippet), not once per unit:\n{err}");
}

#[test]
fn unknown_markup_tag_points_at_the_template_line() {
    let (_t, o) = with_template("<document>\n  <title>责任书</title>\n  <para>{{ unit.name }}</para>\n</document>\n");
    assert_says(&stderr(&o), "templates/responsibility-letter.xml:3:3", "未知的标记 <para>");
}

#[test]
fn tera_syntax_error_points_at_the_template_line() {
    let (_t, o) = with_template("<document>\n  {% if unit.name %}\n  <p>x</p>\n</document>\n");
    assert!(stderr(&o).contains("templates/responsibility-letter.xml:"), "{}", stderr(&o));
    assert!(stderr(&o).contains("模板语法错误"), "{}", stderr(&o));
}

#[test]
fn markup_structure_error_after_rendering_names_the_template() {
    let (_t, o) = with_template("<document>\n  <p>{{ unit.name }}\n</document>\n");
    let err = stderr(&o);
    assert_says(&err, "templates/responsibility-letter.xml:2:3", "<p> 没有结束标记");
    assert!(err.contains("渲染结果第"), "the rendered line is shown too: {err}");
}

#[test]
fn loop_over_a_non_list_is_a_template_error() {
    let (_t, o) = with_template("<document>\n<title>x</title>\n{% for d in letter.copies %}<p>{{ d }}</p>{% endfor %}\n</document>\n");
    assert!(stderr(&o).contains("templates/responsibility-letter.xml:3:"), "{}", stderr(&o));
}

#[test]
fn argument_errors_are_chinese_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let o = zeren(&["build", "--kind", "通知"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("未知的文书种类“通知”"), "{}", stderr(&o));
    let o = zeren(&["biuld"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("未知的命令 biuld；可用命令：build、check"), "{}", stderr(&o));
    // Under a command with its own subcommands, those are the ones named.
    let o = zeren(&["roster", "check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("未知的命令 check；zeren roster 可用命令：template"), "{}", stderr(&o));
    let o = zeren(&["build", "--frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("未知的参数 --frobnicate"), "{}", stderr(&o));
    let missing = tmp.path().join("nowhere");
    let o = zeren(&["build", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("工作区文件夹不存在"), "{}", stderr(&o));
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是文件夹"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    // A folder that is not a workspace is a usage error, as the README says, for every command.
    for command in ["build", "check", "serve"] {
        let o = zeren(&[command, empty.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{command}");
        assert!(stderr(&o).contains("不是工作区：找不到设置文件 zeren.yaml"), "{command}: {}", stderr(&o));
    }
    assert!(!Path::new(&tmp.path().join("out")).exists());
}

/// Every command's help is Chinese: none of clap's own English words are left.
#[test]
fn help_is_chinese_throughout() {
    let commands: [&[&str]; 11] = [
        &[],
        &["build"],
        &["check"],
        &["init"],
        &["serve"],
        &["roster"],
        &["roster", "template"],
        &["template"],
        &["template", "vars"],
        &["template", "show"],
        &["template", "import"],
    ];
    for command in commands {
        let o = zeren(&[command, &["--help"]].concat());
        assert!(o.status.success(), "{command:?}");
        let help = stdout(&o);
        assert!(help.contains("用法："), "{command:?}: {help}");
        for english in ["Usage", "Arguments", "Options", "Commands", "OPTIONS", "COMMAND", "[default:", "[possible values:"] {
            assert!(!help.contains(english), "{command:?} --help says “{english}”:\n{help}");
        }
    }
}
