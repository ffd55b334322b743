//! `round`: rounds opened in portfolio.yaml, late and early reporters, a
//! round closed at its tag, in every format.

use serde_json::Value;

use crate::common::*;
use crate::scenarios::*;

/// Three tiltak: DD-001 reports on time, DD-002 late, DD-003 never; DD-004 on hold.
fn office() -> Sandbox {
    let s = Sandbox::repo();
    at(&s, "2026-01-10", &["init"]);
    git_at(&s, "2026-01-10", &["add", "-A"]);
    git_at(&s, "2026-01-10", &["commit", "-qm", "init portfolio"]);
    for (title, owner) in [("Samtykke", "Kari"), ("Innlogging", "Per"), ("Datadeling", "Kari"), ("Arkiv", "Siri")] {
        at(&s, "2026-01-15", &["new", title, "--owner", owner]);
    }
    at(&s, "2026-08-01", &["round", "open", "2026-T3", "--opens", "2026-08-15", "--due", "2026-09-15"]);
    let org = |id: &str, org: &str, date: &str| {
        let p = path_of(&s, id);
        s.write(
            &p,
            s.read(&p).replacen(
                "title:",
                &format!("organization: {org}\nstatus:\n  level: green\n  updated: {date}\ntitle:"),
                1,
            ),
        );
        git_at(&s, date, &["commit", "-qam", &format!("{id}: status")]);
    };
    org("DD-001", "Digdir", "2026-08-20");
    org("DD-003", "Digdir", "2026-05-01");
    at(&s, "2026-09-01", &["hold", "DD-004", "--reason", "Venter på budsjett"]);
    org("DD-002", "NAV", "2026-09-18");
    s
}

fn json(s: &Sandbox, args: &[&str]) -> Value {
    serde_json::from_str(&s.ok(args)).expect("JSON")
}

#[test]
fn open_edits_only_the_rounds_list_in_one_commit() {
    let s = office();
    let diff = s.git(&["log", "--format=%s", "-p", "--grep=round open"]);
    assert!(diff.contains("round open 2026-T3: 2026-08-15 – 2026-09-15"), "{diff}");
    assert!(diff.contains("+rounds:\n+  - {id: 2026-T3, opens: 2026-08-15, due: 2026-09-15}"), "{diff}");
    assert_eq!(
        diff.lines().filter(|l| l.starts_with(['+', '-']) && !l.starts_with("+++") && !l.starts_with("---")).count(),
        2,
        "only the list changed:\n{diff}"
    );
    let before = s.snapshot_state();
    let out = s.run(&["round", "open", "2026-T3", "--due", "2026-12-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(s.snapshot_state(), before, "a duplicate changes nothing");
    // A second round goes after the first, opening today by default.
    s.ok(&["round", "open", "2026-T4", "--due", "2026-12-15"]);
    assert!(
        s.read("portfolio.yaml").ends_with("due: 2026-09-15}\n  - {id: 2026-T4, opens: 2026-11-23, due: 2026-12-15}\n")
    );
    s.ok(&["check"]);
}

#[test]
fn who_reported_on_time_late_or_not_at_all() {
    let s = office();
    let v = json(&s, &["round", "2026-T3", "--format", "json", "--at", "2026-09-20"]);
    assert_eq!(v["date"], "2026-09-20");
    assert_eq!(v["counts"]["on_time"], 1);
    assert_eq!(v["counts"]["late"], 1);
    assert_eq!(v["counts"]["missing"], 1);
    assert_eq!(v["counts"]["on_hold"], 1);
    let orgs: Vec<&str> = v["organizations"]
        .as_array()
        .expect("present")
        .iter()
        .map(|o| o["organization"].as_str().expect("present"))
        .collect();
    assert_eq!(orgs, ["Digdir", "NAV"]);
    let items: Vec<(String, String)> = v["organizations"]
        .as_array()
        .expect("present")
        .iter()
        .flat_map(|o| {
            o["owners"]
                .as_array()
                .expect("present")
                .iter()
                .flat_map(|w| w["tiltak"].as_array().expect("present").clone())
        })
        .map(|t| (t["id"].as_str().expect("present").to_owned(), t["standing"].as_str().expect("present").to_owned()))
        .collect();
    assert_eq!(
        items,
        [("DD-001".into(), "on_time".into()), ("DD-003".into(), "missing".into()), ("DD-002".into(), "late".into())]
    );
    let late = &v["organizations"][1]["owners"][0]["tiltak"][0];
    assert_eq!(late["days_late"], 3);
    assert_eq!(v["organizations"][0]["owners"][0]["tiltak"][1]["days_left"], -5);
    assert_eq!(v["exempt"][0]["id"], "DD-004");

    let csv = s.ok(&["round", "--format", "csv", "--at", "2026-09-20"]);
    assert_eq!(csv.lines().count(), 5, "{csv}");
    assert!(
        csv.contains(
            "2026-T3,NAV,Per,DD-002,Innlogging,tiltak/1-ikke-startet/DD-002-innlogging.md,late,2026-09-18,3,\r\n"
        ),
        "{csv}"
    );
    let table = s.ok(&["round", "--at", "2026-09-20"]);
    assert!(table.contains("Ikke rapportert (5 dager over fristen)"), "{table}");
    insta::assert_snapshot!("round_markdown", s.ok(&["round", "--format", "markdown", "--at", "2026-09-20"]));
    let early = json(&s, &["round", "--format", "json", "--at", "2026-09-10"]);
    assert_eq!(early["counts"]["missing"], 2, "DD-002 had not reported yet");
    insta::assert_snapshot!(
        "round_missing_markdown",
        s.ok(&["round", "--missing", "--format", "markdown", "--lang", "en", "--at", "2026-09-10"])
    );
}

#[test]
fn a_closed_round_is_judged_at_its_tag() {
    let s = office();
    let out = s
        .cmd(&["round", "close", "2026-T3"])
        .env("GIT_COMMITTER_DATE", "2026-09-20T12:00:00+01:00")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let message = s.git(&["tag", "-l", "-n20", "round/2026-T3"]);
    assert!(message.contains("Not reported: 1") && message.contains("Reported late: 1"), "{message}");
    let tagged = s.git(&["rev-parse", "round/2026-T3^{commit}"]);
    assert_eq!(tagged, s.git(&["rev-parse", "HEAD"]));
    // DD-003 reports after the round closed: the closed round does not see it.
    let p = path_of(&s, "DD-003");
    edit(&s, "2026-10-01", &p, "updated: 2026-05-01", "updated: 2026-09-30", "DD-003: status");
    let v = json(&s, &["round", "2026-T3", "--format", "json"]);
    assert_eq!(v["round"]["closed"], true);
    assert_eq!(v["counts"]["missing"], 1);
    let before = s.snapshot_state();
    assert_eq!(s.run(&["round", "close", "2026-T3"]).status.code(), Some(2), "never moved");
    assert_eq!(s.snapshot_state(), before);
}
