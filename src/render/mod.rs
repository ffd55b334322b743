//! Rendering: how things look, never what is shown. Terminal tables
//! (comfy-table), Markdown, HTML, CSV, JSON Schema and diagnostics.

pub mod csv;
pub mod diagnostics;
pub mod html;
pub mod markdown;
pub mod schema;
pub mod style;
pub mod terminal_report;

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

/// RFC 4180 CSV. A cell a spreadsheet would run as a formula is prefixed
/// with `'` (OWASP's advice), so it shows as text: every cell that starts —
/// after any leading spaces, which Excel and LibreOffice skip — with `=`, `+`,
/// `-`, `@`, a tab or a CR. The one exception is a plain number (`-5`, `3.5`)
/// in a column marked numeric in `numeric` (one flag per header, missing means
/// text): it stays a number the sheet can sum. A text column never gets that
/// exception, so `-2+3+cmd|' /C calc'!A0` in a title is always defused.
pub fn csv(headers: &[&str], numeric: &[bool], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let line = |cells: &mut dyn Iterator<Item = (usize, &str)>, out: &mut String, header: bool| {
        let parts: Vec<String> =
            cells.map(|(i, cell)| csv_cell(cell, !header && numeric.get(i).copied().unwrap_or(false))).collect();
        out.push_str(&parts.join(","));
        out.push_str("\r\n");
    };
    line(&mut headers.iter().copied().enumerate(), &mut out, true);
    for row in rows {
        line(&mut row.iter().map(String::as_str).enumerate(), &mut out, false);
    }
    out
}

fn csv_cell(value: &str, numeric: bool) -> String {
    // Tabs and CRs become spaces here, which is also why the check below
    // looks past leading spaces.
    let value = &sanitize(value);
    let formula = value.trim_start_matches(' ').starts_with(['=', '+', '-', '@', '\t', '\r']);
    let value = if formula && !(numeric && is_plain_number(value)) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

/// `-12` or `-1.5`: an optional minus, digits, at most one point between digits.
fn is_plain_number(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && parts.next().is_none_or(all_digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let s = csv(&["a", "b"], &[], &[vec!["x,y".into(), "=1+1".into()], vec!["say \"hi\"".into(), "-5".into()]]);
        // No column is numeric here, so even `-5` is text.
        assert_eq!(s, "a,b\r\n\"x,y\",'=1+1\r\n\"say \"\"hi\"\"\",'-5\r\n");
    }

    #[test]
    fn csv_defuses_every_formula_start() {
        let cells = ["-2+3+cmd|' /C calc'!A0", "+1", "@SUM(A1)", "=1", "\t=1", "\r=1", "  =1", "-", "-x"];
        for cell in cells {
            let s = csv(&["a"], &[false], &[vec![cell.into()]]);
            let value = s.lines().nth(1).unwrap_or_default().trim_start_matches('"');
            assert!(value.starts_with('\''), "{cell:?} written as {value:?}");
        }
    }

    #[test]
    fn csv_keeps_plain_numbers_numeric_only_in_numeric_columns() {
        let rows = [vec!["-5".into(), "-5".into()], vec!["-1.5".into(), "-1+1".into()]];
        let s = csv(&["n", "t"], &[true, false], &rows);
        assert_eq!(s, "n,t\r\n-5,'-5\r\n-1.5,'-1+1\r\n");
        // A formula in a numeric column is still defused.
        let s = csv(&["n"], &[true], &[vec!["-2+3+cmd|' /C calc'!A0".into()]]);
        assert_eq!(s, "n\r\n'-2+3+cmd|' /C calc'!A0\r\n");
    }

    #[test]
    fn plain_numbers() {
        for yes in ["0", "-5", "12.25", "-0.5"] {
            assert!(is_plain_number(yes), "{yes}");
        }
        for no in ["", "-", "1.", ".5", "1.2.3", "-1+1", "1e5", "--1"] {
            assert!(!is_plain_number(no), "{no}");
        }
    }
}
