//! Rules across tiltak: duplicate IDs and unknown dependencies.

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic};
use crate::domain::tiltak::Tiltak;
use crate::text::suggest;

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
