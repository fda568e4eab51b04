//! calamine asserts on some malformed files (fuzzing found one in its .xls reader): a damaged
//! workbook is the user's input, never a crash, so every call into it is caught.
//!
//! The panic hook is process-wide and serve reads workbooks on several threads at once, so it is
//! never swapped around a call: one hook, installed once, stays quiet only on a thread that is
//! inside a sheet read and hands every other panic to the hook that was there before.

use std::cell::Cell;
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside `guarded`.
    static READING: Cell<bool> = const { Cell::new(false) };
}

static INSTALL: Once = Once::new();

fn install_quiet_hook() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !READING.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic inside it into `None` without printing it. Other threads' panics
/// are reported as before, while and after `f` runs.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    install_quiet_hook();
    let outer = READING.with(|r| r.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    READING.with(|r| r.set(outer));
    result.ok()
}
