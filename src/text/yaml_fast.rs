//! A fast reader for the plain YAML that tiltak front matter is written in:
//! block mappings and sequences of plain, quoted and one-line flow values.
//!
//! It gives the same value as the YAML crate or gives up: anything outside
//! that plain subset (a block scalar, a comment after a value, a tab, an
//! anchor, a number that is not a plain integer, a duplicate key, …) returns
//! `None`, and the caller parses the text with the YAML crate, which also
//! finds the errors and says where. Most front matter is in the subset, and
//! reading it here costs a fraction of building the crate's event stream.
//! `tests` compares the two on every shipped file and on generated text.

use serde_yaml::{Mapping, Number, Value};

/// The value of `yaml` when it is a non-empty mapping in the plain subset.
pub fn parse(yaml: &str) -> Option<Value> {
    if !plain_text(yaml) {
        return None;
    }
    let mut lines: Vec<(usize, &str)> = Vec::new();
    for line in yaml.split('\n') {
        let content = line.trim_start_matches(' ');
        let content = content.trim_end_matches(' ');
        // Blank lines and whole-line comments carry nothing.
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        lines.push((line.len() - line.trim_start_matches(' ').len(), content));
    }
    if lines.is_empty() || lines[0].0 != 0 {
        return None;
    }
    let mut reader = Reader { lines, at: 0 };
    let value = reader.block(0, 0)?;
    (reader.at == reader.lines.len() && matches!(value, Value::Mapping(_))).then_some(value)
}

/// Deeper than this, the YAML crate decides (front matter nests two or three
/// levels; `find_deep_nesting` refuses far deeper).
const MAX_DEPTH: usize = 8;

/// No tab, carriage return or character the YAML crate treats specially
/// (control characters, other line breaks, a byte-order mark): one pass.
fn plain_text(yaml: &str) -> bool {
    yaml.chars().all(|c| match c {
        '\n' => true,
        c if c < ' ' => false,
        '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => false,
        _ => true,
    })
}

struct Reader<'a> {
    /// Indentation and content (without its indentation) of each line.
    lines: Vec<(usize, &'a str)>,
    at: usize,
}

impl<'a> Reader<'a> {
    /// The mapping or sequence starting at the current line, indented `indent`.
    fn block(&mut self, indent: usize, depth: usize) -> Option<Value> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let (_, content) = *self.lines.get(self.at)?;
        if is_item(content) { self.sequence(indent, depth) } else { self.mapping(indent, depth) }
    }

    fn mapping(&mut self, indent: usize, depth: usize) -> Option<Value> {
        let mut map = Mapping::new();
        while let Some(&(at, content)) = self.lines.get(self.at) {
            if at < indent {
                break;
            }
            if at > indent || is_item(content) {
                return None;
            }
            let (key, rest) = split_key(content)?;
            self.at += 1;
            let value = if rest.is_empty() { self.nested(indent, depth, true)? } else { inline(rest)? };
            if map.insert(Value::String(key.to_owned()), value).is_some() {
                // A duplicate key is the YAML crate's error to report.
                return None;
            }
        }
        Some(Value::Mapping(map))
    }

    fn sequence(&mut self, indent: usize, depth: usize) -> Option<Value> {
        let mut items = Vec::new();
        while let Some(&(at, content)) = self.lines.get(self.at) {
            if at < indent {
                break;
            }
            if at > indent {
                return None;
            }
            if !is_item(content) {
                // The next key of a mapping whose sequence stood at its own
                // indentation; anywhere else the caller refuses the line.
                break;
            }
            let rest = content[1..].trim_start_matches(' ');
            if rest.is_empty() {
                self.at += 1;
                items.push(self.nested(indent, depth, false)?);
            } else if is_item(rest) {
                return None;
            } else if split_key(rest).is_some() {
                // `- key: value`: a mapping whose keys stand where `key` does.
                let column = at + (content.len() - rest.len());
                self.lines[self.at] = (column, rest);
                items.push(self.mapping(column, depth + 1)?);
            } else {
                self.at += 1;
                items.push(inline(rest)?);
            }
        }
        Some(Value::Sequence(items))
    }

    /// The value after a `key:` or `-` with nothing after it on its line:
    /// the more indented block below, a sequence at the key's own
    /// indentation (`in_mapping`), or null.
    fn nested(&mut self, indent: usize, depth: usize, in_mapping: bool) -> Option<Value> {
        match self.lines.get(self.at) {
            Some(&(at, _)) if at > indent => self.block(at, depth + 1),
            Some(&(at, content)) if in_mapping && at == indent && is_item(content) => self.sequence(indent, depth + 1),
            _ => Some(Value::Null),
        }
    }
}

fn is_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// `key: rest` with a plain key of letters, digits, `_`, `-` and `.`.
fn split_key(content: &str) -> Option<(&str, &str)> {
    let colon = content.find(':')?;
    let (key, rest) = (&content[..colon], &content[colon + 1..]);
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let simple = key.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !simple || !matches!(scalar(key)?, Value::String(_)) {
        return None;
    }
    Some((key, rest.trim_start_matches(' ')))
}

/// A value written on one line: a scalar or a flow sequence or mapping.
fn inline(text: &str) -> Option<Value> {
    match text.as_bytes()[0] {
        b'[' | b'{' => {
            let (value, rest) = flow(text)?;
            rest.is_empty().then_some(value)
        }
        b'"' | b'\'' => {
            let (value, rest) = quoted(text)?;
            rest.is_empty().then_some(Value::String(value))
        }
        _ => plain(text, false),
    }
}

/// A flow sequence or mapping of scalars, and the text after it.
fn flow(text: &str) -> Option<(Value, &str)> {
    let is_map = text.starts_with('{');
    let close = if is_map { '}' } else { ']' };
    let mut rest = text[1..].trim_start_matches(' ');
    let mut items = Vec::new();
    let mut map = Mapping::new();
    loop {
        if let Some(after) = rest.strip_prefix(close) {
            let value = if is_map { Value::Mapping(map) } else { Value::Sequence(items) };
            return Some((value, after.trim_start_matches(' ')));
        }
        if is_map {
            let colon = rest.find(": ")?;
            let key = &rest[..colon];
            if !matches!(plain(key, true)?, Value::String(_)) {
                return None;
            }
            let (value, after) = flow_scalar(rest[colon + 2..].trim_start_matches(' '))?;
            if map.insert(Value::String(key.to_owned()), value).is_some() {
                return None;
            }
            rest = after;
        } else {
            let (value, after) = flow_scalar(rest)?;
            items.push(value);
            rest = after;
        }
        // After an entry: `,` and the next, or the closing bracket.
        match rest.strip_prefix(',') {
            Some(after) => {
                rest = after.trim_start_matches(' ');
                if rest.starts_with(close) {
                    // A trailing comma: leave it to the YAML crate.
                    return None;
                }
            }
            None if rest.starts_with(close) => {}
            None => return None,
        }
    }
}

/// A scalar inside a flow collection, and the text after it (spaces skipped).
fn flow_scalar(text: &str) -> Option<(Value, &str)> {
    if text.starts_with(['"', '\'']) {
        let (value, rest) = quoted(text)?;
        return Some((Value::String(value), rest.trim_start_matches(' ')));
    }
    let end = text.find([',', ']', '}'])?;
    let word = text[..end].trim_end_matches(' ');
    if word.is_empty() {
        return None;
    }
    Some((plain(word, true)?, &text[end..]))
}

/// A quoted scalar's text and what follows the closing quote. A backslash
/// escape in double quotes is left to the YAML crate.
fn quoted(text: &str) -> Option<(String, &str)> {
    let quote = text.as_bytes()[0];
    let body = &text[1..];
    if quote == b'"' {
        let end = body.find(['"', '\\'])?;
        if body.as_bytes()[end] == b'\\' {
            return None;
        }
        return Some((body[..end].to_owned(), &body[end + 1..]));
    }
    // Single quotes: `''` is one quote.
    let mut out = String::new();
    let mut rest = body;
    loop {
        let end = rest.find('\'')?;
        out.push_str(&rest[..end]);
        rest = &rest[end + 1..];
        match rest.strip_prefix('\'') {
            Some(after) => {
                out.push('\'');
                rest = after;
            }
            None => return Some((out, rest)),
        }
    }
}

/// A plain (unquoted) scalar, resolved as the YAML crate resolves it, or
/// `None` when it could mean something else (a float, a special word).
fn plain(text: &str, in_flow: bool) -> Option<Value> {
    let first = text.chars().next()?;
    if matches!(
        first,
        '-' | '?'
            | ':'
            | ','
            | '['
            | ']'
            | '{'
            | '}'
            | '#'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
    ) || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || (in_flow && text.contains([',', '[', ']', '{', '}', ':']))
    {
        return None;
    }
    scalar(text)
}

/// What a plain scalar's text means: null, a boolean, an integer or text.
fn scalar(text: &str) -> Option<Value> {
    match text {
        "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let bytes = text.as_bytes();
    if bytes[0].is_ascii_digit() || matches!(bytes[0], b'+' | b'.') {
        if bytes.iter().all(u8::is_ascii_digit) && (bytes[0] != b'0' || bytes.len() == 1) && bytes.len() <= 18 {
            return Some(Value::Number(Number::from(text.parse::<i64>().ok()?)));
        }
        if is_date(bytes) {
            return Some(Value::String(text.to_owned()));
        }
        return None;
    }
    // Words other YAML versions read as booleans or numbers: let the crate say.
    if ["y", "n", "yes", "no", "on", "off", "nan", "inf"].iter().any(|w| text.eq_ignore_ascii_case(w)) {
        return None;
    }
    Some(Value::String(text.to_owned()))
}

/// `YYYY-MM-DD`.
fn is_date(b: &[u8]) -> bool {
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slow(yaml: &str) -> Option<Value> {
        serde_yaml::from_str(yaml).ok()
    }

    /// The fast reader agrees with the YAML crate whenever it answers.
    fn same(yaml: &str) -> bool {
        match parse(yaml) {
            Some(fast) => {
                assert_eq!(Some(&fast), slow(yaml).as_ref(), "for:\n{yaml}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn reads_typical_front_matter() {
        let yaml = "id: DD-002\ntitle: Utfasing av manuell postgang i Maskinporten\nowner: Håkon Sivertsen\ncreated: 2023-01-02\npriority: wont\nstatus:\n  level: green\n  updated: 2025-12-22\nsdgs: [16]\ntimeframe: { start: 2025-04-12, end: 2026-12-16 }\ndependencies: [DD-001]\nlinks: [\"https://github.com/digdir/portfolio/issues/2\"]\n";
        assert!(same(yaml));
    }

    #[test]
    fn reads_lists_of_mappings_and_sequences_at_the_key() {
        let yaml = "id: X-1\nrisks:\n  - id: R1\n    title: 'It''s late'\n    probability: 3\n  - id: R2\n    impact: 5\nbenefits:\n- name: Tid spart\n  baseline: 10\n-\n  name: b\nempty:\nnothing: ~\nflag: true\nlist: []\nmap: {}\n";
        assert!(same(yaml));
    }

    #[test]
    fn leaves_everything_else_to_the_yaml_crate() {
        for yaml in [
            "",
            "- a\n- b\n",
            "just text\n",
            "a: 1\na: 2\n",
            "a: |\n  text\n",
            "a: b # comment\n",
            "a: 1.5\n",
            "a: 0x10\n",
            "a: 010\n",
            "a: yes\n",
            "a: \"esc\\n\"\n",
            "a: &x 1\nb: *x\n",
            "a: !tag x\n",
            "a:\tb\n",
            "a: b\n  c\n",
            "a: [1, [2]]\n",
            "a: [1, 2,]\n",
            "\"a\": 1\n",
            "1: a\n",
            "true: a\n",
            "a: b: c\n",
            " a: 1\n",
            "a: -1\n",
            "a: 2025-13\n",
            "a:\n  - - x\n",
            "a: 'open\n",
            "a: \"x\" y\n",
            "a: { b: 1, b: 2 }\n",
            "a: \u{85}\n",
        ] {
            assert!(!same(yaml), "the fast reader answered for:\n{yaml}");
        }
    }

    #[test]
    fn agrees_with_the_yaml_crate_on_every_shipped_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut stack = vec![root.join("examples"), root.join("src/domain/templates")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    files.push(path);
                }
            }
        }
        let mut answered = 0;
        for path in &files {
            let text = std::fs::read_to_string(path).expect("readable");
            if let Ok(split) = crate::text::frontmatter::split(&text)
                && same(split.yaml)
            {
                answered += 1;
            }
        }
        assert!(files.len() > 20, "found {} files", files.len());
        // Most shipped files are in the plain subset.
        assert!(answered * 2 > files.len(), "{answered} of {}", files.len());
    }

    use proptest::prelude::*;

    /// Values in and around the plain subset: what the fast reader must
    /// read like the crate, or leave to it.
    const VALUES: &[&str] = &[
        "",
        "x",
        "Håkon Sivertsen",
        "C#",
        "http://x.no/a",
        "a:b",
        "a: b",
        "x #y",
        "x#y",
        "'q''q'",
        "'a'",
        "\"d\"",
        "\"a\\\"b\"",
        "[a, b]",
        "[]",
        "[ ]",
        "[1, \"2\", '3']",
        "[a, [b]]",
        "[a,]",
        "{ a: 1 }",
        "{}",
        "{ start: 2025-01-01, end: 2026-02-03 }",
        "{a: b:c}",
        "2025-01-01",
        "2025-1-1",
        "0",
        "7",
        "007",
        "-1",
        "+1",
        "1.5",
        "1e3",
        "0x1f",
        ".inf",
        "~",
        "null",
        "Null",
        "NULL",
        "nULL",
        "TRUE",
        "true",
        "False",
        "yes",
        "No",
        "on",
        "y",
        "é",
        "-",
        "- x",
        "? x",
        "*a",
        "&a x",
        "!t x",
        "|",
        ">",
        "%x",
        "@x",
        "`x`",
        "x:",
        "123456789012345678901",
        "12345678901234567",
        "wont",
        "1,5",
        "50 %",
        "a  b",
        "'x' y",
    ];
    const KEYS: &[&str] =
        &["id", "title", "status", "level", "økonomi", "a.b", "a-b", "_x", "1", "yes", "null", "true", "x y"];

    fn line() -> impl Strategy<Value = String> {
        (0usize..KEYS.len(), 0usize..VALUES.len(), 0usize..6, prop::bool::ANY).prop_map(|(k, v, indent, item)| {
            let pad = " ".repeat(indent);
            let (key, value) = (KEYS[k], VALUES[v]);
            match (item, v % 3) {
                (true, 0) => format!("{pad}- {value}"),
                (true, _) => format!("{pad}- {key}: {value}"),
                (false, 1) => format!("{pad}{key}:"),
                _ => format!("{pad}{key}: {value}"),
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn agrees_with_the_yaml_crate_whenever_it_answers(lines in prop::collection::vec(line(), 1..8)) {
            let yaml = lines.join("\n") + "\n";
            if let Some(fast) = parse(&yaml) {
                prop_assert_eq!(Some(fast), slow(&yaml), "for:\n{}", yaml);
            }
        }
    }

    #[test]
    fn the_generated_text_often_lies_in_the_subset() {
        // Guards the property above against answering `None` for everything.
        let answered = (0..VALUES.len())
            .filter(|&v| parse(&format!("id: X-1\nvalue: {}\nlist:\n  - {}\n", VALUES[v], VALUES[v])).is_some())
            .count();
        assert!(answered > VALUES.len() / 3, "{answered}");
    }
}
