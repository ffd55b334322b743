//! Byte-preserving edits of a tiltak file. Never re-serialises the YAML: a
//! change touches only the lines it must, in the file's own line endings, and
//! the result is parsed again to prove it reads back as intended.

use crate::text::frontmatter;

/// Why an edit could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the file has no front matter to edit")]
    NoFrontMatter,
    #[error("`{0}` is written over several lines; edit it by hand")]
    MultiLine(String),
    #[error("the edited front matter does not read back as intended")]
    Verify,
}

/// The line ending the file uses (CRLF when its first line ends so).
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Set top-level `key` to the plain value `value` (already a YAML scalar).
/// An existing single-line entry is replaced in place (a trailing comment is
/// kept); a missing key is added as the last front-matter line.
pub fn set_field(text: &str, key: &str, value: &str) -> Result<String, EditError> {
    let split = frontmatter::split(text).map_err(|_| EditError::NoFrontMatter)?;
    let nl = line_ending(text);
    let yaml_start = split.yaml_start;
    let yaml_end = yaml_start + split.yaml.len();
    let mut out = String::with_capacity(text.len() + value.len() + key.len() + 4);
    out.push_str(&text[..yaml_start]);
    let lines: Vec<&str> = split.yaml.split_inclusive('\n').collect();
    let mut replaced = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if !replaced && is_key_line(line, key) {
            // A value continued on indented lines (block scalar, nested mapping) is not ours to rewrite.
            let continued = continues(&lines, i);
            let rest = line[line.find(':').map_or(line.len(), |c| c + 1)..].trim_end_matches(['\r', '\n']);
            if continued || rest.trim_start().starts_with(['|', '>']) {
                return Err(EditError::MultiLine(key.to_owned()));
            }
            let comment = trailing_comment(rest);
            let ending = &line[line.trim_end_matches(['\r', '\n']).len()..];
            out.push_str(&format!("{key}: {value}{comment}{ending}"));
            replaced = true;
        } else {
            out.push_str(line);
        }
        i += 1;
    }
    if !replaced {
        if !split.yaml.is_empty() && !split.yaml.ends_with('\n') {
            out.push_str(nl);
        }
        out.push_str(&format!("{key}: {value}{nl}"));
    }
    out.push_str(&text[yaml_end..]);
    verify(&out, key, value)?;
    Ok(out)
}

/// Remove top-level `key` (a single-line entry). Absent: unchanged.
pub fn remove_field(text: &str, key: &str) -> Result<String, EditError> {
    let split = frontmatter::split(text).map_err(|_| EditError::NoFrontMatter)?;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..split.yaml_start]);
    let lines: Vec<&str> = split.yaml.split_inclusive('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        if is_key_line(line, key) {
            if continues(&lines, i) {
                return Err(EditError::MultiLine(key.to_owned()));
            }
            continue;
        }
        out.push_str(line);
    }
    out.push_str(&text[split.yaml_start + split.yaml.len()..]);
    Ok(out)
}

/// Append `section` (written with `\n`) at the end of the body, in the file's
/// line endings, separated from what comes before by one blank line.
pub fn append_section(text: &str, section: &str) -> String {
    let nl = line_ending(text);
    let mut out = String::with_capacity(text.len() + section.len() + 4);
    out.push_str(text);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(nl);
    }
    let blank_before = out.ends_with(&format!("{nl}{nl}")) || out.ends_with("\n\n");
    if !blank_before {
        out.push_str(nl);
    }
    if nl == "\n" {
        out.push_str(section);
    } else {
        out.push_str(&section.replace('\n', nl));
    }
    out
}

/// Append `item` (one YAML flow value, e.g. `{id: X, due: 2026-09-15}`) to
/// the top-level list `key` of a whole YAML document (such as
/// `portfolio.yaml`), touching no other byte: a block list gets one more
/// `- item` line after its last entry, in its own indentation; a one-line
/// flow list (`[]`, `[a, b]`) gets the item before its `]`; a missing key is
/// added at the end. The result is parsed again: the list must be one item
/// longer, ending in `item`, and every other top-level key unchanged.
pub fn append_list_item(yaml: &str, key: &str, item: &str) -> Result<String, EditError> {
    let nl = line_ending(yaml);
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let start = lines.iter().position(|l| is_key_line(l, key));
    let mut out = String::with_capacity(yaml.len() + item.len() + 8);
    match start {
        None => {
            out.push_str(yaml);
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(nl);
            }
            out.push_str(&format!("{key}:{nl}  - {item}{nl}"));
        }
        Some(i) => {
            let line = lines[i];
            let body = line.trim_end_matches(['\r', '\n']);
            let ending = &line[body.len()..];
            let colon = body.find(':').map_or(body.len(), |c| c + 1);
            let rest = &body[colon..];
            let comment = trailing_comment(rest);
            let value = rest[..rest.len() - comment.len()].trim();
            // The lines that belong to the entry: indented, or a list item at
            // the key's own indentation (YAML allows `key:\n- a`).
            let mut end = i + 1;
            let mut last = i;
            while end < lines.len() {
                let t = lines[end].trim_end_matches(['\r', '\n']);
                if t.trim().is_empty() || t.trim_start().starts_with('#') {
                    end += 1;
                    continue;
                }
                if t.starts_with([' ', '\t']) || t.starts_with("- ") || t == "-" {
                    last = end;
                    end += 1;
                    continue;
                }
                break;
            }
            for l in &lines[..i] {
                out.push_str(l);
            }
            if value.starts_with('[') {
                if last != i || !value.ends_with(']') {
                    return Err(EditError::MultiLine(key.to_owned()));
                }
                let inner = value[1..value.len() - 1].trim();
                let list = if inner.is_empty() { format!("[{item}]") } else { format!("[{inner}, {item}]") };
                let prefix = &body[..colon];
                out.push_str(&format!("{prefix} {list}{comment}{ending}"));
                for l in &lines[i + 1..] {
                    out.push_str(l);
                }
            } else if !value.is_empty() {
                return Err(EditError::MultiLine(key.to_owned()));
            } else {
                let indent = lines[i + 1..=last]
                    .iter()
                    .map(|l| l.trim_end_matches(['\r', '\n']))
                    .find(|t| t.trim_start().starts_with('-'))
                    .map(|t| &t[..t.len() - t.trim_start().len()]);
                let indent = match (indent, last == i) {
                    (Some(ind), _) => ind.to_owned(),
                    (None, true) => "  ".to_owned(),
                    // Entries that are not list items: not a list.
                    (None, false) => return Err(EditError::Verify),
                };
                for l in &lines[i..=last] {
                    out.push_str(l);
                }
                if !out.ends_with('\n') {
                    out.push_str(nl);
                }
                out.push_str(&format!("{indent}- {item}{nl}"));
                for l in &lines[last + 1..] {
                    out.push_str(l);
                }
            }
        }
    }
    verify_append(yaml, &out, key, item)?;
    Ok(out)
}

fn verify_append(before: &str, after: &str, key: &str, item: &str) -> Result<(), EditError> {
    let parse = |t: &str| serde_yaml::from_str::<serde_yaml::Value>(t.strip_prefix('\u{feff}').unwrap_or(t));
    let (Ok(old), Ok(new), Ok(want)) = (parse(before), parse(after), parse(item)) else {
        return Err(EditError::Verify);
    };
    let list = |v: &serde_yaml::Value| match v.get(key) {
        None | Some(serde_yaml::Value::Null) => Some(Vec::new()),
        Some(serde_yaml::Value::Sequence(s)) => Some(s.clone()),
        Some(_) => None,
    };
    let (Some(mut was), Some(is)) = (list(&old), list(&new)) else { return Err(EditError::Verify) };
    was.push(want);
    let others_same = match (old.as_mapping(), new.as_mapping()) {
        (Some(o), Some(n)) => {
            let k = serde_yaml::Value::String(key.to_owned());
            o.iter().filter(|(x, _)| **x != k).eq(n.iter().filter(|(x, _)| **x != k))
        }
        (None, Some(_)) => old.is_null(),
        _ => false,
    };
    if was == is && others_same { Ok(()) } else { Err(EditError::Verify) }
}

/// A YAML scalar for free text: plain when that reads back as the same
/// string, else single-quoted.
pub fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.contains([':', '#', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`'])
        && !text.starts_with(['-', '?', ' '])
        && !text.ends_with(' ')
        && text.chars().all(|c| !c.is_control())
        && serde_yaml::from_str::<serde_yaml::Value>(text).ok() == Some(serde_yaml::Value::String(text.to_owned()));
    if plain { text.to_owned() } else { format!("'{}'", text.replace('\'', "''")) }
}

/// A top-level (unindented) `key:` line.
fn is_key_line(line: &str, key: &str) -> bool {
    crate::text::locate::key_matches(line, key)
}

/// Whether the entry on line `i` goes on over indented lines after it
/// (comment lines do not count).
fn continues(lines: &[&str], i: usize) -> bool {
    lines.get(i + 1).is_some_and(|next| {
        let t = next.trim_end_matches(['\r', '\n']);
        !t.trim().is_empty() && t.starts_with([' ', '\t']) && !t.trim_start().starts_with('#')
    })
}

/// ` # comment` after a plain value, kept when the value is replaced.
fn trailing_comment(rest: &str) -> &str {
    let bytes = rest.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), c) if c == q => quote = None,
            (None, b'#') if i > 0 && (bytes[i - 1] == b' ' || bytes[i - 1] == b'\t') => {
                let start = rest[..i].trim_end_matches([' ', '\t']).len();
                return &rest[start..];
            }
            _ => {}
        }
    }
    ""
}

fn verify(text: &str, key: &str, value: &str) -> Result<(), EditError> {
    let split = frontmatter::split(text).map_err(|_| EditError::Verify)?;
    let parsed: serde_yaml::Value = serde_yaml::from_str(split.yaml).map_err(|_| EditError::Verify)?;
    let want: serde_yaml::Value = serde_yaml::from_str(value).map_err(|_| EditError::Verify)?;
    if parsed.get(key) == Some(&want) { Ok(()) } else { Err(EditError::Verify) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_in_place_keeping_comment_and_crlf() {
        let text = "---\r\nid: DD-1   # the id\r\nstate: active  # note\r\n---\r\nbody\r\n";
        let out = set_field(text, "state", "on_hold").expect("edits");
        assert_eq!(out, "---\r\nid: DD-1   # the id\r\nstate: on_hold  # note\r\n---\r\nbody\r\n");
    }

    #[test]
    fn adds_missing_key_before_closing_fence() {
        let text = "\u{feff}---\nid: DD-1\n---\n# T\n";
        let out = set_field(text, "state_reason", "'Venter: på hjemmel'").expect("edits");
        assert_eq!(out, "\u{feff}---\nid: DD-1\nstate_reason: 'Venter: på hjemmel'\n---\n# T\n");
    }

    #[test]
    fn refuses_multi_line_values() {
        let text = "---\nstate_reason: |\n  lang\n  tekst\n---\n";
        assert_eq!(set_field(text, "state_reason", "x"), Err(EditError::MultiLine("state_reason".into())));
    }

    #[test]
    fn does_not_touch_nested_keys_of_the_same_name() {
        let text = "---\nstatus:\n  state: x\nstate: active\n---\n";
        assert_eq!(
            set_field(text, "state", "stopped").expect("edits"),
            "---\nstatus:\n  state: x\nstate: stopped\n---\n"
        );
    }

    #[test]
    fn appends_sections_in_the_files_line_endings() {
        assert_eq!(append_section("a\r\nb", "## K\n\n- [ ] x\n"), "a\r\nb\r\n\r\n## K\r\n\r\n- [ ] x\r\n");
        assert_eq!(append_section("a\n\n", "## K\n"), "a\n\n## K\n");
    }

    #[test]
    fn appends_to_a_block_list_keeping_every_other_byte() {
        let yaml = "name: X  # navn\r\nrounds:\r\n- {id: A, opens: 2026-01-01, due: 2026-02-01}  # første\r\n\r\n# phases\r\nphases: []\r\n";
        let out = append_list_item(yaml, "rounds", "{id: B, opens: 2026-08-15, due: 2026-09-15}").expect("edits");
        assert_eq!(
            out,
            "name: X  # navn\r\nrounds:\r\n- {id: A, opens: 2026-01-01, due: 2026-02-01}  # første\r\n- {id: B, opens: 2026-08-15, due: 2026-09-15}\r\n\r\n# phases\r\nphases: []\r\n"
        );
        let nested = "rounds:\n  - id: A\n    opens: 2026-01-01\n    due: 2026-02-01\nphases: []\n";
        let out = append_list_item(nested, "rounds", "{id: B, opens: 2026-08-15, due: 2026-09-15}").expect("edits");
        assert_eq!(
            out,
            "rounds:\n  - id: A\n    opens: 2026-01-01\n    due: 2026-02-01\n  - {id: B, opens: 2026-08-15, due: 2026-09-15}\nphases: []\n"
        );
    }

    #[test]
    fn appends_to_a_flow_list_or_adds_the_key() {
        assert_eq!(
            append_list_item("a: 1\nrounds: []  # none\n", "rounds", "x").expect("edits"),
            "a: 1\nrounds: [x]  # none\n"
        );
        assert_eq!(append_list_item("rounds: [a, b]\n", "rounds", "c").expect("edits"), "rounds: [a, b, c]\n");
        assert_eq!(append_list_item("a: 1", "rounds", "x").expect("edits"), "a: 1\nrounds:\n  - x\n");
        assert_eq!(append_list_item("rounds:\nb: 2\n", "rounds", "x").expect("edits"), "rounds:\n  - x\nb: 2\n");
        assert!(append_list_item("rounds: [a,\n  b]\n", "rounds", "c").is_err());
        assert!(append_list_item("rounds: 3\n", "rounds", "c").is_err());
    }

    #[test]
    fn quotes_free_text_only_when_needed() {
        assert_eq!(yaml_scalar("2026-T3"), "2026-T3");
        assert_eq!(yaml_scalar("Vår: 2026"), "'Vår: 2026'");
        assert_eq!(yaml_scalar("it's"), "'it''s'");
        assert_eq!(yaml_scalar("2026"), "'2026'");
        assert_eq!(yaml_scalar("true"), "'true'");
    }

    #[test]
    fn removes_a_key() {
        assert_eq!(remove_field("---\na: 1\nb: 2\n---\n", "a").expect("edits"), "---\nb: 2\n---\n");
    }
}
