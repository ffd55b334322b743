//! A span of history named by `--since` and `--until`: each a date
//! (`YYYY-MM-DD`, the whole day included) or a revision (the commits on
//! the line after where it left it).

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::domain::model::parse_date;
use crate::error::Result;
use crate::git::{CommitInfo, Oid, Repo};

/// One end of a span.
#[derive(Debug, Clone)]
pub enum Bound {
    Day(NaiveDate),
    /// The first-parent commits of the tip after a revision.
    After(HashSet<Oid>),
}

/// Which commits a span holds.
#[derive(Debug, Clone, Default)]
pub struct Span {
    pub since: Option<Bound>,
    pub until: Option<Bound>,
}

/// A bound named by the user: a date, else a revision, resolved on the
/// first-parent line of `tip`.
pub fn bound(repo: &Repo, tip: Oid, text: &str) -> Result<Bound> {
    if let Some(day) = parse_date(text) {
        return Ok(Bound::Day(day));
    }
    let id = repo.resolve(text)?;
    let base = repo.merge_base(id, tip)?;
    Ok(Bound::After(repo.first_parent_commits(Some(tip), Some(base))?.into_iter().collect()))
}

impl Span {
    /// Whether the span holds `c`: on or after `since`, on or before `until`.
    pub fn holds(&self, c: &CommitInfo) -> bool {
        let date = c.date();
        let after = match &self.since {
            None => true,
            Some(Bound::Day(d)) => date.is_some_and(|x| x >= *d),
            Some(Bound::After(set)) => set.contains(&c.id),
        };
        let before = match &self.until {
            None => true,
            Some(Bound::Day(d)) => date.is_some_and(|x| x <= *d),
            Some(Bound::After(set)) => !set.contains(&c.id),
        };
        after && before
    }
}
