//! `portfolio hold`, `stop` and `resume`: one commit each, editing only the
//! state lines of the front matter.

use crate::common::*;
use crate::scenarios::*;

#[test]
fn help_text() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help_hold", texts(&s.run(&["hold", "--help"])).0);
}

#[test]
fn hold_stop_resume_edit_only_the_state_lines() {
    let s = messy(READY);
    s.ok(&["hold", "DD-001", "--reason", "Venter på hjemmel: KDD"]);
    let held = s.read(FILE);
    assert_eq!(
        held,
        READY.replace("state: active\r\n", "state: on_hold\r\nstate_reason: 'Venter på hjemmel: KDD'\r\n")
    );
    assert_eq!(s.git(&["show", "--name-only", "--format=", "HEAD"]), format!("{FILE}\n"));
    assert!(s.git(&["log", "-1", "--format=%s"]).starts_with("hold DD-001: Venter på hjemmel"));
    assert_eq!(s.run(&["hold", "DD-001", "--reason", "igjen"]).status.code(), Some(2));

    s.ok(&["stop", "DD-001", "--reason", "Løses av annet tiltak"]);
    let before = s.snapshot_state();
    let out = s.run(&["advance", "DD-001"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("stopped"), "{}", texts(&out).1);
    assert!(s.snapshot_state() == before, "the repository changed");

    s.ok(&["resume", "DD-001", "--reason", "Hjemmel avklart"]);
    assert_eq!(s.read(FILE), READY);
    assert_eq!(s.git(&["status", "--porcelain"]), "MM notes.txt\n?? untracked.txt\n");
}

#[test]
fn hold_on_a_detached_head_commits_there_and_moves_no_branch() {
    let s = messy(READY);
    s.git(&["checkout", "-q", "--detach"]);
    let head_before = s.git(&["rev-parse", "HEAD"]);
    let branches_before = s.git(&["for-each-ref", "refs/heads"]);
    s.ok(&["hold", "DD-001", "--reason", "Venter på budsjett"]);
    assert!(!on_branch(&s), "HEAD must stay detached");
    assert_eq!(s.git(&["rev-parse", "HEAD~1"]), head_before);
    assert_eq!(s.git(&["show", "--name-only", "--format=", "HEAD"]), format!("{FILE}\n"));
    assert!(s.git(&["log", "-1", "--format=%s"]).starts_with("hold DD-001: Venter på budsjett"));
    assert_eq!(s.git(&["for-each-ref", "refs/heads"]), branches_before);
    assert!(s.read(FILE).contains("state: on_hold\r\n"));
    assert_eq!(s.git(&["status", "--porcelain"]), "MM notes.txt\n?? untracked.txt\n");
}
