//! The rule engine: what makes a tiltak or a portfolio valid, one file per
//! group of rules. Produces diagnostics only; `check`, gates and reports
//! decide what to do with them.

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;

mod benefits;
mod criteria;
mod dates;
pub mod gate;
mod history;
mod identity;
mod portfolio;
mod reporting;
pub mod requirements;
mod values;

pub use history::history_rules;
pub use portfolio::portfolio_rules;

/// What the rules need to know beyond the files.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// The day to judge staleness and overdue milestones against.
    pub today: NaiveDate,
}

impl Context {
    /// Today, or `PORTFOLIO_TODAY` (YYYY-MM-DD) when set, for reproducible runs.
    pub fn from_env() -> Context {
        let today = std::env::var("PORTFOLIO_TODAY")
            .ok()
            .and_then(|s| crate::domain::model::parse_date(&s))
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        Context { today }
    }
}

/// Rules about one tiltak on its own, group by group.
pub fn file_rules(def: &ProcessDefinition, t: &Tiltak, ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !t.readable {
        return out;
    }
    identity::check(def, t, ctx, &mut out);
    values::check(def, t, ctx, &mut out);
    requirements::check(def, t, ctx, &mut out);
    reporting::check(def, t, ctx, &mut out);
    dates::check(def, t, ctx, &mut out);
    criteria::check(def, t, ctx, &mut out);
    benefits::check(def, t, ctx, &mut out);
    out
}
