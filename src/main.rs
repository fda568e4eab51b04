// mimalloc: with glibc's allocator, each document's large buffers went to mmap/munmap and the
// kernel, and a bulk build spent a third of its time in system calls (benches/bulk.sh).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` (`mi_option_e` in mimalloc.h, v2 and v3 alike; the crate names no
/// constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Return freed pages to the system at once rather than 10 ms later: a bulk build frees a
    // document's buffers as fast as it makes the next, and with the delay its peak memory grew
    // with the run (10,000 letters: 96 MB, purged at once 62 MB, in the same time).
    // SAFETY: sets one integer option; mimalloc reads options atomically.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    quiet_on_closed_pipe();
    zeren::cli::main()
}

/// `zeren check samples | head -1`: Rust ignores SIGPIPE, so each print to the closed pipe failed
/// and `println!` panicked (exit 101, "Broken pipe"). The terminal commands take the default
/// action back and end quietly as `cat` or `grep` do; every write they make to OUT is done or
/// recoverable before they print (the switch-over survives a kill at any instant). `serve` keeps
/// SIGPIPE ignored: a browser that goes away mid-response must not end the service (its own
/// prints already tolerate a closed stdout).
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    if std::env::args_os().nth(1).is_none_or(|c| c != "serve") {
        // SAFETY: sets the disposition of one signal before any thread is started.
        unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    }
}
