//! Test hooks, compiled into debug builds only (the tests run the debug binary), so a test can
//! kill the switch-over at many instants, make one of its steps fail, or fill the disk after some
//! files. A release build has none of them.
//!
//! - `ZEREN_TEST_SWITCH_PAUSE_US=N`: every step of a switch-over (or its recovery) waits N µs;
//! - `ZEREN_TEST_SWITCH_FAIL_AT=N`: the step numbered N (from 0) fails as if permission were denied;
//! - `ZEREN_TEST_DISK_FULL_AFTER=N`: after N staged files, every further one fails as on a full disk.

use std::io;

pub(crate) fn switch_step() -> io::Result<()> {
    #[cfg(debug_assertions)]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static STEPS: AtomicUsize = AtomicUsize::new(0);
        if let Some(us) = number("ZEREN_TEST_SWITCH_PAUSE_US") {
            std::thread::sleep(std::time::Duration::from_micros(us as u64));
        }
        let step = STEPS.fetch_add(1, Ordering::Relaxed);
        if number("ZEREN_TEST_SWITCH_FAIL_AT") == Some(step) {
            return Err(io::Error::from(io::ErrorKind::PermissionDenied));
        }
    }
    Ok(())
}

pub(crate) fn staging_put() -> io::Result<()> {
    #[cfg(debug_assertions)]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static PUTS: AtomicUsize = AtomicUsize::new(0);
        if let Some(after) = number("ZEREN_TEST_DISK_FULL_AFTER")
            && PUTS.fetch_add(1, Ordering::Relaxed) >= after
        {
            return Err(io::Error::from(io::ErrorKind::StorageFull));
        }
    }
    Ok(())
}

#[cfg(debug_assertions)]
fn number(name: &str) -> Option<usize> {
    std::env::var(name).ok()?.parse().ok()
}
