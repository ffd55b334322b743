//! JSON Schemas generated from the Rust types, so they cannot drift from the
//! parser. `schema/` holds the generic versions; `portfolio schema` adds a
//! portfolio's own allowed values.

use serde_json::{Value, json};

use crate::domain::process::ProcessDefinition;

/// The schema of tiltak front matter. With a definition, its segments,
/// product groups, strategy goals and SDGs become enums.
pub fn tiltak(def: Option<&ProcessDefinition>) -> Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(crate::domain::model::FrontMatter)).unwrap_or(Value::Null);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("required".into(), json!(["id", "title", "created"]));
        obj.insert("additionalProperties".into(), json!(false));
    }
    if let Some(def) = def {
        if let Some(obj) = schema.as_object_mut() {
            obj.insert("title".into(), json!(format!("Tiltak front matter — {}", def.name)));
        }
        let props = &mut schema["properties"];
        props["id"]["pattern"] = json!(format!("^{}-[0-9]+$", def.id_prefix));
        let ids: Vec<&str> = def.segments.iter().map(|s| s.id.as_str()).collect();
        restrict(&mut props["segment"], json!(ids));
        if !def.product_groups.is_empty() {
            restrict(&mut props["product_group"], json!(def.product_groups));
        }
        let goals: Vec<u32> = def.strategic_goals.iter().map(|g| g.id).collect();
        props["strategic_goals"]["items"] = json!({ "type": "integer", "enum": goals });
        let sdgs: Vec<u32> = def.sdgs.iter().map(|g| g.id).collect();
        props["sdgs"]["items"] = json!({ "type": "integer", "enum": sdgs });
    }
    schema
}

fn restrict(prop: &mut Value, values: Value) {
    let description = prop.get("description").cloned();
    *prop = json!({ "type": "string", "enum": values });
    if let Some(d) = description {
        prop["description"] = d;
    }
}

/// The schema of `portfolio.yaml`.
pub fn definition() -> Value {
    serde_json::to_value(schemars::schema_for!(ProcessDefinition)).unwrap_or(Value::Null)
}

/// The schema of `check --format json`.
pub fn diagnostics() -> Value {
    serde_json::to_value(schemars::schema_for!(Vec<crate::diag::JsonDiagnostic>)).unwrap_or(Value::Null)
}

/// The schema of `report --format json`.
pub fn report() -> Value {
    serde_json::to_value(schemars::schema_for!(crate::report::Report)).unwrap_or(Value::Null)
}

/// Pretty JSON with a final newline.
pub fn to_pretty(value: &Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}
