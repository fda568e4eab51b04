//! What a run will do to each file in OUT, decided from the previous run's record and what is
//! on disk: before anything is rendered (so a collision fails at once) and again, under OUT's
//! lock, just before the switch-over (so a file edited meanwhile is still protected).

use super::errors::{Blocker, WriteError, io};
use super::fsx::{self, Stamp};
use super::record::{FileDigest, Record, Written, checked_rel, digest_file, fingerprint, rel_text};
use super::{JOURNAL, LEGACY_STAGING, META, RECORD_FILE};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Digests already computed, valid while the file's stamp is unchanged.
pub(crate) type DigestCache = HashMap<PathBuf, (Stamp, FileDigest)>;

/// What happens to one file the run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Nothing is there yet.
    New,
    /// The previous run's file, unchanged since: replaced.
    Replace,
    /// A file the user changed or added, overwritten because of `--force`.
    Overwrite,
    /// Something of the user's is there and the run will not write over it.
    Refused,
}

pub(crate) struct Planned {
    pub rel: PathBuf,
    pub fate: Fate,
    /// What is there now (to back up, and to notice a change before recovering).
    pub was: Option<FileDigest>,
    /// The permissions of the file replaced: the new file keeps them (the user's choice).
    pub mode: Option<fs::Permissions>,
}

/// Which of the previous run's files a run answers for: those it does not write again go, the
/// others stay recorded as zeren's. A run of part of a workspace (`--unit`, `--kind`) must not
/// sweep away the rest of the last full run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every file of the previous run.
    All,
    /// Files under these names at OUT's top (a folder such as `责任书`, a file such as `责任书.docx`).
    Tops(BTreeSet<String>),
}

impl Reach {
    fn covers(&self, rel: &Path) -> bool {
        match self {
            Reach::All => true,
            Reach::Tops(tops) => rel.components().next().is_some_and(|c| tops.contains(&*c.as_os_str().to_string_lossy())),
        }
    }
}

pub(crate) struct Survey {
    pub planned: Vec<Planned>,
    /// The previous run's files this run no longer produces, unchanged: removed.
    pub stale: Vec<(PathBuf, FileDigest)>,
    /// The previous run's files outside the run's reach, unchanged: left as they are and
    /// recorded again as zeren's.
    pub carried: Vec<(PathBuf, Written)>,
    /// The user's files and folders the run leaves alone (changed or added).
    pub kept: Vec<PathBuf>,
    /// Folders the switch-over creates, parents first.
    pub mkdirs: Vec<PathBuf>,
    pub blockers: Vec<Blocker>,
    pub record: Option<Record>,
    /// What `.zeren/record` is now, if there is one.
    pub record_was: Option<FileDigest>,
    /// A switch-over journal is waiting for recovery.
    pub interrupted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    File,
    /// `descended`: a folder on the way to the run's files, whose contents were looked at.
    Dir {
        descended: bool,
    },
    Symlink,
    Other,
}

struct Found {
    kind: Kind,
    stamp: Stamp,
    perms: fs::Permissions,
}

impl Found {
    /// A file the user made read-only is one they protect: never replaced or removed as zeren's.
    fn read_only(&self) -> bool {
        self.kind == Kind::File && self.perms.readonly()
    }
}

/// Classifies every target (relative to OUT) and every file the previous run left.
pub(crate) fn survey(out: &Path, targets: &[PathBuf], reach: &Reach, force: bool, cache: &mut DigestCache) -> Result<Survey, WriteError> {
    check_out(out)?;
    let mut blockers = BTreeSet::new();
    let (record, record_was, interrupted) = read_meta(out, &mut blockers)?;
    if force {
        // `--force` writes over what is in the way anyway; the damaged record is replaced.
        blockers.retain(|b| !matches!(b, Blocker::RecordDamaged { .. }));
    }
    let targets: BTreeSet<PathBuf> = targets.iter().map(|t| checked_target(out, t)).collect::<Result<_, _>>()?;
    let recorded: Vec<&PathBuf> = record.iter().flat_map(|r| r.files.keys()).collect();
    let mut on_the_way = HashSet::new();
    for rel in targets.iter().chain(recorded.iter().copied()) {
        on_the_way.extend(rel.ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()).map(Path::to_path_buf));
    }
    let found = walk(out, &on_the_way)?;
    let is_file = |rel: &PathBuf| found.get(rel).is_some_and(|f| f.kind == Kind::File);
    let in_record = |rel: &PathBuf| record.as_ref().is_some_and(|r| r.files.contains_key(rel));
    let needed: Vec<&PathBuf> = targets
        .iter()
        .filter(|t| is_file(t) && (force || in_record(t)))
        .chain(recorded.iter().copied().filter(|r| !targets.contains(*r) && is_file(r)))
        .collect();
    let digests = digest_all(out, &needed, &found, cache)?;
    let recorded_digest = |rel: &Path| record.as_ref().and_then(|r| r.files.get(rel)).map(|w| w.digest);

    let mut planned = Vec::new();
    let mut mkdirs = BTreeSet::new();
    let mut touched_dirs = BTreeSet::from([PathBuf::new()]);
    for rel in &targets {
        for dir in rel.ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()) {
            match found.get(dir).map(|f| f.kind) {
                None => drop(mkdirs.insert(dir.to_path_buf())),
                Some(Kind::Dir { .. }) => drop(touched_dirs.insert(dir.to_path_buf())),
                Some(Kind::Symlink) => drop(blockers.insert(Blocker::Symlink(dir.to_path_buf()))),
                Some(Kind::File | Kind::Other) => drop(blockers.insert(Blocker::ParentIsFile(dir.to_path_buf()))),
            }
        }
        let (fate, was) = match found.get(rel).map(|f| f.kind) {
            None => (Fate::New, None),
            Some(Kind::Dir { .. }) => (refuse(&mut blockers, Blocker::FolderInTheWay(rel.clone())), None),
            Some(Kind::Other) => (refuse(&mut blockers, Blocker::NotRegular(rel.clone())), None),
            Some(Kind::Symlink) if force => (Fate::Overwrite, Some(fingerprint(&out.join(rel)).map_err(io(&out.join(rel)))?)),
            Some(Kind::Symlink) => (refuse(&mut blockers, Blocker::UserFile { rel: rel.clone(), changed: false }), None),
            Some(Kind::File) => {
                let now = digests.get(rel).copied();
                let read_only = found.get(rel).is_some_and(Found::read_only);
                match recorded_digest(rel) {
                    Some(d) if now == Some(d) && read_only && !force => (refuse(&mut blockers, Blocker::ReadOnly(rel.clone())), None),
                    Some(d) if now == Some(d) && !read_only => (Fate::Replace, now),
                    _ if force => (Fate::Overwrite, now),
                    recorded => (refuse(&mut blockers, Blocker::UserFile { rel: rel.clone(), changed: recorded.is_some() }), None),
                }
            }
        };
        let mode = match fate {
            Fate::Replace | Fate::Overwrite => found.get(rel).filter(|f| f.kind == Kind::File).map(|f| f.perms.clone()),
            _ => None,
        };
        planned.push(Planned { rel: rel.clone(), fate, was, mode });
    }
    let (mut stale, mut carried) = (Vec::new(), Vec::new());
    for rel in recorded.iter().copied().filter(|r| !targets.contains(*r)) {
        let then = record.as_ref().and_then(|r| r.files.get(rel.as_path()));
        let read_only = found.get(rel).is_some_and(Found::read_only);
        if let (Some(now), Some(then)) = (digests.get(rel), then)
            && *now == then.digest
            && !(read_only && reach.covers(rel))
        {
            if reach.covers(rel) {
                stale.push((rel.clone(), then.digest));
                touched_dirs.extend(rel.parent().map(Path::to_path_buf));
            } else {
                carried.push((rel.clone(), *then));
            }
        }
    }
    let zerens: HashSet<&PathBuf> = stale.iter().map(|(r, _)| r).chain(carried.iter().map(|(r, _)| r)).collect();
    let mut kept: Vec<PathBuf> = found
        .iter()
        .filter(|(rel, f)| !targets.contains(*rel) && !zerens.contains(rel) && f.kind != Kind::Dir { descended: true })
        .map(|(rel, f)| if matches!(f.kind, Kind::Dir { .. }) { PathBuf::from(format!("{}/", rel_text(rel))) } else { rel.clone() })
        .collect();
    kept.sort();
    if out.exists() {
        check_dirs(out, &touched_dirs, &mut blockers);
    }
    let mut mkdirs: Vec<PathBuf> = mkdirs.into_iter().collect();
    mkdirs.sort_by_key(|d| d.components().count());
    Ok(Survey { planned, stale, carried, kept, mkdirs, blockers: blockers.into_iter().collect(), record, record_was, interrupted })
}

fn refuse(blockers: &mut BTreeSet<Blocker>, blocker: Blocker) -> Fate {
    blockers.insert(blocker);
    Fate::Refused
}

/// OUT is a folder, or does not exist yet under a folder.
fn check_out(out: &Path) -> Result<(), WriteError> {
    match fs::metadata(out) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(WriteError::NotADirectory(out.to_path_buf())),
        Err(_) => match out.ancestors().skip(1).find(|a| !a.as_os_str().is_empty() && fs::metadata(a).is_ok()) {
            Some(a) if !a.is_dir() => Err(WriteError::NotADirectory(a.to_path_buf())),
            _ => Ok(()),
        },
    }
}

/// A target path as the build gave it: relative, inside OUT, not in zeren's own folder.
fn checked_target(out: &Path, rel: &Path) -> Result<PathBuf, WriteError> {
    match checked_rel(&rel_text(rel)) {
        Some(p) if !p.starts_with(META) => Ok(p),
        _ => Err(WriteError::Io(out.join(rel), std::io::Error::other("不是输出文件夹内的文件路径"))),
    }
}

/// The previous run's record, if `.zeren` is ours; whether a switch-over awaits recovery.
fn read_meta(out: &Path, blockers: &mut BTreeSet<Blocker>) -> Result<(Option<Record>, Option<FileDigest>, bool), WriteError> {
    let meta = out.join(META);
    match fs::symlink_metadata(&meta) {
        Err(_) => return Ok((None, None, false)),
        Ok(m) if !m.is_dir() || !fsx::owned_by_me(&m) => {
            blockers.insert(Blocker::MetaNotOurs(PathBuf::from(META)));
            return Ok((None, None, false));
        }
        Ok(_) => {}
    }
    let interrupted = meta.join(JOURNAL).exists();
    let path = meta.join(RECORD_FILE);
    let mut bytes = Vec::new();
    match fsx::open_nofollow(&path) {
        Ok(f) => f.take(RECORD_LIMIT).read_to_end(&mut bytes).map_err(io(&path))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((None, None, interrupted)),
        Err(e) => return Err(WriteError::Io(path, e)),
    };
    let record = match Record::from_bytes(&bytes) {
        Ok(record) => Some(record),
        Err(damage) => {
            // Every file is then the user's: a run that would write over one says why.
            blockers.insert(Blocker::RecordDamaged { line: damage.line, why: damage.why });
            None
        }
    };
    Ok((record, Some(FileDigest::of(&bytes)), interrupted))
}

/// A record is about 100 bytes a file: this is a million files, and no more is read.
const RECORD_LIMIT: u64 = 128 << 20;

/// OUT's entries, without following symlinks: the top level, and inside the folders on the way to
/// the run's (or the previous run's) files; other folders are the user's, seen as one entry.
fn walk(out: &Path, on_the_way: &HashSet<PathBuf>) -> Result<HashMap<PathBuf, Found>, WriteError> {
    let mut found = HashMap::new();
    if !out.exists() {
        return Ok(found);
    }
    let mut entries = walkdir::WalkDir::new(out).min_depth(1).follow_links(false).into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(out).to_path_buf();
                return Err(WriteError::Io(path, e.into_io_error().unwrap_or_else(|| std::io::Error::other("目录循环"))));
            }
        };
        let rel = entry.path().strip_prefix(out).unwrap_or(entry.path()).to_path_buf();
        let name = entry.file_name();
        let ours = (entry.depth() == 1 && (name == META || name == LEGACY_STAGING)) || (name == META && entry.file_type().is_dir());
        let ft = entry.file_type();
        if ours || (ft.is_dir() && !on_the_way.contains(&rel)) {
            if ft.is_dir() {
                entries.skip_current_dir();
            }
            if ours {
                continue;
            }
        }
        let kind = if ft.is_symlink() {
            Kind::Symlink
        } else if ft.is_dir() {
            Kind::Dir { descended: on_the_way.contains(&rel) }
        } else if ft.is_file() {
            Kind::File
        } else {
            Kind::Other
        };
        let meta = entry.metadata().map_err(|e| WriteError::Io(entry.path().to_path_buf(), e.into()))?;
        found.insert(rel, Found { kind, stamp: Stamp::of(&meta), perms: meta.permissions() });
    }
    Ok(found)
}

/// Digests of `rels`, in parallel, reusing the cache where a file's stamp is unchanged.
fn digest_all(
    out: &Path,
    rels: &[&PathBuf],
    found: &HashMap<PathBuf, Found>,
    cache: &mut DigestCache,
) -> Result<HashMap<PathBuf, FileDigest>, WriteError> {
    let computed: Vec<(PathBuf, Stamp, FileDigest)> = rels
        .par_iter()
        .filter_map(|rel| found.get(*rel).map(|f| (*rel, f.stamp)))
        .map(|(rel, stamp)| match cache.get(rel) {
            Some((s, d)) if *s == stamp => Ok((rel.clone(), stamp, *d)),
            _ => {
                let path = out.join(rel);
                digest_file(&path).map(|d| (rel.clone(), stamp, d)).map_err(|e| WriteError::Io(path, e))
            }
        })
        .collect::<Result<_, _>>()?;
    let mut digests = HashMap::new();
    for (rel, stamp, digest) in computed {
        cache.insert(rel.clone(), (stamp, digest));
        digests.insert(rel, digest);
    }
    Ok(digests)
}

/// Every folder the switch-over adds to or removes from must be writable and on OUT's disk.
fn check_dirs(out: &Path, dirs: &BTreeSet<PathBuf>, blockers: &mut BTreeSet<Blocker>) {
    let home = fs::metadata(out).ok().and_then(|m| fsx::device(&m));
    let meta = PathBuf::from(META);
    for dir in dirs.iter().chain(out.join(META).is_dir().then_some(&meta)) {
        let path = out.join(dir);
        let Ok(m) = fs::symlink_metadata(&path) else { continue };
        if !m.is_dir() {
            continue; // a symlink or a file: blocked already
        }
        if !fsx::writable(&path) {
            blockers.insert(Blocker::Unwritable(dir.clone()));
        } else if home.is_some() && fsx::device(&m) != home {
            blockers.insert(Blocker::OtherDevice(dir.clone()));
        }
    }
}
