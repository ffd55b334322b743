//! Rules across tiltak: duplicate IDs and unknown dependencies.

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic};
use crate::domain::tiltak::Tiltak;

/// Rules across tiltak: duplicate IDs, unknown dependencies and a tiltak
/// depending on itself. `also_known` are IDs of tiltak not loaded (read from
/// file names), so a gate on one tiltak judges its dependencies against the
/// whole portfolio.
pub fn portfolio_rules(tiltak: &[Tiltak], also_known: &[String]) -> Vec<Diagnostic> {
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
    let known = |id: &str| {
        by_id.contains_key(&id.to_ascii_uppercase()) || also_known.iter().any(|k| k.eq_ignore_ascii_case(id))
    };
    // Every ID, lowercased once, when a dependency is unknown; each unknown
    // dependency's suggestion found once, however many tiltak name it.
    let ids = std::cell::LazyCell::new(|| {
        crate::text::Suggestions::new(by_id.keys().map(String::as_str).chain(also_known.iter().map(String::as_str)))
    });
    let mut suggested: HashMap<(&str, String), Option<&str>> = HashMap::new();
    for t in tiltak {
        for dep in t.fm.dependencies.iter().flatten() {
            let Some(dep) = dep.tiltak_id() else { continue };
            if t.fm.id.as_deref().is_some_and(|own| own.eq_ignore_ascii_case(dep)) {
                out.push(
                    Diagnostic::warning(Code::SelfDependency, &t.path, format!("{dep} depends on itself"))
                        .at(Some(t.key_location("dependencies")))
                        .with_hint("remove it from `dependencies`"),
                );
                continue;
            }
            if !known(dep) {
                let own = t.fm.id.as_deref().unwrap_or_default();
                let best = *suggested
                    .entry((dep, own.to_ascii_uppercase()))
                    .or_insert_with(|| ids.best(dep, |k| k.eq_ignore_ascii_case(own)));
                let hint = match best {
                    Some(s) => {
                        format!("did you mean {s}? For something outside the portfolio, write `{{external: <name>}}`")
                    }
                    None => "no tiltak has that ID; for something outside the portfolio, write `{external: <name>}`"
                        .to_owned(),
                };
                out.push(
                    Diagnostic::error(
                        Code::UnknownDependency,
                        &t.path,
                        format!("dependency {dep} is not a tiltak in this portfolio"),
                    )
                    .at(Some(t.key_location("dependencies")))
                    .with_hint(hint),
                );
            }
        }
    }
    out
}
