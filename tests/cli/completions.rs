//! `portfolio completions`: shell completion scripts.

use crate::common::*;

#[test]
fn completions_for_bash() {
    let out = Sandbox::empty().ok(&["completions", "bash"]);
    assert!(out.contains("_portfolio()"), "{out}");
    assert!(out.contains("check") && out.contains("--strict"));
    assert!(out.contains("--template"));
}
