//! Phase gates: deciding whether a tiltak may move, and the commit message
//! that records the decision. Pure: the `advance` command does the I/O.

use crate::domain::model::State;
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::{CriterionResult, Tiltak};
use crate::domain::trailer::{self, Key};

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    /// Target phase index; `None`: the next phase.
    pub to: Option<usize>,
    pub force: bool,
    pub reason: Option<&'a str>,
    pub decided_by: Option<&'a str>,
}

/// The kind of move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// One phase forward, criteria met.
    Forward,
    /// Forward past unmet criteria or over phases, with `--force --reason`.
    Forced,
    /// Back to an earlier phase, with `--reason`.
    Backward,
    /// Out of the last phase: the closing criteria met (or forced), the
    /// tiltak closed where it stands.
    Close,
}

/// A gate that may be passed.
#[derive(Debug, Clone)]
pub struct Plan {
    pub from: usize,
    pub to: usize,
    pub kind: Move,
    /// Criteria of the phase being left that are not met (only when forced).
    pub unmet: Vec<CriterionResult>,
}

/// Why a gate is refused.
#[derive(Debug, Clone)]
pub enum Refusal {
    /// The exit criteria are not met: exit 1.
    CriteriaNotMet { from: usize, unmet: Vec<CriterionResult> },
    /// The request itself is not allowed: exit 2.
    NotAllowed { message: String, hint: Option<String> },
}

fn not_allowed(message: impl Into<String>, hint: Option<&str>) -> Refusal {
    Refusal::NotAllowed { message: message.into(), hint: hint.map(str::to_owned) }
}

/// Decide whether `tiltak` may move as requested.
pub fn plan(def: &ProcessDefinition, tiltak: &Tiltak, request: &Request<'_>) -> Result<Plan, Refusal> {
    let from = tiltak.phase.ok_or_else(|| not_allowed("the file is not in a phase folder", None))?;
    if tiltak.fm.state() == State::Stopped {
        return Err(not_allowed(
            format!("{} is stopped", tiltak.id()),
            Some("resume it first with `portfolio resume <ID> --reason …`"),
        ));
    }
    if tiltak.fm.state() == State::Closed {
        return Err(not_allowed(format!("{} is closed", tiltak.id()), Some("a closed tiltak passes no more gates")));
    }
    let reason = request.reason.map(str::trim).filter(|r| !r.is_empty());
    let to = match request.to {
        Some(to) => to,
        None if from + 1 < def.phases.len() => from + 1,
        // Out of the last phase: close, when its closing criteria are met.
        None => {
            let unmet: Vec<CriterionResult> = match tiltak.evaluation(from) {
                Some(e) => e.criteria.iter().filter(|c| !c.outcome.is_met()).cloned().collect(),
                None => Vec::new(),
            };
            if unmet.is_empty() {
                return Ok(Plan { from, to: from, kind: Move::Close, unmet });
            }
            if !request.force {
                return Err(Refusal::CriteriaNotMet { from, unmet });
            }
            if reason.is_none() {
                return Err(not_allowed(
                    "--force needs --reason",
                    Some("say why the tiltak is closed with --reason \"…\""),
                ));
            }
            return Ok(Plan { from, to: from, kind: Move::Close, unmet });
        }
    };
    if to == from {
        return Err(not_allowed(format!("{} is already in phase {}", tiltak.id(), def.phases[from].name), None));
    }
    if to < from {
        if reason.is_none() {
            return Err(not_allowed(
                "moving back to an earlier phase needs --reason",
                Some("say why with --reason \"…\""),
            ));
        }
        return Ok(Plan { from, to, kind: Move::Backward, unmet: Vec::new() });
    }
    let unmet: Vec<CriterionResult> = match tiltak.evaluation(from) {
        Some(e) => e.criteria.iter().filter(|c| !c.outcome.is_met()).cloned().collect(),
        None => Vec::new(),
    };
    let skips = to > from + 1;
    if skips || !unmet.is_empty() {
        if request.force {
            if reason.is_none() {
                return Err(not_allowed(
                    "--force needs --reason",
                    Some("say why the gate is forced with --reason \"…\""),
                ));
            }
            return Ok(Plan { from, to, kind: Move::Forced, unmet });
        }
        if skips {
            return Err(not_allowed(
                format!("{} → {} skips a phase", def.phases[from].name, def.phases[to].name),
                Some("skipping needs --force --reason \"…\""),
            ));
        }
        return Err(Refusal::CriteriaNotMet { from, unmet });
    }
    Ok(Plan { from, to, kind: Move::Forward, unmet })
}

/// The commit message of a gate: subject and trailers.
pub fn commit_message(def: &ProcessDefinition, tiltak: &Tiltak, plan: &Plan, request: &Request<'_>) -> String {
    let from = &def.phases[plan.from];
    let to = &def.phases[plan.to];
    if plan.kind == Move::Close {
        let forced = (!plan.unmet.is_empty()).then(|| request.reason.unwrap_or_default());
        return trailer::message(
            &format!("close {}: {}", tiltak.id(), from.name),
            &[
                (Key::Tiltak, Some(tiltak.id())),
                (Key::PhaseFrom, Some(&from.id)),
                (Key::State, Some(State::Closed.as_str())),
                (Key::DecidedBy, request.decided_by),
                (Key::Forced, forced),
            ],
        );
    }
    let (forced, reason) = match plan.kind {
        Move::Forward | Move::Close => (None, None),
        Move::Forced => (Some(request.reason.unwrap_or_default()), None),
        Move::Backward => (None, Some(request.reason.unwrap_or_default())),
    };
    trailer::message(
        &format!("advance {}: {} → {}", tiltak.id(), from.name, to.name),
        &[
            (Key::Tiltak, Some(tiltak.id())),
            (Key::PhaseFrom, Some(&from.id)),
            (Key::PhaseTo, Some(&to.id)),
            (Key::DecidedBy, request.decided_by),
            (Key::Forced, forced),
            (Key::Reason, reason),
        ],
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::domain::process::Template;
    use crate::domain::scaffold::{NewTiltak, new_tiltak};

    fn def() -> ProcessDefinition {
        ProcessDefinition::parse(Template::Digdir.text(), Path::new("portfolio.yaml")).expect("template")
    }

    /// A new tiltak in phase `phase` (0-based), as `new` writes it, with
    /// `edit` applied to its text.
    fn tiltak(def: &ProcessDefinition, phase: usize, edit: &dyn Fn(String) -> String) -> Tiltak {
        let new = NewTiltak { id: "DD-001".into(), title: "Felles samtykke".into(), ..NewTiltak::default() };
        let text = edit(new_tiltak(def, &new));
        let path = Path::new("tiltak").join(&def.phases[phase].folder).join("DD-001-felles-samtykke.md");
        crate::domain::tiltak::parse(def, &path, Some(phase), &text).0
    }

    #[test]
    fn unticked_criteria_refuse_the_next_phase() {
        let def = def();
        let t = tiltak(&def, 0, &|s| s);
        match plan(&def, &t, &Request::default()) {
            Err(Refusal::CriteriaNotMet { from: 0, unmet }) => assert_eq!(unmet.len(), def.phases[0].criteria.len()),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn forcing_needs_a_reason_and_records_it() {
        let def = def();
        let t = tiltak(&def, 0, &|s| s);
        let forced = Request { force: true, ..Request::default() };
        assert!(matches!(plan(&def, &t, &forced), Err(Refusal::NotAllowed { .. })));
        let forced = Request { force: true, reason: Some("vedtak i rådet"), ..Request::default() };
        let p = plan(&def, &t, &forced).expect("forced plan");
        assert_eq!((p.from, p.to, p.kind), (0, 1, Move::Forced));
        let message = commit_message(&def, &t, &p, &forced);
        assert!(message.contains("\nForced: vedtak i rådet\n"), "{message}");
        assert!(message.starts_with("advance DD-001: Ikke startet → Problem\n\n"), "{message}");
    }

    #[test]
    fn skipping_and_moving_back_are_told_apart() {
        let def = def();
        let t = tiltak(&def, 2, &|s| s);
        let skip = Request { to: Some(4), ..Request::default() };
        assert!(matches!(plan(&def, &t, &skip), Err(Refusal::NotAllowed { message, .. }) if message.contains("skips")));
        let back = Request { to: Some(1), ..Request::default() };
        assert!(matches!(plan(&def, &t, &back), Err(Refusal::NotAllowed { .. })), "back needs a reason");
        let back = Request { to: Some(1), reason: Some("mer innsikt"), ..Request::default() };
        let p = plan(&def, &t, &back).expect("back");
        assert_eq!(p.kind, Move::Backward);
        assert!(commit_message(&def, &t, &p, &back).contains("\nReason: mer innsikt\n"));
    }

    #[test]
    fn a_stopped_tiltak_passes_no_gate() {
        let def = def();
        let t = tiltak(&def, 0, &|s| s.replacen("state: active\n", "state: stopped\nstate_reason: x\n", 1));
        assert!(
            matches!(plan(&def, &t, &Request::default()), Err(Refusal::NotAllowed { message, .. }) if message.contains("stopped"))
        );
    }
}
