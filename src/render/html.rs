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

use chrono::{Duration, NaiveDate};

use crate::diag::Severity;
use crate::domain::model::{Level, State};
use crate::domain::process::Language;
use crate::report::i18n::Labels;
use crate::report::{
    Bucket, Changes, DAYS_AHEAD, DueItem, DueKind, Flow, Gate, GateKind, LevelChange, LevelCounts, Levels, Mention,
    PhaseRef, Report, Row,
};

/// `write!` to a `String`, which cannot fail.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// Everything a section needs.
struct Ctx<'a> {
    r: &'a Report,
    l: &'a Labels,
}

/// The report as a complete HTML document.
pub fn render(report: &Report, l: &Labels) -> String {
    let en = report.language == Language::En;
    let cx = Ctx { r: report, l };
    let sections: [(&str, &str, String); 9] = [
        ("key-figures", l.key_figures, key_figures(&cx)),
        ("status-risk", l.status_risk, status_risk(&cx)),
        ("all-tiltak", l.all_tiltak, all_tiltak(&cx)),
        ("attention", l.attention, attention(&cx)),
        ("changes", l.changes, changes(&cx)),
        ("goals", l.goals, goals(&cx)),
        ("milestones", l.milestones, milestones(&cx)),
        ("flow", l.flow, flow(&cx)),
        ("data-quality", l.data_quality, data_quality(&cx)),
    ];

    let mut out = String::with_capacity(64 * 1024);
    let lang = if en { "en" } else { "nb" };
    w!(out, "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"portfolio\">\n");
    w!(out, "<title>{} – {} {}</title>\n", esc(&report.portfolio.name), esc(l.title), esc(&report.as_of.date));
    w!(out, "<style>\n{}</style>\n</head>\n<body>\n", css(cx.l));
    out.push_str(&header(&cx));
    out.push_str(&contents(&cx, &sections));
    out.push_str("<main>\n");
    for (id, heading, body) in &sections {
        section(&mut out, id, heading, body);
    }
    out.push_str("</main>\n");
    w!(out, "<footer><p>{}", esc(l.generated_by));
    if let Some(c) = &report.as_of.commit {
        w!(out, " · {} <code>{}</code>", esc(l.commit), esc(&c.short));
    }
    w!(out, " · {} {}</p></footer>\n</body>\n</html>\n", esc(l.as_of), esc(&report.as_of.date));
    out
}

// ---------------------------------------------------------------------------
// Building blocks

/// Text made safe for HTML content and attribute values: control and
/// bidi-override characters stripped (as on the terminal, so a title cannot
/// reorder what is shown), markup characters written as entities.
fn esc(text: &str) -> String {
    let clean = crate::text::clean::sanitize(text);
    let mut out = String::with_capacity(clean.len() + 8);
    for c in clean.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An optional value, or a dash.
fn esc_or_dash(text: Option<&str>) -> String {
    match text {
        Some(t) if !t.trim().is_empty() => esc(t),
        _ => DASH.to_owned(),
    }
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

/// A day count, with a decimal comma in Norwegian.
fn days_f(value: f64, en: bool) -> String {
    let text = if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.1}") };
    if en { text } else { text.replace('.', ",") }
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

fn phase_text(p: Option<&PhaseRef>) -> String {
    p.map_or_else(|| DASH.to_owned(), |p| format!("{}&nbsp;{}", p.number, esc(&p.name)))
}

/// The name of a key-figures bucket; `(none)` in the words of the report.
fn bucket_name(b: &Bucket, none: &str) -> String {
    if b.unassigned { esc(none) } else { esc(&b.name) }
}

/// A `<section>` with its heading; the heading names the section for
/// assistive technology.
fn section(out: &mut String, id: &str, heading: &str, body: &str) {
    w!(
        out,
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{}</h2>\n{body}</section>\n",
        esc(heading)
    );
}

fn h3(text: &str) -> String {
    format!("<h3>{}</h3>\n", esc(text))
}

fn para(html: &str) -> String {
    format!("<p>{html}</p>\n")
}

fn notice(title: &str, text: Option<&str>) -> String {
    let mut out = format!("<p class=\"notice\"><strong>{}</strong>", esc(title));
    if let Some(t) = text.filter(|t| !t.trim().is_empty()) {
        w!(out, ": {}", esc(t));
    }
    out.push_str("</p>\n");
    out
}

/// How a column's cells are set.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Text,
    /// Right-aligned figures.
    Num,
    /// Short values kept on one line: IDs, dates, codes.
    Keep,
}

impl Align {
    fn class(self) -> &'static str {
        match self {
            Align::Text => "",
            Align::Num => " class=\"num\"",
            Align::Keep => " class=\"keep\"",
        }
    }
}

/// A data table: caption, column headers with scope, optional row headers,
/// numbers right-aligned. Cells are HTML (escape text before adding it).
struct Table {
    caption: String,
    head: Vec<(String, Align)>,
    rows: Vec<(Option<&'static str>, Vec<String>)>,
    row_headers: bool,
    class: &'static str,
}

impl Table {
    fn new(caption: &str) -> Table {
        Table { caption: esc(caption), head: Vec::new(), rows: Vec::new(), row_headers: false, class: "" }
    }

    /// A caption that is already HTML.
    fn new_html(caption: String) -> Table {
        Table { caption, ..Table::new("") }
    }

    fn col(mut self, label: &str) -> Table {
        self.head.push((esc(label), Align::Text));
        self
    }

    /// A column of short values that should not wrap.
    fn key(mut self, label: &str) -> Table {
        self.head.push((esc(label), Align::Keep));
        self
    }

    /// A column header that is already HTML.
    fn col_html(mut self, label: String, align: Align) -> Table {
        self.head.push((label, align));
        self
    }

    fn num(mut self, label: &str) -> Table {
        self.head.push((esc(label), Align::Num));
        self
    }

    /// The first cell of each row is the row's header.
    fn row_headers(mut self) -> Table {
        self.row_headers = true;
        self
    }

    fn class(mut self, class: &'static str) -> Table {
        self.class = class;
        self
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push((None, cells));
    }

    fn row_class(&mut self, class: &'static str, cells: Vec<String>) {
        self.rows.push((Some(class), cells));
    }

    fn render(&self) -> String {
        let mut out = String::new();
        if self.class.is_empty() {
            out.push_str("<table>\n");
        } else {
            w!(out, "<table class=\"{}\">\n", self.class);
        }
        w!(out, "<caption>{}</caption>\n<thead><tr>", self.caption);
        for (label, align) in &self.head {
            let class = align.class();
            w!(out, "<th scope=\"col\"{class}>{label}</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for (class, cells) in &self.rows {
            match class {
                Some(c) => w!(out, "<tr class=\"{c}\">"),
                None => out.push_str("<tr>"),
            }
            for (i, cell) in cells.iter().enumerate() {
                let class = self.head.get(i).map_or("", |h| h.1.class());
                if i == 0 && self.row_headers {
                    w!(out, "<th scope=\"row\"{class}>{cell}</th>");
                } else {
                    w!(out, "<td{class}>{cell}</td>");
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }
}

// ---------------------------------------------------------------------------
// Charts

/// Approximate width of text in the charts' font, in user units.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.56
}

/// An accessible inline SVG: the title names it, the description gives its
/// data in words; the drawing itself is hidden from assistive technology.
fn svg(cx: &Ctx<'_>, id: &str, title: &str, desc: &str, width: f64, height: f64, body: &str) -> String {
    format!(
        "<figure class=\"chart\">\n<figcaption><strong>{}</strong> <span class=\"muted\">{}</span></figcaption>\n<svg role=\"img\" aria-labelledby=\"{id}-t {id}-d\" \
         id=\"{id}\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\">\n\
         <title id=\"{id}-t\">{}</title>\n<desc id=\"{id}-d\">{}</desc>\n{body}</svg>\n</figure>\n",
        esc(title),
        esc(cx.l.chart_table),
        esc(title),
        esc(desc)
    )
}

fn svg_text(x: f64, y: f64, class: &str, anchor: &str, text: &str) -> String {
    format!("<text x=\"{x:.1}\" y=\"{y:.1}\" class=\"{class}\" text-anchor=\"{anchor}\">{}</text>\n", esc(text))
}

/// Active tiltak per phase as a funnel of centred horizontal bars, each
/// labelled with its count.
fn funnel_chart(cx: &Ctx<'_>) -> String {
    let phases = &cx.r.key_figures.phases;
    let (label_w, bar_w, row_h, top) = (190.0, 420.0, 30.0, 8.0);
    let width = label_w + bar_w + 50.0;
    let height = top * 2.0 + row_h * phases.len() as f64;
    let max = phases.iter().map(|p| p.counts.active).max().unwrap_or(0).max(1) as f64;
    let centre = label_w + bar_w / 2.0;
    let mut body = String::new();
    let mut desc = Vec::new();
    for (i, p) in phases.iter().enumerate() {
        let y = top + row_h * i as f64;
        let n = p.counts.active;
        desc.push(format!("{} {}: {n}", i + 1, p.name));
        body.push_str(&svg_text(
            label_w - 10.0,
            y + row_h / 2.0 + 5.0,
            "lbl",
            "end",
            &clip(&format!("{} {}", i + 1, p.name), 26),
        ));
        let w = (n as f64 / max * bar_w).max(if n > 0 { 4.0 } else { 0.0 });
        if n > 0 {
            w!(
                body,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" class=\"bar-fill\"/>\n",
                centre - w / 2.0,
                y + 3.0,
                row_h - 6.0
            );
        } else {
            w!(
                body,
                "<line x1=\"{centre:.1}\" y1=\"{:.1}\" x2=\"{centre:.1}\" y2=\"{:.1}\" class=\"axis\"/>\n",
                y + 3.0,
                y + row_h - 3.0
            );
        }
        let count = n.to_string();
        let y_text = y + row_h / 2.0 + 5.0;
        if w >= text_width(&count, 13.0) + 10.0 {
            body.push_str(&svg_text(centre, y_text, "val-in", "middle", &count));
        } else {
            body.push_str(&svg_text(centre + w / 2.0 + 6.0, y_text, "val", "start", &count));
        }
    }
    let desc = format!("{}. {}: {}.", cx.l.chart_funnel, cx.l.active, desc.join("; "));
    svg(cx, "chart-funnel", cx.l.chart_funnel, &desc, width, height, &body)
}

/// The level counts of one bar in words: `2 grønn, 1 gul, 0 rød, 0 ikke satt`.
fn counts_words(l: &Labels, c: &LevelCounts) -> String {
    LEVELS.iter().map(|lv| format!("{} {}", c.get(*lv), l.level(*lv))).collect::<Vec<_>>().join(", ")
}

/// Status and risk per segment as stacked bars: one pair of bars per
/// segment, each piece labelled with its shape and count.
fn levels_chart(cx: &Ctx<'_>) -> String {
    let l = cx.l;
    let s = &cx.r.status;
    let groups: Vec<&Levels> = if s.segments.is_empty() { vec![&s.overall] } else { s.segments.iter().collect() };
    let (name_w, kind_w, bar_w, row_h, gap, legend_h) = (180.0, 70.0, 420.0, 22.0, 14.0, 34.0);
    let x0 = name_w + kind_w;
    let width = x0 + bar_w + 50.0;
    let height = legend_h + groups.len() as f64 * (2.0 * row_h + gap) + 4.0;
    let max = groups.iter().flat_map(|g| [total(&g.status), total(&g.risk)]).max().unwrap_or(0).max(1) as f64;
    let unit = bar_w / max;

    let mut body = String::new();
    // Legend: shape, word and swatch.
    let mut x = x0;
    for lv in LEVELS {
        let (shape, class) = level_mark(lv);
        w!(body, "<rect x=\"{x:.1}\" y=\"6\" width=\"16\" height=\"16\" class=\"f-{class}\"/>\n");
        body.push_str(&svg_text(x + 8.0, 19.0, &format!("t-{class}"), "middle", shape));
        let word = l.level(lv);
        body.push_str(&svg_text(x + 22.0, 19.0, "lbl", "start", word));
        x += 22.0 + text_width(word, 13.0) + 22.0;
    }
    let mut desc = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let y = legend_h + i as f64 * (2.0 * row_h + gap);
        let name = if g.id.is_none() {
            l.overall
        } else if g.unassigned {
            l.no_segment
        } else {
            g.name.as_str()
        };
        desc.push(format!(
            "{name}: {} {}; {} {}",
            l.status.to_lowercase(),
            counts_words(l, &g.status),
            l.risk.to_lowercase(),
            counts_words(l, &g.risk)
        ));
        body.push_str(&svg_text(0.0, y + row_h / 2.0 + 5.0, "lbl strong", "start", &clip(name, 24)));
        for (k, (kind, counts)) in [(l.status, &g.status), (l.risk, &g.risk)].into_iter().enumerate() {
            let yy = y + k as f64 * row_h;
            body.push_str(&svg_text(x0 - 8.0, yy + row_h / 2.0 + 5.0, "lbl muted", "end", kind));
            let mut x = x0;
            for lv in LEVELS {
                let n = counts.get(lv);
                if n == 0 {
                    continue;
                }
                let (shape, class) = level_mark(lv);
                let w = n as f64 * unit;
                w!(
                    body,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" class=\"f-{class}\"/>\n",
                    yy + 2.0,
                    row_h - 4.0
                );
                let label = format!("{shape} {n}");
                if w >= text_width(&label, 12.0) + 6.0 {
                    body.push_str(&svg_text(
                        x + w / 2.0,
                        yy + row_h / 2.0 + 4.5,
                        &format!("t-{class}"),
                        "middle",
                        &label,
                    ));
                }
                x += w;
            }
            body.push_str(&svg_text(x + 6.0, yy + row_h / 2.0 + 4.5, "val", "start", &total(counts).to_string()));
        }
    }
    let desc = format!("{}. {}.", l.chart_levels, desc.join(". "));
    svg(cx, "chart-levels", l.chart_levels, &desc, width, height, &body)
}

fn total(c: &LevelCounts) -> usize {
    c.green + c.yellow + c.red + c.unknown
}

/// Milestones and deliveries of the next days on a time line: one row each,
/// a diamond for a milestone and a circle for a delivery, dated in text.
fn timeline_chart(cx: &Ctx<'_>, today: NaiveDate) -> String {
    const MAX_ROWS: usize = 30;
    let l = cx.l;
    let items = &cx.r.milestones.upcoming;
    let shown = &items[..items.len().min(MAX_ROWS)];
    let (label_w, axis_w, row_h, top) = (330.0, 360.0, 24.0, 34.0);
    let x0 = label_w + 10.0;
    let width = x0 + axis_w + 100.0;
    let more = items.len() - shown.len();
    let height = top + row_h * shown.len() as f64 + 40.0 + if more > 0 { 20.0 } else { 0.0 };
    let span = DAYS_AHEAD as f64;
    let xpos = |days: i64| x0 + days.clamp(0, DAYS_AHEAD) as f64 / span * axis_w;

    let mut body = String::new();
    let bottom = top + row_h * shown.len() as f64;
    for d in [0, 30, 60, DAYS_AHEAD] {
        let x = xpos(d);
        w!(body, "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" class=\"grid\"/>\n", top - 6.0);
        let date = (today + Duration::days(d)).to_string();
        body.push_str(&svg_text(x, top - 12.0, "lbl small", "middle", &date));
    }
    for (i, item) in shown.iter().enumerate() {
        let y = top + row_h * i as f64 + row_h / 2.0;
        if i % 2 == 1 {
            w!(
                body,
                "<rect x=\"0\" y=\"{:.1}\" width=\"{width:.0}\" height=\"{row_h:.0}\" class=\"stripe\"/>\n",
                y - row_h / 2.0
            );
        }
        body.push_str(&svg_text(0.0, y + 4.5, "lbl", "start", &clip(&format!("{}  {}", item.id, item.name), 46)));
        let x = xpos(item.days);
        if item.kind == DueKind::Delivery {
            w!(body, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6\" class=\"mark\"/>\n");
        } else {
            w!(
                body,
                "<polygon points=\"{:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1}\" class=\"mark\"/>\n",
                x - 7.0,
                y - 7.0,
                x + 7.0,
                y + 7.0
            );
        }
        body.push_str(&svg_text(x + 11.0, y + 4.5, "val small", "start", &item.date));
    }
    let mut y = bottom + 24.0;
    if more > 0 {
        body.push_str(&svg_text(0.0, y, "lbl muted", "start", &format!("+ {more} {}", l.more)));
        y += 20.0;
    }
    // Legend: the shapes in words.
    w!(
        body,
        "<polygon points=\"{:.1},{y:.1} {x0:.1},{:.1} {:.1},{y:.1} {x0:.1},{:.1}\" class=\"mark\"/>\n",
        x0 - 6.0,
        y - 6.0,
        x0 + 6.0,
        y + 6.0
    );
    body.push_str(&svg_text(x0 + 12.0, y + 4.5, "lbl", "start", l.milestone));
    let x1 = x0 + 24.0 + text_width(l.milestone, 13.0) + 20.0;
    w!(body, "<circle cx=\"{x1:.1}\" cy=\"{y:.1}\" r=\"6\" class=\"mark\"/>\n");
    body.push_str(&svg_text(x1 + 12.0, y + 4.5, "lbl", "start", l.delivery));

    let desc: Vec<String> =
        items.iter().map(|m| format!("{}: {} {} ({})", m.date, m.id, m.name, l.due_kind(m.kind))).collect();
    let desc = format!("{}. {}.", l.chart_milestones, desc.join("; "));
    svg(cx, "chart-milestones", l.chart_milestones, &desc, width, height, &body)
}

// ---------------------------------------------------------------------------
// Sections

/// Section 1: what the report is, when it is from, what it covers.
fn header(cx: &Ctx<'_>) -> String {
    let (r, l) = (cx.r, cx.l);
    let mut out = String::from("<header id=\"header\" class=\"report-header\">\n");
    w!(
        out,
        "<h1><span class=\"kicker\">{}</span> {}</h1>\n<dl class=\"meta\">\n",
        esc(l.title),
        esc(&r.portfolio.name)
    );
    let mut item = |term: &str, value: String| w!(out, "<div><dt>{}</dt><dd>{value}</dd></div>\n", esc(&cap(term)));
    item(l.as_of, esc(&r.as_of.date));
    item(
        l.commit,
        match &r.as_of.commit {
            Some(c) => format!("<code>{}</code> ({})", esc(&c.short), esc(&c.date)),
            None => esc(l.work_tree),
        },
    );
    if let Some(since) = &r.since {
        let mut v = esc(&since.requested);
        if let Some(c) = &since.commit {
            w!(v, " → <code>{}</code> ({})", esc(&c.short), esc(&c.date));
        }
        item(l.since, v);
    }
    let mut filters = Vec::new();
    if let Some(g) = &r.filters.group {
        filters.push(format!("{}: {}", esc(l.product_group), esc(g)));
    }
    if let Some(s) = &r.filters.segment {
        filters.push(format!("{}: {}", esc(l.segment), esc(s)));
    }
    if !filters.is_empty() {
        item(l.filtered, filters.join("; "));
    }
    out.push_str("</dl>\n");
    if r.as_of.uncommitted {
        out.push_str(&notice(l.uncommitted, None));
    }
    if !r.history.available {
        out.push_str(&notice(l.no_history, r.history.reason.as_deref()));
    }
    out.push_str("</header>\n");
    out
}

fn contents(cx: &Ctx<'_>, sections: &[(&str, &str, String)]) -> String {
    let mut out =
        format!("<nav class=\"toc\" aria-labelledby=\"toc-h\">\n<h2 id=\"toc-h\">{}</h2>\n<ol>\n", esc(cx.l.contents));
    for (id, heading, _) in sections {
        w!(out, "<li><a href=\"#{id}\">{}</a></li>\n", esc(heading));
    }
    out.push_str("</ol>\n</nav>\n");
    out
}

/// Section 2: the funnel, segments and product groups; on hold and stopped apart.
fn key_figures(cx: &Ctx<'_>) -> String {
    let (k, l) = (&cx.r.key_figures, cx.l);
    let mut out = String::from("<ul class=\"kpis\">\n");
    for (n, label) in [
        (k.total.active, l.active),
        (k.total.on_hold, l.on_hold),
        (k.total.stopped, l.stopped),
        (k.total.total(), l.total),
    ] {
        w!(out, "<li><span class=\"kpi-num\">{n}</span> <span class=\"kpi-label\">{}</span></li>\n", esc(label));
    }
    out.push_str("</ul>\n");
    if !k.phases.is_empty() {
        out.push_str(&funnel_chart(cx));
    }
    let per = |what: &str| format!("{} per {}", l.tiltak, what.to_lowercase());
    let buckets = |caption: String, head: &str, buckets: &[Bucket], none: &str, numbered: bool| {
        let mut t = Table::new(&caption)
            .col(head)
            .num(l.active)
            .num(l.on_hold)
            .num(l.stopped)
            .num(l.total)
            .row_headers()
            .class("counts");
        for (i, b) in buckets.iter().enumerate() {
            let name = if numbered { format!("{}&nbsp;{}", i + 1, bucket_name(b, none)) } else { bucket_name(b, none) };
            t.row(vec![
                name,
                b.counts.active.to_string(),
                b.counts.on_hold.to_string(),
                b.counts.stopped.to_string(),
                b.counts.total().to_string(),
            ]);
        }
        t.render()
    };
    out.push_str(&buckets(per(l.phase), l.phase, &k.phases, "", true));
    if !k.segments.is_empty() {
        out.push_str(&buckets(per(l.segment), l.segment, &k.segments, l.no_segment, false));
    }
    if !k.product_groups.is_empty() {
        out.push_str(&buckets(per(l.product_group), l.product_group, &k.product_groups, l.no_group, false));
    }
    out
}

/// A count with last round's beside it in brackets.
fn count_cell(now: usize, before: Option<usize>) -> String {
    match before {
        Some(b) => format!("{now} <span class=\"prev\">({b})</span>"),
        None => now.to_string(),
    }
}

/// Section 3: green, yellow and red, overall and per segment, now and last round.
fn status_risk(cx: &Ctx<'_>) -> String {
    let (s, l) = (&cx.r.status, cx.l);
    let mut out = String::new();
    // The overall line, as the national e-health report puts it.
    for (kind, now, before) in [
        (l.status, &s.overall.status, s.overall.previous_status.as_ref()),
        (l.risk, &s.overall.risk, s.overall.previous_risk.as_ref()),
    ] {
        let parts: Vec<String> = LEVELS.iter().map(|lv| format!("{} {}", now.get(*lv), badge(l, *lv))).collect();
        let mut line = format!("<strong>{}:</strong> {}", esc(kind), parts.join(", "));
        if let Some(b) = before {
            let prev: Vec<String> = LEVELS.iter().map(|lv| b.get(*lv).to_string()).collect();
            w!(line, "; <span class=\"prev\">{} {}</span>", esc(l.previous_round), prev.join("/"));
        }
        out.push_str(&para(&line));
    }
    out.push_str(&levels_chart(cx));
    let rows: Vec<&Levels> = std::iter::once(&s.overall).chain(s.segments.iter()).collect();
    let previous = s.overall.previous_status.is_some();
    for (kind, pick) in [
        (l.status, (|g: &Levels| (g.status, g.previous_status)) as fn(&Levels) -> (LevelCounts, Option<LevelCounts>)),
        (l.risk, |g: &Levels| (g.risk, g.previous_risk)),
    ] {
        let mut caption = format!("{} per {}", esc(kind), esc(&l.segment.to_lowercase()));
        if previous {
            w!(caption, " <span class=\"caption-note\">({})</span>", esc(cx.l.previous_note));
        }
        let mut t = Table::new_html(caption).col(l.segment).row_headers().class("counts");
        for lv in LEVELS {
            t = t.col_html(badge(l, lv), Align::Num);
        }
        t = t.num(l.total);
        for (i, g) in rows.iter().enumerate() {
            let (now, before) = pick(g);
            let name = if g.id.is_none() {
                esc(l.overall)
            } else if g.unassigned {
                esc(l.no_segment)
            } else {
                esc(&g.name)
            };
            let mut cells = vec![name];
            cells.extend(LEVELS.iter().map(|lv| count_cell(now.get(*lv), before.map(|b| b.get(*lv)))));
            cells.push(count_cell(total(&now), before.as_ref().map(total)));
            if i == 0 && rows.len() > 1 { t.row_class("total", cells) } else { t.row(cells) }
        }
        out.push_str(&t.render());
    }
    out
}

/// The title, with its state when the tiltak is not active.
fn title_cell(l: &Labels, row: &Row) -> String {
    let mut out = esc(&row.title);
    if row.state != State::Active {
        w!(out, " <span class=\"tag\">{}</span>", esc(l.state(row.state)));
    }
    out
}

/// Section 4: every tiltak.
fn all_tiltak(cx: &Ctx<'_>) -> String {
    let l = cx.l;
    if cx.r.tiltak.is_empty() {
        return para(&esc(l.none));
    }
    let mut t = Table::new(l.all_tiltak)
        .key(l.id)
        .col(l.title_col)
        .col(l.phase)
        .col(l.segment)
        .col(l.owner)
        .col(l.status)
        .col(l.risk)
        .col(l.next_milestone)
        .row_headers()
        .class("tiltak");
    for row in &cx.r.tiltak {
        let milestone = row.next_milestone.as_ref().map_or_else(
            || DASH.to_owned(),
            |m| format!("<span class=\"date\">{}</span> {}", esc(&m.date), esc(&m.name)),
        );
        let cells = vec![
            esc(&row.id),
            title_cell(l, row),
            phase_text(row.phase.as_ref()),
            esc_or_dash(row.segment_name.as_deref().or(row.segment.as_deref())),
            esc_or_dash(row.owner.as_deref()),
            badge(l, row.status),
            badge(l, row.risk),
            milestone,
        ];
        if row.state == State::Active { t.row(cells) } else { t.row_class("inactive", cells) }
    }
    t.render()
}

/// Section 5: every red and yellow tiltak with its reasons.
fn attention(cx: &Ctx<'_>) -> String {
    let l = cx.l;
    if cx.r.attention.is_empty() {
        return para(&esc(l.none));
    }
    let mut out = String::new();
    for row in &cx.r.attention {
        let (status, risk) = (row.status, row.risk);
        let worst = if status == Some(Level::Red) || risk == Some(Level::Red) { "red" } else { "yellow" };
        w!(
            out,
            "<article class=\"card card-{worst}\">\n<h3><span class=\"id\">{}</span> {}</h3>\n<dl>\n",
            esc(&row.id),
            title_cell(l, row)
        );
        let mut item = |term: &str, value: String| w!(out, "<dt>{}</dt><dd>{value}</dd>\n", esc(term));
        item(l.phase, phase_text(row.phase.as_ref()));
        if let Some(owner) = &row.owner {
            item(l.owner, esc(owner));
        }
        let with_text = |badge: String, text: Option<&str>, updated: Option<&str>| {
            let mut v = badge;
            if let Some(t) = text.filter(|t| !t.trim().is_empty()) {
                w!(v, " {}", esc(t));
            }
            if let Some(u) = updated {
                w!(v, " <span class=\"muted\">({} {})</span>", esc(&l.last_updated.to_lowercase()), esc(u));
            }
            v
        };
        item(l.status, with_text(badge(l, status), row.status_reason.as_deref(), row.status_updated.as_deref()));
        item(l.risk, with_text(badge(l, risk), row.risk_description.as_deref(), None));
        if let Some(m) = row.risk_mitigation.as_deref().filter(|m| !m.trim().is_empty()) {
            item(l.mitigation, esc(m));
        }
        if let Some(m) = &row.next_milestone {
            item(l.next_milestone, format!("{} {}", esc(&m.date), esc(&m.name)));
        }
        out.push_str("</dl>\n</article>\n");
    }
    out
}

fn mentions(cx: &Ctx<'_>, caption: &str, list: &[Mention]) -> String {
    let l = cx.l;
    let mut t = Table::new(caption).key(l.id).col(l.title_col).key(l.date).key(&cap(l.commit)).row_headers();
    for m in list {
        t.row(vec![
            esc(&m.id),
            esc(&m.title),
            esc_or_dash(m.date.as_deref()),
            m.commit.as_deref().map_or_else(|| DASH.to_owned(), |c| format!("<code>{}</code>", esc(c))),
        ]);
    }
    t.render()
}

fn gates(cx: &Ctx<'_>, list: &[Gate]) -> String {
    let l = cx.l;
    let mut t = Table::new(l.gates).key(l.id).col(l.title_col).col(l.phase).key(l.date).col(l.decided_by).row_headers();
    for g in list {
        let name = |id: &Option<String>, name: &Option<String>| esc_or_dash(name.as_deref().or(id.as_deref()));
        let mut phase = format!("{} → {}", name(&g.from, &g.from_name), name(&g.to, &g.to_name));
        if g.kind == GateKind::Back {
            w!(phase, " <span class=\"tag\">{}</span>", esc(l.moved_back));
        }
        if let Some(f) = &g.forced {
            w!(phase, " <span class=\"tag tag-warn\">{}</span> {}", esc(l.forced), esc(f));
        }
        t.row(vec![
            esc(&g.id),
            esc(&g.title),
            phase,
            format!("{} <code>{}</code>", esc(&g.date), esc(&g.commit)),
            esc_or_dash(g.decided_by.as_deref()),
        ]);
    }
    t.render()
}

fn level_changes(cx: &Ctx<'_>, caption: &str, kind: &str, list: &[LevelChange]) -> String {
    let l = cx.l;
    let mut t = Table::new(caption).key(l.id).col(l.title_col).col(kind).row_headers();
    for c in list {
        let change = format!("{} → {}", badge(l, c.from), badge(l, c.to));
        t.row(vec![esc(&c.id), esc(&c.title), change]);
    }
    t.render()
}

/// Section 6: what happened since the previous round, or why it is not known.
fn changes(cx: &Ctx<'_>) -> String {
    let (r, l) = (cx.r, cx.l);
    let Some(c) = &r.changes else {
        return if r.since.is_none() {
            para(&esc(l.use_since))
        } else if !r.history.available {
            notice(l.no_history, r.history.reason.as_deref())
        } else {
            para(&esc(l.no_changes))
        };
    };
    let mut out = String::new();
    if let Some(since) = &r.since {
        let mut line = format!("{} {}", esc(&cap(l.since)), esc(&since.requested));
        if let Some(commit) = &since.commit {
            w!(line, " (<code>{}</code>, {})", esc(&commit.short), esc(&commit.date));
        }
        out.push_str(&para(&line));
    }
    if is_empty(c) {
        out.push_str(&para(&esc(l.no_changes)));
        return out;
    }
    let lists: [(&str, &[Mention]); 6] = [
        (l.new, &c.new),
        (l.completed, &c.completed),
        (l.stopped, &c.stopped),
        (l.put_on_hold, &c.on_hold),
        (l.resumed, &c.resumed),
        (l.removed, &c.removed),
    ];
    for (i, (caption, list)) in lists.iter().enumerate() {
        if !list.is_empty() {
            out.push_str(&mentions(cx, caption, list));
        }
        // Gates right after the new tiltak.
        if i == 0 && !c.gates.is_empty() {
            out.push_str(&gates(cx, &c.gates));
        }
    }
    if !c.status_changes.is_empty() {
        out.push_str(&level_changes(cx, l.status_changes, l.status, &c.status_changes));
    }
    if !c.risk_changes.is_empty() {
        out.push_str(&level_changes(cx, l.risk_changes, l.risk, &c.risk_changes));
    }
    out
}

fn is_empty(c: &Changes) -> bool {
    c.new.is_empty()
        && c.gates.is_empty()
        && c.completed.is_empty()
        && c.stopped.is_empty()
        && c.on_hold.is_empty()
        && c.resumed.is_empty()
        && c.removed.is_empty()
        && c.status_changes.is_empty()
        && c.risk_changes.is_empty()
}

/// Section 7: how many tiltak support each goal, with a bar.
fn goals(cx: &Ctx<'_>) -> String {
    let (g, l) = (&cx.r.goals, cx.l);
    if g.strategic.is_empty() && g.sdgs.is_empty() {
        return para(&esc(l.none));
    }
    let mut out = String::new();
    for (caption, list) in [(l.strategic_goals, &g.strategic), (l.sdgs, &g.sdgs)] {
        if list.is_empty() {
            continue;
        }
        let max = list.iter().map(|x| x.count).max().unwrap_or(0).max(1);
        let mut t = Table::new(caption).num(l.goal).col(l.name).col(l.count).col(l.tiltak).row_headers().class("goals");
        for goal in list {
            let pct = goal.count * 100 / max;
            let ids = if goal.tiltak.is_empty() {
                DASH.to_owned()
            } else {
                goal.tiltak.iter().map(|id| esc(id)).collect::<Vec<_>>().join(", ")
            };
            t.row(vec![
                goal.id.to_string(),
                esc(&goal.name),
                format!(
                    "<span class=\"n\">{}</span><span class=\"bar-track\" aria-hidden=\"true\"><span class=\"bar\" style=\"width:{pct}%\"></span></span>",
                    goal.count
                ),
                format!("<span class=\"ids\">{ids}</span>"),
            ]);
        }
        out.push_str(&t.render());
    }
    out
}

fn due_table(cx: &Ctx<'_>, caption: &str, days_label: &str, items: &[DueItem]) -> String {
    let l = cx.l;
    let mut t =
        Table::new(caption).key(l.date).num(days_label).key(l.id).col(l.tiltak).col(l.kind).col(l.name).row_headers();
    for m in items {
        t.row(vec![
            esc(&m.date),
            m.days.abs().to_string(),
            esc(&m.id),
            esc(&m.title),
            esc(l.due_kind(m.kind)),
            esc_or_dash(Some(&m.name)),
        ]);
    }
    t.render()
}

/// Section 8: overdue and upcoming milestones and deliveries.
fn milestones(cx: &Ctx<'_>) -> String {
    let (m, l) = (&cx.r.milestones, cx.l);
    let mut out = h3(l.overdue);
    if m.overdue.is_empty() {
        out.push_str(&para(&esc(l.none)));
    } else {
        out.push_str(&due_table(cx, l.overdue, &cap(l.days_late), &m.overdue));
    }
    out.push_str(&h3(l.upcoming));
    if m.upcoming.is_empty() {
        out.push_str(&para(&esc(l.none)));
    } else {
        if let Some(today) = crate::domain::model::parse_date(&cx.r.as_of.date) {
            out.push_str(&timeline_chart(cx, today));
        }
        out.push_str(&due_table(cx, l.upcoming, &cap(l.in_days), &m.upcoming));
    }
    out
}

/// Section 9: days in phase, from history.
fn flow(cx: &Ctx<'_>) -> String {
    let (r, l) = (cx.r, cx.l);
    let Some(f): Option<&Flow> = r.flow.as_ref() else {
        return notice(l.no_history, r.history.reason.as_deref());
    };
    let en = r.language == Language::En;
    let mut t = Table::new(l.median_days)
        .col(l.phase)
        .num(l.median_days)
        .num(l.stays)
        .num(l.current_median)
        .num(cx.l.current)
        .row_headers()
        .class("counts");
    for (i, p) in f.phases.iter().enumerate() {
        let median = |v: Option<f64>| v.map_or_else(|| DASH.to_owned(), |d| days_f(d, en));
        t.row(vec![
            format!("{}&nbsp;{}", i + 1, esc(&p.name)),
            median(p.median_days),
            p.stays.to_string(),
            median(p.current_median_days),
            p.current.to_string(),
        ]);
    }
    let mut out = t.render();
    if f.tiltak.is_empty() {
        return out;
    }
    let mut t = Table::new(l.days_in_phase)
        .key(l.id)
        .col(l.title_col)
        .col(l.phase)
        .key(l.entered)
        .num(l.days_in_phase)
        .row_headers();
    for item in &f.tiltak {
        t.row(vec![esc(&item.id), esc(&item.title), esc(&item.phase), esc(&item.entered), item.days.to_string()]);
    }
    out.push_str(&t.render());
    out
}

/// Section 10: stale status and validation findings.
fn data_quality(cx: &Ctx<'_>) -> String {
    let (d, l) = (&cx.r.data_quality, cx.l);
    let limit = format!("{} ({} {} {})", l.stale, l.stale_limit, d.stale_after_days, l.days.to_lowercase());
    let mut out = h3(l.stale);
    if d.stale.is_empty() {
        out.push_str(&para(&esc(l.none)));
    } else {
        let mut t = Table::new(&limit).key(l.id).col(l.title_col).key(l.last_updated).num(l.days).row_headers();
        for s in &d.stale {
            t.row(vec![
                esc(&s.id),
                esc(&s.title),
                s.updated.as_deref().map_or_else(|| esc(l.never), esc),
                s.days.map_or_else(|| DASH.to_owned(), |n| n.to_string()),
            ]);
        }
        out.push_str(&t.render());
    }
    out.push_str(&h3(l.validation));
    let tally = |n: usize, shape: &str, class: &str, word: &str| {
        let (shape, class) = if n == 0 { ("○", "none") } else { (shape, class) };
        format!(
            "<span class=\"lvl lvl-{class}\"><span class=\"shape\" aria-hidden=\"true\">{shape}</span> {n} {}</span>",
            esc(word)
        )
    };
    out.push_str(&para(&format!(
        "{} {}",
        tally(d.errors, "■", "red", l.errors),
        tally(d.warnings, "▲", "yellow", l.warnings)
    )));
    if !d.diagnostics.is_empty() {
        let mut t =
            Table::new(l.validation).key(l.code).col(l.location).col(l.message).row_headers().class("diagnostics");
        for diag in &d.diagnostics {
            let (shape, class, word) = match diag.severity {
                Severity::Error => ("■", "red", l.error_one),
                Severity::Warning => ("▲", "yellow", l.warning_one),
            };
            let code = format!(
                "<code>{}</code> <span class=\"lvl lvl-{class}\"><span class=\"shape\" aria-hidden=\"true\">{shape}</span> {}</span>",
                esc(&diag.code),
                esc(word)
            );
            let mut location = esc(&diag.path);
            if let Some(line) = diag.line {
                w!(location, ":{line}");
            }
            let mut message = format!("{} <span class=\"muted\">({})</span>", esc(&diag.message), esc(&diag.title));
            if let Some(h) = &diag.hint {
                w!(message, "<br><span class=\"hint\">{}</span>", esc(h));
            }
            t.row(vec![code, format!("<code class=\"path\">{location}</code>"), message]);
        }
        out.push_str(&t.render());
    }
    out
}

// ---------------------------------------------------------------------------
// Style

/// The style sheet: system fonts, AA contrast, A4 print.
fn css(l: &Labels) -> String {
    let mut css = String::from(CSS);
    w!(
        css,
        "@page {{ size: A4; margin: 15mm; @bottom-right {{ content: \"{} \" counter(page) \" {} \" counter(pages); font: 8pt system-ui, \"Segoe UI\", Roboto, Arial, \"Liberation Sans\", sans-serif; color: #4a5360; }} }}\n",
        l.page,
        l.of
    );
    css
}

const CSS: &str = r#":root { color-scheme: light; --ink: #1b1f24; --muted: #4a5360; --line: #c9d1da; --soft: #f3f5f8; --accent: #1f3a5f; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 28px 32px 48px; color: var(--ink); background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .6rem; color: var(--accent); }
h1 .kicker { display: block; font-size: .85rem; font-weight: 600; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); }
h2 { font-size: 1.35rem; color: var(--accent); border-bottom: 2px solid var(--accent); padding-bottom: .2rem; margin: 2.2rem 0 .8rem; }
h3 { font-size: 1.08rem; margin: 1.3rem 0 .4rem; }
p { margin: .4rem 0 .8rem; }
a { color: #1a4f8b; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
.report-header { border-bottom: 1px solid var(--line); padding-bottom: .8rem; }
.meta { display: flex; flex-wrap: wrap; gap: .2rem 2rem; margin: 0; }
.meta div { display: flex; gap: .4rem; }
.meta dt { font-weight: 600; }
.meta dt::after { content: ":"; }
.meta dd { margin: 0; }
.notice { border-left: 5px solid #8a5a00; background: #fff7e0; padding: .5rem .8rem; }
.toc { margin: 1rem 0 0; }
.toc h2 { font-size: 1rem; border: 0; margin: 0 0 .3rem; padding: 0; color: var(--ink); }
.toc ol { margin: 0; padding-left: 1.4rem; columns: 3 14rem; column-gap: 2rem; }
.toc li { margin: .1rem 0; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 1.3rem; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: .2rem 0 .35rem; }
.caption-note, .prev, .muted { color: var(--muted); font-weight: normal; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--soft); border-bottom: 2px solid #8c96a3; font-weight: 600; vertical-align: bottom; }
tbody th { font-weight: 600; white-space: nowrap; }
.num { text-align: right; white-space: nowrap; }
tr.total th, tr.total td { font-weight: 700; background: var(--soft); }
tr.inactive td, tr.inactive th { color: var(--muted); }
table.tiltak td:nth-child(2) { min-width: 12rem; }
.date { white-space: nowrap; }
.lvl { display: inline-block; white-space: nowrap; padding: 0 .45em; border: 1px solid; border-radius: .7em; font-size: .92em; line-height: 1.35; font-weight: 600; }
.lvl-green { color: #14532d; background: #e6f4ea; border-color: #5e9c6e; }
.lvl-yellow { color: #663c00; background: #fff1c7; border-color: #b88a00; }
.lvl-red { color: #8f1414; background: #fde7e7; border-color: #d46a6a; }
.lvl-none { color: #3f4652; background: #eef0f3; border-color: #98a1ad; }
.tag { display: inline-block; font-size: .8em; padding: 0 .4em; border: 1px solid #98a1ad; border-radius: 3px; color: var(--muted); white-space: nowrap; }
.tag-warn { color: #663c00; border-color: #b88a00; }
.kpis { list-style: none; display: flex; flex-wrap: wrap; gap: .8rem; padding: 0; margin: .4rem 0 1rem; }
.kpis li { border: 1px solid var(--line); border-top: 4px solid var(--accent); background: var(--soft); padding: .5rem 1rem; min-width: 8.5rem; }
.kpi-num { display: block; font-size: 1.9rem; font-weight: 700; line-height: 1.1; color: var(--accent); }
.kpi-label { color: var(--muted); }
figure.chart { margin: .4rem 0 .8rem; }
figure.chart figcaption { margin-bottom: .3rem; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 13px; fill: #1b1f24; }
svg .small { font-size: 11.5px; }
svg .strong { font-weight: 600; }
svg .muted { fill: #4a5360; }
svg .val-in { fill: #fff; font-weight: 700; }
svg .val { font-weight: 700; }
svg .bar-fill { fill: #2f5d8a; }
svg .axis, svg .grid { stroke: #98a1ad; stroke-width: 1; }
svg .grid { stroke-dasharray: 3 3; }
svg .stripe { fill: #f3f5f8; }
svg .mark { fill: #1f3a5f; stroke: #fff; stroke-width: 1.5; }
svg .f-green { fill: #2e7d32; stroke: #fff; stroke-width: 1; }
svg .f-yellow { fill: #f0c330; stroke: #fff; stroke-width: 1; }
svg .f-red { fill: #b42318; stroke: #fff; stroke-width: 1; }
svg .f-none { fill: #d5d9df; stroke: #fff; stroke-width: 1; }
svg .t-green, svg .t-red { fill: #fff; font-weight: 700; font-size: 12px; }
svg .t-yellow, svg .t-none { fill: #1b1f24; font-weight: 700; font-size: 12px; }
.card { border: 1px solid var(--line); border-left: 6px solid; border-radius: 3px; padding: .45rem .9rem .6rem; margin: .7rem 0; }
.card-red { border-left-color: #b42318; }
.card-yellow { border-left-color: #c99a00; }
.card h3 { margin: .15rem 0 .4rem; }
.card .id { color: var(--muted); margin-right: .3rem; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
.card dt { font-weight: 600; }
.card dd { margin: 0; }
.bar-track { display: inline-block; width: 8rem; height: .75em; background: #e3e7ec; vertical-align: middle; margin-right: .4rem; }
.n { display: inline-block; min-width: 2.2em; text-align: right; margin-right: .5rem; font-weight: 600; }
.bar { display: block; height: 100%; background: #2f5d8a; }
table.goals td:nth-child(3) { white-space: nowrap; }
.ids { font-size: .88em; color: var(--muted); }
.hint { color: var(--muted); font-size: .92em; }
code.path { overflow-wrap: anywhere; }
.keep { white-space: nowrap; }
table.counts { width: auto; min-width: 60%; }
table.counts td.num, table.counts th.num { min-width: 6.5rem; }
footer { margin-top: 2.5rem; border-top: 1px solid var(--line); padding-top: .5rem; color: var(--muted); font-size: .9em; }
@media (max-width: 700px) { body { padding: 16px; } .toc ol { columns: 1; } }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  h1 { font-size: 18pt; }
  h2 { font-size: 13pt; margin-top: 1.4em; }
  h3 { font-size: 11pt; }
  h2, h3, caption { break-after: avoid; page-break-after: avoid; }
  tr, figure, .card, .kpis, svg { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .toc ol { columns: 3; }
  th, td { padding: .2em .4em; }
}
"#;

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

    #[test]
    fn decimal_comma_in_norwegian() {
        assert_eq!(days_f(12.5, false), "12,5");
        assert_eq!(days_f(12.5, true), "12.5");
        assert_eq!(days_f(3.0, false), "3");
    }
}
