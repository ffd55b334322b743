//! `log`: the decision log of a year of history, compared with what the
//! history says, in every format.

use serde_json::Value;

use crate::scenarios::*;

#[test]
fn every_decision_of_the_year_newest_first() {
    let s = year();
    let v: Value = serde_json::from_str(&s.ok(&["log", "--format", "json"])).expect("JSON");
    let got: Vec<(String, String, String)> = v["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["date"].as_str().expect("present").into(),
                e["id"].as_str().expect("present").into(),
                e["kind"].as_str().expect("present").into(),
            )
        })
        .collect();
    let want = [
        ("2026-04-01", "DD-002", "stop"),
        ("2026-04-01", "DD-003", "created"),
        ("2026-03-10", "DD-002", "gate"),
        ("2026-03-01", "DD-001", "by_hand"),
        ("2026-01-15", "DD-002", "created"),
        ("2026-01-15", "DD-001", "created"),
    ];
    let want: Vec<(String, String, String)> =
        want.iter().map(|(a, b, c)| ((*a).into(), (*b).into(), (*c).into())).collect();
    assert_eq!(got, want);
    let forced = &v["entries"][2];
    assert_eq!(forced["decided_by"], "Porteføljerådet");
    assert_eq!(forced["reason"], "Hastesak");
    assert_eq!(v["entries"][3]["decided_by"], "Porteføljekontoret", "the committer, without Decided-By");
    assert_eq!(v["entries"][0]["reason"], "Erstattet av DD-003");

    let spring: Value =
        serde_json::from_str(&s.ok(&["log", "--since", "2026-03-01", "--until", "2026-03-31", "--format", "json"]))
            .expect("JSON");
    assert_eq!(spring["entries"].as_array().map(Vec::len), Some(2));
    let one: Value = serde_json::from_str(&s.ok(&["log", "--id", "dd-002", "--format", "json"])).expect("JSON");
    assert_eq!(one["entries"].as_array().map(Vec::len), Some(3));
    let csv = s.ok(&["log", "--format", "csv", "--id", "DD-002"]);
    assert!(csv.starts_with("date,commit,id,title,kind,from,to,decided_by,reason\r\n"), "{csv}");
    assert!(csv.contains(",DD-002,Ny innlogging,gate,Ikke startet,Problem,Porteføljerådet,Hastesak\r\n"), "{csv}");
    assert!(s.ok(&["log"]).contains("flyttet"));
    insta::assert_snapshot!("log_markdown", s.ok(&["log", "--format", "markdown"]));
}
