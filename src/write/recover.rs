//! What a run does first: finish, or undo, what a killed run left in OUT.

use super::errors::WriteError;
use super::journal::{self, Places};
use super::lock::{self, OutLock};
use super::record::rel_text;
use super::{LEGACY_STAGING, META};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// What the recovery did, said in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovered {
    /// The killed run's switch-over was taken to its end: OUT is that run's. `kept`: files it
    /// had placed that the user changed since, kept as the user left them (paths relative to OUT).
    Completed { out: PathBuf, files: usize, kept: Vec<PathBuf> },
    /// It could not be (`why`), so it was undone: OUT is as before that run, but for `kept`.
    Undone { out: PathBuf, why: String, kept: Vec<PathBuf> },
    /// The killed run had not begun its switch-over (or had ended it): its leftovers are gone.
    Cleared { out: PathBuf },
}

impl fmt::Display for Recovered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recovered::Completed { out, files, kept } => {
                write!(f, "提示：上次运行在把文件移入 {} 时被中断，已先替它完成（{files} 个文件就位）", out.display())?;
                write_kept(f, kept)
            }
            Recovered::Undone { out, why, kept } => {
                write!(f, "提示：上次运行在切换 {} 时被中断，且{why}，已撤销：输出文件夹恢复为那次运行之前的样子", out.display())?;
                if !kept.is_empty() {
                    f.write_str("（以下文件除外）")?;
                }
                write_kept(f, kept)
            }
            Recovered::Cleared { out } => {
                write!(f, "提示：上次运行未完成，已删除它留在 {} 的暂存文件（其余文件未受影响）", out.display())
            }
        }
    }
}

/// Names the files the user changed after the kill: they stay as the user left them.
fn write_kept(f: &mut fmt::Formatter<'_>, kept: &[PathBuf]) -> fmt::Result {
    if kept.is_empty() {
        return Ok(());
    }
    write!(f, "\n提示：那次运行已放入、之后被您改动过的 {} 个文件按您改动后的样子保留，未被替换或删除：", kept.len())?;
    for rel in kept.iter().take(10) {
        write!(f, "\n    {}", rel_text(rel))?;
    }
    if kept.len() > 10 {
        write!(f, "\n    ……等 {} 个", kept.len())?;
    }
    Ok(())
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
    let kept = journal::changed_since(&places, &steps);
    let why = if journal::undoing(&places) {
        "撤销未完成".to_string()
    } else {
        let why = match journal::check(&places, &steps) {
            Ok(()) => match journal::forward(&places, &steps) {
                Ok(()) => {
                    journal::finish_forward(&places, &steps)?;
                    return Ok(Some(Recovered::Completed { out: out.to_path_buf(), files: journal::placed(&steps), kept }));
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
    Ok(Some(Recovered::Undone { out: out.to_path_buf(), why, kept }))
}
