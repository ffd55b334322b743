//! The fields every tiltak needs, its ID's form and its file name.

use super::Context;
use crate::diag::{Code, Diagnostic, Location};
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;

/// The fields every tiltak needs, its ID's form and its file name.
pub(super) fn check(def: &ProcessDefinition, t: &Tiltak, _ctx: &Context, out: &mut Vec<Diagnostic>) {
    let path = t.path.as_path();
    let fm = &t.fm;
    let at = |key: &str| Some(t.key_location(key));
    let first_line = Some(Location::new(1, 1));
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
        if well_formed && !crate::domain::tiltak::id_in_range(id) {
            out.push(
                Diagnostic::error(Code::IdOutOfRange, path, format!("the number of `id` {id} is out of range"))
                    .at(at("id"))
                    .with_hint("an ID number has at most 19 digits; renumber the tiltak"),
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
    if let Some(file_id) = &t.file_id
        && !crate::domain::tiltak::id_in_range(file_id)
        && fm.id.as_ref().is_none_or(|id| !id.eq_ignore_ascii_case(file_id))
    {
        out.push(
            Diagnostic::error(
                Code::IdOutOfRange,
                path,
                format!("the number of the file name's ID {file_id} is out of range"),
            )
            .at(first_line)
            .with_hint("an ID number has at most 19 digits; renumber the tiltak"),
        );
    }
    if t.file_id.is_none() {
        out.push(
            Diagnostic::error(Code::BadFileName, path, "the file name is not `<ID>-<slug>.md`")
                .at(first_line)
                .with_hint(format!("name it like `{}-001-kort-tittel.md`", def.id_prefix)),
        );
    }
}
