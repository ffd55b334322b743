//! The report in the terminal: comfy-table tables that fit the width,
//! colour only when asked for.

use comfy_table::CellAlignment;

use crate::domain::model::Level;
use crate::render;
use crate::render::style::Style;
use crate::report::Report;
use crate::report::i18n::Labels;
use crate::report::layout::{Block, Cell, Chart, Span, layout, tagged_text};
use crate::text::clean::sanitize;

/// From this width on, tables show their optional columns.
const WIDE: u16 = 120;

/// A level as symbol and word, in the report's language.
pub fn level_text(level: Option<Level>, l: &Labels) -> String {
    level.map_or_else(|| "–".to_owned(), |x| format!("{} {}", render::level_symbol(x), l.level(Some(x))))
}

pub fn level_cell(level: Option<Level>, l: &Labels, color: bool) -> comfy_table::Cell {
    render::level_coloured(level_text(level, l), level, color)
}

fn cell(c: &Cell, l: &Labels, color: bool) -> comfy_table::Cell {
    let right = |text: String| comfy_table::Cell::new(text).set_alignment(CellAlignment::Right);
    match c {
        Cell::Text(t) => render::text_cell(t),
        Cell::Tagged(t, tags) => render::text_cell(&tagged_text(t, tags)),
        Cell::Level(level) => level_cell(*level, l, color),
        Cell::Num(n) => right(crate::report::layout::number(*n, l)),
        Cell::Bar(n, _) => right(n.to_string()),
        Cell::OptNum(n) => right(n.map_or("–".to_owned(), |n| n.to_string())),
        Cell::Compare(n, Some(b)) => right(format!("{n} ({b})")),
        Cell::Compare(n, None) => right(n.to_string()),
    }
}

/// A header line's value as text.
pub fn spans_text(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text(t) | Span::Code(t) => t.as_str(),
        })
        .collect()
}

/// Render blocks for the terminal.
pub fn blocks(blocks: &[Block], l: &Labels, color: bool) -> String {
    let style = Style::new(color);
    let mut s = String::new();
    for block in blocks {
        match block {
            Block::Title { name, title } => lines(&mut s, &sanitize(&format!("{name} — {title}")), |t| style.bold(t)),
            Block::Meta { term, sep, value } => {
                lines(&mut s, &sanitize(&format!("{term}{sep}{}", spans_text(value))), |t| t.to_owned());
            }
            Block::Section { number, title, count, .. } => {
                let count = count.map(|n| format!(" ({n})")).unwrap_or_default();
                s.push('\n');
                s.push_str(&style.bold(&sanitize(&format!("{number}. {title}{count}"))));
                s.push('\n');
            }
            Block::SubHeading(t) => lines(&mut s, &sanitize(t), |t| style.bold(t)),
            Block::Note(t) => lines(&mut s, &sanitize(t), |t| style.dim(t)),
            Block::Notice { title, text } => {
                lines(&mut s, &sanitize(&Block::notice_text(title, text.as_deref())), |t| style.dim(t));
            }
            Block::Table(t) => {
                // Narrow terminals leave out the optional columns.
                let shown: Vec<usize> =
                    (0..t.headers.len()).filter(|i| render::width() >= WIDE || !t.optional.contains(i)).collect();
                let headers: Vec<&str> = shown.iter().map(|&i| t.headers[i].as_str()).collect();
                let mut table = render::table(&headers, color);
                for row in &t.rows {
                    table.add_row(shown.iter().filter_map(|&i| row.get(i)).map(|c| cell(c, l, color)));
                }
                let keep: Vec<usize> = (0..shown.len()).filter(|&k| !t.wrap.contains(&shown[k])).collect();
                let levels: Vec<usize> = (0..shown.len())
                    .filter(|&k| t.rows.iter().any(|r| matches!(r.get(shown[k]), Some(Cell::Level(_)))))
                    .collect();
                if !render::fit_columns(&mut table, &keep, &levels, &[]) {
                    // Too narrow for these columns without cutting words:
                    // one record per row instead, every word whole.
                    s.push_str(&records(&headers, &t.rows, &shown, l));
                    continue;
                }
                for (k, &i) in shown.iter().enumerate() {
                    if t.numeric.contains(&i)
                        && let Some(c) = table.column_mut(k)
                    {
                        c.set_cell_alignment(CellAlignment::Right);
                    }
                }
                s.push_str(&table.to_string());
                s.push('\n');
            }
            // The terminal draws the funnel as bars; the other charts only
            // repeat a table's figures.
            Block::Chart(Chart::Funnel { title, bars }) => {
                s.push_str(&sanitize(title));
                s.push('\n');
                let label_width = bars.iter().map(|(b, _)| b.chars().count()).max().unwrap_or(0).min(30);
                let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
                let room = usize::from(render::width()).saturating_sub(label_width + 10).clamp(10, 60);
                for (label, value) in bars {
                    let len = (value * room).div_ceil(max);
                    let label: String = sanitize(label).chars().take(label_width).collect();
                    let pad = label_width - label.chars().count();
                    s.push_str(&format!("  {label}{} {} {value}\n", " ".repeat(pad), "█".repeat(len)));
                }
            }
            Block::Chart(_) => {}
        }
    }
    s
}

/// A line of text wrapped between words to the width, each line styled.
fn lines(s: &mut String, text: &str, style: impl Fn(&str) -> String) {
    for line in render::wrap(text, "", "", usize::from(render::width())) {
        s.push_str(&style(&line));
        s.push('\n');
    }
}

/// Rows as records for a terminal too narrow for their table: the first
/// column as a heading, then `Header: value` lines wrapped between words,
/// a blank line between records.
fn records(headers: &[&str], rows: &[Vec<Cell>], shown: &[usize], l: &Labels) -> String {
    let width = usize::from(render::width());
    let mut s = String::new();
    for (n, row) in rows.iter().enumerate() {
        if n > 0 {
            s.push('\n');
        }
        for (k, &i) in shown.iter().enumerate() {
            let Some(c) = row.get(i) else { continue };
            let text = sanitize(&cell(c, l, false).content());
            let lines = if k == 0 {
                render::wrap(&text, "", "  ", width)
            } else if text.trim().is_empty() {
                continue;
            } else {
                render::wrap(&text, &format!("  {}: ", sanitize(headers[k])), "    ", width)
            };
            for line in lines {
                s.push_str(&line);
                s.push('\n');
            }
        }
    }
    s
}

pub fn render(report: &Report, l: &Labels, color: bool) -> String {
    blocks(&layout(report, l), l, color)
}
