//! The few file-system calls that must never follow a symlink or replace what is there, behind
//! one door so the rest of `write` reads the same on every system.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;
use std::time::SystemTime;

/// What identifies a file's version cheaply: when it matches, a digest computed earlier holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

impl Stamp {
    pub(crate) fn of(meta: &fs::Metadata) -> Stamp {
        Stamp { len: meta.len(), modified: meta.modified().ok(), inode: inode(meta) }
    }
}

#[cfg(unix)]
fn inode(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &fs::Metadata) -> u64 {
    0
}

/// Renames `from` to `to`, failing with `AlreadyExists` rather than replacing what is at `to`
/// (a file the user put there in the meantime is never clobbered).
pub(crate) fn rename_new(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            // A file system without RENAME_NOREPLACE (some network mounts): check, then rename.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    if fs::symlink_metadata(to).is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    fs::rename(from, to)
}

/// A new file for writing; fails if anything (a symlink included) is already at `path`.
pub(crate) fn create_new(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

/// A FIFO, device or socket where zeren expected a file: opening one for reading could wait
/// forever, so it is refused, not read.
#[derive(Debug)]
pub(crate) struct NotRegular;

impl std::fmt::Display for NotRegular {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("不是普通文件")
    }
}

impl std::error::Error for NotRegular {}

pub(crate) fn not_regular() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, NotRegular)
}

pub(crate) fn is_not_regular(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<NotRegular>())
}

/// Opens for reading without following a symlink at the last component; only a regular file
/// (a FIFO would block the open, a device the read).
pub(crate) fn open_nofollow(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    no_follow_no_wait(&mut options);
    regular(options.open(path)?)
}

/// Opens (creating) a lock file without following a symlink; only a regular file.
pub(crate) fn open_lock(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    no_follow_no_wait(&mut options);
    regular(options.open(path)?)
}

/// O_NOFOLLOW, and O_NONBLOCK so that opening a FIFO returns at once (to be refused by `regular`);
/// on a regular file O_NONBLOCK changes nothing.
fn no_follow_no_wait(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags((rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32);
    }
    #[cfg(not(unix))]
    let _ = options;
}

/// The file, if what was opened is a regular file (fstat, so nothing can be swapped in between).
fn regular(file: File) -> io::Result<File> {
    if file.metadata()?.is_file() { Ok(file) } else { Err(not_regular()) }
}

/// Gives a file of ours the permission bits of `like` (no set-id bits); never follows a symlink.
pub(crate) fn set_mode(path: &Path, like: &fs::Permissions) -> io::Result<()> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(io::Error::from(io::ErrorKind::InvalidInput));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(like.mode() & 0o777))
    }
    #[cfg(not(unix))]
    {
        fs::set_permissions(path, like.clone())
    }
}

/// A folder only its owner can enter: the staging folder holds nothing anyone else may plant in.
pub(crate) fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Whether this process may create and remove entries in `dir`.
pub(crate) fn writable(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use rustix::fs::{Access, access};
        access(dir, Access::WRITE_OK | Access::EXEC_OK).is_ok()
    }
    #[cfg(not(unix))]
    {
        fs::metadata(dir).map(|m| !m.permissions().readonly()).unwrap_or(false)
    }
}

/// The device a file lies on: a rename cannot cross from one to another.
pub(crate) fn device(meta: &fs::Metadata) -> Option<u64> {
    #[cfg(unix)]
    {
        Some(std::os::unix::fs::MetadataExt::dev(meta))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Whether this process's user owns the file (always so where there are no owners).
pub(crate) fn owned_by_me(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::uid(meta) == rustix::process::geteuid().as_raw()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

/// Bytes an unprivileged writer may still use on the disk holding `dir`.
pub(crate) fn free_space(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        let s = rustix::fs::statvfs(dir).ok()?;
        Some(s.f_bavail.saturating_mul(s.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// Makes a folder's entries (a rename, a new file) durable.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// The system's error number as a name we can match on every Unix.
#[cfg(unix)]
pub(crate) fn errno(e: &io::Error) -> Option<rustix::io::Errno> {
    rustix::io::Errno::from_io_error(e)
}
