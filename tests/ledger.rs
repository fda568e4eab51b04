//! The 文号台账 is a record of truth (issue 25): one 文号 belongs to one key; duplicates, keys of
//! the wrong kind, numbers out of range and a ledger at its limit are located errors that `check`
//! reports as `build` does, naming the ledger's line.

mod common;
use common::*;
use std::path::Path;

const LEDGER: &str = "文号台账.yaml";

fn check(ws: &Path) -> (bool, String) {
    let o = zeren(&["check", ws.to_str().unwrap()]);
    (o.status.success(), format!("{}{}", stdout(&o), stderr(&o)))
}

fn edit(ws: &Path, file: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(ws.join(file)).unwrap();
    assert!(text.contains(from), "{file} has no {from}");
    std::fs::write(ws.join(file), text.replacen(from, to, 1)).unwrap();
}

#[test]
fn one_doc_no_under_two_keys_is_refused_at_its_line() {
    let (tmp, ws) = sample_copy();
    // A merge of two copies of the ledger: two decisions would print 江财党〔2026〕13号.
    edit(&ws, LEDGER, "\"2026-WZ-003\": \"江财党〔2026〕14号\"", "\"2026-WZ-003\": \"江财党〔2026〕13号\"");
    let (ok, text) = check(&ws);
    assert!(!ok, "{text}");
    assert!(text.contains("文号台账.yaml:5:") && text.contains("江财党〔2026〕13号") && text.contains("登记了两次"), "{text}");
    assert!(text.contains("2026-WZ-002") && text.contains("2026-WZ-003"), "names both keys:\n{text}");
    // build refuses the same way and writes nothing.
    let out = tmp.path().join("out");
    let o = zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--kind", "问责决定书"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("登记了两次") && !out.join("问责决定书").exists());
}

#[test]
fn a_case_named_like_a_notice_key_is_refused() {
    let (_tmp, ws) = sample_copy();
    edit(&ws, "data/cases.yaml", "id: 2026-WZ-003", "id: 函告书/2026/机关第一党支部");
    let (ok, text) = check(&ws);
    assert!(!ok, "{text}");
    assert!(text.contains("cases.yaml:") && text.contains("不能以“函告书/”开头"), "{text}");
    assert!(!text.contains("江财党函〔2026〕1号"), "the case does not take the 函告书's number:\n{text}");
}

#[test]
fn notice_keys_of_the_wrong_shape_or_year_are_refused() {
    let (_tmp, ws) = sample_copy();
    edit(&ws, LEDGER, "\"函告书/2026/机关第一党支部\"", "\"函告书/机关第一党支部\"");
    edit(&ws, LEDGER, "\"函告书/2026/机关第二党支部\"", "\"函告书/2025/机关第二党支部\"");
    let (ok, text) = check(&ws);
    assert!(!ok, "{text}");
    assert!(text.contains("函告书/年度/收函单位 的形式"), "{text}");
    assert!(text.contains("2025 年度的函告书") && text.contains("江财党函〔2026〕2号"), "{text}");
}

#[test]
fn numbers_out_of_range_are_refused_not_wrapped() {
    let (_tmp, ws) = sample_copy();
    edit(&ws, LEDGER, "江财党〔2026〕14号", "江财党〔2026〕4294967295号");
    let (ok, text) = check(&ws);
    assert!(!ok, "{text}");
    assert!(text.contains("文号台账.yaml:5:") && text.contains("过大"), "{text}");
    assert!(!text.contains("内置模板") && !text.contains("〔2026〕0号"), "{text}");

    // The largest number allowed: the next case has none left, said at the ledger.
    let (_tmp2, ws) = sample_copy();
    edit(&ws, LEDGER, "  \"2026-WZ-003\": \"江财党〔2026〕14号\"\n", "");
    edit(&ws, LEDGER, "江财党〔2026〕13号", "江财党〔2026〕999999号");
    let (ok, text) = check(&ws);
    assert!(!ok, "{text}");
    assert!(text.contains("文号台账.yaml:4:") && text.contains("已用到上限"), "at the line of 999999:\n{text}");
}

#[test]
fn a_ledger_at_its_limit_is_refused_before_it_grows_past_it() {
    let (_tmp, ws) = sample_copy();
    // 100,000 entries (the sample's 8 and 99,992 of another series) and one decision without a number.
    let mut text = std::fs::read_to_string(ws.join(LEDGER)).unwrap().replace("  \"2026-WZ-003\": \"江财党〔2026〕14号\"\n", "");
    for i in 1..=99_992 {
        text.push_str(&format!("  \"旧-{i}\": \"江财旧〔2025〕{i}号\"\n"));
    }
    std::fs::write(ws.join(LEDGER), text).unwrap();
    let (ok, text) = check(&ws);
    assert!(!ok, "{text}");
    assert!(text.contains("文号台账.yaml") && text.contains("超过上限 100000 条"), "{text}");
}

#[test]
fn a_case_given_a_notices_number_names_the_notice() {
    let (_tmp, ws) = sample_copy();
    edit(&ws, "data/cases.yaml", "    doc_no: 江财党〔2026〕12号", "    doc_no: 江财党函〔2026〕1号");
    let (ok, text) = check(&ws);
    assert!(!ok, "{text}");
    assert!(text.contains("已在文号台账中分配给函告书“函告书/2026/机关第一党"), "{text}");
}
