//! The national status summary (SPEC §7): one model, built once from a
//! snapshot of the portfolio and its history, laid out once, rendered to
//! every format.
//!
//! - `model`: the types, which are also the JSON output (a stable API,
//!   `schema/report.schema.json`);
//! - `build`: one builder function per section;
//! - `layout`: the document every text format renders;
//! - `i18n`: the words, in both languages.

pub mod agenda;
pub mod board;
mod build;
pub mod i18n;
pub mod layout;
pub mod log;
mod model;
pub mod national;
pub mod round;
pub mod words;

pub(crate) use build::attention;
pub use build::{HistoryInput, Input, Previous, Snapshot, Was, build, reported, rows, set_findings};
pub use model::*;

/// A commit's date as `YYYY-MM-DD`, in its committer's time zone.
pub fn day_of(c: &crate::git::CommitInfo) -> String {
    model::day(c)
}

/// The ID of the bucket of tiltak without a segment or product group.
pub const NONE: &str = "(none)";

/// How far ahead milestones count as due soon.
pub const DAYS_AHEAD: i64 = 90;
