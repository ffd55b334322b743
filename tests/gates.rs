//! Phase gates and state changes over real repositories: a refused gate
//! changes nothing; a passed gate is one commit holding only that tiltak,
//! and every other byte of the file survives.

mod common;

use common::*;

const READY: &str = "---\r\nid: DD-001\r\ntitle: \"Samtykke: felles\"   # sitert\r\nowner: Kari   # ansvarlig\r\norganization: Digdir\r\npriority: must\r\nstatus: { level: green, updated: 2026-11-20 }\r\ncreated: 2026-01-05\r\nstate: active\r\n---\r\n# Samtykke\r\n\r\n## Behov\r\n\r\nMange etater trenger samtykke.  \r\n\r\n## Innsikt\r\n\r\nIntervjuer med 12 etater.\r\n\r\n## Arbeidsoppgaver og omfang\r\n\r\nKartlegge hjemmel.\r\n\r\n## Kriterier: Ikke startet\r\n\r\n- [x] Overordnet innsikt og forståelse er etablert.\r\n- [x] Behov er beskrevet.\r\n- [x] Tiltakets viktighet er vurdert, og det bidrar til en balansert portefølje.\r\n- [x] Det er ikke åpenbare hindringer.\r\n- [x] Tiltaket er tildelt en ansvarlig.\r\n- [x] Arbeidsoppgaver og omfang i problemfasen er definert.\r\n";

const FILE: &str = "tiltak/1-ikke-startet/DD-001-samtykke.md";
const MOVED: &str = "tiltak/2-problem/DD-001-samtykke.md";

/// A portfolio with DD-001 committed (criteria unticked) and a messy work tree.
fn messy(content: &str) -> Sandbox {
    let s = Sandbox::portfolio("digdir");
    s.write(FILE, content.replace("- [x]", "- [ ]"));
    s.write("notes.txt", "staged\n");
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "add DD-001"]);
    // Now: ticked boxes uncommitted, a staged change, an unstaged change, an untracked file.
    s.write(FILE, content);
    s.write("notes.txt", "staged\nmore\n");
    s.git(&["add", "notes.txt"]);
    s.write("notes.txt", "staged\nmore\nunstaged\n");
    s.write("untracked.txt", "mine\n");
    s
}

#[test]
fn unmet_gate_changes_nothing() {
    let s = messy(&READY.replace("- [x] Behov er beskrevet.", "- [ ] Behov er beskrevet."));
    let before = s.snapshot_state();
    let out = s.run(&["advance", "DD-001"]);
    assert_eq!(out.status.code(), Some(1));
    let (stdout, stderr) = texts(&out);
    assert_eq!(stdout, "");
    assert!(stderr.contains("✘ Behov er beskrevet."), "{stderr}");
    assert!(stderr.contains("not ticked"), "{stderr}");
    assert!(s.snapshot_state() == before, "the repository changed");
}

#[test]
fn ticked_without_evidence_is_refused_naming_the_evidence() {
    let s = messy(&READY.replace("Mange etater trenger samtykke.  ", "<!-- kommer -->"));
    let before = s.snapshot_state();
    let out = s.run(&["advance", "DD-001"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(texts(&out).1.contains("section `## Behov` has no content"), "{}", texts(&out).1);
    assert!(s.snapshot_state() == before, "the repository changed");
}

#[test]
fn passed_gate_is_one_commit_of_that_tiltak_only() {
    let s = messy(READY);
    let staged_before = s.git(&["diff", "--cached", "--", "notes.txt"]);
    let unstaged_before = s.git(&["diff", "--", "notes.txt"]);
    let head_before = s.git(&["rev-parse", "HEAD"]);
    let out = s.ok(&["advance", "dd-001", "--by", "Porteføljekontoret"]);
    assert_eq!(out.trim(), MOVED);

    // One commit on top, holding the rename and nothing else.
    assert_eq!(s.git(&["rev-parse", "HEAD~1"]), head_before);
    let files = s.git(&["show", "--name-status", "--format=", "--no-renames", "HEAD"]);
    assert_eq!(files, format!("D\t{FILE}\nA\t{MOVED}\n"));
    assert_eq!(
        s.git(&["log", "-1", "--format=%B"]),
        "advance DD-001: Ikke startet → Problem\n\nTiltak: DD-001\nPhase-From: ikke-startet\nPhase-To: problem\nDecided-By: Porteføljekontoret\n\n"
    );
    assert_eq!(s.git(&["log", "-1", "--format=%an <%ae>"]).trim(), "Kari Nordmann <kari@example.no>");

    // Every byte of the file survives; the next checklist is appended in CRLF.
    let moved = s.read(MOVED);
    assert!(moved.starts_with(READY), "the old content must survive byte for byte");
    assert_eq!(
        &moved[READY.len()..],
        "\r\n## Kriterier: Problem\r\n\r\n- [ ] Behov avklares gjennom ytterligere innsiktsarbeid.\r\n- [ ] Problembeskrivelse er etablert.\r\n- [ ] Tiltaket sikrer leveranser til det strategiske målbildet.\r\n- [ ] Tiltaket er tildelt en ansvarlig.\r\n- [ ] Prioritering er angitt (f.eks. MoSCoW).\r\n- [ ] Arbeidsoppgaver og omfang i konseptfasen er definert.\r\n"
    );
    assert_eq!(s.git(&["show", &format!("HEAD:{MOVED}")]), moved);
    assert!(!s.path().join(FILE).exists());

    // The user's other work is exactly as it was.
    assert_eq!(s.git(&["diff", "--cached", "--", "notes.txt"]), staged_before);
    assert_eq!(s.git(&["diff", "--", "notes.txt"]), unstaged_before);
    assert_eq!(s.git(&["status", "--porcelain"]), "MM notes.txt\n?? untracked.txt\n");
    assert_eq!(s.run(&["check"]).status.code(), Some(0), "{}", texts(&s.run(&["check"])).1);
}

#[test]
fn dry_run_changes_nothing() {
    let s = messy(READY);
    let before = s.snapshot_state();
    let out = s.ok(&["advance", "DD-001", "--dry-run"]);
    assert!(
        out.contains("Would move tiltak/1-ikke-startet/DD-001-samtykke.md → tiltak/2-problem/DD-001-samtykke.md"),
        "{out}"
    );
    assert!(s.snapshot_state() == before, "the repository changed");
}

#[test]
fn skipping_and_moving_back_need_reasons() {
    let s = messy(READY);
    let before = s.snapshot_state();
    assert_eq!(s.run(&["advance", "DD-001", "--to", "konsept"]).status.code(), Some(2));
    assert_eq!(s.run(&["advance", "DD-001", "--to", "konsept", "--force"]).status.code(), Some(2));
    assert!(s.snapshot_state() == before, "the repository changed");
    s.ok(&["advance", "DD-001", "--to", "Konsept", "--force", "--reason", "Besluttet i styringsrådet"]);
    let msg = s.git(&["log", "-1", "--format=%B"]);
    assert!(msg.starts_with("advance DD-001: Ikke startet → Konsept\n"), "{msg}");
    assert!(msg.contains("Forced: Besluttet i styringsrådet\n"), "{msg}");
    let path = "tiltak/3-konsept/DD-001-samtykke.md";
    assert!(s.read(path).contains("## Kriterier: Konsept"));

    let before = s.snapshot_state();
    assert_eq!(s.run(&["advance", "DD-001", "--to", "problem"]).status.code(), Some(2));
    assert!(s.snapshot_state() == before, "the repository changed");
    s.ok(&["advance", "DD-001", "--to", "problem", "--reason", "Mer innsikt trengs"]);
    assert!(s.git(&["log", "-1", "--format=%B"]).contains("Reason: Mer innsikt trengs\n"));
    assert!(s.path().join("tiltak/2-problem/DD-001-samtykke.md").exists());
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
fn gates_refuse_during_a_merge() {
    let s = messy(READY);
    s.git(&["stash", "-u", "-q"]);
    s.git(&["checkout", "-q", "-b", "other"]);
    s.write("conflict.txt", "a\n");
    s.git(&["add", "conflict.txt"]);
    s.git(&["commit", "-q", "-m", "a"]);
    s.git(&["checkout", "-q", "main"]);
    s.write("conflict.txt", "b\n");
    s.git(&["add", "conflict.txt"]);
    s.git(&["commit", "-q", "-m", "b"]);
    let _ = s.cmd(&[]).get_program(); // keep the harness honest: merge through git itself
    let mut merge = s.git_cmd(&["merge", "-q", "other"]);
    assert!(!merge.output().expect("git merge").status.success(), "the merge must conflict");
    s.write(FILE, READY);
    let before = s.snapshot_state();
    let out = s.run(&["advance", "DD-001"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("merge is in progress"), "{}", texts(&out).1);
    assert_eq!(s.run(&["hold", "DD-001", "--reason", "x"]).status.code(), Some(2));
    assert!(s.snapshot_state() == before, "the repository changed");
}

/// A portfolio whose `main` has four tiltak, and a branch `feature` on it.
fn pull_request() -> Sandbox {
    let s = Sandbox::portfolio("digdir");
    s.write(FILE, READY);
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "new DD-001: Samtykke"]);
    for t in ["B", "C", "D"] {
        s.ok(&["new", &format!("Tiltak {t}"), "--owner", "Kari"]);
    }
    s.git(&["checkout", "-q", "-b", "feature"]);
    s
}

fn codes(s: &Sandbox, args: &[&str]) -> (Option<i32>, Vec<(String, String)>) {
    let out = s.run(args);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let list = v
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| (d["code"].as_str().unwrap_or("").to_owned(), d["message"].as_str().unwrap_or("").to_owned()))
        .collect();
    (out.status.code(), list)
}

#[test]
fn check_base_accepts_gates_made_by_advance() {
    let s = pull_request();
    s.ok(&["advance", "DD-001", "--by", "PK"]);
    let (code, errors) = codes(&s, &["check", "--base", "main", "--format", "json"]);
    assert_eq!(errors, vec![]);
    assert_eq!(code, Some(0));
}

#[test]
fn check_base_flags_hand_moves_skips_and_deletions() {
    let s = pull_request();
    s.git(&["mv", "tiltak/1-ikke-startet/DD-002-tiltak-b.md", "tiltak/2-problem/"]);
    s.git(&["commit", "-q", "-m", "move B by hand"]);
    s.git(&["mv", "tiltak/1-ikke-startet/DD-003-tiltak-c.md", "tiltak/3-konsept/"]);
    s.git(&["commit", "-q", "-m", "skip C"]);
    s.git(&["rm", "-q", "tiltak/1-ikke-startet/DD-004-tiltak-d.md"]);
    s.git(&["commit", "-q", "-m", "delete D"]);
    let (code, errors) = codes(&s, &["check", "--base", "main", "--format", "json"]);
    assert_eq!(code, Some(1));
    let history: Vec<&(String, String)> = errors.iter().filter(|(c, _)| c == "P041" || c == "P042").collect();
    assert_eq!(history.len(), 3, "{errors:?}");
    assert!(history[0].1.starts_with("DD-004 was deleted in "), "{history:?}");
    assert!(
        history[1].1.contains("DD-002 moved Ikke startet → Problem in ")
            && history[1].1.contains("6 of the exit criteria"),
        "{history:?}"
    );
    assert!(history[2].1.contains("DD-003 skips a phase (Ikke startet → Konsept)"), "{history:?}");
    // Without --base the history is not judged.
    let (_, errors) = codes(&s, &["check", "--format", "json"]);
    assert!(errors.iter().all(|(c, _)| c != "P041" && c != "P042"));
    // GitHub annotations carry the same findings.
    let github = texts(&s.run(&["check", "--base", "main", "--format", "github"])).0;
    assert!(
        github.contains("::error file=tiltak/1-ikke-startet/DD-004-tiltak-d.md,title=P042 tiltak deleted::"),
        "{github}"
    );
}

#[test]
fn check_base_accepts_a_move_back_with_a_reason_and_a_move_split_over_commits() {
    let s = pull_request();
    // A move by hand in two commits (remove, then add) is one move, and a
    // move forward with its criteria met needs no trailer.
    s.git(&["rm", "-q", FILE]);
    s.git(&["commit", "-q", "-m", "remove"]);
    s.write(MOVED, READY);
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "add"]);
    let (code, errors) = codes(&s, &["check", "--base", "main", "--format", "json"]);
    assert_eq!((code, errors), (Some(0), vec![]));
    // Back again, with a reason recorded by advance.
    s.ok(&["advance", "DD-001", "--to", "ikke-startet", "--reason", "Mer innsikt trengs"]);
    let (code, errors) = codes(&s, &["check", "--base", "main", "--format", "json"]);
    assert_eq!((code, errors), (Some(0), vec![]));
}

#[test]
fn check_base_names_a_missing_revision() {
    let s = pull_request();
    let out = s.run(&["check", "--base", "origin/nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("cannot find revision \"origin/nope\""), "{}", texts(&out).1);
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

/// Whether HEAD is a symbolic ref (on a branch).
fn on_branch(s: &Sandbox) -> bool {
    s.git_cmd(&["symbolic-ref", "-q", "HEAD"]).output().expect("git symbolic-ref").status.success()
}

#[test]
fn advance_on_a_detached_head_commits_there_and_moves_no_branch() {
    let s = messy(READY);
    s.git(&["checkout", "-q", "--detach"]);
    let head_before = s.git(&["rev-parse", "HEAD"]);
    let branches_before = s.git(&["for-each-ref", "refs/heads"]);
    let out = s.ok(&["advance", "DD-001"]);
    assert_eq!(out.trim(), MOVED);
    // One commit on top of the detached HEAD; HEAD stays detached and moves.
    assert!(!on_branch(&s), "HEAD must stay detached");
    assert_eq!(s.git(&["rev-parse", "HEAD~1"]), head_before);
    assert_eq!(
        s.git(&["show", "--name-status", "--format=", "--no-renames", "HEAD"]),
        format!("D\t{FILE}\nA\t{MOVED}\n")
    );
    assert!(s.git(&["log", "-1", "--format=%s"]).starts_with("advance DD-001: Ikke startet → Problem"));
    // No branch moved.
    assert_eq!(s.git(&["for-each-ref", "refs/heads"]), branches_before);
    assert_eq!(s.git(&["rev-parse", "main"]), head_before);
    // The user's other work is untouched.
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

#[test]
fn failed_write_in_advance_changes_nothing() {
    let s = messy(READY);
    // The target phase folder's path is taken by a file: the move cannot be written.
    std::fs::remove_dir_all(s.path().join("tiltak/2-problem")).expect("remove folder");
    s.write("tiltak/2-problem", "in the way\n");
    let before = s.snapshot_state();
    let out = s.run(&["advance", "DD-001"]);
    assert_eq!(out.status.code(), Some(2), "{}", texts(&out).1);
    assert_eq!(texts(&out).0, "");
    assert!(texts(&out).1.contains("tiltak/2-problem"), "{}", texts(&out).1);
    assert!(s.snapshot_state() == before, "the repository changed");
}

#[cfg(unix)]
#[test]
fn unwritable_target_folder_in_advance_changes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let s = messy(READY);
    let dir = s.path().join("tiltak/2-problem");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // Root ignores permissions: then there is nothing to test.
    if std::fs::write(dir.join("probe"), "").is_ok() {
        std::fs::remove_file(dir.join("probe")).expect("remove probe");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        return;
    }
    let before = s.snapshot_state();
    let out = s.run(&["advance", "DD-001"]);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(out.status.code(), Some(2), "{}", texts(&out).1);
    assert!(s.snapshot_state() == before, "the repository changed");
}

/// A repository with `portfolio init`'s files but no commit yet (an unborn `main`).
fn unborn() -> Sandbox {
    let s = Sandbox::empty();
    s.git(&["init", "-q", "-b", "main"]);
    s.ok(&["init", "--template", "digdir"]);
    s
}

// On an unborn branch (or before portfolio.yaml is committed) `new`,
// `advance` and `hold` refuse: the history would start without its process
// definition. Nothing changes; the hint says what to commit.
#[test]
fn commits_wait_for_a_committed_portfolio_yaml() {
    let s = unborn();
    let before = s.snapshot_state();
    for args in [&["new", "Samtykke"][..], &["advance", "DD-001"], &["hold", "DD-001", "--reason", "x"]] {
        if args[0] != "new" {
            s.write(FILE, READY);
        }
        let before = s.snapshot_state();
        let out = s.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = texts(&out).1;
        assert!(err.contains("portfolio.yaml is not committed yet"), "{err}");
        assert!(err.contains("git add portfolio.yaml"), "{err}");
        assert!(s.snapshot_state() == before, "{args:?} changed the repository");
    }
    // `new --no-commit` still works: it only writes the file.
    std::fs::remove_file(s.path().join(FILE)).expect("rm");
    assert!(s.snapshot_state() == before);
    s.ok(&["new", "Samtykke", "--no-commit"]);
    // Once committed, the same commands work.
    s.git(&["add", "portfolio.yaml", "tiltak"]);
    s.git(&["commit", "-qm", "Start the portfolio"]);
    s.ok(&["new", "Innlogging"]);
}

#[test]
fn failed_commit_in_advance_changes_nothing() {
    let s = messy(READY);
    // The branch is locked (as by a concurrent git): the new file is written,
    // then the commit fails and the file must go again.
    let lock = s.write(".git/refs/heads/main.lock", "");
    let before = s.snapshot_state();
    let out = s.run(&["advance", "DD-001"]);
    assert_eq!(out.status.code(), Some(2), "{}", texts(&out).1);
    assert!(texts(&out).1.contains("cannot create the commit"), "{}", texts(&out).1);
    assert!(s.snapshot_state() == before, "the repository changed");
    let out = s.run(&["hold", "DD-001", "--reason", "Venter"]);
    assert_eq!(out.status.code(), Some(2), "{}", texts(&out).1);
    assert!(s.snapshot_state() == before, "the repository changed");
    std::fs::remove_file(lock).expect("unlock");
    s.ok(&["advance", "DD-001"]);
}

// A locked index (a concurrent or crashed git) is only found after the commit
// was made: the commands then report an error, but HEAD has moved while the
// work tree is put back, so the work tree and index contradict HEAD.
#[test]
fn locked_index_in_advance_changes_nothing() {
    let s = messy(READY);
    let lock = s.write(".git/index.lock", "");
    let before = s.snapshot_state();
    let out = s.run(&["advance", "DD-001"]);
    assert_eq!(out.status.code(), Some(2), "{}", texts(&out).1);
    let out = s.run(&["hold", "DD-001", "--reason", "Venter"]);
    assert_eq!(out.status.code(), Some(2), "{}", texts(&out).1);
    std::fs::remove_file(lock).expect("unlock");
    assert!(s.snapshot_state() == before, "the repository changed");
}
