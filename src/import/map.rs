//! The map file: how a source's columns, labels, people and headings become
//! a tiltak's fields and sections. YAML with English keys, unknown keys
//! refused, every error with the map's line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_yaml::Value;

use crate::domain::model::KNOWN_KEYS;
use crate::domain::process::known_subfields;
use crate::error::{Error, Result};
use crate::text::locate::{Step, locate};

/// A map file. Every key is optional; an empty map maps nothing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Map {
    /// GitHub: board column → phase (id, name or folder). A spreadsheet:
    /// sheet column header → field path, `phase`, or `{section: Heading}`.
    #[serde(default)]
    pub columns: BTreeMap<String, Target>,
    /// A spreadsheet: column → cell value → the value written (`MSCW: { M: must }`).
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, Value>>,
    /// A spreadsheet's `phase` column: value → phase (id, name or folder).
    #[serde(default)]
    pub phases: BTreeMap<String, String>,
    /// GitHub: the project (board) whose status column gives the phase,
    /// when an issue is on several boards. Default: the first with a status.
    #[serde(default)]
    pub project: Option<String>,
    /// GitHub: what a closed issue becomes.
    #[serde(default)]
    pub closed: Closed,
    /// GitHub: label → the fields it sets (`{ priority: must }`).
    #[serde(default)]
    pub labels: BTreeMap<String, BTreeMap<String, Value>>,
    /// GitHub login (or a spreadsheet's owner value) → owner name.
    #[serde(default)]
    pub owners: BTreeMap<String, String>,
    /// GitHub: issue heading → the template's heading.
    #[serde(default)]
    pub sections: BTreeMap<String, String>,
    /// Fields set on every imported tiltak (a label or column overrides them).
    #[serde(default)]
    pub defaults: BTreeMap<String, Value>,
    /// True: what `check` would find missing is a warning in the plan, and
    /// the files are written anyway. False: the import is refused.
    #[serde(default)]
    pub lenient: bool,
    /// A spreadsheet: what a column the map does not name becomes.
    #[serde(default)]
    pub unknown_columns: UnknownColumns,
    /// A workbook: the sheet to read. Default: the first.
    #[serde(default)]
    pub sheet: Option<String>,

    /// The map's text and path, for locating errors.
    #[serde(skip)]
    source: Option<(PathBuf, String)>,
}

/// Where a spreadsheet column goes.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Target {
    /// A field path (`title`, `status.level`), `phase`, or (GitHub) a phase.
    Field(String),
    /// A body section with this heading.
    Section(SectionTarget),
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SectionTarget {
    pub section: String,
}

/// What a closed GitHub issue becomes.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Closed {
    /// A tiltak in the last phase.
    #[default]
    Last,
    /// A stopped tiltak in the phase of its board column.
    Stopped,
}

/// What a spreadsheet column the map does not name becomes.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum UnknownColumns {
    /// Kept, header and value, in the section "Importert fra regneark".
    #[default]
    Keep,
    /// An error naming the columns.
    Error,
}

/// The field paths a map may set: the front matter's keys and the sub-keys
/// of its mappings (`status.level`); never `id`, which the import allocates.
pub fn check_field_path(path: &str) -> std::result::Result<(), String> {
    let mut parts = path.split('.');
    let top = parts.next().unwrap_or_default();
    if top == "id" {
        return Err("`id` is allocated by the import (the next free IDs); it cannot be mapped".to_owned());
    }
    let known = KNOWN_KEYS.contains(&top)
        && match (parts.next(), parts.next()) {
            (None, _) => true,
            (Some(sub), None) => known_subfields(top).contains(&sub),
            _ => false,
        };
    if known {
        Ok(())
    } else {
        let mut hint = format!("unknown field `{path}`");
        if let Some(s) = crate::text::suggest(top, KNOWN_KEYS.iter().copied()) {
            hint.push_str(&format!(" (did you mean `{s}`?)"));
        }
        Err(hint)
    }
}

impl Map {
    /// Read and check a map file.
    pub fn read(path: &Path) -> Result<Map> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|_| Error::usage(format!("{}: not UTF-8 text", path.display())))?;
        Map::parse(&text, path)
    }

    /// Parse and check map text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Map> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if let Some((line, col)) = crate::text::yaml::find_alias(text) {
            return Err(located(path, line + 1, col + 1, "YAML aliases (`*name`) are not allowed in a map"));
        }
        let mut map: Map = if text.trim().is_empty() {
            Map::default()
        } else {
            serde_yaml::from_str(text).map_err(|err| {
                let (message, position) = crate::text::yaml::error_position(&err);
                let (line, col) = position.unwrap_or((1, 1));
                located(path, line, col, &message)
            })?
        };
        map.source = Some((path.to_owned(), text.to_owned()));
        for (key, value) in &map.defaults {
            map.check_fields(&[Step::Key("defaults")], key, value)?;
        }
        for (label, fields) in &map.labels {
            for (key, value) in fields {
                map.check_fields(&[Step::Key("labels"), Step::Key(label)], key, value)?;
            }
        }
        Ok(map)
    }

    fn check_fields(&self, at: &[Step<'_>], key: &str, value: &Value) -> Result<()> {
        let mut steps = at.to_vec();
        steps.push(Step::Key(key));
        check_field_path(key).map_err(|m| self.error(&steps, &m))?;
        // `status: { level: green }` reaches into a mapping field.
        if let Value::Mapping(inner) = value
            && !key.contains('.')
            && !known_subfields(key).is_empty()
        {
            for sub in inner.keys() {
                let sub = sub.as_str().unwrap_or_default();
                check_field_path(&format!("{key}.{sub}")).map_err(|m| self.error(&steps, &m))?;
            }
        }
        Ok(())
    }

    /// An error at a key path of the map (or its first line).
    pub fn error(&self, steps: &[Step<'_>], message: &str) -> Error {
        match &self.source {
            Some((path, text)) => {
                let (line, col) = locate(text, steps);
                located(path, line + 1, col + 1, message)
            }
            None => Error::usage(message.to_owned()),
        }
    }

    /// The map's entry for `key` in one of its tables, matched exactly, then
    /// with case and accents ignored.
    pub fn lookup<'m, T>(table: &'m BTreeMap<String, T>, key: &str) -> Option<(&'m str, &'m T)> {
        if let Some((k, v)) = table.get_key_value(key) {
            return Some((k.as_str(), v));
        }
        let want = super::fold(key);
        table.iter().find(|(k, _)| super::fold(k) == want && !want.is_empty()).map(|(k, v)| (k.as_str(), v))
    }

    /// The owner name for a login or owner value.
    pub fn owner(&self, who: &str) -> String {
        Map::lookup(&self.owners, who).map_or_else(|| who.to_owned(), |(_, name)| name.clone())
    }
}

fn located(path: &Path, line: usize, col: usize, message: &str) -> Error {
    Error::usage_hint(
        format!("{}:{line}:{col}: {message}", crate::diag::display_path(path)),
        "see `portfolio import --help` for the map's keys, and examples/import/ for whole maps",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Map> {
        Map::parse(text, Path::new("map.yaml"))
    }

    #[test]
    fn reads_every_key() {
        let map = parse(
            "columns:\n  \"Ikke startet\": ikke-startet\n  Beskrivelse: { section: Behov }\nclosed: stopped\n\
             labels:\n  \"prioritet: must\": { priority: must }\nowners: { kari-n: Kari Nordmann }\n\
             sections: { Problemstilling: Problembeskrivelse }\ndefaults: { organization: Digdir, status: { level: green } }\n\
             lenient: true\nunknown_columns: error\n",
        )
        .expect("valid");
        assert_eq!(map.closed, Closed::Stopped);
        assert_eq!(map.columns["Beskrivelse"], Target::Section(SectionTarget { section: "Behov".into() }));
        assert_eq!(map.owner("kari-n"), "Kari Nordmann");
        assert_eq!(map.owner("ola"), "ola");
        assert!(map.lenient);
    }

    #[test]
    fn unknown_keys_and_fields_are_located() {
        let err = parse("columns: {}\nclosd: last\n").expect_err("unknown key").to_string();
        assert!(err.starts_with("map.yaml:2:1: unknown field `closd`"), "{err}");
        let err = parse("labels:\n  x:\n    priorty: must\n").expect_err("unknown field").to_string();
        assert_eq!(err, "map.yaml:3:5: unknown field `priorty` (did you mean `priority`?)");
        let err = parse("defaults:\n  status: { levl: red }\n").expect_err("unknown sub-field").to_string();
        assert!(err.starts_with("map.yaml:2:3: unknown field `status.levl`"), "{err}");
        let err = parse("defaults: { id: DD-001 }\n").expect_err("id").to_string();
        assert!(err.contains("`id` is allocated"), "{err}");
    }
}
