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
