//! The user's input files (data, rosters, templates) are opened only when they are regular files:
//! a FIFO named as `data/units.yaml` would block a read forever and a device would yield endless
//! bytes. The check opens without waiting (O_NONBLOCK) and asks the open file (fstat), so a
//! FIFO is refused at once; symlinks are followed, as a user may keep data elsewhere.

use std::fs::{File, Metadata, OpenOptions};
use std::io;
use std::path::Path;

/// The file's metadata if it is a regular file; otherwise an error whose text says what it is.
pub fn regular(path: &Path) -> io::Result<Metadata> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file: File = options.open(path)?;
    let meta = file.metadata()?;
    if meta.is_file() { Ok(meta) } else { Err(not_regular(&meta)) }
}

fn not_regular(meta: &Metadata) -> io::Error {
    let what = if meta.is_dir() { "文件夹" } else { "管道、设备或套接字" };
    io::Error::new(io::ErrorKind::InvalidInput, format!("这不是普通文件（是{what}），不能作为输入读取"))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_at_once_and_a_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("units.yaml");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let e = regular(&fifo).unwrap_err();
        assert!(e.to_string().contains("管道、设备或套接字"), "{e}");
        assert!(regular(dir.path()).unwrap_err().to_string().contains("文件夹"));
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, "a: 1").unwrap();
        assert_eq!(regular(&file).unwrap().len(), 4);
    }
}
