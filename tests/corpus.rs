//! The bad-input corpus: YAML, Excel, templates and arguments. Every case asserts the
//! exit code, a Chinese message naming the file and the place, no panic, and that OUT — which
//! already holds a signed copy — holds no new file and the copy is untouched.

mod common;

use common::*;
use rust_xlsxwriter::{Formula, Workbook};
use std::path::{Path, PathBuf};

/// A valid case: responsibility on line 5, situation 6, methods 7.
const CASES_OK: &str = "cases:
  - id: B1
    subject: { type: 领导干部, name: 张某, gender: 男, born: 1980-01, political: 中共党员, unit: 办公室, post: 副主任 }
    facts: 经查，……
    responsibility: 重要领导责任
    situation: 8
    methods: [通报]
    circular_scope: 在局机关范围内
    plea_result: 放弃
";

/// What a case does to a fresh workspace, and the extra arguments it adds.
type Setup = fn(&Path) -> Vec<String>;

struct Case {
    name: &'static str,
    setup: Setup,
    exit: i32,
    /// Substring of the line that must carry the message: file and place.
    place: &'static str,
    /// Chinese words that line must hold.
    words: &'static str,
}

fn write(ws: &Path, rel: &str, text: &str) {
    let p = ws.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn edit(ws: &Path, rel: &str, from: &str, to: &str) {
    let p = ws.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(p, text.replacen(from, to, 1)).unwrap();
}

fn none() -> Vec<String> {
    Vec::new()
}

/// A roster workbook written by rust_xlsxwriter: header row, then rows.
fn roster(ws: &Path, rows: &[&[&str]]) -> Vec<String> {
    let path = ws.join("名单.xlsx");
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("名单").unwrap();
    for (c, h) in ["单位名称", "类别", "负责人", "职务"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save(&path).unwrap();
    vec!["--roster".into(), path.to_string_lossy().into_owned()]
}

fn raw_roster(ws: &Path, name: &str, bytes: &[u8]) -> Vec<String> {
    let path = ws.join(name);
    std::fs::write(&path, bytes).unwrap();
    vec!["--roster".into(), path.to_string_lossy().into_owned()]
}

fn template(ws: &Path, text: &str) -> Vec<String> {
    write(ws, "templates/responsibility-letter.xml", text);
    none()
}

const CASES: &[Case] = &[
    // ── YAML: syntax ──
    Case {
        name: "tab indentation",
        setup: |ws| {
            edit(ws, "data/units.yaml", "    type: 处室\n    leader: { name: 王主任", "    type: 处室\n\tleader: { name: 王主任");
            none()
        },
        exit: 1,
        place: "units.yaml:3:",
        words: "YAML 语法错误",
    },
    Case {
        name: "unclosed flow mapping",
        setup: |ws| {
            edit(ws, "data/units.yaml", "title: 主任 }", "title: 主任");
            none()
        },
        exit: 1,
        place: "units.yaml:",
        words: "YAML",
    },
    Case {
        name: "unclosed quote",
        setup: |ws| {
            edit(ws, "zeren.yaml", "organ: 中共某某局委员会", "organ: \"中共某某局委员会");
            none()
        },
        exit: 1,
        place: "zeren.yaml:",
        words: "YAML",
    },
    Case {
        name: "stray colon",
        setup: |ws| {
            edit(ws, "zeren.yaml", "code: 某党", "code: 某党\n  x: : y");
            none()
        },
        exit: 1,
        place: "zeren.yaml:",
        words: "YAML 语法错误",
    },
    Case {
        name: "two documents in one file",
        setup: |ws| {
            edit(ws, "data/duties.yaml", "groups:", "---\ngroups: []\n---\ngroups:");
            none()
        },
        exit: 1,
        place: "duties.yaml",
        words: "只能有一个 YAML 文档",
    },
    // ── YAML: types ──
    Case {
        name: "year in Chinese numerals",
        setup: |ws| {
            edit(ws, "zeren.yaml", "year: 2026", "year: 二〇二六");
            none()
        },
        exit: 1,
        place: "zeren.yaml:3:7",
        words: "“二〇二六”不是整数",
    },
    Case {
        name: "list where text belongs",
        setup: |ws| {
            edit(ws, "zeren.yaml", "organ: 中共某某局委员会", "organ: [甲, 乙]");
            none()
        },
        exit: 1,
        place: "zeren.yaml:1:8",
        words: "应为文字",
    },
    Case {
        name: "text where a list belongs",
        setup: |ws| {
            edit(ws, "data/duties.yaml", "duties: [一条责任。]", "duties: 一条责任。");
            none()
        },
        exit: 1,
        place: "duties.yaml:4:13",
        words: "应为列表",
    },
    Case {
        name: "mapping where a list belongs",
        setup: |ws| {
            edit(ws, "data/units.yaml", "units:\n", "units:\n  a: b\nx:\n");
            none()
        },
        exit: 1,
        place: "units.yaml:",
        words: "应为",
    },
    Case {
        name: "negative copies",
        setup: |ws| {
            write(ws, "zeren.yaml", &format!("{SETTINGS}letter: {{ copies: -2 }}\n"));
            none()
        },
        exit: 1,
        place: "zeren.yaml:6:",
        words: "不是非负整数",
    },
    // ── YAML: unknown and duplicate keys ──
    Case {
        name: "unknown field in a unit",
        setup: |ws| {
            edit(
                ws,
                "data/units.yaml",
                "    type: 处室\n    leader: { name: 李处长",
                "    colour: red\n    type: 处室\n    leader: { name: 李处长",
            );
            none()
        },
        exit: 1,
        place: "units.yaml:6:5",
        words: "未知字段“colour”",
    },
    Case {
        name: "unknown field in settings",
        setup: |ws| {
            write(ws, "zeren.yaml", &format!("{SETTINGS}signatroy: x\n"));
            none()
        },
        exit: 1,
        place: "zeren.yaml:6:1",
        words: "未知字段“signatroy”",
    },
    Case {
        name: "duplicate key",
        setup: |ws| {
            edit(ws, "data/units.yaml", "  - name: 预算处\n", "  - name: 预算处\n    name: 国库处\n");
            none()
        },
        exit: 1,
        place: "units.yaml:6:5",
        words: "重复的键“name”",
    },
    Case {
        name: "duplicate key in settings",
        setup: |ws| {
            write(ws, "zeren.yaml", &format!("{SETTINGS}year: 2027\n"));
            none()
        },
        exit: 1,
        place: "zeren.yaml:6:1",
        words: "重复的键“year”",
    },
    // ── YAML: missing fields ──
    Case {
        name: "unit without a leader",
        setup: |ws| {
            edit(ws, "data/units.yaml", "    leader: { name: 李处长, title: 处长 }\n", "");
            none()
        },
        exit: 1,
        place: "units.yaml:5:5",
        words: "单位“预算处”缺少负责人(leader)",
    },
    Case {
        name: "leader without a title",
        setup: |ws| {
            edit(ws, "data/units.yaml", "{ name: 李处长, title: 处长 }", "{ name: 李处长 }");
            none()
        },
        exit: 1,
        place: "units.yaml:7:13",
        words: "职务(title)",
    },
    Case {
        name: "settings without organ",
        setup: |ws| {
            edit(ws, "zeren.yaml", "organ: 中共某某局委员会\n", "");
            none()
        },
        exit: 1,
        place: "zeren.yaml",
        words: "缺少发文机关全称(organ)",
    },
    Case {
        name: "settings without date",
        setup: |ws| {
            edit(ws, "zeren.yaml", "date: 2026-01-05\n", "");
            none()
        },
        exit: 1,
        place: "zeren.yaml",
        words: "缺少成文日期(date)",
    },
    Case {
        name: "blank unit name",
        setup: |ws| {
            edit(ws, "data/units.yaml", "name: 预算处", "name: \"  \"");
            none()
        },
        exit: 1,
        place: "units.yaml:5:11",
        words: "单位名称(name)为空",
    },
    Case {
        name: "case without facts",
        setup: |ws| {
            write(ws, "data/cases.yaml", &CASES_OK.replace("    facts: 经查，……\n", ""));
            none()
        },
        exit: 1,
        place: "cases.yaml:2:5",
        words: "缺少案件“B1”的事实(facts)",
    },
    // ── YAML: wrong enums and rules ──
    Case {
        name: "unknown unit type",
        setup: |ws| {
            edit(ws, "data/units.yaml", "type: 处室\n    leader: { name: 李处长", "type: 科室\n    leader: { name: 李处长");
            none()
        },
        exit: 1,
        place: "units.yaml:6:11",
        words: "类别(type)“科室”无效",
    },
    Case {
        name: "unknown signing",
        setup: |ws| {
            write(ws, "zeren.yaml", &format!("{SETTINGS}signing: 随便\n"));
            none()
        },
        exit: 1,
        place: "zeren.yaml:6:10",
        words: "签字方式(signing)“随便”无效",
    },
    Case {
        name: "unknown kind in settings",
        setup: |ws| {
            write(ws, "zeren.yaml", &format!("{SETTINGS}kinds: [通知书]\n"));
            none()
        },
        exit: 1,
        place: "zeren.yaml:6:9",
        words: "未知的文书种类“通知书”",
    },
    Case {
        name: "cadre given 改组",
        setup: |ws| {
            write(ws, "data/cases.yaml", &CASES_OK.replace("[通报]", "[改组]"));
            none()
        },
        exit: 1,
        place: "cases.yaml:7:15",
        words: "对领导干部不能采用“改组”",
    },
    Case {
        name: "organisation given 诫勉",
        setup: |ws| {
            write(
                ws,
                "data/cases.yaml",
                "cases:\n  - id: A1\n    subject: { type: 党组织, name: 某支部 }\n    facts: 经查。\n    methods: [诫勉]\n",
            );
            none()
        },
        exit: 1,
        place: "cases.yaml:5:15",
        words: "对党组织不能采用“诫勉”",
    },
    Case {
        name: "malformed 文号",
        setup: |ws| {
            write(ws, "data/cases.yaml", &CASES_OK.replace("    facts:", "    doc_no: 某党[2026]3号\n    facts:"));
            none()
        },
        exit: 1,
        place: "cases.yaml:4:13",
        words: "六角括号",
    },
    Case {
        name: "no Art. 7 item 15",
        setup: |ws| {
            write(ws, "data/cases.yaml", &CASES_OK.replace("situation: 8", "situation: 第十五项"));
            none()
        },
        exit: 1,
        place: "cases.yaml:6:16",
        words: "第七条只有十一项，没有第十五项",
    },
    Case {
        name: "通报 without its range",
        setup: |ws| {
            write(ws, "data/cases.yaml", &CASES_OK.replace("    circular_scope: 在局机关范围内\n", ""));
            none()
        },
        exit: 1,
        place: "cases.yaml:7:15",
        words: "通报应写明通报范围",
    },
    Case {
        name: "case without 陈述申辩",
        setup: |ws| {
            write(ws, "data/cases.yaml", &CASES_OK.replace("    plea_result: 放弃\n", ""));
            none()
        },
        exit: 1,
        place: "cases.yaml:2:5",
        words: "缺少陈述申辩(plea)",
    },
    Case {
        name: "case unit not in the list",
        setup: |ws| {
            write(ws, "data/cases.yaml", &CASES_OK.replace("unit: 办公室", "unit: 财务处"));
            none()
        },
        exit: 1,
        place: "cases.yaml:3:87",
        words: "单位“财务处”不在单位名单中",
    },
    Case {
        name: "unknown responsibility grade",
        setup: |ws| {
            write(ws, "data/cases.yaml", &CASES_OK.replace("重要领导责任", "次要责任"));
            none()
        },
        exit: 1,
        place: "cases.yaml:5:21",
        words: "责任类型“次要责任”无效",
    },
    // ── YAML: impossible dates ──
    Case {
        name: "30 February",
        setup: |ws| {
            edit(ws, "zeren.yaml", "date: 2026-01-05", "date: 2026-02-30");
            none()
        },
        exit: 1,
        place: "zeren.yaml:4:7",
        words: "日期不存在",
    },
    Case {
        name: "date in Chinese numerals",
        setup: |ws| {
            edit(ws, "zeren.yaml", "date: 2026-01-05", "date: 二〇二六年一月五日");
            none()
        },
        exit: 1,
        place: "zeren.yaml:4:7",
        words: "日期格式",
    },
    Case {
        name: "two-digit year",
        setup: |ws| {
            edit(ws, "zeren.yaml", "date: 2026-01-05", "date: 26-1-5");
            none()
        },
        exit: 1,
        place: "zeren.yaml:4:7",
        words: "四位",
    },
    Case {
        name: "task deadline 2026-13-01",
        setup: |ws| {
            write(ws, "data/tasks.yaml", "tasks:\n  - { task: 学习, requirement: 每季度, deadline: 2026-13-01, lead: 办公室 }\n");
            none()
        },
        exit: 1,
        place: "tasks.yaml:2:45",
        words: "日期不存在",
    },
    // ── Excel ──
    Case {
        name: "empty 负责人 cell",
        setup: |ws| roster(ws, &[&["预算处", "处室", "唐某", "处长"], &["国库处", "处室", "", "处长"]]),
        exit: 1,
        place: "名单.xlsx [名单] C3",
        words: "负责人为空",
    },
    Case {
        name: "unknown 类别 cell",
        setup: |ws| roster(ws, &[&["预算处", "科室", "唐某", "处长"]]),
        exit: 1,
        place: "名单.xlsx [名单] B2",
        words: "科室",
    },
    Case {
        name: "duplicate unit rows",
        setup: |ws| roster(ws, &[&["预算处", "处室", "唐某", "处长"], &["预算处", "处室", "李某", "处长"]]),
        exit: 1,
        place: "名单.xlsx [名单] A3",
        words: "A2",
    },
    Case {
        name: "CSV renamed .xlsx",
        setup: |ws| raw_roster(ws, "名单.xlsx", "单位名称,类别,负责人,职务\n预算处,处室,唐某,处长\n".as_bytes()),
        exit: 1,
        place: "名单.xlsx",
        words: "CSV",
    },
    Case {
        name: "truncated xlsx",
        setup: |ws| {
            let mut b = Vec::new();
            roster(ws, &[&["预算处", "处室", "唐某", "处长"]]);
            let full = std::fs::read(ws.join("名单.xlsx")).unwrap();
            b.extend_from_slice(&full[..full.len() / 2]);
            raw_roster(ws, "名单.xlsx", &b)
        },
        exit: 1,
        place: "名单.xlsx",
        words: "损坏",
    },
    Case {
        name: "password-protected workbook",
        setup: |ws| {
            let b = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/roster/encrypted.xls")).unwrap();
            raw_roster(ws, "名单.xls", &b)
        },
        exit: 1,
        place: "名单.xls",
        words: "密码",
    },
    Case {
        name: "empty workbook",
        setup: |ws| {
            let path = ws.join("名单.xlsx");
            let mut wb = Workbook::new();
            wb.add_worksheet();
            wb.save(&path).unwrap();
            vec!["--roster".into(), path.to_string_lossy().into_owned()]
        },
        exit: 1,
        place: "名单.xlsx",
        words: "空",
    },
    Case {
        name: "a 50,000-column row",
        setup: |ws| {
            let path = ws.join("名单.xlsx");
            let mut wb = Workbook::new();
            let s = wb.add_worksheet();
            for (c, h) in ["单位名称", "类别", "负责人", "职务"].iter().enumerate() {
                s.write_string(0, c as u16, *h).unwrap();
            }
            s.write_string(1, 0, "预算处").unwrap();
            s.write_string(1, 16_383, "x").unwrap();
            s.write_string(2, 49_999 % 16_384, "y").unwrap();
            wb.save(&path).unwrap();
            vec!["--roster".into(), path.to_string_lossy().into_owned()]
        },
        exit: 1,
        place: "名单.xlsx [Sheet1]",
        words: "列",
    },
    Case {
        name: "#REF! formula error cell",
        setup: |ws| {
            let path = ws.join("名单.xlsx");
            let mut wb = Workbook::new();
            let s = wb.add_worksheet();
            for (c, h) in ["单位名称", "类别", "负责人", "职务"].iter().enumerate() {
                s.write_string(0, c as u16, *h).unwrap();
            }
            s.write_string(1, 0, "预算处").unwrap();
            s.write_string(1, 1, "处室").unwrap();
            s.write_formula(1, 2, Formula::new("=#REF!").set_result("#REF!")).unwrap();
            s.write_string(1, 3, "处长").unwrap();
            wb.save(&path).unwrap();
            vec!["--roster".into(), path.to_string_lossy().into_owned()]
        },
        exit: 1,
        place: "名单.xlsx [Sheet1] C2",
        words: "#REF!",
    },
    Case {
        name: "roster file missing",
        setup: |ws| vec!["--roster".into(), ws.join("没有这个名单.xlsx").to_string_lossy().into_owned()],
        exit: 1,
        place: "没有这个名单.xlsx",
        words: "找不到",
    },
    // ── Templates ──
    Case {
        name: "template syntax error",
        setup: |ws| template(ws, "<document>\n  {% if unit.name %}\n  <p>x</p>\n</document>\n"),
        exit: 1,
        place: "templates/responsibility-letter.xml:",
        words: "模板语法错误",
    },
    Case {
        name: "undefined variable",
        setup: |ws| template(ws, "<document>\n<title>x</title>\n<p>{{ unit.nmae }}</p>\n</document>\n"),
        exit: 1,
        place: "templates/responsibility-letter.xml:3:",
        words: "未定义",
    },
    Case {
        name: "unknown markup tag",
        setup: |ws| template(ws, "<document>\n<title>x</title>\n  <para>x</para>\n</document>\n"),
        exit: 1,
        place: "templates/responsibility-letter.xml:3:3",
        words: "未知的标记 <para>",
    },
    Case {
        name: "loop over a non-list",
        setup: |ws| template(ws, "<document>\n<title>x</title>\n{% for d in year %}<p>{{ d }}</p>{% endfor %}\n</document>\n"),
        exit: 1,
        place: "templates/responsibility-letter.xml:3:",
        words: "不能对非列表的值",
    },
    Case {
        name: "unclosed markup tag",
        setup: |ws| template(ws, "<document>\n<title>x</title>\n  <p>{{ unit.name }}\n</document>\n"),
        exit: 1,
        place: "templates/responsibility-letter.xml:3:3",
        words: "<p> 没有结束标记",
    },
    Case {
        name: "unknown filter",
        setup: |ws| template(ws, "<document>\n<title>{{ unit.name | shout }}</title>\n</document>\n"),
        exit: 1,
        place: "templates/responsibility-letter.xml:2:",
        words: "未知的过滤器 shout",
    },
    Case {
        name: "letter without its signing block",
        setup: |ws| template(ws, "<document><title>{{ unit.name }}</title><p>x</p></document>"),
        exit: 1,
        place: "templates/responsibility-letter.xml",
        words: "缺少甲乙双方签署栏",
    },
    Case {
        name: "bad attribute value",
        setup: |ws| template(ws, "<document>\n<title>x</title>\n<p align=\"middle\">x</p>\n</document>\n"),
        exit: 1,
        place: "templates/responsibility-letter.xml",
        words: "align=\"middle\" 无效",
    },
    Case {
        name: "runaway template loop",
        setup: |ws| {
            template(
                ws,
                "<document><title>x</title>{% for i in range(end=99999) %}{% for j in range(end=99999) %}<p>很长的一段文字</p>{% endfor %}{% endfor %}</document>",
            )
        },
        exit: 1,
        place: "templates/responsibility-letter.xml",
        words: "超过 4 MB 上限",
    },
    // ── Arguments ──
    Case {
        name: "unknown kind argument",
        setup: |_| vec!["--kind".into(), "通知".into()],
        exit: 2,
        place: "--kind",
        words: "未知的文书种类“通知”",
    },
    Case {
        name: "unknown type argument",
        setup: |_| vec!["--type".into(), "科室".into()],
        exit: 2,
        place: "--type",
        words: "未知的单位类别“科室”",
    },
    Case {
        name: "unknown unit argument",
        setup: |_| vec!["--unit".into(), "不存在的处".into()],
        exit: 1,
        place: "名单中没有单位",
        words: "不存在的处",
    },
    Case { name: "unknown flag", setup: |_| vec!["--frobnicate".into()], exit: 2, place: "--frobnicate", words: "未知的参数" },
];

/// Runs one case: a fresh mini workspace, an OUT holding a signed copy, the build.
fn run_case(case: &Case) {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws, "zeren.yaml", SETTINGS);
    write(&ws, "data/units.yaml", UNITS);
    write(&ws, "data/duties.yaml", DUTIES);
    let extra = (case.setup)(&ws);
    let out = tmp.path().join("out");
    let signed = out.join("责任书/已签字-办公室.docx");
    std::fs::create_dir_all(signed.parent().unwrap()).unwrap();
    std::fs::write(&signed, b"signed").unwrap();
    let mut args: Vec<String> = vec!["build".into(), ws.to_string_lossy().into_owned(), "-o".into(), out.to_string_lossy().into_owned()];
    args.extend(extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = zeren(&args);
    let err = stderr(&o);
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{}: panic\n{err}", case.name);
    assert_eq!(o.status.code(), Some(case.exit), "{}: exit code\n{err}", case.name);
    let line =
        err.lines().find(|l| l.contains(case.place)).unwrap_or_else(|| panic!("{}: no message naming {}:\n{err}", case.name, case.place));
    assert!(line.contains(case.words), "{}: the message at {} should say {}:\n{err}", case.name, case.place, case.words);
    assert!(err.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}: Chinese", case.name);
    let left: Vec<PathBuf> = files_under(&out);
    assert_eq!(left, [PathBuf::from("责任书/已签字-办公室.docx")], "{}: OUT gained a file", case.name);
    assert_eq!(std::fs::read(&signed).unwrap(), b"signed", "{}: the signed copy was touched", case.name);
}

#[test]
fn every_bad_input_is_refused_with_a_located_chinese_message() {
    assert!(CASES.len() >= 40, "the corpus has {} cases", CASES.len());
    let mut failures = Vec::new();
    for case in CASES {
        if let Err(e) = std::panic::catch_unwind(|| run_case(case)) {
            let msg = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
            failures.push(msg);
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), CASES.len(), failures.join("\n\n"));
}

#[test]
fn argument_cases_outside_a_workspace() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("没有这个工作区");
    let o = zeren(&["build", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("没有这个工作区: 工作区文件夹不存在"), "{}", stderr(&o));
    let file = tmp.path().join("out-is-a-file");
    std::fs::write(&file, "x").unwrap();
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("out-is-a-file: 输出位置已存在且不是文件夹"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

/// A malformed workbook found by `cargo fuzz run roster` is refused at its file, without a panic
/// and without the memory calamine would have asked for.
fn refused_workbook(fixture: &str, words: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws, "zeren.yaml", SETTINGS);
    write(&ws, "data/duties.yaml", DUTIES);
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/roster").join(fixture)).unwrap();
    let args = raw_roster(&ws, "名单.xls", &bytes);
    let out = tmp.path().join("out");
    let o = zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), &args[0], &args[1]]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{fixture}: {err}");
    assert!(!err.contains("panicked"), "{fixture}: {err}");
    assert!(err.contains("名单.xls: ") && err.contains(words), "{fixture}: {err}");
    assert!(!out.exists());
}

#[test]
fn workbooks_that_broke_calamine_are_located_messages() {
    // An assertion inside calamine's .xls reader.
    refused_workbook("fuzz-crash-cfb.xls", "文件已损坏");
    // A sector chain that loops: calamine followed it until it asked for 24 GB.
    refused_workbook("fuzz-oom-cfb.xls", "文件已损坏");
    // A cell at row 53,150, column 39,970: calamine asked for 68 GB to lay the sheet out.
    refused_workbook("fuzz-huge-xls.xls", "工作表过大");
    // A DIMENSIONS record whose last row comes before its first: calamine's u32 arithmetic
    // wraps and it reserves ~1.9 TB (a release build aborted).
    refused_workbook("fuzz-dimensions-xls.xls", "范围过大");
}

#[test]
fn an_unreadable_unit_list_is_the_only_problem_named() {
    // The samples' tasks, reports and results name units; with no unit list read, saying each
    // is "not in the list" would bury the one real problem.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = root.join("tests/fixtures/roster/fuzz-dimensions-xls.xls");
    let o = zeren(&["build", root.join("samples").to_str().unwrap(), "--roster", fixture.to_str().unwrap(), "--dry-run"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("fuzz-dimensions-xls.xls: ") && err.contains("范围过大"), "{err}");
    assert!(!err.contains("不在名单中") && !err.contains("名单中的单位"), "{err}");
    assert!(err.contains("共 1 处错误"), "{err}");
    // The same for a units.yaml that does not parse.
    let (_tmp, ws) = common::sample_copy();
    std::fs::write(ws.join("data/units.yaml"), "units:\n  - name: [\n").unwrap();
    let o = zeren(&["build", ws.to_str().unwrap(), "--dry-run"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("units.yaml:2:11") && err.contains("共 1 处错误"), "{err}");
}
