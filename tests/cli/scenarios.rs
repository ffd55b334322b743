//! Repositories the tests of several commands start from: a tiltak ready for
//! its gate in a messy work tree, a pull request, and a year of dated
//! history.

use serde_json::Value;

use crate::common::*;

// ------------------------------------------------ a tiltak ready for its gate

pub const READY: &str = "---\r\nid: DD-001\r\ntitle: \"Samtykke: felles\"   # sitert\r\nowner: Kari   # ansvarlig\r\norganization: Digdir\r\npriority: must\r\nstatus: { level: green, updated: 2026-11-20 }\r\ncreated: 2026-01-05\r\nstate: active\r\n---\r\n# Samtykke\r\n\r\n## Behov\r\n\r\nMange etater trenger samtykke.  \r\n\r\n## Innsikt\r\n\r\nIntervjuer med 12 etater.\r\n\r\n## Arbeidsoppgaver og omfang\r\n\r\nKartlegge hjemmel.\r\n\r\n## Kriterier: Ikke startet\r\n\r\n- [x] Overordnet innsikt og forståelse er etablert.\r\n- [x] Behov er beskrevet.\r\n- [x] Tiltakets viktighet er vurdert, og det bidrar til en balansert portefølje.\r\n- [x] Det er ikke åpenbare hindringer.\r\n- [x] Tiltaket er tildelt en ansvarlig.\r\n- [x] Arbeidsoppgaver og omfang i problemfasen er definert.\r\n";

pub const FILE: &str = "tiltak/1-ikke-startet/DD-001-samtykke.md";
pub const MOVED: &str = "tiltak/2-problem/DD-001-samtykke.md";

/// A portfolio with DD-001 committed (criteria unticked) and a messy work tree.
pub fn messy(content: &str) -> Sandbox {
    let s = Sandbox::portfolio("digdir");
    s.write(FILE, content.replace("- [x]", "- [ ]"));
    s.write("notes.txt", "staged\n");
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "add DD-001"]);
    // Now: ticked boxes uncommitted, a staged change, an unstaged change, an untracked file.
    s.write(FILE, content);
    s.write("notes.txt", "staged\nmore\n");
    s.git(&["add", "notes.txt"]);
    s.write("notes.txt", "staged\nmore\nunstaged\n");
    s.write("untracked.txt", "mine\n");
    s
}

/// A portfolio whose `main` has four tiltak, and a branch `feature` on it.
pub fn pull_request() -> Sandbox {
    let s = Sandbox::portfolio("digdir");
    s.write(FILE, READY);
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "new DD-001: Samtykke"]);
    for t in ["B", "C", "D"] {
        s.ok(&["new", &format!("Tiltak {t}"), "--owner", "Kari"]);
    }
    s.git(&["checkout", "-q", "-b", "feature"]);
    s
}

/// Whether HEAD is a symbolic ref (on a branch).
pub fn on_branch(s: &Sandbox) -> bool {
    s.git_cmd(&["symbolic-ref", "-q", "HEAD"]).output().expect("git symbolic-ref").status.success()
}

// ------------------------------------------------------ a year of history

/// Run the binary with commits dated `date` (noon, Oslo winter time).
pub fn at(s: &Sandbox, date: &str, args: &[&str]) -> String {
    let stamp = format!("{date}T12:00:00+01:00");
    let out = s.cmd(args).env("GIT_AUTHOR_DATE", &stamp).env("GIT_COMMITTER_DATE", &stamp).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Git with commits dated `date`, authored by Ola Nordmann and committed by
/// Porteføljekontoret (on top of the hermetic environment; the report
/// snapshots' commit IDs depend on these).
pub fn git_at(s: &Sandbox, date: &str, args: &[&str]) {
    let stamp = format!("{date}T12:00:00+01:00");
    let out = s
        .git_cmd(args)
        .env("GIT_AUTHOR_NAME", "Ola Nordmann")
        .env("GIT_AUTHOR_EMAIL", "ola@example.no")
        .env("GIT_COMMITTER_NAME", "Porteføljekontoret")
        .env("GIT_COMMITTER_EMAIL", "pk@example.no")
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Replace a front-matter line of a tiltak file and commit it on `date`.
pub fn edit(s: &Sandbox, date: &str, path: &str, from: &str, to: &str, message: &str) {
    let text = s.read(path);
    assert!(text.contains(from), "{path} has no {from:?}:\n{text}");
    s.write(path, text.replacen(from, to, 1));
    git_at(s, date, &["commit", "-qam", message]);
}

/// Give a tiltak what the Problem phase requires, committed on `date`.
pub fn ready(s: &Sandbox, date: &str, id: &str) {
    let path = path_of(s, id);
    let fields = format!("organization: Digdir\nstatus:\n  level: green\n  updated: {date}\ntitle:");
    s.write(&path, s.read(&path).replacen("title:", &fields, 1));
    git_at(s, date, &["commit", "-qam", &format!("{id}: klar")]);
}

pub fn path_of(s: &Sandbox, id: &str) -> String {
    let files = s.git(&["ls-files", "tiltak"]);
    files.lines().find(|l| l.contains(id)).unwrap_or_else(|| panic!("no {id} in\n{files}")).to_owned()
}

pub fn json(s: &Sandbox, args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&s.ok(&all)).expect("report JSON")
}

pub fn ids(v: &Value) -> Vec<String> {
    v.as_array().expect("array").iter().map(|x| x["id"].as_str().expect("id").to_owned()).collect()
}

/// A year of a small portfolio:
/// - 2026-01-15: DD-001 and DD-002 proposed
/// - 2026-02-01: DD-001 status yellow
/// - 2026-03-01: DD-001 moved to Problem by hand (git mv)
/// - 2026-03-10: DD-002 forced to Problem by `advance`, decided by the council
/// - 2026-04-01: DD-003 proposed; DD-002 stopped
/// - 2026-05-01: DD-001 status red
pub fn year() -> Sandbox {
    let s = Sandbox::repo();
    at(&s, "2026-01-10", &["init"]);
    git_at(&s, "2026-01-10", &["add", "-A"]);
    git_at(&s, "2026-01-10", &["commit", "-qm", "init portfolio"]);
    at(&s, "2026-01-15", &["new", "Felles samtykkeløsning", "--owner", "Kari"]);
    at(&s, "2026-01-15", &["new", "Ny innlogging", "--owner", "Per"]);
    let one = path_of(&s, "DD-001");
    let text = s.read(&one);
    let status = "status:\n  level: yellow\n  reason: Forsinket avklaring\n  updated: 2026-02-01\n";
    s.write(&one, text.replacen("title:", &format!("{status}title:"), 1));
    git_at(&s, "2026-02-01", &["commit", "-qam", "DD-001: status"]);
    let moved = one.replace("1-ikke-startet", "2-problem");
    git_at(&s, "2026-03-01", &["mv", &one, &moved]);
    git_at(&s, "2026-03-01", &["commit", "-qm", "DD-001 til problem"]);
    ready(&s, "2026-03-10", "DD-002");
    at(&s, "2026-03-10", &["advance", "DD-002", "--force", "--reason", "Hastesak", "--by", "Porteføljerådet"]);
    at(&s, "2026-04-01", &["new", "Datadeling", "--owner", "Siri"]);
    at(&s, "2026-04-01", &["stop", "DD-002", "--reason", "Erstattet av DD-003"]);
    edit(&s, "2026-05-01", &moved, "level: yellow", "level: red", "DD-001: rød");
    s
}
