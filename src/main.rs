//! The `portfolio` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use portfolio::Error;
use portfolio::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = cli.color.for_stderr();
    match cli::run(cli) {
        Ok(exit) => ExitCode::from(exit.code() as u8),
        Err(Error::Write { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            cli::print_error(&err, color);
            ExitCode::from(2)
        }
    }
}
