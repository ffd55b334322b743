//! From records to files: the text of each new tiltak (front matter written
//! as `new` writes it, every value quoted safely; the template's sections;
//! the source's sections; what mapped nowhere; the current phase's
//! checklist), checked by the same per-file rules as `check`.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_yaml::{Mapping, Value};

use crate::diag::{Diagnostic, Severity};
use crate::domain::model::KNOWN_KEYS;
use crate::domain::process::ProcessDefinition;
use crate::domain::scaffold::{criteria_section, yaml_scalar};
use crate::rules::Context;
use crate::store::portfolio::parse_with_rules;
use crate::text::clean::one_line;

/// One tiltak as a source describes it, before it has an ID.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// Where it came from, for messages: `#12` (an issue) or `row 4`.
    pub source: String,
    pub title: String,
    /// Index of its phase.
    pub phase: usize,
    /// Front-matter fields (not `id` or `title`), nested as in the file.
    pub fields: Mapping,
    /// Body sections in source order: heading, Markdown content.
    pub sections: Vec<(String, String)>,
    /// What mapped nowhere, as Markdown paragraphs or list items, for the
    /// section [`Record::leftover_heading`].
    pub leftovers: Vec<String>,
    /// "Importert fra GitHub" or "Importert fra regneark".
    pub leftover_heading: String,
}

impl Record {
    /// Set a field by path (`status.level`); a mapping value for a mapping
    /// field (`status: {level: green}`) sets each of its keys.
    pub fn set(&mut self, path: &str, value: Value) {
        let (top, sub) = match path.split_once('.') {
            Some((t, s)) => (t, Some(s)),
            None => (path, None),
        };
        match (sub, value) {
            (Some(sub), value) => {
                let entry = self.fields.entry(Value::from(top)).or_insert_with(|| Value::Mapping(Mapping::new()));
                if !entry.is_mapping() {
                    *entry = Value::Mapping(Mapping::new());
                }
                if let Value::Mapping(m) = entry {
                    m.insert(Value::from(sub), value);
                }
            }
            (None, Value::Mapping(inner)) if !crate::domain::process::known_subfields(top).is_empty() => {
                for (k, v) in inner {
                    if let Some(k) = k.as_str() {
                        self.set(&format!("{top}.{k}"), v);
                    }
                }
            }
            (None, value) => {
                self.fields.insert(Value::from(top), value);
            }
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }

    /// Add content to a section, after what it has (two sources may map to one heading).
    pub fn add_section(&mut self, heading: &str, content: &str) {
        let content = content.trim_matches('\n');
        match self.sections.iter_mut().find(|(h, _)| crate::text::normalize(h) == crate::text::normalize(heading)) {
            Some((_, existing)) => {
                if !content.trim().is_empty() {
                    if !existing.trim().is_empty() {
                        existing.push_str("\n\n");
                    }
                    existing.push_str(content);
                }
            }
            None => self.sections.push((heading.to_owned(), content.to_owned())),
        }
    }
}

/// One new file of the plan.
#[derive(Debug, Clone)]
pub struct Planned {
    pub source: String,
    pub id: String,
    pub title: String,
    pub phase: usize,
    /// From the portfolio root.
    pub rel: PathBuf,
    pub text: String,
    /// What `check` finds in the file on its own: errors and warnings.
    pub findings: Vec<Diagnostic>,
}

impl Planned {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.findings.iter().filter(|d| d.severity == Severity::Error)
    }
}

/// The files for `records`, one ID each from `ids` (in order), each checked
/// by the per-file rules as if it lay in its phase folder.
pub fn plan(def: &ProcessDefinition, records: &[Record], ids: &[String], ctx: &Context) -> Vec<Planned> {
    records
        .iter()
        .zip(ids)
        .map(|(r, id)| {
            let phase = &def.phases[r.phase];
            let slug = crate::text::slug::slugify(&r.title);
            let name = if slug.is_empty() { format!("{id}.md") } else { format!("{id}-{slug}.md") };
            let rel = PathBuf::from(&def.tiltak_dir).join(&phase.folder).join(name);
            let text = file_text(def, r, id);
            let (_, findings) = parse_with_rules(def, &rel, Some(r.phase), &text, ctx);
            Planned {
                source: r.source.clone(),
                id: id.clone(),
                title: r.title.clone(),
                phase: r.phase,
                rel,
                text,
                findings,
            }
        })
        .collect()
}

/// The whole text of the file for one record.
pub fn file_text(def: &ProcessDefinition, r: &Record, id: &str) -> String {
    let title = one_line(&r.title);
    let mut s = String::from("---\n");
    let _ = writeln!(s, "id: {id}");
    let _ = writeln!(s, "title: {}", scalar(&title));
    for key in KNOWN_KEYS.iter().filter(|k| !matches!(**k, "id" | "title")) {
        match r.fields.get(*key) {
            Some(value) => write_value(&mut s, key, value, 0),
            None if *key == "state" => s.push_str("state: active\n"),
            None => {}
        }
    }
    s.push_str("---\n");
    let _ = write!(s, "# {title}\n\n");
    let key = |h: &str| crate::text::normalize(h);
    // The template's sections first, filled where the source has them.
    for section in &def.body {
        let _ = write!(s, "## {}\n\n", section.heading);
        match r.sections.iter().find(|(h, _)| key(h) == key(&section.heading)) {
            Some((_, content)) if !content.trim().is_empty() => {
                let _ = write!(s, "{}\n\n", body_text(content));
            }
            _ => {
                if let Some(hint) = &section.hint {
                    let _ = write!(s, "<!-- {} -->\n\n", hint.replace("--", "- -"));
                }
            }
        }
    }
    for (heading, content) in &r.sections {
        if def.body.iter().any(|b| key(&b.heading) == key(heading)) {
            continue;
        }
        let _ = write!(s, "## {}\n\n", one_line(heading));
        if !content.trim().is_empty() {
            let _ = write!(s, "{}\n\n", body_text(content));
        }
    }
    if !r.leftovers.is_empty() {
        let _ = write!(s, "## {}\n\n", r.leftover_heading);
        for item in &r.leftovers {
            let _ = write!(s, "{}\n\n", body_text(item));
        }
    }
    s.push_str(&criteria_section(def, &def.phases[r.phase], "\n"));
    s
}

/// Markdown from a source, made safe to stand in the body: line breaks
/// made `\n`, control characters other than tabs removed, trimmed.
pub fn body_text(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let cleaned: String = unified.chars().filter(|&c| c == '\n' || c == '\t' || !is_unsafe(c)).collect();
    cleaned.trim_matches('\n').trim_end().to_owned()
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A string as a YAML scalar on one line: plain when safe, quoted otherwise;
/// never a block scalar (which would need the right indentation).
fn scalar(text: &str) -> String {
    let s = yaml_scalar(text);
    if s.contains('\n') { serde_json::to_string(text).unwrap_or_else(|_| "''".to_owned()) } else { s }
}

/// Write `key: value` at `indent`, nested block style.
fn write_value(s: &mut String, key: &str, value: &Value, indent: usize) {
    let pad = " ".repeat(indent);
    match value {
        Value::Mapping(m) => {
            let _ = writeln!(s, "{pad}{key}:");
            for (k, v) in m {
                if let Some(k) = k.as_str() {
                    write_value(s, k, v, indent + 2);
                }
            }
        }
        Value::Sequence(items) => {
            let _ = writeln!(s, "{pad}{key}:");
            for item in items {
                match item {
                    Value::Mapping(m) => {
                        // `- a: 1` then the other keys under it.
                        let mut first = true;
                        for (k, v) in m {
                            let Some(k) = k.as_str() else { continue };
                            let mut line = String::new();
                            write_value(&mut line, k, v, indent + 4);
                            if first {
                                line.replace_range(indent + 2..indent + 4, "- ");
                                first = false;
                            }
                            s.push_str(&line);
                        }
                    }
                    other => {
                        let _ = writeln!(s, "{pad}  - {}", leaf(other));
                    }
                }
            }
        }
        other => {
            let _ = writeln!(s, "{pad}{key}: {}", leaf(other));
        }
    }
}

fn leaf(value: &Value) -> String {
    match value {
        Value::String(text) => scalar(&one_line(text)),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        // Nested lists are not part of the front matter; keep them as text.
        other => scalar(&one_line(&serde_yaml::to_string(other).unwrap_or_default())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::process::Template;
    use std::path::Path;

    fn def() -> ProcessDefinition {
        ProcessDefinition::parse(Template::Digdir.text(), Path::new("portfolio.yaml")).expect("template")
    }

    #[test]
    fn hostile_values_stay_values() {
        let def = def();
        let mut r = Record {
            source: "#1".into(),
            title: "\"; rm -rf / #\n---\n<script>alert(1)</script>\x1b[31m".into(),
            leftover_heading: "Importert fra GitHub".into(),
            ..Record::default()
        };
        r.set("owner", Value::from("---"));
        r.set("created", Value::from("2025-03-04"));
        r.set("status.level", Value::from("green"));
        r.set("budget.investment", Value::from(4500000));
        r.set("links", Value::Sequence(vec![Value::from("https://x/1: y")]));
        r.set("milestones", serde_yaml::from_str("[{name: 'A: b', date: '2026-01-01', done: false}]").expect("yaml"));
        let text = file_text(&def, &r, "DD-001");
        let ctx = Context { today: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date") };
        let (t, diags) = parse_with_rules(&def, Path::new("tiltak/1-ikke-startet/DD-001.md"), Some(0), &text, &ctx);
        let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{errors:?}\n{text}");
        assert_eq!(t.fm.title.as_deref(), Some("\"; rm -rf / # --- <script>alert(1)</script>"));
        assert_eq!(t.fm.owner.as_deref(), Some("---"));
        assert_eq!(t.fm.milestones.as_ref().map(Vec::len), Some(1));
        assert!(!text.contains('\x1b'));
    }
}
