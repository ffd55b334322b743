//! Robustness across commands: hostile input that every reading command must
//! survive without a panic, a hang, a leak or a control character on the
//! terminal, and Git situations that every committing command must refuse
//! cleanly (SPEC §1-4, §6, §8). The hostile input of one command is tested
//! in that command's module.

use std::time::Duration;

use serde_json::Value;

use crate::common::*;
use crate::scenarios::*;
use crate::support::*;

// ------------------------------------------------- alias bomb, amplification

fn alias_bomb(levels: usize) -> String {
    let mut yaml = String::from("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..=levels {
        let refs = vec![format!("*a{}", i - 1); 9].join(",");
        yaml.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    yaml
}

#[test]
fn yaml_alias_bomb_is_an_error_not_a_hang() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-bomb.md");
    s.write(&p, format!("---\nid: DD-001\ntitle: Bomb\ncreated: 2026-01-05\n{}---\n# Bomb\n", alias_bomb(9)));
    let (out, elapsed) = run_timed(&s, &["check", "--format", "json"], FAST);
    let (code, diags) = parse_check(&out);
    assert_eq!(code, 1);
    let bad: Vec<&Value> = errors(&diags).into_iter().filter(|d| d["path"] == p.as_str()).collect();
    assert!(!bad.is_empty(), "alias bomb accepted: {diags:?}");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");

    // `list` and `show` survive it too.
    let (out, _) = run_timed(&s, &["list", "--format", "json"], FAST);
    assert!(out.status.code().is_some_and(|c| c <= 2));
    let (out, _) = run_timed(&s, &["show", "DD-001"], FAST);
    assert!(out.status.code().is_some_and(|c| c <= 2));
}

#[test]
fn yaml_alias_amplification_in_portfolio_yaml_is_contained() {
    let s = Sandbox::portfolio("digdir");
    // Control: the limit itself is no problem for a normal portfolio.
    let (out, _) = run_limited(&s, &["list"], MEMORY_KB, FAST);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);

    // Anchor the portfolio's name and repeat it as the product groups.
    let def = s.read("portfolio.yaml");
    let mut out = String::new();
    let mut in_groups = false;
    for l in def.lines() {
        if in_groups && l.starts_with("  - ") {
            continue;
        }
        in_groups = false;
        if l.starts_with("name:") {
            out.push_str(&format!("name: &n \"{}\"\n", "x".repeat(200_000)));
        } else if l.starts_with("product_groups:") {
            out.push_str(&format!("product_groups: [{}]\n", vec!["*n"; 20_000].join(",")));
            in_groups = true;
        } else {
            out.push_str(l);
            out.push('\n');
        }
    }
    assert!(out.contains("product_groups: [*n"), "template changed: no product_groups");
    s.write("portfolio.yaml", out);
    for args in [vec!["check"], vec!["list"]] {
        let (out, _) = run_limited(&s, &args, MEMORY_KB, FAST);
        let code = out.status.code().expect("exit code");
        assert!(code == 1 || code == 2, "{args:?}: exit {code}");
    }
}

// ------------------------------------------------ nesting, many keys

/// How long one command over one 200 KB hostile file may take here. The
/// parser alone took 30 to 80 seconds on such nesting, and a location lookup
/// per key 50 seconds on 200 KB of keys; linear work takes well under one.
const LINEAR: Duration = Duration::from_secs(8);

#[test]
fn deeply_nested_yaml_is_refused_fast_with_a_short_excerpt() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-deep.md");
    let shapes = [
        format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
        format!("a: {}1{}\n", "{a: ".repeat(40_000), "}".repeat(40_000)),
        format!("a: {}\n", "[".repeat(200_000)),
    ];
    for yaml in &shapes {
        s.write(&p, format!("---\nid: DD-001\ntitle: Deep\ncreated: 2026-01-05\n{yaml}---\n# Deep\n"));
        for args in [&["check"][..], &["list"], &["report"]] {
            let before = s.snapshot_state();
            let (out, elapsed) = run_timed(&s, args, FAST);
            assert!(elapsed < LINEAR, "{args:?} took {elapsed:?}");
            assert!(s.snapshot_state() == before, "{args:?} changed the repository");
            if args[0] == "check" {
                assert_eq!(out.status.code(), Some(1));
                let err = texts(&out).1;
                assert!(err.contains("nests deeper than 64 levels"), "{err}");
                assert!(err.contains(&format!("{p}:5:")), "{err}");
                // The 200 KB line is cut around the column, not printed whole.
                let longest = err.lines().map(|l| l.chars().count()).max().unwrap_or(0);
                assert!(longest < 200, "a line of {longest} characters");
                assert!(err.contains('…'), "{err}");
            }
        }
    }
    // The same in portfolio.yaml: refused with its location, fast.
    std::fs::remove_file(s.path().join(&p)).expect("rm");
    let def = s.read("portfolio.yaml");
    s.write("portfolio.yaml", format!("{def}extra: {}\n", "[".repeat(200_000)));
    let (out, elapsed) = run_timed(&s, &["check"], FAST);
    assert!(elapsed < LINEAR, "took {elapsed:?}");
    assert_eq!(out.status.code(), Some(1));
    let err = texts(&out).1;
    let line = def.lines().count() + 1;
    assert!(err.contains(&format!("portfolio.yaml:{line}:")) && err.contains("nests deeper"), "{err}");
}

#[test]
fn many_keys_cost_linear_time() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-keys.md");
    let keys: String = (0..20_000).map(|i| format!("k{i}: {i}\n")).collect();
    let sub: String = (0..20_000).map(|i| format!("  k{i}: 1\n")).collect();
    for yaml in [keys, format!("status:\n{sub}")] {
        assert!(yaml.len() > 150_000);
        s.write(&p, format!("---\nid: DD-001\ntitle: Keys\ncreated: 2026-01-05\n{yaml}---\n# Keys\n"));
        let (out, elapsed) = run_timed(&s, &["check"], FAST);
        assert!(elapsed < LINEAR, "took {elapsed:?}");
        assert_eq!(out.status.code(), Some(0));
        // Fifty are shown, the rest counted.
        let err = texts(&out).1;
        assert_eq!(err.matches("warning[P101]").count(), 51, "{}", &err[..err.len().min(2000)]);
        assert!(err.contains("19950 more unknown keys"), "{err}");
    }
}

// ------------------------------------------------------- control characters

#[test]
fn escape_sequences_in_titles_never_reach_the_terminal() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-evil.md");
    // YAML escapes produce real ESC, BEL, CR and LF characters in the value.
    s.write(
        &p,
        "---\nid: DD-001\ntitle: \"Evil \\e[31mred\\e[0m \\e]0;evil\\a end\\rX\\nY \\x07\\x08\"\nowner: \"\\e[2J\\e[HOwner\"\ncreated: 2026-01-05\nstatus: { level: red, reason: \"\\e]8;;http://evil\\e\\\\link\\e]8;;\\e\\\\\" }\n---\n# Evil\n",
    );
    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");

    // Terminal output: no ESC, no BEL, no CR.
    for args in [
        vec!["list"],
        vec!["list", "--color", "never"],
        vec!["show", "DD-001"],
        vec!["show", "DD-001", "--color", "never"],
        vec!["check"],
    ] {
        let out = run(&s, &args);
        assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}");
        for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            assert!(!has_esc(bytes), "ESC in {name} of {args:?}:\n{:?}", String::from_utf8_lossy(bytes));
            assert!(!bytes.contains(&0x07), "BEL in {name} of {args:?}");
            assert!(!bytes.contains(&b'\r'), "CR in {name} of {args:?}");
        }
    }
    let out = run(&s, &["show", "DD-001"]);
    let (stdout, _) = texts(&out);
    assert!(stdout.contains("Evil red"), "title lost entirely:\n{stdout}");
    assert!(!stdout.contains("evil\u{7}"), "{stdout}");
    // The OSC title payload is dropped, not shown.
    assert!(!stdout.contains("0;evil"), "{stdout}");

    // JSON keeps the data, escaped (no raw ESC byte).
    let out = run(&s, &["show", "DD-001", "--format", "json"]);
    assert!(!has_esc(&out.stdout));
    let v: Value = serde_json::from_str(&texts(&out).0).expect("json");
    assert!(v["title"].as_str().unwrap_or("").contains('\u{1b}'));
}

// -------------------------------------------------------------------- links

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_repository_are_not_followed() {
    let s = Sandbox::portfolio("digdir");
    let outside = tempfile::tempdir().expect("tmp");
    let secret = "TOPSECRET-b9d1f0";
    let target = outside.path().join("DD-002-secret.md");
    std::fs::write(
        &target,
        format!("---\nid: DD-002\ntitle: {secret}\ncreated: 2026-01-05\nowner: {secret}\ndependencies: [{secret}]\n---\n# {secret}\n"),
    )
    .expect("write");
    std::fs::write(outside.path().join("DD-003-x.md"), minimal("DD-003", secret)).expect("write");

    let link = s.path().join("tiltak/2-problem/DD-002-secret.md");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let passwd = s.path().join("tiltak/3-konsept/DD-004-passwd.md");
    std::os::unix::fs::symlink("/etc/passwd", &passwd).expect("symlink");
    // A whole phase folder that is a link out of the repository.
    std::fs::remove_dir_all(s.path().join("tiltak/4-planlegging")).expect("rm");
    std::os::unix::fs::symlink(outside.path(), s.path().join("tiltak/4-planlegging")).expect("symlink");
    s.write(&format!("{FIRST}/DD-001-real.md"), minimal("DD-001", "Real"));

    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");
    for p in ["tiltak/2-problem/DD-002-secret.md", "tiltak/3-konsept/DD-004-passwd.md", "tiltak/4-planlegging"] {
        let d = one(&diags, "P108", p);
        assert_eq!(d["severity"], "warning");
    }
    let all = serde_json::to_string(&diags).expect("json");
    assert!(!all.contains(secret) && !all.contains("root:"), "{all}");

    for args in [
        vec!["check"],
        vec!["check", "--format", "github"],
        vec!["list"],
        vec!["list", "--format", "json"],
        vec!["list", "--format", "csv"],
        vec!["show", "DD-001", "--format", "json"],
    ] {
        let out = run(&s, &args);
        let (stdout, stderr) = texts(&out);
        for text in [&stdout, &stderr] {
            assert!(!text.contains(secret), "{args:?} leaked the link target:\n{text}");
            assert!(!text.contains("root:x:"), "{args:?} leaked /etc/passwd:\n{text}");
        }
    }
    // The linked tiltak is not a tiltak of this portfolio.
    for id in ["DD-002", "DD-003", "DD-004"] {
        let out = run(&s, &["show", id]);
        assert_eq!(out.status.code(), Some(2), "show {id} found a linked file");
        let (stdout, stderr) = texts(&out);
        assert!(!stdout.contains(secret) && !stderr.contains(secret));
    }
    // The target is untouched.
    assert!(std::fs::read_to_string(&target).expect("read").contains(secret));
}

// ------------------------------------------------ no repo, no portfolio

#[test]
fn no_portfolio_yaml_suggests_init() {
    let s = Sandbox::repo();
    for args in
        [vec!["new", "X"], vec!["list"], vec!["show", "DD-001"], vec!["check"], vec!["check", "--format", "json"]]
    {
        let out = run(&s, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let (_, stderr) = texts(&out);
        assert!(stderr.contains("portfolio init"), "{args:?}: {stderr}");
        assert!(stderr.contains("portfolio.yaml"), "{args:?}: {stderr}");
    }
    let empty = Sandbox::empty();
    let out = run(&empty, &["list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("portfolio init"));
}

// ------------------------------------------- no committed portfolio.yaml

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

// Symbolic links out of the repository: nothing is written through one, and
// `check` says when the tiltak folder itself is one.
#[cfg(unix)]
#[test]
fn no_command_writes_through_a_symlinked_phase_folder() {
    let outside = tempfile::tempdir().expect("outside");
    let s = messy(READY);
    // The target phase folder is a link to a folder outside the repository.
    std::fs::remove_dir_all(s.path().join("tiltak/2-problem")).expect("rm");
    std::os::unix::fs::symlink(outside.path(), s.path().join("tiltak/2-problem")).expect("symlink");
    let before = s.snapshot_state();
    let out = s.run(&["advance", "DD-001"]);
    assert_eq!(out.status.code(), Some(2), "{}", texts(&out).1);
    assert!(texts(&out).1.contains("symbolic link"), "{}", texts(&out).1);
    assert!(s.snapshot_state() == before, "advance changed the repository");
    assert_eq!(std::fs::read_dir(outside.path()).expect("ls").count(), 0, "a file was written outside");

    // `new` into a symlinked first phase folder.
    let s = Sandbox::portfolio("digdir");
    std::fs::remove_dir_all(s.path().join("tiltak/1-ikke-startet")).expect("rm");
    std::os::unix::fs::symlink(outside.path(), s.path().join("tiltak/1-ikke-startet")).expect("symlink");
    let before = s.snapshot_state();
    let out = s.run(&["new", "Gjennom lenken"]);
    assert_eq!(out.status.code(), Some(2), "{}", texts(&out).1);
    assert!(s.snapshot_state() == before);
    assert_eq!(std::fs::read_dir(outside.path()).expect("ls").count(), 0, "a file was written outside");
}

#[cfg(unix)]
#[test]
fn check_reports_a_symlinked_tiltak_folder() {
    let outside = tempfile::tempdir().expect("outside");
    let s = Sandbox::portfolio("digdir");
    std::fs::rename(s.path().join("tiltak"), outside.path().join("tiltak")).expect("mv");
    std::os::unix::fs::symlink(outside.path().join("tiltak"), s.path().join("tiltak")).expect("symlink");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let d = one(&diags, "P108", "tiltak");
    assert_eq!(d["severity"], "error");
}

#[test]
fn an_ambiguous_id_is_refused_by_show_and_hold() {
    let s = Sandbox::portfolio("digdir");
    s.write("tiltak/1-ikke-startet/DD-001-a.md", "---\nid: DD-001\ntitle: A\ncreated: 2026-01-05\n---\n");
    s.write("tiltak/2-problem/DD-001-b.md", "---\nid: DD-001\ntitle: B\ncreated: 2026-01-05\n---\n");
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "two DD-001"]);
    let before = s.snapshot_state();
    for args in [&["show", "DD-001"][..], &["hold", "DD-001", "--reason", "x"], &["advance", "DD-001"]] {
        let out = s.run(args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        let err = texts(&out).1;
        assert!(err.contains("DD-001-a.md") && err.contains("DD-001-b.md"), "{args:?} names both files:\n{err}");
    }
    assert!(s.snapshot_state() == before, "nothing committed");
}

#[test]
fn new_edit_never_commits_a_broken_file_and_keeps_what_was_written() {
    let s = Sandbox::portfolio("digdir");
    let editor = s.write("editor.sh", "#!/bin/sh\nprintf -- '---\\nid: [broken\\n---\\n' > \"$1\"\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    s.git(&["add", "editor.sh"]);
    s.git(&["commit", "-qm", "editor"]);
    let head = s.git(&["rev-parse", "HEAD"]);
    let out = s.cmd(&["new", "Redigert", "--edit"]).env("VISUAL", &editor).output().expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", texts(&out).1);
    assert_eq!(s.git(&["rev-parse", "HEAD"]), head, "nothing committed");
    assert!(s.read("tiltak/1-ikke-startet/DD-001-redigert.md").contains("[broken"), "the edit is kept");
}

#[test]
fn a_failed_init_leaves_nothing_behind() {
    let s = Sandbox::empty();
    s.write("tiltak/3-konsept", "a file where a phase folder belongs\n");
    let out = s.run(&["init"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!s.path().join(".git").exists(), "no repository was made");
    assert!(!s.path().join("tiltak/1-ikke-startet").exists(), "no folder was made");
    assert!(!s.path().join("portfolio.yaml").exists());
    // A Git folder is no place for a portfolio.
    let s = Sandbox::repo();
    let out = s.run(&["-C", ".git", "init"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!s.path().join(".git/portfolio.yaml").exists());
}

#[test]
fn a_tiltak_folder_inside_git_is_refused() {
    let s = Sandbox::portfolio("digdir");
    let yaml = s.read("portfolio.yaml").replace("tiltak_dir: tiltak", "tiltak_dir: .git");
    s.write("portfolio.yaml", yaml);
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    assert!(
        diags.iter().any(|d| d["code"] == "P030" && d["message"].as_str().is_some_and(|m| m.contains("tiltak_dir")))
    );
}
