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
pub mod national;
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
    /// Today, or `PORTFOLIO_TODAY` (YYYY-MM-DD) when set, for reproducible
    /// runs. A value that is not a date is refused: ignoring it would judge
    /// staleness against a day the user did not mean.
    pub fn from_env() -> crate::error::Result<Context> {
        let today = match std::env::var("PORTFOLIO_TODAY") {
            Err(std::env::VarError::NotPresent) => chrono::Local::now().date_naive(),
            Ok(s) if s.is_empty() => chrono::Local::now().date_naive(),
            Ok(s) => crate::domain::model::parse_date(s.trim()).ok_or_else(|| {
                crate::error::Error::usage_hint(
                    format!("PORTFOLIO_TODAY is {s:?}, not a date"),
                    "set it to a day as YYYY-MM-DD, e.g. PORTFOLIO_TODAY=2026-11-09, or unset it",
                )
            })?,
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(crate::error::Error::usage_hint(
                    "PORTFOLIO_TODAY is not valid text",
                    "set it to a day as YYYY-MM-DD, e.g. PORTFOLIO_TODAY=2026-11-09, or unset it",
                ));
            }
        };
        Ok(Context { today })
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
