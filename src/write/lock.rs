//! Locks: one run at a time writes into (or recovers) an OUT, whichever workspace it builds; one
//! run at a time hands out a workspace's 文号.

use super::errors::{Blocker, WriteError, io};
use super::fsx;
use super::{LOCK_FILE, META};
use std::fs::{self, File};
use std::path::{Path, PathBuf};

/// OUT's lock, `.zeren/lock`, held while it lives.
pub(crate) struct OutLock {
    _file: File,
}

impl OutLock {
    /// Creates `.zeren` if needed (a folder only this user may enter) and waits for the lock.
    pub(crate) fn take(out: &Path) -> Result<OutLock, WriteError> {
        let meta = out.join(META);
        loop {
            match fsx::create_private_dir(&meta) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(WriteError::Io(meta, e)),
            }
            if !meta_is_ours(&meta) {
                return Err(WriteError::Blocked { out: out.to_path_buf(), blockers: vec![Blocker::MetaNotOurs(PathBuf::from(META))] });
            }
            let path = meta.join(LOCK_FILE);
            let file = fsx::open_lock(&path).map_err(io(&path))?;
            file.lock().map_err(io(&path))?;
            // A run that wrote nothing removes `.zeren` with its lock file: a lock taken on a file
            // that is no longer at the path locks nothing, so take it again.
            if same_file(&file, &path) {
                return Ok(OutLock { _file: file });
            }
        }
    }
}

/// `.zeren` is a real folder of this user's, not a symlink or someone else's.
pub(crate) fn meta_is_ours(meta: &Path) -> bool {
    fs::symlink_metadata(meta).is_ok_and(|m| m.is_dir() && fsx::owned_by_me(&m))
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.ino() == b.ino() && a.dev() == b.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

/// Removes `.zeren` when it holds nothing but the lock: a run that wrote nothing leaves nothing.
/// Called with the lock held.
pub(crate) fn tidy(out: &Path) {
    let meta = out.join(META);
    let only_lock = fs::read_dir(&meta).is_ok_and(|entries| entries.filter_map(Result::ok).all(|e| e.file_name() == LOCK_FILE));
    if only_lock {
        let _ = fs::remove_file(meta.join(LOCK_FILE));
        let _ = fs::remove_dir(&meta);
    }
}

/// The lock file that serialises runs which may hand out 文号 (design, settled 4).
pub const LOCK: &str = ".zeren.lock";

/// Takes the workspace's lock for the whole run, waiting for another run to finish. `None`
/// where the workspace cannot hold a lock file (read-only): such a run must not assign numbers.
pub fn lock_workspace(root: &Path) -> Option<File> {
    let file = fsx::open_lock(&root.join(LOCK)).ok()?;
    file.lock().ok()?;
    Some(file)
}
