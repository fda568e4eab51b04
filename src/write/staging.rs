//! A run's staging folder, `.zeren/staging` inside OUT (so the final moves are renames on one
//! disk): documents are written there as they are done, `NAME.part` until whole. `commit`
//! switches them into OUT through the journal; dropping an uncommitted staging leaves OUT as it
//! was.

use super::errors::{WriteError, io};
use super::fsx;
use super::hooks;
use super::journal::{self, Places, Step};
use super::lock::{self, OutLock};
use super::preflight::preflight;
use super::record::{FileDigest, Record, Written, checked_rel, digest_file, rel_text};
use super::recover::recover_locked;
use super::survey::{DigestCache, Reach, Survey, survey};
use super::{META, RECORD_FILE, STAGING_DIR};
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    reach: Reach,
    force: bool,
    cache: DigestCache,
    /// Staged files in the order they were finished (workers write in parallel).
    files: Mutex<Vec<(PathBuf, Written)>>,
    /// OUT did not exist before this run: on failure it goes again.
    created_out: bool,
    lock: Option<OutLock>,
    /// Committed, or left for the next run to recover: nothing to clean up.
    settled: bool,
}

/// What a commit did, for the run's summary. Paths relative to OUT.
#[derive(Debug, Clone, Default)]
pub struct Committed {
    /// Every file of this run, sorted.
    pub written: Vec<PathBuf>,
    /// The previous run's files, unchanged since, that this run replaced.
    pub replaced: Vec<PathBuf>,
    /// Files the user changed or added that this run overwrote (`--force`).
    pub overwritten: Vec<PathBuf>,
    /// The previous run's files, unchanged since, that this run no longer produces.
    pub removed: Vec<PathBuf>,
    /// The previous run's files outside this run's reach, left as they were.
    pub carried: Vec<PathBuf>,
    /// The user's files and folders (`名称/`) left alone.
    pub kept: Vec<PathBuf>,
}

impl Staging {
    /// Staging for a run whose files are not known in advance (the web service's fresh folder):
    /// the checks happen at the commit.
    pub fn begin(out: &Path) -> Result<Staging, WriteError> {
        preflight(out, &[], Reach::All, false)?.begin()
    }

    pub(crate) fn open(out: PathBuf, reach: Reach, force: bool, cache: DigestCache) -> Result<Staging, WriteError> {
        let created_out = !out.exists();
        fs::create_dir_all(&out).map_err(io(&out))?;
        let dir = out.join(META).join(STAGING_DIR);
        let mut staging = Staging { out, dir, reach, force, cache, files: Mutex::default(), created_out, lock: None, settled: false };
        // From here on, dropping `staging` removes what it made.
        staging.lock = Some(OutLock::take(&staging.out)?);
        // A run killed since this one's start left a journal or a staging folder. What cannot be
        // recovered stays as it lies, for the next try.
        if let Err(e) = recover_locked(&staging.out) {
            staging.settled = true;
            return Err(e);
        }
        fsx::create_private_dir(&staging.dir).map_err(io(&staging.dir))?;
        Ok(staging)
    }

    /// Writes one file (path relative to OUT) into staging; answers its SHA-256. Safe to call
    /// from several threads at once.
    pub fn put(&self, rel: &Path, bytes: &[u8]) -> Result<FileDigest, WriteError> {
        self.stage(rel, |f| f.write_all(bytes), Some(FileDigest::of(bytes)))
    }

    /// Like `put`, for a file written piece by piece (a print file streamed as it is laid out).
    pub fn put_with(&self, rel: &Path, write: impl FnOnce(&mut fs::File) -> std::io::Result<()>) -> Result<FileDigest, WriteError> {
        self.stage(rel, write, None)
    }

    fn stage(
        &self,
        rel: &Path,
        write: impl FnOnce(&mut fs::File) -> std::io::Result<()>,
        known: Option<FileDigest>,
    ) -> Result<FileDigest, WriteError> {
        // Errors name the file as the user will know it, not its staged copy.
        let shown = self.out.join(rel);
        let rel = match checked_rel(&rel_text(rel)) {
            Some(r) if !r.starts_with(META) => r,
            _ => return Err(WriteError::Io(shown, std::io::Error::other("不是输出文件夹内的文件路径"))),
        };
        let done = self.dir.join(&rel);
        if let Some(parent) = done.parent() {
            fs::create_dir_all(parent).map_err(io(&shown))?;
        }
        let mut part = done.clone().into_os_string();
        part.push(".part");
        let part = PathBuf::from(part);
        hooks::staging_put().map_err(io(&shown))?;
        // A new file, never through a symlink someone planted; no fsync per file: the journal
        // checks each staged copy's digest before a recovery moves it.
        let mut file = fsx::create_new(&part).map_err(io(&shown))?;
        write(&mut file).map_err(io(&shown))?;
        let len = file.metadata().map_err(io(&shown))?.len();
        drop(file);
        let digest = match known {
            Some(d) => d,
            None => digest_file(&part).map_err(io(&shown))?,
        };
        fsx::rename_new(&part, &done).map_err(io(&shown))?;
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push((rel, Written { digest, len }));
        Ok(digest)
    }

    /// Where a staged file (path relative to OUT) lies until the commit; also a place for
    /// scratch folders, which go with the staging folder.
    pub fn path(&self, rel: &Path) -> PathBuf {
        self.dir.join(rel)
    }

    /// Switches every staged file into OUT with this run's record, all or nothing: checks OUT
    /// again under the lock (a file edited during the run is still protected), writes the
    /// journal, moves, and on any failure undoes every move before answering the error.
    pub fn commit(mut self) -> Result<Committed, WriteError> {
        let (survey, written, steps) = self.journal()?;
        let places = Places::new(&self.out);
        if let Err(cause) = journal::forward(&places, &steps) {
            let undone = journal::mark_undo(&places).and_then(|_| journal::backward(&places, &steps));
            return Err(match undone.and_then(|_| journal::finish_backward(&places)) {
                Ok(()) => WriteError::Undone(Box::new(cause)),
                Err(undo) => {
                    // The journal stays for the next run to undo.
                    self.settled = true;
                    WriteError::UndoFailed { cause: cause.to_string(), undo: Box::new(undo), meta: self.out.join(META) }
                }
            });
        }
        self.settled = true;
        journal::finish_forward(&places, &steps)?;
        Ok(committed(survey, written))
    }

    /// Checks OUT again, stages this run's record and writes the journal: from here on, if this
    /// run dies, the switch-over is the next run's to finish.
    fn journal(&mut self) -> Result<(Survey, Vec<PathBuf>, Vec<Step>), WriteError> {
        let mut files = std::mem::take(&mut *self.files.lock().unwrap_or_else(|e| e.into_inner()));
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let rels: Vec<PathBuf> = files.iter().map(|(rel, _)| rel.clone()).collect();
        let survey = survey(&self.out, &rels, &self.reach, self.force, &mut self.cache)?;
        if !survey.blockers.is_empty() {
            return Err(WriteError::Blocked { out: self.out.clone(), blockers: survey.blockers });
        }
        // A replaced file's permissions stay the user's (read-only under --force, private, …).
        for p in &survey.planned {
            if let Some(mode) = &p.mode {
                let staged = self.dir.join(&p.rel);
                fsx::set_mode(&staged, mode).map_err(io(&self.out.join(&p.rel)))?;
            }
        }
        let record_rel = Path::new(META).join(RECORD_FILE);
        // Files the run left outside its reach stay zeren's: the next run may replace or remove them.
        let record = Record { files: files.iter().chain(&survey.carried).cloned().collect() }.to_text();
        let staged_record = self.dir.join(&record_rel);
        if let Some(parent) = staged_record.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        fsx::create_new(&staged_record).and_then(|mut f| f.write_all(record.as_bytes())).map_err(io(&staged_record))?;
        let steps = steps(&survey, &files, &record_rel, FileDigest::of(record.as_bytes()));
        journal::write_journal(&self.out.join(META), &steps)?;
        Ok((survey, rels, steps))
    }
}

/// The journal of a switch-over: removals, new folders, every staged file, the record last.
fn steps(survey: &Survey, files: &[(PathBuf, Written)], record_rel: &Path, record: FileDigest) -> Vec<Step> {
    let was: HashMap<&PathBuf, Option<FileDigest>> = survey.planned.iter().map(|p| (&p.rel, p.was)).collect();
    let mut steps: Vec<Step> = survey.stale.iter().map(|(rel, was)| Step::Remove { rel: rel.clone(), was: *was }).collect();
    steps.extend(survey.mkdirs.iter().map(|rel| Step::MakeDir { rel: rel.clone() }));
    steps.extend(files.iter().map(|(rel, w)| Step::Put { rel: rel.clone(), new: w.digest, was: was.get(rel).copied().flatten() }));
    steps.push(Step::Put { rel: record_rel.to_path_buf(), new: record, was: survey.record_was });
    steps
}

fn committed(survey: Survey, written: Vec<PathBuf>) -> Committed {
    use super::survey::Fate;
    let with = |fate: Fate| survey.planned.iter().filter(|p| p.fate == fate).map(|p| p.rel.clone()).collect();
    Committed {
        replaced: with(Fate::Replace),
        overwritten: with(Fate::Overwrite),
        removed: survey.stale.iter().map(|(rel, _)| rel.clone()).collect(),
        carried: survey.carried.iter().map(|(rel, _)| rel.clone()).collect(),
        kept: survey.kept.clone(),
        written,
    }
}

impl Committed {
    /// The summary's lines about OUT: what was replaced or removed, and every file of the user's
    /// that was overwritten (`--force`) or kept, by name.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let mut ours = Vec::new();
        if !self.replaced.is_empty() {
            ours.push(format!("替换了上次生成的 {} 个文件", self.replaced.len()));
        }
        if !self.removed.is_empty() {
            ours.push(format!("删除了上次生成、本次不再生成的 {} 个文件", self.removed.len()));
        }
        if !ours.is_empty() {
            notes.push(format!("{}（都未被改动过）", ours.join("，")));
        }
        if !self.carried.is_empty() {
            notes.push(format!("上次生成的其他 {} 个文件不在本次所选范围内，保持不变", self.carried.len()));
        }
        if !self.overwritten.is_empty() {
            notes.push(format!("按 --force 覆盖了 {} 个您修改或添加的文件：{}", self.overwritten.len(), names(&self.overwritten)));
        }
        if !self.kept.is_empty() {
            notes.push(format!("保留了 {} 个您修改或添加的文件：{}", self.kept.len(), names(&self.kept)));
        }
        notes
    }
}

/// Up to ten names, then how many more.
fn names(paths: &[PathBuf]) -> String {
    let mut shown: Vec<String> = paths.iter().take(10).map(|p| p.to_string_lossy().replace('\\', "/")).collect();
    if paths.len() > 10 {
        shown.push(format!("……等 {} 个", paths.len()));
    }
    shown.join("、")
}

impl Drop for Staging {
    /// On any error before the switch-over (the run never committed) OUT is left as it was.
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        let _ = fs::remove_dir_all(&self.dir);
        if self.lock.is_some() {
            lock::tidy(&self.out);
        }
        if self.created_out {
            let _ = fs::remove_dir(&self.out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::recover::{Recovered, recover};
    use std::collections::BTreeMap;

    const OLD: [(&str, &str); 4] =
        [("责任书/1-甲.docx", "甲 1"), ("责任书/2-乙.docx", "乙 1"), ("函告书/1-甲.docx", "函 1"), ("manifest.csv", "清单 1")];
    /// Replaces 1-甲 and the manifest, removes 2-乙 and the whole 函告书, adds 2-丙 and a folder.
    const NEW: [(&str, &str); 4] =
        [("责任书/1-甲.docx", "甲 2"), ("责任书/2-丙.docx", "丙 2"), ("年度报告表/1-甲.docx", "年 2"), ("manifest.csv", "清单 2")];

    fn stage(out: &Path, files: &[(&str, &str)]) -> Staging {
        let targets: Vec<PathBuf> = files.iter().map(|(rel, _)| PathBuf::from(rel)).collect();
        let staging = preflight(out, &targets, Reach::All, false).unwrap().begin().unwrap();
        for (rel, text) in files {
            staging.put(Path::new(rel), text.as_bytes()).unwrap();
        }
        staging
    }

    /// OUT after the old run, with a file of the user's beside it.
    fn old_run(out: &Path) {
        stage(out, &OLD).commit().unwrap();
        fs::write(out.join("责任书/签字.pdf"), "扫描件").unwrap();
    }

    /// Every file, zeren's record included (its lock aside).
    fn snapshot(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.file_name() != crate::write::LOCK_FILE)
            .map(|e| (e.path().strip_prefix(out).unwrap().to_path_buf(), fs::read(e.path()).unwrap()))
            .collect()
    }

    /// A run that dies once its journal is written and the first `k` steps are done (and, with
    /// `half`, the first rename of step `k` too), leaving everything as it lies.
    fn killed_after(out: &Path, k: usize, half: bool) -> Option<Vec<Step>> {
        old_run(out);
        let mut staging = stage(out, &NEW);
        let (_, _, steps) = staging.journal().unwrap();
        let places = Places::new(out);
        journal::forward(&places, &steps[..k]).unwrap();
        if half {
            let Some(Step::Put { rel, was: Some(_), .. }) = steps.get(k) else { return None };
            fs::create_dir_all(places.backup(rel).parent().unwrap()).unwrap();
            fs::rename(places.target(rel), places.backup(rel)).unwrap();
        }
        staging.settled = true;
        Some(steps)
    }

    #[test]
    fn a_switch_over_killed_after_any_step_is_completed_by_the_next_run() {
        let tmp = tempfile::tempdir().unwrap();
        let old = tmp.path().join("old");
        old_run(&old);
        let reference = tmp.path().join("new");
        old_run(&reference);
        let done = stage(&reference, &NEW).commit().unwrap();
        assert_eq!(done.removed, [PathBuf::from("函告书/1-甲.docx"), PathBuf::from("责任书/2-乙.docx")]);
        assert_eq!(done.kept, [PathBuf::from("责任书/签字.pdf")]);
        let new = snapshot(&reference);
        assert!(!reference.join("函告书").exists(), "the emptied folder goes");
        let steps = killed_after(&tmp.path().join("count"), 0, false).unwrap().len();
        for k in 0..=steps {
            for half in [false, true] {
                let out = tmp.path().join(format!("k{k}-{half}"));
                if killed_after(&out, k, half).is_none() {
                    continue;
                }
                let said = recover(&out).unwrap();
                assert!(matches!(said, Some(Recovered::Completed { .. })), "after step {k} ({half}): {said:?}");
                assert_eq!(snapshot(&out), new, "killed after step {k} ({half})");
            }
        }
        assert_ne!(snapshot(&old), new);
    }

    #[test]
    fn an_undo_killed_at_any_step_is_undone_by_the_next_run() {
        let tmp = tempfile::tempdir().unwrap();
        let reference = tmp.path().join("old");
        old_run(&reference);
        let old = snapshot(&reference);
        let steps = killed_after(&tmp.path().join("count"), 0, false).unwrap().len();
        for undone in 0..=steps {
            let out = tmp.path().join(format!("u{undone}"));
            let steps = killed_after(&out, steps, false).unwrap();
            let places = Places::new(&out);
            journal::mark_undo(&places).unwrap();
            journal::backward(&places, &steps[steps.len() - undone..]).unwrap();
            let said = recover(&out).unwrap();
            assert!(matches!(said, Some(Recovered::Undone { .. })), "{said:?}");
            assert_eq!(snapshot(&out), old, "undo killed after {undone} steps");
        }
    }

    #[test]
    fn a_file_changed_after_the_kill_makes_the_next_run_undo_and_keep_the_change() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        killed_after(&out, 0, false).unwrap();
        fs::write(out.join("责任书/2-乙.docx"), "用户改过").unwrap();
        let said = recover(&out).unwrap();
        let Some(Recovered::Undone { why, .. }) = said else { panic!("{said:?}") };
        assert!(why.contains("2-乙.docx 在中断后被改动过"), "{why}");
        assert_eq!(fs::read_to_string(out.join("责任书/2-乙.docx")).unwrap(), "用户改过");
        assert_eq!(fs::read_to_string(out.join("责任书/1-甲.docx")).unwrap(), "甲 1", "the old run's files are back");
        assert!(!out.join("责任书/2-丙.docx").exists());
    }

    #[test]
    fn a_placed_file_the_user_changed_after_the_kill_is_kept_whether_completed_or_undone() {
        let tmp = tempfile::tempdir().unwrap();
        for undo in [false, true] {
            let out = tmp.path().join(format!("undo-{undo}"));
            let steps = killed_after(&out, 0, false).unwrap().len();
            let _ = fs::remove_dir_all(&out);
            // Every file placed, the record still staged: the user signs a placed letter.
            killed_after(&out, steps - 1, false).unwrap();
            fs::write(out.join("责任书/1-甲.docx"), "甲 2，已签字").unwrap();
            fs::write(out.join("年度报告表/1-甲.docx"), "年 2，已签字").unwrap();
            if undo {
                // A staged copy a crash damaged: the switch-over cannot be completed.
                fs::write(out.join(".zeren/staging/.zeren/record"), "damaged").unwrap();
            }
            let said = recover(&out).unwrap().unwrap();
            let kept = match &said {
                Recovered::Completed { kept, .. } if !undo => kept,
                Recovered::Undone { kept, .. } if undo => kept,
                other => panic!("{other:?}"),
            };
            assert_eq!(kept, &[PathBuf::from("年度报告表/1-甲.docx"), PathBuf::from("责任书/1-甲.docx")]);
            assert!(
                said.to_string().contains("被您改动过的 2 个文件按您改动后的样子保留") && said.to_string().contains("责任书/1-甲.docx"),
                "{said}"
            );
            assert_eq!(fs::read_to_string(out.join("责任书/1-甲.docx")).unwrap(), "甲 2，已签字");
            assert_eq!(fs::read_to_string(out.join("年度报告表/1-甲.docx")).unwrap(), "年 2，已签字");
            assert_eq!(fs::read_to_string(out.join("责任书/2-丙.docx")).is_ok(), !undo, "an unchanged placed file follows the switch-over");
            assert_eq!(fs::read_to_string(out.join("函告书/1-甲.docx")).is_ok(), undo, "a removed file comes back on undo");
            // Both are the user's now: the next run does not write over them.
            let targets: Vec<PathBuf> = NEW.iter().map(|(rel, _)| PathBuf::from(rel)).collect();
            let blocked = preflight(&out, &targets, Reach::All, false).unwrap().blocked().unwrap().to_string();
            assert!(blocked.contains("责任书/1-甲.docx（上次由 zeren 生成，之后被改过）"), "{blocked}");
            assert!(blocked.contains("年度报告表/1-甲.docx"), "{blocked}");
            assert!(!out.join(".zeren/staging").exists() && !out.join(".zeren/old").exists());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_part_symlink_is_never_written_through() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let out = tmp.path().join("out");
        let staging = Staging::begin(&out).unwrap();
        fs::create_dir_all(staging.path(Path::new("责任书"))).unwrap();
        std::os::unix::fs::symlink(&victim, staging.path(Path::new("责任书/1-甲.docx.part"))).unwrap();
        let e = staging.put(Path::new("责任书/1-甲.docx"), b"letter").unwrap_err();
        assert!(e.to_string().contains("已有同名"), "{e}");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }
}
