//! `portfolio list`: one row per tiltak, filtered, as a table, JSON or CSV.

use crate::common::*;

#[test]
fn help_text() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help_list", texts(&s.run(&["list", "--help"])).0);
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
fn unknown_filter_values_are_usage_errors_with_a_suggestion() {
    let s = Sandbox::portfolio("ehelse");
    for (args, said) in [
        (&["list", "--segment", "koordinre"][..], "did you mean \"koordinere\"?"),
        (&["list", "--status", "gren"], "did you mean \"green\"?"),
        (&["list", "--state", "stopet"], "did you mean \"stoppet\"?"),
        (&["list", "--phase", "nope"], "no phase"),
    ] {
        let out = s.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let (stdout, stderr) = texts(&out);
        assert!(stdout.is_empty(), "{args:?} printed a table:\n{stdout}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
    }
    let s = Sandbox::portfolio("digdir");
    let out = s.run(&["list", "--group", "tillitstjeneste"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("did you mean \"Tillitstjenester\"?"), "{}", texts(&out).1);
}

#[test]
fn an_invalid_portfolio_today_is_a_usage_error() {
    let s = Sandbox::portfolio("digdir");
    let out = s.cmd(&["list"]).env("PORTFOLIO_TODAY", "2026-13-01").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = texts(&out).1;
    assert!(err.contains("PORTFOLIO_TODAY") && err.contains("YYYY-MM-DD"), "{err}");
}

#[test]
fn list_table_has_a_segment_column() {
    let out = texts(&in_repo(&["-C", "examples/ehelse", "list"])).0;
    let header = out.lines().nth(1).unwrap_or_default();
    assert!(header.contains("┆ Segment "), "{out}");
    let row = out.lines().find(|l| l.contains("EH-011")).unwrap_or_default();
    assert!(row.contains("┆ observere "), "{out}");
}
