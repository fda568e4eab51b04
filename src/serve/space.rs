//! Disk space for the requests' temporary folders: a budget for the whole service and a cap per
//! request, claimed before the bytes are written (the upload chunk by chunk, the documents by an
//! estimate once their number is known, the zip by the size of what goes in it) and watched
//! while a build writes. Six 99,999-row rosters once wrote 3.5 GB to the temporary folder.

use crate::stop::Stop;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What one document is counted as before it is written: a 责任书 is 10–12 KB; the rest is room
/// for long duty lists. The watcher catches documents larger still.
pub const PER_DOCUMENT: u64 = 24 * 1024;
/// What one document's PDF is counted as: a 责任书's is 100–160 KB, most of it its fonts (the
/// watcher catches larger ones).
pub const PER_PDF: u64 = 160 * 1024;
/// Room a zip takes besides its files' bytes (stored, not compressed: they are zips already).
const ZIP_PER_FILE: u64 = 512;

/// The service's temporary space: bytes claimed by the requests now in hand.
pub struct Budget {
    total: u64,
    used: Mutex<u64>,
}

/// Why a claim could not grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Short {
    /// Past the cap of one request: the request's own size (413).
    Request { needed: u64, cap: u64 },
    /// The service's budget is taken by other requests for now (503).
    Server,
}

/// One request's claim on the budget, given back when dropped.
pub struct Claim {
    budget: Arc<Budget>,
    held: u64,
    cap: u64,
}

impl Budget {
    pub fn new(total: u64) -> Arc<Budget> {
        Arc::new(Budget { total, used: Mutex::new(0) })
    }

    /// An empty claim of at most `cap` bytes.
    pub fn claim(self: &Arc<Self>, cap: u64) -> Claim {
        Claim { budget: self.clone(), held: 0, cap }
    }

    pub fn used(&self) -> u64 {
        *self.used.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Claim {
    /// Grows the claim to `bytes` in all; a smaller number keeps what is held.
    pub fn grow_to(&mut self, bytes: u64) -> Result<(), Short> {
        if bytes <= self.held {
            return Ok(());
        }
        if bytes > self.cap {
            return Err(Short::Request { needed: bytes, cap: self.cap });
        }
        let mut used = self.budget.used.lock().unwrap_or_else(|e| e.into_inner());
        let extra = bytes - self.held;
        if used.saturating_add(extra) > self.budget.total {
            return Err(Short::Server);
        }
        *used += extra;
        self.held = bytes;
        Ok(())
    }

    pub fn held(&self) -> u64 {
        self.held
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|e| e.into_inner());
        *used = used.saturating_sub(self.held);
    }
}

/// A request's temporary folder with its claim: the folder goes first, then the claim (fields
/// drop in order), so the budget never counts bytes as free that are still on disk.
pub struct Folder {
    pub dir: tempfile::TempDir,
    pub claim: Claim,
}

impl Folder {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Bytes of the files under `dir`.
pub fn measure(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// The claim a zip of `files` (under `base`) needs on top of them.
pub fn zip_size(base: &Path, files: &[std::path::PathBuf]) -> u64 {
    let bytes: u64 = files.iter().filter_map(|f| std::fs::metadata(base.join(f)).ok()).map(|m| m.len()).sum();
    bytes + (files.len() as u64 + 1) * ZIP_PER_FILE + files.iter().map(|f| 2 * f.as_os_str().len() as u64).sum::<u64>()
}

/// Runs `work` while a watcher measures `dir` every `every`: when what it holds passes what
/// `claim` can grow to, the work is told to stop, and the reason comes back with its result.
pub fn watched<T>(dir: &Path, claim: &Mutex<&mut Claim>, stop: &Stop, every: Duration, work: impl FnOnce() -> T) -> (T, Option<Short>) {
    let done = AtomicBool::new(false);
    let short = Mutex::new(None);
    let result = std::thread::scope(|scope| {
        let watcher = scope.spawn(|| {
            while !done.load(Ordering::SeqCst) {
                std::thread::park_timeout(every);
                if done.load(Ordering::SeqCst) {
                    break;
                }
                let on_disk = measure(dir);
                let grown = claim.lock().unwrap_or_else(|e| e.into_inner()).grow_to(on_disk);
                if let Err(why) = grown {
                    *short.lock().unwrap_or_else(|e| e.into_inner()) = Some(why);
                    stop.request();
                    break;
                }
            }
        });
        let result = work();
        done.store(true, Ordering::SeqCst);
        watcher.thread().unpark();
        result
    });
    (result, short.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Removes the request folders (`zeren-serve-*`) under `temp_root` left by a service that was
/// ended abruptly (killed, out of memory): those untouched for longer than `older_than`, which is
/// longer than any request may live. Returns how many went.
pub fn sweep_stale(temp_root: &Path, older_than: Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(temp_root) else { return 0 };
    let mut swept = 0;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with("zeren-serve-") {
            continue;
        }
        // Not followed: a link by that name is none of ours.
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else { continue };
        let old = meta.modified().ok().and_then(|t| t.elapsed().ok()).is_some_and(|age| age > older_than);
        if meta.is_dir() && old && std::fs::remove_dir_all(entry.path()).is_ok() {
            swept += 1;
        }
    }
    swept
}

/// A number of bytes as people read it: “3.2 GB”, “512 MB”.
pub fn shown(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    let mb = bytes as f64 / MB;
    if mb >= 1024.0 {
        format!("{:.1} GB", mb / 1024.0)
    } else if mb >= 10.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_capped_per_request_and_in_all_and_given_back() {
        let budget = Budget::new(1000);
        let mut a = budget.claim(600);
        assert_eq!(a.grow_to(500), Ok(()));
        assert_eq!(a.grow_to(700), Err(Short::Request { needed: 700, cap: 600 }));
        let mut b = budget.claim(600);
        assert_eq!(b.grow_to(600), Err(Short::Server), "500 + 600 is past the budget");
        assert_eq!(b.grow_to(400), Ok(()));
        assert_eq!(budget.used(), 900);
        assert_eq!(a.grow_to(100), Ok(()), "a smaller number keeps the claim");
        assert_eq!(a.held(), 500);
        drop(a);
        assert_eq!(budget.used(), 400);
        assert_eq!(b.grow_to(600), Ok(()));
        drop(b);
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn a_folder_that_outgrows_its_claim_stops_the_work() {
        let dir = tempfile::tempdir().unwrap();
        let budget = Budget::new(1 << 30);
        let mut claim = budget.claim(10_000);
        let stop = Stop::new();
        let shared = Mutex::new(&mut claim);
        let (written, short) = watched(dir.path(), &shared, &stop, Duration::from_millis(10), || {
            let mut n = 0;
            while !stop.requested() && n < 2000 {
                std::fs::write(dir.path().join(format!("{n}.bin")), [0u8; 100]).unwrap();
                n += 1;
                std::thread::sleep(Duration::from_millis(1));
            }
            n
        });
        assert!(written < 2000, "the work went on to the end: {written}");
        assert!(matches!(short, Some(Short::Request { cap: 10_000, .. })), "{short:?}");
        assert!(measure(dir.path()) < 10_000 + 100 * 100, "it stopped soon after the cap");
        let (_, short) = watched(dir.path(), &Mutex::new(&mut budget.claim(1 << 20)), &stop, Duration::from_millis(10), || {
            std::thread::sleep(Duration::from_millis(50));
        });
        assert_eq!(short, None, "within its cap the work is left alone");
    }

    #[cfg(unix)]
    #[test]
    fn only_old_request_folders_are_swept() {
        let root = tempfile::tempdir().unwrap();
        for name in ["zeren-serve-old", "zeren-serve-new", "other-old"] {
            std::fs::create_dir(root.path().join(name)).unwrap();
            std::fs::write(root.path().join(name).join("roster.xlsx"), b"x").unwrap();
        }
        let past = std::time::SystemTime::now() - Duration::from_secs(3 * 3600);
        for name in ["zeren-serve-old", "other-old"] {
            std::fs::File::open(root.path().join(name)).unwrap().set_modified(past).unwrap();
        }
        assert_eq!(sweep_stale(root.path(), Duration::from_secs(2 * 3600)), 1);
        let left: Vec<String> =
            std::fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert!(!left.contains(&"zeren-serve-old".to_string()) && left.len() == 2, "{left:?}");
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(shown(512 * 1024 * 1024), "512 MB");
        assert_eq!(shown(3_500_000_000), "3.3 GB");
        assert_eq!(shown(1024 * 1024 + 1024 * 512), "1.5 MB");
    }
}
