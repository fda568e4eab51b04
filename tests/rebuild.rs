//! Rebuilding into the same OUT: zeren's own unchanged files are replaced or removed without
//! `--force`; a file the user changed or added is never touched without it, and is named.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A workspace of 处室 with these names, in this order.
fn workspace(dir: &Path, units: &[&str]) {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(dir.join("zeren.yaml"), SETTINGS).unwrap();
    std::fs::write(dir.join("data/duties.yaml"), DUTIES).unwrap();
    let mut yaml = String::from("units:\n");
    for (i, name) in units.iter().enumerate() {
        yaml.push_str(&format!("  - {{ name: {name}, type: 处室, leader: {{ name: 负责人{i}, title: 处长 }} }}\n"));
    }
    std::fs::write(dir.join("data/units.yaml"), yaml).unwrap();
}

const FIVE: [&str; 5] = ["办公室", "预算处", "国库处", "法规科", "人事处"];

fn build(ws: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    zeren(&args)
}

/// Every file in OUT, zeren's own record included, with its bytes.
fn everything(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    files_under(out).into_iter().map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap())).collect()
}

fn paths(list: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = list.iter().map(PathBuf::from).collect();
    v.sort();
    v
}

/// The `file` column of manifest.csv.
fn manifest_files(out: &Path) -> Vec<PathBuf> {
    let csv = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
    paths(&csv.lines().skip(1).map(|l| l.split(',').nth(4).unwrap()).collect::<Vec<_>>())
}

/// The paths `.zeren/record` lists.
fn recorded(out: &Path) -> Vec<PathBuf> {
    let record = std::fs::read_to_string(out.join(zeren::write::RECORD)).unwrap();
    paths(&record.lines().filter(|l| !l.starts_with('#')).map(|l| l.split('\t').nth(2).unwrap()).collect::<Vec<_>>())
}

/// The walk of a real rebuild: build; the user edits a letter, drops a signed scan and a note
/// into OUT; a unit leaves the data and another joins; rebuild without `--force`. The edited
/// letter is one the new run no longer produces (the units after 预算处 move up a number), so
/// it is kept and named; the previous run's other files are replaced or removed.
#[test]
fn a_rebuild_replaces_its_own_files_removes_the_stale_and_keeps_the_users() {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, out) = (tmp.path().join("ws"), tmp.path().join("out"));
    workspace(&ws, &FIVE);
    let o = build(&ws, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let edited = out.join("责任书/2-预算处.docx");
    let mut bytes = std::fs::read(&edited).unwrap();
    bytes.extend_from_slice(b"edited by the user");
    std::fs::write(&edited, &bytes).unwrap();
    std::fs::write(out.join("责任书/03-预算处-签字.pdf"), b"%PDF signed").unwrap();
    std::fs::write(out.join("备注.txt"), "用户的备注").unwrap();
    let first_letter = std::fs::read(out.join("责任书/1-办公室.docx")).unwrap();

    workspace(&ws, &["办公室", "国库处", "法规科", "人事处", "审计处"]);
    let o = build(&ws, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(
        said.contains("保留了 3 个您修改或添加的文件：备注.txt、责任书/03-预算处-签字.pdf、责任书/2-预算处.docx"),
        "the summary names every file of the user's: {said}"
    );
    assert!(said.contains("删除了上次生成、本次不再生成的 3 个文件"), "{said}");

    let letters = ["责任书/1-办公室.docx", "责任书/2-国库处.docx", "责任书/3-法规科.docx", "责任书/4-人事处.docx", "责任书/5-审计处.docx"];
    let mut expected: Vec<&str> = letters.to_vec();
    expected.extend(["manifest.csv", "清单.xlsx", "责任书/2-预算处.docx", "责任书/03-预算处-签字.pdf", "备注.txt"]);
    assert_eq!(out_files(&out), paths(&expected), "this run's documents plus the user's files, nothing else");
    for (file, unit) in letters.iter().zip(["办公室", "国库处", "法规科", "人事处", "审计处"]) {
        assert!(Docx::open(&out.join(file)).text().contains(&format!("乙方：{unit}")), "{file}");
    }
    assert_eq!(std::fs::read(&edited).unwrap(), bytes, "the edited letter is kept as the user left it");
    assert_eq!(std::fs::read(out.join("责任书/1-办公室.docx")).unwrap(), first_letter, "an unchanged letter is rewritten identically");
    assert_eq!(manifest_files(&out), paths(&letters), "the manifest lists this run's documents only");
    let mut ours = letters.to_vec();
    ours.extend(["manifest.csv", "清单.xlsx"]);
    assert_eq!(recorded(&out), paths(&ours), "the record lists every file of this run, none of the user's");

    // The next rebuild keeps the user's files again, and removes nothing else.
    let o = build(&ws, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("保留了 3 个您修改或添加的文件"), "{}", stdout(&o));
    assert_eq!(out_files(&out), paths(&expected));

    // A rebuild that fails on its input leaves OUT as it was, record included.
    let before = everything(&out);
    std::fs::write(ws.join("data/units.yaml"), "units:\n  - { name: 办公室, type: 处室 }\n").unwrap();
    let o = build(&ws, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(everything(&out), before, "a failed run changes nothing in OUT");
}

/// The edited letter is one the new run writes again: the rebuild refuses before writing
/// anything and names it; with `--force` it is overwritten and the summary says so.
#[test]
fn a_rebuild_that_would_overwrite_an_edited_letter_refuses_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, out) = (tmp.path().join("ws"), tmp.path().join("out"));
    workspace(&ws, &FIVE);
    assert!(build(&ws, &out, &[]).status.success());
    let edited = out.join("责任书/2-预算处.docx");
    std::fs::write(&edited, b"the user's own version").unwrap();
    std::fs::write(out.join("备注.txt"), "用户的备注").unwrap();
    // 人事处 leaves, 审计处 joins at the end: 1- to 4- keep their names.
    workspace(&ws, &["办公室", "预算处", "国库处", "法规科", "审计处"]);
    let before = everything(&out);

    let o = build(&ws, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("责任书/2-预算处.docx（上次由 zeren 生成，之后被改过）") && err.contains("--force"), "{err}");
    assert!(!err.contains("1-办公室.docx"), "unchanged files of the previous run are not in the way: {err}");
    assert_eq!(everything(&out), before, "refused before writing anything");

    // A manifest the user edited (opened and saved in Excel) is protected the same way.
    std::fs::write(out.join("manifest.csv"), "edited").unwrap();
    let o = build(&ws, &out, &[]);
    assert!(stderr(&o).contains("manifest.csv（上次由 zeren 生成，之后被改过）"), "{}", stderr(&o));

    let o = build(&ws, &out, &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(said.contains("按 --force 覆盖了 2 个您修改或添加的文件：manifest.csv、责任书/2-预算处.docx"), "{said}");
    assert!(said.contains("保留了 1 个您修改或添加的文件：备注.txt"), "{said}");
    assert!(Docx::open(&edited).text().contains("乙方：预算处"));
    assert!(!out.join("责任书/5-人事处.docx").exists(), "the letter of the unit that left is removed");
    assert!(Docx::open(&out.join("责任书/5-审计处.docx")).text().contains("乙方：审计处"));
}

/// A file the user put where this run writes, never written by zeren, is refused the same way;
/// a run choosing fewer kinds replaces its own kind's files and leaves the other kinds of the
/// last run as they were, still zeren's (a later whole run replaces them without `--force`).
#[test]
fn a_users_file_at_a_target_is_refused_and_a_narrower_run_leaves_the_other_kinds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&samples(), &out, &["--zip"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let letters_before: BTreeMap<PathBuf, Vec<u8>> = everything(&out).into_iter().filter(|(p, _)| p.starts_with("责任书")).collect();
    assert!(letters_before.len() > 20);
    std::fs::write(out.join("函告书/8-新单位.docx"), b"not zeren's").unwrap();
    let o = build(&samples(), &out, &["--kind", "函告书", "--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let listed = stdout(&o);
    assert!(listed.contains("函告书/1-机关第一党支部.docx（替换上次生成的）"), "{listed}");
    assert!(
        listed.contains("将删除上次生成、本次不再生成的 1 个文件（未被改动过）：\n    文书.zip\n"),
        "only the stale zip goes: {listed}"
    );
    assert!(listed.contains("不在本次所选范围内，保持不变"), "{listed}");
    assert!(listed.contains("将保留 1 个您修改或添加的文件：\n    函告书/8-新单位.docx"), "{listed}");

    let o = build(&samples(), &out, &["--kind", "函告书"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("不在本次所选范围内，保持不变"), "{}", stdout(&o));
    let letters_after: BTreeMap<PathBuf, Vec<u8>> = everything(&out).into_iter().filter(|(p, _)| p.starts_with("责任书")).collect();
    assert_eq!(letters_after, letters_before, "the 责任书 of the whole run stay, byte for byte");
    assert!(out.join("问责决定书").is_dir() && out.join("年度报告表").is_dir() && out.join("考核汇总.xlsx").is_file());
    assert!(!out.join("文书.zip").exists(), "a zip of the earlier run would hold replaced files");
    assert!(manifest_files(&out).iter().all(|f| f.starts_with("函告书")), "the manifest lists what this run issued");
    let record = recorded(&out);
    assert!(letters_before.keys().all(|p| record.contains(p)), "the letters stay zeren's in the record");
    assert!(!record.contains(&PathBuf::from("函告书/8-新单位.docx")));

    // A whole run afterwards replaces them without --force: they were never the user's.
    let o = build(&samples(), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("保留了 1 个您修改或添加的文件：函告书/8-新单位.docx"), "{}", stdout(&o));

    // The user's own file sits where a new unit's letter goes: refused, named, nothing written.
    let ws = tmp.path().join("ws");
    let out = tmp.path().join("out5");
    workspace(&ws, &FIVE);
    assert!(build(&ws, &out, &[]).status.success());
    std::fs::write(out.join("责任书/6-审计处.docx"), b"the user's own draft").unwrap();
    let mut six = FIVE.to_vec();
    six.push("审计处");
    workspace(&ws, &six);
    let before = everything(&out);
    let o = build(&ws, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("责任书/6-审计处.docx（不是 zeren 生成的）"), "{}", stderr(&o));
    assert_eq!(everything(&out), before, "refused before writing anything");
}

/// `--unit` rebuilds one unit's letter under the number the whole run gave it and leaves every
/// other file of the last run; a unit gone from the data loses its letter only in a run that
/// answers for it (the whole run, or `--kind 责任书`).
#[test]
fn a_run_for_one_unit_replaces_its_letter_and_leaves_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, out) = (tmp.path().join("ws"), tmp.path().join("out"));
    workspace(&ws, &FIVE);
    assert!(build(&ws, &out, &[]).status.success());
    let before = everything(&out);

    workspace(&ws, &["办公室", "预算处", "国库处", "法规科"]);
    let o = build(&ws, &out, &["--unit", "预算处"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("上次生成的其他 4 个文件不在本次所选范围内，保持不变"), "{}", stdout(&o));
    let after = everything(&out);
    for name in ["责任书/1-办公室.docx", "责任书/3-国库处.docx", "责任书/4-法规科.docx", "责任书/5-人事处.docx"] {
        assert_eq!(after.get(Path::new(name)), before.get(Path::new(name)), "{name} is left as it was");
    }
    assert!(after.contains_key(Path::new("责任书/2-预算处.docx")), "the same number as in the whole run");

    let o = build(&ws, &out, &["--kind", "责任书"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("删除了上次生成、本次不再生成的 1 个文件"), "{}", stdout(&o));
    assert_eq!(
        out_files(&out),
        paths(&[
            "manifest.csv",
            "清单.xlsx",
            "责任书/1-办公室.docx",
            "责任书/2-预算处.docx",
            "责任书/3-国库处.docx",
            "责任书/4-法规科.docx"
        ])
    );
}

/// `--dry-run` shows what would be replaced, removed, kept and refused, and writes nothing.
#[test]
fn dry_run_shows_what_would_be_replaced_removed_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, out) = (tmp.path().join("ws"), tmp.path().join("out"));
    workspace(&ws, &FIVE);
    assert!(build(&ws, &out, &[]).status.success());
    std::fs::write(out.join("责任书/4-法规科.docx"), b"edited").unwrap();
    std::fs::write(out.join("备注.txt"), "note").unwrap();
    workspace(&ws, &["办公室", "国库处", "法规科", "人事处"]);
    let before = everything(&out);

    let o = build(&ws, &out, &["--dry-run"]);
    let listed = stdout(&o);
    assert!(listed.contains("    责任书/1-办公室.docx（替换上次生成的）"), "{listed}");
    assert!(listed.contains("    责任书/2-国库处.docx\n"), "a new name: {listed}");
    assert!(listed.contains("    责任书/4-人事处.docx\n"), "{listed}");
    assert!(listed.contains("将删除上次生成、本次不再生成的 3 个文件（未被改动过）：\n    责任书/2-预算处.docx\n    责任书/3-国库处.docx\n    责任书/5-人事处.docx"), "{listed}");
    assert!(listed.contains("将保留 2 个您修改或添加的文件：\n    备注.txt\n    责任书/4-法规科.docx"), "{listed}");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(everything(&out), before, "a dry run writes nothing");

    // Where the run would be refused, the dry run says so too (and exits 1, as the run would).
    workspace(&ws, &["办公室", "预算处", "国库处", "法规科"]);
    let o = build(&ws, &out, &["--dry-run"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("    责任书/4-法规科.docx（已有您修改或添加的文件或文件夹：不会覆盖，本次将拒绝生成）"), "{}", stdout(&o));
    assert!(stderr(&o).contains("责任书/4-法规科.docx（上次由 zeren 生成，之后被改过）"), "{}", stderr(&o));
    let o = build(&ws, &out, &["--dry-run", "--force"]);
    assert!(stdout(&o).contains("    责任书/4-法规科.docx（覆盖您修改或添加的文件：--force）"), "{}", stdout(&o));
    assert_eq!(everything(&out), before, "a dry run writes nothing");
}
