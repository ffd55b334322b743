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
    fn removes_a_key() {
        assert_eq!(remove_field("---\na: 1\nb: 2\n---\n", "a").expect("edits"), "---\nb: 2\n---\n");
    }
}
