//! The `toezicht` binary: parse the command line, start tracing, hand over to the library.
use clap::Parser;

/// mimalloc instead of the system allocator: rendering a page and decoding rows allocate many
/// small strings, and glibc's malloc took a third of the server's time on the signal list of the
/// national benchmark (README "Performance").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = toezicht::cli::Cli::parse();
    toezicht::telemetry::init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("fout: kan de runtime niet starten: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(toezicht::cli::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("fout: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
