//! History that survives a changed process (SPEC §2a): a renamed phase
//! folder or phase id is not a gate, an old invalid `portfolio.yaml` is read
//! with today's definition and said so, and a tiltak added directly in a
//! later phase is flagged.

use serde_json::Value;

use crate::common::*;
use crate::scenarios::{FILE, MOVED, READY};

/// DD-001 passed its first gate, then the office renames the phase folder
/// `2-problem` to `2-problemfase` (and with `rename_id` the phase id too, with
/// the old id kept in `aliases:`), in one commit. Returns the sandbox and the
/// commit before the rename.
fn renamed(rename_id: bool) -> (Sandbox, String) {
    let s = Sandbox::portfolio("digdir");
    s.write(FILE, READY);
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "add DD-001"]);
    s.ok(&["advance", "DD-001", "--by", "Porteføljekontoret"]);
    let before = s.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let mut yaml = s.read("portfolio.yaml").replace("folder: 2-problem", "folder: 2-problemfase");
    if rename_id {
        yaml = yaml
            .replace("  - id: problem\n", "  - id: problemstilling\n    aliases: [problem]\n")
            .replace("from_phase: problem", "from_phase: problemstilling");
        assert!(yaml.contains("aliases: [problem]"), "the template's phase list changed");
    }
    s.write("portfolio.yaml", yaml);
    s.git(&["mv", "tiltak/2-problem", "tiltak/2-problemfase"]);
    s.git(&["commit", "-q", "-am", "Rename the problem phase's folder"]);
    (s, before)
}

fn gates_since(s: &Sandbox, since: &str) -> Vec<Value> {
    let json: Value = serde_json::from_str(&s.ok(&["report", "--since", since, "--format", "json"])).expect("json");
    json["changes"]["gates"].as_array().expect("gates").clone()
}

#[test]
fn a_renamed_phase_folder_is_not_a_gate() {
    let (s, before) = renamed(false);
    assert!(MOVED.contains("2-problem/"));
    assert_eq!(gates_since(&s, &before), Vec::<Value>::new(), "the rename counted as a gate");
    let out = s.run(&["check", "--base", &before]);
    assert_eq!(out.status.code(), Some(0), "check --base across the rename:\n{}", texts(&out).1);
    let shown = s.ok(&["show", "DD-001"]);
    assert_eq!(shown.matches(" → ").count(), 2, "one gate and the next-phase line:\n{shown}");
    assert!(!shown.contains("(no phase)"), "{shown}");
}

#[test]
fn a_renamed_phase_id_with_aliases_keeps_its_history() {
    let (s, before) = renamed(true);
    assert_eq!(gates_since(&s, &before), Vec::<Value>::new());
    let out = s.run(&["check", "--base", &before]);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
    // The gate made before the rename still counts, into today's phase.
    let all = gates_since(&s, "2000-01-01");
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["to"], "problemstilling");
}

#[test]
fn an_invalid_old_definition_is_read_with_todays_and_said_so() {
    let s = Sandbox::portfolio("digdir");
    let good = s.read("portfolio.yaml");
    s.write("portfolio.yaml", good.replace("phases:", "phases_typo:"));
    s.git(&["commit", "-q", "-am", "break portfolio.yaml"]);
    let broken = s.git(&["rev-parse", "HEAD"]).trim().to_owned();
    s.write(FILE, READY);
    s.write("portfolio.yaml", &good);
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "repair and add DD-001"]);
    for args in [
        vec!["report", "--since", broken.as_str(), "--format", "json"],
        vec!["report", "--at", broken.as_str(), "--format", "json"],
        vec!["board", "--at", broken.as_str()],
    ] {
        let out = s.run(&args);
        let (_, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}:\n{stderr}");
        assert!(stderr.contains(&format!("in commit {}", &broken[..7])), "{args:?} names the revision:\n{stderr}");
        assert_eq!(stderr.matches("not valid under this version").count(), 1, "one line:\n{stderr}");
    }
}

#[test]
fn a_tiltak_added_in_a_later_phase_is_flagged_unless_a_reason_is_recorded() {
    let s = Sandbox::portfolio("digdir");
    let base = s.git(&["rev-parse", "HEAD"]).trim().to_owned();
    s.write("tiltak/5-implementering/DD-001-snarvei.md", READY);
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "add DD-001 late"]);
    let out = s.run(&["check", "--base", &base, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(texts(&out).0.contains("\"P043\""), "{}", texts(&out).0);

    let s = Sandbox::portfolio("digdir");
    let base = s.git(&["rev-parse", "HEAD"]).trim().to_owned();
    s.write("tiltak/5-implementering/DD-001-snarvei.md", READY);
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "import DD-001\n\nTiltak: DD-001\nForced: moved in from the old portfolio app"]);
    let out = s.run(&["check", "--base", &base, "--format", "json"]);
    assert!(!texts(&out).0.contains("\"P043\""), "{}", texts(&out).0);
}
