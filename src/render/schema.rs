//! JSON Schemas generated from the Rust types, so they cannot drift from the
//! parser. `schema/` holds the generic versions; `portfolio schema` adds a
//! portfolio's own allowed values.
//!
//! Every `pattern` is ECMA-262 (JSON Schema's regex dialect), so ajv, VS
//! Code's YAML extension and check-jsonschema compile it: no inline flags such
//! as `(?i)`, only escapes that are valid with the `u` flag. Case-insensitive
//! matching is spelled out as `[gG]` classes instead. Formats are only the
//! standard ones: schemars' `uint32`, `int64`, `double` … make ajv's strict
//! mode refuse the schema, and `minimum` already says what `uint` means.

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
    portable(&mut schema);
    if let Some(def) = def {
        if let Some(obj) = schema.as_object_mut() {
            obj.insert("title".into(), json!(format!("Tiltak front matter — {}", def.name)));
        }
        let props = &mut schema["properties"];
        // The prefix is matched exactly by `check`, the number is ASCII digits.
        props["id"]["pattern"] = json!(format!("^{}-[0-9]+$", regex_escape(&def.id_prefix)));
        let ids: Vec<&str> = def.segments.iter().map(|s| s.id.as_str()).collect();
        restrict(&mut props["segment"], &ids);
        if !def.product_groups.is_empty() {
            let groups: Vec<&str> = def.product_groups.iter().map(String::as_str).collect();
            restrict(&mut props["product_group"], &groups);
        }
        let goals: Vec<u32> = def.strategic_goals.iter().map(|g| g.id).collect();
        props["strategic_goals"]["items"] = one_of_ids(&goals);
        let sdgs: Vec<u32> = def.sdgs.iter().map(|g| g.id).collect();
        props["sdgs"]["items"] = one_of_ids(&sdgs);
    }
    schema
}

/// Items that must be one of `ids`. None listed: `check` refuses every
/// item, and an empty `enum` is not valid JSON Schema, so no item is allowed.
fn one_of_ids(ids: &[u32]) -> Value {
    if ids.is_empty() { nothing() } else { json!({ "type": "integer", "enum": ids }) }
}

/// A schema no value matches (what `check` does with a key whose list is
/// empty in portfolio.yaml). `{"not": {}}` rather than `false`, which older
/// drafts and some editors do not read.
fn nothing() -> Value {
    json!({ "not": {} })
}

/// What every schema goes through before it is printed: ECMA-262 patterns
/// and standard formats only.
fn portable(value: &mut Value) {
    ecma_patterns(value);
    standard_formats(value);
}

/// Drop schemars' numeric formats (`uint`, `uint32`, `int64`, `double` …),
/// which no JSON Schema draft defines; `type` and `minimum` stay.
fn standard_formats(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let numeric = map.get("format").and_then(Value::as_str).is_some_and(|f| {
                f == "double" || f == "float" || f.strip_prefix("uint").or_else(|| f.strip_prefix("int")).is_some()
            });
            if numeric {
                map.remove("format");
            }
            map.values_mut().for_each(standard_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(standard_formats),
        _ => {}
    }
}

/// Allow only `values` (none: not the key at all), matched as `check` matches segments and product
/// groups: ignoring ASCII case (`Observere` is `observere`). The enum stays
/// first so editors still offer the canonical spellings.
fn restrict(prop: &mut Value, values: &[&str]) {
    let description = prop.get("description").cloned();
    if values.is_empty() {
        *prop = nothing();
        prop["description"] = json!("This portfolio's portfolio.yaml lists none, so the key is not allowed");
        return;
    }
    let alternatives: Vec<String> = values.iter().map(|v| ascii_case_insensitive(&regex_escape(v))).collect();
    *prop = json!({
        "type": "string",
        "anyOf": [
            { "enum": values },
            { "pattern": format!("^(?:{})$", alternatives.join("|")) }
        ]
    });
    if let Some(d) = description {
        prop["description"] = d;
    }
}

/// Rewrite every `(?i)…` pattern below `value` (the domain's enums say
/// "case-insensitive" that way, which is not ECMA-262) into classes that
/// match both cases, as `to_lowercase` in their parser does. The parser also
/// trims, so surrounding white space is allowed too.
fn ecma_patterns(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "pattern"
                    && let Some(rest) = v.as_str().and_then(|p| p.strip_prefix("(?i)"))
                {
                    let body = rest.strip_prefix('^').and_then(|r| r.strip_suffix('$'));
                    *v = match body {
                        Some(body) => json!(format!("^\\s*{}\\s*$", unicode_case_insensitive(body))),
                        None => json!(unicode_case_insensitive(rest)),
                    };
                } else {
                    ecma_patterns(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(ecma_patterns),
        _ => {}
    }
}

/// Each letter of a regex as a class of its lower and upper case (Unicode
/// simple case mapping); escapes and other characters are kept as written.
fn unicode_case_insensitive(pattern: &str) -> String {
    case_classes(pattern, |c| {
        let mut lower = c.to_lowercase();
        let mut upper = c.to_uppercase();
        match (lower.next(), lower.next(), upper.next(), upper.next()) {
            (Some(l), None, Some(u), None) if l != u => Some((l, u)),
            _ => None,
        }
    })
}

/// Like [`unicode_case_insensitive`], for ASCII letters only, as
/// `eq_ignore_ascii_case` compares.
fn ascii_case_insensitive(pattern: &str) -> String {
    case_classes(pattern, |c| c.is_ascii_alphabetic().then(|| (c.to_ascii_lowercase(), c.to_ascii_uppercase())))
}

fn case_classes(pattern: &str, cases: impl Fn(char) -> Option<(char, char)>) -> String {
    let mut out = String::with_capacity(pattern.len() * 3);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push(c);
            out.extend(chars.next());
            continue;
        }
        match cases(c) {
            Some((l, u)) => {
                out.push('[');
                out.push(l);
                out.push(u);
                out.push(']');
            }
            None => out.push(c),
        }
    }
    out
}

/// Escape what is syntax in an ECMA-262 regex. Only these may be escaped
/// under the `u` flag ajv compiles with (`\-` would be an error there).
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "^$\\.*+?()[]{}|/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The schema of `portfolio.yaml`.
pub fn definition() -> Value {
    generated(serde_json::to_value(schemars::schema_for!(ProcessDefinition)))
}

/// The schema of `check --format json`.
pub fn diagnostics() -> Value {
    generated(serde_json::to_value(schemars::schema_for!(Vec<crate::diag::JsonDiagnostic>)))
}

/// The schema of `report --format json`.
pub fn report() -> Value {
    generated(serde_json::to_value(schemars::schema_for!(crate::report::Report)))
}

/// The schema of `report --format json` on a national file (SPEC §12).
pub fn national_report() -> Value {
    generated(serde_json::to_value(schemars::schema_for!(crate::report::national::NationalReport)))
}

/// The schema of `national.yaml`.
pub fn national() -> Value {
    generated(serde_json::to_value(schemars::schema_for!(crate::domain::national::National)))
}

fn generated(schema: serde_json::Result<Value>) -> Value {
    let mut schema = schema.unwrap_or(Value::Null);
    portable(&mut schema);
    schema
}

/// Pretty JSON with a final newline.
pub fn to_pretty(value: &Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_have_no_inline_flags() {
        let mut v = json!({ "a": [{ "pattern": "(?i)^(grønn|won't)$" }], "pattern": "plain" });
        ecma_patterns(&mut v);
        assert_eq!(v["a"][0]["pattern"], "^\\s*([gG][rR][øØ][nN][nN]|[wW][oO][nN]'[tT])\\s*$");
        assert_eq!(v["pattern"], "plain");
    }

    #[test]
    fn only_standard_formats() {
        let mut v = json!({ "a": { "format": "uint32", "minimum": 0 }, "b": { "format": "date" }, "c": { "format": "double" } });
        standard_formats(&mut v);
        assert_eq!(v, json!({ "a": { "minimum": 0 }, "b": { "format": "date" }, "c": {} }));
    }

    #[test]
    fn restricted_values_ignore_ascii_case_and_are_escaped() {
        let mut v = json!({ "description": "d" });
        restrict(&mut v, &["observere", "a.b"]);
        assert_eq!(v["anyOf"][1]["pattern"], "^(?:[oO][bB][sS][eE][rR][vV][eE][rR][eE]|[aA]\\.[bB])$");
        assert_eq!(v["description"], "d");
    }
}
