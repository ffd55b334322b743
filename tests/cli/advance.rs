//! `portfolio advance`, the phase gate: a refused gate changes nothing; a
//! passed gate is one commit holding only that tiltak, and every other byte
//! of the file survives.

use crate::common::*;
use crate::scenarios::*;

#[test]
fn help_text() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help_advance", texts(&s.run(&["advance", "--help"])).0);
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

// ------------------------------------------------- awkward Git situations

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
