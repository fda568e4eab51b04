//! Templates that run or grow without end, and documents too large to lay out, end with exit 1,
//! a Chinese message naming the template's place (or whose document it is), and nothing
//! written. The bounds are counts (steps, bytes built, tags), so where a run stops does not
//! depend on the machine. Each run is held to 1 GiB of address space: before the bounds, a
//! doubling string asked for 2 GB and aborted, so a regression shows here as a crash, and a
//! run that never ends is killed by a generous watchdog and fails.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const LETTER: &str = "templates/responsibility-letter.xml";

/// The address space one run may use, in KiB (`ulimit -v`).
const ADDRESS_SPACE_KIB: u64 = 1 << 20;

/// Far longer than any case takes (about a second); only a run that does not end reaches it.
const WATCHDOG: Duration = Duration::from_secs(180);

/// A mini workspace with `template` as the letter template, and OUT holding a signed copy.
fn workspace(tmp: &Path, template: &str, units: &str) -> (PathBuf, PathBuf) {
    let ws = tmp.join("ws");
    for (rel, text) in [("zeren.yaml", SETTINGS), ("data/units.yaml", units), ("data/duties.yaml", DUTIES), (LETTER, template)] {
        let path = ws.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = tmp.join("out");
    std::fs::create_dir_all(out.join("责任书")).unwrap();
    std::fs::write(out.join("责任书/已签字-办公室.docx"), b"signed").unwrap();
    (ws, out)
}

/// Runs `zeren build WS -o OUT --kind 责任书` under the address-space bound and the watchdog:
/// (exit code, stderr).
fn build_bounded(ws: &Path, out: &Path) -> (Option<i32>, String) {
    let script = format!("ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\"");
    let child = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_zeren"), "build"])
        .args([ws.as_os_str(), "-o".as_ref(), out.as_os_str(), "--kind".as_ref(), "责任书".as_ref()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run zeren under sh");
    let output = output_within(child, WATCHDOG);
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// Builds with `template` (and `units`): exit 1, a line naming `place` that holds every one of
/// `words`, and OUT as it was.
fn refused(case: &str, template: &str, units: &str, place: &str, words: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, out) = workspace(tmp.path(), template, units);
    let (code, err) = build_bounded(&ws, &out);
    assert!(!err.contains("panicked") && !err.contains("memory allocation"), "{case}: crashed\n{err}");
    assert_eq!(code, Some(1), "{case}: exit code\n{err}");
    // Documents are rendered in parallel, so their messages may come in any order.
    let said = |l: &&str| l.contains(place) && words.iter().all(|w| l.contains(w));
    assert!(err.lines().any(|l| said(&l)), "{case}: no message naming {place} that says {words:?}:\n{err}");
    assert_eq!(files_under(&out), [PathBuf::from("责任书/已签字-办公室.docx")], "{case}: OUT gained a file\n{err}");
    assert_eq!(std::fs::read(out.join("责任书/已签字-办公室.docx")).unwrap(), b"signed", "{case}: the signed copy was touched");
}

#[test]
fn a_nested_loop_that_prints_nothing_stops_at_the_inner_loop() {
    refused(
        "nested loop",
        "<document><title>x</title>\n{% for i in range(end=100000) %}\n  {% for j in range(end=100000) %}{% endfor %}{% endfor %}\n</document>",
        UNITS,
        &format!("{LETTER}:3:15"),
        &["已中止", "循环"],
    );
}

#[test]
fn loops_over_small_lists_nested_four_deep_run_out_of_steps() {
    // 100⁴ iterations that build nothing: only the step count can stop them.
    let template = "<document><title>x</title>\n{% set l = range(end=100) %}{% for a in l %}{% for b in l %}\n{% for c in l %}{% for d in l %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}</document>";
    refused("four loops", template, UNITS, &format!("{LETTER}:3:29"), &["1000 万步", "已中止"]);
}

#[test]
fn a_string_doubled_in_a_variable_stops_before_it_is_built() {
    let template =
        "<document><title>x</title>\n{% set s = \"x\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}\n</document>";
    refused("doubling string", template, UNITS, &format!("{LETTER}:2:64"), &["32 MB", "已中止"]);
}

#[test]
fn text_doubled_by_a_capture_stops() {
    let template = "<document><title>x</title>\n{% set s = \"x\" %}{% for i in range(end=40) %}{% set_global s %}{{ s }}{{ s }}{% endset %}{% endfor %}</document>";
    refused("doubling capture", template, UNITS, &format!("{LETTER}:2:"), &["32 MB", "已中止"]);
}

#[test]
fn a_list_holding_itself_twice_stops_though_its_halves_are_shared() {
    let template = "<document><title>x</title>\n{% set l = [1] %}{% for i in range(end=60) %}{% set_global l = [l, l] %}{% endfor %}{{ l }}</document>";
    refused("self-doubling list", template, UNITS, &format!("{LETTER}:2:64"), &["32 MB"]);
}

#[test]
fn a_component_calling_itself_three_times_runs_out_of_steps() {
    // Tera 2's macros are components; recursion is capped at 20 levels, but 3^19 calls is not.
    let template = "<document><title>x</title>\n{% component fan(n: integer) %}{% if n > 0 %}{{ <fan n={n - 1} /> }}{{ <fan n={n - 1} /> }}{{ <fan n={n - 1} /> }}{% endif %}{% endcomponent fan %}{{ <fan n={19} /> }}</document>";
    refused("component fan-out", template, UNITS, &format!("{LETTER}:2:"), &["组件反复调用自身", "已中止"]);
}

#[test]
fn a_component_calling_itself_forever_is_refused() {
    let template = "<document><title>x</title>\n{% component me(n: integer) %}{{ <me n={n + 1} /> }}{% endcomponent me %}{{ <me n={1} /> }}</document>";
    refused("component recursion", template, UNITS, LETTER, &["组件调用自身的层数超过上限"]);
}

#[test]
fn a_template_file_too_large_to_be_one_is_refused_unread() {
    let template = format!("<document><title>x</title>{}</document>", "<p>很长的模板</p>".repeat(60_000));
    refused("huge template", &template, UNITS, LETTER, &["模板文件超过 1 MB"]);
}

#[test]
fn too_many_paragraphs_name_whose_document_and_the_template() {
    let template = "<document><title>x</title>{% for i in range(end=10000) %}<p>{{ i }}</p>{% endfor %}</document>";
    refused("paragraphs", template, UNITS, LETTER, &["为“办公室”生成的责任书", "段落超过单份文书 5000 个的上限"]);
}

#[test]
fn blank_lines_count_as_paragraphs() {
    let template = "<document><title>x</title>{% for i in range(end=1000) %}<blank lines=\"22\"/>{% endfor %}</document>";
    refused("blank lines", template, UNITS, LETTER, &["段落超过单份文书 5000 个的上限"]);
}

#[test]
fn too_many_table_rows_or_cells_are_refused() {
    let rows = "<document><title>x</title><table>{% for i in range(end=3000) %}<tr><td>{{ i }}</td></tr>{% endfor %}</table></document>";
    refused("rows", rows, UNITS, LETTER, &["为“办公室”生成的责任书", "表格行超过单份文书 2000 个的上限"]);
    let cells = "<document><title>x</title><table>{% for i in range(end=1000) %}<tr>{% for j in range(end=11) %}<td>{{ j }}</td>{% endfor %}</tr>{% endfor %}</table></document>";
    refused("cells", cells, UNITS, LETTER, &["表格单元格超过单份文书 10000 个的上限"]);
}

#[test]
fn line_breaks_from_data_are_counted_per_document() {
    // 60 duties of 100 lines each: no one value is extreme, the document is.
    let duty = format!("\"{}\"", vec!["一行责任"; 100].join("\\n"));
    let duties = vec![duty; 60].join(", ");
    let units = format!("units:\n  - name: 办公室\n    type: 处室\n    leader: {{ name: 王主任, title: 主任 }}\n    duties: [{duties}]\n");
    let template = "<document><title>x</title>{% for d in unit.duties %}<p>{{ d }}</p>{% endfor %}</document>";
    refused("data breaks", template, &units, LETTER, &["为“办公室”生成的责任书", "换行", "5000 个的上限"]);
}

#[test]
fn documents_within_the_bounds_are_built() {
    // 2,000 paragraphs and a 1,000-row table: far beyond a real 责任书, well within the bounds.
    let template = "<document><title>x</title>{% for i in range(end=2000) %}<p>第{{ i }}段</p>{% endfor %}\
        <table>{% for i in range(end=1000) %}<tr><td>{{ i }}</td><td>{{ unit.name }}</td></tr>{% endfor %}</table>\
        <parties><party label=\"甲方\"><organ>{{ organ }}</organ></party><party label=\"乙方\"><organ>{{ unit.name }}</organ></party></parties></document>";
    let tmp = tempfile::tempdir().unwrap();
    let (ws, out) = workspace(tmp.path(), template, UNITS);
    let (code, err) = build_bounded(&ws, &out);
    assert_eq!(code, Some(0), "{err}");
    let paras = Docx::open(&out.join("责任书/1-办公室.docx")).paragraphs();
    assert!(paras.iter().any(|p| p.text == "第1999段"), "the last paragraph is there");
    assert!(paras.iter().any(|p| p.text == "999"), "the last row is there");
}
