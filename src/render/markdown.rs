//! The report as GitHub-flavoured Markdown, for a job summary or an issue:
//! tables with every value escaped, 🟢🟡🔴 beside the word, and a Mermaid
//! chart GitHub draws.

use crate::domain::model::Level;
use crate::render::terminal_report::spans_text;
use crate::report::Report;
use crate::report::i18n::Labels;
use crate::report::layout::{Block, Cell, Chart, layout, tagged_text};

/// A value made safe for a table cell: one line, no control characters, and
/// Markdown and HTML punctuation escaped, so `|` cannot split the row and a
/// title cannot become a link, an image or markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::text::clean::sanitize(text).trim().chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// A level as coloured circle and word.
pub fn level(level: Option<Level>, l: &Labels) -> String {
    match level {
        Some(Level::Green) => format!("🟢 {}", l.green),
        Some(Level::Yellow) => format!("🟡 {}", l.yellow),
        Some(Level::Red) => format!("🔴 {}", l.red),
        None => "–".to_owned(),
    }
}

fn cell(c: &Cell, l: &Labels) -> String {
    match c {
        Cell::Text(t) => escape(t),
        Cell::Tagged(t, tags) => escape(&tagged_text(t, tags)),
        Cell::Level(x) => level(*x, l),
        Cell::Num(n) => crate::report::layout::number(*n, l),
        Cell::Bar(n, _) => n.to_string(),
        Cell::OptNum(n) => n.map_or("–".to_owned(), |n| n.to_string()),
        Cell::Compare(n, Some(b)) => format!("{n} ({b})"),
        Cell::Compare(n, None) => n.to_string(),
    }
}

/// A Mermaid label: quotes and brackets would end it.
fn mermaid_label(text: &str) -> String {
    crate::text::clean::sanitize(text).replace(['"', '[', ']', '`', '\\'], "'").chars().take(40).collect()
}

/// Render blocks as Markdown.
pub fn blocks(blocks: &[Block], l: &Labels) -> String {
    let mut s = String::new();
    for block in blocks {
        match block {
            Block::Title { name, title } => s.push_str(&format!("# {}\n\n", escape(&format!("{name} — {title}")))),
            Block::Meta { term, sep, value } => {
                s.push_str(&format!("{}  \n", escape(&format!("{term}{sep}{}", spans_text(value)))))
            }
            Block::Section { number, title, count, .. } => {
                let count = count.map(|n| format!(" ({n})")).unwrap_or_default();
                s.push_str(&format!("\n## {}\n\n", escape(&format!("{number}. {title}{count}"))));
            }
            Block::SubHeading(t) => s.push_str(&format!("### {}\n\n", escape(t))),
            Block::Note(t) => s.push_str(&format!("_{}_\n\n", escape(t))),
            Block::Notice { title, text } => {
                s.push_str(&format!("_{}_\n\n", escape(&Block::notice_text(title, text.as_deref()))))
            }
            Block::Table(t) => {
                let head: Vec<String> = t.headers.iter().map(|h| escape(h)).collect();
                s.push_str(&format!("| {} |\n", head.join(" | ")));
                let rule: Vec<&str> =
                    (0..head.len()).map(|i| if t.numeric.contains(&i) { "---:" } else { "---" }).collect();
                s.push_str(&format!("|{}|\n", rule.join("|")));
                for row in &t.rows {
                    let cells: Vec<String> = row.iter().map(|c| cell(c, l)).collect();
                    s.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
                s.push('\n');
            }
            // GitHub draws the funnel from Mermaid; the other charts only
            // repeat a table's figures.
            Block::Chart(Chart::Funnel { title, bars }) => {
                let labels: Vec<String> = bars.iter().map(|(b, _)| format!("\"{}\"", mermaid_label(b))).collect();
                let values: Vec<String> = bars.iter().map(|(_, v)| v.to_string()).collect();
                let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
                s.push_str("```mermaid\nxychart-beta horizontal\n");
                s.push_str(&format!("    title \"{}\"\n", mermaid_label(title)));
                s.push_str(&format!("    x-axis [{}]\n", labels.join(", ")));
                s.push_str(&format!("    y-axis 0 --> {max}\n"));
                s.push_str(&format!("    bar [{}]\n```\n\n", values.join(", ")));
            }
            Block::Chart(_) => {}
        }
    }
    s
}

pub fn render(report: &Report, l: &Labels) -> String {
    blocks(&layout(report, l), l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_table_breakers_and_markup() {
        assert_eq!(escape("a | b"), "a \\| b");
        assert_eq!(escape("<img src=x>"), "\\<img src=x\\>");
        assert_eq!(escape("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(escape("line\nbreak"), "line break");
        assert_eq!(escape("A & B"), "A &amp; B");
    }
}
