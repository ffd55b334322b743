//! Property tests: the front-matter splitter gives back exactly what was put
//! together, whatever the line endings, BOM and content; and no input makes
//! the parser panic.

use std::path::Path;

use portfolio::domain::process::{ProcessDefinition, Template};
use portfolio::text::frontmatter::split;
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
        let (t, _) = portfolio::domain::tiltak::parse(&def, path, Some(1), &text);
        let _ = portfolio::rules::file_rules(&def, &t, &portfolio::rules::Context { today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date") });
    }
}

/// A front-matter line of the kinds owners write: plain, quoted, with a
/// comment, flow mappings, trailing spaces.
fn fm_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_]{1,10}: [A-Za-zæøå0-9 ]{0,20}",
        "[a-z_]{1,10}: \"[A-Za-zæøå:# ]{0,20}\"",
        "[a-z_]{1,10}: '[A-Za-z: ]{0,20}'   # [a-zæøå ]{0,15}",
        "[a-z_]{1,10}: \\{ level: (green|gul), reason: [a-z ]{1,10} \\}",
        "# [A-Za-zæøå ]{0,30}",
        "[a-z_]{1,10}:  [a-z]{1,8}   ",
    ]
    .prop_filter("not the edited keys", |l| !l.starts_with("state:") && !l.starts_with("state_reason:"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Setting `state` changes only that line (or adds one); appending a
    /// checklist keeps every byte before it. Whatever the line endings.
    #[test]
    fn edits_keep_every_other_byte(
        lines in prop::collection::vec(fm_line(), 1..10),
        state_at in 0usize..10,
        body in "[#a-zæøå \\-\\[\\]x\n]{0,200}",
        crlf: bool,
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut fm: Vec<String> = lines.clone();
        let at = state_at.min(fm.len());
        fm.insert(at, "state: active   # tilstand".to_owned());
        let text = format!("---{nl}{}{nl}---{nl}{}", fm.join(nl), body.replace('\n', nl));
        // Only valid YAML is edited; the editor refuses to guess otherwise.
        prop_assume!(portfolio::text::frontmatter::split(&text).is_ok_and(|s| serde_yaml::from_str::<serde_yaml::Value>(s.yaml).is_ok()));
        let edited = portfolio::text::edit::set_field(&text, "state", "on_hold").expect("edits");
        prop_assert_eq!(edited.replace("state: on_hold   # tilstand", "state: active   # tilstand"), text.clone());

        let appended = portfolio::text::edit::append_section(&text, "## Kriterier: Problem\n\n- [ ] X\n");
        prop_assert!(appended.starts_with(&text));
        let tail = &appended[text.len()..];
        prop_assert!(!tail.replace(nl, "").contains('\r') && !tail.replace("\r\n", "").contains('\r'));
        if crlf {
            prop_assert!(!tail.replace("\r\n", "").contains('\n'), "a CRLF file gets CRLF lines");
        }
    }
}
