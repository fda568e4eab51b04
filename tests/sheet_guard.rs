//! calamine's panics on damaged workbooks are caught without touching the process-wide panic
//! hook at call time: serve reads workbooks on several threads, and swapping the hook around each
//! read let one thread silence another's panic, or leave the hook silenced for good.
//!
//! Its own test binary: the panic hook is global to the process.

mod bounds_files;

use std::path::Path;
use std::sync::Mutex;
use zeren::load::roster::{self, RosterOptions};
use zeren::load::sheet::guarded;

/// Every panic message the hook that was installed first was given.
static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn message(payload: &dyn std::any::Any) -> String {
    payload.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| payload.downcast_ref::<String>().cloned()).unwrap_or_default()
}

#[test]
fn other_threads_panics_are_reported_while_and_after_workbooks_are_read() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("{info}");
        SEEN.lock().unwrap().push(message(info.payload()));
    }));
    // An .xlsb cell naming shared string 5 of none: calamine indexes past its list and panics.
    let (_t, crash) = bounds_files::tmp("名单.xlsb");
    let cell = bounds_files::record(0x07, &[5, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0]);
    bounds_files::xlsb(&crash, "单位名单", &[(0, 0, "单位名称")], Some(&cell));
    const ROUNDS: usize = 200;
    std::thread::scope(|s| {
        for _ in 0..4 {
            let crash = &crash;
            s.spawn(move || {
                for _ in 0..ROUNDS {
                    let p = roster::read(crash, Path::new("名单.xlsb"), &RosterOptions::default()).unwrap_err();
                    assert_eq!(p.0[0].code, "roster.damaged");
                    assert_eq!(guarded(|| -> u8 { panic!("inside a sheet read") }), None);
                }
            });
        }
        s.spawn(|| {
            for i in 0..ROUNDS {
                assert!(std::thread::spawn(move || panic!("ordinary panic {i}")).join().is_err());
            }
        });
    });
    assert!(std::thread::spawn(|| panic!("after the reads")).join().is_err());

    let seen = SEEN.lock().unwrap();
    let ordinary = seen.iter().filter(|m| m.starts_with("ordinary panic ")).count();
    assert_eq!(ordinary, ROUNDS, "every panic outside a sheet read reached the hook");
    assert_eq!(seen.last().map(String::as_str), Some("after the reads"), "the hook is intact afterwards");
    let quiet: Vec<&String> = seen.iter().filter(|m| !m.starts_with("ordinary panic ") && *m != "after the reads").collect();
    assert!(quiet.is_empty(), "panics inside sheet reads stay quiet: {quiet:?}");
}
