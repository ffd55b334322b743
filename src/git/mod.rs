//! The Git edge: every use of git2 lives here.
//!
//! Commits are built from HEAD's tree plus exactly the changes asked for, in
//! an in-memory index, so the user's other staged and unstaged work is never
//! swept in. Afterwards only the changed paths are updated in the real index.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use git2::{ErrorCode, Repository, RepositoryState, Signature, Time};

use crate::error::{Error, Result};

/// A Git object id.
pub use git2::Oid;

/// A repository and where the portfolio lies in it.
pub struct Repo {
    pub repo: Repository,
    /// The work tree's top folder.
    pub workdir: PathBuf,
}

fn git_err(context: &str) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| Error::Git(format!("{context}: {}", e.message()))
}

/// Set libgit2's process-wide options once, before any repository is opened.
/// The one `unsafe` in the crate: libgit2's global settings are not
/// synchronised, so they are set once, before anything else uses libgit2.
#[allow(unsafe_code)]
fn configure() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Git does not re-hash every object it reads; libgit2 does by
        // default, which made reading a long history several times slower.
        // Objects written still get their hashes computed.
        git2::opts::strict_hash_verification(false);
        // A commit's tree is HEAD's tree plus blobs just written: checking
        // that each of its ten thousand entries exists would read them all.
        git2::opts::strict_object_creation(false);
        // The history walk keeps the few trees it compares itself; libgit2's
        // object cache would only fill with commits never read again.
        git2::opts::enable_caching(false);
        // Map pack files in small windows, and not all of a large pack at
        // once: memory stays bounded however long the history is.
        // SAFETY: called once, before any repository is opened or any thread
        // started by this program uses libgit2.
        unsafe {
            let _ = git2::opts::set_mwindow_size(16 << 20);
            let _ = git2::opts::set_mwindow_mapped_limit(48 << 20);
        }
    });
}

fn after_commit(context: &str) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| Error::AfterCommit(format!("{context}: {}", e.message()))
}

impl Repo {
    /// Open the repository holding `path`.
    pub fn discover(path: &Path) -> Result<Repo> {
        configure();
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
        // The real index is updated after the commit: it must be free first.
        if self.repo.path().join("index.lock").exists() {
            return Err(Error::usage_hint(
                "another Git process is using this repository (.git/index.lock exists)",
                "wait for it to finish; if none is running, remove .git/index.lock. Nothing was changed",
            ));
        }
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

    /// Refuse to commit a tiltak before the portfolio's definition is in
    /// HEAD: the history would start without what gives it meaning.
    pub fn ensure_definition_committed(&self, root: &Path) -> Result<()> {
        let rel = self.relative(root)?;
        let file = if rel.is_empty() {
            crate::domain::process::FILE_NAME.to_owned()
        } else {
            format!("{rel}/{}", crate::domain::process::FILE_NAME)
        };
        let committed = match self.head_commit() {
            Some(head) => self.file_at(head, &file)?.is_some(),
            None => false,
        };
        if committed {
            return Ok(());
        }
        Err(Error::usage_hint(
            format!(
                "{file} is not committed yet, so this commit would start a history without the portfolio's process"
            ),
            format!("commit it first: git add {file} && git commit -m \"Start the portfolio\"; nothing was changed"),
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
                    if let Some(n) = file.name().and_then(|n| crate::domain::tiltak::id_number(n, prefix)) {
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
        let mut real = self.repo.index().map_err(git_err("cannot open the index"))?;
        let tree_id = index.write_tree_to(&self.repo).map_err(git_err("cannot write the tree"))?;
        let tree = self.repo.find_tree(tree_id).map_err(git_err("cannot read the new tree"))?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let oid = self
            .repo
            .commit(Some("HEAD"), &author, &committer, message, &tree, &parents)
            .map_err(git_err("cannot create the commit"))?;
        // The commit exists; now make the real index agree for these paths only.
        for change in changes {
            let result = match change {
                Change::Write { path } => real.add_path(Path::new(path)),
                Change::Remove { path } => match real.remove_path(Path::new(path)) {
                    Err(e) if e.code() == ErrorCode::NotFound => Ok(()),
                    other => other,
                },
            };
            result.map_err(after_commit("the commit was made, but updating the index failed"))?;
        }
        real.write().map_err(after_commit("the commit was made, but writing the index failed"))?;
        Ok(oid)
    }

    /// The current branch's name, or `None` when HEAD is detached.
    pub fn branch_name(&self) -> Option<String> {
        let head = self.repo.head().ok()?;
        if head.is_branch() { head.shorthand().map(str::to_owned) } else { None }
    }
}

/// Where a repository is: what a thread needs to open its own handle.
#[derive(Debug, Clone)]
pub struct Place {
    git_dir: PathBuf,
    workdir: PathBuf,
}

impl Place {
    pub fn open(&self) -> Result<Repo> {
        let repo = Repository::open(&self.git_dir).map_err(git_err("cannot open the repository"))?;
        Ok(Repo { repo, workdir: self.workdir.clone() })
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
}

/// What history needs of a commit.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CommitInfo {
    #[serde(with = "oid_hex")]
    pub id: git2::Oid,
    /// Abbreviated id, for messages.
    pub short: String,
    /// Commit time: seconds since the epoch and the committer's offset in minutes.
    pub time: i64,
    pub offset_minutes: i32,
    pub author: String,
    pub committer: String,
    pub message: String,
    /// For a merge that changes tiltak: the commits it brought in that carry
    /// a `Tiltak:` trailer (a gate or state change decided on a branch),
    /// newest first.
    pub merged: Vec<CommitInfo>,
}

impl CommitInfo {
    /// The commit's date in its committer's time zone.
    pub fn date(&self) -> Option<chrono::NaiveDate> {
        local_date(self.time, self.offset_minutes)
    }

    /// The value of trailer `key` for tiltak `id`: from this commit, or, for
    /// a merge, from the merged commit made for that tiltak.
    pub fn trailer_for(&self, id: &str, key: &str) -> Option<&str> {
        let mine = |c: &CommitInfo| c.trailer("Tiltak").is_some_and(|t| t.eq_ignore_ascii_case(id));
        if mine(self) {
            return self.trailer(key);
        }
        if let Some(c) = self.merged.iter().find(|c| mine(c)) {
            return c.trailer(key);
        }
        // A commit about another tiltak says nothing about this one.
        if self.trailer("Tiltak").is_none() { self.trailer(key) } else { None }
    }

    /// The value of a `Key: value` trailer line, if present.
    pub fn trailer(&self, key: &str) -> Option<&str> {
        self.message.lines().rev().find_map(|l| l.strip_prefix(key)?.strip_prefix(':').map(str::trim))
    }
}

/// What history needs of a commit; the short id is git's default seven digits.
fn commit_info_of(c: &git2::Commit<'_>) -> CommitInfo {
    let id = c.id();
    CommitInfo {
        id,
        short: id.to_string()[..7].to_owned(),
        time: c.time().seconds(),
        offset_minutes: c.time().offset_minutes(),
        author: c.author().name().unwrap_or("?").to_owned(),
        committer: c.committer().name().unwrap_or("?").to_owned(),
        message: String::from_utf8_lossy(c.message_bytes()).into_owned(),
        merged: Vec::new(),
    }
}

mod oid_hex {
    use super::HexOid;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(id: &git2::Oid, s: S) -> Result<S::Ok, S::Error> {
        HexOid(*id).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<git2::Oid, D::Error> {
        HexOid::deserialize(d).map(|h| h.0)
    }
}

/// The calendar date of a Git time in its own time zone.
fn local_date(seconds: i64, offset_minutes: i32) -> Option<chrono::NaiveDate> {
    let offset = chrono::FixedOffset::east_opt(offset_minutes * 60)?;
    chrono::DateTime::from_timestamp(seconds, 0).map(|t| t.with_timezone(&offset).date_naive())
}

/// An entry of a tree listed by [`Repo::list_tree`].
#[derive(Debug, Clone)]
pub struct TreeItem {
    pub path: String,
    /// How many folders down from the listed folder (0: directly in it).
    pub depth: usize,
    pub kind: TreeItemKind,
    pub id: git2::Oid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeItemKind {
    File,
    Folder,
    Symlink,
}

/// A tiltak file that appeared in or left a phase folder between two trees.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TreeChange {
    /// The phase folder (directly under the tiltak folder).
    pub folder: String,
    pub file: String,
    pub added: bool,
}

impl Repo {
    /// Resolve a revision to a commit; a missing one in a shallow clone says so.
    pub fn resolve(&self, rev: &str) -> Result<git2::Oid> {
        let object = self.repo.revparse_single(rev).map_err(|e| {
            let hint = if self.repo.is_shallow() {
                "this is a shallow clone: fetch the history (e.g. `fetch-depth: 0` in actions/checkout)".to_owned()
            } else {
                "name a branch, tag or commit, e.g. `origin/main`".to_owned()
            };
            Error::usage_hint(format!("cannot find revision {rev:?}: {}", e.message()), hint)
        })?;
        object.peel_to_commit().map(|c| c.id()).map_err(git_err("not a commit"))
    }

    pub fn head_commit(&self) -> Option<git2::Oid> {
        self.repo.head().ok()?.peel_to_commit().ok().map(|c| c.id())
    }

    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The merge base of two commits (where a branch left its target).
    pub fn merge_base(&self, a: git2::Oid, b: git2::Oid) -> Result<git2::Oid> {
        self.repo.merge_base(a, b).map_err(git_err("the two revisions share no history"))
    }

    /// Commits on the first-parent line of `tip` (HEAD when `None`) that
    /// `hide` cannot reach (all when `None`), oldest first.
    pub fn first_parent_commits(&self, tip: Option<git2::Oid>, hide: Option<git2::Oid>) -> Result<Vec<git2::Oid>> {
        let Some(tip) = tip.or_else(|| self.head_commit()) else { return Ok(Vec::new()) };
        let mut walk = self.repo.revwalk().map_err(git_err("cannot walk history"))?;
        walk.push(tip).map_err(git_err("cannot walk history"))?;
        walk.simplify_first_parent().map_err(git_err("cannot walk history"))?;
        if let Some(hide) = hide {
            walk.hide(hide).map_err(git_err("cannot walk history"))?;
        }
        let mut out = Vec::new();
        for id in walk {
            out.push(id.map_err(git_err("cannot walk history"))?);
        }
        out.reverse();
        Ok(out)
    }

    /// The newest commit on the first-parent line of `tip` whose date (in its
    /// committer's time zone) is on or before `day` (`inclusive`), or before
    /// it; `None` when every commit is later.
    pub fn commit_by_date(&self, tip: git2::Oid, day: chrono::NaiveDate, inclusive: bool) -> Result<Option<git2::Oid>> {
        let mut walk = self.repo.revwalk().map_err(git_err("cannot walk history"))?;
        walk.push(tip).map_err(git_err("cannot walk history"))?;
        walk.simplify_first_parent().map_err(git_err("cannot walk history"))?;
        for id in walk {
            let id = id.map_err(git_err("cannot walk history"))?;
            let commit = self.repo.find_commit(id).map_err(git_err("cannot read a commit"))?;
            let Some(date) = local_date(commit.time().seconds(), commit.time().offset_minutes()) else { continue };
            if date < day || (inclusive && date == day) {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    pub fn commit_info(&self, id: git2::Oid) -> Result<CommitInfo> {
        let c = self.repo.find_commit(id).map_err(git_err("cannot read a commit"))?;
        Ok(commit_info_of(&c))
    }

    /// The bytes of the file at `path` (from the top of the repository) in a
    /// commit, if it is there.
    pub fn file_at(&self, commit: git2::Oid, path: &str) -> Result<Option<Vec<u8>>> {
        let c = self.repo.find_commit(commit).map_err(git_err("cannot read a commit"))?;
        let tree = c.tree().map_err(git_err("cannot read a tree"))?;
        let Ok(entry) = tree.get_path(Path::new(path)) else { return Ok(None) };
        let Ok(blob) = self.repo.find_blob(entry.id()) else { return Ok(None) };
        Ok(Some(blob.content().to_vec()))
    }

    /// Every entry below `dir` (from the top of the repository) in a
    /// commit, to `max_depth` folders deep, skipping hidden names. Paths are
    /// relative to `dir`. Sub-folders are listed as well as files.
    pub fn list_tree(&self, commit: git2::Oid, dir: &str, max_depth: usize) -> Result<Vec<TreeItem>> {
        let c = self.repo.find_commit(commit).map_err(git_err("cannot read a commit"))?;
        let mut out = Vec::new();
        let Some(top) = dir_tree(&c, dir) else { return Ok(out) };
        let mut stack = vec![(top, String::new(), 0usize)];
        while let Some((tree, prefix, depth)) = stack.pop() {
            let tree = self.repo.find_tree(tree).map_err(git_err("cannot read a tree"))?;
            for e in tree.iter() {
                let Some(name) = e.name() else { continue };
                if name.starts_with('.') {
                    continue;
                }
                let path = if prefix.is_empty() { name.to_owned() } else { format!("{prefix}/{name}") };
                let kind = match (e.kind(), e.filemode()) {
                    (Some(git2::ObjectType::Tree), _) => TreeItemKind::Folder,
                    (_, 0o120000) => TreeItemKind::Symlink,
                    (Some(git2::ObjectType::Blob), _) => TreeItemKind::File,
                    _ => continue,
                };
                if kind == TreeItemKind::Folder && depth < max_depth {
                    stack.push((e.id(), path.clone(), depth + 1));
                }
                out.push(TreeItem { path, depth, kind, id: e.id() });
            }
        }
        Ok(out)
    }

    /// Whether any of `paths` (from the top of the work tree) has staged,
    /// unstaged or untracked changes. Errors count as none.
    pub fn has_changes(&self, paths: &[String]) -> bool {
        let mut options = git2::StatusOptions::new();
        options.include_untracked(true).recurse_untracked_dirs(true).exclude_submodules(true);
        for p in paths {
            options.pathspec(p);
        }
        self.repo.statuses(Some(&mut options)).is_ok_and(|s| !s.is_empty())
    }

    /// Where this repository is, to open more handles on it (one per thread).
    pub fn place(&self) -> Place {
        Place { git_dir: self.repo.path().to_owned(), workdir: self.workdir.clone() }
    }

    /// The content of a blob.
    pub fn blob(&self, id: git2::Oid) -> Result<Vec<u8>> {
        self.repo.find_blob(id).map(|b| b.content().to_vec()).map_err(git_err("cannot read a file from Git"))
    }
}

/// The tree of `dir` (a path from the top of the repository; empty: the top)
/// in a commit, if there is one.
fn dir_tree(commit: &git2::Commit<'_>, dir: &str) -> Option<git2::Oid> {
    let tree = commit.tree().ok()?;
    if dir.is_empty() {
        return Some(tree.id());
    }
    let entry = tree.get_path(Path::new(dir)).ok()?;
    (entry.kind() == Some(git2::ObjectType::Tree)).then(|| entry.id())
}

impl Repo {
    /// The commits on the first-parent line of `tip` (oldest first) that add
    /// or remove a file in a phase folder of `tiltak_dir` (a path from the top
    /// of the repository), each with those changes, plus every commit that
    /// carries a `Tiltak:` trailer. Starts after `since` (from the root when
    /// `None`).
    ///
    /// One pass: a commit whose tiltak folder has the same tree as its
    /// predecessor's is passed over without opening anything else; a changed
    /// phase folder's new tree is read once and its raw listing merged by
    /// name with the previous one. No blob is ever read and no content
    /// compared: a tiltak keeps its file name when it moves, so a move is a
    /// name leaving one folder and reaching another. Long histories are
    /// split between the cores, each part starting from its parent's tree.
    ///
    /// The steps from the first commit are kept in a cache in the Git
    /// folder (`portfolio/`), keyed by the first-parent line they cover: a
    /// later call walks only the commits after the longest shared start of
    /// that line, so a report in the next meeting reads only the new
    /// commits. A rewritten history shares a shorter start and is walked
    /// again from there; a cache that cannot be read or written is ignored.
    pub fn tiltak_history(
        &self,
        tiltak_dir: &str,
        tip: Option<git2::Oid>,
        since: Option<git2::Oid>,
    ) -> Result<Vec<(CommitInfo, Vec<TreeChange>)>> {
        let commits = self.first_parent_commits(tip, since)?;
        if since.is_some() {
            return self.walk_all(&commits, tiltak_dir);
        }
        let cache_path = self.cache_path(tiltak_dir);
        let cached = std::fs::read(&cache_path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<HistoryCache>(&bytes).ok())
            .filter(|c| c.version == HistoryCache::VERSION && c.tiltak_dir == tiltak_dir);
        let (shared, mut steps) = match cached {
            Some(cache) => {
                let shared = cache.line.iter().zip(&commits).take_while(|(a, b)| a.0 == **b).count();
                let steps: Vec<_> =
                    cache.steps.into_iter().filter(|(i, _, _)| *i < shared).map(|(_, c, t)| (c, t)).collect();
                (shared, steps)
            }
            None => (0, Vec::new()),
        };
        if shared == commits.len() && shared > 0 {
            return Ok(steps);
        }
        steps.extend(self.walk_all(&commits[shared..], tiltak_dir)?);
        let index: HashMap<git2::Oid, usize> = commits.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let cache = HistoryCache {
            version: HistoryCache::VERSION,
            tiltak_dir: tiltak_dir.to_owned(),
            line: commits.iter().map(|id| HexOid(*id)).collect(),
            steps: steps.iter().map(|(c, t)| (index.get(&c.id).copied().unwrap_or(0), c.clone(), t.clone())).collect(),
        };
        // Best effort: a read-only repository just walks again next time.
        if let Ok(bytes) = serde_json::to_vec(&cache) {
            if let Some(dir) = cache_path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = crate::util::atomic::write(&cache_path, &bytes);
        }
        Ok(steps)
    }

    fn cache_path(&self, tiltak_dir: &str) -> PathBuf {
        let name: String =
            tiltak_dir.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        self.repo.path().join("portfolio").join(format!("history-{name}.json"))
    }

    /// Walk these consecutive first-parent commits, split between the cores.
    fn walk_all(&self, commits: &[git2::Oid], tiltak_dir: &str) -> Result<Vec<(CommitInfo, Vec<TreeChange>)>> {
        let threads = crate::util::parallel::threads();
        if threads <= 1 || commits.len() < 2000 {
            return walk(&self.repo, commits, tiltak_dir);
        }
        let path = self.repo.path().to_owned();
        let chunk = commits.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let parts: Vec<_> = commits
                .chunks(chunk)
                .map(|part| {
                    let path = &path;
                    scope.spawn(move || {
                        let repo = Repository::open(path).map_err(git_err("cannot open the repository"))?;
                        walk(&repo, part, tiltak_dir)
                    })
                })
                .collect();
            let mut steps = Vec::new();
            for part in parts {
                steps.extend(part.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?);
            }
            Ok(steps)
        })
    }
}

/// The history steps of a first-parent line, as cached between runs.
#[derive(serde::Serialize, serde::Deserialize)]
struct HistoryCache {
    version: u32,
    tiltak_dir: String,
    /// The first-parent line walked, oldest first.
    line: Vec<HexOid>,
    /// Each step with the index in `line` of its commit.
    steps: Vec<(usize, CommitInfo, Vec<TreeChange>)>,
}

impl HistoryCache {
    /// Raised whenever what a step holds changes.
    const VERSION: u32 = 1;
}

/// A commit id written as hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HexOid(pub git2::Oid);

impl serde::Serialize for HexOid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for HexOid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        git2::Oid::from_str(&text).map(HexOid).map_err(serde::de::Error::custom)
    }
}

/// A tree object, read once, with where its file names lie, kept for the
/// next comparison.
struct Listing<'o> {
    raw: git2::OdbObject<'o>,
    /// Byte ranges of the file names (not folders or submodules), in order.
    names: Vec<(u32, u32)>,
}

impl<'o> Listing<'o> {
    fn new(raw: git2::OdbObject<'o>) -> Self {
        let data = raw.data();
        let base = data.as_ptr() as usize;
        let names = files(data)
            .map(|name| {
                let start = name.as_ptr() as usize - base;
                (start as u32, (start + name.len()) as u32)
            })
            .collect();
        Listing { raw, names }
    }

    fn name(&self, k: usize) -> Option<&[u8]> {
        self.names.get(k).map(|&(a, b)| &self.raw.data()[a as usize..b as usize])
    }
}

/// The history steps of `commits` (consecutive on a first-parent line,
/// oldest first), each compared with its predecessor.
fn walk(repo: &Repository, commits: &[git2::Oid], tiltak_dir: &str) -> Result<Vec<(CommitInfo, Vec<TreeChange>)>> {
    let odb = repo.odb().map_err(git_err("cannot open the object database"))?;
    let read = |id: git2::Oid| -> Option<git2::OdbObject<'_>> { odb.read(id).ok() };
    let mut steps = Vec::new();
    let mut previous_dir: Option<git2::Oid> = None;
    let mut previous: Vec<(String, git2::Oid)> = Vec::new();
    let mut open: HashMap<git2::Oid, Listing<'_>> = HashMap::new();
    for (n, &id) in commits.iter().enumerate() {
        let commit = repo.find_commit(id).map_err(git_err("cannot read a commit"))?;
        if n == 0 {
            // The state before the range: the first commit's parent.
            if let Ok(parent) = commit.parent(0) {
                previous_dir = dir_tree(&parent, tiltak_dir);
                previous = previous_dir.and_then(&read).map(|t| subtrees(t.data())).unwrap_or_default();
            }
        }
        let dir = dir_tree(&commit, tiltak_dir);
        let mut changes = Vec::new();
        let dir_changed = dir != previous_dir;
        if dir_changed {
            let folders = dir.and_then(&read).map(|t| subtrees(t.data())).unwrap_or_default();
            folder_changes(&read, &previous, &folders, &mut open, &mut changes);
            previous = folders;
            previous_dir = dir;
        }
        let has_trailer = commit.message_bytes().windows(8).any(|w| w == b"Tiltak: ");
        let merged =
            if commit.parent_count() > 1 && dir_changed { merged_with_trailers(repo, &commit)? } else { Vec::new() };
        if !changes.is_empty() || has_trailer || !merged.is_empty() {
            let mut info = commit_info_of(&commit);
            info.merged = merged;
            if !changes.is_empty() || info.trailer("Tiltak").is_some() || !info.merged.is_empty() {
                steps.push((info, changes));
            }
        }
    }
    Ok(steps)
}

/// The entries of a raw tree object: mode, name and id, in stored order.
fn entries(raw: &[u8]) -> impl Iterator<Item = (&[u8], &[u8], &[u8])> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        let space = rest.iter().position(|&b| b == b' ')?;
        let nul = space + rest[space..].iter().position(|&b| b == 0)?;
        let id = rest.get(nul + 1..nul + 21)?;
        let entry = (&rest[..space], &rest[space + 1..nul], id);
        rest = &rest[nul + 21..];
        Some(entry)
    })
}

/// The names of the files (not folders or submodules) in a raw tree.
fn files(raw: &[u8]) -> impl Iterator<Item = &[u8]> {
    entries(raw).filter(|(mode, _, _)| *mode != FOLDER && *mode != GITLINK).map(|(_, name, _)| name)
}

/// A folder entry's mode.
const FOLDER: &[u8] = b"40000";
/// A submodule's mode.
const GITLINK: &[u8] = b"160000";

/// The sub-folders of a raw tree, by name.
fn subtrees(raw: &[u8]) -> Vec<(String, git2::Oid)> {
    entries(raw)
        .filter(|(mode, _, _)| *mode == FOLDER)
        .filter_map(|(_, name, id)| Some((String::from_utf8_lossy(name).into_owned(), git2::Oid::from_bytes(id).ok()?)))
        .collect()
}

/// The commits a merge brought in (reachable from its other parents, not
/// from its first) that carry a `Tiltak:` trailer, newest first.
fn merged_with_trailers(repo: &Repository, merge: &git2::Commit<'_>) -> Result<Vec<CommitInfo>> {
    let mut walk = repo.revwalk().map_err(git_err("cannot walk history"))?;
    for parent in merge.parent_ids().skip(1) {
        walk.push(parent).map_err(git_err("cannot walk history"))?;
    }
    if let Ok(first) = merge.parent_id(0) {
        walk.hide(first).map_err(git_err("cannot walk history"))?;
    }
    let mut out = Vec::new();
    for id in walk {
        let id = id.map_err(git_err("cannot walk history"))?;
        let c = repo.find_commit(id).map_err(git_err("cannot read a commit"))?;
        let info = commit_info_of(&c);
        if info.trailer("Tiltak").is_some() {
            out.push(info);
        }
    }
    Ok(out)
}

/// Files added to and removed from each phase folder between two listings.
/// `open` holds the raw trees of the previous listing's folders; afterwards
/// it holds this listing's.
fn folder_changes<'o>(
    read: &dyn Fn(git2::Oid) -> Option<git2::OdbObject<'o>>,
    before: &[(String, git2::Oid)],
    after: &[(String, git2::Oid)],
    open: &mut HashMap<git2::Oid, Listing<'o>>,
    out: &mut Vec<TreeChange>,
) {
    let mut names: Vec<&String> = before.iter().chain(after).map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    for folder in names {
        let old = before.iter().find(|(n, _)| n == folder).map(|(_, t)| *t);
        let new = after.iter().find(|(n, _)| n == folder).map(|(_, t)| *t);
        if old == new {
            continue;
        }
        for id in [old, new].into_iter().flatten() {
            if !open.contains_key(&id)
                && let Some(raw) = read(id)
            {
                open.insert(id, Listing::new(raw));
            }
        }
        let listing = |t: Option<git2::Oid>| t.and_then(|t| open.get(&t));
        let (old, new) = (listing(old), listing(new));
        // File entries of a tree are sorted by name bytes: merge the two
        // listings in place, without copying a name that did not change.
        let (mut i, mut j) = (0, 0);
        let mut push = |name: &[u8], added: bool| {
            out.push(TreeChange { folder: folder.clone(), file: String::from_utf8_lossy(name).into_owned(), added })
        };
        loop {
            match (old.and_then(|l| l.name(i)), new.and_then(|l| l.name(j))) {
                (Some(x), Some(y)) => match x.cmp(y) {
                    std::cmp::Ordering::Equal => {
                        i += 1;
                        j += 1;
                    }
                    std::cmp::Ordering::Less => {
                        push(x, false);
                        i += 1;
                    }
                    std::cmp::Ordering::Greater => {
                        push(y, true);
                        j += 1;
                    }
                },
                (Some(x), None) => {
                    push(x, false);
                    i += 1;
                }
                (None, Some(y)) => {
                    push(y, true);
                    j += 1;
                }
                (None, None) => break,
            }
        }
    }
    // Keep only what the next commit will compare against.
    open.retain(|id, _| after.iter().any(|(_, t)| t == id));
}
