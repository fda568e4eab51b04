//! What a run does first: finish, or undo, what a killed run left in OUT.

use super::errors::WriteError;
use super::journal::{self, Places};
use super::lock::{self, OutLock};
use super::{LEGACY_STAGING, META};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// What the recovery did, said in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovered {
    /// The killed run's switch-over was taken to its end: OUT is that run's.
    Completed { out: PathBuf, files: usize },
    /// It could not be (`why`), so it was undone: OUT is as before that run.
    Undone { out: PathBuf, why: String },
    /// The killed run had not begun its switch-over (or had ended it): its leftovers are gone.
    Cleared { out: PathBuf },
}

impl fmt::Display for Recovered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recovered::Completed { out, files } => {
                write!(f, "提示：上次运行在把文件移入 {} 时被中断，已先替它完成（{files} 个文件就位）", out.display())
            }
            Recovered::Undone { out, why } => {
                write!(f, "提示：上次运行在切换 {} 时被中断，且{why}，已撤销：输出文件夹恢复为那次运行之前的样子", out.display())
            }
            Recovered::Cleared { out } => {
                write!(f, "提示：上次运行未完成，已删除它留在 {} 的暂存文件（其余文件未受影响）", out.display())
            }
        }
    }
}

/// Finishes or undoes a switch-over a killed run left in OUT, and removes its staging. A run
/// calls this before anything else (even before loading its data); `--dry-run` does not.
pub fn recover(out: &Path) -> Result<Option<Recovered>, WriteError> {
    let mut note = None;
    // Older versions staged in `.zeren-staging`: only copies, never anything of OUT's.
    let legacy = out.join(LEGACY_STAGING);
    if let Ok(m) = fs::symlink_metadata(&legacy) {
        let _ = if m.is_dir() { fs::remove_dir_all(&legacy) } else { fs::remove_file(&legacy) };
        note = Some(Recovered::Cleared { out: out.to_path_buf() });
    }
    // A `.zeren` that is not ours is never acted on; the run's preflight names it.
    if !lock::meta_is_ours(&out.join(META)) {
        return Ok(note);
    }
    let _lock = OutLock::take(out)?;
    let done = recover_locked(out)?;
    lock::tidy(out);
    Ok(done.or(note))
}

/// `recover` with OUT's lock held.
pub(crate) fn recover_locked(out: &Path) -> Result<Option<Recovered>, WriteError> {
    let places = Places::new(out);
    let Some(steps) = journal::read_journal(&out.join(META))? else {
        return Ok(journal::clear(&places).then(|| Recovered::Cleared { out: out.to_path_buf() }));
    };
    let why = if journal::undoing(&places) {
        "撤销未完成".to_string()
    } else {
        let why = match journal::check(&places, &steps) {
            Ok(()) => match journal::forward(&places, &steps) {
                Ok(()) => {
                    journal::finish_forward(&places, &steps)?;
                    return Ok(Some(Recovered::Completed { out: out.to_path_buf(), files: journal::placed(&steps) }));
                }
                Err(e) => format!("无法完成（{e}）"),
            },
            Err(changed) => format!("{changed}，无法完成"),
        };
        journal::mark_undo(&places)?;
        why
    };
    journal::backward(&places, &steps).map_err(|undo| WriteError::UndoFailed {
        cause: format!("上次运行在切换时被中断，{why}"),
        undo: Box::new(undo),
        meta: out.join(META),
    })?;
    journal::finish_backward(&places)?;
    Ok(Some(Recovered::Undone { out: out.to_path_buf(), why }))
}
