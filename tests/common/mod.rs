//! A hermetic environment for running the real binary over real Git
//! repositories in temporary folders: fixed author, dates, today, width,
//! time zone and locale; a fresh empty HOME; no global or system Git
//! configuration; no colour. Every run of the binary and of git in the
//! tests gets its environment from [`Sandbox::hermetic`].

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;

/// The day the tests pretend it is.
pub const TODAY: &str = "2026-11-23";

/// A temporary work folder that is removed at the end, with its own empty
/// HOME beside it (so nothing of the user's, and nothing written to HOME,
/// shows up in the work tree).
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Sandbox {
    /// An empty folder (no repository).
    pub fn empty() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("temp dir"), home: tempfile::tempdir().expect("temp home") }
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

    /// The sandbox's HOME: an empty temporary folder.
    pub fn home(&self) -> &Path {
        self.home.path()
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
        self.hermetic(&mut c);
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

    /// git in the sandbox, with the hermetic environment, not yet run (for
    /// a git that may fail, or needs stdin or more environment).
    pub fn git_cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new("git");
        c.current_dir(self.path()).args(args);
        self.hermetic(&mut c);
        c
    }

    /// Run git in the sandbox; returns stdout.
    pub fn git(&self, args: &[&str]) -> String {
        let out = self.git_cmd(args).output().expect("run git");
        assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A fingerprint of everything a command could change: HEAD, every ref,
    /// the index, and every file in the work tree (bytes).
    pub fn snapshot_state(&self) -> String {
        // No refs at all (an unborn branch) is a state too: show-ref exits 1.
        let refs = self.git_cmd(&["show-ref", "--head"]).output().expect("run git");
        let mut s = String::from_utf8_lossy(&refs.stdout).into_owned();
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

impl Sandbox {
    /// The one hermetic environment: fixed identity, dates, today, width,
    /// time zone and locale; HOME is the sandbox's empty home; no user or
    /// system Git config. Tests may add to it (e.g. other commit dates), never
    /// start from the caller's environment.
    pub fn hermetic(&self, c: &mut Command) {
        hermetic(c, self.home());
    }
}

/// The root of this crate (for the shipped examples).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the binary in the repository itself (for the shipped examples), with
/// the hermetic environment of a fresh sandbox (HOME is its empty home).
pub fn in_repo(args: &[&str]) -> Output {
    let s = Sandbox::empty();
    let mut c = s.cmd(args);
    c.current_dir(repo_root());
    c.output().expect("run portfolio")
}

/// Fixed identity, dates, today, width, time zone and locale; no user or
/// system Git config. Use [`Sandbox::hermetic`], which supplies the HOME.
fn hermetic(c: &mut Command, home: &Path) {
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
        .env("TZ", "UTC")
        .env("LANG", "C")
        .env("LC_ALL", "C.UTF-8");
}

/// stdout and stderr as text.
pub fn texts(out: &Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}
