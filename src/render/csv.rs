//! Tiltak rows as CSV (and `list`'s JSON): one column list, stable English
//! column names (the JSON keys), values as in the report's JSON.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::report::i18n::Labels;
use crate::report::{Report, Row};

/// One column: its name, its value in a row (`None`: empty, or `null`), and
/// whether it holds numbers, so a plain number in it (even a negative one)
/// stays a number in a spreadsheet instead of being defused as a formula.
pub struct Column {
    pub name: &'static str,
    pub value: fn(&Row) -> Option<String>,
    pub numeric: bool,
}

const fn col(name: &'static str, value: fn(&Row) -> Option<String>) -> Column {
    Column { name, value, numeric: false }
}

const fn number(name: &'static str, value: fn(&Row) -> Option<String>) -> Column {
    Column { name, value, numeric: true }
}

fn numbers(v: &[u32]) -> Option<String> {
    Some(v.iter().map(u32::to_string).collect::<Vec<_>>().join(" "))
}

// The columns both tables share, so they read the same.
const ID: Column = col("id", |r| Some(r.id.clone()));
const TITLE: Column = col("title", |r| Some(r.title.clone()));
const SEGMENT: Column = col("segment", |r| r.segment.clone());
const PRODUCT_GROUP: Column = col("product_group", |r| r.product_group.clone());
const OWNER: Column = col("owner", |r| r.owner.clone());
const ORGANIZATION: Column = col("organization", |r| r.organization.clone());
const PRIORITY: Column = col("priority", |r| r.priority.clone());
const STATE: Column = col("state", |r| Some(r.state.as_str().to_owned()));
const STATUS: Column = col("status", |r| r.status.map(|l| l.as_str().to_owned()));
const RISK: Column = col("risk", |r| r.risk.map(|l| l.as_str().to_owned()));
const PATH: Column = col("path", |r| Some(r.path.clone()));
/// The portfolio of a row of a national report or list: the first column
/// whenever a row carries one.
pub const PORTFOLIO: Column = col("portfolio", |r| r.portfolio.clone());

/// `columns`, with [`PORTFOLIO`] first when a row names its portfolio (a
/// national report or list).
pub fn with_portfolio<'c>(columns: impl IntoIterator<Item = &'c Column>, rows: &[impl AsRef<Row>]) -> Vec<&'c Column> {
    let national = rows.iter().any(|r| r.as_ref().portfolio.is_some());
    national.then_some(&PORTFOLIO).into_iter().chain(columns).collect()
}

/// `report --format csv`: every field of a row.
pub const REPORT: &[Column] = &[
    ID,
    TITLE,
    col("phase", |r| r.phase.as_ref().map(|p| p.id.clone())),
    col("phase_name", |r| r.phase.as_ref().map(|p| p.name.clone())),
    SEGMENT,
    PRODUCT_GROUP,
    OWNER,
    ORGANIZATION,
    PRIORITY,
    STATE,
    col("state_reason", |r| r.state_reason.clone()),
    STATUS,
    col("status_reason", |r| r.status_reason.clone()),
    col("status_updated", |r| r.status_updated.clone()),
    RISK,
    col("risk_description", |r| r.risk_description.clone()),
    col("risk_mitigation", |r| r.risk_mitigation.clone()),
    col("next_milestone", |r| r.next_milestone.as_ref().map(|m| m.name.clone())),
    col("next_milestone_date", |r| r.next_milestone.as_ref().map(|m| m.date.clone())),
    col("strategic_goals", |r| numbers(&r.strategic_goals)),
    col("sdgs", |r| numbers(&r.sdgs)),
    number("days_in_phase", |r| r.days_in_phase.map(|d| d.to_string())),
    number("errors", |r| Some(r.errors.to_string())),
    number("warnings", |r| Some(r.warnings.to_string())),
    PATH,
];

/// `list --format csv|json`: the short form `list` has always printed, with
/// the phase by name and the next milestone as `date name`.
pub const LIST: &[Column] = &[
    ID,
    TITLE,
    col("phase", |r| r.phase.as_ref().map(|p| p.name.clone())),
    SEGMENT,
    PRODUCT_GROUP,
    OWNER,
    ORGANIZATION,
    PRIORITY,
    STATE,
    STATUS,
    RISK,
    col("next_milestone", |r| r.next_milestone.as_ref().map(|m| format!("{} {}", m.date, m.name))),
    PATH,
];

/// Rows as CSV with these columns.
pub fn table(columns: &[Column], rows: &[impl AsRef<Row>]) -> String {
    let columns = with_portfolio(columns, rows);
    let headers: Vec<&str> = columns.iter().map(|c| c.name).collect();
    let cells: Vec<Vec<String>> =
        rows.iter().map(|r| columns.iter().map(|c| (c.value)(r.as_ref()).unwrap_or_default()).collect()).collect();
    let numeric: Vec<bool> = columns.iter().map(|c| c.numeric).collect();
    crate::render::csv(&headers, &numeric, &cells)
}

/// Rows as a JSON array of objects with these columns as keys, in order.
pub struct Records<'a> {
    pub columns: &'a [Column],
    pub rows: &'a [Row],
}

impl Serialize for Records<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.rows.len()))?;
        let columns = with_portfolio(self.columns, self.rows);
        for row in self.rows {
            seq.serialize_element(&Record { columns: &columns, row })?;
        }
        seq.end()
    }
}

struct Record<'a> {
    columns: &'a [&'a Column],
    row: &'a Row,
}

impl Serialize for Record<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.columns.len()))?;
        for c in self.columns {
            map.serialize_entry(c.name, &(c.value)(self.row))?;
        }
        map.end()
    }
}

pub fn render(report: &Report, _: &Labels) -> String {
    table(REPORT, &report.tiltak)
}
