//! Every built-in template and every segment through a tiltak's whole life,
//! as an owner lives it: `new` with only a title, then at each gate fill in
//! what the next phase requires, tick the criteria with their evidence, and
//! `advance` — until the last phase. `check` passes at every step.

use portfolio::domain::process::{ProcessDefinition, Template};

use crate::common::*;

/// The front matter an owner has filled in by the later phases: every field
/// a built-in template can ask for, with values the definition allows.
fn full_front_matter(def: &ProcessDefinition, id: &str, dep: &str, segment: Option<&str>) -> String {
    let mut fm = format!(
        "id: {id}\ntitle: Felles samtykke\nowner: Kari Nordmann\norganization: Digdir\ncreated: 2026-11-01\n\
         priority: must\nstate: active\n\
         status:\n  level: green\n  reason: I rute\n  updated: {TODAY}\n\
         risk:\n  level: green\n  description: Lav\n  mitigation: Ingen\n\
         timeframe: {{ start: 2026-01-01, end: 2026-12-31 }}\n\
         okr:\n  - objective: Ett sted\n    key_results: [\"3 etater\"]\n\
         milestones:\n  - {{ name: Pilot, date: 2027-06-01, done: false }}\n\
         budget: {{ investment: 1000000, operations: 100000, currency: NOK }}\n\
         benefits: Mindre manuelt arbeid\nbenefit_prerequisites: Hjemmel\n\
         deliveries:\n  - {{ name: API, date: 2027-06-01, done: false }}\n\
         dependencies: [{dep}, {{ external: Kjernejournal }}]\nlinks: [\"https://example.org/dokumentasjon\"]\n"
    );
    if let Some(goal) = def.strategic_goals.first() {
        fm.push_str(&format!("strategic_goals: [{}]\n", goal.id));
    }
    if let Some(sdg) = def.sdgs.first() {
        fm.push_str(&format!("sdgs: [{}]\n", sdg.id));
    }
    if let Some(group) = def.product_groups.first() {
        fm.push_str(&format!("product_group: {group}\n"));
    }
    if let Some(segment) = segment {
        fm.push_str(&format!("segment: {segment}\n"));
    }
    fm
}

/// The body: every section the criteria ask for, with content, and the
/// checklists of the phases reached, ticked.
fn full_body(def: &ProcessDefinition, upto: usize) -> String {
    let mut body = String::from("# Felles samtykke\n\n");
    let mut sections: Vec<&str> = def.body.iter().map(|b| b.heading.as_str()).collect();
    for phase in &def.phases {
        for c in &phase.criteria {
            if let Some(s) = c.check.as_ref().and_then(|c| c.section.as_deref())
                && !sections.contains(&s)
            {
                sections.push(s);
            }
        }
    }
    for s in sections {
        body.push_str(&format!("## {s}\n\nBeskrevet av eieren.\n\n"));
    }
    for phase in &def.phases[..=upto] {
        body.push_str(&format!("## {}\n\n", def.criteria_heading(phase)));
        for c in &phase.criteria {
            body.push_str(&format!("- [x] {}\n", c.text));
        }
        body.push('\n');
    }
    body
}

fn walk(template: Template, name: &str, segment: Option<&str>) {
    let def = ProcessDefinition::parse(template.text(), std::path::Path::new("portfolio.yaml")).expect("template");
    let s = Sandbox::portfolio(name);
    // Another tiltak to depend on: a gate judges dependencies against the
    // whole portfolio, not only the file it moves.
    s.ok(&["new", "Grunnmur"]);
    let dep = format!("{}-001", def.id_prefix);
    let mut args = vec!["new", "Felles samtykke"];
    if let Some(seg) = segment {
        args.extend(["--segment", seg]);
    }
    // `new` with only a title succeeds in every segment, and passes `check`.
    let mut path = s.ok(&args).trim().to_owned();
    let out = s.run(&["check", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{name}/{segment:?}: new fails check:\n{}", texts(&out).1);
    let id = format!("{}-002", def.id_prefix);
    for phase in 0..def.phases.len() - 1 {
        let text = format!("---\n{}---\n{}", full_front_matter(&def, &id, &dep, segment), full_body(&def, phase));
        std::fs::write(s.path().join(&path), text).expect("write");
        let out = s.run(&["check", "--strict"]);
        assert_eq!(out.status.code(), Some(0), "{name}/{segment:?} in {}:\n{}", def.phases[phase].name, texts(&out).1);
        let out = s.run(&["advance", &id, "--by", "Porteføljekontoret"]);
        let (stdout, stderr) = texts(&out);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}/{segment:?}: gate out of {} refused:\n{stderr}",
            def.phases[phase].name
        );
        path = stdout.trim().to_owned();
        assert!(path.contains(&def.phases[phase + 1].folder), "{path}");
        let out = s.run(&["check", "--strict", "--base", "HEAD~1"]);
        assert_eq!(out.status.code(), Some(0), "{name}/{segment:?}: check --base after the gate:\n{}", texts(&out).1);
    }
    // Closing: the last phase's criteria met, `advance` closes it where it stands.
    let last = def.phases.len() - 1;
    let before_close = s.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let text = format!("---\n{}---\n{}", full_front_matter(&def, &id, &dep, segment), full_body(&def, last));
    std::fs::write(s.path().join(&path), text).expect("write");
    s.git(&["commit", "-qam", "closing criteria ticked"]);
    let json: serde_json::Value =
        serde_json::from_str(&s.ok(&["report", "--since", &before_close, "--format", "json"])).expect("json");
    assert_eq!(json["changes"]["completed"], serde_json::json!([]), "{name}/{segment:?}: not completed by arriving");
    let out = s.run(&["advance", &id, "--by", "Porteføljekontoret"]);
    assert_eq!(out.status.code(), Some(0), "{name}/{segment:?}: closing refused:\n{}", texts(&out).1);
    assert_eq!(texts(&out).0.trim(), path, "closed where it stands");
    assert!(s.read(&path).contains("state: closed\n"));
    let message = s.git(&["log", "-1", "--format=%B"]);
    assert!(message.contains("\nState: closed\n") && message.contains("Decided-By: Porteføljekontoret"), "{message}");
    let json: serde_json::Value =
        serde_json::from_str(&s.ok(&["report", "--since", &before_close, "--format", "json"])).expect("json");
    assert_eq!(json["changes"]["completed"][0]["id"], id.as_str(), "{name}/{segment:?}");
    assert_eq!(json["key_figures"]["total"]["closed"], 1);
    let out = s.run(&["check", "--strict", "--base", &before_close]);
    assert_eq!(out.status.code(), Some(0), "{name}/{segment:?}: check after closing:\n{}", texts(&out).1);
    let out = s.run(&["advance", &id]);
    assert_eq!(out.status.code(), Some(2), "a closed tiltak passes no more gates");
    assert!(s.ok(&["log", "--format", "csv"]).contains(",close,"), "the log records the closing");
    assert_eq!(s.git(&["status", "--porcelain"]), "", "every gate committed what it changed");
    // Every tree the commits built (only the changed folders are rewritten) is one git accepts.
    s.git(&["fsck", "--strict", "--no-dangling"]);
}

#[test]
fn digdir_tiltak_lives_from_proposal_to_the_last_phase() {
    walk(Template::Digdir, "digdir", None);
}

#[test]
fn ehelse_tiltak_live_their_whole_life_in_every_segment() {
    let def =
        ProcessDefinition::parse(Template::Ehelse.text(), std::path::Path::new("portfolio.yaml")).expect("template");
    // ehelse requires a segment from Konsept on, so every tiltak has one.
    for segment in &def.segments {
        walk(Template::Ehelse, "ehelse", Some(&segment.id));
    }
}
