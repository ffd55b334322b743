//! Helpers around the YAML crate: clean error messages, and what counts as
//! a filled-in value.

use serde_yaml::Value;

/// The crate's message without its trailing " at line X column Y" (we print
/// the location ourselves).
pub fn clean_message(err: &serde_yaml::Error) -> String {
    let msg = err.to_string();
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg,
    }
}

/// Whether a value counts as filled in: not null, not blank, not an empty
/// list or mapping, and (for mappings) with at least one filled entry.
pub fn is_filled(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Sequence(items) => items.iter().any(is_filled),
        Value::Mapping(map) => map.values().any(is_filled),
        Value::Tagged(t) => is_filled(&t.value),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

/// A short name of a value's type, for messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}
