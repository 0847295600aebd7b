fn main() -> std::process::ExitCode {
    qantara::cli::run()
}
