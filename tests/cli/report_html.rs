//! `report --format html`: one self-contained, escaped, accessible file. The
//! first tests read the markup; the last has a real browser (headless
//! Chromium) load it, which CI requires and a laptop may skip.

use crate::common::*;
use crate::support::{chromium, chromium_required, dump_dom, scroll_width};

const SECTIONS: [&str; 10] = [
    "header",
    "key-figures",
    "status-risk",
    "all-tiltak",
    "attention",
    "changes",
    "goals",
    "milestones",
    "flow",
    "data-quality",
];

const CHARTS: [&str; 3] = ["chart-funnel", "chart-levels", "chart-milestones"];

/// The binary over the shipped e-health example, hermetic, on the tests' day.
fn example(args: &[&str]) -> String {
    let mut all = vec!["-C", "examples/ehelse", "report"];
    all.extend_from_slice(args);
    let out = in_repo(&all);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "report {args:?} failed:\n{stderr}");
    stdout
}

/// Every tiltak ID of the example, from the JSON report.
fn example_ids() -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&example(&["--format", "json"])).expect("json report");
    let ids: Vec<String> = json["tiltak"]
        .as_array()
        .expect("tiltak list")
        .iter()
        .map(|t| t["id"].as_str().expect("id").to_owned())
        .collect();
    assert!(ids.len() >= 10, "the example should have its tiltak: {ids:?}");
    ids
}

/// The values of every `name="…"` attribute in the markup.
fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        let quote = rest.chars().next().expect("attribute value");
        assert!(quote == '"' || quote == '\'', "unquoted {name} attribute: {}", &rest[..rest.len().min(40)]);
        let end = rest[1..].find(quote).expect("closing quote");
        values.push(&rest[1..=end]);
        rest = &rest[end + 1..];
    }
    values
}

/// Nothing in the page can run code or fetch anything from anywhere.
fn assert_self_contained(html: &str) {
    let lower = html.to_lowercase();
    assert!(lower.starts_with("<!doctype html>"), "doctype first");
    assert!(!lower.contains("<script"), "no scripts");
    assert!(!lower.contains("@import") && !lower.contains("url("), "no style sheet fetches anything");
    assert!(
        !lower.contains("<link") && !lower.contains("<iframe") && !lower.contains("<object"),
        "no linked resources"
    );
    assert!(lower.contains("default-src 'none'"), "a Content-Security-Policy that forbids fetching");
    for attr in ["src", "href", "xlink:href", "srcset", "action", "poster", "data"] {
        for value in attribute_values(&lower, attr) {
            assert!(value.starts_with('#') || value.starts_with("data:"), "{attr}=\"{value}\" points off the document");
        }
    }
}

/// Each chart is an image with a title and a description of its data.
fn assert_accessible_charts(html: &str) {
    let svgs: Vec<&str> = html.split("<svg").skip(1).collect();
    assert!(svgs.len() >= 3, "three charts at least, found {}", svgs.len());
    for svg in svgs {
        let svg = &svg[..svg.find("</svg>").expect("closed svg")];
        assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby="), "svg is a labelled image");
        assert!(svg.contains("<title id="), "svg has a title");
        assert!(svg.contains("<desc id="), "svg has a description");
    }
    for id in CHARTS {
        assert!(html.contains(&format!("id=\"{id}\"")), "chart {id}");
    }
}

#[test]
fn html_report_of_the_example_is_self_contained_and_complete() {
    let html = example(&["--format", "html"]);
    assert_self_contained(&html);
    assert_accessible_charts(&html);
    assert!(html.contains("<html lang=\"nb\">"), "Norwegian page");
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("<title>Nasjonal e-helseportefølje – Statusrapport 2026-11-23</title>"));
    for id in example_ids() {
        assert!(html.contains(&id), "tiltak {id} is in the report");
    }
    for id in SECTIONS {
        assert!(html.contains(&format!("id=\"{id}\"")), "section {id}");
    }
    // Levels are a shape and a word, never a colour alone.
    assert!(html.contains("aria-hidden=\"true\">■</span> rød"));
    assert!(html.contains("aria-hidden=\"true\">▲</span> gul"));
    assert!(html.contains("aria-hidden=\"true\">●</span> grønn"));
    // Tables have captions and header scopes.
    assert_eq!(html.matches("<table").count(), html.matches("<caption>").count(), "every table has a caption");
    assert!(html.contains("<th scope=\"col\"") && html.contains("<th scope=\"row\""));
    // Printing on A4.
    assert!(html.contains("size: A4") && html.contains("@media print"));
    // The same input gives the same bytes.
    assert_eq!(html, example(&["--format", "html"]), "deterministic");
}

#[test]
fn html_report_speaks_english_when_asked() {
    let html = example(&["--format", "html", "--lang", "en"]);
    assert_self_contained(&html);
    assert_accessible_charts(&html);
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains(">Key figures</h2>"));
    assert!(html.contains("aria-hidden=\"true\">■</span> red"));
}

#[test]
fn html_report_escapes_hostile_titles() {
    let s = Sandbox::portfolio("ehelse");
    let title = r#"<script>alert(1)</script> & "x" | y <b>&"|"#;
    s.ok(&["new", title]);
    let html = s.ok(&["report", "--format", "html"]);
    assert_self_contained(&html);
    assert!(!html.contains("<script>alert(1)"), "the title is not markup");
    assert!(!html.contains("<b>&"), "the title is not markup");
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; | y &lt;b&gt;&amp;&quot;|";
    assert!(html.contains(escaped), "the title is shown escaped:\n{html}");
    // Also inside the chart descriptions and the page title.
    let json = s.ok(&["report", "--format", "json"]);
    assert!(json.contains("alert(1)"), "the hostile tiltak is in the report");
}

#[test]
fn html_report_loads_in_a_browser() {
    let Some(chromium) = chromium() else {
        assert!(
            !chromium_required(),
            "chromium is required here (CI or PORTFOLIO_REQUIRE_CHROMIUM=1) but was not found"
        );
        eprintln!("note: chromium not found; skipping the browser check of the HTML report");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("report.html");
    std::fs::write(&file, example(&["--format", "html"])).expect("write report");
    let profile = dir.path().join("profile");
    std::fs::create_dir(&profile).expect("profile dir");

    let dom = dump_dom(&chromium, &file, &profile, &[]);
    assert!(dom.contains("<html lang=\"nb\">"), "the browser parsed the page:\n{dom}");
    for id in example_ids() {
        assert!(dom.contains(&id), "tiltak {id} in the DOM");
    }
    for id in SECTIONS {
        assert!(dom.contains(&format!("id=\"{id}\"")), "section {id} in the DOM");
    }
    for id in CHARTS {
        let at = dom.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("chart {id} in the DOM"));
        let tag = dom[..at].rfind('<').expect("element");
        assert!(dom[tag..].starts_with("<svg"), "chart {id} is an svg element");
    }
    assert!(!dom.to_lowercase().contains("<script"), "no scripts in the DOM");
}

#[test]
fn html_report_marks_english_findings_counts_in_number_and_has_forced_colours() {
    // Digdir's example has exactly two warnings and no error.
    let out = in_repo(&["-C", "examples/digdir", "report", "--format", "html"]);
    let html = texts(&out).0;
    assert!(html.contains("Valideringsfunn: 0 feil, 2 advarsler"), "{html}");
    // The rule engine's messages are English inside a Norwegian page.
    let findings = &html[html.find("<caption>Valideringsfunn</caption>").expect("findings table")..];
    let findings = &findings[..findings.find("</table>").expect("end of table")];
    assert!(
        findings.contains("<td role=\"cell\" lang=\"en\" data-label=\"Melding\">status last updated"),
        "{findings}"
    );
    assert!(findings.contains(">advarsel P104<"), "severity in Norwegian: {findings}");
    // …and not marked in an English page.
    let en = texts(&in_repo(&["-C", "examples/digdir", "report", "--format", "html", "--lang", "en"])).0;
    assert!(!en.contains("lang=\"en\" data-label"), "no lang marks in an English report");
    assert!(en.contains("Validation findings: 0 errors, 2 warnings"));
    // High contrast: the charts take the system's colours.
    let forced = &html[html.find("@media (forced-colors: active)").expect("forced-colours rules")..];
    for rule in ["svg text", "fill: CanvasText", "stroke: CanvasText", "fill: Canvas"] {
        assert!(forced.contains(rule), "{rule} in {forced}");
    }
}

#[test]
fn singular_counts_in_the_report() {
    let s = Sandbox::portfolio("digdir");
    // One tiltak with one warning (no checklist) and one error (a bad priority).
    s.write(
        "tiltak/1-ikke-startet/DD-001-x.md",
        "---\nid: DD-001\ntitle: X\ncreated: 2026-01-05\npriority: urgent\n---\n# X\n",
    );
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "x"]);
    let md = s.ok(&["report", "--format", "markdown"]);
    assert!(md.contains("1 feil, 1 advarsel"), "{md}");
    let en = s.ok(&["report", "--format", "markdown", "--lang", "en"]);
    assert!(en.contains("1 error, 1 warning"), "{en}");
}

#[test]
fn html_report_reflows_at_320_and_390_pixels() {
    let Some(chromium) = chromium() else {
        assert!(!chromium_required(), "chromium is required here but was not found");
        eprintln!("note: chromium not found; skipping the reflow check of the HTML report");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    for example in ["examples/digdir", "examples/ehelse"] {
        let html = texts(&in_repo(&["-C", example, "report", "--format", "html"])).0;
        for width in [320, 390] {
            let (viewport, scroll) = scroll_width(&chromium, dir.path(), &html, width, "report");
            assert_eq!(viewport, width, "{example}: the frame is {width} px wide");
            // WCAG 1.4.10: no scrolling sideways at 320 CSS px.
            assert_eq!(scroll, width, "{example} at {width} px scrolls sideways to {scroll} px");
        }
    }
}
