//! Commits built from HEAD's tree plus exactly the changes asked for, in an
//! in-memory index, so the user's other staged and unstaged work is never
//! swept in. Afterwards only the changed paths are updated in the real index.

use std::path::Path;

use git2::{ErrorCode, RepositoryState, Time};

use super::{Repo, git_err};
use crate::error::{Error, Result};

fn after_commit(context: &str) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| Error::AfterCommit(format!("{context}: {}", e.message()))
}

impl Repo {
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

    /// Commit `changes` on top of HEAD (or as the first commit of an unborn
    /// branch), touching nothing else, then bring the index entries of the
    /// changed paths in line with the commit. Paths are relative to the work
    /// tree. Files being written must already hold their new content on disk.
    pub fn commit_changes(&self, changes: &[Change<'_>], message: &str) -> Result<git2::Oid> {
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
        // Each new file is stored once: the blob written here is the one the
        // real index points at afterwards (`add_path` would hash and write it again).
        let mut blobs = Vec::with_capacity(changes.len());
        let odb = self.repo.odb().map_err(git_err("cannot open the object database"))?;
        // `warn` (or anything not a boolean) only warns.
        let safecrlf = self.repo.config().ok().and_then(|c| c.get_bool("core.safecrlf").ok()).unwrap_or(false);
        for change in changes {
            match change {
                Change::Write { path, content } => {
                    let abs = self.workdir.join(path);
                    let blob = self.store_blob(&odb, safecrlf, &abs, content)?;
                    let entry = index_entry(path, blob, file_mode(&abs));
                    index.add(&entry).map_err(git_err("cannot stage the file"))?;
                    blobs.push(blob);
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
        // The commit exists; now make the real index agree for these paths only,
        // with the files' stat data so that `git status` need not hash them again.
        let mut blobs = blobs.into_iter();
        for change in changes {
            let result = match change {
                Change::Write { path, .. } => match (blobs.next(), std::fs::metadata(self.workdir.join(path))) {
                    (Some(blob), Ok(meta)) => real.add(&staged_entry(path, blob, &meta)),
                    _ => real.add_path(Path::new(path)),
                },
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

    /// Store the file at `abs`, which holds `content`, as libgit2's clean
    /// filters would (`blob_path`). They change only text holding a carriage
    /// return or `$Id` (line endings, `ident`), and under `core.safecrlf`
    /// may refuse text whose line endings checkout would change; any other
    /// content is stored from memory, without
    /// reading the file again or looking up its attributes. (The object
    /// database's own write hashes first and writes nothing for an object
    /// it has; `Repository::blob` streams to a temporary file first.)
    fn store_blob(&self, odb: &git2::Odb<'_>, safecrlf: bool, abs: &Path, content: &[u8]) -> Result<git2::Oid> {
        let filtered = safecrlf || content.contains(&b'\r') || content.windows(3).any(|w| w == b"$Id");
        let stored = if filtered { self.repo.blob_path(abs) } else { odb.write(git2::ObjectType::Blob, content) };
        stored.map_err(git_err("cannot store the file in Git"))
    }
}

/// One change in a commit.
#[derive(Debug, Clone)]
pub enum Change<'a> {
    /// Add or update the file at `path`, which holds exactly `content` on
    /// disk (the blob is made from `content`).
    Write { path: String, content: &'a [u8] },
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

/// The index entry of a file just committed as `id`, with its stat data.
#[cfg(unix)]
fn staged_entry(path: &str, id: git2::Oid, meta: &std::fs::Metadata) -> git2::IndexEntry {
    use std::os::unix::fs::MetadataExt;
    let time = |secs: i64, nanos: i64| git2::IndexTime::new(secs as i32, nanos as u32);
    git2::IndexEntry {
        ctime: time(meta.ctime(), meta.ctime_nsec()),
        mtime: time(meta.mtime(), meta.mtime_nsec()),
        dev: meta.dev() as u32,
        ino: meta.ino() as u32,
        mode: if meta.mode() & 0o111 != 0 { 0o100755 } else { 0o100644 },
        uid: meta.uid(),
        gid: meta.gid(),
        file_size: meta.size() as u32,
        ..index_entry(path, id, 0o100644)
    }
}

#[cfg(not(unix))]
fn staged_entry(path: &str, id: git2::Oid, meta: &std::fs::Metadata) -> git2::IndexEntry {
    git2::IndexEntry { file_size: meta.len() as u32, ..index_entry(path, id, 0o100644) }
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
