//! The rule engine: what makes a tiltak or a portfolio valid. Produces
//! diagnostics only; `check`, gates and reports decide what to do with them.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::diag::{Code, Diagnostic, Location};
use crate::domain::model::{Level, State};
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::{Outcome, Tiltak};
use crate::text::suggest;

pub mod gate;

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

/// Rules about one tiltak on its own.
pub fn file_rules(def: &ProcessDefinition, t: &Tiltak, ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let path = t.path.as_path();
    if !t.readable {
        return out;
    }
    let fm = &t.fm;
    let at = |key: &str| Some(t.key_location(key));
    let first_line = Some(Location::new(1, 1));

    // Always required.
    for key in ["id", "title", "created"] {
        if !t.key_locations.iter().any(|(k, _)| k == key) {
            out.push(
                Diagnostic::error(Code::MissingField, path, format!("required field `{key}` is missing"))
                    .at(first_line)
                    .with_hint(format!("add `{key}: …` to the front matter")),
            );
        }
    }
    if let Some(title) = &fm.title
        && title.trim().is_empty()
    {
        out.push(Diagnostic::error(Code::MissingField, path, "`title` is empty").at(at("title")));
    }

    // ID format and file name.
    if let Some(id) = &fm.id {
        let expected_prefix = format!("{}-", def.id_prefix);
        let well_formed =
            id.strip_prefix(&expected_prefix).is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if !well_formed {
            out.push(
                Diagnostic::error(
                    Code::ValueNotAllowed,
                    path,
                    format!("`id` {id:?} is not of the form {}NNN", expected_prefix),
                )
                .at(at("id")),
            );
        }
        match &t.file_id {
            Some(file_id) if !file_id.eq_ignore_ascii_case(id) => out.push(
                Diagnostic::error(Code::IdMismatch, path, format!("`id` is {id} but the file name says {file_id}"))
                    .at(at("id"))
                    .with_hint(format!("rename the file to start with `{id}-`, or correct the `id`")),
            ),
            _ => {}
        }
    }
    if t.file_id.is_none() {
        out.push(
            Diagnostic::error(Code::BadFileName, path, "the file name is not `<ID>-<slug>.md`")
                .at(first_line)
                .with_hint(format!("name it like `{}-001-kort-tittel.md`", def.id_prefix)),
        );
    }

    // Values allowed by portfolio.yaml.
    if let Some(segment) = &fm.segment {
        if def.segments.is_empty() {
            out.push(
                Diagnostic::error(
                    Code::ValueNotAllowed,
                    path,
                    format!("`segment` is {segment:?}, but this portfolio defines no segments"),
                )
                .at(at("segment"))
                .with_hint("remove `segment`, or add `segments:` to portfolio.yaml"),
            );
        } else if def.segment(segment).is_none() {
            out.push(not_allowed(path, "segment", segment, def.segments.iter().map(|s| s.id.as_str()), at("segment")));
        }
    }
    if let Some(group) = &fm.product_group
        && !def.product_groups.is_empty()
        && !def.product_groups.iter().any(|g| g.eq_ignore_ascii_case(group))
    {
        out.push(not_allowed(
            path,
            "product_group",
            group,
            def.product_groups.iter().map(String::as_str),
            at("product_group"),
        ));
    }
    for (key, values, allowed) in
        [("strategic_goals", &fm.strategic_goals, &def.strategic_goals), ("sdgs", &fm.sdgs, &def.sdgs)]
    {
        for value in values.iter().flatten() {
            if !allowed.iter().any(|g| g.id == *value) {
                let ids: Vec<String> = allowed.iter().map(|g| g.id.to_string()).collect();
                let hint = if ids.is_empty() {
                    format!("this portfolio lists no `{key}` in portfolio.yaml")
                } else {
                    format!("allowed: {}", ids.join(", "))
                };
                out.push(
                    Diagnostic::error(
                        Code::ValueNotAllowed,
                        path,
                        format!("`{key}` contains {value}, which is not allowed"),
                    )
                    .at(at(key))
                    .with_hint(hint),
                );
            }
        }
    }

    // Fields required by phase and segment.
    let raw = |field: &str| t.is_filled(field);
    if let Some(phase) = t.phase {
        for rule in &def.fields {
            let from = rule.from_phase.as_deref().and_then(|p| def.phase_index(p)).unwrap_or(0);
            if phase >= from && !raw(&rule.field) {
                let from_name =
                    rule.from_phase.as_deref().and_then(|p| def.phase_index(p)).map(|i| def.phases[i].name.as_str());
                let why = from_name.map(|n| format!(" from phase {n} on")).unwrap_or_default();
                out.push(
                    Diagnostic::error(Code::MissingField, path, format!("`{}` is required{why}", rule.field))
                        .at(at(rule.field.split('.').next().unwrap_or("id")))
                        .with_hint(format!("fill in `{}` in the front matter", rule.field)),
                );
            }
        }
    }
    let segment = fm.segment.as_deref().and_then(|s| def.segment(s));
    if let Some(segment) = segment {
        for field in &segment.requires {
            if def.fields.iter().any(|r| &r.field == field) && t.phase.is_some() {
                continue; // already reported by the phase rule when missing there
            }
            if !raw(field) {
                out.push(
                    Diagnostic::error(
                        Code::MissingField,
                        path,
                        format!("`{field}` is required in segment {}", segment.name),
                    )
                    .at(at(field.split('.').next().unwrap_or("segment")))
                    .with_hint(format!("tiltak in segment {} report `{field}`", segment.name)),
                );
            }
        }
    }

    // Status and risk reasons.
    let status_reason = def.reporting.status_reason || segment.is_some_and(|s| s.status_reason);
    let risk_mitigation = def.reporting.risk_mitigation || segment.is_some_and(|s| s.risk_mitigation);
    if let Some(status) = &fm.status
        && status_reason
        && matches!(status.level, Some(Level::Yellow | Level::Red))
        && status.reason.as_deref().is_none_or(|r| r.trim().is_empty())
    {
        out.push(
            Diagnostic::error(
                Code::StatusReasonMissing,
                path,
                format!("status is {} but `status.reason` is missing", status.level.map_or("", |l| l.as_str())),
            )
            .at(at("status"))
            .with_hint("say why in `status.reason`"),
        );
    }
    if let Some(risk) = &fm.risk
        && risk_mitigation
        && matches!(risk.level, Some(Level::Yellow | Level::Red))
        && risk.mitigation.as_deref().is_none_or(|r| r.trim().is_empty())
    {
        out.push(
            Diagnostic::error(
                Code::RiskMitigationMissing,
                path,
                format!("risk is {} but `risk.mitigation` is missing", risk.level.map_or("", |l| l.as_str())),
            )
            .at(at("risk"))
            .with_hint("describe planned and implemented measures in `risk.mitigation`"),
        );
    }

    // State.
    if matches!(fm.state, Some(State::OnHold | State::Stopped))
        && fm.state_reason.as_deref().is_none_or(|r| r.trim().is_empty())
    {
        out.push(
            Diagnostic::error(
                Code::StateReasonMissing,
                path,
                format!("state is {} but `state_reason` is missing", fm.state()),
            )
            .at(at("state"))
            .with_hint("say why in `state_reason`"),
        );
    }

    // Dates.
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

    // Criteria.
    for eval in &t.evaluations {
        let phase = &def.phases[eval.phase];
        if Some(eval.phase) == t.phase && eval.section.is_none() && !phase.criteria.is_empty() {
            out.push(
                Diagnostic::warning(
                    Code::CriteriaSectionMissing,
                    path,
                    format!("no checklist `## {}` for the current phase", def.criteria_heading(phase)),
                )
                .at(first_line)
                .with_hint("add the section with the phase's criteria as a task list (`- [ ] …`)"),
            );
        }
        for result in &eval.criteria {
            let criterion = &phase.criteria[result.criterion];
            match &result.outcome {
                Outcome::EvidenceMissing(missing) => out.push(
                    Diagnostic::error(
                        Code::EvidenceMissing,
                        path,
                        format!("`{}` is ticked, but {}", criterion.text, missing.join(" and ")),
                    )
                    .at(result.location)
                    .with_hint("add the evidence, or untick the criterion"),
                ),
                Outcome::NotRelevantWithoutReason => out.push(
                    Diagnostic::error(
                        Code::NotRelevantWithoutReason,
                        path,
                        format!("`{}` is marked {} without a reason", criterion.text, def.labels.not_relevant),
                    )
                    .at(result.location)
                    .with_hint(format!("end the item with `— {}: <why>`", def.labels.not_relevant)),
                ),
                Outcome::Missing if Some(eval.phase) == t.phase && eval.section.is_some() => out.push(
                    Diagnostic::warning(
                        Code::CriterionMissingFromList,
                        path,
                        format!("criterion `{}` is missing from the checklist", criterion.text),
                    )
                    .at(eval.section)
                    .with_hint(format!("add `- [ ] {}`", criterion.text)),
                ),
                _ => {}
            }
        }
    }
    out
}

fn not_allowed<'a>(
    path: &std::path::Path,
    key: &str,
    value: &str,
    allowed: impl Iterator<Item = &'a str> + Clone,
    at: Option<Location>,
) -> Diagnostic {
    let list: Vec<&str> = allowed.clone().collect();
    let d =
        Diagnostic::error(Code::ValueNotAllowed, path, format!("`{key}` is {value:?}, which is not allowed")).at(at);
    match suggest(value, allowed) {
        Some(s) => d.with_hint(format!("did you mean `{s}`? allowed: {}", list.join(", "))),
        None => d.with_hint(format!("allowed: {}", list.join(", "))),
    }
}

fn months_between(start: NaiveDate, end: NaiveDate) -> i32 {
    let mut months = (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32;
    if end.day() < start.day() {
        months -= 1;
    }
    months
}

/// Rules across tiltak: duplicate IDs and unknown dependencies.
pub fn portfolio_rules(tiltak: &[Tiltak]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut by_id: HashMap<String, Vec<&Tiltak>> = HashMap::new();
    for t in tiltak.iter().filter(|t| t.readable) {
        if let Some(id) = &t.fm.id {
            by_id.entry(id.to_ascii_uppercase()).or_default().push(t);
        }
    }
    for (id, list) in &by_id {
        if list.len() > 1 {
            for t in list {
                let others: Vec<String> =
                    list.iter().filter(|o| o.path != t.path).map(|o| crate::diag::display_path(&o.path)).collect();
                out.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        &t.path,
                        format!("ID {id} is also used by {}", others.join(", ")),
                    )
                    .at(Some(t.key_location("id")))
                    .with_hint("give one of them the next free ID (`portfolio new` finds it)"),
                );
            }
        }
    }
    for t in tiltak {
        for dep in t.fm.dependencies.iter().flatten() {
            if !by_id.contains_key(&dep.to_ascii_uppercase()) {
                let mut d = Diagnostic::error(
                    Code::UnknownDependency,
                    &t.path,
                    format!("dependency {dep} is not a tiltak in this portfolio"),
                )
                .at(Some(t.key_location("dependencies")));
                if let Some(s) = suggest(dep, by_id.keys().map(String::as_str)) {
                    d = d.with_hint(format!("did you mean {s}?"));
                }
                out.push(d);
            }
        }
    }
    out
}

/// Rules on the phase moves in a range of history (`check --base`): one
/// phase forward only with the left phase's exit criteria met now (or a
/// `Forced:` trailer); a skip or a move back only with a `Forced:` or
/// `Reason:` trailer; a tiltak must be stopped, never deleted.
pub fn history_rules(
    def: &ProcessDefinition,
    events: &[crate::domain::history::Event],
    tiltak: &[Tiltak],
) -> Vec<Diagnostic> {
    use crate::domain::history::EventKind;
    let mut out = Vec::new();
    let name = |p: Option<usize>| p.map_or("(no phase)", |i| def.phases[i].name.as_str());
    for event in events {
        let current = tiltak.iter().find(|t| t.id().eq_ignore_ascii_case(&event.id));
        let path = match (current, event.kind.clone()) {
            (Some(t), _) => t.path.clone(),
            (None, EventKind::Deleted { phase }) => std::path::Path::new(&def.tiltak_dir)
                .join(phase.map_or("", |p| def.phases[p].folder.as_str()))
                .join(&event.file),
            (None, _) => std::path::PathBuf::from(&def.tiltak_dir).join(&event.file),
        };
        let commit = &event.commit;
        let reason = event.decision.why();
        match event.kind {
            EventKind::Moved { from: Some(from), to: Some(to) } if to == from + 1 => {
                if event.decision.forced.is_some() {
                    continue;
                }
                let evaluation = current.and_then(|t| t.evaluation(from));
                let unmet: Vec<&str> = match evaluation {
                    Some(e) => e
                        .criteria
                        .iter()
                        .filter(|c| !c.outcome.is_met())
                        .map(|c| def.phases[from].criteria[c.criterion].text.as_str())
                        .collect(),
                    None => def.phases[from].criteria.iter().map(|c| c.text.as_str()).collect(),
                };
                if !unmet.is_empty() && current.is_some() {
                    out.push(
                        Diagnostic::error(
                            Code::IllegalPhaseMove,
                            &path,
                            format!(
                                "{} moved {} → {} in {}, but {} of the exit criteria of {} are not met: {}",
                                event.id,
                                name(Some(from)),
                                name(Some(to)),
                                commit.short,
                                unmet.len(),
                                name(Some(from)),
                                unmet.join("; ")
                            ),
                        )
                        .at(evaluation.and_then(|e| e.section).or(Some(Location::new(1, 1))))
                        .with_hint(format!(
                            "tick them with their evidence under `## {}`, or move it back",
                            def.criteria_heading(&def.phases[from])
                        )),
                    );
                }
            }
            EventKind::Moved { from, to } => {
                if reason.is_none() {
                    let what = match (from, to) {
                        (Some(f), Some(t)) if t < f => "moves back",
                        (Some(_), Some(_)) => "skips a phase",
                        _ => "moves outside the phase folders",
                    };
                    out.push(
                        Diagnostic::error(
                            Code::IllegalPhaseMove,
                            &path,
                            format!("{} {what} ({} → {}) in {} without a reason", event.id, name(from), name(to), commit.short),
                        )
                        .at(Some(Location::new(1, 1)))
                        .with_hint("use `portfolio advance --to … --force --reason …` (forward) or `--reason …` (back), which records the reason"),
                    );
                }
            }
            EventKind::Deleted { .. } => out.push(
                Diagnostic::error(Code::TiltakDeleted, &path, format!("{} was deleted in {}", event.id, commit.short))
                    .with_hint("a tiltak is never deleted: restore the file and use `portfolio stop <ID> --reason …`"),
            ),
            EventKind::Created { .. } | EventKind::StateChanged { .. } => {}
        }
    }
    out
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
