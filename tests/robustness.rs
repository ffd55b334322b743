//! Robustness: bad and hostile input, and awkward Git situations (SPEC §1-4,
//! §6, §8). Every test runs the real binary over a real temporary repository
//! and checks exit code, diagnostic code and location, and that nothing
//! panicked.

mod common;
use common::*;

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The first phase folder of the digdir template.
const FIRST: &str = "tiltak/1-ikke-startet";

/// How long a command over one hostile file may take (debug build, busy
/// machine); a hang or exponential blow-up takes far longer.
const FAST: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------- helpers

/// The process ended normally (not killed by a signal, e.g. a stack
/// overflow's SIGABRT) and printed no panic.
#[track_caller]
fn assert_sane(out: &Output) {
    let (stdout, stderr) = texts(out);
    assert!(out.status.code().is_some(), "killed by a signal ({:?}); stderr:\n{stderr}", out.status);
    for text in [&stdout, &stderr] {
        assert!(!text.contains("panicked"), "panic:\n{text}");
        assert!(!text.contains("overflowed its stack"), "stack overflow:\n{text}");
        assert!(!text.contains("RUST_BACKTRACE"), "panic:\n{text}");
    }
}

/// Run, assert sane, return the output.
#[track_caller]
fn run(s: &Sandbox, args: &[&str]) -> Output {
    let out = s.run(args);
    assert_sane(&out);
    out
}

/// Run with a time limit: kills the child and fails the test when it hangs.
#[track_caller]
fn run_timed(s: &Sandbox, args: &[&str], limit: Duration) -> (Output, Duration) {
    run_cmd_timed(s.cmd(args), args, limit)
}

/// Run the binary under `sh -c 'ulimit -v KB'`: an allocation past the limit
/// aborts the process, which `assert_sane` reports.
#[track_caller]
fn run_limited(s: &Sandbox, args: &[&str], kilobytes: u64, limit: Duration) -> (Output, Duration) {
    let bin = assert_cmd::cargo::cargo_bin("portfolio");
    let mut cmd = Command::new("sh");
    cmd.current_dir(s.path())
        .arg("-c")
        .arg(format!("ulimit -v {kilobytes} && exec \"$0\" \"$@\""))
        .arg(&bin)
        .args(args);
    s.hermetic(&mut cmd);
    run_cmd_timed(cmd, args, limit)
}

#[track_caller]
fn run_cmd_timed(mut cmd: Command, args: &[&str], limit: Duration) -> (Output, Duration) {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn portfolio");
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("portfolio {args:?} did not finish within {limit:?} (hang?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    let out = Output {
        status,
        stdout: out_reader.join().expect("stdout reader"),
        stderr: err_reader.join().expect("stderr reader"),
    };
    assert_sane(&out);
    (out, elapsed)
}

/// `check --format json`: exit code and the diagnostics.
#[track_caller]
fn check_json(s: &Sandbox) -> (i32, Vec<Value>) {
    let out = run(s, &["check", "--format", "json"]);
    parse_check(&out)
}

#[track_caller]
fn parse_check(out: &Output) -> (i32, Vec<Value>) {
    let (stdout, stderr) = texts(out);
    let code = out.status.code().expect("exit code");
    let value: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("check --format json printed no JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
    let list = value.as_array().expect("a JSON array").clone();
    (code, list)
}

/// The diagnostics with this code on this path.
fn find<'a>(diags: &'a [Value], code: &str, path: &str) -> Vec<&'a Value> {
    diags.iter().filter(|d| d["code"] == code && d["path"] == path).collect()
}

/// The one diagnostic with this code on this path.
#[track_caller]
fn one<'a>(diags: &'a [Value], code: &str, path: &str) -> &'a Value {
    let found = find(diags, code, path);
    assert!(
        !found.is_empty(),
        "no {code} on {path}; got:\n{}",
        serde_json::to_string_pretty(diags).unwrap_or_default()
    );
    found[0]
}

fn line(d: &Value) -> Option<u64> {
    d["line"].as_u64()
}

fn column(d: &Value) -> Option<u64> {
    d["column"].as_u64()
}

fn errors(diags: &[Value]) -> Vec<&Value> {
    diags.iter().filter(|d| d["severity"] == "error").collect()
}

/// A minimal valid tiltak's text (without a criteria checklist: one warning).
fn minimal(id: &str, title: &str) -> String {
    format!("---\nid: {id}\ntitle: {title}\ncreated: 2026-01-05\n---\n# {title}\n")
}

/// Run `new` and return the printed path (relative to the sandbox).
#[track_caller]
fn new_path(s: &Sandbox, args: &[&str]) -> String {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    let out = run(s, &all);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "portfolio {all:?} failed:\n{stderr}");
    let path = stdout.trim().to_owned();
    assert!(!path.is_empty(), "new printed no path; stderr:\n{stderr}");
    path
}

/// A git command that may fail (e.g. a conflicting merge).
fn git_may_fail(s: &Sandbox, args: &[&str]) -> Output {
    s.git_cmd(args).output().expect("run git")
}

fn lines(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    v.sort();
    v
}

// ------------------------------------------------- 1. front-matter syntax

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

// ------------------------------------------------ 2. every problem, one run

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

// ------------------------------------------------- 3. alias bomb, nesting

fn alias_bomb(levels: usize) -> String {
    let mut yaml = String::from("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..=levels {
        let refs = vec![format!("*a{}", i - 1); 9].join(",");
        yaml.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    yaml
}

#[test]
fn yaml_alias_bomb_is_an_error_not_a_hang() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-bomb.md");
    s.write(&p, format!("---\nid: DD-001\ntitle: Bomb\ncreated: 2026-01-05\n{}---\n# Bomb\n", alias_bomb(9)));
    let (out, elapsed) = run_timed(&s, &["check", "--format", "json"], FAST);
    let (code, diags) = parse_check(&out);
    assert_eq!(code, 1);
    let bad: Vec<&Value> = errors(&diags).into_iter().filter(|d| d["path"] == p.as_str()).collect();
    assert!(!bad.is_empty(), "alias bomb accepted: {diags:?}");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");

    // `list` and `show` survive it too.
    let (out, _) = run_timed(&s, &["list", "--format", "json"], FAST);
    assert!(out.status.code().is_some_and(|c| c <= 2));
    let (out, _) = run_timed(&s, &["show", "DD-001"], FAST);
    assert!(out.status.code().is_some_and(|c| c <= 2));
}

/// Address space for one command over a small portfolio (a debug build
/// needs well under 300 MB; the inputs below would take gigabytes).
const MEMORY_KB: u64 = 1_000_000;

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

#[test]
fn yaml_alias_amplification_in_portfolio_yaml_is_contained() {
    let s = Sandbox::portfolio("digdir");
    // Control: the limit itself is no problem for a normal portfolio.
    let (out, _) = run_limited(&s, &["list"], MEMORY_KB, FAST);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);

    // Anchor the portfolio's name and repeat it as the product groups.
    let def = s.read("portfolio.yaml");
    let mut out = String::new();
    let mut in_groups = false;
    for l in def.lines() {
        if in_groups && l.starts_with("  - ") {
            continue;
        }
        in_groups = false;
        if l.starts_with("name:") {
            out.push_str(&format!("name: &n \"{}\"\n", "x".repeat(200_000)));
        } else if l.starts_with("product_groups:") {
            out.push_str(&format!("product_groups: [{}]\n", vec!["*n"; 20_000].join(",")));
            in_groups = true;
        } else {
            out.push_str(l);
            out.push('\n');
        }
    }
    assert!(out.contains("product_groups: [*n"), "template changed: no product_groups");
    s.write("portfolio.yaml", out);
    for args in [vec!["check"], vec!["list"]] {
        let (out, _) = run_limited(&s, &args, MEMORY_KB, FAST);
        let code = out.status.code().expect("exit code");
        assert!(code == 1 || code == 2, "{args:?}: exit {code}");
    }
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

// ------------------------------------------------------ 4. bytes, BOM, CRLF

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

// ------------------------------------------------------------ 5. huge file

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

// ----------------------------------------------- 6. control characters

fn has_esc(bytes: &[u8]) -> bool {
    bytes.contains(&0x1b)
}

#[test]
fn escape_sequences_in_titles_never_reach_the_terminal() {
    let s = Sandbox::portfolio("digdir");
    let p = format!("{FIRST}/DD-001-evil.md");
    // YAML escapes produce real ESC, BEL, CR and LF characters in the value.
    s.write(
        &p,
        "---\nid: DD-001\ntitle: \"Evil \\e[31mred\\e[0m \\e]0;evil\\a end\\rX\\nY \\x07\\x08\"\nowner: \"\\e[2J\\e[HOwner\"\ncreated: 2026-01-05\nstatus: { level: red, reason: \"\\e]8;;http://evil\\e\\\\link\\e]8;;\\e\\\\\" }\n---\n# Evil\n",
    );
    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");

    // Terminal output: no ESC, no BEL, no CR.
    for args in [
        vec!["list"],
        vec!["list", "--color", "never"],
        vec!["show", "DD-001"],
        vec!["show", "DD-001", "--color", "never"],
        vec!["check"],
    ] {
        let out = run(&s, &args);
        assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}");
        for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            assert!(!has_esc(bytes), "ESC in {name} of {args:?}:\n{:?}", String::from_utf8_lossy(bytes));
            assert!(!bytes.contains(&0x07), "BEL in {name} of {args:?}");
            assert!(!bytes.contains(&b'\r'), "CR in {name} of {args:?}");
        }
    }
    let out = run(&s, &["show", "DD-001"]);
    let (stdout, _) = texts(&out);
    assert!(stdout.contains("Evil red"), "title lost entirely:\n{stdout}");
    assert!(!stdout.contains("evil\u{7}"), "{stdout}");
    // The OSC title payload is dropped, not shown.
    assert!(!stdout.contains("0;evil"), "{stdout}");

    // JSON keeps the data, escaped (no raw ESC byte).
    let out = run(&s, &["show", "DD-001", "--format", "json"]);
    assert!(!has_esc(&out.stdout));
    let v: Value = serde_json::from_str(&texts(&out).0).expect("json");
    assert!(v["title"].as_str().unwrap_or("").contains('\u{1b}'));
}

#[test]
fn new_with_escape_sequences_writes_a_safe_file() {
    let s = Sandbox::portfolio("digdir");
    let title = "Evil \u{1b}[31mred\u{1b}[0m \u{1b}]0;evil\u{7} tittel\r\nneste linje";
    let path = new_path(&s, &[title, "--owner", "\u{1b}[2JKari"]);
    let name = path.strip_prefix(&format!("{FIRST}/")).expect("in the first phase");
    assert!(!name.contains('/'), "{path}");
    assert!(name.bytes().all(|b| b.is_ascii_graphic()), "{name:?}");
    let bytes = std::fs::read(s.path().join(&path)).expect("file");
    assert!(!has_esc(&bytes), "ESC written into {path}");
    assert!(!bytes.contains(&0x07) && !bytes.contains(&b'\r'), "control chars written into {path}");
    let out = run(&s, &["check", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
    // The commit message is one clean line as well.
    let msg = s.git(&["log", "-1", "--format=%B"]);
    assert!(!msg.contains('\u{1b}') && msg.trim().lines().count() == 1, "{msg:?}");
}

// ------------------------------------------------------ 7. hostile titles

#[test]
fn hostile_titles_stay_in_the_first_phase_folder() {
    let s = Sandbox::portfolio("digdir");
    let long = "Lang tittel med æøå ".repeat(25); // ~500 characters
    let titles: Vec<String> = vec![
        "../../etc/passwd".into(),
        "..".into(),
        ".".into(),
        "/abs/path".into(),
        "a/b\\c".into(),
        "C:\\Windows\\system32".into(),
        "!!!???...".into(),
        "***".into(),
        long.clone(),
        "x".repeat(500),
        "a: b # c".into(),
        "'quoted'".into(),
        "\"dq".into(),
        "[x]".into(),
        "*alias".into(),
        "&anchor".into(),
        "!tag".into(),
        "%percent".into(),
        "@at".into(),
        "yes".into(),
        "null".into(),
        "123".into(),
        "~".into(),
        "? q".into(),
        "| pipe".into(),
        "> gt".into(),
        "#hash".into(),
        "<!-- kommentar".into(),
        "---".into(),
        "a\\".into(),
        "rtl \u{202e}override".into(),
        "Ærlig østlandsk åker – “sitat” 🚀".into(),
    ];
    let folder = s.path().join(FIRST).canonicalize().expect("folder");
    for (i, title) in titles.iter().enumerate() {
        let before_head = s.git(&["rev-parse", "HEAD"]);
        let path = new_path(&s, &["--", title]);
        let id = format!("DD-{:03}", i + 1);
        let name =
            path.strip_prefix(&format!("{FIRST}/")).unwrap_or_else(|| panic!("{title:?} → {path} is not in {FIRST}"));
        assert!(!name.contains('/') && !name.contains('\\'), "{title:?} → {path}");
        assert!(name.is_ascii(), "{title:?} → {name}");
        assert!(name.starts_with(&id), "{title:?} → {name}, expected {id}");
        assert!(name.ends_with(".md"), "{name}");
        let slug = name[id.len()..name.len() - 3].trim_start_matches('-');
        assert!(slug.len() <= 60, "slug of {} chars: {slug}", slug.len());
        assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains(".."), "{slug}");
        assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{slug}");
        let abs = s.path().join(&path).canonicalize().expect("file exists");
        assert_eq!(abs.parent(), Some(folder.as_path()), "{title:?}");
        // The commit holds exactly that one file.
        let files = s.git(&["show", "--name-only", "--format=", "HEAD"]);
        assert_eq!(lines(&files), vec![path.clone()], "{title:?}");
        assert_eq!(s.git(&["rev-parse", "HEAD~1"]), before_head);
        // The title round-trips through YAML (minus control characters).
        let out = run(&s, &["show", &id, "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{title:?}: {}", texts(&out).1);
        let v: Value = serde_json::from_str(&texts(&out).0).expect("json");
        let expected: String = title.chars().filter(|c| !c.is_control() && *c != '\u{202e}').collect();
        assert_eq!(v["title"], expected.trim(), "title of {id}");
    }
    // Nothing was written anywhere else.
    let status = s.git(&["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(status.trim(), "", "stray files: {status}");
    assert!(!s.path().join("etc").exists());
    // All of it passes check.
    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");
    assert!(errors(&diags).is_empty(), "{diags:?}");
}

/// `new` writes a criteria checklist for the first phase; a title that reads
/// like that checklist's heading must not hide it.
#[test]
fn title_equal_to_the_criteria_heading_does_not_hide_the_checklist() {
    let s = Sandbox::portfolio("digdir");
    new_path(&s, &["Kriterier: Ikke startet"]);
    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");
    assert!(
        diags.is_empty(),
        "what `new` wrote draws findings (the `# <title>` heading is taken for the checklist): {}",
        serde_json::to_string_pretty(&diags).unwrap_or_default()
    );
}

#[test]
fn title_that_sanitises_to_nothing_is_refused_cleanly() {
    let s = Sandbox::portfolio("digdir");
    let before = s.snapshot_state();
    for title in ["", "   ", "\u{1b}[31m\u{7}\t"] {
        let out = run(&s, &["new", "--", title]);
        assert_eq!(out.status.code(), Some(2), "{title:?}");
        assert!(texts(&out).1.contains("error"), "{title:?}");
    }
    assert_eq!(before, s.snapshot_state());
}

// --------------------------------------------------------------- 8. links

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_repository_are_not_followed() {
    let s = Sandbox::portfolio("digdir");
    let outside = tempfile::tempdir().expect("tmp");
    let secret = "TOPSECRET-b9d1f0";
    let target = outside.path().join("DD-002-secret.md");
    std::fs::write(
        &target,
        format!("---\nid: DD-002\ntitle: {secret}\ncreated: 2026-01-05\nowner: {secret}\ndependencies: [{secret}]\n---\n# {secret}\n"),
    )
    .expect("write");
    std::fs::write(outside.path().join("DD-003-x.md"), minimal("DD-003", secret)).expect("write");

    let link = s.path().join("tiltak/2-problem/DD-002-secret.md");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let passwd = s.path().join("tiltak/3-konsept/DD-004-passwd.md");
    std::os::unix::fs::symlink("/etc/passwd", &passwd).expect("symlink");
    // A whole phase folder that is a link out of the repository.
    std::fs::remove_dir_all(s.path().join("tiltak/4-planlegging")).expect("rm");
    std::os::unix::fs::symlink(outside.path(), s.path().join("tiltak/4-planlegging")).expect("symlink");
    s.write(&format!("{FIRST}/DD-001-real.md"), minimal("DD-001", "Real"));

    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");
    for p in ["tiltak/2-problem/DD-002-secret.md", "tiltak/3-konsept/DD-004-passwd.md", "tiltak/4-planlegging"] {
        let d = one(&diags, "P108", p);
        assert_eq!(d["severity"], "warning");
    }
    let all = serde_json::to_string(&diags).expect("json");
    assert!(!all.contains(secret) && !all.contains("root:"), "{all}");

    for args in [
        vec!["check"],
        vec!["check", "--format", "github"],
        vec!["list"],
        vec!["list", "--format", "json"],
        vec!["list", "--format", "csv"],
        vec!["show", "DD-001", "--format", "json"],
    ] {
        let out = run(&s, &args);
        let (stdout, stderr) = texts(&out);
        for text in [&stdout, &stderr] {
            assert!(!text.contains(secret), "{args:?} leaked the link target:\n{text}");
            assert!(!text.contains("root:x:"), "{args:?} leaked /etc/passwd:\n{text}");
        }
    }
    // The linked tiltak is not a tiltak of this portfolio.
    for id in ["DD-002", "DD-003", "DD-004"] {
        let out = run(&s, &["show", id]);
        assert_eq!(out.status.code(), Some(2), "show {id} found a linked file");
        let (stdout, stderr) = texts(&out);
        assert!(!stdout.contains(secret) && !stderr.contains(secret));
    }
    // The target is untouched.
    assert!(std::fs::read_to_string(&target).expect("read").contains(secret));
}

// ------------------------------------------------------ 9. portfolio rules

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

// ------------------------------------------------- 10. no repo, no portfolio

#[test]
fn new_outside_a_git_repository_is_a_clear_error() {
    let s = Sandbox::empty();
    s.write("portfolio.yaml", include_str!("../src/domain/templates/digdir.yaml"));
    let before = s.snapshot_files();
    for args in [vec!["new", "X"], vec!["new", "X", "--no-commit"]] {
        let out = run(&s, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let (stdout, stderr) = texts(&out);
        assert!(stderr.contains("Git"), "{args:?}: {stderr}");
        assert!(stdout.trim().is_empty(), "{stdout}");
    }
    assert_eq!(before, s.snapshot_files(), "new wrote files outside Git");
    assert!(!s.path().join(".git").exists());
}

#[test]
fn no_portfolio_yaml_suggests_init() {
    let s = Sandbox::repo();
    for args in
        [vec!["new", "X"], vec!["list"], vec!["show", "DD-001"], vec!["check"], vec!["check", "--format", "json"]]
    {
        let out = run(&s, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let (_, stderr) = texts(&out);
        assert!(stderr.contains("portfolio init"), "{args:?}: {stderr}");
        assert!(stderr.contains("portfolio.yaml"), "{args:?}: {stderr}");
    }
    let empty = Sandbox::empty();
    let out = run(&empty, &["list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("portfolio init"));
}

trait Files {
    fn snapshot_files(&self) -> Vec<String>;
}

impl Files for Sandbox {
    /// Every path under the sandbox (for folders without Git).
    fn snapshot_files(&self) -> Vec<String> {
        fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).expect("read dir").flatten() {
                let p = e.path();
                out.push(p.strip_prefix(root).expect("in").to_string_lossy().into_owned());
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    walk(root, &p, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), self.path(), &mut out);
        out.sort();
        out
    }
}

// ------------------------------------------- 11. `new` commits only its file

#[test]
fn new_commits_only_its_own_file() {
    let s = Sandbox::portfolio("digdir");
    s.write("staged.txt", "one\n");
    s.write("unstaged.txt", "one\n");
    s.write(&format!("{FIRST}/DD-001-old.md"), minimal("DD-001", "Old"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "files"]);
    s.write("staged.txt", "two (staged)\n");
    s.git(&["add", "staged.txt"]);
    s.write("unstaged.txt", "two (unstaged)\n");
    s.write("untracked.txt", "new\n");
    // An edit to an existing tiltak, staged, and a new untracked tiltak-like file.
    s.write(&format!("{FIRST}/DD-001-old.md"), minimal("DD-001", "Old, edited"));
    s.git(&["add", &format!("{FIRST}/DD-001-old.md")]);
    let head = s.git(&["rev-parse", "HEAD"]);

    let path = new_path(&s, &["X"]);
    assert_eq!(path, format!("{FIRST}/DD-002-x.md"));
    assert_eq!(s.git(&["rev-parse", "HEAD~1"]), head, "exactly one new commit");
    let files = s.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(lines(&files), vec![path.clone()]);
    assert_eq!(s.git(&["log", "-1", "--format=%s"]).trim(), "new DD-002: X");

    let staged = s.git(&["diff", "--cached", "--name-only"]);
    assert_eq!(lines(&staged), vec!["staged.txt".to_owned(), format!("{FIRST}/DD-001-old.md")]);
    assert_eq!(s.git(&["show", ":staged.txt"]), "two (staged)\n");
    assert_eq!(lines(&s.git(&["diff", "--name-only"])), vec!["unstaged.txt".to_owned()]);
    assert_eq!(s.read("unstaged.txt"), "two (unstaged)\n");
    assert_eq!(s.git(&["show", "HEAD:unstaged.txt"]), "one\n");
    assert_eq!(lines(&s.git(&["ls-files", "--others", "--exclude-standard"])), vec!["untracked.txt".to_owned()]);
    // The new file is committed and clean in the index and work tree.
    let status = s.git(&["status", "--porcelain", "--", &path]);
    assert_eq!(status.trim(), "", "{status}");
}

#[test]
fn new_no_commit_creates_no_commit() {
    let s = Sandbox::portfolio("digdir");
    let refs = s.git(&["show-ref", "--head"]);
    let index = s.git(&["ls-files", "--stage"]);
    let path = new_path(&s, &["Y", "--no-commit"]);
    assert_eq!(s.git(&["show-ref", "--head"]), refs, "a ref moved");
    assert_eq!(s.git(&["ls-files", "--stage"]), index, "the index changed");
    let status = s.git(&["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(status.trim(), format!("?? {path}"));
    // The next `new` does not reuse the uncommitted file's ID.
    let next = new_path(&s, &["Z", "--no-commit"]);
    assert!(next.starts_with(&format!("{FIRST}/DD-002")), "{next}");
}

// --------------------------------------------- 12. merge in progress

#[test]
fn new_during_a_merge_changes_nothing() {
    let s = Sandbox::portfolio("digdir");
    s.write("notes.txt", "base\n");
    s.git(&["add", "notes.txt"]);
    s.git(&["commit", "-q", "-m", "base"]);
    s.git(&["checkout", "-q", "-b", "other"]);
    s.write("notes.txt", "other\n");
    s.git(&["commit", "-q", "-am", "other"]);
    s.git(&["checkout", "-q", "main"]);
    s.write("notes.txt", "main\n");
    s.git(&["commit", "-q", "-am", "main"]);
    let merge = git_may_fail(&s, &["merge", "other"]);
    assert!(!merge.status.success(), "the merge should conflict");
    assert!(s.path().join(".git/MERGE_HEAD").exists());

    let before = s.snapshot_state();
    let out = run(&s, &["new", "X"]);
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = texts(&out);
    assert!(stderr.contains("merge"), "{stderr}");
    assert!(stdout.trim().is_empty(), "{stdout}");
    assert_eq!(before, s.snapshot_state(), "new changed the repository during a merge");
    assert!(s.path().join(".git/MERGE_HEAD").exists());
}

// -------------------------------------------- 13. next ID across branches

#[test]
fn next_id_is_free_on_every_branch() {
    let s = Sandbox::portfolio("digdir");
    s.write(&format!("{FIRST}/DD-001-a.md"), minimal("DD-001", "A"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "a"]);

    // DD-005 on a local branch, in a later phase.
    s.git(&["checkout", "-q", "-b", "feature"]);
    s.write("tiltak/2-problem/DD-005-f.md", minimal("DD-005", "F"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "f"]);
    s.git(&["checkout", "-q", "main"]);
    assert!(!s.path().join("tiltak/2-problem/DD-005-f.md").exists());

    let p = new_path(&s, &["B", "--no-commit"]);
    assert!(p.starts_with(&format!("{FIRST}/DD-006-")), "{p}");
    std::fs::remove_file(s.path().join(&p)).expect("rm");

    // DD-009 only on a remote-tracking ref.
    s.git(&["checkout", "-q", "-b", "tmp"]);
    s.write("tiltak/3-konsept/DD-009-r.md", minimal("DD-009", "R"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "r"]);
    let commit = s.git(&["rev-parse", "HEAD"]).trim().to_owned();
    s.git(&["checkout", "-q", "main"]);
    s.git(&["branch", "-q", "-D", "tmp"]);
    s.git(&["update-ref", "refs/remotes/origin/x", &commit]);

    let p = new_path(&s, &["C"]);
    assert!(p.starts_with(&format!("{FIRST}/DD-010-")), "{p}");
    let (code, diags) = check_json(&s);
    assert_eq!(code, 0, "{diags:?}");
}

// ------------------------------------------------------------------ 14. init

#[test]
fn init_refuses_to_overwrite() {
    for template in ["digdir", "ehelse"] {
        let s = Sandbox::portfolio("digdir");
        s.write("portfolio.yaml", "# my own, hand-edited\nname: Mine\n");
        let before = s.snapshot_state();
        let out = run(&s, &["init", "--template", template]);
        assert_eq!(out.status.code(), Some(2));
        assert!(texts(&out).1.contains("portfolio.yaml"), "{}", texts(&out).1);
        assert_eq!(before, s.snapshot_state(), "init changed something");
    }
    // A subfolder of a portfolio: it may create a nested one or refuse, but
    // must never touch the outer portfolio.yaml.
    let s = Sandbox::portfolio("digdir");
    let outer = s.read("portfolio.yaml");
    std::fs::create_dir_all(s.path().join("sub")).expect("mkdir");
    let out = run(&s, &["-C", "sub", "init"]);
    assert!(out.status.code().is_some_and(|c| c == 0 || c == 2));
    assert_eq!(outer, s.read("portfolio.yaml"));
}

#[test]
fn init_outside_git_runs_git_init_and_new_passes_check() {
    for (template, first) in [("digdir", FIRST), ("ehelse", "tiltak/1-ide")] {
        let s = Sandbox::empty();
        let out = run(&s, &["init", "--template", template]);
        assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
        assert!(s.path().join(".git").is_dir(), "no git init");
        assert!(s.path().join("portfolio.yaml").is_file());
        let (code, diags) = check_json(&s);
        assert_eq!((code, diags.len()), (0, 0), "{template}: {diags:?}");

        // `new` waits for the definition to be committed, as init's "Next:" says.
        assert_eq!(run(&s, &["new", "Første tiltak"]).status.code(), Some(2));
        s.git(&["add", "portfolio.yaml", "tiltak"]);
        s.git(&["commit", "-qm", "Start the portfolio"]);
        let path = new_path(&s, &["Første tiltak", "--owner", "Kari Nordmann"]);
        assert!(path.starts_with(&format!("{first}/")), "{path}");
        assert_eq!(s.git(&["rev-list", "--count", "HEAD"]).trim(), "2");
        let path2 = new_path(&s, &["Andre tiltak", "--priority", "must"]);
        assert_ne!(path, path2);
        let (code, diags) = check_json(&s);
        assert_eq!(code, 0, "{template}: {diags:?}");
        assert!(diags.is_empty(), "{template}: {diags:?}");
        let out = run(&s, &["check", "--strict"]);
        assert_eq!(out.status.code(), Some(0), "{template}: {}", texts(&out).1);
    }
}

// ------------------------------------------------------- 15. field checks

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
