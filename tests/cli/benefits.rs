//! Benefits, risks and money (SPEC §11): the richer forms of `benefits`,
//! `risks` and `budget`, checked for consistency with clear locations.

use crate::common::*;
use crate::support::{check_json, find, line, one};

const PATH: &str = "tiltak/3-konsept/DD-001-samtykke.md";

fn with_front_matter(extra: &str) -> Sandbox {
    let s = Sandbox::portfolio("digdir");
    s.write(
        PATH,
        format!(
            "---\nid: DD-001\ntitle: Samtykke\ncreated: 2026-01-05\nowner: Kari\norganization: Digdir\npriority: must\n\
             status: {{ level: green, updated: 2026-11-20 }}\n{extra}---\n# Samtykke\n\n## Kriterier: Konsept\n\n"
        ),
    );
    s
}

#[test]
fn benefit_records_are_checked_and_text_stays_valid() {
    let s = with_front_matter("benefits: Færre manuelle samtykker\n");
    let (_, diags) = check_json(&s);
    assert!(find(&diags, "P012", PATH).is_empty() && find(&diags, "P011", PATH).is_empty(), "{diags:?}");

    let s = with_front_matter(
        "benefits:\n  - id: G1\n    type: effektivisering\n    indicator: saksbehandlingstid\n    unit: dager\n\
         \x20   baseline: { value: 20, date: 2026-01-01 }\n    target: { value: 10, date: 2025-12-01 }\n\
         \x20   measurements:\n      - { date: 2026-06-01, value: 15 }\n      - { date: 2026-03-01, value: 18 }\n      - { value: 12 }\n\
         \x20 - id: G2\n    type: effektivsering\n",
    );
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let dates = find(&diags, "P023", PATH);
    assert_eq!(dates.len(), 2, "target before baseline, measurements out of order: {diags:?}");
    assert!(dates.iter().any(|d| d["message"].as_str().is_some_and(|m| m.contains("2025-12-01"))), "{dates:?}");
    let missing = find(&diags, "P010", PATH);
    assert!(missing.iter().any(|d| d["message"].as_str().is_some_and(|m| m.contains("measurement 3 has no date"))));
    let kind = one(&diags, "P012", PATH);
    assert!(kind["hint"].as_str().is_some_and(|h| h.contains("effektivisering")), "{kind}");
    assert_eq!(line(kind), Some(9), "points at `benefits:`");
}

#[test]
fn benefit_records_need_indicator_baseline_and_target_from_the_named_phase() {
    let s = with_front_matter("benefits:\n  - id: G1\n    description: Raskere\n");
    let (_, diags) = check_json(&s);
    assert!(find(&diags, "P010", PATH).is_empty(), "Konsept comes before Planlegging: {diags:?}");
    s.write(
        "tiltak/4-planlegging/DD-002-b.md",
        "---\nid: DD-002\ntitle: B\ncreated: 2026-01-05\nbenefits:\n  - id: G1\n    description: Raskere\n---\n",
    );
    let (_, diags) = check_json(&s);
    let d = find(&diags, "P010", "tiltak/4-planlegging/DD-002-b.md");
    assert!(
        d.iter().any(|d| d["message"] == "benefit G1 needs indicator, baseline, target from phase Planlegging on"),
        "{d:?}"
    );
}

#[test]
fn the_overall_risk_may_not_understate_the_register() {
    let s = with_front_matter(
        "risk: { level: yellow, description: Hjemmel, mitigation: Utredning }\n\
         risks:\n  - { id: R1, description: Hjemmel mangler, probability: 4, consequence: 5, mitigation: Utredning }\n\
         \x20 - { id: R2, description: Liten, probability: 1, consequence: 2 }\n\
         \x20 - { id: R3, description: Feil, probability: 6, consequence: 1 }\n",
    );
    let (_, diags) = check_json(&s);
    let d = one(&diags, "P112", PATH);
    assert_eq!(d["message"], "`risk.level` is yellow, but the register's worst open risk is red");
    assert_eq!(d["severity"], "warning");
    assert!(one(&diags, "P012", PATH)["message"].as_str().is_some_and(|m| m.contains("R3")));

    // Mitigated down to yellow: the register agrees with the overall level.
    let s = with_front_matter(
        "risk: { level: yellow, description: Hjemmel, mitigation: Utredning }\n\
         risks:\n  - { id: R1, probability: 4, consequence: 5, residual: { probability: 2, consequence: 5 } }\n",
    );
    let (_, diags) = check_json(&s);
    assert!(find(&diags, "P112", PATH).is_empty(), "{diags:?}");
}

#[test]
fn budget_years_must_add_up_to_the_investment() {
    let s = with_front_matter(
        "budget:\n  investment: 4500000\n  by_year: { 2026: 1500000, 2027: 2000000 }\n  certainty: noe usikker\n  granted: 3000000\n",
    );
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let d = one(&diags, "P026", PATH);
    assert_eq!(d["message"], "`budget.by_year` adds up to 3500000 but `budget.investment` is 4500000");
    assert_eq!(line(d), Some(9));
    let s = with_front_matter("budget:\n  investment: 3500000\n  by_year: { 2026: 1500000, 2027: 2000000 }\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");
}

#[test]
fn the_report_sums_benefits_risks_and_money_as_computed_by_hand() {
    let s = with_front_matter(
        "benefits:\n\
         \x20 - { id: G1, type: effektivisering, indicator: saksbehandlingstid, unit: dager,\n\
         \x20     baseline: { value: 20, date: 2026-01-01 }, target: { value: 10, date: 2027-01-01 },\n\
         \x20     measurements: [ { date: 2026-07-02, value: 14 } ] }\n\
         \x20 - { id: G2, type: kvalitet, indicator: fornøydhet, baseline: { value: 50, date: 2025-01-01 },\n\
         \x20     target: { value: 100, date: 2026-01-01 }, measurements: [ { date: 2025-06-01, value: 55 } ] }\n\
         risks:\n  - { id: R1, probability: 4, consequence: 5 }\n  - { id: R2, probability: 2, consequence: 3 }\n\
         \x20 - { id: R3, probability: 5, consequence: 5, closed: true }\n\
         budget: { investment: 3500000, operations: 100000, granted: 3000000, forecast: 4000000,\n\
         \x20 by_year: { 2026: 1500000, 2027: 2000000 } }\n",
    );
    s.write(
        "tiltak/4-planlegging/DD-002-b.md",
        "---\nid: DD-002\ntitle: B\ncreated: 2026-01-05\nrisks: [ { id: R1, probability: 4, consequence: 5 } ]\n\
         budget: { investment: 1000000, forecast: 1050000 }\n---\n",
    );
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "registers"]);
    let json: serde_json::Value = serde_json::from_str(&s.ok(&["report", "--format", "json"])).expect("json");

    let b = &json["benefits"]["benefits"];
    assert_eq!(b[0]["id"], "G1");
    assert!((b[0]["realised"].as_f64().expect("share") - 0.6).abs() < 1e-9, "(20−14)/(20−10)");
    assert_eq!(b[0]["on_track"], true, "60 % done at 50 % of the time");
    assert_eq!(b[0]["unmeasured_for_a_year"], false);
    assert!((b[1]["realised"].as_f64().expect("share") - 0.1).abs() < 1e-9, "(55−50)/(100−50)");
    assert_eq!(b[1]["on_track"], false, "10 % done at 41 % of the time");
    assert_eq!(b[1]["unmeasured_for_a_year"], true, "last measured 2025-06-01");
    let types = &json["benefits"]["by_type"];
    assert_eq!((types[0]["type"].as_str(), types[0]["on_track"].as_u64()), (Some("effektivisering"), Some(1)));
    assert_eq!((types[1]["type"].as_str(), types[1]["behind"].as_u64()), (Some("kvalitet"), Some(1)));

    let r = &json["risks"];
    assert_eq!(r["open"], 3, "the closed risk is left out");
    assert_eq!(r["matrix"][3][4], 2, "two risks at probability 4, consequence 5");
    assert_eq!(r["matrix"][1][2], 1);
    assert_eq!(r["levels"][3][4], "red");
    let top: Vec<(&str, &str, u64)> = r["top"]
        .as_array()
        .expect("top")
        .iter()
        .map(|x| {
            (x["tiltak_id"].as_str().unwrap_or(""), x["id"].as_str().unwrap_or(""), x["score"].as_u64().unwrap_or(0))
        })
        .collect();
    assert_eq!(top, vec![("DD-001", "R1", 20), ("DD-002", "R1", 20), ("DD-001", "R2", 6)]);

    let e = &json["economy"];
    assert_eq!(e["total"]["investment"], 4500000.0);
    assert_eq!(e["total"]["granted"], 3000000.0);
    assert_eq!(e["total"]["forecast"], 5050000.0);
    assert_eq!(e["by_year"][0]["year"], 2026);
    assert_eq!(e["by_year"][1]["investment"], 2000000.0);
    let deviations = e["deviations"].as_array().expect("deviations");
    assert_eq!(deviations.len(), 1, "5 % is within 10 %");
    assert!((deviations[0]["share"].as_f64().expect("share") - 500000.0 / 3500000.0).abs() < 1e-9);

    // The same figures in Markdown and HTML.
    let md = s.ok(&["report", "--format", "markdown"]);
    assert!(md.contains("20 dager → 14 dager → 10 dager") && md.contains("60 %"), "{md}");
    assert!(md.contains("4×5=20") && md.contains("+14 %"), "{md}");
    let html = s.ok(&["report", "--format", "html"]);
    assert!(html.contains("id=\"chart-risks\"") && html.contains("id=\"benefits\"") && html.contains("id=\"economy\""));
}
