//! Property tests: the front-matter splitter gives back exactly what was put
//! together, whatever the line endings, BOM and content; and no input makes
//! the parser panic.

use std::path::Path;

use portfolio::frontmatter::split;
use portfolio::process::{ProcessDefinition, Template};
use proptest::prelude::*;

/// A line that is not a fence (`---` or `...`), without line breaks.
fn line() -> impl Strategy<Value = String> {
    "[^\r\n]{0,40}".prop_filter("not a fence", |l| {
        let t = l.trim_end_matches([' ', '\t']);
        t != "---" && t != "..."
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn split_round_trips(yaml in prop::collection::vec(line(), 0..12), body in "(?s).{0,200}", crlf: bool, bom: bool) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let yaml_text: String = yaml.iter().map(|l| format!("{l}{nl}")).collect();
        let text = format!("{}---{nl}{yaml_text}---{nl}{body}", if bom { "\u{feff}" } else { "" });
        let s = split(&text).expect("splits");
        prop_assert_eq!(s.yaml, yaml_text.as_str());
        prop_assert_eq!(s.body, body.as_str());
        prop_assert_eq!(&text[s.body_start..], body.as_str());
        prop_assert_eq!(&text[s.yaml_start..s.yaml_start + s.yaml.len()], yaml_text.as_str());
        prop_assert_eq!(s.body_line, yaml.len() + 3);
    }

    #[test]
    fn split_never_panics(text in "(?s).{0,300}") {
        let _ = split(&text);
    }

    #[test]
    fn parsing_never_panics(yaml in "(?s)[a-z_:{}\\[\\],&*!|>#'\" \n-]{0,200}", body in "(?s)[-#\\[\\]x *>`\n a-zæøå:—]{0,200}") {
        let def = ProcessDefinition::parse(Template::Digdir.text(), Path::new("portfolio.yaml")).expect("template");
        let text = format!("---\n{yaml}\n---\n{body}");
        let path = Path::new("tiltak/2-problem/DD-001-x.md");
        let (t, _) = portfolio::tiltak::parse(&def, path, Some(1), &text);
        let _ = portfolio::rules::file_rules(&def, &t, &portfolio::rules::Context { today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date") });
    }
}
