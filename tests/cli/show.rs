//! `portfolio show`: one tiltak, the exit criteria of its phase with why,
//! and its history.

use crate::common::*;
use crate::scenarios::*;

#[test]
fn help_text() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help_show", texts(&s.run(&["show", "--help"])).0);
}

#[test]
fn show_explains_each_criterion() {
    let out = texts(&in_repo(&["-C", "examples/digdir", "show", "dd-014"])).0;
    // The history depends on this repository's own commits; show_tells_the_history tests it.
    let start = out.find("History:").expect("history section");
    let end = out[start..].find("\n\n").map_or(out.len(), |i| start + i);
    let out = format!("{}History: [this repository's commits]{}", &out[..start], &out[end..]);
    insta::assert_snapshot!("show_dd014", out);
}

#[test]
fn show_tells_the_history() {
    let s = pull_request();
    s.ok(&["advance", "DD-001", "--by", "Porteføljekontoret"]);
    s.ok(&["hold", "DD-001", "--reason", "Venter på budsjett"]);
    s.git(&["mv", "tiltak/1-ikke-startet/DD-002-tiltak-b.md", "tiltak/2-problem/"]);
    s.git(&["commit", "-q", "-m", "by hand"]);
    let out = s.ok(&["show", "DD-001"]);
    let history = &out[out.find("History:").expect("history")..];
    let lines: Vec<&str> = history.lines().skip(1).take_while(|l| l.starts_with("  ")).map(|l| &l[2..]).collect();
    assert_eq!(lines.len(), 3, "{history}");
    assert!(lines[0].starts_with("2026-11-23  created in Ikke startet ("), "{history}");
    assert!(lines[1].starts_with("2026-11-23  Ikke startet → Problem, decided by Porteføljekontoret ("), "{history}");
    assert!(lines[2].starts_with("2026-11-23  on hold: Venter på budsjett ("), "{history}");
    let b = s.ok(&["show", "DD-002"]);
    assert!(b.contains("Ikke startet → Problem — moved by hand"), "{b}");
}

#[test]
fn show_prints_every_field() {
    let s = Sandbox::portfolio("digdir");
    s.write(
        "tiltak/2-problem/DD-014-samtykke.md",
        "---\nid: DD-014\ntitle: Felles samtykkeløsning\nowner: Kari Nordmann\norganization: Digdir\ncreated: 2025-03-04\n\
         priority: must\nstatus:\n  level: yellow\n  reason: Hjemmel\n  updated: 2026-11-15\n\
         strategic_goals: [1, 4]\nsdgs: [9, 17]\ntimeframe: { start: 2025-06-01, end: 2026-12-31 }\n\
         okr:\n  - objective: Innbyggere gir samtykke ett sted\n    key_results: [\"3 etater tatt i bruk innen Q4\"]\n\
         milestones:\n  - { name: Konsept godkjent, date: 2025-10-01, done: true }\n  - { name: Pilot i drift, date: 2026-12-01, done: false }\n\
         budget: { investment: 4500000, operations: 600000, currency: NOK }\n\
         benefits: Færre manuelle samtykkeprosesser\nbenefit_prerequisites: Hjemmel for deling\n\
         deliveries:\n  - { name: Samtykke-API v1, date: 2026-06-01, done: false }\n\
         links: [\"https://example.org/issues/14\"]\n---\n# Felles samtykkeløsning\n",
    );
    let out = s.ok(&["show", "DD-014"]);
    for want in [
        "  goals:          1; 4\n",
        "  SDGs:           9 ",
        "  benefits:       Færre manuelle samtykkeprosesser\n",
        "  prerequisites:  Hjemmel for deling\n",
        "  budget:         investment 4 500 000 NOK, operations 600 000 NOK\n",
        "  milestones:\n    ✔ 2025-10-01  Konsept godkjent\n    ○ 2026-12-01  Pilot i drift\n",
        "  deliveries:\n    ○ 2026-06-01  Samtykke-API v1\n",
        "  okr:\n    Innbyggere gir samtykke ett sted\n      – 3 etater tatt i bruk innen Q4\n",
        "  links:\n    https://example.org/issues/14\n",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
}
