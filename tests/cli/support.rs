//! Running a command and reading what it said: exit codes, that nothing
//! panicked or hung, and the diagnostics of `check --format json`.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;

/// The first phase folder of the digdir template.
pub const FIRST: &str = "tiltak/1-ikke-startet";

/// How long a command over one hostile file may take (debug build, busy
/// machine); a hang or exponential blow-up takes far longer.
pub const FAST: Duration = Duration::from_secs(20);

/// Address space for one command over a small portfolio (a debug build
/// needs well under 300 MB; the inputs below would take gigabytes).
pub const MEMORY_KB: u64 = 1_000_000;

/// The process ended normally (not killed by a signal, e.g. a stack
/// overflow's SIGABRT) and printed no panic.
#[track_caller]
pub fn assert_sane(out: &Output) {
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
pub fn run(s: &Sandbox, args: &[&str]) -> Output {
    let out = s.run(args);
    assert_sane(&out);
    out
}

/// Run with a time limit: kills the child and fails the test when it hangs.
#[track_caller]
pub fn run_timed(s: &Sandbox, args: &[&str], limit: Duration) -> (Output, Duration) {
    run_cmd_timed(s.cmd(args), args, limit)
}

/// Run the binary under `sh -c 'ulimit -v KB'`: an allocation past the limit
/// aborts the process, which `assert_sane` reports.
#[track_caller]
pub fn run_limited(s: &Sandbox, args: &[&str], kilobytes: u64, limit: Duration) -> (Output, Duration) {
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
pub fn run_cmd_timed(mut cmd: Command, args: &[&str], limit: Duration) -> (Output, Duration) {
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
pub fn check_json(s: &Sandbox) -> (i32, Vec<Value>) {
    let out = run(s, &["check", "--format", "json"]);
    parse_check(&out)
}

#[track_caller]
pub fn parse_check(out: &Output) -> (i32, Vec<Value>) {
    let (stdout, stderr) = texts(out);
    let code = out.status.code().expect("exit code");
    let value: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("check --format json printed no JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
    let list = value.as_array().expect("a JSON array").clone();
    (code, list)
}

/// The diagnostics with this code on this path.
pub fn find<'a>(diags: &'a [Value], code: &str, path: &str) -> Vec<&'a Value> {
    diags.iter().filter(|d| d["code"] == code && d["path"] == path).collect()
}

/// The one diagnostic with this code on this path.
#[track_caller]
pub fn one<'a>(diags: &'a [Value], code: &str, path: &str) -> &'a Value {
    let found = find(diags, code, path);
    assert!(
        !found.is_empty(),
        "no {code} on {path}; got:\n{}",
        serde_json::to_string_pretty(diags).unwrap_or_default()
    );
    found[0]
}

pub fn line(d: &Value) -> Option<u64> {
    d["line"].as_u64()
}

pub fn column(d: &Value) -> Option<u64> {
    d["column"].as_u64()
}

pub fn errors(diags: &[Value]) -> Vec<&Value> {
    diags.iter().filter(|d| d["severity"] == "error").collect()
}

pub fn has_esc(bytes: &[u8]) -> bool {
    bytes.contains(&0x1b)
}

/// A minimal valid tiltak's text (without a criteria checklist: one warning).
pub fn minimal(id: &str, title: &str) -> String {
    format!("---\nid: {id}\ntitle: {title}\ncreated: 2026-01-05\n---\n# {title}\n")
}

/// Run `new` and return the printed path (relative to the sandbox).
#[track_caller]
pub fn new_path(s: &Sandbox, args: &[&str]) -> String {
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
pub fn git_may_fail(s: &Sandbox, args: &[&str]) -> Output {
    s.git_cmd(args).output().expect("run git")
}

pub fn lines(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    v.sort();
    v
}

pub trait Files {
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

// ---------------------------------------------------------------------------
// A browser, for the HTML report and the site

/// Headless Chromium, when the machine has it.
pub fn chromium() -> Option<PathBuf> {
    let fixed = PathBuf::from("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

/// Whether this run must have a browser: on CI, or when asked.
pub fn chromium_required() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
        || std::env::var("PORTFOLIO_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1")
}

/// The DOM Chromium builds from a file, with nothing fetched or remembered.
pub fn dump_dom(chromium: &Path, file: &Path, profile: &Path, extra: &[&str]) -> String {
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .env("HOME", profile)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    // Read while it runs: a DOM larger than the pipe's buffer would block
    // Chromium, and the wait below with it.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let dom = out_reader.join().expect("stdout reader");
    let err = err_reader.join().expect("stderr reader");
    assert!(status.success(), "chromium failed:\n{err}");
    dom
}

/// The page's width and what it scrolls to, in a frame `width` px wide
/// (headless Chromium's own window is at least 500 px).
pub fn scroll_width(chromium: &Path, dir: &Path, html: &str, width: u32, tag: &str) -> (u32, u32) {
    let csp = html.find("<meta http-equiv=\"Content-Security-Policy\"").expect("CSP");
    let csp_end = csp + html[csp..].find('>').expect("end of meta") + 1;
    let script = "<script>window.addEventListener('load', () => { const p = document.createElement('p'); \
        p.id = 'measured'; p.textContent = 'VIEWPORT ' + document.documentElement.clientWidth + ' SCROLL ' + \
        document.documentElement.scrollWidth + ' END'; parent.document.body.appendChild(p); });</script>";
    let inner = format!("{}{}", &html[..csp], &html[csp_end..]).replace("</body>", &format!("{script}</body>"));
    let escaped = inner.replace('&', "&amp;").replace('"', "&quot;");
    let page = format!(
        "<!DOCTYPE html><html><body style=\"margin:0\"><iframe style=\"border:0;width:{width}px;height:3000px\" srcdoc=\"{escaped}\"></iframe></body></html>"
    );
    let file = dir.join(format!("frame-{tag}-{width}.html"));
    std::fs::write(&file, page).expect("write frame");
    let profile = dir.join(format!("profile-{tag}-{width}"));
    std::fs::create_dir_all(&profile).expect("profile dir");
    let dom = dump_dom(chromium, &file, &profile, &["--virtual-time-budget=3000", "--hide-scrollbars"]);
    let mark = "<p id=\"measured\">";
    let at = dom.find(mark).unwrap_or_else(|| panic!("no measurement in {dom}")) + mark.len();
    let words: Vec<&str> = dom[at..].split_whitespace().take(4).collect();
    (words[1].parse().expect("viewport"), words[3].parse().expect("scroll width"))
}
