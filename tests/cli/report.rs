//! `portfolio report` on repositories with a dated history: figures as of
//! past dates and since past rounds must agree with what the history says.

use serde_json::Value;

use crate::common::{Sandbox, TODAY, texts};
use crate::scenarios::*;
use crate::support::{FIRST, minimal};

#[test]
fn as_of_a_past_date_reads_that_days_tree() {
    let s = year();
    let r = json(&s, &["--at", "2026-02-15"]);
    assert_eq!(r["as_of"]["date"], "2026-02-15");
    assert_eq!(ids(&r["tiltak"]), ["DD-001", "DD-002"]);
    let phases = &r["key_figures"]["phases"];
    assert_eq!(phases[0]["active"], 2, "{phases}");
    assert_eq!(phases[1]["active"], 0);
    assert_eq!(r["status"]["overall"]["status"]["yellow"], 1);
    // Date-shaped but no date: said so, not "no such branch".
    let out = s.run(&["report", "--since", "2026-13-45"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid date"), "{out:?}");
    // The day before anything: refused with a reason.
    let out = s.run(&["report", "--at", "2025-12-31"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no commit on or before"));
}

#[test]
fn changes_since_a_round_come_from_history() {
    let s = year();
    let r = json(&s, &["--since", "2026-02-15"]);
    let c = &r["changes"];
    assert_eq!(ids(&c["new"]), ["DD-003"]);
    let gates = c["gates"].as_array().expect("gates");
    assert_eq!(gates.len(), 2, "{gates:?}");
    assert_eq!(gates[0]["id"], "DD-001");
    assert_eq!(gates[0]["date"], "2026-03-01");
    assert_eq!(gates[0]["from"], "ikke-startet");
    assert_eq!(gates[0]["to"], "problem");
    assert_eq!(gates[0]["decided_by"], Value::Null);
    assert_eq!(gates[1]["id"], "DD-002");
    assert_eq!(gates[1]["decided_by"], "Porteføljerådet");
    assert_eq!(gates[1]["forced"], "Hastesak");
    assert_eq!(ids(&c["stopped"]), ["DD-002"]);
    let status: Vec<(&str, Option<&str>, Option<&str>)> = c["status_changes"]
        .as_array()
        .expect("status changes")
        .iter()
        .map(|x| (x["id"].as_str().unwrap_or(""), x["from"].as_str(), x["to"].as_str()))
        .collect();
    assert_eq!(status, [("DD-001", Some("yellow"), Some("red")), ("DD-002", None, Some("green"))]);
    // The previous round's counts beside today's.
    let overall = &r["status"]["overall"];
    assert_eq!(overall["previous_status"]["yellow"], 1);
    assert_eq!(overall["status"]["red"], 1);
    // Since a commit: the same round named by its revision.
    let round = s.git(&["rev-list", "-1", "--before=2026-02-15T00:00:00+01:00", "HEAD"]);
    let by_rev = json(&s, &["--since", round.trim()]);
    assert_eq!(by_rev["changes"], r["changes"]);
}

#[test]
fn changes_between_two_past_rounds() {
    let s = year();
    let r = json(&s, &["--at", "2026-03-05", "--since", "2026-02-01"]);
    let c = &r["changes"];
    // The status edit of 2026-02-01 happened on the day the round starts: included.
    assert_eq!(c["status_changes"][0]["to"], "yellow");
    assert_eq!(ids(&c["gates"]), ["DD-001"]);
    assert!(ids(&c["new"]).is_empty());
}

#[test]
fn flow_counts_days_in_phase_from_the_moves() {
    let s = year();
    let r = json(&s, &[]);
    let flow = &r["flow"];
    let one = flow["tiltak"].as_array().expect("flow").iter().find(|t| t["id"] == "DD-001").expect("DD-001").clone();
    assert_eq!(one["entered"], "2026-03-01");
    // PORTFOLIO_TODAY is 2026-11-23.
    assert_eq!(one["days"], 267);
    let first = &flow["phases"][0];
    // Ikke startet: DD-001 stayed 45 days (01-15 → 03-01), DD-002 54 (01-15 → 03-10).
    assert_eq!(first["stays"], 2);
    assert_eq!(first["median_days"], 49.5);
    let row = r["tiltak"].as_array().expect("rows").iter().find(|t| t["id"] == "DD-003").expect("DD-003").clone();
    assert_eq!(row["days_in_phase"], (chrono_days("2026-04-01", "2026-11-23")));
}

fn chrono_days(a: &str, b: &str) -> i64 {
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    (d(b) - d(a)).num_days()
}

#[test]
fn report_reads_commits_not_the_work_tree() {
    let s = year();
    let mut before = json(&s, &[]);
    assert_eq!(before["as_of"]["uncommitted"], false);
    let one = path_of(&s, "DD-001");
    s.write(&one, s.read(&one).replacen("level: red", "level: green", 1));
    let mut after = json(&s, &[]);
    // The report says the edit is not in it, and is otherwise the same.
    assert_eq!(after["as_of"]["uncommitted"], true);
    assert!(s.ok(&["report"]).contains("not yet committed") || s.ok(&["report"]).contains("ikke er committet"));
    before["as_of"]["uncommitted"] = Value::Null;
    after["as_of"]["uncommitted"] = Value::Null;
    assert_eq!(after, before);
}

#[test]
fn a_gate_merged_from_a_branch_is_dated_by_the_merge_and_keeps_its_trailers() {
    let s = year();
    git_at(&s, "2026-06-01", &["checkout", "-qb", "gate"]);
    let three = path_of(&s, "DD-003");
    ready(&s, "2026-06-02", "DD-003");
    at(&s, "2026-06-02", &["advance", "DD-003", "--force", "--reason", "Avklart i møte", "--by", "Rådet"]);
    git_at(&s, "2026-06-10", &["checkout", "-q", "main"]);
    git_at(&s, "2026-06-10", &["merge", "-q", "--no-ff", "-m", "Merge gate DD-003", "gate"]);
    let r = json(&s, &["--since", "2026-06-01"]);
    let gates = r["changes"]["gates"].as_array().expect("gates").clone();
    assert_eq!(gates.len(), 1, "{gates:?} ({three})");
    assert_eq!(gates[0]["date"], "2026-06-10");
    assert_eq!(gates[0]["decided_by"], "Rådet");
    assert_eq!(gates[0]["forced"], "Avklart i møte");
    // `check --base` reads the trailer through the merge too.
    let out = s.run(&["check", "--base", "HEAD~1", "--format", "json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("P041"), "{text}");
}

#[test]
fn a_shallow_clone_reports_what_it_can_and_says_why_not_the_rest() {
    let s = year();
    let clone = Sandbox::empty();
    let url = format!("file://{}", s.path().display());
    clone.git(&["clone", "-q", "--depth", "1", &url, "."]);
    let r = json(&clone, &["--since", "2026-02-15"]);
    assert_eq!(r["history"]["available"], false);
    assert!(r["history"]["reason"].as_str().expect("reason").contains("shallow"));
    assert_eq!(r["changes"], Value::Null);
    assert_eq!(r["flow"], Value::Null);
    assert_eq!(ids(&r["tiltak"]), ["DD-001", "DD-002", "DD-003"]);
    let table = clone.ok(&["report"]);
    assert!(table.contains("shallow"), "{table}");
    // A cache restored from a clone with the whole history (a CI cache
    // keyed on the branch) changes nothing: its line reaches past the grafts.
    s.ok(&["report", "--since", "2026-02-15"]);
    let restored = clone.path().join(".git/portfolio");
    for args in [&["--since", "2026-02-15"][..], &["--at", "2026-03-05"]] {
        std::fs::create_dir_all(&restored).expect("cache folder");
        for entry in std::fs::read_dir(s.path().join(".git/portfolio")).expect("cache").flatten() {
            std::fs::copy(entry.path(), restored.join(entry.file_name())).expect("copy the cache");
        }
        let out = clone.run(&[&["report", "--format", "json"][..], args].concat());
        std::fs::remove_dir_all(&restored).ok();
        let without = clone.run(&[&["report", "--format", "json"][..], args].concat());
        assert_eq!((out.status.code(), &out.stdout), (without.status.code(), &without.stdout), "{args:?}");
        assert_eq!(out.stderr, without.stderr, "{args:?}");
    }
}

#[test]
fn filters_and_unknown_filter_values() {
    let s = year();
    let one = path_of(&s, "DD-001");
    let text = s.read(&one);
    s.write(&one, text.replacen("title:", "product_group: Tillitstjenester\ntitle:", 1));
    git_at(&s, "2026-06-01", &["commit", "-qam", "DD-001: gruppe"]);
    let r = json(&s, &["--group", "tillitstjenester"]);
    assert_eq!(ids(&r["tiltak"]), ["DD-001"]);
    let out = s.run(&["report", "--group", "Tillitstjeneste"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean"));
    let out = s.run(&["report", "--segment", "observere"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_is_written_atomically_and_formats_agree() {
    let s = year();
    s.ok(&["report", "--format", "html", "--output", "rapport.html"]);
    s.ok(&["report", "--format", "csv", "-o", "rapport.csv"]);
    let names: Vec<String> = std::fs::read_dir(s.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n.ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "temporary files left: {names:?}");
    let csv = s.read("rapport.csv");
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv.starts_with("id,title,phase,"));
    // Writing into a missing folder fails cleanly.
    let out = s.run(&["report", "--output", "nowhere/r.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"), "{out:?}");
}

/// The page is written as it is rendered, never whole in memory: to
/// `--output` through a temporary file beside it, renamed over it when
/// whole. A write that fails half-way (the file-size limit, `ulimit -f`,
/// with SIGXFSZ ignored so that the write says EFBIG) fails the command and
/// leaves the old file as it was, with no temporary file behind; a full
/// stdout fails it too.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_leaves_the_old_file_as_it_was() {
    let s = year();
    let old = "<!DOCTYPE html>\n<p>the last round's report</p>\n";
    s.write("rapport.html", old);
    let bin = assert_cmd::cargo::cargo_bin("portfolio");
    for format in ["html", "markdown"] {
        let mut cmd = std::process::Command::new("sh");
        cmd.current_dir(s.path()).arg("-c").arg("trap '' XFSZ; ulimit -f 1 && exec \"$0\" \"$@\"").arg(&bin).args([
            "report",
            "--format",
            format,
            "-o",
            "rapport.html",
        ]);
        s.hermetic(&mut cmd);
        let out = cmd.output().expect("run");
        let (_, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{format}: {stderr}");
        assert!(stderr.contains("cannot write") && stderr.contains("rapport.html"), "{stderr}");
        assert_eq!(s.read("rapport.html"), old, "{format}");
        let left: Vec<String> = std::fs::read_dir(s.path())
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
    }
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let out = s.cmd(&["report", "--format", "html"]).stdout(full).output().expect("run");
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write") && stderr.contains("<stdout>"), "{stderr}");
}

#[test]
fn markdown_escapes_table_breakers() {
    let s = Sandbox::portfolio("digdir");
    s.ok(&["new", "A | B <img src=x> [lenke](http://x)"]);
    let md = s.ok(&["report", "--format", "markdown"]);
    let row = md.lines().find(|l| l.contains("DD-001")).expect("row");
    assert!(row.contains(r"A \| B \<img src=x\> \[lenke\](http://x)"), "{row}");
    // Every table row has as many cells as its header.
    let header = md.lines().find(|l| l.starts_with("| ID |")).expect("header");
    assert_eq!(row.matches(" | ").count(), header.matches(" | ").count());
}

#[test]
fn report_snapshots() {
    let s = year();
    insta::assert_snapshot!("report_table", s.ok(&["report", "--since", "2026-02-15"]));
    insta::assert_snapshot!(
        "report_markdown_en",
        s.ok(&["report", "--since", "2026-02-15", "--format", "markdown", "--lang", "en"])
    );
}

#[test]
fn a_folder_without_commits_is_reported_from_disk() {
    let s = Sandbox::empty();
    s.ok(&["init"]);
    let r = json(&s, &[]);
    assert_eq!(r["as_of"]["commit"], Value::Null);
    assert_eq!(r["history"]["available"], false);
    let out = s.run(&["report", "--since", "2026-01-01"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A long history is walked in parts, one per thread: the figures must not
/// depend on how many threads there are.
#[test]
fn the_history_walk_gives_the_same_report_on_one_thread_and_on_four() {
    let s = Sandbox::portfolio("digdir");
    let phases = ["1-ikke-startet", "2-problem", "3-konsept", "4-planlegging"];
    let mut stream = String::new();
    let mut phase_of: Vec<usize> = Vec::new();
    for n in 0..2400u32 {
        let date = 1_767_225_600 + i64::from(n) * 3600;
        let (message, changes) = if n % 3 == 0 || phase_of.is_empty() {
            let id = phase_of.len() + 1;
            phase_of.push(0);
            let text = format!("---\nid: DD-{id:03}\ntitle: Tiltak {id}\ncreated: 2026-01-01\n---\n");
            (
                format!("new DD-{id:03}: Tiltak {id}"),
                format!("M 100644 inline tiltak/{}/DD-{id:03}-t.md\ndata {}\n{text}\n", phases[0], text.len()),
            )
        } else {
            let k = (n as usize * 7) % phase_of.len();
            let (from, to) = (phase_of[k], (phase_of[k] + 1) % phases.len());
            phase_of[k] = to;
            let id = k + 1;
            let text = format!("---\nid: DD-{id:03}\ntitle: Tiltak {id}\ncreated: 2026-01-01\n---\n");
            (
                format!("advance DD-{id:03}\n\nTiltak: DD-{id:03}\nForced: test"),
                format!(
                    "D tiltak/{}/DD-{id:03}-t.md\nM 100644 inline tiltak/{}/DD-{id:03}-t.md\ndata {}\n{text}\n",
                    phases[from],
                    phases[to],
                    text.len()
                ),
            )
        };
        let from = if n == 0 { "from refs/heads/main^0\n" } else { "" };
        stream.push_str(&format!(
            "commit refs/heads/main\ncommitter K <k@example.no> {date} +0100\ndata {}\n{message}\n{from}{changes}\n",
            message.len()
        ));
    }
    let mut import =
        s.git_cmd(&["fast-import", "--quiet"]).stdin(std::process::Stdio::piped()).spawn().expect("fast-import");
    std::io::Write::write_all(import.stdin.as_mut().expect("stdin"), stream.as_bytes()).expect("write");
    assert!(import.wait().expect("wait").success());
    s.git(&["reset", "-q", "--hard", "main"]);
    let run = |threads: &str| {
        let out =
            s.cmd(&["report", "--format", "json", "--since", "2026-01-20"]).env("PORTFOLIO_THREADS", threads).output();
        String::from_utf8(out.expect("run").stdout).expect("utf-8")
    };
    let one = run("1");
    let r: Value = serde_json::from_str(&one).expect("json");
    assert!(r["changes"]["gates"].as_array().expect("gates").len() > 1000);
    assert_eq!(run("4"), one);
}

/// The history cache in `.git/portfolio/` never changes a figure: after a
/// rewritten history the report equals one made without the cache.
#[test]
fn the_history_cache_follows_rewritten_history() {
    let s = year();
    let first = json(&s, &["--since", "2026-02-15"]);
    assert!(s.path().join(".git/portfolio").is_dir(), "no cache written");
    assert_eq!(json(&s, &["--since", "2026-02-15"]), first, "a warm cache changed the report");
    // Rewrite: drop the last two commits, move DD-003 by hand instead.
    git_at(&s, "2026-06-01", &["reset", "-q", "--hard", "HEAD~2"]);
    let three = path_of(&s, "DD-003");
    git_at(&s, "2026-06-01", &["mv", &three, &three.replace("1-ikke-startet", "2-problem")]);
    git_at(&s, "2026-06-01", &["commit", "-qm", "DD-003 til problem"]);
    let cached = json(&s, &["--since", "2026-02-15"]);
    std::fs::remove_dir_all(s.path().join(".git/portfolio")).expect("remove cache");
    let fresh = json(&s, &["--since", "2026-02-15"]);
    assert_eq!(cached, fresh);
    assert!(ids(&fresh["changes"]["gates"]).contains(&"DD-003".to_owned()));
    // As of a past date the cache of a longer line serves its start.
    let past = json(&s, &["--at", "2026-03-05"]);
    std::fs::remove_dir_all(s.path().join(".git/portfolio")).expect("remove cache");
    assert_eq!(json(&s, &["--at", "2026-03-05"]), past);
}

/// A damaged, truncated or foreign cache is ignored and written again; a
/// cache in `PORTFOLIO_CACHE_DIR` (for a CI that caches only the project
/// folder) serves like the one in `.git`; a packed repository (as a clone
/// is) reads the same history as one of loose objects.
#[test]
fn a_damaged_cache_is_rebuilt_and_the_cache_folder_can_be_named() {
    let s = year();
    let fresh = json(&s, &["--since", "2026-02-15"]);
    let cache = s.path().join(".git/portfolio/history-tiltak.bin");
    let good = std::fs::read(&cache).expect("cache written");
    let mut damaged = good.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x5a;
    for bad in [damaged, good[..good.len() / 3].to_vec(), b"{\"version\": 2}".to_vec(), Vec::new()] {
        std::fs::write(&cache, &bad).expect("damage the cache");
        assert_eq!(json(&s, &["--since", "2026-02-15"]), fresh, "a damaged cache changed the report");
        assert_eq!(std::fs::read(&cache).expect("cache"), good, "the damaged cache was not rewritten");
    }

    let elsewhere = s.path().join("ci-cache");
    std::fs::remove_dir_all(s.path().join(".git/portfolio")).expect("remove cache");
    let run = |args: &[&str]| {
        let out = s.cmd(args).env("PORTFOLIO_CACHE_DIR", &elsewhere).output().expect("run");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let args = ["report", "--format", "json", "--since", "2026-02-15"];
    let cold = run(&args);
    let caches = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut found: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| {
                        (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap_or_default())
                    })
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        found
    };
    // The history, the notes on the previous round's files and the trace at it.
    let first = caches(&elsewhere);
    let names: Vec<&str> = first.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names.len(), 3, "not every cache in PORTFOLIO_CACHE_DIR: {names:?}");
    for (name, kind) in names.iter().zip(["compared", "history", "since"]) {
        assert!(name.starts_with(&format!("{kind}-tiltak-")) && name.ends_with(".bin"), "{names:?}");
    }
    assert!(!s.path().join(".git/portfolio").exists(), "a cache in .git despite PORTFOLIO_CACHE_DIR");
    assert_eq!(run(&args), cold);
    assert_eq!(serde_json::from_str::<Value>(&cold).expect("json"), fresh);
    // A second repository sharing the folder keeps caches of its own: the
    // first one's are not replaced.
    let other = year();
    other.git(&["commit", "-q", "--allow-empty", "-m", "another line"]);
    let out = other.cmd(&args).env("PORTFOLIO_CACHE_DIR", &elsewhere).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let both = caches(&elsewhere);
    assert_eq!(both.len(), 6, "{:?}", both.iter().map(|c| &c.0).collect::<Vec<_>>());
    assert!(first.iter().all(|c| both.contains(c)), "the first repository's caches were replaced");

    // Packed, with deltas between the versions of each folder.
    s.git(&["gc", "-q", "--aggressive"]);
    std::fs::remove_dir_all(&elsewhere).expect("remove cache");
    std::fs::remove_dir_all(s.path().join(".git/portfolio")).ok();
    assert_eq!(json(&s, &["--since", "2026-02-15"]), fresh, "the packed history reads differently");
}

/// The day a report is as of, or compared with, is found from the commit
/// times kept with the history cache as it is from the commits: with the
/// cache at HEAD, behind HEAD, and ahead of the report's commit, on every
/// kind of day (before the first commit, on a commit's day, between, after).
#[test]
fn a_day_is_found_alike_from_the_cached_commit_times() {
    let s = year();
    let cache = s.path().join(".git/portfolio");
    let days = ["2026-01-01", "2026-01-10", "2026-01-12", "2026-03-01", "2026-03-09", "2026-04-01", "2026-05-01"];
    let mut asked: Vec<Vec<&str>> = Vec::new();
    for day in days {
        asked.extend([vec!["--since", day], vec!["--at", day], vec!["--at", "2026-04-15", "--since", day]]);
    }
    let report = |args: &[&str]| {
        let out = s.run(&[&["report", "--format", "json"][..], args].concat());
        format!("{args:?} {:?}\n{}", out.status.code(), String::from_utf8_lossy(&out.stdout))
    };
    // The cache at HEAD.
    s.ok(&["report", "--format", "json"]);
    let cached: Vec<String> = asked.iter().map(|args| report(args)).collect();
    // With no cache, each report walks the commits.
    let walked: Vec<String> = asked
        .iter()
        .map(|args| {
            std::fs::remove_dir_all(&cache).ok();
            report(args)
        })
        .collect();
    assert_eq!(cached, walked);
    // Two commits after the cache's last one: the line is walked back to
    // the cache, then read from it.
    s.ok(&["report", "--format", "json"]);
    edit(&s, "2026-05-20", &path_of(&s, "DD-003"), "title:", "organization: Digdir\ntitle:", "DD-003: org");
    git_at(&s, "2026-06-02", &["commit", "-q", "--allow-empty", "-m", "tom"]);
    let since = ["--since", "2026-05-10"];
    let from_behind = json(&s, &since);
    std::fs::remove_dir_all(&cache).expect("remove cache");
    assert_eq!(from_behind, json(&s, &since));
    assert_eq!(
        from_behind["since"]["commit"]["date"], "2026-05-01",
        "the commit of 2026-05-01: {}",
        from_behind["since"]
    );
}

/// The notes on the previous round's files (`.git/portfolio/compared-*`)
/// never change a figure: a report and an agenda since a round read from
/// the notes equal those read from every file, whether the notes are
/// missing, damaged, or left by reports since other days.
#[test]
fn the_notes_on_the_previous_round_never_change_a_figure() {
    let s = year();
    let notes = s.path().join(".git/portfolio/compared-tiltak.bin");
    let since = ["--since", "2026-02-15"];
    let fresh = json(&s, &since);
    let good = std::fs::read(&notes).expect("notes written by a report --since");
    // Read from the notes: the same report, and the notes are not rewritten.
    assert_eq!(json(&s, &since), fresh, "the notes changed the report");
    assert_eq!(std::fs::read(&notes).expect("notes"), good);
    // What is compared: DD-001 yellow then red, DD-002 given a status and
    // stopped, DD-003 new since.
    assert_eq!(ids(&fresh["changes"]["status_changes"]), ["DD-001", "DD-002"], "{}", fresh["changes"]);
    assert_eq!(ids(&fresh["changes"]["stopped"]), ["DD-002"], "{}", fresh["changes"]);
    assert_eq!(ids(&fresh["changes"]["new"]), ["DD-003"], "{}", fresh["changes"]);
    // Damaged or cut short, they are read as none and written again.
    let mut damaged = good.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x5a;
    for bad in [damaged, good[..good.len() / 2].to_vec(), Vec::new()] {
        std::fs::write(&notes, &bad).expect("damage the notes");
        assert_eq!(json(&s, &since), fresh, "damaged notes changed the report");
        assert_eq!(std::fs::read(&notes).expect("notes"), good, "the damaged notes were not rewritten");
    }
    // Reports since other days add their files' notes; each report still
    // equals one made without any.
    let days = ["2026-01-20", "2026-03-05", "2026-04-15", "2026-02-15"];
    let with_notes: Vec<Value> = days.iter().map(|d| json(&s, &["--since", d])).collect();
    let agenda = |s: &Sandbox| s.ok(&["agenda", "--date", "2026-05-02", "--since", "2026-03-05", "--format", "json"]);
    let agenda_with_notes = agenda(&s);
    std::fs::remove_file(&notes).expect("remove the notes");
    for (day, with) in days.iter().zip(&with_notes) {
        assert_eq!(&json(&s, &["--since", day]), with, "--since {day}");
        std::fs::remove_file(&notes).expect("remove the notes");
    }
    assert_eq!(agenda(&s), agenda_with_notes, "the notes changed the agenda");
    // The same files under another group filter are compared alike.
    let group = ["--since", "2026-02-15", "--group", "Tillitstjenester"];
    let filtered = json(&s, &group);
    std::fs::remove_file(&notes).expect("remove the notes");
    assert_eq!(json(&s, &group), filtered);
}

/// The stays kept on a commit (`.git/portfolio/stays-*`: where each tiltak
/// entered its phase, the stays that ended) never change a figure: days in
/// phase and the flow read from them equal those traced from every commit,
/// whether they are missing, damaged, of another commit, or of the same
/// commit read with other phases.
#[test]
fn the_stays_kept_on_a_commit_never_change_a_figure() {
    let s = year();
    let stays = s.path().join(".git/portfolio/stays-tiltak.bin");
    let fresh = json(&s, &[]);
    let good = std::fs::read(&stays).expect("stays written by a report of HEAD");
    // What they decide: DD-001 in Problem since the hand-made move of
    // 2026-03-01; two finished stays in the first phase (DD-001's 45 days,
    // DD-002's 54 until it was forced on 2026-03-10).
    let entered = |r: &Value, id: &str| {
        let items = r["flow"]["tiltak"].as_array().expect("flow");
        items.iter().find(|t| t["id"] == id).map(|t| t["entered"].clone())
    };
    assert_eq!(entered(&fresh, "DD-001"), Some(Value::from("2026-03-01")), "{}", fresh["flow"]);
    let first = &fresh["flow"]["phases"][0];
    assert_eq!((&first["stays"], &first["median_days"]), (&Value::from(2), &Value::from(49.5)), "{}", fresh["flow"]);
    // Read from them: the same report, and they are not rewritten.
    assert_eq!(json(&s, &[]), fresh, "the kept stays changed the report");
    assert_eq!(std::fs::read(&stays).expect("stays"), good);
    // Damaged or cut short, they are read as none and written again.
    let mut damaged = good.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x5a;
    for bad in [damaged, good[..good.len() / 2].to_vec(), Vec::new()] {
        std::fs::write(&stays, &bad).expect("damage the stays");
        assert_eq!(json(&s, &[]), fresh, "damaged stays changed the report");
        assert_eq!(std::fs::read(&stays).expect("stays"), good, "the damaged stays were not rewritten");
    }
    // Reports as of other days keep their commits' stays beside HEAD's;
    // each equals one made without any.
    let days = ["2026-01-20", "2026-03-05", "2026-04-15"];
    let kept: Vec<Value> = days.iter().map(|d| json(&s, &["--at", d])).collect();
    assert_eq!(json(&s, &[]), fresh, "HEAD's stays were lost to other days'");
    for (day, with) in days.iter().zip(&kept) {
        std::fs::remove_dir_all(s.path().join(".git/portfolio")).expect("remove the caches");
        assert_eq!(&json(&s, &["--at", day]), with, "--at {day}");
    }
    // A commit after them: its own stays, DD-003 moved that day.
    json(&s, &[]);
    let three = path_of(&s, "DD-003");
    git_at(&s, "2026-05-10", &["mv", &three, &three.replace("1-ikke-startet", "2-problem")]);
    git_at(&s, "2026-05-10", &["commit", "-qm", "DD-003 til problem"]);
    let moved = json(&s, &[]);
    assert_eq!(entered(&moved, "DD-003"), Some(Value::from("2026-05-10")), "{}", moved["flow"]);
    std::fs::remove_dir_all(s.path().join(".git/portfolio")).expect("remove the caches");
    assert_eq!(json(&s, &[]), moved);
}

#[test]
fn output_file_extension_chooses_the_format() {
    let s = Sandbox::portfolio("digdir");
    s.write(&format!("{FIRST}/DD-001-a.md"), minimal("DD-001", "A"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "a"]);
    s.ok(&["report", "-o", "r.html"]);
    assert!(s.read("r.html").starts_with("<!DOCTYPE html>"), "{}", &s.read("r.html")[..100]);
    s.ok(&["report", "-o", "r.md"]);
    assert!(s.read("r.md").starts_with("# "), "{}", s.read("r.md"));
    s.ok(&["report", "-o", "r.json"]);
    serde_json::from_str::<serde_json::Value>(&s.read("r.json")).expect("json");
    // An explicit --format wins; an unknown extension keeps the table.
    s.ok(&["report", "-o", "r.html", "--format", "json"]);
    serde_json::from_str::<serde_json::Value>(&s.read("r.html")).expect("json");
    s.ok(&["report", "-o", "r.out"]);
    assert!(s.read("r.out").contains('│') || s.read("r.out").contains('|'));
}

#[test]
fn since_after_at_is_refused() {
    let s = Sandbox::portfolio("digdir");
    s.write(&format!("{FIRST}/DD-001-a.md"), minimal("DD-001", "A"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "a"]);
    let first = s.git(&["rev-parse", "HEAD~1"]);
    for args in [
        vec!["report", "--at", TODAY, "--since", "2026-12-01"],
        vec!["report", "--at", first.trim(), "--since", "HEAD"],
    ] {
        let before = s.snapshot_state();
        let out = s.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", texts(&out).1);
        assert!(texts(&out).1.contains("is later than the report's date"), "{}", texts(&out).1);
        assert!(s.snapshot_state() == before);
    }
}

#[test]
fn csv_defuses_formulas_in_user_text_but_keeps_numbers() {
    let s = Sandbox::portfolio("digdir");
    let title = "-2+3+cmd|' /C calc'!A0";
    s.ok(&["new", "--owner", "@evil", "--", title]);
    for args in [&["report", "--format", "csv"][..], &["list", "--format", "csv"]] {
        let csv = s.ok(args);
        let row = csv.lines().nth(1).unwrap_or_default();
        assert!(row.contains(",'-2+3+cmd|' /C calc'!A0,"), "{args:?}: {csv}");
        assert!(row.contains(",'@evil,"), "{args:?}: {csv}");
        assert!(!row.contains(",-2+3"), "{args:?}: {csv}");
    }
    // The numeric columns (errors, warnings) stay plain numbers.
    let csv = s.ok(&["report", "--format", "csv"]);
    let header: Vec<&str> = csv.lines().next().unwrap_or_default().split(',').collect();
    let errors = header.iter().position(|h| *h == "errors").expect("errors column");
    let row = csv.lines().nth(1).unwrap_or_default();
    // The title cell has no comma, so a plain split finds the column.
    let cells: Vec<&str> = row.split(',').collect();
    assert!(cells[errors].parse::<u32>().is_ok(), "{row}");
}

/// The words of a terminal rendering, without borders and bar charts.
fn words(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| c.is_whitespace() || "│┆╭╮╰╯─┬┴┼╞╡╪═├┤".contains(c))
        .filter(|w| !w.is_empty() && !w.contains('█'))
        .map(str::to_owned)
        .collect()
}

fn at_width(args: &[&str], columns: &str) -> String {
    let s = Sandbox::empty();
    let out = s.cmd(args).current_dir(crate::common::repo_root()).env("COLUMNS", columns).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn report_board_and_list_fit_80_columns_with_words_whole() {
    for example in ["examples/digdir", "examples/ehelse"] {
        for command in ["report", "board", "list"] {
            let args = ["-C", example, command];
            let narrow = at_width(&args, "80");
            for line in narrow.lines() {
                let width = unicode_width::UnicodeWidthStr::width(line);
                assert!(width <= 80, "{example} {command}: {width} columns:\n{line}\n\n{narrow}");
            }
            // Every word at 80 columns is a word of the wide rendering, so
            // none was cut in two ("Tillitstjeneste / r"). Only record labels
            // ("Status:") are new.
            // Narrower still, lines still fit (paths longer than a line are
            // the only words cut there).
            for line in at_width(&args, "40").lines() {
                let width = unicode_width::UnicodeWidthStr::width(line);
                assert!(width <= 40, "{example} {command} at 40: {width} columns:\n{line}");
            }
            let wide = words(&at_width(&args, "400"));
            let cut: Vec<String> =
                words(&narrow).into_iter().filter(|w| !wide.contains(w) && !w.ends_with(':')).collect();
            assert!(cut.is_empty(), "{example} {command}: words cut: {cut:?}\n\n{narrow}");
        }
    }
}

/// The walk reads what a commit changed from its trees, never from its
/// trailers: a commit whose `advance` trailers name another tiltak than the
/// one it moved reports the move it made.
#[test]
fn trailers_that_name_another_move_do_not_change_what_moved() {
    let s = year();
    let three = path_of(&s, "DD-003");
    git_at(&s, "2026-06-01", &["mv", &three, &three.replace("1-ikke-startet", "2-problem")]);
    git_at(
        &s,
        "2026-06-01",
        &["commit", "-qm", "advance DD-001\n\nTiltak: DD-001\nPhase-From: problem\nPhase-To: konsept\n"],
    );
    let r = json(&s, &["--since", "2026-05-15"]);
    assert_eq!(ids(&r["changes"]["gates"]), vec!["DD-003".to_owned()], "{}", r["changes"]);
    assert!(path_of(&s, "DD-001").contains("2-problem"));
    std::fs::remove_dir_all(s.path().join(".git/portfolio")).expect("remove cache");
    assert_eq!(json(&s, &["--since", "2026-05-15"]), r, "cold and warm differ");
}

#[test]
fn the_previous_rounds_counts_are_per_segment_and_filtered() {
    // Two rounds of two tiltak in two segments: each segment's counts then
    // and now, and a segment filter counting only its own, then and now.
    let s = Sandbox::portfolio("ehelse");
    let file = |id: &str, segment: &str, level: &str| {
        format!(
            "---\nid: {id}\ntitle: Tiltak {id}\nsegment: {segment}\nstatus:\n  level: {level}\n  updated: 2026-01-10\n---\n# Tiltak {id}\n"
        )
    };
    s.write("tiltak/1-ide/EH-001-a.md", file("EH-001", "observere", "green"));
    s.write("tiltak/1-ide/EH-002-b.md", file("EH-002", "koordinere", "yellow"));
    git_at(&s, "2026-01-10", &["add", "-A"]);
    git_at(&s, "2026-01-10", &["commit", "-qm", "two tiltak"]);
    edit(&s, "2026-03-01", "tiltak/1-ide/EH-001-a.md", "level: green", "level: red", "EH-001: rød");
    edit(&s, "2026-03-02", "tiltak/1-ide/EH-002-b.md", "level: yellow", "level: green", "EH-002: grønn");
    let counts = |levels: &Value, key: &str| -> (u64, u64, u64) {
        let c = &levels[key];
        (c["green"].as_u64().unwrap_or(9), c["yellow"].as_u64().unwrap_or(9), c["red"].as_u64().unwrap_or(9))
    };
    let r = json(&s, &["--since", "2026-02-01"]);
    let segment = |id: &str| {
        r["status"]["segments"].as_array().expect("segments").iter().find(|l| l["id"] == id).cloned().expect(id)
    };
    let (obs, koo) = (segment("observere"), segment("koordinere"));
    assert_eq!(counts(&obs, "previous_status"), (1, 0, 0), "{obs}");
    assert_eq!(counts(&obs, "status"), (0, 0, 1), "{obs}");
    assert_eq!(counts(&koo, "previous_status"), (0, 1, 0), "{koo}");
    assert_eq!(counts(&koo, "status"), (1, 0, 0), "{koo}");
    assert_eq!(counts(&r["status"]["overall"], "previous_status"), (1, 1, 0));
    assert_eq!(ids(&r["changes"]["status_changes"]), ["EH-001", "EH-002"]);
    let only = json(&s, &["--since", "2026-02-01", "--segment", "koordinere"]);
    assert_eq!(counts(&only["status"]["overall"], "previous_status"), (0, 1, 0), "{}", only["status"]);
    assert_eq!(ids(&only["changes"]["status_changes"]), ["EH-002"]);
}

/// What the trace knew at a previous round (`.git/portfolio/since-*`,
/// kept on the round's commit) never changes a figure: a report since the
/// round traced from it equals one traced from the first commit, with
/// tiltak deleted before the round, one put back after it in another
/// phase, a round off the first-parent line, and the kept file missing,
/// damaged, or holding other rounds.
#[test]
fn the_trace_kept_on_a_previous_round_never_changes_a_figure() {
    let s = year();
    let kept = s.path().join(".git/portfolio/since-tiltak.bin");
    // DD-001 (in Problem) deleted before the round of 2026-05-10 …
    let one = path_of(&s, "DD-001");
    let text = s.read(&one);
    let two = path_of(&s, "DD-002");
    git_at(&s, "2026-05-05", &["rm", "-q", &one, &two]);
    git_at(&s, "2026-05-05", &["commit", "-qm", "DD-001 og DD-002 fjernet"]);
    // DD-003 put on hold before it: the agenda says since when.
    at(&s, "2026-05-06", &["hold", "DD-003", "--reason", "Venter på budsjett"]);
    git_at(&s, "2026-05-10", &["commit", "-q", "--allow-empty", "-m", "runde"]);
    // … a branch of its own merged after it …
    git_at(&s, "2026-05-12", &["checkout", "-qb", "side"]);
    let three = path_of(&s, "DD-003");
    git_at(&s, "2026-05-12", &["mv", &three, &three.replace("1-ikke-startet", "2-problem")]);
    git_at(&s, "2026-05-12", &["commit", "-qm", "DD-003 til problem"]);
    let side = s.git(&["rev-parse", "HEAD"]).trim().to_owned();
    git_at(&s, "2026-05-15", &["checkout", "-q", "main"]);
    git_at(&s, "2026-05-15", &["merge", "-q", "--no-ff", "-m", "Merge side", "side"]);
    // … and DD-001 back in Konsept after it.
    let back = one.replace("2-problem", "3-konsept");
    s.write(&back, text);
    git_at(&s, "2026-05-20", &["add", "-A"]);
    git_at(&s, "2026-05-20", &["commit", "-qm", "DD-001 tilbake"]);

    let flow = |r: &Value| r["flow"].clone();
    let cases = [
        vec!["--since", "2026-05-10"],
        vec!["--since", "2026-02-15"],
        vec!["--since", &side],
        vec!["--since", "HEAD~1"],
    ];
    for since in &cases {
        std::fs::remove_dir_all(s.path().join(".git/portfolio")).ok();
        let fresh = json(&s, since);
        let good = std::fs::read(&kept).unwrap_or_default();
        let written = std::fs::metadata(&kept).and_then(|m| m.modified()).ok();
        assert_eq!(json(&s, since), fresh, "{since:?}: the kept trace changed the report");
        // Read, not traced again and rewritten.
        assert_eq!(std::fs::metadata(&kept).and_then(|m| m.modified()).ok(), written, "{since:?}: rewritten");
        // The branch's commit is not on the line: nothing is kept for it.
        assert_eq!(good.is_empty(), since[1] == side, "{since:?}");
        if good.is_empty() {
            continue;
        }
        let mut damaged = good.clone();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0x5a;
        for bad in [damaged, good[..good.len() / 2].to_vec(), Vec::new()] {
            std::fs::write(&kept, &bad).expect("damage the kept trace");
            assert_eq!(json(&s, since), fresh, "{since:?}: a damaged trace changed the report");
            assert_eq!(std::fs::read(&kept).expect("kept"), good, "{since:?}: not rewritten");
        }
    }
    // Since the round: DD-001 is back, in Konsept since 2026-05-20, and
    // DD-003 moved with the merge; the file holds every round asked about.
    let round = json(&s, &["--since", "2026-05-10"]);
    let entered = round["flow"]["tiltak"].as_array().expect("flow").iter().find(|t| t["id"] == "DD-001").cloned();
    assert_eq!(entered.map(|t| t["entered"].clone()), Some(Value::from("2026-05-20")), "{}", flow(&round));
    let all: Vec<Value> = cases.iter().map(|c| json(&s, c)).collect();
    for (since, with) in cases.iter().zip(&all) {
        assert_eq!(&json(&s, since), with, "{since:?} beside the others");
        std::fs::remove_dir_all(s.path().join(".git/portfolio")).expect("remove the caches");
        assert_eq!(&json(&s, since), with, "{since:?} alone");
    }
    // A commit after the trace was kept (the next pull request's): the
    // report since the round goes on from it, and keeps the history cache
    // up to the new commit.
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).expect("modified");
    let history = s.path().join(".git/portfolio/history-tiltak.bin");
    json(&s, &["--since", "2026-05-10"]);
    let (trace_written, history_written) = (modified(&kept), modified(&history));
    let three = path_of(&s, "DD-003");
    git_at(&s, "2026-05-25", &["mv", &three, &three.replace("2-problem", "3-konsept")]);
    git_at(&s, "2026-05-25", &["commit", "-qm", "DD-003 til konsept"]);
    let warm = json(&s, &["--since", "2026-05-10"]);
    assert_eq!(modified(&kept), trace_written, "the kept trace was not read");
    assert_ne!(modified(&history), history_written, "the history cache was not kept up to the new commit");
    let moved = warm["flow"]["tiltak"].as_array().expect("flow").iter().find(|t| t["id"] == "DD-003").cloned();
    assert_eq!(moved.map(|t| t["entered"].clone()), Some(Value::from("2026-05-25")), "{}", flow(&warm));
    std::fs::remove_dir_all(s.path().join(".git/portfolio")).expect("remove the caches");
    assert_eq!(json(&s, &["--since", "2026-05-10"]), warm);
    // The agenda since the round reads the kept trace too.
    let agenda = || s.ok(&["agenda", "--date", "2026-05-26", "--since", "2026-05-10", "--format", "json"]);
    std::fs::remove_dir_all(s.path().join(".git/portfolio")).expect("remove the caches");
    let fresh: Value = serde_json::from_str(&agenda()).expect("agenda JSON");
    assert_eq!(fresh["on_hold"][0]["since"], "2026-05-06", "{}", fresh["on_hold"]);
    assert_eq!(ids(&fresh["decided"]), ["DD-003", "DD-001", "DD-003"], "{}", fresh["decided"]);
    let written = modified(&kept);
    assert_eq!(serde_json::from_str::<Value>(&agenda()).expect("agenda JSON"), fresh);
    assert_eq!(modified(&kept), written, "the agenda did not read the kept trace");
}
