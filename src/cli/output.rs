//! What commands share for printing findings: the formats and the one way
//! diagnostics reach the user.

use std::path::Path;

use clap::ValueEnum;

use super::Env;
use crate::diag::Diagnostic;
use crate::error::Result;
use crate::render::diagnostics;

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// Human-readable, like rustc.
    Text,
    /// One JSON array of diagnostics.
    Json,
    /// GitHub Actions annotations.
    Github,
}

/// Print `found` in `format`. Text is talk about the data and goes to
/// stderr, like rustc; JSON and annotations are data and go to stdout.
/// `root` is the portfolio root the paths are relative to; `source` looks up
/// a file's text for the excerpt under a text diagnostic.
pub fn print_diagnostics(
    found: &[Diagnostic],
    format: DiagnosticFormat,
    env: &Env,
    source: &dyn Fn(&Path) -> Option<String>,
) -> Result<()> {
    match format {
        DiagnosticFormat::Json => super::out(&format!("{}\n", diagnostics::to_json(found))),
        DiagnosticFormat::Github => super::out(&diagnostics::to_github(found)),
        DiagnosticFormat::Text => {
            if !found.is_empty() {
                eprint!("{}", diagnostics::to_text(found, &env.err_style, source));
            }
            Ok(())
        }
    }
}
