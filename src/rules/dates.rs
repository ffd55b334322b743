//! Dates: the timeframe, milestones and deliveries past due, stale statuses.

use chrono::{Datelike, NaiveDate};

use super::Context;
use crate::diag::{Code, Diagnostic};
use crate::domain::model::State;
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;

/// Dates: the timeframe, milestones and deliveries past due, stale statuses.
pub(super) fn check(def: &ProcessDefinition, t: &Tiltak, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let path = t.path.as_path();
    let fm = &t.fm;
    let at = |key: &str| Some(t.key_location(key));
    if let Some(tf) = &fm.timeframe
        && let (Some(start), Some(end)) = (tf.start, tf.end)
    {
        if end < start {
            out.push(
                Diagnostic::error(
                    Code::InconsistentDates,
                    path,
                    format!("timeframe ends ({end}) before it starts ({start})"),
                )
                .at(at("timeframe")),
            );
        } else if let Some(rule) = def.timeframe {
            let months = months_between(start.0, end.0);
            if months < rule.min_months as i32 || months > rule.max_months as i32 {
                out.push(
                    Diagnostic::warning(
                        Code::TimeframeOutOfSpan,
                        path,
                        format!(
                            "timeframe is {months} months; the portfolio expects {} to {} months",
                            rule.min_months, rule.max_months
                        ),
                    )
                    .at(at("timeframe")),
                );
            }
        }
    }
    for (key, list) in [("milestones", &fm.milestones), ("deliveries", &fm.deliveries)] {
        for (i, m) in list.iter().flatten().enumerate() {
            let missing: Vec<&str> =
                [("`name`", m.name.as_deref().is_none_or(|n| n.trim().is_empty())), ("`date`", m.date.is_none())]
                    .into_iter()
                    .filter_map(|(field, absent)| absent.then_some(field))
                    .collect();
            if !missing.is_empty() {
                out.push(
                    Diagnostic::error(
                        Code::IncompleteMilestone,
                        path,
                        format!("item {} of `{key}` has no {}", i + 1, missing.join(" and ")),
                    )
                    .at(at(key))
                    .with_hint("write it like `- { name: Pilot i drift, date: 2026-11-01, done: false }`"),
                );
            }
        }
    }
    if let Some(updated) = fm.status.as_ref().and_then(|s| s.updated)
        && updated.0 > ctx.today
    {
        out.push(
            Diagnostic::warning(
                Code::FutureDate,
                path,
                format!("`status.updated` is {updated}, after today ({})", ctx.today),
            )
            .at(at("status"))
            .with_hint("set the day the status was last reviewed"),
        );
    }
    let active = fm.state() == State::Active;
    if active {
        for (key, list) in [("milestones", &fm.milestones), ("deliveries", &fm.deliveries)] {
            for m in list.iter().flatten() {
                if let Some(date) = m.date
                    && !m.done
                    && date.0 < ctx.today
                {
                    out.push(
                        Diagnostic::warning(
                            Code::MilestoneOverdue,
                            path,
                            format!(
                                "{} `{}` was due {date} and is not done",
                                if key == "milestones" { "milestone" } else { "delivery" },
                                m.name.as_deref().unwrap_or("?")
                            ),
                        )
                        .at(at(key))
                        .with_hint("set `done: true`, or move the date"),
                    );
                }
            }
        }
        if let Some(updated) = fm.status.as_ref().and_then(|s| s.updated) {
            let age = (ctx.today - updated.0).num_days();
            if age > i64::from(def.stale_after_days) {
                out.push(
                    Diagnostic::warning(
                        Code::StatusStale,
                        path,
                        format!("status last updated {updated}, {age} days ago (limit {})", def.stale_after_days),
                    )
                    .at(at("status"))
                    .with_hint("review the status and set `status.updated`"),
                );
            }
        }
    }
}

fn months_between(start: NaiveDate, end: NaiveDate) -> i32 {
    let mut months = (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32;
    if end.day() < start.day() {
        months -= 1;
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        let d = |s: &str| crate::domain::model::parse_date(s).expect("date");
        assert_eq!(months_between(d("2025-06-01"), d("2026-12-31")), 18);
        assert_eq!(months_between(d("2025-06-15"), d("2025-12-14")), 5);
    }
}
