//! Text the tool writes: new tiltak files and criteria checklists. Pure.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::domain::process::{Phase, ProcessDefinition};

/// What `portfolio new` knows about a tiltak.
#[derive(Debug, Clone, Default)]
pub struct NewTiltak {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub organization: Option<String>,
    pub product_group: Option<String>,
    pub priority: Option<String>,
    pub segment: Option<String>,
    pub created: Option<NaiveDate>,
}

/// A YAML scalar for `text`: plain when safe, quoted otherwise.
pub fn yaml_scalar(text: &str) -> String {
    serde_yaml::to_string(text).map(|s| s.trim_end().to_owned()).unwrap_or_else(|_| format!("{text:?}"))
}

/// The checklist section of a phase, all unticked, with a blank line before
/// and after, in the given line ending.
pub fn criteria_section(def: &ProcessDefinition, phase: &Phase, newline: &str) -> String {
    let mut s = String::new();
    let _ = write!(s, "## {}{newline}{newline}", def.criteria_heading(phase));
    for c in &phase.criteria {
        let _ = write!(s, "- [ ] {}{newline}", c.text);
    }
    s
}

/// The full text of a new tiltak file in the first phase.
pub fn new_tiltak(def: &ProcessDefinition, t: &NewTiltak) -> String {
    let mut s = String::from("---\n");
    let _ = writeln!(s, "id: {}", t.id);
    let _ = writeln!(s, "title: {}", yaml_scalar(&t.title));
    for (key, value) in [("owner", &t.owner), ("organization", &t.organization)] {
        if let Some(v) = value {
            let _ = writeln!(s, "{key}: {}", yaml_scalar(v));
        }
    }
    if let Some(created) = t.created {
        let _ = writeln!(s, "created: {}", created.format("%Y-%m-%d"));
    }
    for (key, value) in [("product_group", &t.product_group), ("priority", &t.priority), ("segment", &t.segment)] {
        if let Some(v) = value {
            let _ = writeln!(s, "{key}: {}", yaml_scalar(v));
        }
    }
    s.push_str("state: active\n---\n");
    let _ = write!(s, "# {}\n\n", t.title);
    for section in &def.body {
        let _ = write!(s, "## {}\n\n", section.heading);
        if let Some(hint) = &section.hint {
            // `--` would end the comment early.
            let _ = write!(s, "<!-- {} -->\n\n", hint.replace("--", "- -"));
        }
    }
    if let Some(first) = def.phases.first() {
        s.push_str(&criteria_section(def, first, "\n"));
    }
    s
}
