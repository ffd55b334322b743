//! Diagnostics as the user reads them: rustc-like text, one JSON array, or
//! GitHub annotations. What is found is decided by the rules; this only decides
//! how it looks.

use std::fmt::Write as _;
use std::path::Path;

use crate::diag::{Diagnostic, JsonDiagnostic, Severity, display_path};

/// Render as a JSON array.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<JsonDiagnostic> = diagnostics.iter().map(JsonDiagnostic::from).collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned())
}

/// Render as GitHub workflow commands, one per line. GitHub attaches an
/// annotation to a line of the pull request's diff by the path from the top
/// of the repository, so `prefix` (the portfolio's folder in the repository,
/// empty at the top) goes before every path, which is relative to the portfolio.
pub fn to_github(diagnostics: &[Diagnostic], prefix: &str) -> String {
    let prefix = prefix.trim_matches('/');
    let mut out = String::new();
    for d in diagnostics {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = display_path(&d.path);
        let path = if prefix.is_empty() || d.path.is_absolute() { path } else { format!("{prefix}/{path}") };
        let mut props = format!("file={}", gh_property(&path));
        if let Some(loc) = d.location {
            let _ = write!(props, ",line={},col={}", loc.line, loc.column);
        }
        let _ = write!(props, ",title={}", gh_property(&format!("{} {}", d.code.as_str(), d.code.title())));
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        let _ = writeln!(out, "::{kind} {props}::{}", gh_data(&message));
    }
    out
}

// Escaping as GitHub's toolkit does (`escapeData` / `escapeProperty`).
fn gh_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Render like rustc: `error[P012]: message`, ` --> path:line:col`, the source
/// line with a caret, then `= hint: …`. `source` looks up a file's text by path.
pub fn to_text(
    diagnostics: &[Diagnostic],
    style: &crate::render::style::Style,
    source: &dyn Fn(&Path) -> Option<String>,
) -> String {
    let mut out = String::new();
    // Diagnostics come sorted by file: read each file once, not once per finding.
    let mut cached: Option<(&Path, Option<String>)> = None;
    for d in diagnostics {
        let text = match &cached {
            Some((path, text)) if *path == d.path.as_path() => text.as_deref(),
            _ => {
                cached = Some((d.path.as_path(), d.location.and_then(|_| source(&d.path))));
                cached.as_ref().and_then(|(_, t)| t.as_deref())
            }
        };
        let head = format!("{}[{}]", d.severity.as_str(), d.code.as_str());
        let head = match d.severity {
            Severity::Error => style.error(&head),
            Severity::Warning => style.warning(&head),
        };
        let _ = writeln!(out, "{head}: {}", style.bold(&crate::text::clean::sanitize(&d.message)));
        let _ = writeln!(out, "  {} {}", style.dim("-->"), crate::text::clean::sanitize(&d.place()));
        if let Some(loc) = d.location
            && let Some(text) = text
            && let Some(line) = text.lines().nth(loc.line.saturating_sub(1))
        {
            let line = crate::text::clean::sanitize(line.trim_end_matches('\r'));
            let number = loc.line.to_string();
            let pad = " ".repeat(number.len());
            let col = loc.column.saturating_sub(1).min(line.chars().count());
            let _ = writeln!(out, "{pad} {}", style.dim("|"));
            let _ = writeln!(out, "{} {} {line}", style.dim(&number), style.dim("|"));
            let _ = writeln!(out, "{pad} {} {}{}", style.dim("|"), " ".repeat(col), style.caret("^"));
        }
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  = {}: {}", style.bold("hint"), crate::text::clean::sanitize(hint));
        }
        out.push('\n');
    }
    out
}
