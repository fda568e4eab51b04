//! write: files into OUT, all or nothing (design, settled 2 and 3).
//!
//! Documents go into a hidden staging folder inside OUT as `*.part`, renamed when complete.
//! Only when the whole run succeeded are they moved into place and the manifest written; on any
//! error the staging folder is removed and OUT is as it was. A killed run leaves only the
//! staging folder, which the next run removes. Knows nothing of document content.

mod manifest;
mod names;
pub mod roster_template;
mod summary;

pub use manifest::{ManifestRow, manifest_csv, manifest_xlsx};
pub use names::{file_name, safe_name};
pub use summary::{SUMMARY_XLSX, summary_xlsx};

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The staging folder's name inside OUT (hidden on Unix, and obviously ours).
pub const STAGING: &str = ".zeren-staging";
pub const MANIFEST_CSV: &str = "manifest.csv";
pub const MANIFEST_XLSX: &str = "清单.xlsx";

#[derive(Debug)]
pub enum WriteError {
    /// OUT exists and is not a folder.
    NotADirectory(PathBuf),
    /// Files that exist and would be overwritten (without `--force`).
    Exists(Vec<PathBuf>),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotADirectory(p) => write!(f, "{}: 输出位置已存在且不是文件夹", p.display()),
            WriteError::Exists(list) => {
                write!(f, "输出文件夹中已有 {} 个同名文件，未覆盖（如确需覆盖，请加 --force）：", list.len())?;
                for p in list.iter().take(10) {
                    write!(f, "\n    {}", p.display())?;
                }
                if list.len() > 10 {
                    write!(f, "\n    ……等 {} 个", list.len())?;
                }
                Ok(())
            }
            WriteError::Io(p, e) => write!(f, "{}: 写入失败：{e}", p.display()),
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |e| WriteError::Io(path.to_path_buf(), e)
}

/// Checks OUT before anything is rendered: it must be a folder (or not exist yet), and none of
/// `targets` (paths relative to OUT) may exist unless `force`.
pub fn preflight(out: &Path, targets: &[PathBuf], force: bool) -> Result<(), WriteError> {
    if out.exists() && !out.is_dir() {
        return Err(WriteError::NotADirectory(out.to_path_buf()));
    }
    if force {
        return Ok(());
    }
    let existing: Vec<PathBuf> = targets.iter().map(|t| out.join(t)).filter(|p| p.exists()).collect();
    if existing.is_empty() { Ok(()) } else { Err(WriteError::Exists(existing)) }
}

/// A run's staging area inside OUT.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Staged files in the order they were finished (workers write in parallel).
    files: std::sync::Mutex<Vec<PathBuf>>,
    committed: bool,
    /// OUT did not exist before this run: on failure it goes again.
    created_out: bool,
}

impl Staging {
    /// Creates OUT if needed and a fresh staging folder, removing one a killed run left.
    pub fn begin(out: &Path) -> Result<Staging, WriteError> {
        let created_out = !out.exists();
        fs::create_dir_all(out).map_err(io(out))?;
        let dir = out.join(STAGING);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        Ok(Staging { out: out.to_path_buf(), dir, files: Default::default(), committed: false, created_out })
    }

    /// Writes one file (path relative to OUT) into staging: `NAME.part`, then renamed.
    /// Safe to call from several threads at once.
    pub fn put(&self, rel: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        self.put_with(rel, |f| f.write_all(bytes))
    }

    /// Like `put`, for a file written piece by piece (a print file streamed as it is laid out).
    pub fn put_with(&self, rel: &Path, write: impl FnOnce(&mut fs::File) -> std::io::Result<()>) -> Result<(), WriteError> {
        let done = self.dir.join(rel);
        if let Some(parent) = done.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let mut part = done.clone().into_os_string();
        part.push(".part");
        let part = PathBuf::from(part);
        let mut f = fs::File::create(&part).map_err(io(&part))?;
        write(&mut f).map_err(io(&part))?;
        drop(f);
        // No fsync per file: the rename is what makes a file whole; a crash or kill leaves only
        // the staging folder, which the next run removes.
        fs::rename(&part, &done).map_err(io(&done))?;
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_path_buf());
        Ok(())
    }

    /// Where a staged file (path relative to OUT) lies until the commit; also a place for
    /// scratch folders, which go with the staging folder.
    pub fn path(&self, rel: &Path) -> PathBuf {
        self.dir.join(rel)
    }

    /// Moves every staged file into place, then removes the staging folder.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, WriteError> {
        let mut files = std::mem::take(&mut *self.files.lock().unwrap_or_else(|e| e.into_inner()));
        files.sort();
        for rel in &files {
            let from = self.dir.join(rel);
            let to = self.out.join(rel);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(io(parent))?;
            }
            fs::rename(&from, &to).map_err(io(&to))?;
        }
        fs::remove_dir_all(&self.dir).map_err(io(&self.dir))?;
        self.committed = true;
        Ok(files)
    }
}

impl Drop for Staging {
    /// On any error (the run never committed) OUT is left as it was.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
            if self.created_out {
                let _ = fs::remove_dir(&self.out);
            }
        }
    }
}

/// Writes `bytes` to `path` atomically: a temp file beside it, then a rename.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io(dir))?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = PathBuf::from(tmp);
    fs::write(&tmp, bytes).map_err(io(&tmp))?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        WriteError::Io(path.to_path_buf(), e)
    })
}

/// The lock file that serialises runs which may hand out 文号 (design, settled 4).
pub const LOCK: &str = ".zeren.lock";

/// Takes the workspace's lock for the whole run, waiting for another run to finish. `None`
/// where the workspace cannot hold a lock file (read-only): such a run must not assign numbers.
pub fn lock_workspace(root: &Path) -> Option<fs::File> {
    let file = fs::OpenOptions::new().create(true).truncate(false).write(true).open(root.join(LOCK)).ok()?;
    file.lock().ok()?;
    Some(file)
}
