//! The Git edge: every use of git2 lives here.
//!
//! Commits are built from HEAD's tree plus exactly the changes asked for, in
//! an in-memory index, so the user's other staged and unstaged work is never
//! swept in. Afterwards only the changed paths are updated in the real index.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use git2::{ErrorCode, Repository, RepositoryState, Signature, Time};

use crate::error::{Error, Result};

/// A repository and where the portfolio lies in it.
pub struct Repo {
    pub repo: Repository,
    /// The work tree's top folder.
    pub workdir: PathBuf,
}

fn git_err(context: &str) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| Error::Git(format!("{context}: {}", e.message()))
}

impl Repo {
    /// Open the repository holding `path`.
    pub fn discover(path: &Path) -> Result<Repo> {
        let repo = Repository::discover(path).map_err(|e| {
            if e.code() == ErrorCode::NotFound {
                Error::usage_hint(
                    format!("{} is not inside a Git repository", path.display()),
                    "a portfolio lives in Git: run `git init` there (or `portfolio init`, which does it)",
                )
            } else {
                Error::Git(format!("cannot open the Git repository at {}: {}", path.display(), e.message()))
            }
        })?;
        let workdir = repo
            .workdir()
            .ok_or_else(|| Error::usage("the repository is bare; run portfolio in a checkout with a work tree"))?
            .canonicalize()
            .map_err(|e| Error::io(path, e))?;
        Ok(Repo { repo, workdir })
    }

    /// Refuse to write while a merge, rebase, cherry-pick or similar is in progress.
    pub fn ensure_ready_to_commit(&self) -> Result<()> {
        let what = match self.repo.state() {
            RepositoryState::Clean => return Ok(()),
            RepositoryState::Merge => "a merge",
            RepositoryState::Revert | RepositoryState::RevertSequence => "a revert",
            RepositoryState::CherryPick | RepositoryState::CherryPickSequence => "a cherry-pick",
            RepositoryState::Bisect => "a bisect",
            RepositoryState::Rebase | RepositoryState::RebaseInteractive | RepositoryState::RebaseMerge => "a rebase",
            RepositoryState::ApplyMailbox | RepositoryState::ApplyMailboxOrRebase => "a `git am`",
        };
        Err(Error::usage_hint(
            format!("{what} is in progress in this repository"),
            "finish it or abort it first (see `git status`); nothing was changed",
        ))
    }

    /// `path` (absolute) relative to the work tree, with `/` separators.
    pub fn relative(&self, path: &Path) -> Result<String> {
        let rel = path
            .strip_prefix(&self.workdir)
            .map_err(|_| Error::usage(format!("{} is outside the repository's work tree", path.display())))?;
        Ok(rel.to_string_lossy().replace('\\', "/"))
    }

    /// Author and committer: the user's Git identity, with `GIT_AUTHOR_*` and
    /// `GIT_COMMITTER_*` from the environment taking precedence, as in git.
    pub fn signatures(&self) -> Result<(Signature<'static>, Signature<'static>)> {
        let config = self.repo.config().map_err(git_err("cannot read the Git configuration"))?;
        let name = config.get_string("user.name").ok();
        let email = config.get_string("user.email").ok();
        let make = |kind: &str| -> Result<Signature<'static>> {
            let n = std::env::var(format!("GIT_{kind}_NAME")).ok().or_else(|| name.clone());
            let e = std::env::var(format!("GIT_{kind}_EMAIL")).ok().or_else(|| email.clone());
            let (Some(n), Some(e)) = (n, e) else {
                return Err(Error::usage_hint(
                    "Git does not know who you are",
                    "run `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.org`",
                ));
            };
            let sig = match std::env::var(format!("GIT_{kind}_DATE")).ok().and_then(|d| parse_git_date(&d)) {
                Some(time) => Signature::new(&n, &e, &time),
                None => Signature::now(&n, &e),
            };
            sig.map_err(git_err("invalid Git identity"))
        };
        Ok((make("AUTHOR")?, make("COMMITTER")?))
    }

    /// Every number already used for `prefix` in `tiltak_dir` (relative to the
    /// work tree) on HEAD and on every local and remote-tracking branch.
    pub fn used_numbers(&self, tiltak_dir: &str, prefix: &str) -> Result<BTreeSet<u64>> {
        let mut used = BTreeSet::new();
        let mut trees = Vec::new();
        if let Ok(head) = self.repo.head()
            && let Ok(tree) = head.peel_to_tree()
        {
            trees.push(tree);
        }
        let refs = self.repo.references().map_err(git_err("cannot list branches"))?;
        for r in refs.flatten() {
            let is_branch = r.name().is_some_and(|n| n.starts_with("refs/heads/") || n.starts_with("refs/remotes/"));
            if is_branch && let Ok(tree) = r.peel_to_tree() {
                trees.push(tree);
            }
        }
        let mut seen = BTreeSet::new();
        for tree in trees {
            if !seen.insert(tree.id()) {
                continue;
            }
            let Ok(entry) = tree.get_path(Path::new(tiltak_dir)) else {
                continue;
            };
            let Ok(dir) = entry.to_object(&self.repo).and_then(|o| o.peel_to_tree()) else {
                continue;
            };
            for phase in dir.iter() {
                let Ok(sub) = phase.to_object(&self.repo).and_then(|o| o.peel_to_tree()) else {
                    continue;
                };
                for file in sub.iter() {
                    if let Some(n) = file.name().and_then(|n| number_of(n, prefix)) {
                        used.insert(n);
                    }
                }
            }
        }
        Ok(used)
    }

    /// Commit `changes` on top of HEAD (or as the first commit of an unborn
    /// branch), touching nothing else, then bring the index entries of the
    /// changed paths in line with the commit. Paths are relative to the work
    /// tree. Files being written must already hold their new content on disk.
    pub fn commit_changes(&self, changes: &[Change], message: &str) -> Result<git2::Oid> {
        self.ensure_ready_to_commit()?;
        let (author, committer) = self.signatures()?;
        let parent = match self.repo.head() {
            Ok(head) => Some(head.peel_to_commit().map_err(git_err("cannot read HEAD"))?),
            Err(e) if e.code() == ErrorCode::UnbornBranch || e.code() == ErrorCode::NotFound => None,
            Err(e) => return Err(git_err("cannot read HEAD")(e)),
        };
        let mut index = git2::Index::new().map_err(git_err("cannot create an index"))?;
        if let Some(parent) = &parent {
            let tree = parent.tree().map_err(git_err("cannot read HEAD's tree"))?;
            index.read_tree(&tree).map_err(git_err("cannot read HEAD's tree"))?;
        }
        for change in changes {
            match change {
                Change::Write { path } => {
                    let abs = self.workdir.join(path);
                    let blob = self.repo.blob_path(&abs).map_err(git_err("cannot store the file in Git"))?;
                    let entry = index_entry(path, blob, file_mode(&abs));
                    index.add(&entry).map_err(git_err("cannot stage the file"))?;
                }
                Change::Remove { path } => {
                    index.remove_path(Path::new(path)).map_err(git_err("cannot unstage the old path"))?;
                }
            }
        }
        let tree_id = index.write_tree_to(&self.repo).map_err(git_err("cannot write the tree"))?;
        let tree = self.repo.find_tree(tree_id).map_err(git_err("cannot read the new tree"))?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let oid = self
            .repo
            .commit(Some("HEAD"), &author, &committer, message, &tree, &parents)
            .map_err(git_err("cannot create the commit"))?;
        // The commit exists; now make the real index agree for these paths only.
        let mut real = self.repo.index().map_err(git_err("cannot open the index"))?;
        for change in changes {
            let result = match change {
                Change::Write { path } => real.add_path(Path::new(path)),
                Change::Remove { path } => match real.remove_path(Path::new(path)) {
                    Err(e) if e.code() == ErrorCode::NotFound => Ok(()),
                    other => other,
                },
            };
            result.map_err(git_err("the commit was made, but updating the index failed"))?;
        }
        real.write().map_err(git_err("the commit was made, but writing the index failed"))?;
        Ok(oid)
    }

    /// The current branch's name, or `None` when HEAD is detached.
    pub fn branch_name(&self) -> Option<String> {
        let head = self.repo.head().ok()?;
        if head.is_branch() { head.shorthand().map(str::to_owned) } else { None }
    }
}

/// One change in a commit.
#[derive(Debug, Clone)]
pub enum Change {
    /// Add or update the file at `path` with its content on disk.
    Write { path: String },
    /// Remove `path`.
    Remove { path: String },
}

fn index_entry(path: &str, id: git2::Oid, mode: u32) -> git2::IndexEntry {
    git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: 0,
        id,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

#[cfg(unix)]
fn file_mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(path) {
        Ok(m) if m.permissions().mode() & 0o111 != 0 => 0o100755,
        _ => 0o100644,
    }
}

#[cfg(not(unix))]
fn file_mode(_: &Path) -> u32 {
    0o100644
}

/// The number in a file name `PREFIX-NNN…`, for this prefix.
fn number_of(file_name: &str, prefix: &str) -> Option<u64> {
    let id = crate::tiltak::file_id(file_name)?;
    let (p, n) = id.split_once('-')?;
    if p.eq_ignore_ascii_case(prefix) { n.parse().ok() } else { None }
}

/// Parse a date as git accepts it in `GIT_AUTHOR_DATE`: `@<seconds> <±hhmm>`,
/// `<seconds> <±hhmm>`, or RFC 3339 / ISO 8601.
pub fn parse_git_date(text: &str) -> Option<Time> {
    let t = text.trim().trim_start_matches('@');
    if let Some((secs, tz)) = t.split_once(' ')
        && let Ok(secs) = secs.parse::<i64>()
    {
        let sign = if tz.starts_with('-') { -1 } else { 1 };
        let digits = tz.trim_start_matches(['+', '-']);
        if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()) {
            let h: i32 = digits[..2].parse().ok()?;
            let m: i32 = digits[2..].parse().ok()?;
            return Some(Time::new(secs, sign * (h * 60 + m)));
        }
    }
    if let Ok(secs) = t.parse::<i64>() {
        return Some(Time::new(secs, 0));
    }
    let dt = chrono::DateTime::parse_from_rfc3339(t)
        .or_else(|_| chrono::DateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S %z"))
        .ok()?;
    Some(Time::new(dt.timestamp(), dt.offset().local_minus_utc() / 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_git_dates() {
        let t = parse_git_date("@1700000000 +0100").expect("date");
        assert_eq!((t.seconds(), t.offset_minutes()), (1700000000, 60));
        let t = parse_git_date("2025-03-04T10:00:00+02:00").expect("date");
        assert_eq!(t.offset_minutes(), 120);
        assert!(parse_git_date("yesterday").is_none());
    }

    #[test]
    fn numbers_of_file_names() {
        assert_eq!(number_of("DD-014-x.md", "DD"), Some(14));
        assert_eq!(number_of("EH-002-x.md", "DD"), None);
        assert_eq!(number_of("README.md", "DD"), None);
    }
}
