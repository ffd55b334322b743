//! A refused gate as findings: each unmet exit criterion is a diagnostic
//! (P040) at its checklist line, so `advance` reports it with the same
//! renderers as `check` — text, JSON or GitHub annotations.

use crate::diag::{Code, Diagnostic, Location};
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::{CriterionResult, Tiltak};

/// One P040 error per unmet criterion of phase `from`, pointing at its
/// checklist item (or the checklist's heading when the item is missing).
pub fn unmet_criteria(def: &ProcessDefinition, t: &Tiltak, from: usize, unmet: &[CriterionResult]) -> Vec<Diagnostic> {
    let phase = &def.phases[from];
    let section = t.evaluation(from).and_then(|e| e.section);
    let heading = def.criteria_heading(phase);
    unmet
        .iter()
        .map(|c| {
            let criterion = &phase.criteria[c.criterion];
            let why = c.outcome.explain().map(|w| format!(" — {w}")).unwrap_or_default();
            Diagnostic::error(Code::CriterionNotMet, &t.path, format!("✘ {}{why}", criterion.text))
                .at(c.location.or(section).or(Some(Location::new(1, 1))))
                .with_hint(format!(
                    "tick it with its evidence under `## {heading}`, or pass the gate with --force --reason \"…\""
                ))
        })
        .collect()
}
