//! Fields required by phase and segment, judged from one table
//! ([`ProcessDefinition::requirements`]): each field by one rule.

use super::Context;
use crate::diag::{Code, Diagnostic};
use crate::domain::process::{ProcessDefinition, Requirement};
use crate::domain::tiltak::Tiltak;

/// Every required field the tiltak lacks in its phase.
pub(super) fn check(def: &ProcessDefinition, t: &Tiltak, _ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(phase) = t.phase else { return };
    for r in missing(def, t, phase) {
        out.push(missing_field(def, t, &r));
    }
}

/// The requirements that hold in `phase` for this tiltak (its segment) and
/// that it does not meet: what `show` and `advance --dry-run` list for the
/// next phase, and what a gate into `phase` refuses.
pub fn missing<'d>(def: &'d ProcessDefinition, t: &Tiltak, phase: usize) -> Vec<Requirement<'d>> {
    def.requirements(t.fm.segment.as_deref())
        .into_iter()
        .filter(|r| phase >= r.from && !is_answered(t, r.field))
        .collect()
}

/// Filled in — or, for `dependencies`, answered: an explicit empty list says
/// "none".
fn is_answered(t: &Tiltak, field: &str) -> bool {
    t.is_filled(field) || (field == "dependencies" && t.fm.dependencies.is_some())
}

/// The diagnostic for one unmet requirement, at the field (or the first line).
pub fn missing_field(def: &ProcessDefinition, t: &Tiltak, r: &Requirement<'_>) -> Diagnostic {
    let why = match (r.segment, r.from) {
        (Some(s), _) => format!(" in segment {}", s.name),
        (None, 0) => String::new(),
        (None, from) => format!(" from phase {} on", def.phases[from].name),
    };
    let hint = match r.segment {
        Some(s) => format!("tiltak in segment {} report `{}`", s.name, r.field),
        None => format!("fill in `{}` in the front matter", r.field),
    };
    Diagnostic::error(Code::MissingField, &t.path, format!("`{}` is required{why}", r.field))
        .at(Some(t.key_location(r.field.split('.').next().unwrap_or("id"))))
        .with_hint(hint)
}
