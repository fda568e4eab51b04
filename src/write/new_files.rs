//! New files in a folder the user names (`zeren init`): everything that could stop the writing is
//! looked at before the first byte is written, nothing is written through a symlink, and a write
//! that fails anyway leaves the folder as it was (every file is written beside its place first,
//! then renamed in).

use super::errors::{WriteError, io};
use super::fsx;
use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why the files were not written; nothing was.
#[derive(Debug)]
pub enum NewFilesError {
    /// Things in the way of the files, each with what it is.
    InTheWay(Vec<(PathBuf, Obstacle)>),
    /// Files that exist already (without `--force`).
    Exist(Vec<PathBuf>),
    Write(WriteError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Obstacle {
    /// A symlink where a folder or file goes: writing through it could write anywhere.
    Symlink,
    /// A file (or pipe, device) where a folder goes.
    NotAFolder,
    /// A folder where a file goes.
    AFolder,
    /// A pipe, device or socket where a file goes.
    NotRegular,
    /// A folder this user cannot write in.
    Unwritable,
}

impl fmt::Display for NewFilesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewFilesError::InTheWay(all) => {
                let lines: Vec<String> = all
                    .iter()
                    .map(|(path, why)| {
                        let why = match why {
                            Obstacle::Symlink => "是符号链接；zeren 不经由符号链接写入，也不替换它，请把它换成普通文件夹或移走",
                            Obstacle::NotAFolder => "是一个文件，而这里需要一个文件夹；请把它改名或移走",
                            Obstacle::AFolder => "是一个文件夹，而这里要写同名的文件；请把它改名或移走",
                            Obstacle::NotRegular => "不是普通文件（管道、设备或套接字）；请把它移走",
                            Obstacle::Unwritable => "没有写入权限；请修改权限，或换一个文件夹",
                        };
                        format!("    {}: {why}", path.display())
                    })
                    .collect();
                write!(f, "以下位置挡住了新工作区的文件，未写任何文件：\n{}", lines.join("\n"))
            }
            NewFilesError::Exist(paths) => {
                let lines: Vec<String> = paths.iter().map(|p| format!("    {}", p.display())).collect();
                write!(f, "以下文件已存在，未覆盖、未写任何文件（如确需覆盖，请加 --force）：\n{}", lines.join("\n"))
            }
            NewFilesError::Write(e) => write!(f, "{e}\n    未写任何文件"),
        }
    }
}

/// Writes `files` (paths relative to `root`, `/`-separated) into `root`, all or none. `root`
/// itself may be a symlink to a folder (the user named it); nothing below it may be.
pub fn write_new_files(root: &Path, files: &[(String, Vec<u8>)], force: bool) -> Result<(), NewFilesError> {
    let (dirs, existing) = look(root, files)?;
    if !existing.is_empty() && !force {
        return Err(NewFilesError::Exist(existing));
    }
    let mut made_dirs = Vec::new();
    let mut parts = Vec::new();
    let written = (|| {
        for dir in &dirs {
            // The folder the user named may be new, and the folders above it too.
            let made = if dir == root { fs::create_dir_all(dir) } else { fs::create_dir(dir) };
            match made {
                Ok(()) => made_dirs.push(dir.clone()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && real_dir(dir) => {}
                Err(e) => return Err(WriteError::Io(dir.clone(), e)),
            }
        }
        for (rel, bytes) in files {
            let path = root.join(rel);
            let part = part_of(&path);
            // A `.part` a killed run left (or a symlink in its place) goes.
            if fs::symlink_metadata(&part).is_ok_and(|m| !m.is_dir()) {
                fs::remove_file(&part).map_err(io(&part))?;
            }
            let mut file = fsx::create_new(&part).map_err(io(&path))?;
            parts.push(part);
            file.write_all(bytes).and_then(|_| file.sync_all()).map_err(io(&path))?;
        }
        Ok(())
    })();
    if let Err(e) = written {
        parts.iter().for_each(|p| drop(fs::remove_file(p)));
        made_dirs.iter().rev().for_each(|d| drop(fs::remove_dir(d)));
        return Err(NewFilesError::Write(e));
    }
    for ((rel, _), part) in files.iter().zip(&parts) {
        let path = root.join(rel);
        fs::rename(part, &path).map_err(|e| NewFilesError::Write(WriteError::Io(path, e)))?;
    }
    Ok(())
}

fn part_of(path: &Path) -> PathBuf {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    PathBuf::from(part)
}

fn real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// The folder exists and is not in the way.
fn seen_ok(dir: &Path, in_the_way: &[(PathBuf, Obstacle)], dirs: &BTreeSet<PathBuf>) -> bool {
    !dirs.contains(dir) && !in_the_way.iter().any(|(p, _)| p == dir)
}

/// Everything in the way, the folders to make (parents first) and the files that exist.
#[allow(clippy::type_complexity)]
fn look(root: &Path, files: &[(String, Vec<u8>)]) -> Result<(Vec<PathBuf>, Vec<PathBuf>), NewFilesError> {
    let mut in_the_way = Vec::new();
    let mut dirs = BTreeSet::new();
    let mut existing = Vec::new();
    let mut seen = BTreeSet::new();
    let mut folder = |path: &Path, in_the_way: &mut Vec<(PathBuf, Obstacle)>, dirs: &mut BTreeSet<PathBuf>, top: bool| {
        if !seen.insert(path.to_path_buf()) {
            return;
        }
        // The folder the user named may be a symlink to a folder; one inside it may not.
        let meta = if top { fs::metadata(path) } else { fs::symlink_metadata(path) };
        match meta {
            Ok(m) if m.file_type().is_symlink() => in_the_way.push((path.to_path_buf(), Obstacle::Symlink)),
            Ok(m) if !m.is_dir() => in_the_way.push((path.to_path_buf(), Obstacle::NotAFolder)),
            Ok(_) if !fsx::writable(path) => in_the_way.push((path.to_path_buf(), Obstacle::Unwritable)),
            Ok(_) => {}
            Err(_) => drop(dirs.insert(path.to_path_buf())),
        }
    };
    folder(root, &mut in_the_way, &mut dirs, true);
    for (rel, _) in files {
        let path = root.join(rel);
        let (mut blocked, mut missing) = (false, !seen_ok(root, &in_the_way, &dirs));
        // Folders from the top down; below a missing one every folder is missing too.
        let rel_dirs: Vec<&Path> = Path::new(rel).ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()).collect();
        for dir in rel_dirs.iter().rev().map(|d| root.join(d)) {
            if missing {
                dirs.insert(dir);
                continue;
            }
            folder(&dir, &mut in_the_way, &mut dirs, false);
            blocked = in_the_way.iter().any(|(p, _)| *p == dir);
            missing = dirs.contains(&dir);
            if blocked {
                break;
            }
        }
        if blocked || missing {
            continue;
        }
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => in_the_way.push((path, Obstacle::Symlink)),
            Ok(m) if m.is_dir() => in_the_way.push((path, Obstacle::AFolder)),
            Ok(m) if !m.is_file() => in_the_way.push((path, Obstacle::NotRegular)),
            Ok(_) => existing.push(path),
            Err(_) => {}
        }
    }
    if !in_the_way.is_empty() {
        return Err(NewFilesError::InTheWay(in_the_way));
    }
    let mut dirs: Vec<PathBuf> = dirs.into_iter().collect();
    dirs.sort_by_key(|d| d.components().count());
    Ok((dirs, existing))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn files() -> Vec<(String, Vec<u8>)> {
        vec![("zeren.yaml".into(), b"organ: x\n".to_vec()), ("data/duties.yaml".into(), b"duties: []\n".to_vec())]
    }

    #[test]
    fn a_file_or_symlink_where_data_goes_stops_everything_before_a_byte_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        let ws = tmp.path().join("ws");
        fs::create_dir(&ws).unwrap();
        fs::write(ws.join("data"), "a file").unwrap();
        let e = write_new_files(&ws, &files(), false).unwrap_err().to_string();
        assert!(e.contains(&format!("{}: 是一个文件", ws.join("data").display())), "{e}");
        assert!(!ws.join("zeren.yaml").exists(), "nothing written");

        fs::remove_file(ws.join("data")).unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, ws.join("data")).unwrap();
        let e = write_new_files(&ws, &files(), true).unwrap_err().to_string();
        assert!(e.contains("是符号链接"), "{e}");
        assert!(fs::read_dir(&elsewhere).unwrap().next().is_none() && !ws.join("zeren.yaml").exists());

        fs::remove_file(ws.join("data")).unwrap();
        write_new_files(&ws, &files(), false).unwrap();
        assert_eq!(fs::read_to_string(ws.join("data/duties.yaml")).unwrap(), "duties: []\n");
        assert!(matches!(write_new_files(&ws, &files(), false), Err(NewFilesError::Exist(e)) if e.len() == 2));
    }
}
