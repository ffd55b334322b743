//! Text, below the domain: the front-matter split, the Markdown body, YAML
//! helpers and key locations, byte-preserving edits, slugs, and making a
//! value safe to show. Here too: matching and "did you mean".

pub mod body;
pub mod clean;
pub mod edit;
pub mod frontmatter;
pub mod locate;
pub mod slug;
pub mod yaml;
pub mod yaml_fast;

/// Normalise for matching criteria and headings: case, runs of whitespace and
/// a final period do not matter.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_whitespace() {
            gap = !out.is_empty();
        } else {
            if gap {
                out.push(' ');
                gap = false;
            }
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
    let keep = out.trim_end_matches('.').trim_end().len();
    out.truncate(keep);
    out
}

/// Line starts of a text, for many offset → line and column lookups.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&w, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Many [`suggest`] lookups among the same candidates (every ID of a large
/// portfolio): each candidate lowercased once, in sorted order, so that
/// equally close candidates always give the same answer.
pub struct Suggestions<'a> {
    lower: Vec<(String, &'a str)>,
}

impl<'a> Suggestions<'a> {
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut lower: Vec<(String, &'a str)> = candidates.into_iter().map(|c| (c.to_lowercase(), c)).collect();
        lower.sort_unstable_by(|a, b| a.1.cmp(b.1));
        Suggestions { lower }
    }

    /// What [`suggest`] says of `word` among the candidates `skip` keeps.
    pub fn best(&self, word: &str, skip: impl Fn(&str) -> bool) -> Option<&'a str> {
        let w = word.to_lowercase();
        self.lower
            .iter()
            .filter(|(_, c)| !skip(c))
            .map(|(l, c)| (strsim::jaro_winkler(&w, l), *c))
            .filter(|(score, _)| *score >= 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, c)| c)
    }
}

/// `path:line:col`-style line and column (1-based, column in characters) of a
/// byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_case_space_and_final_period() {
        assert_eq!(normalize("  Behov  er\tBESKREVET. "), "behov er beskrevet");
        assert_eq!(normalize("Ærlig ØKONOMI."), "ærlig økonomi");
        assert_eq!(normalize("..."), "");
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        let text = "ab\nçd\n\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(index.line_col(offset), line_col(text, offset), "offset {offset}");
        }
    }

    #[test]
    fn normalizes() {
        assert_eq!(normalize("  Behov er   beskrevet. "), "behov er beskrevet");
        assert_eq!(normalize("BEHOV ER BESKREVET"), "behov er beskrevet");
    }

    #[test]
    fn suggests_close_words() {
        assert_eq!(suggest("ownr", ["owner", "title"]), Some("owner"));
        assert_eq!(suggest("zzz", ["owner", "title"]), None);
    }

    #[test]
    fn line_and_column() {
        assert_eq!(line_col("ab\ncæd", 6), (2, 3));
        assert_eq!(line_col("ab\ncæd", 5), (2, 2));
        assert_eq!(line_col("", 10), (1, 1));
    }
}
