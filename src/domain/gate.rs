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
    let reason = request.reason.map(str::trim).filter(|r| !r.is_empty());
    let to = match request.to {
        Some(to) => to,
        None if from + 1 < def.phases.len() => from + 1,
        None => {
            return Err(not_allowed(
                format!("{} is in the last phase, {}", tiltak.id(), def.phases[from].name),
                Some("there is no phase to advance to"),
            ));
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
    let (forced, reason) = match plan.kind {
        Move::Forward => (None, None),
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
