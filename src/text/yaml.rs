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
    // Most front matter has no `*` at all: one fast scan says so.
    if !yaml.contains('*') {
        return None;
    }
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

/// The first character YAML does not allow in a file (control characters
/// other than tab and line breaks), as 0-based (line, column in characters).
///
/// The parser names such a character only by a byte offset, without a line.
pub fn find_unprintable(yaml: &str) -> Option<(usize, usize, char)> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{85}' | '\u{feff}')
            || !(c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}'))
    };
    for (n, line) in yaml.split('\n').enumerate() {
        if let Some((col, c)) = line.chars().enumerate().find(|(_, c)| !allowed(*c)) {
            return Some((n, col, c));
        }
    }
    None
}

/// How deep front matter or `portfolio.yaml` may nest (flow brackets and
/// block indentation levels together); both need fewer than ten.
pub const MAX_DEPTH: usize = 64;

/// Where YAML text first nests deeper than `max` levels, as 0-based (line,
/// column in characters).
///
/// The parser's cost grows with the square of the flow nesting depth, so a
/// 200 KB line of `[[[[…` takes a minute; this scan is linear and runs
/// before the parser. It counts flow `[`/`{` outside quotes and comments,
/// and block levels by indentation (`- ` items on one line count each),
/// skipping block scalars (`|`, `>`), whose indentation is text.
pub fn find_deep_nesting(yaml: &str, max: usize) -> Option<(usize, usize)> {
    let mut flow = 0usize;
    let mut quote: Option<u8> = None;
    let mut indents: Vec<usize> = Vec::new();
    // The indentation a block scalar's lines must exceed.
    let mut block_scalar: Option<usize> = None;
    let column = |line: &str, i: usize| line.get(..i).map_or(i, |s| s.chars().count());
    for (n, line) in yaml.lines().enumerate() {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        let blank = line[indent..].trim().is_empty();
        if let Some(parent) = block_scalar {
            if blank || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        if flow == 0 && quote.is_none() && !blank && bytes[indent] != b'#' {
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            indents.push(indent);
            // `- - x` and `? ` nest a level per marker.
            let mut i = indent;
            while matches!(bytes.get(i), Some(b'-' | b'?')) && bytes.get(i + 1).is_none_or(|&c| c == b' ') {
                i += 1;
                while bytes.get(i) == Some(&b' ') {
                    i += 1;
                }
                indents.push(i);
            }
            if indents.len() > max {
                return Some((n, column(line, indent)));
            }
        }
        let mut value_start = true;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if let Some(q) = quote {
                if q == b'"' && b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
                i += 1;
                continue;
            }
            match b {
                b' ' | b'\t' => {}
                b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t') => break,
                b'[' | b'{' if flow > 0 || value_start => {
                    flow += 1;
                    if flow + indents.len() > max {
                        return Some((n, column(line, i)));
                    }
                    value_start = true;
                }
                b']' | b'}' if flow > 0 => {
                    flow -= 1;
                    value_start = false;
                }
                b',' if flow > 0 => value_start = true,
                b'"' | b'\'' if value_start => {
                    quote = Some(b);
                    value_start = false;
                }
                b'|' | b'>' if value_start && flow == 0 => {
                    block_scalar = Some(indents.last().copied().unwrap_or(0));
                    break;
                }
                b'-' | b':' | b'?' if bytes.get(i + 1).is_none_or(|c| matches!(c, b' ' | b'\t')) => value_start = true,
                b':' if flow > 0 => value_start = true,
                _ => value_start = false,
            }
            i += 1;
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
    fn finds_control_characters_by_line_and_character() {
        assert_eq!(find_unprintable("id: 1\ntitle: \"Bæd \u{1} x\"\n"), Some((1, 12, '\u{1}')));
        assert_eq!(find_unprintable("a: \u{7f}\n"), Some((0, 3, '\u{7f}')));
        assert_eq!(find_unprintable("a: \"x\ty\"\r\nb: æøå\n"), None);
    }

    #[test]
    fn finds_nesting_past_the_limit() {
        assert_eq!(find_deep_nesting("a: [[1]]\nb: {c: {d: 1}}\n", 3), None);
        assert_eq!(find_deep_nesting("a: [[[1]]]\n", 3), Some((0, 5)));
        assert_eq!(find_deep_nesting("a:\n  b:\n    c:\n      d: 1\n", 3), Some((3, 6)));
        assert_eq!(find_deep_nesting("- - - - x\n", 3), Some((0, 0)));
        // Flow levels and block levels add up.
        assert_eq!(find_deep_nesting("a:\n  b: [[1]]\n", 3), Some((1, 6)));
        // Brackets in text, quotes, comments and block scalars do not nest.
        assert_eq!(find_deep_nesting("title: Plan [[[[ x\nb: '[[[['\nc: \"\\\"[[[[\"\n", 3), None);
        assert_eq!(find_deep_nesting("a: 1 # [[[[\n", 3), None);
        assert_eq!(find_deep_nesting("a: |\n  [[[[\n   x:\n    y:\n     z:\nb: 1\n", 3), None);
        // Levels closed again do not count, across lines too.
        assert_eq!(find_deep_nesting("a: [[1],\n  [2]]\nb:\n  c: 1\nd:\n  e: 1\n", 3), None);
        // Unclosed brackets count: the parser would see them too.
        assert_eq!(find_deep_nesting(&"[".repeat(100_000), 64), Some((0, 63)));
        // Columns are characters, not bytes.
        assert_eq!(find_deep_nesting("æø: [[[[1]]]]\n", 3), Some((0, 6)));
    }

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
