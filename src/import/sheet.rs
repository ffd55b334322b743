//! A spreadsheet — `.csv` (comma or semicolon) or `.xlsx` — with a header
//! row and one tiltak a row. Each row becomes one [`Record`], its columns
//! mapped by the map's `columns:`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;
use serde_yaml::Value;

use super::map::{Map, Target, UnknownColumns};
use super::plan::Record;
use crate::domain::process::{Language, ProcessDefinition};
use crate::error::{Error, Result};
use crate::text::clean::one_line;
use crate::text::locate::Step;

/// One cell, typed as the sheet has it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
}

impl Cell {
    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// As text, the way a reader sees it.
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_owned(),
            Cell::Number(n) => number_text(*n),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { n.to_string() }
}

/// A sheet: its headers and its rows, each with the row number a
/// spreadsheet shows (the header row is row 1 when it is the first).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<Cell>)>,
}

/// Read `.xlsx` (or `.xlsm`, `.xls`, `.ods`) with calamine, anything else as CSV.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Table> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
        read_workbook(path, sheet)
    } else {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::usage_hint(
                format!("{}: not UTF-8 text (byte {})", path.display(), e.utf8_error().valid_up_to()),
                "save the sheet as \"CSV UTF-8\", or give the .xlsx file",
            )
        })?;
        read_csv(&text, path)
    }
}

/// Parse CSV text. The delimiter is `;` when the header line has more
/// semicolons than commas (Excel's CSV in Norwegian locales), else `,`.
pub fn read_csv(text: &str, path: &Path) -> Result<Table> {
    let shown = crate::diag::display_path(path);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut table = Table::default();
    for (i, record) in reader.records().enumerate() {
        let row = i + 1;
        let record = record.map_err(|e| Error::usage(format!("{shown}: row {row}: {e}")))?;
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if i == 0 {
            table.headers = cells.iter().map(|h| one_line(h)).collect();
            continue;
        }
        if cells.len() > table.headers.len() && cells[table.headers.len()..].iter().any(|c| !c.trim().is_empty()) {
            return Err(Error::usage(format!(
                "{shown}: row {row} has {} cells, but the header row names {} columns",
                cells.len(),
                table.headers.len()
            )));
        }
        let cells = cells.into_iter().map(|c| if c.trim().is_empty() { Cell::Empty } else { Cell::Text(c) }).collect();
        table.rows.push((row, cells));
    }
    Ok(table)
}

fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<Table> {
    use calamine::{Data, Reader};
    let shown = crate::diag::display_path(path);
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| Error::usage(format!("{shown}: not a readable workbook: {e}")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names.iter().find(|n| n.eq_ignore_ascii_case(s)).cloned().ok_or_else(|| {
            Error::usage_hint(format!("{shown}: no sheet {s:?}"), format!("sheets: {}", names.join(", ")))
        })?,
        None => names.first().cloned().ok_or_else(|| Error::usage(format!("{shown}: the workbook has no sheets")))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| Error::usage(format!("{shown}: sheet {name:?} cannot be read: {e}")))?;
    let (top, _) = range.start().unwrap_or((0, 0));
    let mut table = Table::default();
    let mut header_seen = false;
    for (i, row) in range.rows().enumerate() {
        let number = top as usize + i + 1;
        let cells: Vec<Cell> = row
            .iter()
            .map(|c| match c {
                Data::Empty => Cell::Empty,
                Data::String(s) => Cell::Text(s.clone()),
                Data::Int(n) => Cell::Number(*n as f64),
                Data::Float(f) => Cell::Number(*f),
                Data::Bool(b) => Cell::Bool(*b),
                Data::DateTime(dt) => {
                    let (y, m, d, ..) = dt.to_ymd_hms_milli();
                    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
                        .map_or_else(|| Cell::Number(dt.as_f64()), Cell::Date)
                }
                Data::DateTimeIso(s) => s
                    .get(..10)
                    .and_then(crate::domain::model::parse_date)
                    .map_or_else(|| Cell::Text(s.clone()), Cell::Date),
                Data::DurationIso(s) => Cell::Text(s.clone()),
                Data::Error(e) => Cell::Text(format!("#{e:?}")),
            })
            .collect();
        if !header_seen {
            if cells.iter().all(Cell::is_empty) {
                continue;
            }
            table.headers = cells.iter().map(|c| one_line(&c.text())).collect();
            header_seen = true;
            continue;
        }
        table.rows.push((number, cells));
    }
    Ok(table)
}

/// What a field takes from a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Date,
    Number,
    Numbers,
    Texts,
}

fn kind(field: &str) -> Option<Kind> {
    Some(match field {
        "created" | "status.updated" | "timeframe.start" | "timeframe.end" => Kind::Date,
        "budget.investment" | "budget.operations" => Kind::Number,
        "strategic_goals" | "sdgs" => Kind::Numbers,
        "links" | "dependencies" => Kind::Texts,
        "title"
        | "owner"
        | "organization"
        | "product_group"
        | "priority"
        | "segment"
        | "state"
        | "state_reason"
        | "status.level"
        | "status.reason"
        | "risk.level"
        | "risk.description"
        | "risk.mitigation"
        | "benefits"
        | "benefit_prerequisites"
        | "budget.currency" => Kind::Text,
        _ => return None,
    })
}

/// Where each column goes.
enum Use<'m> {
    Field(&'m str, Kind),
    Phase,
    Section(&'m str),
    Unknown,
}

/// The records of a sheet, one per non-empty row.
pub fn records(
    def: &ProcessDefinition,
    map: &Map,
    table: &Table,
    file: &Path,
    today: NaiveDate,
) -> Result<Vec<Record>> {
    let shown = crate::diag::display_path(file);
    // Headers: unique, and every column the map names must be there.
    let mut seen = BTreeSet::new();
    for h in &table.headers {
        if !h.is_empty() && !seen.insert(super::fold(h)) {
            return Err(Error::usage(format!("{shown}: the column {h:?} appears twice in the header row")));
        }
    }
    for column in map.columns.keys() {
        if !table.headers.iter().any(|h| super::fold(h) == super::fold(column)) {
            return Err(map.error(
                &[Step::Key("columns"), Step::Key(column)],
                &format!("the sheet has no column {column:?} (its columns: {})", table.headers.join(", ")),
            ));
        }
    }
    let mut uses = Vec::with_capacity(table.headers.len());
    for header in &table.headers {
        let u = match Map::lookup(&map.columns, header) {
            Some((_, Target::Section(s))) => Use::Section(s.section.as_str()),
            Some((_, Target::Field(f))) if f == "phase" => Use::Phase,
            Some((key, Target::Field(f))) => {
                super::map::check_field_path(f).map_err(|m| map.error(&[Step::Key("columns"), Step::Key(key)], &m))?;
                let k = kind(f).ok_or_else(|| {
                    map.error(
                        &[Step::Key("columns"), Step::Key(key)],
                        &format!("`{f}` cannot be read from one cell; map the column to a section, or to one of its sub-fields"),
                    )
                })?;
                Use::Field(f.as_str(), k)
            }
            None => Use::Unknown,
        };
        uses.push(u);
    }
    if !uses.iter().any(|u| matches!(u, Use::Field("title", _))) {
        return Err(map.error(
            &[Step::Key("columns")],
            &format!("no column is mapped to `title` (the sheet's columns: {})", table.headers.join(", ")),
        ));
    }
    if map.unknown_columns == UnknownColumns::Error {
        let unknown: Vec<&str> = table
            .headers
            .iter()
            .zip(&uses)
            .filter(|(h, u)| matches!(u, Use::Unknown) && !h.is_empty())
            .map(|(h, _)| h.as_str())
            .collect();
        if !unknown.is_empty() {
            return Err(Error::usage_hint(
                format!("{shown}: columns the map does not name: {}", unknown.join(", ")),
                "map them under `columns:`, or set `unknown_columns: keep` to keep them in the body",
            ));
        }
    }

    let heading = match def.language {
        Language::Nb => "Importert fra regneark",
        Language::En => "Imported from the spreadsheet",
    };
    let mut unmapped_phases: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut out = Vec::new();
    for (row, cells) in &table.rows {
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        let at =
            |header: &str, message: String| Error::usage(format!("{shown}: row {row}, column {header:?}: {message}"));
        let mut r = Record { source: format!("row {row}"), leftover_heading: heading.to_owned(), ..Record::default() };
        for (key, value) in &map.defaults {
            r.set(key, value.clone());
        }
        for (i, header) in table.headers.iter().enumerate() {
            let cell = cells.get(i).unwrap_or(&Cell::Empty);
            if cell.is_empty() {
                continue;
            }
            match &uses[i] {
                Use::Field(field, k) => {
                    let replaced =
                        Map::lookup(&map.values, header).and_then(|(_, table)| Map::lookup(table, &cell.text()));
                    let value = match replaced {
                        Some((_, v)) => v.clone(),
                        None => convert(cell, *k).map_err(|m| at(header, m))?,
                    };
                    let value = match (*field, value) {
                        ("owner", Value::String(s)) => Value::from(map.owner(&s)),
                        (_, v) => v,
                    };
                    if *field == "title" {
                        r.title = value.as_str().map(one_line).unwrap_or_default();
                    } else {
                        r.set(field, value);
                    }
                }
                Use::Phase => {
                    let name = cell.text();
                    let phase = match Map::lookup(&map.phases, &name) {
                        Some((key, to)) => Some(super::match_phase(def, to).ok_or_else(|| {
                            map.error(&[Step::Key("phases"), Step::Key(key)], &format!("{to:?} is no phase"))
                        })?),
                        None => super::match_phase(def, &name),
                    };
                    match phase {
                        Some(p) => r.phase = p,
                        None => unmapped_phases.entry(one_line(&name)).or_default().push(*row),
                    }
                }
                Use::Section(heading) => r.add_section(heading, &cell.text()),
                Use::Unknown => {
                    let label = if header.is_empty() { format!("(column {})", i + 1) } else { header.clone() };
                    r.leftovers.push(format!("**{label}:** {}", cell.text()));
                }
            }
        }
        if r.title.is_empty() {
            return Err(Error::usage(format!("{shown}: row {row}: the title is empty")));
        }
        if !r.has("created") {
            // A sheet seldom says when a tiltak was proposed: the day it moved in.
            r.set("created", Value::from(today.to_string()));
        }
        out.push(r);
    }
    if !unmapped_phases.is_empty() {
        let list: Vec<String> = unmapped_phases
            .iter()
            .map(|(p, rows)| {
                let rows: Vec<String> = rows.iter().map(usize::to_string).collect();
                format!("{p:?} (rows {})", rows.join(", "))
            })
            .collect();
        let ids: Vec<&str> = def.phases.iter().map(|p| p.id.as_str()).collect();
        return Err(Error::usage_hint(
            format!("{shown}: phase values that match no phase: {}", list.join(", ")),
            format!("map each under `phases:` in the map to a phase: {}", ids.join(", ")),
        ));
    }
    Ok(out)
}

fn convert(cell: &Cell, kind: Kind) -> std::result::Result<Value, String> {
    match kind {
        Kind::Text => Ok(Value::from(cell.text())),
        Kind::Date => date(cell).map(|d| Value::from(d.to_string())),
        Kind::Number => match cell {
            Cell::Number(n) => Ok(number(*n)),
            other => {
                parse_number(&other.text()).map(number).ok_or_else(|| format!("`{}` is not a number", other.text()))
            }
        },
        Kind::Numbers => {
            let text = cell.text();
            text.split([',', ';', ' '])
                .filter(|p| !p.trim().is_empty())
                .map(|p| {
                    p.trim().parse::<u32>().map(Value::from).map_err(|_| format!("`{text}` is not a list of numbers"))
                })
                .collect::<std::result::Result<Vec<_>, _>>()
                .map(Value::Sequence)
        }
        Kind::Texts => Ok(Value::Sequence(
            cell.text().split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()).map(Value::from).collect(),
        )),
    }
}

fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 { Value::from(n as i64) } else { Value::from(n) }
}

/// `4 500 000`, `4500000,50`, `kr 4 500 000`, `4.5e6`.
fn parse_number(text: &str) -> Option<f64> {
    let t: String = text
        .trim()
        .trim_start_matches("kr")
        .trim_end_matches("kr")
        .trim_end_matches("NOK")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    let t = if t.matches(',').count() == 1 && !t.contains('.') { t.replace(',', ".") } else { t.replace(',', "") };
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A date from a date cell, an Excel serial number, or text written
/// `YYYY-MM-DD`, `DD.MM.YYYY` or `D/M/YYYY`.
fn date(cell: &Cell) -> std::result::Result<NaiveDate, String> {
    match cell {
        Cell::Date(d) => Ok(*d),
        Cell::Number(n) => excel_serial(*n).ok_or_else(|| format!("{} is not an Excel date", number_text(*n))),
        other => {
            let t = other.text();
            let t = t.trim();
            let head = t.get(..10).unwrap_or(t);
            crate::domain::model::parse_date(head)
                .or_else(|| NaiveDate::parse_from_str(t, "%d.%m.%Y").ok())
                .or_else(|| NaiveDate::parse_from_str(t, "%d/%m/%Y").ok())
                .or_else(|| t.parse::<f64>().ok().and_then(excel_serial))
                .ok_or_else(|| format!("`{t}` is not a date (write YYYY-MM-DD or DD.MM.YYYY)"))
        }
    }
}

/// An Excel date serial (1900 date system) as a date. Excel counts
/// 1900-01-01 as day 1 and, after Lotus 1-2-3, a 29 February 1900 that never
/// was (day 60): from day 61 on, the days count from 1899-12-30.
pub fn excel_serial(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    if days == 60 {
        return None;
    }
    let epoch = if days < 60 { NaiveDate::from_ymd_opt(1899, 12, 31)? } else { NaiveDate::from_ymd_opt(1899, 12, 30)? };
    epoch.checked_add_signed(chrono::Duration::days(days))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_are_dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(excel_serial(1.0), d(1900, 1, 1));
        assert_eq!(excel_serial(59.0), d(1900, 2, 28));
        assert_eq!(excel_serial(60.0), None, "Excel's 29 February 1900 never was");
        assert_eq!(excel_serial(61.0), d(1900, 3, 1));
        assert_eq!(excel_serial(45658.0), d(2025, 1, 1));
        assert_eq!(excel_serial(45658.75), d(2025, 1, 1), "the time of day is dropped");
        assert_eq!(excel_serial(0.0), None);
    }

    #[test]
    fn numbers_and_dates_read_as_people_write_them() {
        assert_eq!(parse_number("kr 4 500 000"), Some(4_500_000.0));
        assert_eq!(parse_number("1\u{a0}250,5"), Some(1250.5));
        assert_eq!(parse_number("1,250,000"), Some(1_250_000.0));
        assert_eq!(parse_number("mye"), None);
        let d = NaiveDate::from_ymd_opt(2025, 3, 4);
        assert_eq!(date(&Cell::Text("04.03.2025".into())).ok(), d);
        assert_eq!(date(&Cell::Text("2025-03-04".into())).ok(), d);
        assert_eq!(date(&Cell::Number(45720.0)).ok(), d);
    }

    #[test]
    fn csv_with_semicolons_and_a_bom() {
        let t = read_csv("\u{feff}Navn;Beløp\r\nA;\"1 000\"\r\n;\r\n", Path::new("x.csv")).expect("csv");
        assert_eq!(t.headers, vec!["Navn", "Beløp"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0], (2, vec![Cell::Text("A".into()), Cell::Text("1 000".into())]));
    }
}
