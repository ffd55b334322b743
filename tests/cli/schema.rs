//! `portfolio schema`: a JSON Schema with this portfolio's values. (That the
//! committed schemas in `schema/` are current is tests/schema.rs.)

use crate::common::*;

#[test]
fn help_text() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help_schema", texts(&s.run(&["schema", "--help"])).0);
}

#[test]
fn schema_has_this_portfolios_values() {
    let s = Sandbox::portfolio("ehelse");
    let v: serde_json::Value = serde_json::from_str(&s.ok(&["schema"])).expect("json");
    assert_eq!(v["properties"]["segment"]["enum"], serde_json::json!(["observere", "koordinere", "samstyre"]));
    assert_eq!(v["properties"]["sdgs"]["items"]["enum"], serde_json::json!([3, 9, 10, 17]));
    assert_eq!(v["properties"]["id"]["pattern"], "^EH-[0-9]+$");
}
