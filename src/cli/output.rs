//! What commands share for printing findings: the formats and the one way
//! diagnostics reach the user.

use std::io::Write;
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
///
/// Text and JSON keep paths relative to the portfolio (what the user typed
/// `-C` for); annotations need them relative to the repository's top, or
/// GitHub does not attach them to the changed lines.
pub fn print_diagnostics(
    found: &[Diagnostic],
    format: DiagnosticFormat,
    env: &Env,
    root: &Path,
    source: &diagnostics::SourceFn<'_>,
) -> Result<()> {
    match format {
        DiagnosticFormat::Json => super::out(&format!("{}\n", diagnostics::to_json(found))),
        DiagnosticFormat::Github => super::out(&diagnostics::to_github(found, &folder_in_repository(root))),
        DiagnosticFormat::Text => {
            if !found.is_empty() {
                // Written as rendered, through one buffer: stderr itself is unbuffered.
                let mut err = std::io::BufWriter::with_capacity(1 << 16, std::io::stderr().lock());
                // A closed stderr loses the findings, as eprint! would; the exit code still tells.
                let _ = diagnostics::write_text(found, &env.err_style, source, &mut err).and_then(|()| err.flush());
            }
            Ok(())
        }
    }
}

/// The portfolio's folder relative to the top of its repository's work tree
/// (`""` at the top). Outside a repository (nothing to annotate against) the
/// paths stay as they are.
fn folder_in_repository(root: &Path) -> String {
    let Ok(root) = root.canonicalize() else { return String::new() };
    crate::git::Repo::discover(&root).and_then(|repo| repo.relative(&root)).unwrap_or_default()
}
