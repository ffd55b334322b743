//! `report` and `check` on a national file (SPEC §12): the figures of the
//! whole are the sums of each portfolio's own report; a broken entry is a
//! finding, not a failure; an ID in two portfolios is an error naming both.

use serde_json::Value;

use crate::common::Sandbox;

fn json(out: &str) -> Value {
    serde_json::from_str(out).expect("JSON")
}

fn name(s: &Sandbox) -> String {
    s.path().file_name().expect("present").to_string_lossy().into_owned()
}

/// Two agencies: a Digdir portfolio and an e-health one, each with tiltak.
fn agencies() -> (Sandbox, Sandbox) {
    let dd = Sandbox::portfolio("digdir");
    dd.ok(&["new", "Felles samtykkeløsning", "--owner", "Kari"]);
    dd.ok(&["new", "EU-lommebok", "--owner", "Ola"]);
    dd.git(&["tag", "v1"]);
    dd.ok(&["new", "Etter taggen", "--owner", "Ola"]);
    let eh = Sandbox::portfolio("ehelse");
    eh.ok(&["new", "Pasientens legemiddelliste", "--owner", "Per"]);
    // A dependency on the other portfolio, and one on a tiltak nobody has.
    let path = eh.ok(&["new", "Kjernejournal", "--owner", "Per", "--no-commit"]);
    let path = path.trim();
    let text =
        eh.read(path).replacen("title: Kjernejournal\n", "title: Kjernejournal\ndependencies: [DD-001, DD-077]\n", 1);
    eh.write(path, text);
    eh.git(&["add", "-A"]);
    eh.git(&["commit", "-q", "-m", "new EH-002"]);
    (dd, eh)
}

#[test]
fn the_whole_is_the_sum_of_the_portfolios() {
    let (dd, eh) = agencies();
    let nat = Sandbox::empty();
    nat.write(
        "national.yaml",
        format!(
            "name: Nasjonalt\nportfolios:\n  - path: ../{}\n    ref: v1\n  - path: ../{}\n    name: E-helse\n",
            name(&dd),
            name(&eh)
        ),
    );
    let whole = json(&nat.ok(&["report", "--format", "json"]));
    let one = json(&dd.ok(&["report", "--format", "json", "--at", "v1"]));
    let two = json(&eh.ok(&["report", "--format", "json"]));
    for key in ["active", "on_hold", "stopped", "closed"] {
        let sum = one["key_figures"]["total"][key].as_u64().expect("present")
            + two["key_figures"]["total"][key].as_u64().expect("present");
        assert_eq!(whole["key_figures"]["total"][key].as_u64().expect("present"), sum, "{key}");
    }
    assert_eq!(whole["key_figures"]["total"]["active"], 4, "two at the tag v1, two at HEAD");
    let rows = |r: &Value| r["tiltak"].as_array().expect("present").len();
    assert_eq!(rows(&whole), rows(&one) + rows(&two));
    for level in ["green", "yellow", "red", "unknown"] {
        let sum = one["status"]["overall"]["status"][level].as_u64().expect("present")
            + two["status"]["overall"]["status"][level].as_u64().expect("present");
        assert_eq!(whole["status"]["overall"]["status"][level].as_u64().expect("present"), sum, "{level}");
    }
    // Phases compared by stage: the first phase of each process is `idea`.
    assert_eq!(whole["key_figures"]["phases"][0]["id"], "idea");
    assert_eq!(whole["key_figures"]["phases"][0]["active"], 4);
    // Each portfolio side by side; the tag's commit.
    assert_eq!(whole["portfolios"][0]["ref"], "v1");
    assert_eq!(whole["portfolios"][0]["total"]["active"], 2);
    assert_eq!(whole["portfolios"][1]["name"], "E-helse");
    // The dependency across portfolios, and the missing one flagged.
    let deps = whole["cross_dependencies"].as_array().expect("present");
    assert_eq!(deps.len(), 2, "{deps:?}");
    assert_eq!(deps[0]["to"], "DD-001");
    assert_eq!(deps[0]["flag"], Value::Null);
    assert_eq!(deps[1]["to"], "DD-077");
    assert_eq!(deps[1]["flag"], "missing");
    // The single report says DD-001 is unknown; the national one does not.
    let p016 = |r: &Value| {
        r["data_quality"]["diagnostics"].as_array().expect("present").iter().filter(|d| d["code"] == "P016").count()
    };
    assert_eq!(p016(&two), 2);
    assert_eq!(p016(&whole), 1);
    // Every format prints.
    for format in ["table", "markdown", "html", "csv"] {
        let out = nat.ok(&["report", "--format", format]);
        assert!(out.contains("DD-001"), "{format}");
    }
    let md = nat.ok(&["report", "--format", "markdown"]);
    assert!(md.contains("Avhengigheter på tvers"), "{md}");
}

#[test]
fn a_broken_entry_is_reported_and_the_rest_still_is() {
    let (dd, eh) = agencies();
    let nat = Sandbox::empty();
    nat.write(
        "national.yaml",
        format!(
            "name: N\nportfolios:\n  - path: ../{}\n  - path: ../no-such-folder\n  - path: ../{}\n    ref: no-such-tag\n",
            name(&dd),
            name(&eh)
        ),
    );
    let whole = json(&nat.ok(&["report", "--format", "json"]));
    assert_eq!(whole["national"]["read"], 1);
    assert_eq!(whole["portfolios"][1]["read"], false);
    assert_eq!(whole["portfolios"][2]["read"], false);
    let why = whole["portfolios"][1]["error"].as_str().expect("why");
    assert!(why.starts_with("national.yaml:4:3: ") && why.contains("no-such-folder"), "{why}");
    assert_eq!(whole["key_figures"]["total"]["active"], 3);
    let found: Vec<&Value> = whole["data_quality"]["diagnostics"]
        .as_array()
        .expect("present")
        .iter()
        .filter(|d| d["code"] == "P032")
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0]["line"], 4, "the entry's line in national.yaml");
    assert!(found[1]["message"].as_str().expect("present").contains("no-such-tag"));
    // check: an error on each broken entry.
    let out = nat.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("P032") && err.contains("national.yaml:4"), "{err}");
    // A bad national.yaml: its line and column.
    nat.write("national.yaml", "name: N\nportfolios:\n  - paht: x\n");
    let out = nat.run(&["report"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("P031") && err.contains("national.yaml:3"), "{err}");
}

#[test]
fn an_id_in_two_portfolios_is_an_error_naming_both() {
    let a = Sandbox::portfolio("digdir");
    a.ok(&["new", "Første", "--owner", "Kari"]);
    let b = Sandbox::portfolio("digdir");
    b.ok(&["new", "Andre", "--owner", "Ola"]);
    let nat = Sandbox::empty();
    nat.write("national.yaml", format!("name: N\nportfolios:\n  - path: ../{}\n  - path: ../{}\n", name(&a), name(&b)));
    let out = nat.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("P013"), "{err}");
    assert!(err.contains(&format!("../{}/tiltak/1-ikke-startet/DD-001-forste.md", name(&a))), "{err}");
    assert!(err.contains(&format!("../{}/tiltak/1-ikke-startet/DD-001-andre.md", name(&b))), "{err}");
}

#[test]
fn a_stage_that_does_not_exist_is_refused_with_its_place() {
    let s = Sandbox::portfolio("digdir");
    let text = s.read("portfolio.yaml").replacen("stage: idea", "stage: ideas", 1);
    s.write("portfolio.yaml", text);
    let out = s.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("P030") && err.contains("ideas") && err.contains("portfolio.yaml:"), "{err}");
}

#[test]
fn the_shipped_example_reads_three_portfolios() {
    let out = crate::common::in_repo(&["-C", "examples/national", "report", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let whole = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(whole["national"]["read"], 3);
    let deps = whole["cross_dependencies"].as_array().expect("present");
    assert!(deps.iter().any(|d| d["flag"] == "red"), "{deps:?}");
    // Both ways: the municipality on the agencies, the agencies on it.
    for (from, to) in [("DD-014", "EK-003"), ("EH-007", "EK-001"), ("EK-002", "DD-003")] {
        let dep = deps.iter().find(|d| d["from"] == from && d["to"] == to);
        assert!(dep.is_some_and(|d| d["to_title"].is_string()), "{from} → {to}: {deps:?}");
    }
    for example in ["examples/digdir", "examples/ehelse"] {
        let own = crate::common::in_repo(&["-C", example, "check"]);
        assert_eq!(own.status.code(), Some(0), "{example}: {}", String::from_utf8_lossy(&own.stderr));
    }
    let check = crate::common::in_repo(&["-C", "examples/national", "check"]);
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stderr));
}

/// A national file over the two agencies, in a sandbox beside them.
fn national_of(dd: &Sandbox, eh: &Sandbox) -> Sandbox {
    let nat = Sandbox::empty();
    nat.write(
        "national.yaml",
        format!("name: Nasjonalt\nportfolios:\n  - path: ../{}\n  - path: ../{}\n", name(dd), name(eh)),
    );
    nat
}

#[test]
fn site_on_a_national_file_says_it_builds_one_portfolios_site() {
    let (dd, eh) = agencies();
    let nat = national_of(&dd, &eh);
    let before = std::fs::read_dir(nat.path()).expect("folder").count();
    let out = nat.run(&["site", "--output", "public"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("national.yaml") && err.contains("not yet of a national file"), "{err}");
    assert!(err.contains("-C <its folder>"), "{err}");
    assert_eq!(std::fs::read_dir(nat.path()).expect("folder").count(), before, "nothing written");
    assert!(!nat.path().join("public").exists());
}

/// Each row's errors and warnings in the national report, and each
/// portfolio's, beside the national `check`'s findings on its file.
#[track_caller]
fn counted_as_checked(nat: &Sandbox, whole: &Value) {
    let out = nat.run(&["check", "--format", "json"]);
    let (_, found) = crate::support::parse_check(&out);
    let on =
        |path: &str, severity: &str| found.iter().filter(|d| d["path"] == path && d["severity"] == severity).count();
    for row in whole["tiltak"].as_array().expect("present") {
        let path = row["path"].as_str().expect("path");
        assert_eq!(row["errors"], on(path, "error"), "{row}");
        assert_eq!(row["warnings"], on(path, "warning"), "{row}");
    }
    let mut errors = 0;
    for p in whole["portfolios"].as_array().expect("present") {
        let dir = format!("{}/", p["path"].as_str().expect("path"));
        let of = |severity: &str| {
            found
                .iter()
                .filter(|d| d["severity"] == severity && d["path"].as_str().is_some_and(|f| f.starts_with(&dir)))
                .count()
        };
        assert_eq!(p["errors"], of("error"), "{p}");
        assert_eq!(p["warnings"], of("warning"), "{p}");
        errors += p["errors"].as_u64().expect("errors");
    }
    assert_eq!(whole["data_quality"]["errors"], errors);
}

#[test]
fn the_national_rules_findings_are_counted_on_each_row_and_portfolio() {
    // A dependency on the other portfolio: no longer the unknown one of
    // e-helse's own report, on EH-002's row and in e-helse's figures.
    let (dd, eh) = agencies();
    let nat = national_of(&dd, &eh);
    let whole = json(&nat.ok(&["report", "--format", "json"]));
    let own = json(&eh.ok(&["report", "--format", "json"]));
    let row = |r: &Value, id: &str| {
        r["tiltak"].as_array().expect("present").iter().find(|t| t["id"] == id).cloned().expect("the row")
    };
    let errors = |r: &Value| r["errors"].as_u64().expect("errors");
    assert_eq!(errors(&row(&whole, "EH-002")), errors(&row(&own, "EH-002")) - 1);
    assert_eq!(errors(&whole["portfolios"][1]), own["data_quality"]["errors"].as_u64().expect("errors") - 1);
    counted_as_checked(&nat, &whole);
    // One ID in two portfolios: an error more on each, and both red in attention alike.
    let a = Sandbox::portfolio("digdir");
    a.ok(&["new", "Første", "--owner", "Kari"]);
    let b = Sandbox::portfolio("digdir");
    b.ok(&["new", "Andre", "--owner", "Ola"]);
    let nat = national_of(&a, &b);
    let whole = json(&nat.ok(&["report", "--format", "json"]));
    let own = json(&a.ok(&["report", "--format", "json"]));
    let rows: Vec<&Value> =
        whole["tiltak"].as_array().expect("present").iter().filter(|t| t["id"] == "DD-001").collect();
    assert_eq!(rows.len(), 2);
    for r in rows {
        assert_eq!(errors(r), errors(&row(&own, "DD-001")) + 1, "{r}");
    }
    counted_as_checked(&nat, &whole);
}

#[test]
fn list_names_the_portfolio_of_each_row_in_every_format() {
    let (dd, eh) = agencies();
    let nat = national_of(&dd, &eh);
    let rows = json(&nat.ok(&["list", "--format", "json"]));
    let rows = rows.as_array().expect("an array");
    assert_eq!(rows.len(), 5, "three of Digdir, two of e-helse");
    let of = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("{id} listed"));
    assert_eq!(of("DD-003")["portfolio"], "Digdirs portefølje");
    assert_eq!(of("EH-002")["portfolio"], "Nasjonal e-helseportefølje");
    assert!(of("EH-002")["path"].as_str().expect("path").starts_with(&format!("../{}/", name(&eh))));
    // CSV: the portfolio first, one record per row, read by a CSV reader.
    let csv = nat.ok(&["list", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.headers().expect("header").get(0), Some("portfolio"));
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(records.len(), 5);
    // The terminal: a table per portfolio under its name.
    let table = nat.ok(&["list"]);
    let first = table.find("Digdirs portefølje (3)").expect("Digdir's heading");
    let second = table.find("Nasjonal e-helseportefølje (2)").expect("e-helse's heading");
    assert!(first < second && table[first..second].contains("DD-003") && table[second..].contains("EH-002"));
    // xlsx: the portfolio column in the sheet.
    nat.ok(&["list", "--format", "xlsx", "-o", "liste.xlsx"]);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(nat.path().join("liste.xlsx")).expect("opens");
    let range = calamine::Reader::worksheet_range_at(&mut book, 0).expect("a sheet").expect("readable");
    assert_eq!(range.get((0, 0)).map(|c| c.to_string()), Some("portfolio".to_owned()));
    assert_eq!(range.height(), 6);
    // --phase by stage across processes, and a filter no portfolio knows.
    let idea = json(&nat.ok(&["list", "--format", "json", "--phase", "idea"]));
    assert_eq!(idea.as_array().expect("array").len(), 5, "every new tiltak is in an idea-stage phase");
    let none = json(&nat.ok(&["list", "--format", "json", "--phase", "execution"]));
    assert_eq!(none.as_array().expect("array").len(), 0);
    let out = nat.run(&["list", "--segment", "no-such-segment"]);
    assert_eq!(out.status.code(), Some(2), "a segment no portfolio has is refused");
    // One portfolio with segments: --segment selects there only.
    let some = json(&nat.ok(&["list", "--format", "json", "--segment", "observere"]));
    assert!(some.as_array().expect("array").iter().all(|r| r["portfolio"] == "Nasjonal e-helseportefølje"));
}

#[test]
fn board_has_a_column_per_stage_across_processes() {
    let (dd, eh) = agencies();
    // One of Digdir's moved by hand into the planning stage's phase.
    let from = dd.ok(&["list", "--format", "csv"]);
    let path = from.lines().find(|l| l.starts_with("DD-001,")).and_then(|l| l.rsplit(',').next()).expect("DD-001");
    let file = path.rsplit('/').next().expect("file");
    std::fs::create_dir_all(dd.path().join("tiltak/4-planlegging")).expect("mkdir");
    dd.git(&["mv", path, &format!("tiltak/4-planlegging/{file}")]);
    dd.git(&["commit", "-q", "-m", "move DD-001"]);
    let nat = national_of(&dd, &eh);
    let md = nat.ok(&["board", "--format", "markdown"]);
    let header = md.lines().find(|l| l.starts_with("| Idé")).unwrap_or_else(|| panic!("a header row:\n{md}"));
    assert!(header.starts_with("| Idé (4) | Konsept (0) | Planlegging (1) |"), "{header}");
    assert!(md.contains("DD = Digdirs portefølje") && md.contains("EH = Nasjonal e-helseportefølje"), "{md}");
    let cells: Vec<&str> = md.lines().filter(|l| l.contains("**DD-001**")).collect();
    assert_eq!(cells.len(), 1, "{md}");
    // Planning is the third column: DD-001's card is in it.
    let row = cells[0];
    let columns: Vec<&str> = row.trim_matches('|').split(" | ").collect();
    assert!(columns[2].contains("DD-001"), "{row}");
    let table = nat.ok(&["board", "--lang", "en"]);
    assert!(table.contains("Idea (4)") && table.contains("Planning (1)"), "{table}");
    // As of HEAD~1 in each: DD-001 back in its first phase, EH-002 not yet there.
    let md = nat.ok(&["board", "--format", "markdown", "--at", "HEAD~1"]);
    assert!(md.contains("| Idé (4) | Konsept (0) | Planlegging (0) |"), "{md}");
}

#[test]
fn external_ids_of_another_portfolio_are_resolved_across_portfolios() {
    let (dd, eh) = agencies();
    dd.ok(&["stop", "DD-002", "--reason", "Erstattet"]);
    // Written `{external: …}`, e-helse's own check takes them as outside.
    let path = eh.ok(&["new", "Bruker DD", "--owner", "Per", "--no-commit"]);
    let path = path.trim();
    let text = eh.read(path).replacen(
        "title: Bruker DD\n",
        "title: Bruker DD\ndependencies: [{external: DD-002}, {external: DD-099, description: ikke laget}, {external: Kjernejournal}]\n",
        1,
    );
    eh.write(path, text);
    eh.git(&["add", "-A"]);
    eh.git(&["commit", "-q", "-m", "new EH-003"]);
    let (_, own) = crate::support::check_json(&eh);
    assert!(
        !own.iter().any(|d| d["code"] == "P016" && d["path"].as_str().is_some_and(|p| p.contains("EH-003"))),
        "{own:?}"
    );
    let nat = national_of(&dd, &eh);
    let whole = json(&nat.ok(&["report", "--format", "json"]));
    let deps = whole["cross_dependencies"].as_array().expect("present");
    let of = |to: &str| deps.iter().find(|d| d["to"] == to).unwrap_or_else(|| panic!("{to} in {deps:?}"));
    assert_eq!(of("DD-002")["flag"], "stopped");
    assert_eq!(of("DD-002")["external"], true);
    assert_eq!(of("DD-002")["to_state"], "stopped");
    assert_eq!(of("DD-099")["flag"], "missing");
    assert_eq!(of("DD-099")["to_portfolio"], "Digdirs portefølje", "by its prefix");
    assert!(!deps.iter().any(|d| d["to"] == "Kjernejournal"), "a real external stays outside");
    // The national check warns of both, at the dependencies line.
    let out = nat.run(&["check", "--format", "json"]);
    let (_, found) = crate::support::parse_check(&out);
    let at = |code: &str| {
        found
            .iter()
            .find(|d| d["code"] == code && d["message"].as_str().is_some_and(|m| m.contains("EH-003")))
            .unwrap_or_else(|| panic!("{code} on EH-003 in {found:?}"))
    };
    assert_eq!(at("P113")["severity"], "warning");
    assert!(at("P113")["message"].as_str().expect("message").contains("DD-002"));
    assert_eq!(at("P016")["severity"], "warning");
    assert!(at("P016")["message"].as_str().expect("message").contains("DD-099"));
    let line = eh.read(path).lines().position(|l| l.starts_with("dependencies:")).expect("present") + 1;
    assert_eq!(at("P016")["line"], line, "the dependencies line");
    // A red one: flagged red.
    let dd1 = dd.ok(&["list", "--format", "csv"]);
    let p = dd1.lines().find(|l| l.starts_with("DD-001,")).and_then(|l| l.rsplit(',').next()).expect("DD-001");
    let text = dd.read(p).replacen(
        "title: Felles samtykkeløsning\n",
        "title: Felles samtykkeløsning\nrisk: {level: red}\n",
        1,
    );
    dd.write(p, text);
    dd.git(&["commit", "-qam", "red"]);
    let whole = json(&nat.ok(&["report", "--format", "json"]));
    let red = whole["cross_dependencies"].as_array().expect("present").iter().find(|d| d["to"] == "DD-001").cloned();
    assert_eq!(red.expect("EH-002 on DD-001")["flag"], "red");
}

/// The shipped example (the two agencies and the municipality) committed
/// in a sandbox, so its commits and dates are fixed; the national file's
/// folder is returned beside it.
fn shipped() -> Sandbox {
    let s = Sandbox::repo();
    for example in ["digdir", "ehelse", "national"] {
        let status = std::process::Command::new("cp")
            .arg("-r")
            .arg(crate::common::repo_root().join("examples").join(example))
            .arg(s.path())
            .status()
            .expect("cp");
        assert!(status.success());
    }
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "the three portfolios"]);
    s
}

fn at_80(s: &Sandbox, args: &[&str]) -> String {
    let out = s.cmd(args).env("COLUMNS", "80").output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_shipped_example_in_the_terminal_and_markdown() {
    let s = shipped();
    let table = at_80(&s, &["-C", "national", "report"]);
    for line in table.lines() {
        assert!(line.chars().count() <= 80, "wider than 80 columns: {line}");
    }
    insta::assert_snapshot!("national_table", table);
    insta::assert_snapshot!("national_markdown", at_80(&s, &["-C", "national", "report", "--format", "markdown"]));
    let english = at_80(&s, &["-C", "national", "report", "--lang", "en"]);
    for line in english.lines() {
        assert!(line.chars().count() <= 80, "wider than 80 columns: {line}");
    }
    insta::assert_snapshot!("national_table_en", english);
}

/// Commit everything in `s` as made on `date`.
fn commit_on(s: &Sandbox, date: &str, message: &str) {
    s.git(&["add", "-A"]);
    let stamp = format!("{date}T12:00:00+00:00");
    let out = s
        .git_cmd(&["commit", "-q", "-m", message])
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .output()
        .expect("git");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A new tiltak in `s`, committed on `date`; its path.
fn new_on(s: &Sandbox, date: &str, title: &str, extra: &str) -> String {
    let path = s.ok(&["new", title, "--owner", "Eier", "--no-commit"]).trim().to_owned();
    if !extra.is_empty() {
        let text = s.read(&path).replacen(&format!("title: {title}\n"), &format!("title: {title}\n{extra}"), 1);
        s.write(&path, text);
    }
    commit_on(s, date, &format!("new {title}"));
    path
}

/// Two agencies with dated histories: tiltak added, a status turned red, one
/// stopped, across 2026.
fn dated() -> (Sandbox, Sandbox) {
    let dd = Sandbox::portfolio("digdir");
    let eh = Sandbox::portfolio("ehelse");
    new_on(&dd, "2026-02-01", "Første", "status: {level: green, updated: 2026-02-01}\n");
    new_on(&eh, "2026-02-10", "Journal", "status: {level: yellow, updated: 2026-02-10}\n");
    let second = new_on(&dd, "2026-04-01", "Andre", "status: {level: green, updated: 2026-04-01}\n");
    new_on(&eh, "2026-05-01", "Resept", "");
    let text = dd.read(&second).replace("level: green, updated: 2026-04-01", "level: red, updated: 2026-06-15");
    dd.write(&second, text);
    commit_on(&dd, "2026-06-15", "DD-002 red");
    let out = dd
        .cmd(&["stop", "DD-001", "--reason", "Erstattet"])
        .env("GIT_COMMITTER_DATE", "2026-08-01T12:00:00+00:00")
        .env("GIT_AUTHOR_DATE", "2026-08-01T12:00:00+00:00")
        .output()
        .expect("stop");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    new_on(&eh, "2026-09-01", "Senere", "");
    (dd, eh)
}

#[test]
fn at_a_date_each_portfolio_is_its_own_report_at_that_date() {
    let (dd, eh) = dated();
    let nat = national_of(&dd, &eh);
    for date in ["2026-03-01", "2026-05-15", "2026-07-01", "2026-10-01"] {
        let whole = json(&nat.ok(&["report", "--format", "json", "--at", date]));
        assert_eq!(whole["as_of"]["date"], date);
        let own: Vec<Value> =
            [&dd, &eh].iter().map(|s| json(&s.ok(&["report", "--format", "json", "--at", date]))).collect();
        for (i, one) in own.iter().enumerate() {
            let p = &whole["portfolios"][i];
            assert_eq!(p["total"], one["key_figures"]["total"], "{date}: portfolio {i}");
            assert_eq!(p["status"]["status"], one["status"]["overall"]["status"], "{date}: portfolio {i}");
            assert_eq!(p["commit"], one["as_of"]["commit"], "{date}: portfolio {i}");
        }
        for key in ["active", "on_hold", "stopped", "closed"] {
            let sum: u64 = own.iter().map(|r| r["key_figures"]["total"][key].as_u64().expect("count")).sum();
            assert_eq!(whole["key_figures"]["total"][key], sum, "{date}: {key}");
        }
        for level in ["green", "yellow", "red", "unknown"] {
            let sum: u64 = own.iter().map(|r| r["status"]["overall"]["status"][level].as_u64().expect("count")).sum();
            assert_eq!(whole["status"]["overall"]["status"][level], sum, "{date}: {level}");
        }
        let rows: usize = own.iter().map(|r| r["tiltak"].as_array().expect("rows").len()).sum();
        assert_eq!(whole["tiltak"].as_array().expect("rows").len(), rows, "{date}");
    }
    // Known figures, so that the sums are not both zero.
    let july = json(&nat.ok(&["report", "--format", "json", "--at", "2026-07-01"]));
    assert_eq!(july["key_figures"]["total"]["active"], 4);
    assert_eq!(july["status"]["overall"]["status"]["red"], 1);
    let october = json(&nat.ok(&["report", "--format", "json", "--at", "2026-10-01"]));
    assert_eq!(october["key_figures"]["total"]["stopped"], 1);
    assert_eq!(october["key_figures"]["total"]["active"], 4);
    // Before any portfolio had a commit: each is a failure, said so.
    let out = nat.run(&["report", "--format", "json", "--at", "2020-01-01"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let early = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(early["national"]["read"], 0);
}

#[test]
fn since_a_date_the_changes_of_all_are_the_changes_of_each() {
    let (dd, eh) = dated();
    let nat = national_of(&dd, &eh);
    let whole = json(&nat.ok(&["report", "--format", "json", "--since", "2026-04-15"]));
    let own: Vec<Value> =
        [&dd, &eh].iter().map(|s| json(&s.ok(&["report", "--format", "json", "--since", "2026-04-15"]))).collect();
    for key in
        ["new", "gates", "completed", "stopped", "on_hold", "resumed", "removed", "status_changes", "risk_changes"]
    {
        let sum: usize = own.iter().map(|r| r["changes"][key].as_array().expect("list").len()).sum();
        assert_eq!(whole["changes"][key].as_array().expect("list").len(), sum, "{key}");
    }
    let ids = |key: &str| -> Vec<String> {
        whole["changes"][key]
            .as_array()
            .expect("list")
            .iter()
            .map(|c| c["id"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(ids("new"), ["EH-002", "EH-003"], "{}", whole["changes"]);
    assert_eq!(ids("stopped"), ["DD-001"]);
    assert_eq!(ids("status_changes"), ["DD-002"]);
    assert_eq!(whole["since"]["requested"], "2026-04-15");
    // The previous status is each portfolio's at the date, summed.
    let before: u64 =
        own.iter().map(|r| r["status"]["overall"]["previous_status"]["green"].as_u64().unwrap_or(0)).sum();
    assert_eq!(whole["status"]["overall"]["previous_status"]["green"], before);
}

/// A national file whose names and a tiltak title are hostile markup.
fn hostile() -> (Sandbox, Sandbox, Sandbox) {
    let (dd, eh) = agencies();
    let title = r#"<script>alert(1)</script> & "x" | y <b>&"|"#;
    eh.ok(&["new", title, "--owner", "Per"]);
    let nat = Sandbox::empty();
    nat.write(
        "national.yaml",
        format!(
            "name: '<i>Nasjonal</i> | [x](javascript:x)'\nportfolios:\n  - path: ../{}\n    name: '<img src=x onerror=alert(2)> | DD'\n  - path: ../{}\n  - path: ../no-such-folder\n",
            name(&dd),
            name(&eh)
        ),
    );
    (dd, eh, nat)
}

#[test]
fn hostile_names_are_escaped_in_html_and_markdown() {
    let (_dd, _eh, nat) = hostile();
    let html = nat.ok(&["report", "--format", "html"]);
    for raw in ["<script>alert(1)", "<b>&", "<img src=x", "<i>Nasjonal"] {
        assert!(!html.contains(raw), "{raw} is markup in the HTML");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"), "the title, escaped");
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt; | DD"), "the portfolio name, escaped");
    assert!(!html.contains("href=\"javascript"), "no link is made");
    let md = nat.ok(&["report", "--format", "markdown"]);
    assert!(md.starts_with(r"# \<i\>Nasjonal\</i\> \| \[x\](javascript:x)"), "{}", md.lines().next().unwrap_or(""));
    for line in md.lines().filter(|l| l.contains("onerror")) {
        assert!(line.contains(r"\<img src=x onerror=alert(2)\> \| DD"), "{line}");
    }
    let row = md.lines().find(|l| l.contains("alert(1)") && l.starts_with('|')).expect("a row with the title");
    assert!(row.contains(r"\<script\>alert(1)\</script\>"), "{row}");
    // Every row of the per-portfolio table has as many cells as its header.
    let start = md.find("### Per portefølje").expect("the table");
    let rows: Vec<&str> =
        md[start..].lines().skip(2).take_while(|l| l.starts_with('|')).filter(|l| !l.starts_with("|---")).collect();
    let cells = |l: &str| l.matches(" | ").count();
    assert!(rows.len() >= 4, "{rows:?}");
    assert!(rows.iter().all(|r| cells(r) == cells(rows[0])), "{rows:?}");
    assert!(rows[3].starts_with("| ../no-such-folder | – | – |"), "not read: no figures, {rows:?}");
}

#[test]
fn json_csv_and_xlsx_of_the_national_report() {
    let (_dd, _eh, nat) = hostile();
    // JSON: valid against its committed schema.
    let out = nat.ok(&["report", "--format", "json"]);
    nat.write("r.json", &out);
    let schema = crate::common::repo_root().join("schema/national-report.schema.json");
    let check = std::process::Command::new("python3")
        .args(["-c", "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))"])
        .arg(nat.path().join("r.json"))
        .arg(&schema)
        .output();
    // CI installs the validator and sets PORTFOLIO_REQUIRE_JSONSCHEMA=1, so
    // there the check cannot be skipped.
    let required = std::env::var_os("PORTFOLIO_REQUIRE_JSONSCHEMA").is_some();
    match check {
        Ok(o) if o.status.success() => {}
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("No module named") && !required => {
            eprintln!("note: python3 has no jsonschema; the schema check is skipped")
        }
        Ok(o) => panic!("the national JSON does not match its schema:\n{}", String::from_utf8_lossy(&o.stderr)),
        Err(e) if !required => eprintln!("note: no python3 ({e}); the schema check is skipped"),
        Err(e) => panic!("PORTFOLIO_REQUIRE_JSONSCHEMA is set but python3 cannot run: {e}"),
    }
    let whole = json(&out);
    assert_eq!(whole["national"]["portfolios"], 3);
    assert_eq!(whole["national"]["read"], 2);
    assert_eq!(whole["portfolios"][2]["read"], false);
    // CSV: one record per tiltak, the portfolio first, parsed by a CSV reader.
    let csv = nat.ok(&["report", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("header").clone();
    assert_eq!(headers.get(0), Some("portfolio"));
    assert_eq!(headers.get(1), Some("id"));
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
    assert_eq!(records.len(), whole["tiltak"].as_array().expect("rows").len());
    let hostile = records.iter().find(|r| r.get(1) == Some("EH-003")).expect("EH-003");
    assert_eq!(hostile.get(2), Some(r#"<script>alert(1)</script> & "x" | y <b>&"|"#), "the title, whole");
    assert!(records.iter().all(|r| r.len() == headers.len()));
    // xlsx: opens, the tiltak sheet has the portfolio column and every row.
    nat.ok(&["report", "--format", "xlsx", "-o", "r.xlsx"]);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(nat.path().join("r.xlsx")).expect("opens");
    let range = calamine::Reader::worksheet_range_at(&mut book, 0).expect("a sheet").expect("readable");
    assert_eq!(range.get((0, 0)).map(|c| c.to_string()), Some("portfolio".to_owned()));
    assert_eq!(range.height(), records.len() + 1);
}

#[test]
fn html_of_the_national_report_reflows_at_320_pixels() {
    let Some(chromium) = crate::support::chromium() else {
        assert!(!crate::support::chromium_required(), "chromium is required here but was not found");
        eprintln!("note: chromium not found; skipping the reflow check of the national HTML report");
        return;
    };
    let s = shipped();
    let html = s.ok(&["-C", "national", "report", "--format", "html"]);
    assert!(html.contains("Avhengigheter på tvers") && html.contains("Per portefølje"));
    let dir = tempfile::tempdir().expect("temp dir");
    for width in [320, 390] {
        let (viewport, scroll) = crate::support::scroll_width(&chromium, dir.path(), &html, width, "national");
        assert_eq!(viewport, width);
        assert_eq!(scroll, width, "the national report at {width} px scrolls sideways to {scroll} px");
    }
    let (_dd, _eh, nat) = hostile();
    let html = nat.ok(&["report", "--format", "html"]);
    let (_, scroll) = crate::support::scroll_width(&chromium, dir.path(), &html, 320, "hostile");
    assert_eq!(scroll, 320, "with a broken entry and hostile names");
}
