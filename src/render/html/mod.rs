//! The report as one self-contained HTML file for meeting papers (SPEC §7).
//!
//! Inline CSS and inline SVG only: no scripts, no fonts or images from other
//! hosts, and a Content-Security-Policy that forbids fetching anything. Every
//! value from the portfolio is escaped. Built for WCAG 2.1 AA, as Norwegian
//! public bodies must: a status or risk level is always a shape and a word as
//! well as a colour, every chart has a text alternative and a table with the
//! same data next to it, and tables have captions and header scopes. Prints
//! on A4. The output depends on the report alone, so it is deterministic.

use std::fmt::Write as _;

use crate::domain::model::Level;
use crate::domain::process::Language;
use crate::report::Report;
use crate::report::i18n::Labels;
use crate::report::layout::{self, Block, Cell, Chart, RowStyle, Span, TagKind};

mod css;
mod svg;

/// `write!` to a `String`, which cannot fail, or to a page being written
/// out (`render_to`), which keeps its own error.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// Where a page is written: a `String`, or a file or stdout as it is
/// rendered (`render::site`, `report --format html`), so a large page is
/// never whole in memory. A writer that fails keeps its error and is asked
/// for it when the page is done.
pub type Out<'a> = dyn std::fmt::Write + 'a;

/// `push_str` on any [`Out`], as on a `String`.
trait Push {
    fn push_str(&mut self, s: &str);
}

impl Push for Out<'_> {
    fn push_str(&mut self, s: &str) {
        let _ = self.write_str(s);
    }
}

/// The report as a complete HTML document, written into `out` as it is
/// rendered: `report --format html` (to stdout or a file) and the site's
/// report pages (`extras`: navigation, links from tiltak IDs to their
/// pages). The page around the layout's blocks (language, title, style,
/// contents, footer) is HTML's own. The report is laid out once, each
/// block written and let go; the header and the contents before it come
/// from the layout's header and outline, which lay out no section. The
/// report of ten thousand tiltak is never whole as blocks (tens of
/// megabytes) or as HTML.
pub fn render_to(out: &mut Out<'_>, report: &Report, l: &Labels, extras: &Extras<'_>) {
    let (title, footer) = title_and_footer(report, l);
    let mut header = Vec::new();
    layout::header(report, l, &mut header);
    open(out, &header, &layout::outline(report, l), l, report.language, &title, extras);
    drop(header);
    let mut sections = Sections { out, body: Body::default(), l, x: extras };
    layout::sections_into(report, l, &mut sections);
    let Sections { out, body, .. } = sections;
    body.end(out);
    close(out, &footer);
}

/// The report page's title and footer (markup).
fn title_and_footer(report: &Report, l: &Labels) -> (String, String) {
    let title = format!("{} – {} {}", report.portfolio.name, l.title, report.as_of.date);
    let mut footer = esc(l.generated_by);
    if let Some(c) = &report.as_of.commit {
        w!(footer, " · {} <code>{}</code>", esc(l.commit), esc(&c.short));
    }
    w!(footer, " · {} {}", esc(l.as_of), esc(&report.as_of.date));
    (title, footer)
}

/// The sections of [`render_to`], each block written as it comes.
struct Sections<'r, 'o, 'x> {
    out: &'r mut Out<'o>,
    body: Body,
    l: &'r Labels,
    x: &'r Extras<'x>,
}

impl layout::Sink for Sections<'_, '_, '_> {
    fn push(&mut self, block: Block) {
        self.body.block(self.out, &block, self.l, self.x);
    }
}

/// Any document of blocks (the meeting's agenda) as a complete HTML page
/// with the report's shell: the same head, Content-Security-Policy, style,
/// contents and escaping; `title` names the page.
pub fn page(blocks: &[Block], l: &Labels, language: Language, title: &str) -> String {
    page_with(blocks, l, language, title, &Extras::default())
}

/// [`page`] with what a page of the site adds.
pub fn page_with(blocks: &[Block], l: &Labels, language: Language, title: &str, extras: &Extras<'_>) -> String {
    let mut out = String::with_capacity(64 * 1024);
    page_to(&mut out, blocks, l, language, title, extras);
    out
}

/// [`page_with`], written into `out` as it is rendered.
pub fn page_to(out: &mut Out<'_>, blocks: &[Block], l: &Labels, language: Language, title: &str, extras: &Extras<'_>) {
    let footer = match extras.footer {
        Some(f) => format!("{} · {}", esc(l.generated_by), esc(f)),
        None => esc(l.generated_by),
    };
    shell(out, blocks, l, language, title, &footer, extras);
}

/// The relative address of a tiltak's page, by its ID.
pub type Link<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// What a page of the static site (`render::site`) adds to the report's
/// shell. The default adds nothing.
#[derive(Default)]
pub struct Extras<'a> {
    /// Style rules after the report's (the site's own constant rules).
    pub style: &'a str,
    /// Markup first in `<body>`: the site's `<nav>`, its values escaped with
    /// [`escape`] by whoever built it.
    pub nav: &'a str,
    /// Markup first in `<main>`, a section of its own listed first in the
    /// contents: `(id, heading, html)`. The html is the caller's, made safe.
    pub lead: Option<(&'a str, &'a str, &'a str)>,
    /// The relative address of a tiltak's page, by its ID: the ID column of
    /// every table links there.
    pub link: Option<&'a Link<'a>>,
    /// Said in the footer after "generated by" (for [`page_with`]).
    pub footer: Option<&'a str>,
}

/// The page around the blocks: head, style, navigation, header, contents,
/// main, footer (`footer` is markup).
fn shell(
    out: &mut Out<'_>,
    blocks: &[Block],
    l: &Labels,
    language: Language,
    title: &str,
    footer: &str,
    x: &Extras<'_>,
) {
    // The header is what comes before the first section.
    let first = blocks.iter().position(|b| matches!(b, Block::Section { .. })).unwrap_or(blocks.len());
    open(out, &blocks[..first], blocks, l, language, title, x);
    body(out, &blocks[first..], l, x);
    close(out, footer);
}

/// The page up to its body: head, style, navigation, the `header` blocks,
/// the contents (of the sections among `sections`), the lead.
fn open(
    out: &mut Out<'_>,
    header: &[Block],
    sections: &[Block],
    l: &Labels,
    language: Language,
    title: &str,
    x: &Extras<'_>,
) {
    let lang = if language == Language::En { "en" } else { "nb" };
    w!(out, "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"portfolio\">\n");
    w!(out, "<title>{}</title>\n", esc(title));
    w!(out, "<style>\n{}{}</style>\n</head>\n<body>\n", css::css(l), x.style);
    out.push_str(x.nav);
    out.push_str("<header id=\"header\" class=\"report-header\">\n");
    body(out, header, l, x);
    out.push_str("</header>\n");
    contents(out, sections, l, x);
    out.push_str("<main>\n");
    if let Some((id, heading, html)) = x.lead {
        let id = esc(id);
        w!(out, "<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{}</h2>\n", esc(heading));
        out.push_str(html);
        out.push_str("</section>\n");
    }
}

/// The page after its body (`footer` is markup).
fn close(out: &mut Out<'_>, footer: &str) {
    out.push_str("</main>\n");
    w!(out, "<footer><p>{footer}</p></footer>\n</body>\n</html>\n");
}

/// The table of contents, from the sections.
fn contents(out: &mut Out<'_>, blocks: &[Block], l: &Labels, x: &Extras<'_>) {
    w!(out, "<nav class=\"toc\" aria-labelledby=\"toc-h\">\n<h2 id=\"toc-h\">{}</h2>\n<ol>\n", esc(l.contents));
    if let Some((id, heading, _)) = x.lead {
        w!(out, "<li><a href=\"#{}\">{}</a></li>\n", esc(id), esc(heading));
    }
    for b in blocks {
        if let Block::Section { id, title, .. } = b {
            w!(out, "<li><a href=\"#{id}\">{}</a></li>\n", esc(title));
        }
    }
    out.push_str("</ol>\n</nav>\n");
}

/// Blocks as HTML; a section runs to the next one.
fn body(out: &mut Out<'_>, blocks: &[Block], l: &Labels, x: &Extras<'_>) {
    let mut body = Body::default();
    for block in blocks {
        body.block(out, block, l, x);
    }
    body.end(out);
}

/// [`body`] a block at a time: what is open (a section, a list of fields).
#[derive(Default)]
struct Body {
    in_section: bool,
    in_meta: bool,
}

impl Body {
    fn block(&mut self, out: &mut Out<'_>, block: &Block, l: &Labels, x: &Extras<'_>) {
        let meta = matches!(block, Block::Meta { .. });
        if self.in_meta && !meta {
            out.push_str("</dl>\n");
        } else if !self.in_meta && meta {
            out.push_str("<dl class=\"meta\">\n");
        }
        self.in_meta = meta;
        match block {
            Block::Title { name, title } => {
                w!(out, "<h1><span class=\"kicker\">{}</span> {}</h1>\n", esc(title), esc(name));
            }
            Block::Meta { term, value, .. } => {
                let mut v = String::new();
                for span in value {
                    match span {
                        Span::Text(t) => v.push_str(&esc(t)),
                        Span::Code(c) => w!(v, "<code>{}</code>", esc(c)),
                    }
                }
                w!(out, "<div><dt>{}</dt><dd>{v}</dd></div>\n", esc(&cap(term)));
            }
            Block::Notice { title, text } => {
                w!(out, "<p class=\"notice\"><strong>{}</strong>", esc(title));
                if let Some(t) = text {
                    w!(out, ": {}", esc(t));
                }
                out.push_str("</p>\n");
            }
            Block::Section { id, title, count, .. } => {
                if self.in_section {
                    out.push_str("</section>\n");
                }
                self.in_section = true;
                // The heading names the section for assistive technology.
                w!(out, "<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{}", esc(title));
                if let Some(n) = count {
                    w!(out, " <span class=\"muted\">({n})</span>");
                }
                out.push_str("</h2>\n");
            }
            Block::SubHeading(t) => w!(out, "<h3>{}</h3>\n", esc(t)),
            Block::Note(t) => w!(out, "<p>{}</p>\n", esc(t)),
            Block::Table(t) => table(out, t, l, x),
            Block::Chart(c) => chart(out, c, l),
        }
    }

    fn end(self, out: &mut Out<'_>) {
        if self.in_meta {
            out.push_str("</dl>\n");
        }
        if self.in_section {
            out.push_str("</section>\n");
        }
    }
}

fn chart(out: &mut Out<'_>, c: &Chart, l: &Labels) {
    match c {
        Chart::Figures(figures) => {
            out.push_str("<ul class=\"kpis\">\n");
            for (label, n) in figures {
                w!(
                    out,
                    "<li><span class=\"kpi-num\">{n}</span> <span class=\"kpi-label\">{}</span></li>\n",
                    esc(label)
                );
            }
            out.push_str("</ul>\n");
        }
        Chart::Funnel { title, bars } if !bars.is_empty() => out.push_str(&svg::funnel(l, title, bars)),
        Chart::Funnel { .. } => {}
        Chart::Levels { title, groups } => out.push_str(&svg::levels(l, title, groups)),
        Chart::Milestones { title, today, items } => out.push_str(&svg::timeline(l, title, *today, items)),
        Chart::RiskMatrix { title, cells, levels } => out.push_str(&svg::risk_matrix(l, title, cells, levels)),
    }
}

/// A data table: caption, column headers with scope, the first cell of each
/// row its header, figures right-aligned, short values kept on one line.
fn table(out: &mut Out<'_>, t: &layout::Table, l: &Labels, x: &Extras<'_>) {
    let class = |i: usize| {
        if t.numeric.contains(&i) {
            " class=\"num\""
        } else if t.wrap.contains(&i) {
            ""
        } else {
            " class=\"keep\""
        }
    };
    // The explicit roles keep the table a table for screen readers when a
    // narrow screen shows each row as a block (the CSS's reflow, WCAG 1.4.10);
    // `data-label` gives each cell its column's name there.
    out.push_str(if t.compact { "<table class=\"counts\" role=\"table\">\n" } else { "<table role=\"table\">\n" });
    w!(out, "<caption>{}</caption>\n<thead role=\"rowgroup\"><tr role=\"row\">", esc(&t.caption));
    for (i, h) in t.headers.iter().enumerate() {
        w!(out, "<th scope=\"col\" role=\"columnheader\"{}>{}</th>", class(i), esc(h));
    }
    out.push_str("</tr></thead>\n<tbody role=\"rowgroup\">\n");
    // On the site, the ID column links each tiltak to its page.
    let id_column = x.link.and_then(|link| t.headers.iter().position(|h| h == l.id).map(|i| (i, link)));
    for (r, row) in t.rows.iter().enumerate() {
        match t.styles.get(r).copied().unwrap_or_default() {
            RowStyle::Normal => out.push_str("<tr role=\"row\">"),
            RowStyle::Total => out.push_str("<tr role=\"row\" class=\"total\">"),
            RowStyle::Muted => out.push_str("<tr role=\"row\" class=\"inactive\">"),
        }
        for (i, c) in row.iter().enumerate() {
            let (open, close) =
                if i == 0 { ("<th scope=\"row\" role=\"rowheader\"", "</th>") } else { ("<td role=\"cell\"", "</td>") };
            // Text in another language than the page's is marked, so a
            // screen reader pronounces it in that language (WCAG 3.1.2).
            let lang = if t.english.contains(&i) && l.lang != "en" { " lang=\"en\"" } else { "" };
            let label = t.headers.get(i).map(|h| format!(" data-label=\"{}\"", esc(h))).unwrap_or_default();
            let href = id_column.filter(|(col, _)| *col == i).and_then(|(_, link)| match c {
                Cell::Text(t) | Cell::Tagged(t, _) => link(t),
                _ => None,
            });
            w!(out, "{open}{}{lang}{label}>{}{close}", class(i), cell(c, l, href.as_deref()));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// A cell's markup; `href` makes its text a link.
fn cell(c: &Cell, l: &Labels, href: Option<&str>) -> String {
    let text = |t: &str| match href {
        Some(h) => format!("<a href=\"{}\">{}</a>", esc(h), esc(t)),
        None => esc(t),
    };
    match c {
        Cell::Text(t) if t.trim().is_empty() => DASH.to_owned(),
        Cell::Text(t) => text(t),
        Cell::Tagged(t, tags) => {
            let mut out = text(t);
            for tag in tags {
                let class = if tag.kind == TagKind::Warning { "tag tag-warn" } else { "tag" };
                w!(out, " <span class=\"{class}\">{}</span>", esc(&tag.label));
                if let Some(d) = &tag.detail {
                    w!(out, " {}", esc(d));
                }
            }
            out
        }
        Cell::Level(level) => badge(l, *level),
        Cell::Num(n) => layout::number(*n, l),
        Cell::OptNum(n) => n.map_or_else(|| DASH.to_owned(), |n| n.to_string()),
        Cell::Compare(n, Some(b)) => format!("{n} <span class=\"prev\">({b})</span>"),
        Cell::Compare(n, None) => n.to_string(),
        Cell::Bar(n, max) => {
            let pct = n * 100 / (*max).max(1);
            format!(
                "<span class=\"n\">{n}</span><span class=\"bar-track\" aria-hidden=\"true\"><span class=\"bar\" style=\"width:{pct}%\"></span></span>"
            )
        }
    }
}

// ---------------------------------------------------------------------------
// Building blocks

/// Text made safe for HTML content and attribute values: control and
/// bidi-override characters stripped (as on the terminal, so a title cannot
/// reorder what is shown), markup characters written as entities.
pub fn esc(text: &str) -> String {
    let clean = crate::text::clean::sanitized(text);
    let mut out = String::with_capacity(clean.len() + 8);
    // The text between markup characters is copied whole (they are ASCII:
    // a cut beside one falls between characters).
    let mut from = 0;
    for (i, b) in clean.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&clean[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&clean[from..]);
    out
}

const DASH: &str = "–";

/// At most `max` characters, with an ellipsis when cut (for chart labels; the
/// tables beside the charts have the whole text).
fn clip(text: &str, max: usize) -> String {
    let clean = crate::text::clean::sanitize(text);
    if clean.chars().count() <= max {
        return clean;
    }
    let mut cut: String = clean.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Upper-case the first letter of a label.
fn cap(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The shape and CSS class of a level: the shapes differ, so the level can be
/// told without colour.
fn level_mark(level: Option<Level>) -> (&'static str, &'static str) {
    match level {
        Some(Level::Green) => ("●", "green"),
        Some(Level::Yellow) => ("▲", "yellow"),
        Some(Level::Red) => ("■", "red"),
        None => ("○", "none"),
    }
}

const LEVELS: [Option<Level>; 4] = [Some(Level::Green), Some(Level::Yellow), Some(Level::Red), None];

/// A level as a badge: shape, word and colour.
fn badge(l: &Labels, level: Option<Level>) -> String {
    let (shape, class) = level_mark(level);
    format!(
        "<span class=\"lvl lvl-{class}\"><span class=\"shape\" aria-hidden=\"true\">{shape}</span> {}</span>",
        esc(l.level(level))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_strips_controls() {
        assert_eq!(
            esc(r#"<script>alert('1')</script> & "x" | y"#),
            "&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; &amp; &quot;x&quot; | y"
        );
        assert_eq!(esc("a\x1b[31mb\u{202e}c\x07d\ne"), "abcd e");
    }

    #[test]
    fn clips_long_chart_labels() {
        assert_eq!(clip("abcdef", 6), "abcdef");
        assert_eq!(clip("abcdefg", 6), "abcde…");
    }
}
