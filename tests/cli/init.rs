//! `portfolio init`: a portfolio.yaml from a built-in template and one folder
//! per phase; `git init` when needed; never overwrites.

use crate::common::*;
use crate::support::*;

#[test]
fn help_text() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help_init", texts(&s.run(&["init", "--help"])).0);
}

#[test]
fn init_new_check_round_trip() {
    for template in ["digdir", "ehelse"] {
        let s = Sandbox::repo();
        s.ok(&["init", "--template", template, "--name", "Testporteføljen"]);
        assert!(s.read("portfolio.yaml").contains("name: Testporteføljen"));
        // As init's "Next:" says: commit the definition first.
        s.git(&["add", "portfolio.yaml", "tiltak"]);
        s.git(&["commit", "-qm", "Start the portfolio"]);
        let path = s.ok(&["new", "Felles samtykkeløsning", "--owner", "Kari Nordmann"]);
        let path = path.trim();
        assert!(path.ends_with("-001-felles-samtykkelosning.md"), "{path}");
        assert_eq!(
            s.git(&["log", "-1", "--format=%s"]).trim(),
            format!("{}-001: Felles samtykkeløsning", if template == "digdir" { "new DD" } else { "new EH" })
        );
        assert_eq!(s.git(&["show", "--name-only", "--format=", "HEAD"]).trim(), path);
        let out = s.run(&["check", "--strict"]);
        assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
        let second = s.ok(&["new", "Neste tiltak"]);
        assert!(second.contains("-002-neste-tiltak.md"), "{second}");
    }
}

#[test]
fn examples_use_the_built_in_templates_verbatim() {
    // The examples exercise exactly what `portfolio init` writes.
    for (example, template) in [
        ("digdir", portfolio::domain::process::Template::Digdir),
        ("ehelse", portfolio::domain::process::Template::Ehelse),
    ] {
        let text =
            std::fs::read_to_string(repo_root().join("examples").join(example).join("portfolio.yaml")).expect("read");
        assert!(text == template.text(), "examples/{example}/portfolio.yaml differs from the built-in template");
    }
}

#[test]
fn init_refuses_to_overwrite() {
    for template in ["digdir", "ehelse"] {
        let s = Sandbox::portfolio("digdir");
        s.write("portfolio.yaml", "# my own, hand-edited\nname: Mine\n");
        let before = s.snapshot_state();
        let out = run(&s, &["init", "--template", template]);
        assert_eq!(out.status.code(), Some(2));
        assert!(texts(&out).1.contains("portfolio.yaml"), "{}", texts(&out).1);
        assert_eq!(before, s.snapshot_state(), "init changed something");
    }
    // A subfolder of a portfolio: it may create a nested one or refuse, but
    // must never touch the outer portfolio.yaml.
    let s = Sandbox::portfolio("digdir");
    let outer = s.read("portfolio.yaml");
    std::fs::create_dir_all(s.path().join("sub")).expect("mkdir");
    let out = run(&s, &["-C", "sub", "init"]);
    assert!(out.status.code().is_some_and(|c| c == 0 || c == 2));
    assert_eq!(outer, s.read("portfolio.yaml"));
}

#[test]
fn init_outside_git_runs_git_init_and_new_passes_check() {
    for (template, first) in [("digdir", FIRST), ("ehelse", "tiltak/1-ide")] {
        let s = Sandbox::empty();
        let out = run(&s, &["init", "--template", template]);
        assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
        assert!(s.path().join(".git").is_dir(), "no git init");
        assert!(s.path().join("portfolio.yaml").is_file());
        let (code, diags) = check_json(&s);
        assert_eq!((code, diags.len()), (0, 0), "{template}: {diags:?}");

        // `new` waits for the definition to be committed, as init's "Next:" says.
        assert_eq!(run(&s, &["new", "Første tiltak"]).status.code(), Some(2));
        s.git(&["add", "portfolio.yaml", "tiltak"]);
        s.git(&["commit", "-qm", "Start the portfolio"]);
        let path = new_path(&s, &["Første tiltak", "--owner", "Kari Nordmann"]);
        assert!(path.starts_with(&format!("{first}/")), "{path}");
        assert_eq!(s.git(&["rev-list", "--count", "HEAD"]).trim(), "2");
        let path2 = new_path(&s, &["Andre tiltak", "--priority", "must"]);
        assert_ne!(path, path2);
        let (code, diags) = check_json(&s);
        assert_eq!(code, 0, "{template}: {diags:?}");
        assert!(diags.is_empty(), "{template}: {diags:?}");
        let out = run(&s, &["check", "--strict"]);
        assert_eq!(out.status.code(), Some(0), "{template}: {}", texts(&out).1);
    }
}
