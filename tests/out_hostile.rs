//! Hostile output folders, round two: a file the killed run placed and the user then signed
//! survives the next run's recovery, whether it completes or undoes the switch-over, and is
//! named; special files in `.zeren` are refused, not opened; a damaged record is named; a file
//! the user made read-only stays so. (FIFOs, modes and kills: Unix.)
#![cfg(unix)]

mod common;

use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A workspace of `n` 处室 with small letters, dated `date`.
fn workspace(dir: &Path, n: usize, date: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(dir.join("zeren.yaml"), SETTINGS.replace("2026-01-05", date)).unwrap();
    std::fs::write(dir.join("data/duties.yaml"), DUTIES).unwrap();
    std::fs::write(
        dir.join("templates/responsibility-letter.xml"),
        "<document><title>{{ unit.name }}责任书</title><p>{{ date }}</p><parties><party label=\"甲方\"><organ>{{ organ }}</organ></party>\
         <party label=\"乙方\"><organ>{{ unit.name }}</organ></party></parties></document>",
    )
    .unwrap();
    let units: String =
        (0..n).map(|i| format!("  - {{ name: 第{i}单位, type: 处室, leader: {{ name: 负责人{i}, title: 处长 }} }}\n")).collect();
    std::fs::write(dir.join("data/units.yaml"), format!("units:\n{units}")).unwrap();
    dir.to_path_buf()
}

fn build(ws: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    zeren(&args)
}

const UNITS: usize = 40;

/// A first build into `out`, and a workspace whose rebuild replaces every letter.
fn built(root: &Path) -> (PathBuf, PathBuf, Vec<PathBuf>) {
    let first = workspace(&root.join("a"), UNITS, "2026-01-05");
    let out = root.join("out");
    let o = build(&first, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let letters = files_under(&out.join("责任书"));
    assert_eq!(letters.len(), UNITS);
    (out, workspace(&root.join("b"), UNITS, "2026-01-06"), letters)
}

/// Kills the rebuild once its switch-over has placed the first three letters; the user then
/// signs the first. Answers the signed letter's path relative to OUT.
fn killed_after_placing(ws: &Path, out: &Path, letters: &[PathBuf]) -> PathBuf {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zeren"))
        .args(["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .env("ZEREN_TEST_SWITCH_PAUSE_US", "30000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let journal = out.join(zeren::write::META).join("journal");
    let third = out.join(zeren::write::STAGING).join("责任书").join(&letters[2]);
    let started = Instant::now();
    let placed = loop {
        if journal.exists() && !third.exists() {
            break true;
        }
        if child.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(120) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(placed && journal.exists(), "the kill did not land in the switch-over");
    let signed = Path::new("责任书").join(&letters[0]);
    std::fs::write(out.join(&signed), b"signed by the user").unwrap();
    signed
}

#[test]
fn a_placed_file_signed_after_a_kill_survives_the_recovery_that_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, ws, letters) = built(tmp.path());
    let signed = killed_after_placing(&ws, &out, &letters);
    let o = build(&ws, &out, &[]);
    let err = stderr(&o);
    assert!(err.contains("已先替它完成"), "{err}");
    assert!(err.contains("被您改动过的 1 个文件按您改动后的样子保留") && err.contains(&signed.display().to_string()), "{err}");
    // The rebuild that recovered then meets the signed letter like any file of the user's.
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("{}（上次由 zeren 生成，之后被改过）", signed.display())), "{err}");
    assert_eq!(std::fs::read(out.join(&signed)).unwrap(), b"signed by the user");
    let last = out.join("责任书").join(letters.last().unwrap());
    assert!(Docx::open(&last).text().contains("2026年1月6日"), "the switch-over was completed");
    assert!(!out.join(zeren::write::META).join("journal").exists());
    // Renamed out of the way, the signed copy stays; the letter is made again.
    std::fs::rename(out.join(&signed), out.join("责任书/已签字.docx")).unwrap();
    let o = build(&ws, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(out.join("责任书/已签字.docx")).unwrap(), b"signed by the user");
}

#[test]
fn a_placed_file_signed_after_a_kill_survives_the_recovery_that_undoes() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, ws, letters) = built(tmp.path());
    let before: Vec<Vec<u8>> = letters.iter().map(|l| std::fs::read(out.join("责任书").join(l)).unwrap()).collect();
    let signed = killed_after_placing(&ws, &out, &letters);
    // The recovering run cannot complete (its first move fails): it undoes.
    let o = zeren_with(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()], &[("ZEREN_TEST_SWITCH_FAIL_AT", "0")]);
    let err = stderr(&o);
    assert!(err.contains("已撤销") && err.contains("以下文件除外"), "{err}");
    assert!(err.contains("被您改动过的 1 个文件按您改动后的样子保留") && err.contains(&signed.display().to_string()), "{err}");
    assert_eq!(std::fs::read(out.join(&signed)).unwrap(), b"signed by the user", "the user's signed letter is not deleted");
    for (letter, old) in letters.iter().zip(&before).skip(1) {
        assert_eq!(&std::fs::read(out.join("责任书").join(letter)).unwrap(), old, "{}: back as before the run", letter.display());
    }
    for left in ["journal", "staging", "old", "undo"] {
        assert!(!out.join(zeren::write::META).join(left).exists(), ".zeren/{left} left");
    }
    // The next run names the signed letter as the user's and writes over nothing.
    let o = build(&ws, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(&format!("{}（上次由 zeren 生成，之后被改过）", signed.display())), "{}", stderr(&o));
    assert_eq!(std::fs::read(out.join(&signed)).unwrap(), b"signed by the user");
}

fn zeren_with(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zeren"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// Runs a build that must end within a minute (a FIFO opened for reading would block forever).
fn build_in_time(ws: &Path, out: &Path) -> std::process::Output {
    let child = Command::new(env!("CARGO_BIN_EXE_zeren"))
        .args(["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    output_within(child, Duration::from_secs(60))
}

#[test]
fn a_fifo_in_zerens_folder_is_refused_not_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(&tmp.path().join("ws"), 3, "2026-01-05");
    for name in ["journal", "record", "lock"] {
        let out = tmp.path().join(format!("out-{name}"));
        let meta = out.join(zeren::write::META);
        std::fs::create_dir_all(&meta).unwrap();
        std::fs::set_permissions(&meta, std::fs::Permissions::from_mode(0o700)).unwrap();
        let fifo = meta.join(name);
        assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let o = build_in_time(&ws, &out);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(&format!("{}: 这不是普通文件", fifo.display())), "{name}: {err}");
        assert!(!err.contains("os error"), "{err}");
        assert!(!out.join("责任书").exists(), "{name}: nothing written");
    }
}

#[test]
fn a_fifo_named_as_data_or_template_is_refused_not_opened() {
    // A FIFO where the data, the duty catalogue or a template belongs: refused at once with its
    // name, not read (which blocked the build forever).
    for name in ["data/units.yaml", "data/duties.yaml", "templates/responsibility-letter.xml"] {
        let tmp = tempfile::tempdir().unwrap();
        let ws = workspace(&tmp.path().join("ws"), 3, "2026-01-05");
        let fifo = ws.join(name);
        std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&fifo);
        assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let out = tmp.path().join("out");
        let o = build_in_time(&ws, &out);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("这不是普通文件（是管道、设备或套接字）"), "{name}: {err}");
        assert!(err.contains(name.rsplit('/').next().unwrap()), "{name}: the file is named: {err}");
        assert!(!out.exists(), "{name}: nothing written");
    }
}

#[test]
fn a_damaged_record_is_named_with_its_line_and_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, ws, letters) = built(tmp.path());
    let record = out.join(zeren::write::RECORD);
    let text = std::fs::read_to_string(&record).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[4] = "not a digest\t12\t责任书/x.docx";
    std::fs::write(&record, lines.join("\n") + "\n").unwrap();
    let o = build(&ws, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&format!("{} 第 5 行：zeren 的生成记录已损坏", record.display())), "{err}");
    assert!(err.contains("--force") && err.contains("-o"), "says what the user can do: {err}");
    assert!(err.contains("生成记录已损坏，无法判断是否由 zeren 生成") && !err.contains("不是 zeren 生成的"), "{err}");
    assert!(Docx::open(&out.join("责任书").join(&letters[0])).text().contains("2026年1月5日"), "nothing replaced");
    let o = build(&ws, &out, &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(Docx::open(&out.join("责任书").join(&letters[0])).text().contains("2026年1月6日"));
    assert!(!std::fs::read_to_string(&record).unwrap().contains("not a digest"), "the record is written anew");
}

#[test]
fn a_generated_file_made_read_only_stays_read_only() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, ws, letters) = built(tmp.path());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let read_only = out.join("责任书").join(&letters[0]);
    let private = out.join("责任书").join(&letters[1]);
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = build(&ws, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&format!("{}: 这个文件上次由 zeren 生成、内容未改，但被设为了只读", read_only.display())), "{err}");
    assert!(Docx::open(&read_only).text().contains("2026年1月5日"), "not replaced");
    let o = build(&ws, &out, &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(Docx::open(&read_only).text().contains("2026年1月6日"));
    assert_eq!(mode(&read_only), 0o444, "still read-only");
    assert_eq!(mode(&private), 0o600, "a replaced file keeps the user's mode");
    // A read-only letter the run no longer makes is kept, not removed.
    let fewer = workspace(&tmp.path().join("c"), UNITS - 1, "2026-01-06");
    let gone = out.join("责任书").join(letters.last().unwrap());
    std::fs::set_permissions(&gone, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = build(&fewer, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(gone.exists(), "the read-only letter stays");
    assert!(stdout(&o).contains(&format!("保留了 1 个您修改或添加的文件：责任书/{}", letters.last().unwrap().display())), "{}", stdout(&o));
}
