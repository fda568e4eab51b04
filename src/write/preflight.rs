//! A run's plan for OUT, checked before anything is rendered: what each file it writes will
//! replace, what the previous run left that goes, what of the user's stays, and what stands in
//! the way. `--dry-run` shows it; `begin` refuses to start while anything stands in the way.

use super::errors::WriteError;
use super::fsx;
use super::record::rel_text;
use super::staging::Staging;
use super::survey::{DigestCache, Fate, Reach, Survey, survey};
use std::path::{Path, PathBuf};

pub struct Preflight {
    pub(crate) out: PathBuf,
    pub(crate) force: bool,
    pub(crate) reach: Reach,
    pub(crate) survey: Survey,
    pub(crate) cache: DigestCache,
}

/// Looks at OUT for a run that will write `targets` (paths relative to OUT): reads only. Fails
/// only when OUT cannot be looked at (it is a file, a folder cannot be read); what stands in the
/// way is reported by `blocked` and refused by `begin`. Of the previous run's files, those
/// within `reach` that the run does not write again go; the rest stay.
pub fn preflight(out: &Path, targets: &[PathBuf], reach: Reach, force: bool) -> Result<Preflight, WriteError> {
    let mut cache = DigestCache::new();
    let survey = survey(out, targets, &reach, force, &mut cache)?;
    Ok(Preflight { out: out.to_path_buf(), force, reach, survey, cache })
}

/// A document needs at least this much (a .docx of one page is larger): a disk with less room
/// for the run fails now, not after rendering.
const LEAST_PER_FILE: u64 = 4 * 1024;

impl Preflight {
    /// What happens to a file the run writes (relative to OUT).
    pub fn fate(&self, rel: &Path) -> Option<Fate> {
        self.survey.planned.iter().find(|p| p.rel == rel).map(|p| p.fate)
    }

    /// The previous run's files this run no longer produces, unchanged since: they go.
    pub fn removed(&self) -> Vec<&Path> {
        self.survey.stale.iter().map(|(rel, _)| rel.as_path()).collect()
    }

    /// The previous run's files outside this run's reach: they stay, still zeren's.
    pub fn carried(&self) -> Vec<&Path> {
        self.survey.carried.iter().map(|(rel, _)| rel.as_path()).collect()
    }

    /// The user's files and folders (`名称/`) the run leaves alone.
    pub fn kept(&self) -> &[PathBuf] {
        &self.survey.kept
    }

    /// A killed run's switch-over awaits the next real run.
    pub fn interrupted(&self) -> bool {
        self.survey.interrupted
    }

    /// Everything that stands in the way, in one error naming each.
    pub fn blocked(&self) -> Option<WriteError> {
        (!self.survey.blockers.is_empty()).then(|| WriteError::Blocked { out: self.out.clone(), blockers: self.survey.blockers.clone() })
    }

    /// The `--dry-run` listing: each file with its fate, then what goes and what stays.
    pub fn describe(&self) -> String {
        let mut text = String::new();
        for p in &self.survey.planned {
            let note = match p.fate {
                Fate::New => "",
                Fate::Replace => "（替换上次生成的）",
                Fate::Overwrite => "（覆盖您修改或添加的文件：--force）",
                Fate::Refused => "（已有您修改或添加的文件或文件夹：不会覆盖，本次将拒绝生成）",
            };
            text.push_str(&format!("    {}{note}\n", rel_text(&p.rel)));
        }
        if !self.survey.stale.is_empty() {
            text.push_str(&format!("将删除上次生成、本次不再生成的 {} 个文件（未被改动过）：\n", self.survey.stale.len()));
            for (rel, _) in &self.survey.stale {
                text.push_str(&format!("    {}\n", rel_text(rel)));
            }
        }
        if !self.survey.carried.is_empty() {
            text.push_str(&format!("上次生成的其他 {} 个文件不在本次所选范围内，保持不变\n", self.survey.carried.len()));
        }
        if !self.survey.kept.is_empty() {
            text.push_str(&format!("将保留 {} 个您修改或添加的文件：\n", self.survey.kept.len()));
            for rel in &self.survey.kept {
                text.push_str(&format!("    {}\n", rel.display()));
            }
        }
        if self.survey.interrupted {
            text.push_str("注意：上次运行在切换时被中断；下次生成会先完成（或撤销）它，以上按当前的样子列出\n");
        }
        text
    }

    /// Starts the run's staging: refuses while anything stands in the way or the disk is too
    /// full for the run, else creates OUT if needed, takes OUT's lock and a fresh staging folder.
    pub fn begin(self) -> Result<Staging, WriteError> {
        if let Some(blocked) = self.blocked() {
            return Err(blocked);
        }
        self.check_space()?;
        Staging::open(self.out, self.reach, self.force, self.cache)
    }

    /// Room for the run on OUT's disk, estimated from the previous run's files where there was
    /// one (the old files stay until the switch-over).
    fn check_space(&self) -> Result<(), WriteError> {
        let files = self.survey.planned.len() as u64;
        let per_file = match &self.survey.record {
            Some(r) if !r.files.is_empty() => (r.total_len() / r.files.len() as u64).max(LEAST_PER_FILE),
            _ => LEAST_PER_FILE,
        };
        let need = files.saturating_mul(per_file);
        let here = |a: &'_ Path| if a.as_os_str().is_empty() { Path::new(".").to_path_buf() } else { a.to_path_buf() };
        let Some(existing) = self.out.ancestors().map(here).find(|a| a.is_dir()) else { return Ok(()) };
        match fsx::free_space(&existing) {
            Some(free) if free < need => Err(WriteError::NoSpace { out: self.out.clone(), need, free }),
            _ => Ok(()),
        }
    }
}

impl std::fmt::Debug for Preflight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Preflight").field("out", &self.out).field("blockers", &self.survey.blockers).finish_non_exhaustive()
    }
}
