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
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A run that stands as it is (ASCII other than capitals and
        // whitespace, single spaces between its words) is copied whole;
        // anything else one character at a time.
        let start = i;
        while i < bytes.len() {
            match CLASS[usize::from(bytes[i])] {
                KEPT => i += 1,
                SPACE
                    if bytes[i] == b' '
                        && i > start
                        && bytes.get(i + 1).is_some_and(|&n| CLASS[usize::from(n)] == KEPT) =>
                {
                    i += 2
                }
                _ => break,
            }
        }
        if i > start {
            if gap {
                out.push(' ');
                gap = false;
            }
            out.push_str(&text[start..i]);
            continue;
        }
        let b = bytes[i];
        let c = match CLASS[usize::from(b)] {
            SPACE => {
                i += 1;
                gap = !out.is_empty();
                continue;
            }
            CAPITAL => {
                i += 1;
                char::from(b.to_ascii_lowercase())
            }
            _ => {
                let Some(c) = text[i..].chars().next() else { break };
                i += c.len_utf8();
                if c.is_whitespace() {
                    gap = !out.is_empty();
                    continue;
                }
                c
            }
        };
        if gap {
            out.push(' ');
            gap = false;
        }
        match lowercase_latin1(c) {
            Some(lower) => out.push(lower),
            None => out.extend(c.to_lowercase()),
        }
    }
    let keep = out.trim_end_matches('.').trim_end().len();
    out.truncate(keep);
    out
}

/// What [`normalize`] does with a byte: ASCII that stands as it is, an ASCII
/// capital, ASCII whitespace, or a byte of a character beyond ASCII.
const KEPT: u8 = 0;
const CAPITAL: u8 = 1;
const SPACE: u8 = 2;
const BEYOND: u8 = 3;
static CLASS: [u8; 256] = {
    let mut table = [BEYOND; 256];
    let mut b = 0;
    while b < 128 {
        table[b as usize] = match b {
            b'A'..=b'Z' => CAPITAL,
            b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => SPACE,
            _ => KEPT,
        };
        b += 1;
    }
    table
};

/// The lowercase of a character below U+0100 that is not whitespace, without
/// the Unicode tables (which cost more than the rest of matching): the
/// capitals À–Þ (but ×) are 0x20 below their small letters, and every other
/// character there is its own lowercase. `None` above U+00FF.
fn lowercase_latin1(c: char) -> Option<char> {
    match u32::from(c) {
        0xC0..=0xDE if c != '×' => char::from_u32(u32::from(c) + 0x20),
        0..=0xFF => Some(c.to_ascii_lowercase()),
        _ => None,
    }
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

    /// The index of a text whose line starts (each line's first byte, the
    /// first at 0) were found while reading it.
    pub fn from_starts(text: &'a str, starts: Vec<usize>) -> Self {
        let starts = if starts.first() == Some(&0) { starts } else { std::iter::once(0).chain(starts).collect() };
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
        .filter(|(score, _)| *score >= THRESHOLD)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Many [`suggest`] lookups among the same candidates (every ID of a large
/// portfolio). The answer is the one a scan of every candidate in sorted
/// order would give (the best Jaro-Winkler score of at least 0.85; of equally
/// close candidates the last in sorted order, so every run gives the same),
/// but only a few candidates are scored: they are kept lowercased, grouped by
/// length and sorted, and a lookup walks each group as a trie, leaving out
/// every branch whose score cannot reach the best found so far (see
/// [`Bound`]). A lookup costs about the same among 300 IDs as among 30 000.
pub struct Suggestions<'a> {
    /// One group per length in characters, each sorted by lowercased text,
    /// then by the candidate itself.
    groups: Vec<Group<'a>>,
}

struct Entry<'a> {
    lower: String,
    chars: Box<[char]>,
    original: &'a str,
}

struct Group<'a> {
    len: usize,
    entries: Vec<Entry<'a>>,
}

/// Scores equal up to this are treated as equal when leaving out a branch,
/// so that rounding in the bound never leaves out a candidate that ties.
const SLACK: f64 = 1e-9;
const THRESHOLD: f64 = 0.85;
/// The floors of a lookup's passes, the last the threshold.
const PASSES: [f64; 3] = [0.96, 0.92, THRESHOLD];

impl<'a> Suggestions<'a> {
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut all: Vec<Entry<'a>> = candidates
            .into_iter()
            .map(|c| {
                let lower = c.to_lowercase();
                let chars = lower.chars().collect();
                Entry { lower, chars, original: c }
            })
            .collect();
        all.sort_unstable_by(|a, b| {
            a.chars
                .len()
                .cmp(&b.chars.len())
                .then_with(|| a.lower.cmp(&b.lower))
                .then_with(|| a.original.cmp(b.original))
        });
        let mut groups: Vec<Group<'a>> = Vec::new();
        for e in all.drain(..) {
            match groups.last_mut() {
                Some(g) if g.len == e.chars.len() => g.entries.push(e),
                _ => groups.push(Group { len: e.chars.len(), entries: vec![e] }),
            }
        }
        Suggestions { groups }
    }

    /// What [`suggest`] says of `word` among the candidates `skip` keeps.
    pub fn best(&self, word: &str, skip: impl Fn(&str) -> bool) -> Option<&'a str> {
        self.search(word, &skip).0
    }

    /// The best candidate, how many candidates were scored and how many
    /// branches walked.
    fn search(&self, word: &str, skip: &dyn Fn(&str) -> bool) -> (Option<&'a str>, usize, usize) {
        let lower = word.to_lowercase();
        let w: Vec<char> = lower.chars().collect();
        let mut found = Found { word: &lower, best: None, scored: 0, visited: 0, skip, pass: THRESHOLD };
        if w.is_empty() {
            for e in self.groups.iter().flat_map(|g| &g.entries) {
                found.score(e);
            }
            return (found.best.map(|(_, c)| c), found.scored, found.visited);
        }
        // The lengths nearest the word's first, and first only what scores
        // high: a close candidate found early leaves out more of the rest.
        // A pass finds every candidate scoring at least its floor, so one
        // that finds a candidate that high has found the best.
        let mut order: Vec<&Group<'a>> = self.groups.iter().collect();
        order.sort_by_key(|g| (g.len.abs_diff(w.len()), g.len));
        for pass in PASSES {
            found.pass = pass;
            for g in &order {
                let (bound, mut spare) = Bound::new(&w, g.len);
                bound.walk(&g.entries, 0, 0, true, 0, &mut spare, &mut found);
            }
            if found.best.is_some_and(|(s, _)| s >= pass) {
                break;
            }
        }
        (found.best.map(|(_, c)| c), found.scored, found.visited)
    }
}

/// The best so far of one lookup.
struct Found<'w, 'a, 's> {
    word: &'w str,
    best: Option<(f64, &'a str)>,
    scored: usize,
    /// Branches walked, for the tests.
    visited: usize,
    skip: &'s dyn Fn(&str) -> bool,
    /// The floor of this pass.
    pass: f64,
}

impl<'a> Found<'_, 'a, '_> {
    fn score(&mut self, e: &Entry<'a>) {
        if (self.skip)(e.original) {
            return;
        }
        self.scored += 1;
        let score = strsim::jaro_winkler(self.word, &e.lower);
        if score < THRESHOLD {
            return;
        }
        // As `max_by` over the sorted candidates: the last of equal scores.
        let better = match self.best {
            None => true,
            Some((s, c)) => match score.total_cmp(&s) {
                std::cmp::Ordering::Greater => true,
                std::cmp::Ordering::Equal => e.original >= c,
                std::cmp::Ordering::Less => false,
            },
        };
        if better {
            self.best = Some((score, e.original));
        }
    }

    /// No candidate scoring below this can change the answer.
    fn floor(&self) -> f64 {
        self.best.map_or(self.pass, |(s, _)| s.max(self.pass)) - SLACK
    }
}

/// An upper bound of the Jaro-Winkler score of the word against every
/// candidate of one length that starts with a given prefix.
///
/// Jaro counts m matching characters (equal, and at most `window` apart) and
/// the transpositions t among them: (m/|w| + m/|c| + (m - t)/m) / 3.
/// Winkler adds 0.1 × p × (1 - jaro) for a common start of p ≤ 4 characters
/// when jaro > 0.7; the score grows with jaro and with p. Of the prefix, only
/// the characters found in the word within the window of their position can
/// match, and no more of them than the word has of that character; every
/// character after the prefix might. With t = 0 that bounds jaro, and p is
/// known once the prefix differs from the word's start.
struct Bound<'w> {
    w: &'w [char],
    len: usize,
    window: usize,
    /// The word's distinct characters, for [`Bound::walk`]'s `spare`.
    distinct: Vec<char>,
}

impl<'w> Bound<'w> {
    /// The bound for candidates of `len` characters, and how many of each of
    /// the word's distinct characters a candidate can match.
    fn new(w: &'w [char], len: usize) -> (Self, Vec<usize>) {
        let mut distinct: Vec<char> = w.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let spare = distinct.iter().map(|d| w.iter().filter(|c| *c == d).count()).collect();
        (Bound { w, len, window: (w.len().max(len) / 2).saturating_sub(1), distinct }, spare)
    }

    /// Can candidate character `c` at position `j` match a character of the word?
    fn can_match(&self, j: usize, c: char) -> bool {
        let lo = j.saturating_sub(self.window);
        let hi = (j + self.window + 1).min(self.w.len());
        lo < hi && self.w[lo..hi].contains(&c)
    }

    /// The bound for a prefix of `depth` characters of which `matchable` can
    /// match; `same` while the prefix is the word's start, else `common` is
    /// the length of their common start.
    fn score(&self, depth: usize, matchable: usize, same: bool, common: usize) -> f64 {
        let (lw, lc) = (self.w.len(), self.len);
        if lc == 0 {
            return 1.0;
        }
        let m = (matchable + (lc - depth)).min(lw).min(lc);
        if m == 0 {
            return 0.0;
        }
        let jaro = (m as f64 / lw as f64 + m as f64 / lc as f64 + 1.0) / 3.0;
        if jaro <= 0.7 {
            return jaro;
        }
        let p = if same { 4.min(lw).min(lc) } else { common.min(4) };
        jaro + 0.1 * p as f64 * (1.0 - jaro)
    }

    /// Score the candidates of `entries` (all sharing their first `depth`
    /// characters) that can reach the best so far. `spare` is, for each of
    /// the word's distinct characters, how many the prefix has not yet
    /// counted as matchable.
    #[allow(clippy::too_many_arguments)]
    fn walk<'a>(
        &self,
        entries: &[Entry<'a>],
        depth: usize,
        matchable: usize,
        same: bool,
        common: usize,
        spare: &mut [usize],
        found: &mut Found<'_, 'a, '_>,
    ) {
        found.visited += 1;
        if self.score(depth, matchable, same, common) < found.floor() {
            return;
        }
        if depth == self.len {
            for e in entries {
                found.score(e);
            }
            return;
        }
        // The children, by the character at `depth`; the word's own first.
        let mut children: Vec<(char, usize, usize)> = Vec::new();
        let mut lo = 0;
        while lo < entries.len() {
            let c = entries[lo].chars[depth];
            let hi = lo + entries[lo..].partition_point(|e| e.chars[depth] <= c);
            children.push((c, lo, hi));
            lo = hi;
        }
        if let Some(own) = self.w.get(depth)
            && let Some(i) = children.iter().position(|(c, ..)| c == own)
        {
            children[..=i].rotate_right(1);
        }
        for (c, lo, hi) in children {
            let slot = match self.can_match(depth, c) {
                true => self.distinct.binary_search(&c).ok().filter(|&s| spare[s] > 0),
                false => None,
            };
            if let Some(s) = slot {
                spare[s] -= 1;
            }
            let matchable = matchable + usize::from(slot.is_some());
            let (same, common) = match same && self.w.get(depth) == Some(&c) {
                true => (true, depth + 1),
                false => (false, common),
            };
            self.walk(&entries[lo..hi], depth + 1, matchable, same, common, spare, found);
            if let Some(s) = slot {
                spare[s] += 1;
            }
        }
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

    /// The definition the fast path must agree with: every character through
    /// the Unicode tables.
    fn normalize_by_char(text: &str) -> String {
        let mut out = String::new();
        let mut gap = false;
        for c in text.chars() {
            if c.is_whitespace() {
                gap = !out.is_empty();
            } else {
                if gap {
                    out.push(' ');
                    gap = false;
                }
                out.extend(c.to_lowercase());
            }
        }
        let keep = out.trim_end_matches('.').trim_end().len();
        out.truncate(keep);
        out
    }

    #[test]
    fn normalize_agrees_with_the_unicode_tables_for_every_character() {
        // Every character through U+FFFF and past it, alone, in runs of ASCII and at the end.
        for c in (0..0x1_0000).chain(0x1_0400..0x1_0500).filter_map(char::from_u32) {
            for text in [format!("{c}"), format!("Ab{c}cD {c}\t{c}."), format!("  X{c}{c}Y  . ")] {
                assert_eq!(normalize(&text), normalize_by_char(&text), "{:?}", text);
            }
        }
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

    /// The scan of every candidate that `Suggestions` replaces.
    fn scan_all<'a>(word: &str, candidates: &[&'a str], skip: impl Fn(&str) -> bool) -> Option<&'a str> {
        let mut sorted = candidates.to_vec();
        sorted.sort_unstable();
        suggest(word, sorted.into_iter().filter(|c| !skip(c)))
    }

    fn ids(prefix: &str, range: std::ops::RangeInclusive<u32>) -> Vec<String> {
        range.map(|n| format!("{prefix}-{n}")).collect()
    }

    #[test]
    fn suggestions_for_typos_of_ids() {
        let mut all = ids("DD", 1..=10_000);
        all.retain(|id| id != "DD-658" && id != "DD-5012");
        all.extend(ids("SKE", 1..=40));
        all.push("NAV-2024-17".to_owned());
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let index = Suggestions::new(refs.iter().copied());
        let none = |_: &str| false;
        for (typo, want) in [
            ("DD-999999", Some("DD-9999")),
            ("dd-5011", Some("DD-5011")),
            ("DD-5O12", Some("DD-512")),
            ("DD-658", Some("DD-6958")),
            ("DD-10001", Some("DD-1001")),
            ("ske-7", Some("SKE-7")),
            ("SKE7", Some("SKE-7")),
            ("NAV-2024-71", Some("NAV-2024-17")),
            ("nav-2024-17", Some("NAV-2024-17")),
            ("XYZ", None),
            ("", None),
        ] {
            assert_eq!(index.best(typo, none), scan_all(typo, &refs, none), "{typo}: as the full scan");
            assert_eq!(index.best(typo, none), want, "{typo}");
        }
        // A tiltak is not its own "did you mean".
        let own = |c: &str| c.eq_ignore_ascii_case("DD-5011");
        assert_eq!(index.best("DD-5011", own), scan_all("DD-5011", &refs, own));
        assert_ne!(index.best("DD-5011", own), Some("DD-5011"));
    }

    #[test]
    fn suggestions_agree_with_the_full_scan() {
        let mut all = ids("DD", 1..=2_500);
        all.extend(ids("SKE", 90..=400));
        all.extend(ids("NAV-2025", 1..=60));
        all.extend(["dd-17", "Dd-17", "DD-ÆØ1", "X", "ab-1"].map(str::to_owned));
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let index = Suggestions::new(refs.iter().copied());
        // Typos made by a small fixed generator: deleted, doubled, swapped
        // and replaced characters, case, and other prefixes.
        let mut state: u64 = 7;
        let mut next = |n: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        let alphabet: Vec<char> = "0123456789-dDsSkKeEnNaAvVxø".chars().collect();
        for _ in 0..1_500 {
            let mut w: Vec<char> = refs[next(refs.len())].chars().collect();
            for _ in 0..=next(3) {
                let i = next(w.len() + 1);
                match next(5) {
                    0 if i < w.len() => {
                        w.remove(i);
                    }
                    1 => w.insert(i.min(w.len()), alphabet[next(alphabet.len())]),
                    2 if i + 1 < w.len() => w.swap(i, i + 1),
                    3 if i < w.len() => w[i] = alphabet[next(alphabet.len())],
                    _ if i < w.len() => w[i] = w[i].to_ascii_uppercase(),
                    _ => {}
                }
            }
            let typo: String = w.into_iter().collect();
            let own = refs[next(refs.len())];
            let skip = |c: &str| c.eq_ignore_ascii_case(own);
            assert_eq!(index.best(&typo, skip), scan_all(&typo, &refs, skip), "{typo:?} (not {own})");
        }
    }

    #[test]
    fn a_lookup_among_30000_ids_scores_few() {
        let all = ids("DD", 1..=30_000);
        let index = Suggestions::new(all.iter().map(String::as_str));
        for typo in ["DD-999999", "DD-29554", "DD-2554", "dd-15O02", "DD-30001", "DD-12", "XX-1234"] {
            let (best, scored, walked) = index.search(typo, &|_| false);
            assert!(scored <= 50, "{typo}: {scored} of 30 000 scored (suggests {best:?})");
            assert!(walked <= 2_000, "{typo}: {walked} branches walked (suggests {best:?})");
        }
        assert_eq!(index.search("DD-999999", &|_| false).0, Some("DD-9999"));
    }

    #[test]
    fn line_and_column() {
        assert_eq!(line_col("ab\ncæd", 6), (2, 3));
        assert_eq!(line_col("ab\ncæd", 5), (2, 2));
        assert_eq!(line_col("", 10), (1, 1));
    }
}
