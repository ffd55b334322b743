//! `agenda`: the meeting's papers over a year of history, a local branch
//! that requests a gate and a remote-tracking branch with a proposal.

use serde_json::Value;

use crate::common::*;
use crate::scenarios::*;

/// The year, then: a branch `gate/DD-003` advancing DD-003 (criteria
/// unticked, so forced), a proposal pushed to a remote and fetched, and
/// DD-001 put on hold.
fn meeting() -> (Sandbox, tempfile::TempDir) {
    let s = year();
    git_at(&s, "2026-05-02", &["checkout", "-qb", "gate/DD-003"]);
    ready(&s, "2026-05-02", "DD-003");
    at(&s, "2026-05-03", &["advance", "DD-003", "--force", "--reason", "Rådet ba om det"]);
    git_at(&s, "2026-05-03", &["checkout", "-q", "main"]);
    // Someone else's proposal, on a remote.
    let remote = tempfile::tempdir().expect("remote");
    let other = remote.path().join("other");
    let clone = s
        .git_cmd(&["clone", "-q", s.path().to_str().expect("present"), other.to_str().expect("present")])
        .output()
        .expect("clone");
    assert!(clone.status.success());
    let mut push = s.git_cmd(&["checkout", "-qb", "forslag"]);
    push.current_dir(&other);
    assert!(push.output().expect("git").status.success());
    let mut c = s.cmd(&["new", "Felles API-katalog", "--owner", "Ola"]);
    c.current_dir(&other)
        .env("GIT_COMMITTER_DATE", "2026-05-04T12:00:00+01:00")
        .env("GIT_AUTHOR_DATE", "2026-05-04T12:00:00+01:00");
    assert!(c.output().expect("new").status.success());
    s.git(&["remote", "add", "origin", other.to_str().expect("present")]);
    s.git(&["fetch", "-q", "origin"]);
    at(&s, "2026-05-05", &["hold", "DD-001", "--reason", "Venter på hjemmel"]);
    (s, remote)
}

#[test]
fn the_papers_from_git_alone() {
    let (s, _remote) = meeting();
    let v: Value =
        serde_json::from_str(&s.ok(&["agenda", "--format", "json", "--date", "2026-05-10", "--since", "2026-04-01"]))
            .expect("JSON");
    let gates = v["gate_requests"].as_array().expect("gates");
    assert_eq!(gates.len(), 1, "{gates:?}");
    let g = &gates[0];
    assert_eq!((g["branch"].as_str(), g["id"].as_str()), (Some("gate/DD-003"), Some("DD-003")));
    assert_eq!((g["from"].as_str(), g["to"].as_str()), (Some("Ikke startet"), Some("Problem")));
    assert_eq!(g["criteria_met"], false);
    assert_eq!(g["unmet"].as_array().map(Vec::len), Some(6));
    assert_eq!(g["check_passes"], true, "forced with a reason");
    let new: Vec<(&str, Option<&str>)> = v["new_proposals"]
        .as_array()
        .expect("present")
        .iter()
        .map(|p| (p["id"].as_str().expect("present"), p["branch"].as_str()))
        .collect();
    assert_eq!(new, [("DD-003", None), ("DD-004", Some("origin/forslag"))]);
    assert_eq!(v["status"]["red"][0]["id"], "DD-001");
    assert_eq!(v["status"]["turned"][0]["id"], "DD-001", "yellow → red on 2026-05-01");
    assert_eq!(v["on_hold"][0]["id"], "DD-001");
    assert_eq!(v["on_hold"][0]["days"], 5);
    let decided: Vec<&str> =
        v["decided"].as_array().expect("present").iter().map(|e| e["kind"].as_str().expect("present")).collect();
    assert_eq!(decided, ["hold", "stop", "created"]);

    // The default span is the 14 days before the meeting.
    let v: Value = serde_json::from_str(&s.ok(&["agenda", "--format", "json", "--date", "2026-05-10"])).expect("JSON");
    assert_eq!(v["since"], "2026-04-26");
    assert_eq!(v["decided"].as_array().map(Vec::len), Some(1));

    let html = s.ok(&["agenda", "--format", "html", "--date", "2026-05-10", "--since", "2026-04-01"]);
    assert!(html.contains("Content-Security-Policy") && html.contains("<section id=\"gate-requests\""), "{html}");
    assert!(!html.contains("<script"));
    assert!(s.ok(&["agenda", "--format", "table", "--date", "2026-05-10"]).contains("gate/DD-003"));
    insta::assert_snapshot!("agenda_markdown", s.ok(&["agenda", "--date", "2026-05-10", "--since", "2026-04-01"]));
}
