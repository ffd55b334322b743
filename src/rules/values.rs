//! Values that `portfolio.yaml` allows: segments, product groups, strategy goals and SDGs.

use super::Context;
use crate::diag::{Code, Diagnostic, Location};
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;
use crate::text::suggest;

/// Values that `portfolio.yaml` allows: segments, product groups, strategy goals and SDGs.
pub(super) fn check(def: &ProcessDefinition, t: &Tiltak, _ctx: &Context, out: &mut Vec<Diagnostic>) {
    let path = t.path.as_path();
    let fm = &t.fm;
    let at = |key: &str| Some(t.key_location(key));
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
        for (i, value) in values.iter().flatten().enumerate() {
            if values.iter().flatten().take(i).any(|v| v == value) {
                out.push(
                    Diagnostic::warning(Code::DuplicateValue, path, format!("`{key}` lists {value} more than once"))
                        .at(at(key))
                        .with_hint("list each value once"),
                );
                continue;
            }
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
