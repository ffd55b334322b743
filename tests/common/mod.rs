//! A hermetic environment for running the real binary over real Git
//! repositories in temporary folders: fixed author, dates, today, width; no
//! global or system Git configuration; no colour.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;

/// The day the tests pretend it is.
pub const TODAY: &str = "2026-11-23";

/// A temporary work folder that is removed at the end.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    /// An empty folder (no repository).
    pub fn empty() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// A Git repository with one empty commit on `main`.
    pub fn repo() -> Sandbox {
        let s = Sandbox::empty();
        s.git(&["init", "-q", "-b", "main"]);
        s.git(&["commit", "-q", "--allow-empty", "-m", "start"]);
        s
    }

    /// A repository with an initialised, committed portfolio from a template.
    pub fn portfolio(template: &str) -> Sandbox {
        let s = Sandbox::repo();
        s.ok(&["init", "--template", template]);
        s.git(&["add", "-A"]);
        s.git(&["commit", "-q", "-m", "init portfolio"]);
        s
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Write a file (creating folders), relative to the sandbox.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, content).expect("write");
        p
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).expect("read")
    }

    /// The binary, in the sandbox, with a hermetic environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("portfolio").expect("binary");
        c.current_dir(self.path()).args(args);
        hermetic(&mut c, self.path());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run portfolio")
    }

    /// Run and expect exit 0; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(0), "portfolio {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Run git in the sandbox; returns stdout.
    pub fn git(&self, args: &[&str]) -> String {
        let mut c = Command::new("git");
        c.current_dir(self.path()).args(args);
        hermetic(&mut c, self.path());
        let out = c.output().expect("run git");
        assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A fingerprint of everything a command could change: HEAD, every ref,
    /// the index, and every file in the work tree (bytes).
    pub fn snapshot_state(&self) -> String {
        // No refs at all (an unborn branch) is a state too: show-ref exits 1.
        let mut refs = Command::new("git");
        refs.current_dir(self.path()).args(["show-ref", "--head"]);
        hermetic(&mut refs, self.path());
        let mut s = String::from_utf8_lossy(&refs.output().expect("run git").stdout).into_owned();
        s.push_str(&self.git(&["ls-files", "--stage", "--debug"]));
        s.push_str(&self.git(&["status", "--porcelain=v2", "--untracked-files=all"]));
        let mut files = Vec::new();
        collect(self.path(), self.path(), &mut files);
        files.sort();
        for (rel, bytes) in files {
            s.push_str(&format!("{rel}: {:?}\n", bytes));
        }
        s
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        let rel = p.strip_prefix(root).expect("inside").to_string_lossy().into_owned();
        if rel == ".git" {
            continue;
        }
        let kind = entry.file_type().expect("type");
        if kind.is_dir() {
            collect(root, &p, out);
        } else if kind.is_file() {
            out.push((rel, std::fs::read(&p).expect("read")));
        }
    }
}

/// Fixed identity, dates, today and width; no user or system Git config.
pub fn hermetic(c: &mut Command, home: &Path) {
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        // Reading commands must not refresh the index, or state fingerprints drift.
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_AUTHOR_NAME", "Kari Nordmann")
        .env("GIT_AUTHOR_EMAIL", "kari@example.no")
        .env("GIT_AUTHOR_DATE", "2026-11-23T10:00:00+01:00")
        .env("GIT_COMMITTER_NAME", "Kari Nordmann")
        .env("GIT_COMMITTER_EMAIL", "kari@example.no")
        .env("GIT_COMMITTER_DATE", "2026-11-23T10:00:00+01:00")
        .env("PORTFOLIO_TODAY", TODAY)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C.UTF-8");
}

/// stdout and stderr as text.
pub fn texts(out: &Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}
