//! The commands as a user sees them: help, `check` output, tables. Snapshots
//! make every change to human-facing output deliberate.

mod common;

use common::*;

#[test]
fn help_texts() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help", texts(&s.run(&["--help"])).0);
    for cmd in ["init", "new", "list", "show", "advance", "hold", "check", "schema"] {
        insta::assert_snapshot!(format!("help_{cmd}"), texts(&s.run(&[cmd, "--help"])).0);
    }
}

#[test]
fn examples_pass_check() {
    for example in ["examples/digdir", "examples/ehelse"] {
        let out = in_repo(&["-C", example, "check"]);
        let (_, err) = texts(&out);
        assert_eq!(out.status.code(), Some(0), "{example}:\n{err}");
        assert!(!err.contains("error["), "{example}:\n{err}");
    }
}

#[test]
fn digdir_example_has_every_phase_and_the_paused_study() {
    let out = in_repo(&["-C", "examples/digdir", "list", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows = rows.as_array().expect("array");
    assert!(rows.len() >= 15, "{} tiltak", rows.len());
    for phase in ["Ikke startet", "Problem", "Konsept", "Planlegging", "Implementering", "Utført"] {
        assert!(rows.iter().any(|r| r["phase"] == phase), "no tiltak in {phase}");
    }
    let paused = rows
        .iter()
        .find(|r| r["title"].as_str().is_some_and(|t| t.contains("Helhetlig informasjon for digital assistanse")))
        .expect("the paused study is in the example");
    assert_eq!(paused["phase"], "Konsept");
    assert_eq!(paused["state"], "on_hold");
}

#[test]
fn list_tables_of_the_examples() {
    insta::assert_snapshot!("list_digdir", texts(&in_repo(&["-C", "examples/digdir", "list"])).0);
    insta::assert_snapshot!(
        "list_ehelse_red",
        texts(&in_repo(&["-C", "examples/ehelse", "list", "--status", "rød"])).0
    );
}

#[test]
fn show_explains_each_criterion() {
    let out = texts(&in_repo(&["-C", "examples/digdir", "show", "dd-014"])).0;
    // The history depends on this repository's own commits; gates.rs tests it.
    let start = out.find("History:").expect("history section");
    let end = out[start..].find("\n\n").map_or(out.len(), |i| start + i);
    let out = format!("{}History: [this repository's commits]{}", &out[..start], &out[end..]);
    insta::assert_snapshot!("show_dd014", out);
}

#[test]
fn check_reports_every_problem_like_rustc() {
    let s = Sandbox::portfolio("digdir");
    s.write(
        "tiltak/2-problem/DD-001-samtykke.md",
        "---\nid: DD-001\ntitle: Samtykke\ncreated: 2026-01-05\nownr: Kari\npriority: urgent\nstatus:\n  level: gul\n  updated: 2026-11-01\ndependencies: [DD-099]\n---\n# Samtykke\n\n## Kriterier: Problem\n\n- [x] Problembeskrivelse er etablert.\n- [x] Prioritering er angitt (f.eks. MoSCoW). — ikke relevant:\n",
    );
    s.write("tiltak/3-konsept/DD-002-x.md", "---\nid: DD-002\ntitle: [unclosed\n---\n");
    let out = s.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let (stdout, stderr) = texts(&out);
    assert_eq!(stdout, "");
    insta::assert_snapshot!("check_text", stderr);

    let json = texts(&s.run(&["check", "--format", "json"])).0;
    insta::assert_snapshot!("check_json", json);
    let github = texts(&s.run(&["check", "--format", "github"])).0;
    insta::assert_snapshot!("check_github", github);
}

#[test]
fn check_only_given_paths() {
    let s = Sandbox::portfolio("digdir");
    s.write("tiltak/1-ikke-startet/DD-001-a.md", "---\nid: DD-001\ntitle: A\ncreated: 2026-01-05\n---\n");
    s.write("tiltak/1-ikke-startet/DD-002-b.md", "---\nid: DD-002\ntitle: B\ncreated: nope\n---\n");
    let out = s.run(&["check", "tiltak/1-ikke-startet/DD-001-a.md", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v.as_array().expect("array").iter().all(|d| d["path"] == "tiltak/1-ikke-startet/DD-001-a.md"));
    assert_eq!(s.run(&["check"]).status.code(), Some(1));
}

#[test]
fn strict_makes_warnings_fail() {
    let s = Sandbox::portfolio("digdir");
    s.write("tiltak/1-ikke-startet/DD-001-a.md", "---\nid: DD-001\ntitle: A\ncreated: 2026-01-05\nownr: x\n---\n");
    assert_eq!(s.run(&["check"]).status.code(), Some(0));
    assert_eq!(s.run(&["check", "--strict"]).status.code(), Some(1));
}

#[test]
fn malformed_portfolio_yaml_is_reported_with_location() {
    let s = Sandbox::repo();
    s.write("portfolio.yaml", "name: X\nid_prefix: DD\nphases:\n  - id: a\n    name: A\n    folder: a\n    criteria:\n      - id: c\n        text: T\n        check: { feild: owner }\n");
    let out = s.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v[0]["code"], "P030");
    assert_eq!(v[0]["path"], "portfolio.yaml");
    assert_eq!(v[0]["line"], 10);
    assert!(v[0]["message"].as_str().expect("message").contains("feild"));
    // Other commands refuse with exit 2 and the same location.
    let out = s.run(&["list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("portfolio.yaml:10:"), "{}", texts(&out).1);
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

#[test]
fn schema_has_this_portfolios_values() {
    let s = Sandbox::portfolio("ehelse");
    let v: serde_json::Value = serde_json::from_str(&s.ok(&["schema"])).expect("json");
    assert_eq!(v["properties"]["segment"]["enum"], serde_json::json!(["observere", "koordinere", "samstyre"]));
    assert_eq!(v["properties"]["sdgs"]["items"]["enum"], serde_json::json!([3, 9, 10, 17]));
    assert_eq!(v["properties"]["id"]["pattern"], "^EH-[0-9]+$");
}

#[test]
fn completions_for_bash() {
    let out = Sandbox::empty().ok(&["completions", "bash"]);
    assert!(out.contains("_portfolio()"), "{out}");
    assert!(out.contains("check") && out.contains("--strict"));
    assert!(out.contains("--template"));
}

#[test]
fn list_filters_and_formats() {
    let out = in_repo(&["-C", "examples/digdir", "list", "--phase", "konsept", "--format", "csv"]);
    let csv = String::from_utf8_lossy(&out.stdout);
    let mut lines = csv.lines();
    assert!(lines.next().expect("header").starts_with("id,title,phase"));
    assert!(lines.all(|l| l.contains(",Konsept,")), "{csv}");
    let out = in_repo(&["-C", "examples/digdir", "list", "--phase", "nope"]);
    assert_eq!(out.status.code(), Some(2));
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
