//! `zeren check`: a corpus of broken workspaces, each diagnosed at the expected place in all
//! three formats; the JSON and JUnit outputs parse.

mod common;

use common::*;
use std::path::Path;

struct Case {
    name: &'static str,
    /// Breaks a copy of the samples.
    breaks: fn(&Path),
    /// File (suffix), line, column and code of the expected diagnostic.
    file: &'static str,
    line: fn(&Path) -> u32,
    column: u32,
    code: &'static str,
}

fn template(ws: &Path, text: &str) {
    std::fs::create_dir_all(ws.join("templates")).unwrap();
    std::fs::write(ws.join("templates/responsibility-letter.xml"), text).unwrap();
}

/// 1-based number of the first line of `file` containing `needle`.
fn line_of(file: &Path, needle: &str) -> u32 {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines().position(|l| l.contains(needle)).map(|i| i as u32 + 1).unwrap_or_else(|| panic!("{needle} not in {}", file.display()))
}

const CASES: &[Case] = &[
    Case {
        name: "misspelt variable",
        breaks: |ws| template(ws, "<document>\n  <title>{{ letter.title }}</title>\n  <p>{{ unit.nmae }}</p>\n</document>\n"),
        file: "templates/responsibility-letter.xml",
        line: |_| 3,
        column: 14,
        code: "template.render",
    },
    Case {
        name: "unclosed tag",
        breaks: |ws| template(ws, "<document>\n  <title>x</title>\n  <p>{{ unit.name }}\n</document>\n"),
        file: "templates/responsibility-letter.xml",
        line: |_| 3,
        column: 3,
        code: "markup.structure",
    },
    Case {
        name: "tag that does not exist",
        breaks: |ws| template(ws, "<document>\n  <title>x</title>\n  <para>{{ unit.name }}</para>\n</document>\n"),
        file: "templates/responsibility-letter.xml",
        line: |_| 3,
        column: 3,
        code: "template.unknown-tag",
    },
    Case {
        name: "YAML type error",
        breaks: |ws| {
            let f = ws.join("zeren.yaml");
            let text = std::fs::read_to_string(&f).unwrap().replace("year: 2026", "year: 二〇二六");
            std::fs::write(f, text).unwrap();
        },
        file: "zeren.yaml",
        line: |ws| line_of(&ws.join("zeren.yaml"), "year:"),
        column: 7,
        code: "yaml.wrong-type",
    },
    Case {
        name: "unit with no leader",
        breaks: |ws| {
            let f = ws.join("data/units.yaml");
            let text = std::fs::read_to_string(&f).unwrap().replacen("    leader: { name: 韩启明, title: 主任 }\n", "", 1);
            std::fs::write(f, text).unwrap();
        },
        file: "data/units.yaml",
        line: |ws| line_of(&ws.join("data/units.yaml"), "- name: 办公室"),
        column: 5,
        code: "unit.leader-missing",
    },
    Case {
        // Hanzi before the fault: every format counts its column in characters, not bytes.
        name: "task for a unit not in the list",
        breaks: |ws| {
            let f = ws.join("data/tasks.yaml");
            let text = std::fs::read_to_string(&f).unwrap().replace("[直属单位, 机关第一党支部]", "[直属单位, 机关第九党支部]");
            std::fs::write(f, text).unwrap();
        },
        file: "data/tasks.yaml",
        line: |ws| line_of(&ws.join("data/tasks.yaml"), "机关第九党支部"),
        column: 24,
        code: "task.unknown-unit",
    },
    Case {
        // An escape sequence pasted from a terminal: refused where it stands, never dropped with
        // "[31m" printed into every letter.
        name: "control characters in the organ",
        breaks: |ws| {
            let f = ws.join("zeren.yaml");
            let text = std::fs::read_to_string(&f).unwrap().replace("organ: 中共江州市财政局委员会", "organ: \"中共江州市财政局\\e[31m\"");
            std::fs::write(f, text).unwrap();
        },
        file: "zeren.yaml",
        line: |ws| line_of(&ws.join("zeren.yaml"), "organ:"),
        column: 8,
        code: "name.invalid",
    },
];

fn check(ws: &Path, format: &str) -> std::process::Output {
    zeren(&["check", ws.to_str().unwrap(), "--format", format])
}

#[test]
fn each_broken_workspace_is_diagnosed_at_its_place_in_every_format() {
    for case in CASES {
        let (_tmp, ws) = sample_copy();
        (case.breaks)(&ws);
        let line = (case.line)(&ws);
        let place = format!("{}:{line}:{}", case.file, case.column);

        let text = check(&ws, "text");
        assert_eq!(text.status.code(), Some(1), "{}: exit code", case.name);
        let out = stdout(&text);
        assert!(out.contains(&place) && out.contains(case.code), "{}: text names {place} and {}:\n{out}", case.name, case.code);
        assert!(out.contains("检查未通过"), "{}", case.name);

        let json = check(&ws, "json");
        assert_eq!(json.status.code(), Some(1));
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("{}: JSON parses: {e}", case.name));
        let found = v["problems"].as_array().unwrap().iter().any(|p| {
            p["file"].as_str().is_some_and(|f| f.ends_with(case.file))
                && p["line"] == line
                && p["column"] == case.column
                && p["code"] == case.code
                && p["severity"] == "error"
                && p["message"].as_str().is_some_and(|m| !m.is_empty())
        });
        assert!(found, "{}: JSON has {place} {}:\n{v:#}", case.name, case.code);
        assert!(v["errors"].as_u64().unwrap() >= 1);

        let junit = check(&ws, "junit");
        assert_eq!(junit.status.code(), Some(1));
        let xml = stdout(&junit);
        assert_well_formed("junit", &xml);
        assert!(xml.contains("<failure") && xml.contains(&place) && xml.contains(case.code), "{}: JUnit:\n{xml}", case.name);
        assert!(files_under(&ws).iter().all(|f| !f.starts_with("out")), "check writes nothing");
    }
}

#[test]
fn clean_samples_pass_in_every_format_and_write_nothing() {
    let (_tmp, ws) = sample_copy();
    let before = files_under(&ws);
    let text = check(&ws, "text");
    assert_eq!(text.status.code(), Some(0), "{}", stdout(&text));
    assert!(stdout(&text).contains("检查通过：42 份文书均可生成"), "{}", stdout(&text));
    let v: serde_json::Value = serde_json::from_slice(&check(&ws, "json").stdout).unwrap();
    assert_eq!((v["errors"].as_u64(), v["documents"].as_u64()), (Some(0), Some(42)));
    let junit = check(&ws, "junit");
    assert_eq!(junit.status.code(), Some(0));
    let xml = stdout(&junit);
    assert_well_formed("junit", &xml);
    assert_eq!(xml.matches("<testcase ").count(), 43, "the data, then one case per template × document");
    assert!(xml.contains(r#"name="责任书/05-办公室""#) && !xml.contains("<failure"));
    assert_eq!(files_under(&ws), before, "check writes no file");
}

#[test]
fn every_problem_is_listed_not_only_the_first() {
    let (_tmp, ws) = sample_copy();
    template(&ws, "<document>\n  <title>{{ letter.title }}</title>\n  <p>{{ unit.nmae }}</p>\n  <para>x</para>\n</document>\n");
    let v: serde_json::Value = serde_json::from_slice(&check(&ws, "json").stdout).unwrap();
    let codes: Vec<&str> = v["problems"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["template.unknown-tag", "template.render"], "the tag and the variable, each once");
}

/// A render-time template fault is listed together with a data fault, not only once the data is
/// mended: the workspace's template is rendered with the built-in sample data meanwhile.
#[test]
fn template_faults_are_listed_with_data_faults() {
    let (_tmp, ws) = sample_copy();
    template(&ws, "<document>\n  <title>{{ letter.title }}</title>\n  <p>{{ unit.nmae }}</p>\n</document>\n");
    let units = ws.join("data/units.yaml");
    let text = std::fs::read_to_string(&units).unwrap().replacen("    leader: { name: 韩启明, title: 主任 }\n", "", 1);
    std::fs::write(&units, text).unwrap();
    for command in ["check", "build"] {
        let o = zeren(&[command, ws.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(all.contains("缺少负责人") && all.contains("nmae"), "{command}: both the unit and the template:\n{all}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let o = zeren(&["check", samples().to_str().unwrap(), "--format", "yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format") && stderr(&o).contains("yaml"), "{}", stderr(&o));
}

#[test]
fn template_vars_lists_names_types_and_examples() {
    let o = zeren(&["template", "vars", "责任书", samples().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for (name, ty) in [
        ("unit.name", "文字"),
        ("unit.leader.name", "文字"),
        ("groups[].duties", "列表"),
        ("year", "数字"),
        ("signed_by_supervisor", "真假"),
    ] {
        let line = out.lines().find(|l| l.trim_start().starts_with(&format!("{name} "))).unwrap_or_else(|| panic!("{name} listed:\n{out}"));
        assert!(line.contains(ty), "{name} is {ty}: {line}");
    }
    assert!(out.contains("例：2026"), "{out}");
    // Without a workspace the built-in samples give the examples.
    let tmp = tempfile::tempdir().unwrap();
    let o = zeren(&["template", "vars", "responsibility-letter", tmp.path().to_str().unwrap()]);
    assert!(o.status.success() && stdout(&o).contains("内置示例"), "{}", stderr(&o));
    let o = zeren(&["template", "show", "责任书"]);
    assert!(stdout(&o).starts_with("{#") && stdout(&o).contains("<parties>"));
}
