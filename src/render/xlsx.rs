//! Excel workbooks (`report --format xlsx`, `list --format xlsx`): the same
//! rows and columns as the CSV ([`super::csv`]), with real date cells
//! (formatted `yyyy-mm-dd`) and numbers, a bold header row, an autofilter
//! and the header frozen. Built from the report model; never from text.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::csv::{Column, REPORT};
use crate::domain::process::bilingual;
use crate::report::{DueItem, Levels, Report, Row};
use crate::text::clean::sanitize;

/// One cell as Excel should hold it.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

/// One sheet: a name, a header row, rows.
struct Sheet {
    name: String,
    headers: Vec<String>,
    rows: Vec<Vec<Value>>,
}

/// CSV columns holding dates or numbers, by name; the rest is text.
const DATE_COLUMNS: &[&str] = &["status_updated", "next_milestone_date", "date"];
const NUMBER_COLUMNS: &[&str] = &["days_in_phase", "errors", "warnings", "days"];

fn typed(name: &str, text: Option<String>) -> Value {
    let Some(text) = text.filter(|t| !t.is_empty()) else { return Value::Empty };
    if DATE_COLUMNS.contains(&name)
        && let Some(d) = crate::domain::model::parse_date(&text)
    {
        return Value::Date(d);
    }
    if NUMBER_COLUMNS.contains(&name)
        && let Ok(n) = text.parse::<f64>()
    {
        return Value::Number(n);
    }
    Value::Text(text)
}

fn rows_sheet(name: &str, columns: &[&Column], rows: &[impl AsRef<Row>]) -> Sheet {
    let columns = crate::render::csv::with_portfolio(columns.iter().copied(), rows);
    Sheet {
        name: name.to_owned(),
        headers: columns.iter().map(|c| c.name.to_owned()).collect(),
        rows: rows.iter().map(|r| columns.iter().map(|c| typed(c.name, (c.value)(r.as_ref()))).collect()).collect(),
    }
}

fn pick(names: &[&str]) -> Vec<&'static Column> {
    names.iter().filter_map(|n| REPORT.iter().find(|c| c.name == *n)).collect()
}

/// The columns of `list`'s sheet: `list`'s CSV columns, with the phase by
/// name and the next milestone split into its name and a real date.
const LIST_COLUMNS: &[&str] = &[
    "id",
    "title",
    "phase_name",
    "segment",
    "product_group",
    "owner",
    "organization",
    "priority",
    "state",
    "status",
    "risk",
    "next_milestone",
    "next_milestone_date",
    "path",
];

const ATTENTION_COLUMNS: &[&str] = &[
    "id",
    "title",
    "phase_name",
    "owner",
    "status",
    "status_reason",
    "status_updated",
    "risk",
    "risk_description",
    "risk_mitigation",
];

bilingual! {
    /// The workbook's sheet names and words.
    struct Names {
        tiltak: "Tiltak", "Tiltak";
        segments: "Status per segment", "Status per segment";
        attention: "Oppmerksomhet", "Attention";
        milestones: "Milepæler", "Milestones";
        overdue: "forsinket", "overdue";
        upcoming: "kommende", "upcoming";
    }
}

fn levels_row(l: &Levels) -> Vec<Value> {
    let n = |v: usize| Value::Number(v as f64);
    let opt = |v: Option<usize>| v.map_or(Value::Empty, n);
    vec![
        l.id.clone().map_or(Value::Empty, Value::Text),
        Value::Text(l.name.clone()),
        n(l.status.green),
        n(l.status.yellow),
        n(l.status.red),
        n(l.status.unknown),
        n(l.risk.green),
        n(l.risk.yellow),
        n(l.risk.red),
        n(l.risk.unknown),
        opt(l.previous_status.map(|p| p.green)),
        opt(l.previous_status.map(|p| p.yellow)),
        opt(l.previous_status.map(|p| p.red)),
    ]
}

fn due_row(item: &DueItem, when: &str) -> Vec<Value> {
    vec![
        Value::Text(item.id.clone()),
        Value::Text(item.title.clone()),
        Value::Text(when.to_owned()),
        Value::Text(format!("{:?}", item.kind).to_lowercase()),
        Value::Text(item.name.clone()),
        typed("date", Some(item.date.clone())),
        Value::Number(item.days as f64),
    ]
}

/// The report's workbook: tiltak, status per segment, attention, milestones.
pub fn report(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let w = Names::for_language(report.language);
    let all: Vec<&Column> = REPORT.iter().collect();
    let mut segments = vec![levels_row(&report.status.overall)];
    segments.extend(report.status.segments.iter().map(levels_row));
    let mut milestones: Vec<Vec<Value>> = report.milestones.overdue.iter().map(|m| due_row(m, w.overdue)).collect();
    milestones.extend(report.milestones.upcoming.iter().map(|m| due_row(m, w.upcoming)));
    let sheets = [
        rows_sheet(w.tiltak, &all, &report.tiltak),
        Sheet {
            name: w.segments.to_owned(),
            headers: [
                "segment",
                "name",
                "status_green",
                "status_yellow",
                "status_red",
                "status_unknown",
                "risk_green",
                "risk_yellow",
                "risk_red",
                "risk_unknown",
                "previous_status_green",
                "previous_status_yellow",
                "previous_status_red",
            ]
            .map(str::to_owned)
            .to_vec(),
            rows: segments,
        },
        rows_sheet(w.attention, &pick(ATTENTION_COLUMNS), &report.attention),
        Sheet {
            name: w.milestones.to_owned(),
            headers: ["id", "title", "when", "kind", "name", "date", "days"].map(str::to_owned).to_vec(),
            rows: milestones,
        },
    ];
    workbook(&sheets, parse_day(&report.as_of.date))
}

/// `list`'s workbook: one sheet of tiltak.
pub fn list(rows: &[Row], today: NaiveDate) -> Result<Vec<u8>, XlsxError> {
    workbook(&[rows_sheet("Tiltak", &pick(LIST_COLUMNS), rows)], Some(today))
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    crate::domain::model::parse_date(text)
}

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    ExcelDateTime::from_ymd(u16::try_from(d.year()).ok()?, d.month() as u8, d.day() as u8).ok()
}

fn workbook(sheets: &[Sheet], created: Option<NaiveDate>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // A fixed creation date: the same report gives the same workbook.
    if let Some(d) = created.and_then(excel_date) {
        book.set_properties(&DocProperties::new().set_creation_datetime(&d));
    }
    let header = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for sheet in sheets {
        let mut ws = Worksheet::new();
        ws.set_name(&sheet.name)?;
        write_sheet(&mut ws, sheet, &header, &date)?;
        book.push_worksheet(ws);
    }
    book.save_to_buffer()
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, header: &Format, date: &Format) -> Result<(), XlsxError> {
    let mut widths: Vec<usize> = sheet.headers.iter().map(|h| h.chars().count()).collect();
    for (c, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, header)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, value) in row.iter().enumerate() {
            let col = c as u16;
            let width = match value {
                Value::Empty => 0,
                Value::Text(t) => {
                    // Written as a string, never a formula; control characters removed.
                    let t = sanitize(t);
                    ws.write_string(r, col, &t)?;
                    t.chars().count()
                }
                Value::Number(n) => {
                    ws.write_number(r, col, *n)?;
                    8
                }
                Value::Date(d) => {
                    match excel_date(*d) {
                        Some(x) => ws.write_datetime_with_format(r, col, &x, date)?,
                        None => ws.write_string(r, col, d.to_string())?,
                    };
                    10
                }
            };
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(width);
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).clamp(6, 60) as f64 + 2.0)?;
    }
    let last_col = sheet.headers.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, sheet.rows.len() as u32, last_col)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}
