//! A tiltak's Markdown body as HTML that cannot run or fetch anything: raw
//! HTML is shown as the text it is, never passed through; links go only to
//! web pages (`http`, `https`), mail (`mailto`) or a place on the page;
//! images are not loaded (the page fetches nothing) but named, with a link
//! when their address is a web page; headings sit below the page's own.

use std::fmt::Write as _;

use pulldown_cmark::{Alignment, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::render::html::esc;

/// The body as safe HTML. Every tag is written here, from the parser's
/// events; no markup from the file reaches the page. A first heading that
/// repeats `title` is left out: the page's own heading says it.
pub fn to_html(body: &str, title: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(body.len() + body.len() / 2);
    // Which link starts were written, to close only those.
    let mut links: Vec<bool> = Vec::new();
    // Cells of a table row are header cells in its head.
    let mut in_head = false;
    let mut in_code = false;
    let mut aligns: Vec<Alignment> = Vec::new();
    let mut cell = 0usize;
    let mut events: Vec<Event<'_>> = Parser::new_ext(body, options).collect();
    if let Some(Event::Start(Tag::Heading { level: HeadingLevel::H1, .. })) = events.first()
        && let Some(end) = events.iter().position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
    {
        let text: String = events[1..end]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        if crate::text::normalize(&text) == crate::text::normalize(title) {
            events.drain(..=end);
        }
    }
    for event in events {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => out.push_str("<p>"),
                Tag::Heading { level, .. } => w(&mut out, format_args!("<{}>", lower(level))),
                Tag::BlockQuote(_) => out.push_str("<blockquote>\n"),
                Tag::CodeBlock(_) | Tag::HtmlBlock => {
                    in_code = true;
                    out.push_str("<pre><code>");
                }
                Tag::List(Some(1)) => out.push_str("<ol>\n"),
                Tag::List(Some(n)) => w(&mut out, format_args!("<ol start=\"{n}\">\n")),
                Tag::List(None) => out.push_str("<ul>\n"),
                Tag::Item => out.push_str("<li>"),
                Tag::Emphasis => out.push_str("<em>"),
                Tag::Strong => out.push_str("<strong>"),
                Tag::Strikethrough => out.push_str("<del>"),
                Tag::Table(a) => {
                    aligns = a;
                    out.push_str("<table class=\"body-table\">\n");
                }
                Tag::TableHead => {
                    in_head = true;
                    cell = 0;
                    out.push_str("<thead><tr>");
                }
                Tag::TableRow => {
                    cell = 0;
                    out.push_str("<tr>");
                }
                Tag::TableCell => {
                    let align = match aligns.get(cell) {
                        Some(Alignment::Right) => " class=\"num\"",
                        _ => "",
                    };
                    out.push_str(if in_head { "<th scope=\"col\"" } else { "<td" });
                    out.push_str(align);
                    out.push('>');
                }
                Tag::Link { link_type, dest_url, .. } => {
                    let target =
                        if link_type == LinkType::Email { format!("mailto:{dest_url}") } else { dest_url.to_string() };
                    let keep = safe_target(&target);
                    links.push(keep);
                    if keep {
                        w(&mut out, format_args!("<a href=\"{}\">", esc(target.trim())));
                    }
                }
                // An image is not loaded (the page fetches nothing): its
                // description in brackets, a link when it is on the web.
                Tag::Image { dest_url, .. } => {
                    let keep = is_web(&dest_url);
                    links.push(keep);
                    out.push('[');
                    if keep {
                        w(&mut out, format_args!("<a href=\"{}\">", esc(dest_url.trim())));
                    }
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => out.push_str("</p>\n"),
                TagEnd::Heading(level) => w(&mut out, format_args!("</{}>\n", lower(level))),
                TagEnd::BlockQuote(_) => out.push_str("</blockquote>\n"),
                TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                    in_code = false;
                    out.push_str("</code></pre>\n");
                }
                TagEnd::List(true) => out.push_str("</ol>\n"),
                TagEnd::List(false) => out.push_str("</ul>\n"),
                TagEnd::Item => out.push_str("</li>\n"),
                TagEnd::Emphasis => out.push_str("</em>"),
                TagEnd::Strong => out.push_str("</strong>"),
                TagEnd::Strikethrough => out.push_str("</del>"),
                TagEnd::Table => out.push_str("</tbody>\n</table>\n"),
                TagEnd::TableHead => {
                    in_head = false;
                    out.push_str("</tr></thead>\n<tbody>\n");
                }
                TagEnd::TableRow => out.push_str("</tr>\n"),
                TagEnd::TableCell => {
                    cell += 1;
                    out.push_str(if in_head { "</th>" } else { "</td>" });
                }
                TagEnd::Link if links.pop().unwrap_or(false) => out.push_str("</a>"),
                TagEnd::Image => {
                    if links.pop().unwrap_or(false) {
                        out.push_str("</a>");
                    }
                    out.push(']');
                }
                _ => {}
            },
            // Raw HTML is shown as the text it is.
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                if in_code {
                    code_text(&mut out, &t);
                } else {
                    out.push_str(&esc(&t));
                }
            }
            Event::Code(t) => w(&mut out, format_args!("<code>{}</code>", esc(&t))),
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>\n"),
            Event::Rule => out.push_str("<hr>\n"),
            Event::TaskListMarker(done) => {
                // A mark and a word for assistive technology, not a form field.
                out.push_str(if done {
                    "<span class=\"task done\">☑</span> "
                } else {
                    "<span class=\"task\">☐</span> "
                })
            }
            _ => {}
        }
    }
    out
}

fn w(out: &mut String, args: std::fmt::Arguments<'_>) {
    let _ = out.write_fmt(args);
}

/// Code keeps its lines; each is escaped like any text.
fn code_text(out: &mut String, text: &str) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&esc(line));
    }
}

/// Body headings below the page's `h1` and its sections' `h2`.
fn lower(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h3",
        HeadingLevel::H2 => "h4",
        HeadingLevel::H3 => "h5",
        _ => "h6",
    }
}

/// The scheme of an address, as a browser reads it: control characters and
/// spaces inside are ignored (`java\tscript:` is `javascript:`).
fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url.chars().filter(|c| !c.is_control() && !c.is_whitespace()).collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    (cleaned[end..].starts_with(':')).then(|| cleaned[..end].to_ascii_lowercase())
}

fn is_web(url: &str) -> bool {
    matches!(scheme(url).as_deref(), Some("http" | "https"))
}

/// A link the site keeps: a web page, mail, or a place on this page. A
/// relative address points into the repository, whose files the site does
/// not carry, so such a link (and any other scheme: `javascript:`, `data:`,
/// `file:`) is shown as its text alone.
fn safe_target(url: &str) -> bool {
    match scheme(url) {
        Some(s) => matches!(s.as_str(), "http" | "https" | "mailto"),
        None => url.trim_start().starts_with('#'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text() {
        let html = to_html("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> there\n", "");
        assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "{html}");
        let code = to_html("```\n<b>a</b>\n  b\n```\n", "");
        assert_eq!(code, "<pre><code>&lt;b&gt;a&lt;/b&gt;\n  b\n</code></pre>\n");
    }

    #[test]
    fn only_safe_links_are_links() {
        let html = to_html(
            "[a](javascript:alert(1)) [b](JaVa\tScRiPt:x) [c](https://example.org/x) [d](mailto:k@example.org) \
             [e](../2-problem/DD-001.md) [f](#behov) [g](data:text/html,x) ![pic](https://example.org/p.png) \
             ![local](p.png)\n",
            "",
        );
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(!html.contains("data:") && !html.contains("<img"), "{html}");
        assert!(html.contains("<a href=\"https://example.org/x\">c</a>"), "{html}");
        assert!(html.contains("<a href=\"mailto:k@example.org\">d</a>"), "{html}");
        assert!(html.contains("<a href=\"#behov\">f</a>"), "{html}");
        assert!(html.contains(" e ") && !html.contains("DD-001.md"), "{html}");
        assert!(html.contains("[<a href=\"https://example.org/p.png\">pic</a>]"), "{html}");
        assert!(html.contains("[local]"), "{html}");
    }

    #[test]
    fn headings_sit_below_the_page() {
        let html = to_html("# Tittel\n\n## Behov\n\n- [x] gjort\n", "Annen");
        assert!(html.contains("<h3>Tittel</h3>") && html.contains("<h4>Behov</h4>"), "{html}");
        assert!(html.contains("☑</span> gjort"), "{html}");
        // The title again is left out.
        assert!(!to_html("# Tittel\n\n## Behov\n", "tittel").contains("Tittel"));
    }
}
