//! Crash safety: a build killed with SIGKILL partway leaves no truncated document in
//! OUT — only the staging folder, which the next run removes.

mod common;

use common::*;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn a_killed_build_leaves_no_document_and_the_next_run_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(ws.join("data")).unwrap();
    std::fs::write(
        ws.join("zeren.yaml"),
        "organ: 中共某某局委员会\ncode: 某党\nyear: 2026\ndate: 2026-01-05\nsignatory: { name: 赵书记, title: 党委书记 }\n",
    )
    .unwrap();
    std::fs::copy(samples().join("data/duties.yaml"), ws.join("data/duties.yaml")).unwrap();
    let mut units = String::from("units:\n");
    for i in 0..1500 {
        units.push_str(&format!("  - {{ name: 第{i}单位, type: 处室, leader: {{ name: 负责人{i}, title: 处长 }} }}\n"));
    }
    std::fs::write(ws.join("data/units.yaml"), units).unwrap();
    let out = tmp.path().join("out");
    // A copy the user already has: never touched by the killed run, nor by a run without --force.
    let signed = out.join("责任书/已签字.docx");
    std::fs::create_dir_all(signed.parent().unwrap()).unwrap();
    std::fs::write(&signed, b"signed").unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_zeren"))
        .args(["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once documents are being written (or give up waiting after a while).
    let staged = out.join(zeren::write::STAGING).join("责任书");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        let n = std::fs::read_dir(&staged).map(|d| d.count()).unwrap_or(0);
        if n >= 50 {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            panic!("the build finished before it could be killed; make the roster larger");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    // Nothing landed: only the signed copy and the staging folder.
    let outside: Vec<_> = files_under(&out).into_iter().filter(|f| !f.starts_with(zeren::write::STAGING)).collect();
    assert_eq!(outside, [std::path::PathBuf::from("责任书/已签字.docx")], "no document outside staging");
    assert!(out.join(zeren::write::STAGING).exists(), "the killed run left its staging folder");
    assert_eq!(std::fs::read(&signed).unwrap(), b"signed");

    let o = zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join(zeren::write::STAGING).exists(), "the re-run removed the staging folder");
    let letters = files_under(&out.join("责任书"));
    assert_eq!(letters.len(), 1501, "1500 letters and the signed copy");
    assert_eq!(std::fs::read(&signed).unwrap(), b"signed", "a file of another name is left alone");
    // Every letter is a whole package.
    for f in letters.iter().filter(|f| !f.to_string_lossy().contains("已签字")).step_by(150) {
        let doc = Docx::open(&out.join("责任书").join(f));
        assert!(doc.text().contains("乙方：第"), "{}", f.display());
    }
}
