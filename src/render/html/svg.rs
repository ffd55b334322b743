//! The charts as inline SVG: each an image with a title and a description
//! of its data in words; a table beside it has the same figures.

use std::fmt::Write as _;

use chrono::{Duration, NaiveDate};

use super::{LEVELS, clip, esc, level_mark};
use crate::domain::model::Level;
use crate::report::i18n::Labels;
use crate::report::{DAYS_AHEAD, DueItem, DueKind, LevelCounts};

/// `write!` to a `String`, which cannot fail.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// Approximate width of text in the charts' font, in user units.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.56
}

/// An accessible inline SVG: the title names it, the description gives its
/// data in words; the drawing itself is hidden from assistive technology.
fn svg(l: &Labels, id: &str, title: &str, desc: &str, width: f64, height: f64, body: &str) -> String {
    format!(
        "<figure class=\"chart\">\n<figcaption><strong>{}</strong> <span class=\"muted\">{}</span></figcaption>\n<svg role=\"img\" aria-labelledby=\"{id}-t {id}-d\" \
         id=\"{id}\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\">\n\
         <title id=\"{id}-t\">{}</title>\n<desc id=\"{id}-d\">{}</desc>\n{body}</svg>\n</figure>\n",
        esc(title),
        esc(l.chart_table),
        esc(title),
        esc(desc)
    )
}

fn svg_text(x: f64, y: f64, class: &str, anchor: &str, text: &str) -> String {
    format!("<text x=\"{x:.1}\" y=\"{y:.1}\" class=\"{class}\" text-anchor=\"{anchor}\">{}</text>\n", esc(text))
}

/// Active tiltak per phase as a funnel of centred horizontal bars, each
/// labelled with its count.
pub fn funnel(l: &Labels, title: &str, phases: &[(String, usize)]) -> String {
    let (label_w, bar_w, row_h, top) = (190.0, 420.0, 30.0, 8.0);
    let width = label_w + bar_w + 50.0;
    let height = top * 2.0 + row_h * phases.len() as f64;
    let max = phases.iter().map(|p| p.1).max().unwrap_or(0).max(1) as f64;
    let centre = label_w + bar_w / 2.0;
    let mut body = String::new();
    let mut desc = Vec::new();
    for (i, (name, n)) in phases.iter().enumerate() {
        let (y, n) = (top + row_h * i as f64, *n);
        desc.push(format!("{} {name}: {n}", i + 1));
        body.push_str(&svg_text(
            label_w - 10.0,
            y + row_h / 2.0 + 5.0,
            "lbl",
            "end",
            &clip(&format!("{} {name}", i + 1), 26),
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
    let desc = format!("{title}. {}: {}.", l.active, desc.join("; "));
    svg(l, "chart-funnel", title, &desc, width, height, &body)
}

/// The level counts of one bar in words: `2 grønn, 1 gul, 0 rød, 0 ikke satt`.
fn counts_words(l: &Labels, c: &LevelCounts) -> String {
    LEVELS.iter().map(|lv| format!("{} {}", c.get(*lv), l.level(*lv))).collect::<Vec<_>>().join(", ")
}

/// Status and risk per segment as stacked bars: one pair of bars per
/// segment, each piece labelled with its shape and count.
pub fn levels(l: &Labels, title: &str, groups: &[(String, LevelCounts, LevelCounts)]) -> String {
    let (name_w, kind_w, bar_w, row_h, gap, legend_h) = (180.0, 70.0, 420.0, 22.0, 14.0, 34.0);
    let x0 = name_w + kind_w;
    let width = x0 + bar_w + 50.0;
    let height = legend_h + groups.len() as f64 * (2.0 * row_h + gap) + 4.0;
    let max = groups.iter().flat_map(|g| [total(&g.1), total(&g.2)]).max().unwrap_or(0).max(1) as f64;
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
    for (i, (name, status, risk)) in groups.iter().enumerate() {
        let y = legend_h + i as f64 * (2.0 * row_h + gap);
        desc.push(format!(
            "{name}: {} {}; {} {}",
            l.status.to_lowercase(),
            counts_words(l, status),
            l.risk.to_lowercase(),
            counts_words(l, risk)
        ));
        body.push_str(&svg_text(0.0, y + row_h / 2.0 + 5.0, "lbl strong", "start", &clip(name, 24)));
        for (k, (kind, counts)) in [(l.status, status), (l.risk, risk)].into_iter().enumerate() {
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
    let desc = format!("{title}. {}.", desc.join(". "));
    svg(l, "chart-levels", title, &desc, width, height, &body)
}

pub fn total(c: &LevelCounts) -> usize {
    c.green + c.yellow + c.red + c.unknown
}

/// Milestones and deliveries of the next days on a time line: one row each,
/// a diamond for a milestone and a circle for a delivery, dated in text.
pub fn timeline(l: &Labels, title: &str, today: NaiveDate, items: &[DueItem]) -> String {
    const MAX_ROWS: usize = 30;
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
    let desc = format!("{title}. {}.", desc.join("; "));
    svg(l, "chart-milestones", title, &desc, width, height, &body)
}

/// The risk matrix as a heat map: probability along, consequence up, each
/// cell coloured by its score's level and marked with its shape and count.
pub fn risk_matrix(l: &Labels, title: &str, cells: &[Vec<usize>], levels: &[Vec<Level>]) -> String {
    let (axis, cell) = (46.0, 64.0);
    let width = axis + 5.0 * cell + 8.0;
    let height = 5.0 * cell + axis + 8.0;
    let mut body = String::new();
    let mut desc = Vec::new();
    for p in 1..=5usize {
        for c in 1..=5usize {
            let n = cells.get(p - 1).and_then(|r| r.get(c - 1)).copied().unwrap_or(0);
            let level = levels.get(p - 1).and_then(|r| r.get(c - 1)).copied();
            let (shape, class) = level_mark(level);
            let x = axis + (p - 1) as f64 * cell;
            let y = (5 - c) as f64 * cell;
            w!(
                body,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cell:.1}\" height=\"{cell:.1}\" class=\"f-{class} cell\"/>\n"
            );
            let text_class = if n == 0 { format!("t-{class} faint") } else { format!("t-{class}") };
            body.push_str(&svg_text(x + 10.0, y + 16.0, &text_class, "start", shape));
            if n > 0 {
                body.push_str(&svg_text(
                    x + cell / 2.0,
                    y + cell / 2.0 + 8.0,
                    &format!("t-{class} big"),
                    "middle",
                    &n.to_string(),
                ));
                desc.push(format!("{} {p}, {} {c}: {n}", l.probability.to_lowercase(), l.consequence.to_lowercase()));
            }
        }
    }
    for k in 1..=5usize {
        let x = axis + (k - 1) as f64 * cell + cell / 2.0;
        body.push_str(&svg_text(x, 5.0 * cell + 18.0, "lbl", "middle", &k.to_string()));
        let y = (5 - k) as f64 * cell + cell / 2.0 + 5.0;
        body.push_str(&svg_text(axis - 10.0, y, "lbl", "end", &k.to_string()));
    }
    body.push_str(&svg_text(
        axis + 2.5 * cell,
        5.0 * cell + 40.0,
        "lbl muted",
        "middle",
        &format!("{} →", l.probability),
    ));
    body.push_str(&format!(
        "<text x=\"12\" y=\"{:.1}\" class=\"lbl muted\" text-anchor=\"middle\" transform=\"rotate(-90 12 {:.1})\">{} →</text>\n",
        2.5 * cell,
        2.5 * cell,
        esc(l.consequence)
    ));
    svg(l, "chart-risks", title, &desc.join("; "), width, height, &body)
}
