//! Crash safety: a rebuild killed with SIGKILL at any instant — while staging, while switching
//! files into OUT, while cleaning up, or while the next run is itself recovering — leaves OUT,
//! once the next run has recovered, either exactly as before the run or exactly as the run meant
//! it: no document lost, no manifest or record naming a file that is not there, the user's files
//! untouched.
//!
//! The switch-over of a few thousand files takes a fraction of a second; the debug build's test
//! hook `ZEREN_TEST_SWITCH_PAUSE_US` makes each of its steps wait, so kills land all over it.

mod common;

use common::*;
use sha2::Digest;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Units of the first build; the rebuild keeps the first three and every second one after, and
/// adds 100: its switch-over replaces, removes and adds (most files are renumbered), some 3,000
/// files in all, while it renders half as many documents.
const UNITS: usize = 2000;
/// Each step of a switch-over waits this long under test.
const PAUSE_US: &str = "400";

type Snapshot = BTreeMap<PathBuf, String>;

fn workspace(dir: &Path, units: impl Iterator<Item = usize>) -> PathBuf {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(dir.join("zeren.yaml"), SETTINGS).unwrap();
    std::fs::write(dir.join("data/duties.yaml"), DUTIES).unwrap();
    // Small documents: the test is about the files, not their content.
    std::fs::write(
        dir.join("templates/responsibility-letter.xml"),
        "<document><title>{{ unit.name }}责任书</title><p>{{ unit.leader.name }}</p>\
         <parties><party label=\"甲方\" seal=\"甲方（盖章）：\"><organ>{{ organ }}</organ></party>\
         <party label=\"乙方\" seal=\"乙方（盖章）：\"><organ>{{ unit.name }}</organ></party></parties></document>",
    )
    .unwrap();
    let mut yaml = String::from("units:\n");
    for i in units {
        yaml.push_str(&format!("  - {{ name: 第{i}单位, type: 处室, leader: {{ name: 负责人{i}, title: 处长 }} }}\n"));
    }
    std::fs::write(dir.join("data/units.yaml"), yaml).unwrap();
    dir.to_path_buf()
}

fn sha(path: &Path) -> String {
    sha2::Sha256::digest(std::fs::read(path).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file the user sees in OUT, with its digest.
fn snapshot(out: &Path) -> Snapshot {
    out_files(out).into_iter().map(|f| (f.clone(), sha(&out.join(&f)))).collect()
}

/// The record and the manifest name only files that are there (in `seen`, OUT's snapshot), with
/// the bytes they say; and nothing of a switch-over is left.
fn assert_consistent(out: &Path, seen: &Snapshot, what: &str) {
    let meta = out.join(zeren::write::META);
    for left in ["journal", "undo", "old", "staging"] {
        assert!(!meta.join(left).exists(), "{what}: .zeren/{left} left after recovery");
    }
    let record = std::fs::read_to_string(out.join(zeren::write::RECORD)).unwrap();
    for line in record.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            seen.get(Path::new(fields[2])).map(String::as_str),
            Some(fields[0]),
            "{what}: the record's {} is not there as listed",
            fields[2]
        );
    }
    let csv = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(
            seen.get(Path::new(cells[4])).map(String::as_str),
            Some(cells[6]),
            "{what}: the manifest's {} is not there as listed",
            cells[4]
        );
    }
}

fn build(ws: &Path, out: &Path, pause: bool) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zeren"));
    cmd.args(["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()]).stdout(Stdio::null()).stderr(Stdio::piped());
    if pause {
        cmd.env("ZEREN_TEST_SWITCH_PAUSE_US", PAUSE_US);
    }
    cmd.spawn().unwrap()
}

/// Waits until `ready` holds (or the child ended); answers whether it held.
fn wait_for(child: &mut Child, ready: impl Fn() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(300) {
        if ready() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        // Often enough to land kills all over a switch-over of a second or more; no busier, so
        // the build keeps the processor.
        std::thread::sleep(Duration::from_millis(3));
    }
    panic!("the build neither got there nor ended in 5 minutes");
}

/// A run that does nothing but recover OUT: its workspace's settings are incomplete, so it fails
/// on them right after the recovery every run does first. Answers its message.
fn recover(out: &Path, empty_ws: &Path) -> String {
    let o = zeren(&["build", empty_ws.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0));
    stderr(&o)
}

fn copy_all(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The old state (a first build, a note and a signed scan of the user's) and the new state (the
/// rebuild run to its end, its switch-over slow enough under the test hook to kill anywhere).
struct Scenario {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    rebuild_ws: PathBuf,
    empty_ws: PathBuf,
    base: PathBuf,
    old: Snapshot,
    new: Snapshot,
}

fn journal(out: &Path) -> PathBuf {
    out.join(zeren::write::META).join("journal")
}

impl Scenario {
    /// Letters of the rebuild.
    fn letters(&self) -> usize {
        self.new.keys().filter(|f| f.extension().is_some_and(|e| e == "docx")).count()
    }

    /// How far a rebuild's switch-over in `out` has got: files backed up (every old letter is
    /// replaced or removed) plus new letters moved in, from 0 to `total`.
    fn progress(&self, out: &Path) -> usize {
        let count = |dir: PathBuf| std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
        let meta = out.join(zeren::write::META);
        count(meta.join("old/责任书")) + self.letters().saturating_sub(count(meta.join("staging/责任书")))
    }

    fn total(&self) -> usize {
        UNITS + self.letters()
    }
}

fn scenario() -> Scenario {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let ws_a = workspace(&root.join("a"), 0..UNITS);
    let rebuild_ws = workspace(&root.join("b"), (0..UNITS).filter(|i| *i < 3 || i % 2 == 0).chain(UNITS..UNITS + 100));
    let empty_ws = root.join("empty");
    std::fs::create_dir_all(&empty_ws).unwrap();
    std::fs::write(empty_ws.join("zeren.yaml"), "organ: 中共某某局委员会\n").unwrap();
    let base = root.join("base");
    let o = zeren(&["build", ws_a.to_str().unwrap(), "-o", base.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(base.join("备注.txt"), "用户自己的说明").unwrap();
    std::fs::write(base.join("责任书/0004-第3单位-签字.pdf"), b"%PDF signed scan").unwrap();
    let old = snapshot(&base);

    let reference = root.join("reference");
    copy_all(&base, &reference);
    let mut child = build(&rebuild_ws, &reference, true);
    assert!(wait_for(&mut child, || journal(&reference).exists()), "the reference run never began its switch-over");
    let began = Instant::now();
    wait_for(&mut child, || !journal(&reference).exists());
    let switch_over = began.elapsed();
    assert!(child.wait().unwrap().success());
    let new = snapshot(&reference);
    assert_consistent(&reference, &new, "reference");
    assert!(new.contains_key(Path::new("备注.txt")) && new.contains_key(Path::new("责任书/0004-第3单位-签字.pdf")));
    assert!(!new.contains_key(Path::new("责任书/2000-第1999单位.docx")), "the renumbered file of the old run is gone");
    assert!(new.contains_key(Path::new("责任书/0004-第4单位.docx")) && old.contains_key(Path::new("责任书/0004-第3单位.docx")));
    assert!(switch_over > Duration::from_millis(500), "the switch-over took {switch_over:?}: too short to kill at many points");
    Scenario { _tmp: tmp, root, rebuild_ws, empty_ws, base, old, new }
}

/// Kills the rebuild into a copy of the old state — while staging (`None`), once a fraction of
/// its switch-over is done, or (beyond 1) once its journal is gone — then recovers and checks.
/// Answers whether the kill landed mid-switch.
fn kill_rebuild(s: &Scenario, instant: Option<f64>) -> bool {
    let work = s.root.join("work");
    copy_all(&s.base, &work);
    let mut child = build(&s.rebuild_ws, &work, true);
    let staged = work.join(zeren::write::STAGING).join("责任书");
    let reached = match instant {
        None => wait_for(&mut child, || std::fs::read_dir(&staged).map(|d| d.count() > 200).unwrap_or(false)),
        Some(f) if f <= 1.0 => {
            let at = (s.total() as f64 * f) as usize;
            wait_for(&mut child, || journal(&work).exists() && s.progress(&work) >= at)
        }
        Some(_) => {
            let began = wait_for(&mut child, || journal(&work).exists());
            wait_for(&mut child, || !journal(&work).exists());
            began
        }
    };
    assert!(reached, "kill at {instant:?}: the build ended before it could be killed");
    child.kill().unwrap();
    child.wait().unwrap();
    let mid_switch = journal(&work).exists();
    let said = recover(&work, &s.empty_ws);
    let now = snapshot(&work);
    let what = format!("kill at {instant:?}");
    if instant.is_none() {
        assert!(now == s.old && said.contains("已删除它留在"), "{what}: a kill while staging leaves OUT as it was: {said}");
    } else if mid_switch {
        assert!(said.contains("已先替它完成"), "{what}: the next run says it completed the switch-over: {said}");
        assert!(now == s.new, "{what}: killed mid-switch, recovered to neither state");
    } else {
        assert!(now == s.old || now == s.new, "{what}: recovered to neither state");
    }
    if now == s.new {
        assert_consistent(&work, &now, &what);
    }
    assert!(!work.join(zeren::write::STAGING).exists(), "{what}: staging left");
    mid_switch
}

/// A rebuild killed early in its switch-over, then each recovering run killed in turn once it
/// has moved some more files: the switch-over goes on from wherever the last one stopped, and at
/// every stop a recovery run to its end gives the new state. Answers how many were killed.
fn kill_recoveries_in_turn(s: &Scenario) -> usize {
    let work = s.root.join("work");
    copy_all(&s.base, &work);
    let mut child = build(&s.rebuild_ws, &work, true);
    assert!(wait_for(&mut child, || journal(&work).exists() && s.progress(&work) >= s.total() / 20));
    child.kill().unwrap();
    child.wait().unwrap();
    let stride = s.total() / 11;
    let scratch = s.root.join("scratch");
    let mut killed = 0;
    while journal(&work).exists() {
        let before = s.progress(&work);
        let mut child = Command::new(env!("CARGO_BIN_EXE_zeren"))
            .args(["build", s.empty_ws.to_str().unwrap(), "-o", work.to_str().unwrap()])
            .env("ZEREN_TEST_SWITCH_PAUSE_US", PAUSE_US)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for(&mut child, || s.progress(&work) >= before + stride);
        child.kill().unwrap();
        child.wait().unwrap();
        killed += 1;
        copy_all(&work, &scratch);
        recover(&scratch, &s.empty_ws);
        let now = snapshot(&scratch);
        assert!(now == s.new, "recovery killed {killed} times: recovered to something else");
        assert_consistent(&scratch, &now, &format!("recovery killed {killed} times"));
        assert!(killed < 30, "the recovering runs make no progress");
    }
    let now = snapshot(&work);
    assert!(now == s.new);
    assert_consistent(&work, &now, "after the chain");
    killed
}

#[test]
fn a_rebuild_killed_at_any_instant_is_recovered_to_the_old_or_the_new_state() {
    let s = scenario();
    assert_ne!(s.old, s.new);
    // Once while staging, at spread instants of the switch-over, and as it cleans up.
    let landed: Vec<bool> = [None, Some(0.0), Some(0.2), Some(0.45), Some(0.7), Some(0.95), Some(1.2)]
        .into_iter()
        .map(|instant| kill_rebuild(&s, instant))
        .collect();
    assert_eq!(landed, [false, true, true, true, true, true, false], "kills while staging, mid-switch, after it");
    let killed = kill_recoveries_in_turn(&s);
    eprintln!("kills: 5 rebuilds mid-switch, 2 before and after, then {killed} recovering runs in turn");
    assert!(killed >= 8, "only {killed} recovering runs were killed before the switch-over ended");
}

#[test]
fn a_killed_first_build_leaves_no_document_and_the_next_run_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(&tmp.path().join("ws"), 0..600);
    let out = tmp.path().join("out");
    // A file the user already has: never touched by the killed run, nor by the next.
    let signed = out.join("责任书/已签字.docx");
    std::fs::create_dir_all(signed.parent().unwrap()).unwrap();
    std::fs::write(&signed, b"signed").unwrap();

    let mut child = build(&ws, &out, false);
    let staged = out.join(zeren::write::STAGING).join("责任书");
    assert!(wait_for(&mut child, || std::fs::read_dir(&staged).map(|d| d.count() >= 50).unwrap_or(false)), "finished too soon");
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    assert_eq!(out_files(&out), [PathBuf::from("责任书/已签字.docx")], "no document outside staging");
    assert!(out.join(zeren::write::STAGING).exists(), "the killed run left its staging folder");

    let o = zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("上次运行未完成，已删除它留在"), "{}", stderr(&o));
    assert!(stdout(&o).contains("保留了 1 个您修改或添加的文件：责任书/已签字.docx"), "{}", stdout(&o));
    assert!(!out.join(zeren::write::STAGING).exists(), "the re-run removed the staging folder");
    let letters = files_under(&out.join("责任书"));
    assert_eq!(letters.len(), 601, "600 letters and the signed copy");
    assert_eq!(std::fs::read(&signed).unwrap(), b"signed", "a file of another name is left alone");
    for f in letters.iter().filter(|f| !f.to_string_lossy().contains("已签字")).step_by(60) {
        let doc = Docx::open(&out.join("责任书").join(f));
        assert!(
            doc.text().starts_with("第") && doc.text().contains("\t乙方（盖章）：\n") && doc.text().contains("\t第"),
            "{}",
            f.display()
        );
    }
}
