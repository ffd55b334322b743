//! `portfolio schema`: a JSON Schema with this portfolio's values. (That the
//! committed schemas in `schema/` are current is tests/schema.rs.)

use crate::common::*;
use crate::support::{check_json, new_path};

#[test]
fn help_text() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help_schema", texts(&s.run(&["schema", "--help"])).0);
}

#[test]
fn schema_has_this_portfolios_values() {
    let s = Sandbox::portfolio("ehelse");
    let v: serde_json::Value = serde_json::from_str(&s.ok(&["schema"])).expect("json");
    let segment = &v["properties"]["segment"]["anyOf"];
    assert_eq!(segment[0]["enum"], serde_json::json!(["observere", "koordinere", "samstyre"]));
    assert_eq!(v["properties"]["sdgs"]["items"]["enum"], serde_json::json!([3, 9, 10, 17]));
    assert_eq!(v["properties"]["id"]["pattern"], "^EH-[0-9]+$");
}

/// Every `pattern` below `v`.
fn patterns(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match v.as_str() {
                    Some(p) if k == "pattern" => out.push(p.to_owned()),
                    _ => patterns(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| patterns(v, out)),
        _ => {}
    }
}

#[test]
fn schema_agrees_with_check_on_case_and_is_ecma_262() {
    // `check` accepts a segment in any case; so must the schema an editor
    // validates with (it used to allow only the exact enum).
    let s = Sandbox::portfolio("ehelse");
    let path = new_path(&s, &["--segment", "observere", "Felles kodeverk"]);
    let text = s.read(&path).replace("segment: observere", "segment: Observere");
    assert!(text.contains("segment: Observere"), "{text}");
    s.write(&path, text);
    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");
    let v: serde_json::Value = serde_json::from_str(&s.ok(&["schema"])).expect("json");
    let segment = &v["properties"]["segment"]["anyOf"][1]["pattern"];
    assert_eq!(
        segment,
        "^(?:[oO][bB][sS][eE][rR][vV][eE][rR][eE]|[kK][oO][oO][rR][dD][iI][nN][eE][rR][eE]|[sS][aA][mM][sS][tT][yY][rR][eE])$"
    );
    // ECMA-262 has no inline flags: `(?i)` makes ajv refuse the whole schema.
    let mut found = Vec::new();
    patterns(&v, &mut found);
    assert!(found.len() > 3, "{found:?}");
    for p in found {
        assert!(!p.contains("(?i"), "not ECMA-262: {p}");
    }
}
