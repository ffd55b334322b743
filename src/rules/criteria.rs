//! The criteria checklists: a checklist for the current phase, evidence for ticked criteria, reasons for "not relevant".

use super::Context;
use crate::diag::{Code, Diagnostic, Location};
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::{Outcome, Tiltak};

/// The criteria checklists: a checklist for the current phase, evidence for ticked criteria, reasons for "not relevant".
pub(super) fn check(def: &ProcessDefinition, t: &Tiltak, _ctx: &Context, out: &mut Vec<Diagnostic>) {
    let path = t.path.as_path();
    let first_line = Some(Location::new(1, 1));
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
}
