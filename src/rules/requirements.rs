//! Fields required by phase and segment.

use super::Context;
use crate::diag::{Code, Diagnostic};
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;

/// Fields required by phase and segment.
pub(super) fn check(def: &ProcessDefinition, t: &Tiltak, _ctx: &Context, out: &mut Vec<Diagnostic>) {
    let path = t.path.as_path();
    let fm = &t.fm;
    let at = |key: &str| Some(t.key_location(key));
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
}
