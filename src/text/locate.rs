//! Finding where a key path stands in YAML text, for diagnostics.
//!
//! The YAML crate's values carry no positions, so after a parse we look the
//! key up in the text: block mappings by indentation, flow mappings on the
//! parent's line. It is a best effort: when a key cannot be found, the
//! nearest parent's position is returned, and at worst the first line.

/// One step of a path into the front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// 0-based (line, byte column) of `path` in `yaml`, or of its longest prefix found.
pub fn locate(yaml: &str, path: &[Step<'_>]) -> (usize, usize) {
    let lines: Vec<&str> = yaml.lines().collect();
    locate_in(&lines, path)
}

/// [`locate`] over text already split into lines (for many lookups in one file).
pub fn locate_in(lines: &[&str], path: &[Step<'_>]) -> (usize, usize) {
    // The current node: its line, its column, and the range of lines holding its children.
    let mut at = (0usize, 0usize);
    let mut range = 0..lines.len();
    let mut parent_indent: Option<usize> = None;
    for step in path {
        match find_step(lines, range.clone(), parent_indent, at, *step) {
            Some((line, col)) => {
                at = (line, col);
                parent_indent = Some(col);
                // A key's children may be a block sequence at the key's own
                // indentation (`key:\n- a`); a sequence item's may not.
                let is_item = matches!(step, Step::Index(_));
                let end = (line + 1..lines.len())
                    .find(|&i| {
                        let l = lines[i];
                        let indent = indent_of(l);
                        !is_blank(l)
                            && (indent < col || (indent == col && (is_item || !l.trim_start().starts_with('-'))))
                    })
                    .unwrap_or(lines.len());
                range = line..end;
            }
            None => break,
        }
    }
    at
}

/// The top-level keys of a block mapping and their 0-based (line, byte
/// column), found in one pass, so a file with many keys costs linear time
/// where a [`locate_in`] per key would cost quadratic. The first occurrence
/// wins; keys written in ways this does not read (escapes, flow style) are
/// absent.
pub fn top_level_keys<'a>(lines: &[&'a str]) -> TopLevelKeys<'a> {
    let mut keys = Vec::new();
    if let Some(indent) = lines.iter().find(|l| !is_blank(l)).map(|l| indent_of(l)) {
        for (i, line) in lines.iter().enumerate() {
            if !is_blank(line)
                && indent_of(line) == indent
                && let Some(key) = key_text(&line[indent..])
            {
                keys.push((key, (i, indent)));
            }
        }
    }
    TopLevelKeys { keys, next: 0, index: None }
}

/// The top-level keys in the order they are written. Asked for in that
/// order too, as a parsed mapping gives them, each is the next one; asked
/// out of order, they are looked up in an index built then, once. Each key
/// is asked for once: a mapping has no key twice, and the next entry is
/// taken to be the first time its key is written.
pub struct TopLevelKeys<'a> {
    keys: Vec<(&'a str, (usize, usize))>,
    next: usize,
    index: Option<std::collections::HashMap<&'a str, (usize, usize)>>,
}

impl TopLevelKeys<'_> {
    /// Where `key` is first written at the top level.
    pub fn get(&mut self, key: &str) -> Option<(usize, usize)> {
        if self.index.is_none()
            && let Some(&(k, at)) = self.keys.get(self.next)
            && k == key
        {
            self.next += 1;
            return Some(at);
        }
        let keys = &self.keys;
        let index = self.index.get_or_insert_with(|| {
            let mut index = std::collections::HashMap::with_capacity(keys.len());
            for &(k, at) in keys {
                index.entry(k).or_insert(at);
            }
            index
        });
        index.get(key).copied()
    }

    /// How many top-level keys are written (a key written twice counts twice).
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The key of a `key: value` line: plain, or quoted without escapes.
fn key_text(content: &str) -> Option<&str> {
    if let Some(q) = content.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let inner = &content[1..];
        let end = inner.find(q)?;
        let key = &inner[..end];
        let rest = inner[end + 1..].trim_start_matches(' ');
        return (rest.starts_with(':') && !key.contains('\\')).then_some(key);
    }
    if content.starts_with(['-', '?', '[', '{', '#', '&', '!', '|', '>']) {
        return None;
    }
    let colon = content
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| content[i + 1..].is_empty() || content[i + 1..].starts_with([' ', '\t']))?;
    let key = content[..colon].trim_end_matches(' ');
    (!key.is_empty() && !key.contains(" #")).then_some(key)
}

fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn find_step(
    lines: &[&str],
    range: std::ops::Range<usize>,
    parent_indent: Option<usize>,
    parent_at: (usize, usize),
    step: Step<'_>,
) -> Option<(usize, usize)> {
    match step {
        Step::Key(key) => {
            // A flow mapping on the parent's own line: `status: { level: red }`.
            if parent_indent.is_some()
                && let Some(line) = lines.get(parent_at.0)
                && let Some(col) = find_key_in(&line[parent_at.1.min(line.len())..], key)
            {
                return Some((parent_at.0, parent_at.1 + col));
            }
            for i in range {
                let line = lines[i];
                if is_blank(line) {
                    continue;
                }
                let indent = indent_of(line);
                if let Some(p) = parent_indent
                    && indent <= p
                    && i != parent_at.0
                {
                    continue;
                }
                let mut content = &line[indent..];
                let mut col = indent;
                // `- key: value` starts a mapping inside a sequence item.
                while let Some(rest) = content.strip_prefix("- ") {
                    let trimmed = rest.trim_start_matches(' ');
                    col += content.len() - trimmed.len();
                    content = trimmed;
                }
                if i == parent_at.0 && parent_indent.is_some() && col <= parent_at.1 {
                    continue;
                }
                if key_matches(content, key) {
                    return Some((i, col));
                }
            }
            None
        }
        Step::Index(n) => {
            let mut seen = 0;
            for i in range {
                let line = lines[i];
                if is_blank(line) {
                    continue;
                }
                let indent = indent_of(line);
                let content = &line[indent..];
                if (content.starts_with("- ") || content == "-") && parent_indent.is_none_or(|p| indent >= p) {
                    if i == parent_at.0 && indent < parent_at.1 {
                        continue;
                    }
                    if seen == n {
                        return Some((i, indent));
                    }
                    seen += 1;
                }
            }
            // A flow sequence on the parent's line: point at the parent.
            None
        }
    }
}

/// Whether `content` begins with `key:` (plain or quoted).
pub fn key_matches(content: &str, key: &str) -> bool {
    for quote in ["", "\"", "'"] {
        if let Some(rest) = content.strip_prefix(quote)
            && let Some(rest) = rest.strip_prefix(key)
            && let Some(rest) = rest.strip_prefix(quote)
        {
            let rest = rest.trim_start_matches(' ');
            if rest.starts_with(':') {
                return true;
            }
        }
    }
    false
}

/// Byte offset of `key:` inside a flow mapping in `text`.
fn find_key_in(text: &str, key: &str) -> Option<usize> {
    let brace = text.find('{')?;
    let mut search = brace + 1;
    while let Some(rel) = text[search..].find(key) {
        let at = search + rel;
        let before = text[..at].trim_end_matches([' ', '"', '\'']);
        if (before.ends_with('{') || before.ends_with(',')) && key_matches(text[at..].trim_start(), key) {
            return Some(at);
        }
        search = at + key.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "id: DD-1\nstatus:\n  level: red\n  reason: x\nrisk: { level: yellow, mitigation: y }\nmilestones:\n  - name: a\n    date: 2025-01-01\n  - name: b\n    date: nope\n";

    #[test]
    fn finds_top_level_and_nested_keys() {
        assert_eq!(locate(YAML, &[Step::Key("id")]), (0, 0));
        assert_eq!(locate(YAML, &[Step::Key("status"), Step::Key("reason")]), (3, 2));
        assert_eq!(locate(YAML, &[Step::Key("risk"), Step::Key("mitigation")]), (4, 23));
    }

    #[test]
    fn finds_sequence_items() {
        assert_eq!(locate(YAML, &[Step::Key("milestones"), Step::Index(1), Step::Key("date")]), (9, 4));
        assert_eq!(locate(YAML, &[Step::Key("milestones"), Step::Index(1)]), (8, 2));
    }

    #[test]
    fn indexes_top_level_keys_in_one_pass() {
        let lines: Vec<&str> = YAML.lines().collect();
        let mut keys = top_level_keys(&lines);
        assert_eq!(keys.get("id"), Some((0, 0)));
        assert_eq!(keys.get("risk"), Some((4, 0)));
        assert_eq!(keys.get("milestones"), Some((5, 0)));
        assert_eq!(keys.get("level"), None, "nested keys are not top-level");
        let lines = ["\"a b\": 1", "'c': 2", "d:e: 3", "url: http://x", "- x"];
        let mut keys = top_level_keys(&lines);
        assert_eq!(keys.get("a b"), Some((0, 0)));
        assert_eq!(keys.get("c"), Some((1, 0)));
        assert_eq!(keys.get("d:e"), Some((2, 0)));
        assert_eq!(keys.get("url"), Some((3, 0)));
        assert_eq!(keys.len(), 4);
    }

    #[test]
    fn falls_back_to_parent() {
        assert_eq!(locate(YAML, &[Step::Key("status"), Step::Key("updated")]), (1, 0));
        assert_eq!(locate(YAML, &[Step::Key("nothing")]), (0, 0));
    }
}
