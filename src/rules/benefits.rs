//! Benefit records, the risk register and the budget (SPEC §11): each
//! consistent in itself and with the tiltak's overall values.

use super::Context;
use crate::diag::{Code, Diagnostic};
use crate::domain::model::Level;
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;
use crate::text::suggest;

pub(super) fn check(def: &ProcessDefinition, t: &Tiltak, _ctx: &Context, out: &mut Vec<Diagnostic>) {
    benefits(def, t, out);
    risks(def, t, out);
    budget(t, out);
}

/// A name for the n-th record in messages: its id, else its position.
fn name(id: Option<&str>, n: usize) -> String {
    id.map_or_else(|| format!("#{}", n + 1), str::to_owned)
}

fn benefits(def: &ProcessDefinition, t: &Tiltak, out: &mut Vec<Diagnostic>) {
    let Some(benefits) = &t.fm.benefits else { return };
    let at = Some(t.key_location("benefits"));
    let from = def.benefit_records_from.as_deref().and_then(|p| def.phase_index(p)).unwrap_or(0);
    let required = t.phase.is_some_and(|p| p >= from);
    for (n, b) in benefits.records().iter().enumerate() {
        let which = name(b.id.as_deref(), n);
        if let Some(kind) = &b.kind
            && !def.benefit_types.is_empty()
            && !def.benefit_types.iter().any(|k| k.eq_ignore_ascii_case(kind))
        {
            let hint = match suggest(kind, def.benefit_types.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`? allowed: {}", def.benefit_types.join(", ")),
                None => format!("allowed: {}", def.benefit_types.join(", ")),
            };
            out.push(
                Diagnostic::error(
                    Code::ValueNotAllowed,
                    &t.path,
                    format!("benefit {which}: `type` {kind:?} is not allowed"),
                )
                .at(at)
                .with_hint(hint),
            );
        }
        if required {
            let phase = &def.phases[from].name;
            let missing: Vec<&str> = [
                ("indicator", b.indicator.as_deref().is_none_or(|s| s.trim().is_empty())),
                ("baseline", b.baseline.is_none_or(|m| m.value.is_none() || m.date.is_none())),
                ("target", b.target.is_none_or(|m| m.value.is_none() || m.date.is_none())),
            ]
            .into_iter()
            .filter_map(|(k, gone)| gone.then_some(k))
            .collect();
            if !missing.is_empty() {
                out.push(
                    Diagnostic::error(
                        Code::MissingField,
                        &t.path,
                        format!("benefit {which} needs {} from phase {phase} on", missing.join(", ")),
                    )
                    .at(at)
                    .with_hint(
                        "a benefit record measures: `indicator`, `baseline: {value, date}` and `target: {value, date}`",
                    ),
                );
            }
        }
        if let (Some(b_date), Some(t_date)) = (b.baseline.and_then(|m| m.date), b.target.and_then(|m| m.date))
            && t_date <= b_date
        {
            out.push(
                Diagnostic::error(
                    Code::InconsistentDates,
                    &t.path,
                    format!("benefit {which}: the target date {t_date} is not after the baseline date {b_date}"),
                )
                .at(at),
            );
        }
        let mut last = None;
        for (k, m) in b.measurements.iter().enumerate() {
            match m.date {
                None => out.push(
                    Diagnostic::error(
                        Code::MissingField,
                        &t.path,
                        format!("benefit {which}: measurement {} has no date", k + 1),
                    )
                    .at(at)
                    .with_hint("write each measurement as `{date: YYYY-MM-DD, value: …}`"),
                ),
                Some(d) => {
                    if last.is_some_and(|l| d < l) {
                        out.push(
                            Diagnostic::error(
                                Code::InconsistentDates,
                                &t.path,
                                format!(
                                    "benefit {which}: measurement {} ({d}) is dated before the one above it",
                                    k + 1
                                ),
                            )
                            .at(at)
                            .with_hint("list measurements oldest first"),
                        );
                    }
                    last = Some(d);
                }
            }
        }
    }
}

fn risks(def: &ProcessDefinition, t: &Tiltak, out: &mut Vec<Diagnostic>) {
    let Some(risks) = &t.fm.risks else { return };
    let at = Some(t.key_location("risks"));
    let mut worst: Option<Level> = None;
    for (n, r) in risks.iter().enumerate() {
        let which = name(r.id.as_deref(), n);
        let off_scale = |v: Option<u8>| v.is_some_and(|v| !(1..=5).contains(&v));
        let residual = r.residual.unwrap_or_default();
        for (what, v) in [
            ("probability", r.probability),
            ("consequence", r.consequence),
            ("residual.probability", residual.probability),
            ("residual.consequence", residual.consequence),
        ] {
            if off_scale(v) {
                out.push(
                    Diagnostic::error(
                        Code::ValueNotAllowed,
                        &t.path,
                        format!("risk {which}: `{what}` is {}, not on the scale 1–5", v.unwrap_or_default()),
                    )
                    .at(at),
                );
            }
        }
        if r.probability.is_none() || r.consequence.is_none() {
            out.push(
                Diagnostic::error(
                    Code::MissingField,
                    &t.path,
                    format!("risk {which} needs `probability` and `consequence` (1–5)"),
                )
                .at(at),
            );
        }
        if !r.closed
            && let Some(score) = r.residual_score().or(r.score())
        {
            let level = def.risk_scores.level(score);
            worst = Some(worst.map_or(level, |w| w.max(level)));
        }
    }
    // The overall level should not say less than the register does.
    if let (Some(worst), Some(level)) = (worst, t.fm.risk_level())
        && level < worst
    {
        out.push(
            Diagnostic::warning(
                Code::RiskUnderstated,
                &t.path,
                format!("`risk.level` is {level}, but the register's worst open risk is {worst}"),
            )
            .at(Some(t.key_location("risk")))
            .with_hint("raise `risk.level`, or update the register's scores"),
        );
    }
}

fn budget(t: &Tiltak, out: &mut Vec<Diagnostic>) {
    let Some(budget) = &t.fm.budget else { return };
    if let (Some(years), Some(investment)) = (&budget.by_year, budget.investment) {
        let sum: f64 = years.values().sum();
        if (sum - investment).abs() > 0.5 {
            out.push(
                Diagnostic::error(
                    Code::BudgetMismatch,
                    &t.path,
                    format!(
                        "`budget.by_year` adds up to {} but `budget.investment` is {}",
                        number(sum),
                        number(investment)
                    ),
                )
                .at(Some(t.key_location("budget")))
                .with_hint("correct the years or the investment so they agree"),
            );
        }
    }
}

/// A sum as people write it: no decimals when there are none.
fn number(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}") }
}
