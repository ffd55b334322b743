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
