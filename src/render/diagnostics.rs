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

/// Render as GitHub workflow commands, one per line.
pub fn to_github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = format!("file={}", gh_property(&display_path(&d.path)));
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
            let (line, col) = excerpt(line.trim_end_matches('\r'), loc.column.saturating_sub(1));
            let number = loc.line.to_string();
            let pad = " ".repeat(number.len());
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

/// How many characters of a source line a text diagnostic shows.
const EXCERPT_WIDTH: usize = 120;

/// The source line made safe to show, cut to [`EXCERPT_WIDTH`] characters
/// around the 0-based character column `col` (an ellipsis marks each cut),
/// and the caret's column in it. A 200 KB line would otherwise flood the
/// terminal.
fn excerpt(line: &str, col: usize) -> (String, usize) {
    let split = line.char_indices().nth(col).map_or(line.len(), |(i, _)| i);
    let before: Vec<char> = crate::text::clean::sanitize(&line[..split]).chars().collect();
    let after: Vec<char> = crate::text::clean::sanitize(&line[split..]).chars().collect();
    if before.len() + after.len() <= EXCERPT_WIDTH {
        return (before.iter().chain(&after).collect(), before.len());
    }
    // Keep a third of the width before the caret, unless the line ends sooner.
    let start = before.len().saturating_sub(EXCERPT_WIDTH / 3).min((before.len() + after.len()).saturating_sub(EXCERPT_WIDTH));
    let end = (start + EXCERPT_WIDTH).min(before.len() + after.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(before.iter().chain(&after).skip(start).take(end - start));
    if end < before.len() + after.len() {
        out.push('…');
    }
    (out, before.len() - start + usize::from(start > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_shown_whole() {
        assert_eq!(excerpt("title: Tiltak", 7), ("title: Tiltak".to_owned(), 7));
        // The caret counts characters of what is shown: control characters go.
        assert_eq!(excerpt("title: \u{7}x", 8), ("title: x".to_owned(), 7));
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("z: {}", "[".repeat(200_000));
        let (shown, caret) = excerpt(&line, 66);
        assert_eq!(shown.chars().count(), EXCERPT_WIDTH + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(caret, 41);
        // Near the start: no cut before; near the end: no cut after.
        let (shown, caret) = excerpt(&line, 2);
        assert!(shown.starts_with("z: [") && shown.ends_with('…'));
        assert_eq!(caret, 2);
        let (shown, caret) = excerpt(&line, line.len() - 1);
        assert!(shown.starts_with('…') && shown.ends_with('['));
        assert_eq!(shown.chars().nth(caret), Some('['));
        assert_eq!(caret, EXCERPT_WIDTH);
    }
}
