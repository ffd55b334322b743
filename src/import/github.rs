//! A GitHub issue export: the JSON array that
//! `gh issue list --json number,title,body,labels,assignees,state,createdAt,closedAt,url,projectItems --limit 1000`
//! writes. Each issue becomes one [`Record`].
//!
//! The shape read (other keys are ignored, every key but `number` and
//! `title` may be missing or `null`):
//!
//! ```json
//! [{ "number": 12, "title": "…", "body": "…markdown…", "state": "OPEN" | "CLOSED",
//!    "createdAt": "2025-03-04T09:15:00Z", "closedAt": null, "url": "https://github.com/…/issues/12",
//!    "labels": [{ "name": "prioritet: must", … }], "assignees": [{ "login": "kari-n", "name": "…" }],
//!    "projectItems": [{ "title": "Porteføljen", "status": { "name": "Konsept", "optionId": "…" } }] }]
//! ```
//!
//! `projectItems[].status.name` is the board column (`""` when the issue is
//! on a board without a status).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_yaml::Value;

use super::map::{Closed, Map, Target};
use super::plan::Record;
use crate::domain::process::{ProcessDefinition, bilingual};
use crate::error::{Error, Result};
use crate::text::clean::one_line;
use crate::text::locate::Step;

#[derive(Debug, Deserialize)]
struct Issue {
    number: u64,
    title: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    labels: Option<Vec<Label>>,
    #[serde(default)]
    assignees: Option<Vec<User>>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default, rename = "createdAt")]
    created_at: Option<String>,
    #[serde(default, rename = "closedAt")]
    closed_at: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default, rename = "projectItems")]
    project_items: Option<Vec<ProjectItem>>,
}

#[derive(Debug, Deserialize)]
struct Label {
    name: String,
}

#[derive(Debug, Deserialize)]
struct User {
    login: String,
}

#[derive(Debug, Deserialize)]
struct ProjectItem {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    status: Option<ProjectStatus>,
}

#[derive(Debug, Deserialize)]
struct ProjectStatus {
    #[serde(default)]
    name: Option<String>,
}

bilingual! {
    /// The words the import writes into a body, in the portfolio's language.
    struct Words {
        heading: "Importert fra GitHub", "Imported from GitHub";
        labels: "Etiketter uten kobling", "Labels mapped nowhere";
        assignees: "Også tildelt", "Also assigned";
        closed: "Lukket i GitHub", "Closed in GitHub";
        column: "Kolonne på tavla", "Board column";
        no_column: "ikke på tavla; lagt i første fase", "not on the board; put in the first phase";
        preamble: "Tekst før første overskrift", "Text before the first heading";
    }
}

/// The records of an export, in the file's order. Every problem with the
/// file or the map is an error naming the issue.
pub fn records(def: &ProcessDefinition, map: &Map, text: &str, file: &Path) -> Result<Vec<Record>> {
    let shown = crate::diag::display_path(file);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let values: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|e| {
        Error::usage_hint(
            format!("{shown}:{}:{}: not a GitHub issue export: {e}", e.line(), e.column()),
            "write it with `gh issue list --json number,title,body,labels,assignees,state,createdAt,closedAt,url,projectItems --limit 1000 > FILE.json`",
        )
    })?;
    for (column, target) in &map.columns {
        if let Target::Section(_) = target {
            return Err(map.error(
                &[Step::Key("columns"), Step::Key(column)],
                "a GitHub map's `columns` name board columns → phases; `{section: …}` is for spreadsheets",
            ));
        }
    }
    let mut issues = Vec::with_capacity(values.len());
    let mut seen = BTreeMap::new();
    for (i, value) in values.into_iter().enumerate() {
        let number = value.get("number").and_then(serde_json::Value::as_u64);
        let what = match number {
            Some(n) => format!("issue #{n}"),
            None => format!("entry {} of the array", i + 1),
        };
        let issue: Issue = serde_json::from_value(value).map_err(|e| Error::usage(format!("{shown}: {what}: {e}")))?;
        if let Some(first) = seen.insert(issue.number, i + 1) {
            return Err(Error::usage(format!(
                "{shown}: issue #{} appears twice (entries {first} and {})",
                issue.number,
                i + 1
            )));
        }
        issues.push(issue);
    }

    // Every column used must map to a phase: collect the ones that do not.
    let mut unmapped: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut phases = Vec::with_capacity(issues.len());
    for issue in &issues {
        let column = column_of(issue, map);
        let closed_last = is_closed(issue) && map.closed == Closed::Last;
        let phase = match (&column, closed_last) {
            (_, true) => Some(def.phases.len() - 1),
            (None, false) => Some(0),
            (Some(c), false) => phase_of(def, map, c)?,
        };
        if phase.is_none()
            && let Some(c) = &column
        {
            unmapped.entry(c.clone()).or_default().push(issue.number);
        }
        phases.push(phase);
    }
    if !unmapped.is_empty() {
        let list: Vec<String> = unmapped
            .iter()
            .map(|(c, ns)| {
                let ns: Vec<String> = ns.iter().map(|n| format!("#{n}")).collect();
                format!("{c:?} ({})", ns.join(", "))
            })
            .collect();
        let ids: Vec<&str> = def.phases.iter().map(|p| p.id.as_str()).collect();
        return Err(Error::usage_hint(
            format!("{shown}: board columns that match no phase: {}", list.join(", ")),
            format!("map each under `columns:` in the map to a phase: {}", ids.join(", ")),
        ));
    }

    let w = Words::for_language(def.language);
    let mut out = Vec::with_capacity(issues.len());
    for (issue, phase) in issues.iter().zip(phases) {
        let title = one_line(&issue.title);
        if title.is_empty() {
            return Err(Error::usage(format!("{shown}: issue #{}: the title is empty", issue.number)));
        }
        let mut r = Record {
            source: format!("#{}", issue.number),
            title,
            phase: phase.unwrap_or(0),
            leftover_heading: w.heading.to_owned(),
            ..Record::default()
        };
        for (key, value) in &map.defaults {
            r.set(key, value.clone());
        }
        let assignees = issue.assignees.as_deref().unwrap_or_default();
        if let Some(first) = assignees.first() {
            r.set("owner", Value::from(map.owner(&first.login)));
        }
        if let Some(created) = issue.created_at.as_deref().and_then(day) {
            r.set("created", Value::from(created));
        } else {
            return Err(Error::usage(format!(
                "{shown}: issue #{}: `createdAt` is missing or not a date (YYYY-MM-DDThh:mm:ssZ)",
                issue.number
            )));
        }
        let mut unmapped_labels = Vec::new();
        for label in issue.labels.as_deref().unwrap_or_default() {
            match Map::lookup(&map.labels, &label.name) {
                Some((_, fields)) => {
                    for (key, value) in fields {
                        r.set(key, value.clone());
                    }
                }
                None => unmapped_labels.push(one_line(&label.name)),
            }
        }
        if let Some(url) = issue.url.as_deref().map(one_line).filter(|u| !u.is_empty()) {
            r.set("links", Value::Sequence(vec![Value::from(url)]));
        }
        let closed = is_closed(issue);
        let closed_day = issue.closed_at.as_deref().and_then(day);
        if closed && map.closed == Closed::Stopped {
            r.set("state", Value::from("stopped"));
            let reason = match &closed_day {
                Some(d) => format!("{} {d}", w.closed),
                None => w.closed.to_owned(),
            };
            r.set("state_reason", Value::from(reason));
        }

        // The body: sections kept, renamed by the map; what precedes the first heading kept aside.
        let (preamble, sections) = split_sections(issue.body.as_deref().unwrap_or_default());
        let mut kept_aside = Vec::new();
        for (heading, content) in sections {
            let heading = one_line(&heading);
            let renamed = Map::lookup(&map.sections, &heading).map_or(heading.clone(), |(_, to)| to.clone());
            if is_criteria_heading(def, &renamed) || super::fold(&renamed) == super::fold(w.heading) {
                // A checklist heading would be read as this tool's own checklist.
                kept_aside.push(format!("**{heading}**\n\n{content}"));
            } else {
                r.add_section(&renamed, &content);
            }
        }

        if !unmapped_labels.is_empty() {
            r.leftovers.push(format!("- {}: {}", w.labels, unmapped_labels.join(", ")));
        }
        if assignees.len() > 1 {
            let rest: Vec<String> = assignees[1..].iter().map(|a| one_line(&a.login)).collect();
            r.leftovers.push(format!("- {}: {}", w.assignees, rest.join(", ")));
        }
        if closed && map.closed == Closed::Last {
            r.leftovers.push(format!("- {}: {}", w.closed, closed_day.unwrap_or_default()));
        }
        match column_of(issue, map) {
            Some(c) if closed && map.closed == Closed::Last => {
                r.leftovers.push(format!("- {}: {}", w.column, one_line(&c)));
            }
            Some(_) => {}
            None if !closed || map.closed == Closed::Stopped => {
                r.leftovers.push(format!("- {}: {}", w.column, w.no_column));
            }
            None => {}
        }
        for other in other_boards(issue, map) {
            r.leftovers.push(format!("- {}: {other}", w.column));
        }
        if !preamble.trim().is_empty() {
            r.leftovers.push(format!("**{}:**\n\n{}", w.preamble, preamble.trim()));
        }
        r.leftovers.extend(kept_aside);
        out.push(r);
    }
    Ok(out)
}

fn is_closed(issue: &Issue) -> bool {
    issue.state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("closed"))
}

/// The board column: the status of the map's `project`, else of the first
/// board that gives one.
fn column_of(issue: &Issue, map: &Map) -> Option<String> {
    let items = issue.project_items.as_deref().unwrap_or_default();
    let status = |item: &ProjectItem| {
        item.status.as_ref().and_then(|s| s.name.as_deref()).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
    };
    match &map.project {
        Some(project) => items
            .iter()
            .filter(|i| i.title.as_deref().is_some_and(|t| super::fold(t) == super::fold(project)))
            .find_map(status),
        None => items.iter().find_map(status),
    }
}

/// The other boards' columns, `board: column`, so nothing is dropped.
fn other_boards(issue: &Issue, map: &Map) -> Vec<String> {
    let chosen = column_of(issue, map);
    let mut seen_chosen = false;
    let mut out = Vec::new();
    for item in issue.project_items.as_deref().unwrap_or_default() {
        let Some(name) = item.status.as_ref().and_then(|s| s.name.as_deref()).filter(|s| !s.trim().is_empty()) else {
            continue;
        };
        let is_chosen = Some(name.trim()) == chosen.as_deref()
            && map
                .project
                .as_ref()
                .is_none_or(|p| item.title.as_deref().is_some_and(|t| super::fold(t) == super::fold(p)));
        if is_chosen && !seen_chosen {
            seen_chosen = true;
            continue;
        }
        out.push(format!("{}: {}", one_line(item.title.as_deref().unwrap_or("?")), one_line(name)));
    }
    out
}

/// The phase a board column maps to: the map's entry (which must name a
/// phase), else a loose match of names and ids.
fn phase_of(def: &ProcessDefinition, map: &Map, column: &str) -> Result<Option<usize>> {
    if let Some((key, Target::Field(phase))) = Map::lookup(&map.columns, column) {
        return match super::match_phase(def, phase) {
            Some(i) => Ok(Some(i)),
            None => {
                let ids: Vec<&str> = def.phases.iter().map(|p| p.id.as_str()).collect();
                Err(map.error(
                    &[Step::Key("columns"), Step::Key(key)],
                    &format!("column {key:?} maps to {phase:?}, which is no phase (phases: {})", ids.join(", ")),
                ))
            }
        };
    }
    Ok(super::match_phase(def, column))
}

fn is_criteria_heading(def: &ProcessDefinition, heading: &str) -> bool {
    def.phases.iter().any(|p| crate::text::normalize(&def.criteria_heading(p)) == crate::text::normalize(heading))
}

/// `YYYY-MM-DD` of an ISO timestamp (its date as written, UTC for gh).
fn day(stamp: &str) -> Option<String> {
    let d = stamp.trim().get(..10)?;
    crate::domain::model::parse_date(d).map(|d| d.to_string())
}

/// Split an issue body at its top heading level (`##` or `###`, whichever
/// is higher and present): the text before the first heading, then each
/// heading with its content. Headings inside code fences do not count;
/// deeper headings stay in their section's content.
pub fn split_sections(body: &str) -> (String, Vec<(String, String)>) {
    let body = body.replace("\r\n", "\n");
    let lines: Vec<&str> = body.lines().collect();
    let mut in_fence: Option<&str> = None;
    let mut headings: Vec<(usize, usize, String)> = Vec::new(); // line, level, text
    for (n, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if line.len() - t.len() <= 3 {
            for fence in ["```", "~~~"] {
                if t.starts_with(fence) {
                    in_fence = match in_fence {
                        Some(f) if f == fence => None,
                        None => Some(fence),
                        other => other,
                    };
                }
            }
        }
        if in_fence.is_some() || line.len() - t.len() > 3 {
            continue;
        }
        let level = t.chars().take_while(|&c| c == '#').count();
        if (2..=3).contains(&level) && t[level..].starts_with([' ', '\t']) {
            let text = t[level..].trim().trim_end_matches('#').trim().to_owned();
            if !text.is_empty() {
                headings.push((n, level, text));
            }
        }
    }
    let Some(top) = headings.iter().map(|h| h.1).min() else {
        return (body.trim().to_owned(), Vec::new());
    };
    let cuts: Vec<&(usize, usize, String)> = headings.iter().filter(|h| h.1 == top).collect();
    let preamble = lines[..cuts[0].0].join("\n");
    let mut sections = Vec::new();
    for (i, (line, _, text)) in cuts.iter().map(|h| (h.0, h.1, &h.2)).enumerate() {
        let end = cuts.get(i + 1).map_or(lines.len(), |h| h.0);
        let content = lines[line + 1..end].join("\n");
        sections.push((text.clone(), no_response(content.trim_matches('\n'))));
    }
    (preamble, sections)
}

/// GitHub issue forms write `_No response_` for an empty answer: no content.
fn no_response(content: &str) -> String {
    if content.trim() == "_No response_" { String::new() } else { content.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_top_heading_level_outside_fences() {
        let body = "Intro\r\n\r\n### Problemstilling\r\nTekst\r\n#### Under\r\nMer\r\n```\r\n### ikke\r\n```\r\n### Beskrivelse\r\n\r\n_No response_\r\n";
        let (pre, sections) = split_sections(body);
        assert_eq!(pre.trim(), "Intro");
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].0, "Problemstilling");
        assert!(sections[0].1.contains("#### Under") && sections[0].1.contains("### ikke"));
        assert_eq!(sections[1], ("Beskrivelse".to_owned(), String::new()));
    }
}
