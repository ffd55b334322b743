//! The Markdown body of a tiltak: its sections (for evidence checks) and its
//! criteria checklists, one section per phase reached.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::text::normalize;

/// A heading and whether its section holds real content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading's text, as written.
    pub heading: String,
    /// The heading normalised for matching.
    pub key: String,
    pub level: u8,
    /// Byte offset of the heading in the body.
    pub offset: usize,
    /// Its line in the body (from 1) and column (in characters, from 1).
    pub line: usize,
    pub column: usize,
    /// Real content: text other than HTML comments and placeholders, up to
    /// the next heading of the same or a higher level.
    pub has_content: bool,
}

/// One task-list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskItem {
    /// The item's text without the not-relevant marker.
    pub text: String,
    /// The text normalised for matching.
    pub key: String,
    pub checked: bool,
    /// `Some(reason)` when marked not relevant; the reason may be empty (an error).
    pub not_relevant: Option<String>,
    /// Byte offset of the item (its `[ ]`) in the body.
    pub offset: usize,
    /// Its line in the body (from 1) and column (in characters, from 1).
    pub line: usize,
    pub column: usize,
    /// Index into [`Body::sections`] of the heading the item stands under.
    pub section: Option<usize>,
}

/// What the tool reads from a body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub sections: Vec<Section>,
    pub items: Vec<TaskItem>,
}

impl Body {
    /// Whether a section with this heading (normalised) has real content.
    /// `None` when there is no such section. Level-1 headings are the
    /// document's title, never a section.
    pub fn section_content(&self, heading: &str) -> Option<bool> {
        self.section_content_keyed(&normalize(heading))
    }

    /// [`Body::section_content`] of a heading already normalised.
    pub fn section_content_keyed(&self, want: &str) -> Option<bool> {
        let mut found = None;
        for s in &self.sections {
            if s.level > 1 && s.key == want {
                found = Some(found.unwrap_or(false) || s.has_content);
            }
        }
        found
    }

    /// The index of the section headed exactly `heading` (normalised); the
    /// title (a level-1 heading) is never a section.
    pub fn find_section(&self, heading: &str) -> Option<usize> {
        self.find_section_keyed(&normalize(heading))
    }

    /// [`Body::find_section`] of a heading already normalised.
    pub fn find_section_keyed(&self, want: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.level > 1 && s.key == want)
    }

    /// The task items under section `index`.
    pub fn items_in(&self, index: usize) -> impl Iterator<Item = &TaskItem> {
        self.items.iter().filter(move |i| i.section == Some(index))
    }
}

/// Parse a body. `not_relevant` is the marker label, e.g. `ikke relevant`.
pub fn parse(body: &str, not_relevant: &str) -> Body {
    read_plain(body, not_relevant).unwrap_or_else(|| read_full(body, not_relevant))
}

/// A body as the Markdown parser reads it.
fn read_full(body: &str, not_relevant: &str) -> Body {
    let mut reader = Reader::new(not_relevant);
    for (event, range) in full_parser(body).into_offset_iter() {
        reader.event(event, range);
    }
    reader.finish(&crate::text::LineIndex::new(body))
}

fn full_parser(body: &str) -> Parser<'_> {
    Parser::new_ext(body, Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
}

/// A body of plain lines only, read as the parser would read it but
/// without it (it costs more than reading the file): the events the parser
/// would give are handed to the [`Reader`] as each line is read. Plain
/// lines are blank, an ATX heading (`## Behov`), a task item at the margin
/// (`- [x] Behov er beskrevet.`), a one-line HTML comment or a paragraph
/// line, none with inline markup, indentation, tabs or CR. Anything else
/// (emphasis, links, code, tables, quotes, other lists, setext headings,
/// a line continuing a task item) is `None`: the parser reads it.
fn read_plain(body: &str, not_relevant: &str) -> Option<Body> {
    let plain = |s: &str| !s.bytes().any(|b| MARKUP[usize::from(b)]);
    let mut reader = Reader::new(not_relevant);
    // Each line's start, kept as the lines are read: the lines and columns
    // of headings and items without a second pass over the body.
    let mut starts = Vec::with_capacity(body.len() / 48);
    let mut offset = 0;
    // Whether the previous line was a task item (a plain line after it would continue it).
    let mut after_item = false;
    for raw in body.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        starts.push(start);
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        if line.bytes().all(|b| b == b' ') {
            after_item = false;
            continue;
        }
        let first = line.as_bytes()[0];
        if first == b'#' {
            let hashes = line.bytes().take_while(|&b| b == b'#').count();
            let rest = &line[hashes..];
            let text = rest.trim_start_matches(' ').trim_end_matches(' ');
            if hashes > 6 || !rest.starts_with(' ') || text.is_empty() || text.ends_with('#') || !plain(text) {
                return None;
            }
            let level = match hashes {
                1 => HeadingLevel::H1,
                2 => HeadingLevel::H2,
                3 => HeadingLevel::H3,
                4 => HeadingLevel::H4,
                5 => HeadingLevel::H5,
                _ => HeadingLevel::H6,
            };
            let tag = Tag::Heading { level, id: None, classes: Vec::new(), attrs: Vec::new() };
            reader.event(Event::Start(tag), start..offset);
            reader.event(Event::Text(text.into()), start..offset);
            reader.event(Event::End(TagEnd::Heading(level)), start..offset);
            after_item = false;
        } else if first == b'-' {
            let checked = match line.get(..6) {
                Some("- [ ] ") => false,
                Some("- [x] " | "- [X] ") => true,
                _ => return None,
            };
            let text = line[6..].trim_end_matches(' ');
            if text.is_empty() || text.starts_with(' ') || !plain(text) {
                return None;
            }
            reader.event(Event::Start(Tag::Item), start..offset);
            reader.event(Event::TaskListMarker(checked), start + 2..start + 5);
            reader.event(Event::Text(text.into()), start + 6..start + 6 + text.len());
            reader.event(Event::End(TagEnd::Item), start..offset);
            after_item = true;
        } else if first == b'<' {
            // A one-line comment is an HTML block of its own.
            let text = line.trim_end_matches(' ');
            // The block ends on the line that holds `-->`: this one, or the parser reads it.
            if after_item || !text.starts_with("<!--") || !text[4..].contains("-->") {
                return None;
            }
            reader.event(Event::Start(Tag::HtmlBlock), start..offset);
            reader.event(Event::Html(raw.into()), start..offset);
            reader.event(Event::End(TagEnd::HtmlBlock), start..offset);
        } else {
            // A paragraph line: not a list, quote, rule, setext underline or code.
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            let ordered = digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')'));
            if after_item || ordered || b" +=-#>".contains(&first) || !plain(line) {
                return None;
            }
            let text = line.trim_end_matches(' ');
            reader.event(Event::Text(text.into()), start..start + text.len());
        }
    }
    Some(reader.finish(&crate::text::LineIndex::from_starts(body, starts)))
}

/// Bytes of inline markup, entities, escapes, tables and strikethrough (and
/// tabs and CR): a line with one is the parser's business.
static MARKUP: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"\\`*_[]<>&|~\t\r";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// A task item being read.
struct OpenItem {
    checked: bool,
    offset: usize,
    text: String,
    /// A nested list began: the rest is not the item's text.
    closed: bool,
}

/// What a body says, gathered from its Markdown events one at a time (the
/// parser's, or the plain lines' in their place).
struct Reader {
    out: Body,
    /// The not-relevant marker's label, lowercased once.
    label: String,
    heading: Option<(u8, usize, String)>,
    /// Open sections whose content is still being gathered: indices into out.sections.
    open: Vec<usize>,
    current_section: Option<usize>,
    /// The items open at each depth of list items (`None`: not a task item).
    item_stack: Vec<Option<OpenItem>>,
    html_block: Option<String>,
}

impl Reader {
    fn new(not_relevant: &str) -> Self {
        Reader {
            out: Body::default(),
            label: not_relevant.to_lowercase(),
            heading: None,
            open: Vec::new(),
            current_section: None,
            item_stack: Vec::new(),
            html_block: None,
        }
    }

    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        let out = &mut self.out;
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some((heading_level(level), range.start, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, offset, mut text)) = self.heading.take() {
                    self.open.retain(|&i| out.sections[i].level < level);
                    let key = normalize(&text);
                    trim_in_place(&mut text);
                    out.sections.push(Section {
                        key,
                        heading: text,
                        level,
                        offset,
                        line: 0,
                        column: 0,
                        has_content: false,
                    });
                    let index = out.sections.len() - 1;
                    self.open.push(index);
                    self.current_section = Some(index);
                }
            }
            Event::Start(Tag::HtmlBlock) => self.html_block = Some(String::new()),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(html) = self.html_block.take()
                    && !is_comment(&html)
                {
                    mark_content(out, &self.open);
                }
            }
            Event::Html(text) => {
                if let Some(block) = self.html_block.as_mut() {
                    block.push_str(&text);
                }
            }
            Event::InlineHtml(text) if !is_comment(&text) => mark_content(out, &self.open),
            Event::Start(Tag::Item) => self.item_stack.push(None),
            Event::TaskListMarker(checked) => {
                if let Some(top) = self.item_stack.last_mut() {
                    *top = Some(OpenItem { checked, offset: range.start, text: String::new(), closed: false });
                }
                mark_content(out, &self.open);
            }
            Event::End(TagEnd::Item) => {
                if let Some(Some(OpenItem { checked, offset, mut text, .. })) = self.item_stack.pop() {
                    let not_relevant = split_not_relevant(&mut text, &self.label);
                    out.items.push(TaskItem {
                        key: normalize(&text),
                        text,
                        checked,
                        not_relevant,
                        offset,
                        line: 0,
                        column: 0,
                        section: self.current_section,
                    });
                }
            }
            // A nested list ends the text of the item that holds it.
            Event::Start(Tag::List(_)) => {
                if let Some(Some(item)) = self.item_stack.last_mut() {
                    item.closed = true;
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, h)) = self.heading.as_mut() {
                    h.push_str(&t);
                } else {
                    if let Some(Some(item)) = self.item_stack.last_mut()
                        && !item.closed
                    {
                        item.text.push_str(&t);
                    }
                    if !is_placeholder(&t) {
                        mark_content(out, &self.open);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(Some(item)) = self.item_stack.last_mut()
                    && !item.closed
                {
                    item.text.push(' ');
                }
            }
            Event::Start(Tag::Image { .. }) | Event::Rule => mark_content(out, &self.open),
            _ => {}
        }
    }

    /// The body read, each heading and item placed on its line and column.
    fn finish(mut self, lines: &crate::text::LineIndex<'_>) -> Body {
        let out = &mut self.out;
        out.items.sort_by_key(|i| i.offset);
        for s in &mut out.sections {
            (s.line, s.column) = lines.line_col(s.offset);
        }
        for i in &mut out.items {
            (i.line, i.column) = lines.line_col(i.offset);
        }
        self.out
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn mark_content(body: &mut Body, open: &[usize]) {
    for &i in open {
        body.sections[i].has_content = true;
    }
}

fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
}

/// Template placeholders that do not count as content.
fn is_placeholder(text: &str) -> bool {
    let t = text.trim().trim_matches(|c: char| c == '_' || c == '*').trim();
    // The longest placeholder is 9 bytes, and lowercasing shrinks a
    // character to no less than a third of its bytes (K, the Kelvin sign, to
    // k): longer text is never one, and is not lowercased to find out.
    if t.len() > 3 * "fylles ut".len() {
        return false;
    }
    let t = t.to_lowercase();
    t.is_empty()
        || matches!(t.as_str(), "..." | "…" | "tbd" | "todo" | "tba" | "-" | "xxx" | "?" | "kommer" | "fylles ut")
}

/// Split `Text — ikke relevant: why` into the text (left in `text`,
/// trimmed) and the reason; `label` is lowercase.
fn split_not_relevant(text: &mut String, label: &str) -> Option<String> {
    let (end, reason) = match not_relevant_at(text, label) {
        Some((end, reason)) => (end, Some(reason.to_owned())),
        None => (text.len(), None),
    };
    text.truncate(end);
    trim_in_place(text);
    reason
}

/// Where the text before a not-relevant marker ends, and the reason after it.
fn not_relevant_at<'a>(text: &'a str, label: &str) -> Option<(usize, &'a str)> {
    // The marker follows a dash (`—`, `–`, `--` or `-`): text without one
    // has none, and is not lowercased to find out. `—` and `–` start with
    // the byte 0xE2.
    if !text.bytes().any(|b| b == b'-' || b == 0xE2) || !text.contains(['-', '—', '–']) {
        return None;
    }
    let lower = text.to_lowercase();
    if label.is_empty() {
        return None;
    }
    let at = lower.rfind(&label)?;
    let before = text.get(..at)?.trim_end();
    let stripped = ["—", "–", "--", "-"].iter().find_map(|d| before.strip_suffix(d))?;
    let after = text.get(at + label.len()..)?.trim_start();
    let reason = after.strip_prefix(':').unwrap_or(after).trim();
    Some((stripped.trim_end().len(), reason))
}

/// Trim whitespace off both ends of a string without a new one.
fn trim_in_place(text: &mut String) {
    text.truncate(text.trim_end().len());
    let start = text.len() - text.trim_start().len();
    text.drain(..start);
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "# Tittel\n\n## Behov\n\n<!-- Beskriv behovet -->\n\n## Problembeskrivelse\n\nInnbyggerne må gi samtykke mange steder.\n\n## Kriterier: Problem\n\n- [x] Behov er beskrevet.\n- [ ] Problembeskrivelse   er etablert\n- [x] Budsjett er beskrevet. — ikke relevant: finansieres over drift\n- [x] Noe annet — ikke relevant:\n- vanlig punkt\n";

    /// The body as the Markdown parser reads it, and whether the plain-line
    /// reading took it (and then read it the same).
    fn both(body: &str) -> (Body, bool) {
        let full = read_full(body, "ikke relevant");
        let plain = read_plain(body, "ikke relevant");
        if let Some(plain) = &plain {
            assert_eq!(plain, &full, "{body:?}");
        }
        (full, plain.is_some())
    }

    #[test]
    fn plain_bodies_read_as_the_parser_reads_them() {
        let plain = [
            BODY.replace("<!-- Beskriv behovet -->", "<!-- Beskriv behovet --> ferdig").replace("- vanlig punkt\n", ""),
            "# T\n\n## Behov\nReelt behov.\nAndre linje  \n\n## Kriterier: Problem\n\n- [x] Behov er beskrevet.\n- [X] Budsjett — ikke relevant: drift\n\n- [ ] Tredje: «sitat» (x) 52 000\n".into(),
            "## A\n...\n## B\n\n_x\n".replace("_x", "TBD"),
            "## A\n<!-- en -->\n## B\n<!-- a --> b\n### C\n2024 var året\n".into(),
            "#### Dyp   overskrift   \n- [x] Noe annet — ikke relevant:\n\n".into(),
            String::new(),
        ];
        for body in &plain {
            assert!(both(body).1, "read by the plain lines: {body:?}");
        }
        // Markup of every kind goes to the parser, and reads the same there.
        let markup = [
            BODY,
            "## A\n- [x] ett\nfortsatt\n",
            "## A\n- [x] *ett*\n",
            "## A\n  - [x] inne\n",
            "## A\n- vanlig\n",
            "A\n===\n",
            "## A #\n",
            "#A\n",
            "## A\n1. en\n",
            "## A\n<!--\nlang\n-->\n",
            "## A\n| a | b |\n|---|---|\n",
            "## A\n```\n## ikke\n```\n",
            "## A\n> sitat\n",
            "## A\r\ntekst\r\n",
            "## A\n\n    kode\n",
            "## A\n- [x]\n",
            "## A\n- [x]  to\n",
            "## A\n---\n",
            "## A\nse [lenke](x)\n",
        ];
        for body in markup {
            assert!(!both(body).1, "left to the parser: {body:?}");
        }
    }

    /// Every tiltak file under `PORTFOLIO_BODY_CORPUS` (a folder) reads the
    /// same both ways: `PORTFOLIO_BODY_CORPUS=/path cargo test --lib corpus -- --ignored`.
    #[test]
    #[ignore]
    fn corpus_reads_the_same_both_ways() {
        let root = std::env::var("PORTFOLIO_BODY_CORPUS").expect("PORTFOLIO_BODY_CORPUS");
        let mut stack = vec![std::path::PathBuf::from(root)];
        let (mut files, mut taken) = (0, 0);
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("folder").flatten() {
                let path = entry.path();
                if path.is_dir() && !path.ends_with(".git") {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    let text = std::fs::read_to_string(&path).expect("text");
                    if let Ok(split) = crate::text::frontmatter::split(&text) {
                        files += 1;
                        taken += usize::from(both(split.body).1);
                    }
                }
            }
        }
        eprintln!("{taken} of {files} bodies read by the plain lines");
    }

    #[test]
    fn finds_sections_with_and_without_content() {
        let b = parse(BODY, "ikke relevant");
        assert_eq!(b.section_content("behov"), Some(false));
        assert_eq!(b.section_content("Problembeskrivelse"), Some(true));
        assert_eq!(b.section_content("Risiko"), None);
    }

    #[test]
    fn reads_task_items_with_not_relevant_markers() {
        let b = parse(BODY, "ikke relevant");
        let texts: Vec<(&str, bool, Option<&str>)> =
            b.items.iter().map(|i| (i.text.as_str(), i.checked, i.not_relevant.as_deref())).collect();
        assert_eq!(
            texts,
            vec![
                ("Behov er beskrevet.", true, None),
                ("Problembeskrivelse   er etablert", false, None),
                ("Budsjett er beskrevet.", true, Some("finansieres over drift")),
                ("Noe annet", true, Some("")),
            ]
        );
        let section = b.find_section("Kriterier: problem").expect("section");
        assert_eq!(b.items_in(section).count(), 4);
    }

    #[test]
    fn a_nested_list_is_neither_the_items_text_nor_its_reason() {
        let b = parse(
            "## K\n\n- [x]  Budsjett — Ikke relevant: drift \n  - under\n- [ ] Plan\n  - under\n",
            "ikke relevant",
        );
        let texts: Vec<(&str, Option<&str>)> =
            b.items.iter().map(|i| (i.text.as_str(), i.not_relevant.as_deref())).collect();
        assert_eq!(texts, vec![("Budsjett", Some("drift")), ("Plan", None)]);
    }

    #[test]
    fn a_marker_whose_place_lowercasing_moves_is_no_marker() {
        // `İ` lowercases to three bytes from two: the label's place in the
        // lowercased text is not a place in the text.
        let b = parse("## K\n\n- [x] İİİ — ikke relevant: x\n", "ikke relevant");
        assert_eq!(b.items.len(), 1);
        assert_eq!(b.items[0].not_relevant, None);
    }

    #[test]
    fn multi_line_comments_and_placeholders_are_not_content() {
        let b = parse("## A\n\n<!--\nlinje\n-->\n\n## B\n\n...\n\n## C\n\n_TBD_\n", "x");
        assert_eq!(b.section_content("A"), Some(false));
        assert_eq!(b.section_content("B"), Some(false));
        assert_eq!(b.section_content("C"), Some(false));
    }

    #[test]
    fn subsection_content_counts_for_parent() {
        let b = parse("## Arkitektur\n\n### Sikkerhet\n\nVurdert.\n\n## Neste\n", "x");
        assert_eq!(b.section_content("Arkitektur"), Some(true));
        assert_eq!(b.section_content("Neste"), Some(false));
    }
}
