//! `zeren init` where the folder is not empty: everything is looked at before anything is
//! written, nothing is written through a symlink, and the year comes from the folder's name
//! however the folder was named (`cd 2031年度 && zeren init`). (Symlinks and FIFOs: Unix.)
#![cfg(unix)]

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

fn init_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zeren")).arg("init").args(args).current_dir(dir).output().unwrap()
}

/// Every entry under `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut all: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap().path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    all.sort();
    all
}

#[test]
fn init_in_the_current_folder_takes_the_year_from_its_name() {
    let tmp = tempfile::tempdir().unwrap();
    for (args, folder) in [(&[][..], "2031年度"), (&["."][..], "2032年度")] {
        let ws = tmp.path().join(folder);
        std::fs::create_dir(&ws).unwrap();
        let o = init_in(&ws, args);
        assert!(o.status.success(), "{}", stderr(&o));
        let year = &folder[..4];
        let settings = std::fs::read_to_string(ws.join("zeren.yaml")).unwrap();
        assert!(settings.contains(&format!("year: {year}")) && settings.contains(&format!("date: {year}-01-05")), "{args:?}:\n{settings}");
    }
}

#[test]
fn init_where_data_is_a_file_writes_nothing_and_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    std::fs::create_dir(&ws).unwrap();
    std::fs::write(ws.join("data"), "a file of the user's").unwrap();
    for force in [false, true] {
        let mut args = vec![ws.to_str().unwrap()];
        if force {
            args.push("--force");
        }
        let o = zeren(&[&["init"][..], &args].concat());
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(&format!("{}: 是一个文件，而这里需要一个文件夹", ws.join("data").display())), "{err}");
        assert!(err.contains("未写任何文件"), "{err}");
        assert_eq!(entries(&ws), ["data"], "nothing half-written (--force: {force})");
        assert_eq!(std::fs::read_to_string(ws.join("data")).unwrap(), "a file of the user's");
    }
}

#[test]
fn init_never_writes_through_a_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let ws = tmp.path().join("ws");
    std::fs::create_dir(&ws).unwrap();
    std::os::unix::fs::symlink(&elsewhere, ws.join("data")).unwrap();
    let victim = tmp.path().join("victim.yaml");
    std::fs::write(&victim, "precious").unwrap();
    std::os::unix::fs::symlink(&victim, ws.join("zeren.yaml")).unwrap();
    let o = zeren(&["init", ws.to_str().unwrap(), "--force"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for link in ["data", "zeren.yaml"] {
        assert!(err.contains(&format!("{}: 是符号链接", ws.join(link).display())), "{link}: {err}");
    }
    assert!(entries(&elsewhere).is_empty(), "nothing written through the symlinked data");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(entries(&ws), ["data", "zeren.yaml"]);

    // A FIFO where a file goes is refused too, at once.
    let ws = tmp.path().join("fifo");
    std::fs::create_dir(&ws).unwrap();
    assert!(Command::new("mkfifo").arg(ws.join("zeren.yaml")).status().unwrap().success());
    let o = zeren(&["init", ws.to_str().unwrap(), "--force"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("不是普通文件"), "{}", stderr(&o));
    assert_eq!(entries(&ws), ["zeren.yaml"]);
}

#[test]
fn init_over_an_existing_workspace_lists_every_file_and_writes_none() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("2027年度");
    assert!(zeren(&["init", ws.to_str().unwrap()]).status.success());
    std::fs::write(ws.join("zeren.yaml"), "organ: 已填写\n").unwrap();
    std::fs::remove_file(ws.join("名单.xlsx")).unwrap();
    let o = zeren(&["init", ws.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("zeren.yaml") && err.contains("duties.yaml") && err.contains("--force"), "{err}");
    assert!(!ws.join("名单.xlsx").exists(), "the missing one is not written either");
    assert_eq!(std::fs::read_to_string(ws.join("zeren.yaml")).unwrap(), "organ: 已填写\n");
}
