fn main() -> std::process::ExitCode {
    zeren::cli::main()
}
