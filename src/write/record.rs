//! The run's record of what it wrote into OUT: every file with its SHA-256 and size, in the
//! hidden `.zeren/record`. The next run reads it to tell its own unchanged files (replaced or
//! removed freely) from files the user changed or added (never touched without `--force`).
//!
//! Why a hidden file and not columns of manifest.csv: the manifest is the clerk's list of
//! documents (a print file holds many), it cannot hold its own digest nor 清单.xlsx's, and a clerk
//! may open and save it in Excel; the record lists every file of the run, the manifest included.

use super::fsx;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// A file's SHA-256.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct FileDigest([u8; 32]);

impl FileDigest {
    pub fn of(bytes: &[u8]) -> FileDigest {
        FileDigest(Sha256::digest(bytes).into())
    }

    pub(crate) fn parse(hex: &str) -> Option<FileDigest> {
        if hex.len() != 64 || !hex.is_ascii() {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(FileDigest(out))
    }
}

impl fmt::Display for FileDigest {
    /// Lower-case hex, as manifest.csv and `sha256sum` show it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// The SHA-256 of a regular file, read without following a symlink.
pub(crate) fn digest_file(path: &Path) -> io::Result<FileDigest> {
    let mut file = fsx::open_nofollow(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(FileDigest(hasher.finalize().into()))
}

/// What is at `path` now, to notice a change: a file's digest, or for a symlink the digest of
/// where it points (zeren never reads through one).
pub(crate) fn fingerprint(path: &Path) -> io::Result<FileDigest> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(path)?;
        return Ok(FileDigest::of(format!("symlink:{}", target.display()).as_bytes()));
    }
    digest_file(path)
}

/// A path relative to OUT as written in the record and journal: `/`-separated.
pub(crate) fn rel_text(rel: &Path) -> String {
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// A relative path read back from the record or journal, only if it stays inside OUT and has
/// no tab or line break (a hand-edited record must not make us touch anything else).
pub(crate) fn checked_rel(text: &str) -> Option<PathBuf> {
    if text.is_empty() || text.contains(['\t', '\n', '\r', '\\']) {
        return None;
    }
    let path = PathBuf::from(text);
    path.components().all(|c| matches!(c, Component::Normal(_))).then_some(path)
}

/// One file of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Written {
    pub digest: FileDigest,
    pub len: u64,
}

/// Where a record read from disk does not parse (line from 1) and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Damage {
    pub line: usize,
    pub why: String,
}

/// Every file a run wrote, by path relative to OUT.
#[derive(Debug, Default, Clone)]
pub(crate) struct Record {
    pub files: BTreeMap<PathBuf, Written>,
}

const HEADER: &str = "# zeren 生成记录：上次生成写入输出文件夹的每个文件及其 SHA-256、字节数。\n\
# 再次生成时据此区分 zeren 写的、未改动过的文件（可替换、可删除）与您修改或添加的文件（不加 --force 绝不触碰）。请勿修改。\n";

impl Record {
    pub(crate) fn to_text(&self) -> String {
        let mut text = String::from(HEADER);
        for (rel, w) in &self.files {
            text.push_str(&format!("{}\t{}\t{}\n", w.digest, w.len, rel_text(rel)));
        }
        text
    }

    /// The record, or where it is damaged: a damaged record proves nothing, so every file is
    /// then treated as the user's (and the run says why).
    pub(crate) fn parse(text: &str) -> Result<Record, Damage> {
        let mut files = BTreeMap::new();
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty() && !l.starts_with('#')) {
            let damaged = |why: &str| Damage { line: i + 1, why: why.to_string() };
            let mut fields = line.splitn(3, '\t');
            let (Some(digest), Some(len), Some(rel)) = (fields.next(), fields.next(), fields.next()) else {
                return Err(damaged("应有 SHA-256、字节数、文件路径三栏，以制表符分隔"));
            };
            let digest = FileDigest::parse(digest).ok_or_else(|| damaged("SHA-256 不是 64 位十六进制数"))?;
            let len = len.parse().map_err(|_| damaged("字节数不是整数"))?;
            let rel = checked_rel(rel).ok_or_else(|| damaged("文件路径不在输出文件夹内"))?;
            files.insert(rel, Written { digest, len });
        }
        Ok(Record { files })
    }

    /// The record as read from disk: text that is not UTF-8 is damaged at its first bad line.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Record, Damage> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Record::parse(text),
            Err(e) => {
                let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
                Err(Damage { line, why: "不是 UTF-8 文本".to_string() })
            }
        }
    }

    /// Bytes of the run's files: an estimate of what the next run needs.
    pub(crate) fn total_len(&self) -> u64 {
        self.files.values().map(|w| w.len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_and_a_tampered_one_proves_nothing() {
        let mut record = Record::default();
        record.files.insert(PathBuf::from("责任书/01-办公室.docx"), Written { digest: FileDigest::of(b"a"), len: 1 });
        record.files.insert(PathBuf::from("manifest.csv"), Written { digest: FileDigest::of(b"b"), len: 2 });
        let back = Record::parse(&record.to_text()).unwrap();
        assert_eq!(back.files, record.files);
        let digest = FileDigest::of(b"x");
        for bad in ["../etc/passwd", "/etc/passwd", "责任书/../../x", ""] {
            assert_eq!(Record::parse(&format!("# head\n{digest}\t1\t{bad}\n")).unwrap_err().line, 2, "{bad}");
        }
        assert_eq!(Record::parse("not a digest\t1\tx\n").unwrap_err().line, 1);
        assert_eq!(Record::from_bytes(b"# a\n# b\n\xff\n").unwrap_err().line, 3);
    }
}
