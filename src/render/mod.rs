//! Rendering: how things look, never what is shown. Terminal tables
//! (comfy-table), Markdown, HTML, CSV, Excel, JSON Schema and diagnostics.

pub mod csv;
pub mod diagnostics;
pub mod html;
pub mod markdown;
pub mod schema;
pub mod site;
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

/// Lay `table` out in its width (`width()`) so that no word is broken
/// across lines where the columns can hold it: comfy-table splits a word only
/// when it is longer than its column, so every column gets at least its
/// longest word. The `keep` columns (IDs, levels, phase names, dates) keep
/// each value on one line while there is room; when there is not, those
/// with spaces wrap between words, widest first; then the padding goes
/// (`│ DD-001┆`). Only when even that does not fit (a path longer than the
/// terminal) does comfy-table break words, and this returns false, so the
/// caller can show the rows another way. `caps` limits some columns (owner
/// names) so titles keep their room. `levels` are `keep` columns that never
/// wrap (`● green` split over two lines reads as two values).
pub fn fit_columns(table: &mut Table, keep: &[usize], levels: &[usize], caps: &[(usize, usize)]) -> bool {
    let Some(width) = table.width() else { return true };
    let n = table.column_iter().count();
    if n == 0 {
        return true;
    }
    let mut full = vec![0; n];
    let mut data = vec![0; n];
    let mut word = vec![0; n];
    let mut head_word = vec![0; n];
    let mut measure = |row: &comfy_table::Row, header: bool| {
        for (i, cell) in row.cell_iter().enumerate().take(n) {
            let text = cell.content();
            for line in text.lines() {
                full[i] = full[i].max(display_width(line));
                if !header {
                    data[i] = data[i].max(display_width(line));
                }
            }
            // Words as comfy-table splits them: at spaces.
            let longest = text.split([' ', '\n']).map(display_width).max().unwrap_or(0);
            word[i] = word[i].max(longest);
            if header {
                head_word[i] = longest;
            }
        }
    };
    if let Some(h) = table.header() {
        measure(h, true);
    }
    for row in table.row_iter() {
        measure(row, false);
    }
    for &(i, cap) in caps {
        if i < n {
            full[i] = full[i].min(cap.max(word[i]));
        }
    }
    // The narrowest each column may be: its longest word, and for `keep`
    // columns the longest value (its header may still wrap between words).
    let mut least: Vec<usize> =
        (0..n).map(|i| if keep.contains(&i) { data[i].max(head_word[i]) } else { word[i] }).collect();
    let padding: Vec<usize> = table.column_iter().map(|c| usize::from(c.padding_width())).collect();
    let borders = n + 1;
    // Without padding, a cell keeps one space on its left.
    let room =
        |padded: bool| usize::from(width).saturating_sub(borders + if padded { padding.iter().sum() } else { n });
    let mut padded = true;
    while least.iter().sum::<usize>() > room(true) {
        // Let the `keep` column that gains most wrap between its words.
        let gain = |i: usize| least[i] - word[i];
        match (0..n).filter(|&i| gain(i) > 0 && !levels.contains(&i)).max_by_key(|&i| (gain(i), std::cmp::Reverse(i))) {
            Some(i) => least[i] = word[i],
            None => break,
        }
    }
    if least.iter().sum::<usize>() > room(true) {
        padded = false;
    }
    let room = room(padded);
    if least.iter().sum::<usize>() > room {
        // No layout holds every word: leave it to comfy-table.
        return false;
    }
    // Give out the rest: first to the columns that then fit whole, the
    // narrowest need first, then evenly to the free text columns.
    let mut widths = least.clone();
    let mut spare = room - widths.iter().sum::<usize>();
    loop {
        let needy: Vec<usize> = (0..n).filter(|&i| widths[i] < full[i]).collect();
        if needy.is_empty() || spare == 0 {
            break;
        }
        let share = (spare / needy.len()).max(1);
        let small: Vec<usize> = needy.iter().copied().filter(|&i| full[i] - widths[i] <= share).collect();
        if small.is_empty() {
            for (k, &i) in needy.iter().enumerate() {
                let extra = (spare / needy.len() + usize::from(k < spare % needy.len())).min(full[i] - widths[i]);
                widths[i] += extra;
            }
            break;
        }
        for i in small {
            let need = (full[i] - widths[i]).min(spare);
            widths[i] += need;
            spare -= need;
        }
    }
    for (i, column) in table.column_iter_mut().enumerate() {
        if !padded {
            column.set_padding((1, 0));
        }
        let total = widths[i] + usize::from(column.padding_width());
        let total = u16::try_from(total).unwrap_or(u16::MAX);
        column.set_constraint(comfy_table::ColumnConstraint::Absolute(comfy_table::Width::Fixed(total)));
    }
    true
}

/// `text` wrapped between words into lines of at most `width` columns: the
/// first line starts with `first`, the others with `rest`. A word that does
/// not fit behind `first` starts the next line; only a word longer than a
/// whole line is cut.
pub fn wrap(text: &str, first: &str, rest: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_owned();
    let mut has_word = false;
    let fresh = width.saturating_sub(display_width(rest)).max(1);
    for word in text.split_whitespace() {
        if display_width(&line) + usize::from(has_word) + display_width(word) <= width {
            if has_word {
                line.push(' ');
            }
            line.push_str(word);
            has_word = true;
            continue;
        }
        if has_word || !line.trim().is_empty() {
            lines.push(std::mem::replace(&mut line, rest.to_owned()).trim_end().to_owned());
        }
        has_word = true;
        if display_width(word) <= fresh {
            line.push_str(word);
            continue;
        }
        // Longer than any line: cut it where each line ends.
        let mut part = String::new();
        for c in word.chars() {
            if display_width(&part) + display_width(c.encode_utf8(&mut [0; 4])) > fresh && !part.is_empty() {
                line.push_str(&std::mem::take(&mut part));
                lines.push(std::mem::replace(&mut line, rest.to_owned()));
            }
            part.push(c);
        }
        line.push_str(&part);
    }
    lines.push(line.trim_end().to_owned());
    lines
}

/// Columns a terminal shows a character in (wide East Asian characters
/// take two), as comfy-table counts them.
pub fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
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
    fn wrap_keeps_words_whole() {
        assert_eq!(wrap("a bb ccc", "- ", "  ", 6), ["- a bb", "  ccc"]);
        // A word too long behind the label starts the next line.
        assert_eq!(wrap("tiltak/x.md", "  File: ", "    ", 16), ["  File:", "    tiltak/x.md"]);
        // Only a word longer than a whole line is cut.
        assert_eq!(wrap("abcdefgh", "", "", 5), ["abcde", "fgh"]);
        assert_eq!(wrap("", "x: ", "   ", 10), ["x:"]);
        assert_eq!(wrap("ab abcdefgh", "", "", 5), ["ab", "abcde", "fgh"]);
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
