//! A reader that goes away (`zeren check samples | head -1`) ends a command quietly: no panic
//! (exit 101, "Broken pipe"), and what a build wrote stays written.

mod common;
use common::*;
use std::process::{Command, Stdio};

/// Runs zeren with its stdout a pipe whose reading end is closed before zeren writes to it;
/// answers (exit code or signal, stderr).
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, Option<i32>, String) {
    use std::os::unix::process::ExitStatusExt;
    let mut child =
        Command::new(env!("CARGO_BIN_EXE_zeren")).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run zeren");
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (out.status.code(), out.status.signal(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn check_and_build_end_quietly_when_their_reader_goes_away() {
    let (tmp, ws) = sample_copy();
    let ws_arg = ws.to_str().unwrap();
    // Many problems, so the report is far more than a pipe holds.
    let units = std::fs::read_to_string(ws.join("data/units.yaml")).unwrap();
    let broken = tmp.path().join("broken");
    copy_dir(&ws, &broken);
    std::fs::write(broken.join("data/units.yaml"), units.replace("leader: {", "leader_x: {")).unwrap();
    let out = tmp.path().join("out");
    for args in [
        vec!["check", ws_arg],
        vec!["check", broken.to_str().unwrap()],
        vec!["check", broken.to_str().unwrap(), "--format", "json"],
        vec!["template", "show", "责任书"],
        vec!["build", ws_arg, "--dry-run", "-o", out.to_str().unwrap()],
        vec!["build", ws_arg, "-o", out.to_str().unwrap()],
    ] {
        let (code, signal, err) = with_closed_stdout(&args);
        assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{args:?}: {err}");
        assert!(code != Some(101), "{args:?}: exit {code:?}");
        // Ended by the pipe (as cat does), or finished with its normal code.
        assert!(signal == Some(13) || matches!(code, Some(0) | Some(1)), "{args:?}: {code:?} {signal:?} {err}");
    }
    assert!(out.join("manifest.csv").exists(), "the build's documents landed before it printed");
}
