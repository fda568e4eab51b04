//! write: files into OUT, all or nothing, and re-runs that never touch the user's files
//! (design, settled 2 and 3). Knows nothing of document content.
//!
//! A run, as the build drives it:
//! 1. `recover(out)` first: finishes (or undoes) what a killed run left; one line to show.
//! 2. `preflight(out, targets, reach, force)`: reads OUT and the previous run's record; says what each
//!    target replaces, what goes, what of the user's stays, and what stands in the way
//!    (`--dry-run` prints `describe()`).
//! 3. `Preflight::begin()`: refuses while anything stands in the way (a file the user changed
//!    or added at a target without `--force`, a file where a folder goes, a symlinked or
//!    unwritable folder, too little room); else OUT's lock and a fresh `.zeren/staging`.
//! 4. `Staging::put`/`put_with` as documents are done (`NAME.part` until whole).
//! 5. `Staging::commit()`: checks again under the lock, journals every move, switches, and
//!    answers `Committed` (what was replaced, removed, overwritten, kept). On any error before
//!    or during the switch-over OUT is as it was; a kill at any instant leaves a journal the next
//!    run's `recover` completes or undoes.
//!
//! OUT holds zeren's own folder `.zeren/`: `record` (every file of the last run with its
//! SHA-256), `lock`, and during a run `staging/`, `journal`, `old/` (backups until the switch-over
//! is done).

mod errors;
mod fsx;
mod hooks;
mod journal;
mod lock;
mod manifest;
mod names;
mod new_files;
mod preflight;
mod record;
mod recover;
pub mod roster_template;
mod staging;
mod summary;
mod survey;

pub use errors::{Blocker, WriteError, explain};
pub use lock::{LOCK, lock_workspace};
pub use manifest::{ManifestRow, manifest_csv, manifest_xlsx};
pub use names::{file_name, safe_name};
pub use new_files::{NewFilesError, Obstacle, write_new_files};
pub use preflight::{Preflight, preflight};
pub use record::FileDigest;
pub use recover::{Recovered, recover};
pub use staging::{Committed, Staging};
pub use summary::{SUMMARY_XLSX, summary_xlsx};
pub use survey::{Fate, Reach};

use errors::io;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// zeren's own folder in OUT (hidden on Unix, and obviously ours).
pub const META: &str = ".zeren";
/// The staging folder, relative to OUT.
pub const STAGING: &str = ".zeren/staging";
/// The record of the last run's files, relative to OUT.
pub const RECORD: &str = ".zeren/record";
pub const MANIFEST_CSV: &str = "manifest.csv";
pub const MANIFEST_XLSX: &str = "清单.xlsx";

/// Inside `.zeren`.
const STAGING_DIR: &str = "staging";
const RECORD_FILE: &str = "record";
const JOURNAL: &str = "journal";
const OLD: &str = "old";
const UNDO: &str = "undo";
const LOCK_FILE: &str = "lock";
/// Where versions before the journal staged (a killed run of theirs left only copies there).
const LEGACY_STAGING: &str = ".zeren-staging";

/// Writes `bytes` to `path` atomically: a new temp file beside it (never through a symlink
/// someone planted as `NAME.part`), then a rename, which replaces a symlink at `path` rather than
/// writing through it.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io(dir))?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = PathBuf::from(tmp);
    // A `.part` a killed run left (or a symlink in its place) goes; a folder of that name stays.
    if fs::symlink_metadata(&tmp).is_ok_and(|m| !m.is_dir()) {
        fs::remove_file(&tmp).map_err(io(&tmp))?;
    }
    let written = fsx::create_new(&tmp).and_then(|mut f| f.write_all(bytes));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(WriteError::Io(path.to_path_buf(), e));
    }
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        WriteError::Io(path.to_path_buf(), e)
    })
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn atomic_write_never_writes_through_a_planted_part_symlink() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let ledger = tmp.path().join("文号台账.yaml");
        std::os::unix::fs::symlink(&victim, tmp.path().join("文号台账.yaml.part")).unwrap();
        super::atomic_write(&ledger, b"numbers: {}\n").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(&ledger).unwrap(), "numbers: {}\n");
        assert!(!tmp.path().join("文号台账.yaml.part").exists());
    }
}
