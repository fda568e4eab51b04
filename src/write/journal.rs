//! The switch-over. Before the first file moves, every move is listed in `.zeren/journal`
//! (written whole, synced, then renamed into place). Each step is a rename that leaves the file
//! in exactly one of two places, so what is on disk tells how far a step got; a run killed at any
//! instant leaves a journal the next run finishes, or — when it cannot (a file it would move was
//! changed meanwhile, a rename fails) — undoes. Backups of replaced and removed files wait in
//! `.zeren/old` until the journal is gone; `.zeren/undo` marks a switch-over being undone.

use super::errors::{WriteError, io};
use super::fsx;
use super::hooks;
use super::record::{FileDigest, checked_rel, digest_file, fingerprint, rel_text};
use super::{JOURNAL, META, OLD, STAGING_DIR, UNDO};
use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// A previous run's file this run no longer produces goes to the backups.
    Remove { rel: PathBuf, was: FileDigest },
    /// A folder the switch-over creates.
    MakeDir { rel: PathBuf },
    /// The staged file goes to OUT/rel; what was there (`was`) goes to the backups first.
    Put { rel: PathBuf, new: FileDigest, was: Option<FileDigest> },
}

/// Where a file of the switch-over lies: staged, in place, or backed up.
pub(crate) struct Places {
    out: PathBuf,
    meta: PathBuf,
}

impl Places {
    pub(crate) fn new(out: &Path) -> Places {
        Places { out: out.to_path_buf(), meta: out.join(META) }
    }
    pub(crate) fn staged(&self, rel: &Path) -> PathBuf {
        self.meta.join(STAGING_DIR).join(rel)
    }
    pub(crate) fn target(&self, rel: &Path) -> PathBuf {
        self.out.join(rel)
    }
    pub(crate) fn backup(&self, rel: &Path) -> PathBuf {
        self.meta.join(OLD).join(rel)
    }
}

const MAGIC: &str = "zeren-journal 1";

/// Writes the journal whole and durably: from the moment it exists, the next run acts on it.
pub(crate) fn write_journal(meta: &Path, steps: &[Step]) -> Result<(), WriteError> {
    let mut text = format!("{MAGIC}\n");
    for step in steps {
        let line = match step {
            Step::Remove { rel, was } => format!("remove\t{was}\t{}\n", rel_text(rel)),
            Step::MakeDir { rel } => format!("mkdir\t{}\n", rel_text(rel)),
            Step::Put { rel, new, was } => {
                format!("put\t{new}\t{}\t{}\n", was.map(|w| w.to_string()).unwrap_or_else(|| "-".into()), rel_text(rel))
            }
        };
        text.push_str(&line);
    }
    text.push_str("end\n");
    let part = meta.join(format!("{JOURNAL}.part"));
    let path = meta.join(JOURNAL);
    let _ = fs::remove_file(&part);
    let mut file = fsx::create_new(&part).map_err(io(&part))?;
    file.write_all(text.as_bytes()).and_then(|_| file.sync_all()).map_err(io(&part))?;
    fsx::rename_new(&part, &path).map_err(io(&path))?;
    fsx::sync_dir(meta).map_err(io(meta))
}

/// The journal a run left, if any; a damaged one is an error (guessing could lose files).
pub(crate) fn read_journal(meta: &Path) -> Result<Option<Vec<Step>>, WriteError> {
    let path = meta.join(JOURNAL);
    let text = match fsx::open_nofollow(&path) {
        Ok(mut f) => {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut f, &mut s).map_err(io(&path))?;
            s
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(WriteError::Io(path, e)),
    };
    let damaged = |why: &str| WriteError::Journal { path: path.clone(), why: why.to_string() };
    let mut lines = text.lines();
    if lines.next() != Some(MAGIC) || text.lines().last() != Some("end") {
        return Err(damaged("开头或结尾不完整"));
    }
    let mut steps = Vec::new();
    for line in lines.filter(|l| *l != "end") {
        steps.push(parse_step(line).ok_or_else(|| damaged(&format!("无法识别的一行：{line}")))?);
    }
    Ok(Some(steps))
}

fn parse_step(line: &str) -> Option<Step> {
    let fields: Vec<&str> = line.split('\t').collect();
    let digest = FileDigest::parse;
    match fields.as_slice() {
        ["remove", was, rel] => Some(Step::Remove { rel: checked_rel(rel)?, was: digest(was)? }),
        ["mkdir", rel] => Some(Step::MakeDir { rel: checked_rel(rel)? }),
        ["put", new, was, rel] => {
            let was = if *was == "-" { None } else { Some(digest(was)?) };
            Some(Step::Put { rel: checked_rel(rel)?, new: digest(new)?, was })
        }
        _ => None,
    }
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

fn parent_dir(path: &Path) -> Result<(), WriteError> {
    match path.parent() {
        Some(p) => fs::create_dir_all(p).map_err(io(p)),
        None => Ok(()),
    }
}

/// Runs every step forward. Each step looks at the disk first, so running it again after a
/// kill is harmless.
pub(crate) fn forward(places: &Places, steps: &[Step]) -> Result<(), WriteError> {
    let mut checked_parents = HashSet::new();
    for step in steps {
        hooks::switch_step().map_err(io(&places.out))?;
        match step {
            Step::Remove { rel, .. } => {
                let (t, b) = (places.target(rel), places.backup(rel));
                if !exists(&b) && exists(&t) {
                    parent_dir(&b)?;
                    fsx::rename_new(&t, &b).map_err(io(&t))?;
                }
            }
            Step::MakeDir { rel } => {
                let t = places.target(rel);
                match fs::symlink_metadata(&t) {
                    Ok(m) if m.is_dir() => {}
                    Ok(_) => return Err(WriteError::Io(t, std::io::Error::from(std::io::ErrorKind::AlreadyExists))),
                    Err(_) => fs::create_dir(&t).map_err(io(&t))?,
                }
            }
            Step::Put { rel, was, .. } => {
                let (s, t, b) = (places.staged(rel), places.target(rel), places.backup(rel));
                if !exists(&s) {
                    continue;
                }
                if was.is_some() && !exists(&b) && exists(&t) {
                    parent_dir(&b)?;
                    fsx::rename_new(&t, &b).map_err(io(&t))?;
                    // The instant between the two renames, for the kill test to reach too.
                    hooks::switch_step().map_err(io(&places.out))?;
                }
                // Never through a symlink: the folder must still be a real one inside OUT.
                if let Some(parent) = t.parent().filter(|p| checked_parents.insert(p.to_path_buf())) {
                    let real = fs::symlink_metadata(parent).is_ok_and(|m| m.is_dir());
                    if !real {
                        return Err(WriteError::Io(parent.to_path_buf(), std::io::Error::from(std::io::ErrorKind::NotADirectory)));
                    }
                }
                fsx::rename_new(&s, &t).map_err(io(&t))?;
            }
        }
    }
    Ok(())
}

/// Undoes every step, last first: new files go back to staging, backups back into place. A
/// placed file the user changed since stays where it is, and so does anything the user put where
/// a backup would go back: the old generated copy is let go, never the user's.
pub(crate) fn backward(places: &Places, steps: &[Step]) -> Result<(), WriteError> {
    for step in steps.iter().rev() {
        match step {
            Step::Put { rel, new, .. } => {
                let (s, t, b) = (places.staged(rel), places.target(rel), places.backup(rel));
                if !exists(&s) && exists(&t) && same(&t, *new) {
                    parent_dir(&s)?;
                    fsx::rename_new(&t, &s).map_err(io(&t))?;
                }
                restore(&b, &t)?;
            }
            Step::MakeDir { rel } => {
                // Only if empty: something the user put there meanwhile stays.
                let _ = fs::remove_dir(places.target(rel));
            }
            Step::Remove { rel, .. } => restore(&places.backup(rel), &places.target(rel))?,
        }
    }
    Ok(())
}

/// A backup goes back into place, unless something of the user's took the place meanwhile.
fn restore(backup: &Path, target: &Path) -> Result<(), WriteError> {
    if exists(backup) && !exists(target) {
        parent_dir(target)?;
        fsx::rename_new(backup, target).map_err(io(target))?;
    }
    Ok(())
}

fn same(path: &Path, want: FileDigest) -> bool {
    fingerprint(path).is_ok_and(|d| d == want)
}

/// Files the switch-over put in place that the user changed since (opened and saved, signed):
/// they are the user's now, kept as they are whether the switch-over is completed or undone.
pub(crate) fn changed_since(places: &Places, steps: &[Step]) -> Vec<PathBuf> {
    steps
        .iter()
        .filter_map(|step| match step {
            Step::Put { rel, new, .. } if !rel.starts_with(META) => {
                let (s, t) = (places.staged(rel), places.target(rel));
                (!exists(&s) && exists(&t) && !same(&t, *new)).then(|| rel.clone())
            }
            _ => None,
        })
        .collect()
}

/// Before recovering forward: is every file where the journal expects it, with the bytes it
/// expects? A file of the old run changed since the kill, a placed file gone, or a staged copy
/// a crash damaged, means undo. A placed file the user changed is no reason to undo: it is
/// kept (`changed_since`), and the record, which lists what zeren placed, shows it changed.
pub(crate) fn check(places: &Places, steps: &[Step]) -> Result<(), String> {
    for step in steps {
        match step {
            Step::Remove { rel, was } => {
                let (t, b) = (places.target(rel), places.backup(rel));
                if !exists(&b) && exists(&t) && !same(&t, *was) {
                    return Err(format!("{} 在中断后被改动过", t.display()));
                }
            }
            Step::MakeDir { rel } => {
                let t = places.target(rel);
                if fs::symlink_metadata(&t).is_ok_and(|m| !m.is_dir()) {
                    return Err(format!("{} 在中断后变成了文件", t.display()));
                }
            }
            Step::Put { rel, new, was } => {
                let (s, t, b) = (places.staged(rel), places.target(rel), places.backup(rel));
                let (staged, placed) = (exists(&s), exists(&t));
                let fine = if !staged {
                    placed && (same(&t, *new) || !rel.starts_with(META))
                } else if digest_file(&s).ok() != Some(*new) {
                    false
                } else {
                    // Something in place while the staged copy still has to go there: it must be
                    // the old file, not yet backed up.
                    !placed || matches!(was, Some(w) if !exists(&b) && same(&t, *w))
                };
                if !fine {
                    return Err(format!("{} 在中断后被改动、移走或损坏", t.display()));
                }
            }
        }
    }
    Ok(())
}

/// The switch-over is done: the journal goes (from here on OUT is the new run's), then the
/// backups and staging; folders the removals emptied go too.
pub(crate) fn finish_forward(places: &Places, steps: &[Step]) -> Result<(), WriteError> {
    let journal = places.meta.join(JOURNAL);
    fs::remove_file(&journal).map_err(io(&journal))?;
    fsx::sync_dir(&places.meta).map_err(io(&places.meta))?;
    clear(places);
    let mut emptied: Vec<&Path> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Remove { rel, .. } => rel.parent().filter(|p| !p.as_os_str().is_empty()),
            _ => None,
        })
        .collect();
    emptied.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    emptied.dedup();
    for dir in emptied {
        let _ = fs::remove_dir(places.target(dir));
    }
    Ok(())
}

/// The switch-over is undone: the journal goes, then what staging and the backups still hold.
pub(crate) fn finish_backward(places: &Places) -> Result<(), WriteError> {
    let journal = places.meta.join(JOURNAL);
    fs::remove_file(&journal).map_err(io(&journal))?;
    fsx::sync_dir(&places.meta).map_err(io(&places.meta))?;
    clear(places);
    Ok(())
}

/// Removes staging, backups and the undo mark (they hold nothing of OUT's once the journal is
/// gone). Answers whether there was anything.
pub(crate) fn clear(places: &Places) -> bool {
    let mut any = false;
    for dir in [STAGING_DIR, OLD] {
        let path = places.meta.join(dir);
        if let Ok(m) = fs::symlink_metadata(&path) {
            any = true;
            let _ = if m.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        }
    }
    for file in [UNDO.to_string(), format!("{JOURNAL}.part")] {
        any |= fs::remove_file(places.meta.join(file)).is_ok();
    }
    any
}

/// Marks the switch-over as being undone, durably: a run killed while undoing is undone further
/// by the next run, never taken forward again.
pub(crate) fn mark_undo(places: &Places) -> Result<(), WriteError> {
    let path = places.meta.join(UNDO);
    if !exists(&path) {
        fsx::create_new(&path).and_then(|f| f.sync_all()).map_err(io(&path))?;
        fsx::sync_dir(&places.meta).map_err(io(&places.meta))?;
    }
    Ok(())
}

pub(crate) fn undoing(places: &Places) -> bool {
    exists(&places.meta.join(UNDO))
}

/// Files a forward switch-over put in place (zeren's own record not counted).
pub(crate) fn placed(steps: &[Step]) -> usize {
    steps.iter().filter(|s| matches!(s, Step::Put { rel, .. } if !rel.starts_with(META))).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_reads_back_and_a_damaged_one_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let d = FileDigest::of(b"x");
        let steps = vec![
            Step::Remove { rel: PathBuf::from("函告书/1-办公室.docx"), was: d },
            Step::MakeDir { rel: PathBuf::from("责任书") },
            Step::Put { rel: PathBuf::from("责任书/01-办公室.docx"), new: d, was: None },
            Step::Put { rel: PathBuf::from("manifest.csv"), new: d, was: Some(d) },
        ];
        write_journal(tmp.path(), &steps).unwrap();
        assert_eq!(read_journal(tmp.path()).unwrap(), Some(steps));
        let text = fs::read_to_string(tmp.path().join(JOURNAL)).unwrap();
        fs::write(tmp.path().join(JOURNAL), text.replace("函告书/1-办公室.docx", "../../etc/passwd")).unwrap();
        assert!(matches!(read_journal(tmp.path()), Err(WriteError::Journal { .. })));
        fs::write(tmp.path().join(JOURNAL), &text[..text.len() - 4]).unwrap();
        assert!(matches!(read_journal(tmp.path()), Err(WriteError::Journal { .. })));
    }
}
