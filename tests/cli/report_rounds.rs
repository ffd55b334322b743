//! `report` and reporting rounds (SPEC §9): `--round`, the latest closed
//! round as the default `--since`, and who has not reported in the open
//! round in the data-quality section.

use serde_json::Value;

use crate::common::*;
use crate::scenarios::*;

/// Set a tiltak's status (level and day assessed) and commit it on `date`.
fn status(s: &Sandbox, date: &str, id: &str, level: &str, updated: &str) {
    let path = path_of(s, id);
    let text = s.read(&path);
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    match lines.iter().position(|l| l == "status:") {
        Some(i) => {
            lines[i + 1] = format!("  level: {level}");
            lines[i + 2] = format!("  updated: {updated}");
        }
        None => {
            let i = lines.iter().position(|l| l.starts_with("title:")).expect("a title");
            lines.insert(i, format!("status:\n  level: {level}\n  updated: {updated}"));
        }
    }
    s.write(&path, lines.join("\n") + "\n");
    git_at(s, date, &["commit", "-qam", &format!("{id}: status {level}")]);
}

fn organization(s: &Sandbox, id: &str, org: &str) {
    let path = path_of(s, id);
    s.write(&path, s.read(&path).replacen("title:", &format!("organization: {org}\ntitle:"), 1));
}

/// Three rounds: 2026-T1 and 2026-T2 closed, 2026-T3 open.
/// - 2026-01-15: DD-001 … DD-004 proposed
/// - T1 (02-01 – 03-01): everyone reports green on 02-10; closed 03-05
/// - 2026-04-01: DD-002 turns yellow; 04-20: DD-005 proposed
/// - T2 (05-01 – 06-01): DD-001 … DD-004 report on 05-10; closed 06-05
/// - 2026-06-10: DD-003 turns red
/// - T3 (08-15 – 09-15): DD-001 reports early in the round (08-16), DD-002
///   late (09-18), DD-005 before it opened (08-10: does not count), DD-003
///   not at all; DD-004 is on hold from 09-01
fn three_rounds() -> Sandbox {
    let s = Sandbox::repo();
    at(&s, "2026-01-10", &["init"]);
    git_at(&s, "2026-01-10", &["add", "-A"]);
    git_at(&s, "2026-01-10", &["commit", "-qm", "init portfolio"]);
    for (title, owner) in [("Samtykke", "Kari"), ("Innlogging", "Per"), ("Datadeling", "Kari"), ("Arkiv", "Siri")] {
        at(&s, "2026-01-15", &["new", title, "--owner", owner]);
    }
    for (id, org) in [("DD-001", "Digdir"), ("DD-002", "NAV"), ("DD-003", "Digdir"), ("DD-004", "Skatteetaten")] {
        organization(&s, id, org);
    }
    git_at(&s, "2026-01-16", &["commit", "-qam", "organizations"]);

    at(&s, "2026-01-20", &["round", "open", "2026-T1", "--opens", "2026-02-01", "--due", "2026-03-01"]);
    for id in ["DD-001", "DD-002", "DD-003", "DD-004"] {
        status(&s, "2026-02-10", id, "green", "2026-02-10");
    }
    at(&s, "2026-03-05", &["round", "close", "2026-T1"]);

    status(&s, "2026-04-01", "DD-002", "yellow", "2026-04-01");
    at(&s, "2026-04-20", &["new", "Meldingsboks", "--owner", "Ola"]);
    organization(&s, "DD-005", "KS");
    git_at(&s, "2026-04-20", &["commit", "-qam", "DD-005: organization"]);

    at(&s, "2026-04-25", &["round", "open", "2026-T2", "--opens", "2026-05-01", "--due", "2026-06-01"]);
    for (id, level) in [("DD-001", "green"), ("DD-002", "yellow"), ("DD-003", "green"), ("DD-004", "green")] {
        status(&s, "2026-05-10", id, level, "2026-05-10");
    }
    at(&s, "2026-06-05", &["round", "close", "2026-T2"]);
    status(&s, "2026-06-10", "DD-003", "red", "2026-06-10");

    at(&s, "2026-08-01", &["round", "open", "2026-T3", "--opens", "2026-08-15", "--due", "2026-09-15"]);
    status(&s, "2026-08-10", "DD-005", "green", "2026-08-10");
    status(&s, "2026-08-16", "DD-001", "green", "2026-08-16");
    at(&s, "2026-09-01", &["hold", "DD-004", "--reason", "Venter på budsjett"]);
    status(&s, "2026-09-18", "DD-002", "yellow", "2026-09-18");
    s
}

fn not_reported(v: &Value) -> Vec<(String, i64)> {
    v["data_quality"]["not_reported"]["tiltak"]
        .as_array()
        .expect("a list of who has not reported")
        .iter()
        .map(|t| (t["id"].as_str().expect("id").to_owned(), t["days_left"].as_i64().expect("days")))
        .collect()
}

#[test]
fn a_rounds_report_compares_with_the_round_before() {
    let s = three_rounds();
    let by_round = json(&s, &["--round", "2026-T2"]);
    let by_hand = json(&s, &["--at", "round/2026-T2", "--since", "round/2026-T1"]);
    assert_eq!(by_round, by_hand, "--round T2 is --at round/T2 --since round/T1");
    // And a report of the tag compares with the round before it by itself.
    assert_eq!(json(&s, &["--at", "round/2026-T2"]), by_round);

    assert_eq!(by_round["as_of"]["round"], "2026-T2");
    assert_eq!(by_round["as_of"]["date"], "2026-05-10", "the tagged commit's day");
    assert_eq!(by_round["since"]["requested"], "round/2026-T1");
    assert_eq!(by_round["since"]["round"], "2026-T1");
    assert_eq!(by_round["since"]["commit"]["date"], "2026-02-10");
    let changes = &by_round["changes"];
    assert_eq!(ids(&changes["new"]), ["DD-005"]);
    assert_eq!(ids(&changes["status_changes"]), ["DD-002"]);
    assert_eq!(by_round["status"]["overall"]["previous_status"]["green"], 4);
    assert!(by_round.get("first_round").is_none() && by_round["as_of"].get("first_round").is_none());
    // No round is open on the day T2 closed: nobody owes a report.
    assert!(by_round["data_quality"].get("not_reported").is_none(), "{}", by_round["data_quality"]);

    let md = s.ok(&["report", "--round", "2026-T2", "--format", "markdown"]);
    assert!(md.contains("runde 2026-T1"), "the header names the round compared with:\n{md}");
}

#[test]
fn the_first_round_has_no_earlier_round() {
    let s = three_rounds();
    let v = json(&s, &["--round", "2026-T1"]);
    assert_eq!(v["since"], Value::Null);
    assert_eq!(v["changes"], Value::Null);
    assert_eq!(v["as_of"]["round"], "2026-T1");
    assert_eq!(v["as_of"]["first_round"], true);
    let md = s.ok(&["report", "--round", "2026-t1", "--format", "markdown"]);
    assert!(md.contains("Ingen tidligere rapporteringsrunde er lukket"), "{md}");
    assert!(!md.contains("Bruk --since"), "{md}");
    let en = s.ok(&["report", "--round", "2026-T1", "--lang", "en"]);
    assert!(en.contains("No earlier reporting round is closed"), "{en}");
}

#[test]
fn a_report_without_since_compares_with_the_latest_closed_round() {
    let s = three_rounds();
    let head = json(&s, &[]);
    assert_eq!(head["since"]["requested"], "round/2026-T2");
    assert_eq!(head["since"]["round"], "2026-T2");
    assert_eq!(head["since"]["commit"]["date"], "2026-05-10");
    assert!(head["as_of"].get("round").is_none(), "HEAD is no round's tag");
    assert_eq!(ids(&head["changes"]["status_changes"]), ["DD-003", "DD-005"], "only what changed since T2 closed");
    let after = json(&s, &["--at", "2026-06-10"]);
    assert_eq!(after["since"]["round"], "2026-T2");
    let between = json(&s, &["--at", "2026-04-20"]);
    assert_eq!(between["since"]["round"], "2026-T1", "before T2 closed, T1 is the latest");
    // Before any round closed: no comparison, as without rounds.
    let before = json(&s, &["--at", "2026-02-09"]);
    assert_eq!(before["since"], Value::Null);
    assert!(before["as_of"].get("round").is_none());
    // --since still names another round.
    assert_eq!(json(&s, &["--since", "round/2026-T1"])["since"]["round"], "2026-T1");
    assert_eq!(json(&s, &["--since", "2026-01-01"])["since"].get("round"), None);

    let table = s.ok(&["report"]);
    assert!(table.contains("Endringer siden runde 2026-T2"), "{table}");
}

#[test]
fn data_quality_names_who_has_not_reported_in_the_open_round() {
    let s = three_rounds();
    // During T3: DD-002 has not reported yet, DD-003 and DD-005 (too early) neither.
    let during = json(&s, &["--at", "2026-09-10"]);
    let n = &during["data_quality"]["not_reported"];
    assert_eq!(n["round"], "2026-T3");
    assert_eq!(n["opens"], "2026-08-15");
    assert_eq!(n["due"], "2026-09-15");
    assert_eq!(not_reported(&during), [("DD-002".into(), 5), ("DD-003".into(), 5), ("DD-005".into(), 5)]);
    assert_eq!(n["tiltak"][1]["owner"], "Kari");
    assert_eq!(n["tiltak"][1]["organization"], "Digdir");
    assert_eq!(n["tiltak"][1]["title"], "Datadeling");
    // Today: DD-002 reported late, which is a report; DD-004 is on hold.
    let now = json(&s, &[]);
    assert_eq!(not_reported(&now), [("DD-003".into(), -69), ("DD-005".into(), -69)]);
    // The same as `round --missing` says.
    let round: Value = serde_json::from_str(&s.ok(&["round", "--format", "json"])).expect("JSON");
    assert_eq!(round["counts"]["missing"], 2);
    let md = s.ok(&["report", "--format", "markdown"]);
    let quality = md.split("Datakvalitet").nth(1).expect("a data-quality section");
    let heading = "Ikke rapportert i runde 2026-T3 (2, frist 2026-09-15)";
    assert!(quality.contains(heading), "{quality}");
    let quality = quality.split(heading).nth(1).and_then(|q| q.split("Valideringsfunn").next()).unwrap_or("");
    for row in
        ["| DD-003 | Datadeling | Kari | Digdir | 69 dager over fristen |", "| DD-005 | Meldingsboks | Ola | KS |"]
    {
        assert!(quality.contains(row), "{row} in:\n{quality}");
    }
    for absent in ["| DD-001 |", "| DD-002 |", "| DD-004 |"] {
        assert!(!quality.contains(absent), "{absent}:\n{quality}");
    }
    let en = s.ok(&["report", "--format", "markdown", "--lang", "en", "--at", "2026-09-10"]);
    assert!(en.contains("Not reported in round 2026-T3 (3, due 2026-09-15)"), "{en}");
    assert!(en.contains("5 days left"), "{en}");
    // After T3 closes, no round is open.
    at(&s, "2026-11-23", &["round", "close", "2026-T3"]);
    let closed = json(&s, &[]);
    assert!(closed["data_quality"].get("not_reported").is_none());
    assert_eq!(closed["as_of"]["round"], "2026-T3");
    assert_eq!(closed["since"]["round"], "2026-T2", "HEAD is T3's tag: T3's report");
}

#[test]
fn round_usage_errors() {
    let s = three_rounds();
    let out = s.run(&["report", "--round", "2026-T4"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no round \"2026-T4\"") && err.contains("did you mean"), "{err}");
    let out = s.run(&["report", "--round", "2026-T3"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not closed yet") && err.contains("portfolio round close 2026-T3"), "{err}");
    for clash in [["--at", "HEAD"], ["--since", "2026-01-01"]] {
        let out = s.run(&["report", "--round", "2026-T2", clash[0], clash[1]]);
        assert_eq!(out.status.code(), Some(2), "{clash:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cannot be used with"), "{err}");
    }
}

#[test]
fn help_report() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help_report", texts(&s.run(&["report", "--help"])).0);
}
