//! `portfolio completions`: shell completion scripts.

use crate::common::*;

#[test]
fn completions_for_bash() {
    let out = Sandbox::empty().ok(&["completions", "bash"]);
    assert!(out.contains("_portfolio()"), "{out}");
    assert!(out.contains("check") && out.contains("--strict"));
    assert!(out.contains("--template"));
}

#[test]
fn bash_offers_the_values_of_list_state_and_status() {
    let out = Sandbox::empty().ok(&["completions", "bash"]);
    // Before, both fell through to `compgen -f`: file names.
    let after = |flag: &str| {
        let at = out.find(&format!("--{flag})\n")).unwrap_or_else(|| panic!("no --{flag} case in {out}"));
        out[at..].lines().nth(1).unwrap_or_default().trim().to_owned()
    };
    assert_eq!(after("status"), r#"COMPREPLY=($(compgen -W "green yellow red" -- "${cur}"))"#);
    assert_eq!(after("state"), r#"COMPREPLY=($(compgen -W "active on_hold stopped closed" -- "${cur}"))"#);
}

#[test]
fn fish_offers_the_values_of_schema_and_completions() {
    let out = Sandbox::empty().ok(&["completions", "fish"]);
    let line = |sub: &str| {
        let head = format!("complete -c portfolio -n \"__fish_portfolio_using_subcommand {sub}\" -f -a \"");
        let at = out.find(&head).unwrap_or_else(|| panic!("no positional values for {sub} in {out}"));
        out[at + head.len()..].split("\"\n").next().unwrap_or_default().to_owned()
    };
    let schema = line("schema");
    for kind in ["tiltak\\t'", "portfolio\\t'", "diagnostics\\t'", "report\\t'"] {
        assert!(schema.contains(kind), "{schema}");
    }
    assert!(schema.contains("portfolio\\'s allowed values"), "quotes escaped: {schema}");
    assert_eq!(line("completions"), "bash\nelvish\nfish\npowershell\nzsh");
    assert!(out.contains("-l status") && out.contains("green"), "{out}");
}

#[test]
fn aliases_still_select_in_list() {
    let s = Sandbox::portfolio("digdir");
    s.ok(&["new", "Samtykke"]);
    assert!(s.ok(&["list", "--state", "Aktiv", "--format", "csv"]).contains("Samtykke"));
    let out = s.run(&["list", "--status", "lilla"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("no status \"lilla\""), "{out:?}");
}
