//! The commands as a user sees them, one module per command: what each
//! prints, what it refuses, and what it commits. Every test runs the real
//! binary over a real temporary repository through the one hermetic sandbox
//! in `tests/common`. One test binary: it compiles and links once.

#[path = "../common/mod.rs"]
mod common;
mod scenarios;
mod support;

mod advance;
mod agenda;
mod benefits;
mod board;
mod check;
mod completions;
mod help;
mod import;
mod init;
mod lifecycle;
mod list;
mod log;
mod national;
mod new;
mod process_changes;
mod report;
mod report_html;
mod report_rounds;
mod robustness;
mod round;
mod schema;
mod show;
mod site;
mod state;
