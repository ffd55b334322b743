//! Rendering: how things look, never what is shown. Terminal tables
//! (comfy-table), Markdown, HTML, CSV, Excel, JSON Schema and diagnostics.

pub mod csv;
pub mod diagnostics;
pub mod html;
pub mod markdown;
pub mod schema;
pub mod style;
pub mod terminal_report;
pub mod xlsx;

use comfy_table::{Cell, Color, ContentArrangement, Table, presets};

use crate::domain::model::Level;
use crate::text::clean::sanitize;

/// The width to lay tables out in: `COLUMNS`, else the terminal's, else 100.
pub fn width() -> u16 {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w: &u16| w >= 40)
        .or_else(|| comfy_table::Table::new().width())
        .unwrap_or(100)
}

/// A table with the house style, laid out to fit `width()`.
pub fn table(headers: &[&str], color: bool) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .apply_modifier(comfy_table::modifiers::UTF8_ROUND_CORNERS)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width())
        .set_header(headers.iter().map(|h| Cell::new(h).add_attribute(comfy_table::Attribute::Bold)));
    if !color {
        t.force_no_tty();
    } else {
        t.enforce_styling();
    }
    t
}

/// Keep these columns as wide as their content (IDs, levels, phase names),
/// so the free text columns take the remaining width.
pub fn fit_columns(table: &mut Table, columns: &[usize]) {
    for &i in columns {
        if let Some(c) = table.column_mut(i) {
            c.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
        }
    }
}

/// Cap a column's width (e.g. owner names), so titles keep their room.
pub fn cap_column(table: &mut Table, column: usize, width: u16) {
    if let Some(c) = table.column_mut(column) {
        c.set_constraint(comfy_table::ColumnConstraint::UpperBoundary(comfy_table::Width::Fixed(width)));
    }
}

/// A cell holding user text, stripped of control characters.
pub fn text_cell(text: &str) -> Cell {
    Cell::new(sanitize(text))
}

/// A level's symbol: the shape tells the level without colour.
pub fn level_symbol(level: Level) -> &'static str {
    match level {
        Level::Green => "●",
        Level::Yellow => "▲",
        Level::Red => "■",
    }
}

/// A cell holding `text`, in the level's colour when colour is on.
pub fn level_coloured(text: String, level: Option<Level>, color: bool) -> Cell {
    let cell = Cell::new(text);
    match (color, level) {
        (true, Some(Level::Green)) => cell.fg(Color::Green),
        (true, Some(Level::Yellow)) => cell.fg(Color::Yellow),
        (true, Some(Level::Red)) => cell.fg(Color::Red),
        _ => cell,
    }
}

/// A status or risk level as a word with a symbol, coloured when colour is on.
pub fn level_cell(level: Option<Level>, color: bool) -> Cell {
    let text = level.map_or_else(|| "–".to_owned(), |l| format!("{} {l}", level_symbol(l)));
    level_coloured(text, level, color)
}

/// RFC 4180 CSV. Cells that a spreadsheet would run as a formula are
/// prefixed with `'`.
pub fn csv(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let line = |cells: &mut dyn Iterator<Item = &str>, out: &mut String| {
        let parts: Vec<String> = cells.map(csv_cell).collect();
        out.push_str(&parts.join(","));
        out.push_str("\r\n");
    };
    line(&mut headers.iter().copied(), &mut out);
    for row in rows {
        line(&mut row.iter().map(String::as_str), &mut out);
    }
    out
}

fn csv_cell(value: &str) -> String {
    let value = &sanitize(value);
    let value = if value.starts_with(['=', '+', '@', '\t', '\r'])
        || (value.starts_with('-') && value.len() > 1 && !value[1..].starts_with(|c: char| c.is_ascii_digit()))
    {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let s = csv(&["a", "b"], &[vec!["x,y".into(), "=1+1".into()], vec!["say \"hi\"".into(), "-5".into()]]);
        assert_eq!(s, "a,b\r\n\"x,y\",'=1+1\r\n\"say \"\"hi\"\"\",-5\r\n");
    }
}
