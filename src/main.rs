//! The `toezicht` binary: parse the command line, start tracing, hand over to the library.
use clap::Parser;

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
