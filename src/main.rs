// mimalloc: with glibc's allocator, each document's large buffers went to mmap/munmap and the
// kernel, and a bulk build spent a third of its time in system calls (benches/bulk.sh).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    zeren::cli::main()
}
