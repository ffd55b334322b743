//! Commits built from HEAD's tree plus exactly the changes asked for (only
//! the folders on the changed paths are rewritten), so the user's other
//! staged and unstaged work is never swept in. Afterwards only the changed
//! paths are updated in the real index.

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
        // Each new file is stored once: the blob written here is the one the
        // real index points at afterwards (`add_path` would hash and write it again).
        let mut edits = Vec::with_capacity(changes.len());
        let odb = self.repo.odb().map_err(git_err("cannot open the object database"))?;
        // `warn` (or anything not a boolean) only warns.
        let safecrlf = self.repo.config().ok().and_then(|c| c.get_bool("core.safecrlf").ok()).unwrap_or(false);
        for change in changes {
            match change {
                Change::Write { path, content } => {
                    let abs = self.workdir.join(path);
                    let blob = self.store_blob(&odb, safecrlf, &abs, content)?;
                    edits.push((path.as_str(), Some((blob, file_mode(&abs)))));
                }
                Change::Remove { path } => edits.push((path.as_str(), None)),
            }
        }
        let base = match &parent {
            Some(parent) => Some(parent.tree().map_err(git_err("cannot read HEAD's tree"))?),
            None => None,
        };
        let mut real = self.repo.index().map_err(git_err("cannot open the index"))?;
        let tree_id = edit_tree(&self.repo, base.as_ref(), &edits).map_err(git_err("cannot write the tree"))?;
        let tree = self.repo.find_tree(tree_id).map_err(git_err("cannot read the new tree"))?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let oid = self
            .repo
            .commit(Some("HEAD"), &author, &committer, message, &tree, &parents)
            .map_err(git_err("cannot create the commit"))?;
        // The commit exists; now make the real index agree for these paths only,
        // with the files' stat data so that `git status` need not hash them again.
        for (change, (_, edit)) in changes.iter().zip(&edits) {
            let result = match change {
                Change::Write { path, .. } => match (edit, std::fs::metadata(self.workdir.join(path))) {
                    (Some((blob, _)), Ok(meta)) => real.add(&staged_entry(path, *blob, &meta)),
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

/// A file's new blob and mode, or `None` to remove it.
type Edit = Option<(git2::Oid, u32)>;

/// The tree `base` with `edits` applied in order (paths relative to it,
/// `/`-separated), as an index read from `base` and written back would
/// give: a file put where a file was replaces it; removing a path that is
/// not a file changes nothing; a folder left empty goes. A file put where
/// a folder is, or below a file, is refused, where libgit2's index would
/// quietly remove what is in the way (`git update-index` refuses it too,
/// without `--replace`).
/// Only the trees on the edited paths are read and written, not every
/// tree below `base`. Left empty, it is the empty tree.
fn edit_tree(
    repo: &git2::Repository,
    base: Option<&git2::Tree<'_>>,
    edits: &[(&str, Edit)],
) -> std::result::Result<git2::Oid, git2::Error> {
    match edit_folder(repo, "", base, edits)? {
        Some(id) => Ok(id),
        None => repo.treebuilder(None)?.write(),
    }
}

/// [`edit_tree`] of the folder at `within` (`""`, or a path ending in
/// `/`: what the messages name); `None` when it is left empty.
fn edit_folder(
    repo: &git2::Repository,
    within: &str,
    base: Option<&git2::Tree<'_>>,
    edits: &[(&str, Edit)],
) -> std::result::Result<Option<git2::Oid>, git2::Error> {
    let mut builder = repo.treebuilder(base)?;
    // Each name's edits in order: the name itself, or paths below it.
    let mut names: std::collections::BTreeMap<&str, Vec<(&str, Edit)>> = std::collections::BTreeMap::new();
    for &(path, edit) in edits {
        let (name, rest) = path.split_once('/').unwrap_or((path, ""));
        if name.is_empty() {
            return Err(git2::Error::from_str(&format!("invalid path '{within}{path}'")));
        }
        names.entry(name).or_default().push((rest, edit));
    }
    for (name, edits) in names {
        let at = format!("{within}{name}");
        // The edits below the name wait until one of the name itself comes.
        let mut below: Vec<(&str, Edit)> = Vec::new();
        for (rest, edit) in edits {
            if !rest.is_empty() {
                below.push((rest, edit));
                continue;
            }
            edit_below(repo, &mut builder, name, &at, std::mem::take(&mut below))?;
            let folder = builder.get(name)?.is_some_and(|e| e.kind() == Some(git2::ObjectType::Tree));
            match edit {
                Some(_) if folder => return Err(conflict(&at, "a folder")),
                Some((id, mode)) => {
                    builder.insert(name, id, mode as i32)?;
                }
                None if !folder && builder.get(name)?.is_some() => builder.remove(name)?,
                None => {}
            }
        }
        edit_below(repo, &mut builder, name, &at, below)?;
    }
    if builder.is_empty() { Ok(None) } else { builder.write().map(Some) }
}

fn conflict(at: &str, what: &str) -> git2::Error {
    git2::Error::from_str(&format!("'{at}' is {what} in HEAD's tree, so the change cannot go there"))
}

/// Apply `edits` (paths below `name`, which is at `at`) to the folder
/// `name` in `builder`.
fn edit_below(
    repo: &git2::Repository,
    builder: &mut git2::TreeBuilder<'_>,
    name: &str,
    at: &str,
    edits: Vec<(&str, Edit)>,
) -> std::result::Result<(), git2::Error> {
    if edits.is_empty() {
        return Ok(());
    }
    let current = builder.get(name)?.map(|e| (e.id(), e.kind() == Some(git2::ObjectType::Tree)));
    if current.is_some_and(|(_, tree)| !tree) {
        // Nothing is below a file: removing changes nothing, putting would need the file gone.
        return if edits.iter().all(|(_, edit)| edit.is_none()) { Ok(()) } else { Err(conflict(at, "a file")) };
    }
    let subtree = match current {
        Some((id, true)) => Some(repo.find_tree(id)?),
        _ => None,
    };
    match edit_folder(repo, &format!("{at}/"), subtree.as_ref(), &edits)? {
        Some(id) => {
            builder.insert(name, id, 0o040000)?;
        }
        None if current.is_some() => builder.remove(name)?,
        None => {}
    }
    Ok(())
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

    /// The tree an index read from `base`, edited and written back gives:
    /// what `commit_changes` built before `edit_tree`.
    fn through_index(repo: &git2::Repository, base: Option<&git2::Tree<'_>>, edits: &[(&str, Edit)]) -> git2::Oid {
        let mut index = git2::Index::new().expect("index");
        if let Some(base) = base {
            index.read_tree(base).expect("read tree");
        }
        for &(path, edit) in edits {
            match edit {
                Some((id, mode)) => index.add(&index_entry(path, id, mode)).expect("add"),
                None => index.remove_path(Path::new(path)).expect("remove"),
            }
        }
        index.write_tree_to(repo).expect("write tree")
    }

    #[test]
    fn edited_trees_are_the_index_trees() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = git2::Repository::init(dir.path()).expect("init");
        let blobs: Vec<git2::Oid> =
            (0..4).map(|i| repo.blob(format!("blob {i}\n").as_bytes()).expect("blob")).collect();
        let paths = [
            "portfolio.yaml",
            "tiltak/1-a/x.md",
            "tiltak/1-a/y.md",
            "tiltak/2-b/x.md",
            "tiltak/2-b/deep/z.md",
            "tiltak/3-c/only.md",
            "tiltak-notes.md",
            "tiltak.d/q.md",
            "new/folder/w.md",
        ];
        // A small LCG: every run the same sequences, many shapes.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % n
        };
        let mut base: Option<git2::Oid> = None;
        for _ in 0..300 {
            let count = 1 + next(4);
            let edits: Vec<(&str, Edit)> = (0..count)
                .map(|_| {
                    let path = paths[next(paths.len())];
                    let edit = match next(3) {
                        0 => None,
                        _ => Some((blobs[next(blobs.len())], if next(5) == 0 { 0o100755 } else { 0o100644 })),
                    };
                    (path, edit)
                })
                .collect();
            let tree = base.map(|id| repo.find_tree(id).expect("tree"));
            let want = through_index(&repo, tree.as_ref(), &edits);
            let got = edit_tree(&repo, tree.as_ref(), &edits).expect("edit");
            assert_eq!(got, want, "edits {edits:?} on {base:?}");
            base = Some(got);
        }
    }

    #[test]
    fn a_file_and_a_folder_of_one_name_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = git2::Repository::init(dir.path()).expect("init");
        let blob = repo.blob(b"x").expect("blob");
        let file = |path| (path, Some((blob, 0o100644)));
        let base = edit_tree(&repo, None, &[file("a/b.md"), file("c")]).expect("edit");
        let base = repo.find_tree(base).expect("tree");
        assert!(edit_tree(&repo, Some(&base), &[file("a")]).is_err(), "a file over a folder");
        let below = edit_tree(&repo, Some(&base), &[file("c/d.md")]).expect_err("a file below a file");
        assert!(below.message().contains("'c' is a file"), "{}", below.message());
        let over = edit_tree(&repo, Some(&base), &[file("a/b.md/e.md")]).expect_err("below a file, deeper");
        assert!(over.message().contains("'a/b.md' is a file"), "{}", over.message());
        // Removing what is not a file changes nothing, as in an index.
        let same = edit_tree(&repo, Some(&base), &[("a", None), ("c/d.md", None)]).expect("edit");
        assert_eq!(same, base.id());
        // A folder emptied first can then be a file.
        let then = edit_tree(&repo, Some(&base), &[("a/b.md", None), file("a")]).expect("edit");
        let then = repo.find_tree(then).expect("tree");
        assert_eq!(then.get_name("a").and_then(|e| e.kind()), Some(git2::ObjectType::Blob));
    }

    #[test]
    fn an_empty_path_component_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = git2::Repository::init(dir.path()).expect("init");
        let blob = repo.blob(b"x").expect("blob");
        assert!(edit_tree(&repo, None, &[("a//b.md", Some((blob, 0o100644)))]).is_err());
        assert!(edit_tree(&repo, None, &[("/b.md", Some((blob, 0o100644)))]).is_err());
    }

    #[test]
    fn parses_git_dates() {
        let t = parse_git_date("@1700000000 +0100").expect("date");
        assert_eq!((t.seconds(), t.offset_minutes()), (1700000000, 60));
        let t = parse_git_date("2025-03-04T10:00:00+02:00").expect("date");
        assert_eq!(t.offset_minutes(), 120);
        assert!(parse_git_date("yesterday").is_none());
    }
}
