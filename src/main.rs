//! The `portfolio` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use portfolio::cli::Cli;
use portfolio::{Error, commands, diag};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = cli.color.for_stderr();
    match commands::run(cli) {
        Ok(exit) => ExitCode::from(exit.code() as u8),
        Err(Error::Write { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            report(&err, color);
            ExitCode::from(2)
        }
    }
}

/// `error: …`, then `caused by: …` for each source, then `hint: …`.
fn report(err: &Error, color: bool) {
    let style = portfolio::term::Style::new(color);
    let safe = portfolio::term::sanitize;
    eprintln!("{}: {}", style.error("error"), safe(&err.to_string()));
    if let Error::InvalidDefinition { root, diagnostics } = err {
        let source = |path: &std::path::Path| std::fs::read_to_string(root.join(path)).ok();
        eprint!("{}", diag::to_text(diagnostics, &style, &source));
    }
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        eprintln!("{}: {}", style.bold("caused by"), safe(&cause.to_string()));
        source = cause.source();
    }
    if let Some(hint) = err.hint() {
        eprintln!("{}: {}", style.bold("hint"), safe(&hint));
    }
}
