//! `portfolio check`: every problem of portfolio.yaml and every tiltak in one
//! run, each with a stable code, a location and a hint, as text, JSON or
//! GitHub annotations; with `--base`, the phase moves of a branch.

use std::time::Duration;

use serde_json::Value;

use crate::common::*;
use crate::scenarios::*;
use crate::support::*;

#[test]
fn help_text() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help_check", texts(&s.run(&["check", "--help"])).0);
}

#[test]
fn check_reports_every_problem_like_rustc() {
    let s = Sandbox::portfolio("digdir");
    s.write(
        "tiltak/2-problem/DD-001-samtykke.md",
        "---\nid: DD-001\ntitle: Samtykke\ncreated: 2026-01-05\nownr: Kari\npriority: urgent\nstatus:\n  level: gul\n  updated: 2026-11-01\ndependencies: [DD-099]\n---\n# Samtykke\n\n## Kriterier: Problem\n\n- [x] Problembeskrivelse er etablert.\n- [x] Prioritering er angitt (f.eks. MoSCoW). — ikke relevant:\n",
    );
    s.write("tiltak/3-konsept/DD-002-x.md", "---\nid: DD-002\ntitle: [unclosed\n---\n");
    let out = s.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let (stdout, stderr) = texts(&out);
    assert_eq!(stdout, "");
    insta::assert_snapshot!("check_text", stderr);

    let json = texts(&s.run(&["check", "--format", "json"])).0;
    insta::assert_snapshot!("check_json", json);
    let github = texts(&s.run(&["check", "--format", "github"])).0;
    insta::assert_snapshot!("check_github", github);
}

#[test]
fn check_only_given_paths() {
    let s = Sandbox::portfolio("digdir");
    s.write("tiltak/1-ikke-startet/DD-001-a.md", "---\nid: DD-001\ntitle: A\ncreated: 2026-01-05\n---\n");
    s.write("tiltak/1-ikke-startet/DD-002-b.md", "---\nid: DD-002\ntitle: B\ncreated: nope\n---\n");
    let out = s.run(&["check", "tiltak/1-ikke-startet/DD-001-a.md", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v.as_array().expect("array").iter().all(|d| d["path"] == "tiltak/1-ikke-startet/DD-001-a.md"));
    assert_eq!(s.run(&["check"]).status.code(), Some(1));
}

#[test]
fn strict_makes_warnings_fail() {
    let s = Sandbox::portfolio("digdir");
    s.write("tiltak/1-ikke-startet/DD-001-a.md", "---\nid: DD-001\ntitle: A\ncreated: 2026-01-05\nownr: x\n---\n");
    assert_eq!(s.run(&["check"]).status.code(), Some(0));
    assert_eq!(s.run(&["check", "--strict"]).status.code(), Some(1));
}

#[test]
fn malformed_portfolio_yaml_is_reported_with_location() {
    let s = Sandbox::repo();
    s.write("portfolio.yaml", "name: X\nid_prefix: DD\nphases:\n  - id: a\n    name: A\n    folder: a\n    criteria:\n      - id: c\n        text: T\n        check: { feild: owner }\n");
    let out = s.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v[0]["code"], "P030");
    assert_eq!(v[0]["path"], "portfolio.yaml");
    assert_eq!(v[0]["line"], 10);
    assert!(v[0]["message"].as_str().expect("message").contains("feild"));
    // Other commands refuse with exit 2 and the same location.
    let out = s.run(&["list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("portfolio.yaml:10:"), "{}", texts(&out).1);
}

#[test]
fn examples_pass_check() {
    for example in ["examples/digdir", "examples/ehelse"] {
        let out = in_repo(&["-C", example, "check"]);
        let (_, err) = texts(&out);
        assert_eq!(out.status.code(), Some(0), "{example}:\n{err}");
        assert!(!err.contains("error["), "{example}:\n{err}");
    }
}

// ----------------------------------------------------- front-matter syntax

#[test]
fn yaml_syntax_error_is_p001_at_its_line() {
    let s = Sandbox::portfolio("digdir");
    // line 1 `---`, 2 id, 3 title, 4 indented key that breaks the mapping.
    let bad_indent = format!("{FIRST}/DD-001-a.md");
    s.write(&bad_indent, "---\nid: DD-001\ntitle: ok\n  bad: indent\ncreated: 2026-01-05\n---\n# A\n");
    // An unclosed flow sequence on line 3; the parser notices on line 3 or 4.
    let unclosed = format!("{FIRST}/DD-002-b.md");
    s.write(&unclosed, "---\nid: DD-002\ntitle: [unclosed\ncreated: 2026-01-05\n---\n# B\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);

    let d = one(&diags, "P001", &bad_indent);
    assert_eq!(d["severity"], "error");
    assert_eq!(line(d), Some(4), "{d}");
    assert!(column(d).is_some_and(|c| c >= 1), "{d}");

    let d = one(&diags, "P001", &unclosed);
    let l = line(d).expect("a line");
    assert!((3..=4).contains(&l), "P001 for `title: [unclosed` on line {l}: {d}");
    // A syntax error stops that file: no follow-up noise like "id missing".
    assert!(find(&diags, "P010", &unclosed).is_empty(), "{diags:?}");
}

/// An unclosed quote: the error should point at the quote (line 3) or at
/// least name that line, not only at the closing fence.
#[test]
fn yaml_unclosed_quote_points_at_the_quote() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-q.md");
    s.write(&p, "---\nid: DD-001\ntitle: \"unclosed\ncreated: 2026-01-05\n---\n# Q\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let d = one(&diags, "P001", &p);
    let message = d["message"].as_str().unwrap_or("");
    assert!(
        line(d) == Some(3) || message.contains("line 3"),
        "the problem is the quote opened on line 3, but the diagnostic says line {:?}: {message:?}",
        line(d)
    );
}

#[test]
fn missing_front_matter_is_p002() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-x.md");
    s.write(&p, "# Just Markdown\n\nid: DD-001\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let d = one(&diags, "P002", &p);
    assert_eq!((line(d), column(d)), (Some(1), Some(1)));

    // An empty file too.
    let s = Sandbox::portfolio("digdir");
    s.write(&p, "");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    one(&diags, "P002", &p);
}

#[test]
fn unterminated_front_matter_is_p003() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-x.md");
    s.write(&p, "---\nid: DD-001\ntitle: X\ncreated: 2026-01-05\n# X\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let d = one(&diags, "P003", &p);
    assert_eq!(line(d), Some(1));
}

#[test]
fn front_matter_that_is_not_a_mapping_is_p005() {
    let s = Sandbox::portfolio("digdir");
    let list = format!("{FIRST}/DD-001-list.md");
    let scalar = format!("{FIRST}/DD-002-scalar.md");
    let empty = format!("{FIRST}/DD-003-empty.md");
    s.write(&list, "---\n- id: DD-001\n- title: X\n---\n# X\n");
    s.write(&scalar, "---\njust some text\n---\n# X\n");
    s.write(&empty, "---\n---\n# X\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    for p in [&list, &scalar] {
        let d = one(&diags, "P005", p);
        assert_eq!(d["severity"], "error");
        assert_eq!(line(d), Some(2), "{d}");
    }
    // Empty front matter is not a panic either, and is an error of some kind.
    assert!(
        diags.iter().any(|d| d["path"] == empty.as_str() && d["severity"] == "error"),
        "empty front matter passed: {diags:?}"
    );
}

#[test]
fn every_problem_in_every_file_is_reported_in_one_run() {
    let s = Sandbox::portfolio("digdir");
    let a = format!("{FIRST}/DD-001-a.md");
    let b = format!("{FIRST}/DD-002-b.md");
    let c = format!("{FIRST}/DD-003-c.md");
    let d = format!("{FIRST}/DD-004-d.md");
    s.write(&a, "---\nid: DD-001\ntitle: [x\n---\n");
    s.write(&b, "no front matter\n");
    s.write(&c, "---\nid: DD-003\n");
    // Two independent field problems in one file: both reported.
    s.write(&d, "---\nid: DD-004\ntitle: D\ncreated: 2026-01-05\npriority: urgent\nstate: sleeping\n---\n# D\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    one(&diags, "P001", &a);
    one(&diags, "P002", &b);
    one(&diags, "P003", &c);
    let on_d: Vec<&Value> = errors(&diags).into_iter().filter(|x| x["path"] == d.as_str()).collect();
    assert_eq!(on_d.len(), 2, "both bad values of {d}: {on_d:?}");
    let mut lines_d: Vec<u64> = on_d.iter().filter_map(|x| line(x)).collect();
    lines_d.sort();
    assert_eq!(lines_d, vec![5, 6]);
    assert!(errors(&diags).len() >= 5);

    // The text format reports them all too, on stderr, and sums up.
    let out = run(&s, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = texts(&out);
    for code in ["error[P001]", "error[P002]", "error[P003]", "error[P012]"] {
        assert!(stderr.contains(code), "{code} missing from:\n{stderr}");
    }
    assert!(stderr.contains(&format!("{a}:")), "{stderr}");
}

#[test]
fn deeply_nested_yaml_is_an_error_not_a_stack_overflow() {
    let s = Sandbox::portfolio("digdir");
    let depth = 10_000;
    let cases = [
        ("DD-001-open", "[".repeat(depth)),
        ("DD-002-closed", format!("{}{}", "[".repeat(depth), "]".repeat(depth))),
        ("DD-003-maps", format!("{}{}", "{a: ".repeat(depth), "}".repeat(depth))),
    ];
    let mut paths = Vec::new();
    for (name, nested) in &cases {
        let id = &name[..6];
        let p = format!("{FIRST}/{name}.md");
        s.write(&p, format!("---\nid: {id}\ntitle: Deep\ncreated: 2026-01-05\nx: {nested}\n---\n# Deep\n"));
        paths.push(p);
    }
    let (out, elapsed) = run_timed(&s, &["check", "--format", "json"], FAST);
    let (code, diags) = parse_check(&out);
    assert_eq!(code, 1);
    for p in &paths {
        let d = one(&diags, "P001", p);
        assert_eq!(line(d), Some(5), "{d}");
    }
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

/// Aliases of one long string: no nesting, so the nesting-based repetition
/// limit does not apply, but 130 KB of text expand to gigabytes.
fn string_amplifier(string_len: usize, aliases: usize) -> String {
    format!("x_pad: &n \"{}\"\nx_amp: [{}]\n", "x".repeat(string_len), vec!["*n"; aliases].join(","))
}

#[test]
fn yaml_alias_amplification_of_a_string_is_contained() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-amp.md");
    // Control: the limit itself is no problem for a normal portfolio.
    s.write(&p, minimal("DD-001", "Amp"));
    let (out, _) = run_limited(&s, &["check"], MEMORY_KB, FAST);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
    // 200 KB string x 20 000 aliases = 4 GB if expanded; the file is ~260 KB.
    s.write(
        &p,
        format!("---\nid: DD-001\ntitle: Amp\ncreated: 2026-01-05\n{}---\n# Amp\n", string_amplifier(200_000, 20_000)),
    );
    let (out, _) = run_limited(&s, &["check", "--format", "json"], MEMORY_KB, FAST);
    let (code, diags) = parse_check(&out);
    assert_eq!(code, 1, "{diags:?}");
    assert!(errors(&diags).iter().any(|d| d["path"] == p.as_str()), "alias amplification accepted: {diags:?}");
}

// ------------------------------------------------------- bytes, BOM, CRLF

#[test]
fn non_utf8_byte_is_p004_at_the_byte() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-x.md");
    // "title: Æøå " is 11 characters, so the bad byte is in column 12.
    let mut bytes = b"---\nid: DD-001\ntitle: \xc3\x86\xc3\xb8\xc3\xa5 ".to_vec();
    bytes.extend_from_slice(b"\xff\xfe rest\ncreated: 2026-01-05\n---\n# X\n");
    s.write(&p, &bytes);
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let d = one(&diags, "P004", &p);
    assert_eq!((line(d), column(d)), (Some(3), Some(12)), "{d}");

    // Latin-1 text (a common mistake): "owner: Kari Hj" is 14 characters.
    let s = Sandbox::portfolio("digdir");
    s.write(&p, b"---\nid: DD-001\ntitle: X\ncreated: 2026-01-05\nowner: Kari Hj\xf8rnes\n---\n".as_slice());
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let d = one(&diags, "P004", &p);
    assert_eq!((line(d), column(d)), (Some(5), Some(15)), "{d}");

    // The text format shows the location and does not print the raw byte.
    let out = run(&s, &["check"]);
    let (_, stderr) = texts(&out);
    assert!(stderr.contains(&format!("{p}:5:15")), "{stderr}");
    // `list` and `show` survive it.
    let out = run(&s, &["list"]);
    assert!(out.status.code().is_some_and(|c| c <= 2));
}

#[test]
fn bom_and_crlf_file_parses_cleanly() {
    let s = Sandbox::portfolio("digdir");
    let path = new_path(&s, &["Bom æøå", "--owner", "Kari", "--no-commit"]);
    let lf = s.read(&path);
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    s.write(&path, crlf.as_bytes());
    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");
    assert!(diags.is_empty(), "BOM/CRLF caused findings: {diags:?}");

    let out = run(&s, &["show", "DD-001", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_str(&texts(&out).0).expect("json");
    assert_eq!(v["id"], "DD-001");
    assert_eq!(v["title"], "Bom æøå");
    assert_eq!(v["front_matter"]["owner"], "Kari");
    assert_eq!(v["front_matter"]["created"], TODAY);
    // The checklist was read through CRLF: items are there, unticked.
    let items = v["criteria"]["items"].as_array().expect("items");
    assert!(!items.is_empty());
    for item in items {
        assert_eq!(item["outcome"], "unticked", "{item}");
    }
    // The file was not rewritten.
    assert_eq!(std::fs::read(s.path().join(&path)).expect("read"), crlf.as_bytes());
}

#[test]
fn bom_and_crlf_keep_locations_right() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-x.md");
    s.write(&p, "\u{feff}---\r\nid: DD-001\r\ntitle: X\r\npriority: urgent\r\ncreated: 2026-01-05\r\n---\r\n# X\r\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let d = one(&diags, "P012", &p);
    assert_eq!((line(d), column(d)), (Some(4), Some(1)), "{d}");
}

#[test]
fn huge_file_is_p004_and_fast() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-huge.md");
    let mut text = minimal("DD-001", "Huge");
    while text.len() <= 1024 * 1024 + 10 {
        text.push_str(&"x".repeat(99));
        text.push('\n');
    }
    s.write(&p, text);
    // A huge file of one single line too.
    let q = format!("{FIRST}/DD-002-huge.md");
    s.write(&q, format!("---\nid: DD-002\ntitle: {}\n---\n", "y".repeat(3 << 20)));
    let (out, elapsed) = run_timed(&s, &["check", "--format", "json"], FAST);
    let (code, diags) = parse_check(&out);
    assert_eq!(code, 1);
    one(&diags, "P004", &p);
    one(&diags, "P004", &q);
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    // The content is not echoed back.
    assert!(!texts(&out).0.contains(&"x".repeat(99)));
}

// ------------------------------------------------------- portfolio rules

#[test]
fn duplicate_ids_are_reported_on_both_files() {
    let s = Sandbox::portfolio("digdir");
    let a = format!("{FIRST}/DD-001-a.md");
    let b = "tiltak/2-problem/DD-001-b.md".to_owned();
    s.write(&a, minimal("DD-001", "A"));
    s.write(&b, "---\ntitle: B\nid: dd-001\ncreated: 2026-01-05\n---\n# B\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let da = one(&diags, "P013", &a);
    let db = one(&diags, "P013", &b);
    assert_eq!(line(da), Some(2), "{da}");
    assert_eq!(line(db), Some(3), "{db}");
    assert!(da["message"].as_str().unwrap_or("").contains(&b), "{da}");
    assert!(db["message"].as_str().unwrap_or("").contains(&a), "{db}");
}

#[test]
fn id_not_matching_the_file_name_is_p014() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-002-x.md");
    s.write(&p, "---\ntitle: X\ncreated: 2026-01-05\nid: DD-003\n---\n# X\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let d = one(&diags, "P014", &p);
    assert_eq!((line(d), column(d)), (Some(4), Some(1)), "{d}");
    assert!(d["hint"].as_str().is_some_and(|h| h.contains("DD-003")), "{d}");
}

#[test]
fn file_outside_a_phase_folder_is_p015() {
    let s = Sandbox::portfolio("digdir");
    let top = "tiltak/DD-001-x.md";
    let deep = format!("{FIRST}/sub/DD-002-y.md");
    let wrong = "tiltak/7-ukjent/DD-003-z.md";
    s.write(top, minimal("DD-001", "X"));
    s.write(&deep, minimal("DD-002", "Y"));
    s.write(wrong, minimal("DD-003", "Z"));
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    for p in [top, deep.as_str(), wrong] {
        let d = one(&diags, "P015", p);
        assert_eq!(d["severity"], "error");
    }
}

#[test]
fn unknown_dependency_is_p016() {
    let s = Sandbox::portfolio("digdir");
    let a = format!("{FIRST}/DD-001-a.md");
    s.write(&format!("{FIRST}/DD-002-b.md"), minimal("DD-002", "B"));
    s.write(&a, "---\nid: DD-001\ntitle: A\ncreated: 2026-01-05\ndependencies: [DD-002, DD-099]\n---\n# A\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let found = find(&diags, "P016", &a);
    assert_eq!(found.len(), 1, "only DD-099 is unknown: {found:?}");
    let d = found[0];
    assert_eq!(line(d), Some(5), "{d}");
    assert!(d["message"].as_str().unwrap_or("").contains("DD-099"), "{d}");
}

// ---------------------------------------------------------- field checks

#[test]
fn field_problems_have_codes_locations_and_hints() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-x.md");
    s.write(
        &p,
        "---\nid: DD-001\ntitle: X\ncreated: 2026-01-05\nownr: Kari\npriority: urgent\nstatus: {level: gul}\n---\n# X\n",
    );
    let q = format!("{FIRST}/DD-002-y.md");
    s.write(&q, "---\nid: DD-002\ntitle: Y\ncreated: [1]\nstatus:\n  level: Rød\n  reason: ''\n---\n# Y\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);

    let d = one(&diags, "P101", &p);
    assert_eq!(d["severity"], "warning");
    assert_eq!((line(d), column(d)), (Some(5), Some(1)), "{d}");
    assert!(d["hint"].as_str().is_some_and(|h| h.contains("owner")), "{d}");

    let d = one(&diags, "P012", &p);
    assert_eq!(d["severity"], "error");
    assert_eq!((line(d), column(d)), (Some(6), Some(1)), "{d}");
    let msg = format!("{} {}", d["message"], d["hint"]);
    assert!(msg.contains("must"), "the allowed values are named: {msg}");

    let d = one(&diags, "P017", &p);
    assert_eq!(d["severity"], "error");
    assert_eq!(line(d), Some(7), "{d}");

    let d = one(&diags, "P011", &q);
    assert_eq!(d["severity"], "error");
    assert_eq!((line(d), column(d)), (Some(4), Some(1)), "{d}");
    // `created` is present (just wrong): not also reported as missing.
    assert!(
        find(&diags, "P010", &q).iter().all(|d| !d["message"].as_str().unwrap_or("").contains("created")),
        "{diags:?}"
    );
    // Aliases are case-insensitive (Rød = red), and an empty reason is no reason.
    let d = one(&diags, "P017", &q);
    assert!(line(d).is_some_and(|l| (5..=7).contains(&l)), "{d}");
    assert!(find(&diags, "P012", &q).is_empty(), "Rød is an alias of red: {diags:?}");
}

#[test]
fn warnings_alone_exit_0_and_strict_exits_1() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-x.md");
    s.write(&p, "---\nid: DD-001\ntitle: X\ncreated: 2026-01-05\nownr: Kari\n---\n# X\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");
    one(&diags, "P101", &p);
    let out = run(&s, &["check", "--strict", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
}

// ------------------------------------------------------ --base (history)

fn codes(s: &Sandbox, args: &[&str]) -> (Option<i32>, Vec<(String, String)>) {
    let out = s.run(args);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let list = v
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| (d["code"].as_str().unwrap_or("").to_owned(), d["message"].as_str().unwrap_or("").to_owned()))
        .collect();
    (out.status.code(), list)
}

#[test]
fn check_base_accepts_gates_made_by_advance() {
    let s = pull_request();
    s.ok(&["advance", "DD-001", "--by", "PK"]);
    let (code, errors) = codes(&s, &["check", "--base", "main", "--format", "json"]);
    assert_eq!(errors, vec![]);
    assert_eq!(code, Some(0));
}

#[test]
fn check_base_flags_hand_moves_skips_and_deletions() {
    let s = pull_request();
    s.git(&["mv", "tiltak/1-ikke-startet/DD-002-tiltak-b.md", "tiltak/2-problem/"]);
    s.git(&["commit", "-q", "-m", "move B by hand"]);
    s.git(&["mv", "tiltak/1-ikke-startet/DD-003-tiltak-c.md", "tiltak/3-konsept/"]);
    s.git(&["commit", "-q", "-m", "skip C"]);
    s.git(&["rm", "-q", "tiltak/1-ikke-startet/DD-004-tiltak-d.md"]);
    s.git(&["commit", "-q", "-m", "delete D"]);
    let (code, errors) = codes(&s, &["check", "--base", "main", "--format", "json"]);
    assert_eq!(code, Some(1));
    let history: Vec<&(String, String)> = errors.iter().filter(|(c, _)| c == "P041" || c == "P042").collect();
    assert_eq!(history.len(), 3, "{errors:?}");
    assert!(history[0].1.starts_with("DD-004 was deleted in "), "{history:?}");
    assert!(
        history[1].1.contains("DD-002 moved Ikke startet → Problem in ")
            && history[1].1.contains("6 of the exit criteria"),
        "{history:?}"
    );
    assert!(history[2].1.contains("DD-003 skips a phase (Ikke startet → Konsept)"), "{history:?}");
    // Without --base the history is not judged.
    let (_, errors) = codes(&s, &["check", "--format", "json"]);
    assert!(errors.iter().all(|(c, _)| c != "P041" && c != "P042"));
    // GitHub annotations carry the same findings.
    let github = texts(&s.run(&["check", "--base", "main", "--format", "github"])).0;
    assert!(
        github.contains("::error file=tiltak/1-ikke-startet/DD-004-tiltak-d.md,title=P042 tiltak deleted::"),
        "{github}"
    );
}

#[test]
fn check_base_accepts_a_move_back_with_a_reason_and_a_move_split_over_commits() {
    let s = pull_request();
    // A move by hand in two commits (remove, then add) is one move, and a
    // move forward with its criteria met needs no trailer.
    s.git(&["rm", "-q", FILE]);
    s.git(&["commit", "-q", "-m", "remove"]);
    s.write(MOVED, READY);
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "add"]);
    let (code, errors) = codes(&s, &["check", "--base", "main", "--format", "json"]);
    assert_eq!((code, errors), (Some(0), vec![]));
    // Back again, with a reason recorded by advance.
    s.ok(&["advance", "DD-001", "--to", "ikke-startet", "--reason", "Mer innsikt trengs"]);
    let (code, errors) = codes(&s, &["check", "--base", "main", "--format", "json"]);
    assert_eq!((code, errors), (Some(0), vec![]));
}

#[test]
fn check_base_names_a_missing_revision() {
    let s = pull_request();
    let out = s.run(&["check", "--base", "origin/nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("cannot find revision \"origin/nope\""), "{}", texts(&out).1);
}

// ------------------------------------------------ quiet nonsense

#[test]
fn an_id_number_out_of_range_is_an_error() {
    let s = Sandbox::portfolio("digdir");
    let huge = "DD-1234567890123456789012345";
    let p = format!("{FIRST}/{huge}-x.md");
    s.write(&p, minimal(huge, "X"));
    // Out of range in the file name only (its `id` differs, which P014 reports too).
    let q = format!("{FIRST}/{huge}9-y.md");
    s.write(&q, "---\nid: DD-001\ntitle: Y\ncreated: 2026-01-05\n---\n# Y\n");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let d = one(&diags, "P024", &p);
    assert_eq!((line(d), column(d)), (Some(2), Some(1)));
    assert!(d["message"].as_str().unwrap_or("").contains("out of range"), "{d}");
    let d = one(&diags, "P024", &q);
    assert_eq!(line(d), Some(1));
}

#[test]
fn duplicate_goals_future_status_and_empty_milestones_are_found() {
    let s = Sandbox::portfolio("ehelse");
    let p = "tiltak/1-ide/EH-001-x.md";
    s.write(
        p,
        "---\nid: EH-001\ntitle: X\ncreated: 2026-01-05\nsdgs: [9, 9]\nstrategic_goals: [1, 2, 1]\nstatus: { level: green, updated: 2027-01-01 }\nmilestones: [{}]\ndeliveries:\n  - { name: API }\n---\n# X\n",
    );
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1, "{diags:?}");
    let d = one(&diags, "P110", p);
    assert_eq!((d["severity"].as_str(), line(d)), (Some("warning"), Some(5)));
    assert_eq!(find(&diags, "P110", p).len(), 2, "{diags:?}");
    let d = one(&diags, "P111", p);
    assert_eq!((d["severity"].as_str(), line(d)), (Some("warning"), Some(7)));
    let empty: Vec<&Value> = find(&diags, "P025", p);
    assert_eq!(empty.len(), 2, "{diags:?}");
    assert_eq!((empty[0]["severity"].as_str(), line(empty[0])), (Some("error"), Some(8)));
    assert!(empty[0]["message"].as_str().unwrap_or("").contains("no `name` and `date`"), "{empty:?}");
    assert_eq!(line(empty[1]), Some(9));
    assert!(empty[1]["message"].as_str().unwrap_or("").contains("no `date`"), "{empty:?}");
}

#[test]
fn a_control_character_is_placed_by_line_and_character() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-x.md");
    s.write(&p, "---\nid: DD-001\nowner: Kari\ntitle: \"Bæd \u{1} tittel\"\ncreated: 2026-01-05\n---\n# X\n");
    let before = s.snapshot_state();
    let (code, diags) = check_json(&s);
    assert_eq!(code, 1);
    let d = one(&diags, "P001", &p);
    assert_eq!((line(d), column(d)), (Some(4), Some(13)), "{d}");
    assert!(d["message"].as_str().unwrap_or("").contains("U+0001"), "{d}");
    assert!(s.snapshot_state() == before);
}

#[test]
fn github_annotations_name_paths_from_the_top_of_the_repository() {
    // examples/ci recommends `-C <folder>` for a portfolio in a subfolder;
    // GitHub matches annotations to the diff by the repository path.
    let s = Sandbox::repo();
    s.write("sub/README.md", "portfolio below\n");
    s.ok(&["-C", "sub", "init", "--template", "digdir"]);
    s.write(
        "sub/tiltak/2-problem/DD-001-samtykke.md",
        "---\nid: DD-001\ntitle: Samtykke\ncreated: 2026-01-05\npriority: urgent\n---\n# Samtykke\n",
    );
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "portfolio in sub"]);
    let github = texts(&s.run(&["-C", "sub", "check", "--format", "github"])).0;
    assert!(github.contains("::error file=sub/tiltak/2-problem/DD-001-samtykke.md,line="), "{github}");
    assert!(!github.contains("file=tiltak/"), "{github}");
    // Also from inside the folder, and from deeper inside it.
    let out = s.cmd(&["check", "--format", "github"]).current_dir(s.path().join("sub/tiltak")).output().expect("run");
    assert!(texts(&out).0.contains("file=sub/tiltak/2-problem/DD-001-samtykke.md,"), "{out:?}");
    // JSON and text keep the paths relative to the portfolio, as before.
    let json = texts(&s.run(&["-C", "sub", "check", "--format", "json"])).0;
    assert!(json.contains("\"path\": \"tiltak/2-problem/DD-001-samtykke.md\""), "{json}");
    let text = texts(&s.run(&["-C", "sub", "check"])).1;
    assert!(text.contains("--> tiltak/2-problem/DD-001-samtykke.md:"), "{text}");
    // A refused gate annotates the same way.
    let github = texts(&s.run(&["-C", "sub", "advance", "DD-001", "--format", "github"])).0;
    assert!(github.contains("file=sub/tiltak/2-problem/DD-001-samtykke.md"), "{github}");
}
