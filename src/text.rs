//! Small text helpers shared by matching and suggestions.

/// Normalise for matching criteria and headings: case, runs of whitespace and
/// a final period do not matter.
pub fn normalize(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    collapsed.trim_end_matches('.').trim_end().to_owned()
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
