//! Helpers around the YAML crate: clean error messages, and what counts as
//! a filled-in value.

use serde_yaml::Value;

/// The crate's message without its " at line X column Y" parts (we print
/// the location ourselves).
pub fn clean_message(err: &serde_yaml::Error) -> String {
    strip_locations(&err.to_string())
}

fn strip_locations(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        // Skip "N column M".
        let end = after.find([',', ';']).unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out.replace(", while ", " while ")
}

/// A YAML error's message and 1-based (line, column) within the YAML text.
/// When the parser says where the unfinished construct began ("while
/// scanning a quoted scalar at line 3 column 8"), that is the place to point.
pub fn error_position(err: &serde_yaml::Error) -> (String, Option<(usize, usize)>) {
    let msg = err.to_string();
    let started = msg.find(", while ").and_then(|i| parse_location(&msg[i..]));
    let position = started.or_else(|| err.location().map(|l| (l.line(), l.column())));
    (strip_locations(&msg), position)
}

fn parse_location(text: &str) -> Option<(usize, usize)> {
    let i = text.find(" at line ")?;
    let after = &text[i + " at line ".len()..];
    let (line, rest) = after.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// The first alias (`*name`) in YAML text, as 0-based (line, column).
///
/// Aliases can expand a small file into gigabytes (many aliases of one long
/// string pass the parser's own limits), and a tiltak never needs them, so
/// they are refused before parsing. Only aliases at the start of a value are
/// found: `*` inside plain text (`a *b*`) or quotes is not an alias.
pub fn find_alias(yaml: &str) -> Option<(usize, usize)> {
    for (n, line) in yaml.lines().enumerate() {
        let bytes = line.as_bytes();
        let mut quote: Option<u8> = None;
        let mut value_start = true; // at the start of a line (after indentation) a value may begin
        for (i, &b) in bytes.iter().enumerate() {
            if let Some(q) = quote {
                if b == q {
                    quote = None;
                }
                continue;
            }
            match b {
                b' ' | b'\t' => continue,
                b'#' if i == 0 || bytes[i - 1] == b' ' => break,
                b'*' if value_start => {
                    if bytes.get(i + 1).is_some_and(|c| !c.is_ascii_whitespace() && !b",[]{}".contains(c)) {
                        return Some((n, i));
                    }
                    value_start = false;
                }
                b'"' | b'\'' if value_start => {
                    quote = Some(b);
                    value_start = false;
                }
                b'[' | b'{' | b',' => value_start = true,
                b'-' | b':' | b'?' if bytes.get(i + 1).is_none_or(|c| *c == b' ') => value_start = true,
                _ => value_start = false,
            }
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_aliases_only_where_values_start() {
        assert_eq!(find_alias("a: *x\n"), Some((0, 3)));
        assert_eq!(find_alias("a: [1, *x]\n"), Some((0, 7)));
        assert_eq!(find_alias("- *x\n"), Some((0, 2)));
        assert_eq!(find_alias("<<: *base\n"), Some((0, 4)));
        assert_eq!(find_alias("title: Viktig *og* rask\n"), None);
        assert_eq!(find_alias("title: '*x'\nb: \"*y\"\n"), None);
        assert_eq!(find_alias("benefits: |\n  * punkt en\n"), None);
        assert_eq!(find_alias("a: 1 # *x\n"), None);
    }
}
