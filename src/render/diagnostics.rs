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

/// A file's text and the byte offset where each of its lines starts.
type Source = (String, Vec<usize>);

/// Render like rustc: `error[P012]: message`, ` --> path:line:col`, the source
/// line with a caret, then `= hint: …`. `source` looks up a file's text by path.
pub fn to_text(diagnostics: &[Diagnostic], style: &crate::render::style::Style, source: &SourceFn<'_>) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and every piece written is UTF-8.
    let _ = write_text(diagnostics, style, source, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`to_text`] written to `out` as each diagnostic is rendered: a hundred
/// thousand findings are never held as one string.
pub fn write_text(
    diagnostics: &[Diagnostic],
    style: &crate::render::style::Style,
    source: &SourceFn<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // Rendered on every core a window at a time, in runs of a few findings
    // each, and written in order: the window bounds what is held.
    const WINDOW: usize = 4096;
    const RUN: usize = 32;
    for window in diagnostics.chunks(WINDOW) {
        let runs: Vec<&[Diagnostic]> = window.chunks(RUN).collect();
        let rendered = crate::util::parallel::parallel_map(&runs, |run| {
            let mut text = Vec::new();
            // Writing to a Vec cannot fail.
            let _ = write_run(run, style, source, &mut text);
            text
        });
        for text in rendered {
            out.write_all(&text)?;
        }
    }
    Ok(())
}

/// Looks up a file's text by path, from any thread.
pub type SourceFn<'a> = dyn Fn(&Path) -> Option<String> + Sync + 'a;

/// [`write_text`] of findings in a row, on one thread.
fn write_run(
    diagnostics: &[Diagnostic],
    style: &crate::render::style::Style,
    source: &SourceFn<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // Diagnostics come sorted by file: read each file once, not once per finding.
    // With the start of each line: many findings in one long file must not
    // each walk it from the top.
    let mut cached: Option<(&Path, Option<Source>)> = None;
    for d in diagnostics {
        // The line kept with the finding, or else read from its file.
        let kept = d.excerpt.0.as_deref();
        let text = match &cached {
            _ if kept.is_some() || d.location.is_none() => None,
            Some((path, text)) if *path == d.path.as_path() => text.as_ref(),
            _ => {
                let text = source(&d.path).map(|t| {
                    let starts = crate::diag::line_starts(&t, usize::MAX);
                    (t, starts)
                });
                cached = Some((d.path.as_path(), text));
                cached.as_ref().and_then(|(_, t)| t.as_ref())
            }
        };
        let line = d.location.and_then(|loc| match kept {
            Some(line) => Some(line),
            None => text.and_then(|(text, starts)| crate::diag::source_line(text, starts, loc.line)),
        });
        let head = format!("{}[{}]", d.severity.as_str(), d.code.as_str());
        let head = match d.severity {
            Severity::Error => style.error(&head),
            Severity::Warning => style.warning(&head),
        };
        writeln!(out, "{head}: {}", style.bold(&crate::text::clean::sanitize(&d.message)))?;
        writeln!(out, "  {} {}", style.dim("-->"), crate::text::clean::sanitize(&d.place()))?;
        if let Some(loc) = d.location
            && let Some(line) = line
        {
            let (line, col) = excerpt(line, loc.column.saturating_sub(1));
            let number = loc.line.to_string();
            let pad = " ".repeat(number.len());
            writeln!(out, "{pad} {}", style.dim("|"))?;
            writeln!(out, "{} {} {line}", style.dim(&number), style.dim("|"))?;
            writeln!(out, "{pad} {} {}{}", style.dim("|"), " ".repeat(col), style.caret("^"))?;
        }
        if let Some(hint) = &d.hint {
            writeln!(out, "  = {}: {}", style.bold("hint"), crate::text::clean::sanitize(hint))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// How many characters of a source line a text diagnostic shows.
const EXCERPT_WIDTH: usize = 120;

/// The source line made safe to show, cut to [`EXCERPT_WIDTH`] characters
/// around the 0-based character column `col` (an ellipsis marks each cut),
/// and the caret's column in it. A 200 KB line would otherwise flood the
/// terminal.
fn excerpt(line: &str, col: usize) -> (String, usize) {
    let split = line.char_indices().nth(col).map_or(line.len(), |(i, _)| i);
    // Only a window around the column is read: the same long line may be
    // shown for many findings.
    let from = line[..split].char_indices().rev().nth(EXCERPT_WIDTH).map_or(0, |(i, _)| i);
    let to = line[split..].char_indices().nth(EXCERPT_WIDTH).map_or(line.len(), |(i, _)| split + i);
    let before: Vec<char> = crate::text::clean::sanitize(&line[from..split]).chars().collect();
    let after: Vec<char> = crate::text::clean::sanitize(&line[split..to]).chars().collect();
    let (cut_before, cut_after) = (from > 0, to < line.len());
    let total = before.len() + after.len();
    if total <= EXCERPT_WIDTH && !cut_before && !cut_after {
        return (before.iter().chain(&after).collect(), before.len());
    }
    // Keep a third of the width before the caret, unless the line ends sooner.
    let mut start = before.len().saturating_sub(EXCERPT_WIDTH / 3);
    if !cut_after {
        start = start.min(total.saturating_sub(EXCERPT_WIDTH));
    }
    let end = (start + EXCERPT_WIDTH).min(total);
    let (dots_before, dots_after) = (start > 0 || cut_before, end < total || cut_after);
    let mut out = String::new();
    if dots_before {
        out.push('…');
    }
    out.extend(before.iter().chain(&after).skip(start).take(end - start));
    if dots_after {
        out.push('…');
    }
    (out, before.len() - start + usize::from(dots_before))
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
