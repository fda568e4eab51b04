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
    zeren::cli::main()
}
