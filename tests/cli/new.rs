//! `portfolio new`: the next free ID, a file in the first phase with its
//! checklist, and one commit holding only that file, whatever the title.

use serde_json::Value;

use crate::common::*;
use crate::support::*;

#[test]
fn help_text() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help_new", texts(&s.run(&["new", "--help"])).0);
}

#[test]
fn new_file_reads_well() {
    let s = Sandbox::portfolio("digdir");
    let path = s.ok(&[
        "new",
        "Felles samtykkeløsning",
        "--owner",
        "Kari Nordmann",
        "--priority",
        "Må",
        "--group",
        "tillitstjenester",
    ]);
    insta::assert_snapshot!("new_file", s.read(path.trim()));
}

// ------------------------------------------- `new` commits only its file

#[test]
fn new_commits_only_its_own_file() {
    let s = Sandbox::portfolio("digdir");
    s.write("staged.txt", "one\n");
    s.write("unstaged.txt", "one\n");
    s.write(&format!("{FIRST}/DD-001-old.md"), minimal("DD-001", "Old"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "files"]);
    s.write("staged.txt", "two (staged)\n");
    s.git(&["add", "staged.txt"]);
    s.write("unstaged.txt", "two (unstaged)\n");
    s.write("untracked.txt", "new\n");
    // An edit to an existing tiltak, staged, and a new untracked tiltak-like file.
    s.write(&format!("{FIRST}/DD-001-old.md"), minimal("DD-001", "Old, edited"));
    s.git(&["add", &format!("{FIRST}/DD-001-old.md")]);
    let head = s.git(&["rev-parse", "HEAD"]);

    let path = new_path(&s, &["X"]);
    assert_eq!(path, format!("{FIRST}/DD-002-x.md"));
    assert_eq!(s.git(&["rev-parse", "HEAD~1"]), head, "exactly one new commit");
    let files = s.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(lines(&files), vec![path.clone()]);
    assert_eq!(s.git(&["log", "-1", "--format=%s"]).trim(), "new DD-002: X");

    let staged = s.git(&["diff", "--cached", "--name-only"]);
    assert_eq!(lines(&staged), vec!["staged.txt".to_owned(), format!("{FIRST}/DD-001-old.md")]);
    assert_eq!(s.git(&["show", ":staged.txt"]), "two (staged)\n");
    assert_eq!(lines(&s.git(&["diff", "--name-only"])), vec!["unstaged.txt".to_owned()]);
    assert_eq!(s.read("unstaged.txt"), "two (unstaged)\n");
    assert_eq!(s.git(&["show", "HEAD:unstaged.txt"]), "one\n");
    assert_eq!(lines(&s.git(&["ls-files", "--others", "--exclude-standard"])), vec!["untracked.txt".to_owned()]);
    // The new file is committed and clean in the index and work tree.
    let status = s.git(&["status", "--porcelain", "--", &path]);
    assert_eq!(status.trim(), "", "{status}");
}

/// The committed blob is what `git add` stores: text stored from memory
/// (under line-ending attributes that leave text without carriage returns
/// alone) and text that goes through Git's filters (it holds `$Id`) alike.
/// Either way `git status` is clean afterwards.
#[test]
fn new_commits_what_git_add_would_store() {
    for (attributes, title) in [(None, "Rydde i arkivet"), (Some("*.md text eol=crlf\n"), "Rydde $Id i arkivet")] {
        let s = Sandbox::portfolio("digdir");
        if let Some(attributes) = attributes {
            s.write(".gitattributes", attributes);
            s.git(&["add", ".gitattributes"]);
            s.git(&["commit", "-q", "-m", "attributes"]);
        }
        let path = new_path(&s, &[title]);
        let committed = s.git(&["rev-parse", &format!("HEAD:{path}")]);
        let added = s.git(&["hash-object", "--path", &path, &path]);
        assert_eq!(committed, added, "{title}");
        assert!(s.git(&["show", &format!("HEAD:{path}")]).contains(title), "{title}");
        assert_eq!(s.git(&["status", "--porcelain"]), "", "{title}");
    }
}

/// Under `core.autocrlf` with `core.safecrlf`, git refuses to add a file
/// whose line endings checkout would change; so does `new`, before any
/// commit, and leaves nothing behind.
#[test]
fn new_refuses_what_safecrlf_refuses_and_changes_nothing() {
    let s = Sandbox::portfolio("digdir");
    s.git(&["config", "core.autocrlf", "true"]);
    s.git(&["config", "core.safecrlf", "true"]);
    let head = s.git(&["rev-parse", "HEAD"]);
    let out = s.run(&["new", "Ny tjeneste"]);
    assert_eq!(out.status.code(), Some(2), "{}", texts(&out).1);
    assert!(texts(&out).1.contains("LF would be replaced by CRLF"), "{}", texts(&out).1);
    assert_eq!(s.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(s.git(&["status", "--porcelain"]), "");
}

#[test]
fn new_no_commit_creates_no_commit() {
    let s = Sandbox::portfolio("digdir");
    let refs = s.git(&["show-ref", "--head"]);
    let index = s.git(&["ls-files", "--stage"]);
    let path = new_path(&s, &["Y", "--no-commit"]);
    assert_eq!(s.git(&["show-ref", "--head"]), refs, "a ref moved");
    assert_eq!(s.git(&["ls-files", "--stage"]), index, "the index changed");
    let status = s.git(&["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(status.trim(), format!("?? {path}"));
    // The next `new` does not reuse the uncommitted file's ID.
    let next = new_path(&s, &["Z", "--no-commit"]);
    assert!(next.starts_with(&format!("{FIRST}/DD-002")), "{next}");
}

#[test]
fn new_during_a_merge_changes_nothing() {
    let s = Sandbox::portfolio("digdir");
    s.write("notes.txt", "base\n");
    s.git(&["add", "notes.txt"]);
    s.git(&["commit", "-q", "-m", "base"]);
    s.git(&["checkout", "-q", "-b", "other"]);
    s.write("notes.txt", "other\n");
    s.git(&["commit", "-q", "-am", "other"]);
    s.git(&["checkout", "-q", "main"]);
    s.write("notes.txt", "main\n");
    s.git(&["commit", "-q", "-am", "main"]);
    let merge = git_may_fail(&s, &["merge", "other"]);
    assert!(!merge.status.success(), "the merge should conflict");
    assert!(s.path().join(".git/MERGE_HEAD").exists());

    let before = s.snapshot_state();
    let out = run(&s, &["new", "X"]);
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = texts(&out);
    assert!(stderr.contains("merge"), "{stderr}");
    assert!(stdout.trim().is_empty(), "{stdout}");
    assert_eq!(before, s.snapshot_state(), "new changed the repository during a merge");
    assert!(s.path().join(".git/MERGE_HEAD").exists());
}

#[test]
fn next_id_is_free_on_every_branch() {
    let s = Sandbox::portfolio("digdir");
    s.write(&format!("{FIRST}/DD-001-a.md"), minimal("DD-001", "A"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "a"]);

    // DD-005 on a local branch, in a later phase.
    s.git(&["checkout", "-q", "-b", "feature"]);
    s.write("tiltak/2-problem/DD-005-f.md", minimal("DD-005", "F"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "f"]);
    s.git(&["checkout", "-q", "main"]);
    assert!(!s.path().join("tiltak/2-problem/DD-005-f.md").exists());

    let p = new_path(&s, &["B", "--no-commit"]);
    assert!(p.starts_with(&format!("{FIRST}/DD-006-")), "{p}");
    std::fs::remove_file(s.path().join(&p)).expect("rm");

    // DD-009 only on a remote-tracking ref.
    s.git(&["checkout", "-q", "-b", "tmp"]);
    s.write("tiltak/3-konsept/DD-009-r.md", minimal("DD-009", "R"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "r"]);
    let commit = s.git(&["rev-parse", "HEAD"]).trim().to_owned();
    s.git(&["checkout", "-q", "main"]);
    s.git(&["branch", "-q", "-D", "tmp"]);
    s.git(&["update-ref", "refs/remotes/origin/x", &commit]);

    let p = new_path(&s, &["C"]);
    assert!(p.starts_with(&format!("{FIRST}/DD-010-")), "{p}");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");
}

#[test]
fn new_outside_a_git_repository_is_a_clear_error() {
    let s = Sandbox::empty();
    s.write("portfolio.yaml", include_str!("../../src/domain/templates/digdir.yaml"));
    let before = s.snapshot_files();
    for args in [vec!["new", "X"], vec!["new", "X", "--no-commit"]] {
        let out = run(&s, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let (stdout, stderr) = texts(&out);
        assert!(stderr.contains("Git"), "{args:?}: {stderr}");
        assert!(stdout.trim().is_empty(), "{stdout}");
    }
    assert_eq!(before, s.snapshot_files(), "new wrote files outside Git");
    assert!(!s.path().join(".git").exists());
}

// ------------------------------------------------------------ hostile titles

#[test]
fn new_with_escape_sequences_writes_a_safe_file() {
    let s = Sandbox::portfolio("digdir");
    let title = "Evil \u{1b}[31mred\u{1b}[0m \u{1b}]0;evil\u{7} tittel\r\nneste linje";
    let path = new_path(&s, &[title, "--owner", "\u{1b}[2JKari"]);
    let name = path.strip_prefix(&format!("{FIRST}/")).expect("in the first phase");
    assert!(!name.contains('/'), "{path}");
    assert!(name.bytes().all(|b| b.is_ascii_graphic()), "{name:?}");
    let bytes = std::fs::read(s.path().join(&path)).expect("file");
    assert!(!has_esc(&bytes), "ESC written into {path}");
    assert!(!bytes.contains(&0x07) && !bytes.contains(&b'\r'), "control chars written into {path}");
    let out = run(&s, &["check", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
    // The commit message is one clean line as well.
    let msg = s.git(&["log", "-1", "--format=%B"]);
    assert!(!msg.contains('\u{1b}') && msg.trim().lines().count() == 1, "{msg:?}");
}

#[test]
fn hostile_titles_stay_in_the_first_phase_folder() {
    let s = Sandbox::portfolio("digdir");
    let long = "Lang tittel med æøå ".repeat(25); // ~500 characters
    let titles: Vec<String> = vec![
        "../../etc/passwd".into(),
        "..".into(),
        ".".into(),
        "/abs/path".into(),
        "a/b\\c".into(),
        "C:\\Windows\\system32".into(),
        "!!!???...".into(),
        "***".into(),
        long.clone(),
        "x".repeat(500),
        "a: b # c".into(),
        "'quoted'".into(),
        "\"dq".into(),
        "[x]".into(),
        "*alias".into(),
        "&anchor".into(),
        "!tag".into(),
        "%percent".into(),
        "@at".into(),
        "yes".into(),
        "null".into(),
        "123".into(),
        "~".into(),
        "? q".into(),
        "| pipe".into(),
        "> gt".into(),
        "#hash".into(),
        "<!-- kommentar".into(),
        "---".into(),
        "a\\".into(),
        "rtl \u{202e}override".into(),
        "Ærlig østlandsk åker – “sitat” 🚀".into(),
    ];
    let folder = s.path().join(FIRST).canonicalize().expect("folder");
    for (i, title) in titles.iter().enumerate() {
        let before_head = s.git(&["rev-parse", "HEAD"]);
        let path = new_path(&s, &["--", title]);
        let id = format!("DD-{:03}", i + 1);
        let name =
            path.strip_prefix(&format!("{FIRST}/")).unwrap_or_else(|| panic!("{title:?} → {path} is not in {FIRST}"));
        assert!(!name.contains('/') && !name.contains('\\'), "{title:?} → {path}");
        assert!(name.is_ascii(), "{title:?} → {name}");
        assert!(name.starts_with(&id), "{title:?} → {name}, expected {id}");
        assert!(name.ends_with(".md"), "{name}");
        let slug = name[id.len()..name.len() - 3].trim_start_matches('-');
        assert!(slug.len() <= 60, "slug of {} chars: {slug}", slug.len());
        assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains(".."), "{slug}");
        assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{slug}");
        let abs = s.path().join(&path).canonicalize().expect("file exists");
        assert_eq!(abs.parent(), Some(folder.as_path()), "{title:?}");
        // The commit holds exactly that one file.
        let files = s.git(&["show", "--name-only", "--format=", "HEAD"]);
        assert_eq!(lines(&files), vec![path.clone()], "{title:?}");
        assert_eq!(s.git(&["rev-parse", "HEAD~1"]), before_head);
        // The title round-trips through YAML (minus control characters).
        let out = run(&s, &["show", &id, "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{title:?}: {}", texts(&out).1);
        let v: Value = serde_json::from_str(&texts(&out).0).expect("json");
        let expected: String = title.chars().filter(|c| !c.is_control() && *c != '\u{202e}').collect();
        assert_eq!(v["title"], expected.trim(), "title of {id}");
    }
    // Nothing was written anywhere else.
    let status = s.git(&["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(status.trim(), "", "stray files: {status}");
    assert!(!s.path().join("etc").exists());
    // All of it passes check.
    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");
    assert!(errors(&diags).is_empty(), "{diags:?}");
}

/// `new` writes a criteria checklist for the first phase; a title that reads
/// like that checklist's heading must not hide it.
#[test]
fn title_equal_to_the_criteria_heading_does_not_hide_the_checklist() {
    let s = Sandbox::portfolio("digdir");
    new_path(&s, &["Kriterier: Ikke startet"]);
    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");
    assert!(
        diags.is_empty(),
        "what `new` wrote draws findings (the `# <title>` heading is taken for the checklist): {}",
        serde_json::to_string_pretty(&diags).unwrap_or_default()
    );
}

#[test]
fn title_that_sanitises_to_nothing_is_refused_cleanly() {
    let s = Sandbox::portfolio("digdir");
    let before = s.snapshot_state();
    for title in ["", "   ", "\u{1b}[31m\u{7}\t"] {
        let out = run(&s, &["new", "--", title]);
        assert_eq!(out.status.code(), Some(2), "{title:?}");
        assert!(texts(&out).1.contains("error"), "{title:?}");
    }
    assert_eq!(before, s.snapshot_state());
}

// ------------------------------------------------ IDs at the end of the range

#[test]
fn new_refuses_ids_past_the_range_and_changes_nothing() {
    // The highest number a counter holds: the next would wrap to 0.
    let s = Sandbox::portfolio("digdir");
    s.write(&format!("{FIRST}/DD-18446744073709551615-max.md"), minimal("DD-18446744073709551615", "Max"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "max"]);
    let before = s.snapshot_state();
    let out = run(&s, &["new", "Neste"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("leaves no next number"), "{}", texts(&out).1);
    assert!(s.snapshot_state() == before, "new changed the repository");

    // Too many digits to count: refused, not skipped (which would hand out DD-002).
    let s = Sandbox::portfolio("digdir");
    s.write(&format!("{FIRST}/DD-001-a.md"), minimal("DD-001", "A"));
    let huge = "DD-1234567890123456789012345";
    s.write(&format!("{FIRST}/{huge}-x.md"), minimal(huge, "X"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "huge"]);
    let before = s.snapshot_state();
    let out = run(&s, &["new", "Neste"]);
    assert_eq!(out.status.code(), Some(2));
    let err = texts(&out).1;
    assert!(err.contains(&format!("{huge}-x.md")) && err.contains("too large"), "{err}");
    assert!(s.snapshot_state() == before, "new changed the repository");
}
