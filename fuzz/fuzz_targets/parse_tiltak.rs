//! Fuzz the whole parse of a tiltak file: splitter, YAML, front matter,
//! Markdown body, criteria and the per-file rules. Run with
//! `cargo +nightly fuzz run parse_tiltak` from the repository root.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use portfolio::domain::process::{ProcessDefinition, Template};
use portfolio::rules::{Context, file_rules};

fn definition() -> &'static ProcessDefinition {
    static DEF: OnceLock<ProcessDefinition> = OnceLock::new();
    DEF.get_or_init(|| ProcessDefinition::parse(Template::Ehelse.text(), Path::new("portfolio.yaml")).expect("template"))
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let def = definition();
        let path = Path::new("tiltak/2-konsept/EH-001-x.md");
        let (tiltak, _) = portfolio::domain::tiltak::parse(def, path, Some(1), text);
        let ctx = Context { today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date") };
        let _ = file_rules(def, &tiltak, &ctx);
        let _ = ProcessDefinition::parse(text, Path::new("portfolio.yaml"));
    }
});
