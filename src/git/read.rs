//! Reading revisions, trees and files.

use std::collections::BTreeSet;
use std::path::Path;

use super::info::{CommitInfo, Watch, commit_info_of, local_date};
use super::{Place, Repo, git_err};
use crate::error::{Error, Result};

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

impl Repo {
    /// Calls `seen` with the name of every file in a sub-folder of `dir` (a
    /// path from the top of the work tree) on HEAD and on every local and
    /// remote-tracking branch; each distinct tree is read once.
    pub fn names_on_every_branch(&self, dir: &str, found: &mut dyn FnMut(&str)) -> Result<()> {
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
            let Ok(entry) = tree.get_path(Path::new(dir)) else {
                continue;
            };
            // Branches mostly share their folders: read each tree once.
            if !seen.insert(entry.id()) {
                continue;
            }
            let Ok(dir) = entry.to_object(&self.repo).and_then(|o| o.peel_to_tree()) else {
                continue;
            };
            for phase in dir.iter() {
                if !seen.insert(phase.id()) {
                    continue;
                }
                let Ok(sub) = phase.to_object(&self.repo).and_then(|o| o.peel_to_tree()) else {
                    continue;
                };
                for file in sub.iter() {
                    if let Some(name) = file.name() {
                        found(name);
                    }
                }
            }
        }
        Ok(())
    }

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

    /// The first parent of a commit (`None` for a root, or a commit not here).
    pub fn first_parent(&self, id: git2::Oid) -> Option<git2::Oid> {
        self.repo.find_commit(id).ok()?.parent_id(0).ok()
    }

    /// The newest commit on the first-parent line of `tip` whose date (in its
    /// committer's time zone) is on or before `day` (`inclusive`), or before
    /// it (`None` when every commit is later), and the commits after it on the line
    /// (newest first): what [`Repo::first_parent_commits`] from `tip` to it
    /// gives, found in the same steps. Each commit is read once, where two
    /// walks read each commit of a year three times.
    ///
    /// Where the line reaches the one `watch`'s history cache holds, the
    /// dates are read from the times cached with it instead of from the
    /// commits (a year of commits is a year of inflated objects): the
    /// first-parent line of a cached commit is the cached line up to it.
    /// Past the cache's first commit (a clone deepened since), the walk
    /// goes on through the commits. A shallow clone never reads the cache.
    pub fn commit_by_date_and_later(
        &self,
        tip: git2::Oid,
        day: chrono::NaiveDate,
        inclusive: bool,
        watch: Option<Watch<'_>>,
    ) -> Result<(Option<git2::Oid>, Vec<git2::Oid>)> {
        let before = |time: i64, offset: i32| {
            local_date(time, offset).is_some_and(|date| date < day || (inclusive && date == day))
        };
        // A shallow clone's line ends at its grafts, and a cache restored
        // from a clone with the whole history would reach past them.
        let mut cache = watch.filter(|_| !self.is_shallow()).and_then(|w| super::cache::HistoryCache::load(self, w));
        // Where a commit lies in the cached line: the walk usually starts at
        // its last commit; the others are looked up once it does not.
        let mut index: Option<std::collections::HashMap<git2::Oid, usize>> = None;
        let mut place_of = |cache: &super::cache::HistoryCache, id: git2::Oid| {
            let line = cache.line();
            match line.last() {
                Some(last) if *last == id => Some(line.len() - 1),
                _ => index
                    .get_or_insert_with(|| line.iter().enumerate().map(|(k, c)| (*c, k)).collect())
                    .get(&id)
                    .copied(),
            }
        };
        let mut later = Vec::new();
        let mut at = Some(tip);
        while let Some(id) = at {
            // Reached the cached line: it serves the dates from here back to
            // its first commit, once.
            if let Some(place) = cache.as_ref().and_then(|c| place_of(c, id))
                && let Some(cache) = cache.take()
            {
                let (line, times) = (cache.line(), cache.times());
                for k in (0..=place).rev() {
                    if before(times[k].0, times[k].1) {
                        return Ok((Some(line[k]), later));
                    }
                    later.push(line[k]);
                }
                // The line before the cache's first commit, if any.
                let first = self.repo.find_commit(line[0]).map_err(git_err("cannot read a commit"))?;
                at = first.parent_id(0).ok();
                continue;
            }
            let commit = match self.repo.find_commit(id) {
                Ok(c) => c,
                // A shallow clone's line ends where its commits do.
                Err(_) if id != tip && self.is_shallow() => break,
                Err(e) => return Err(git_err("cannot read a commit")(e)),
            };
            if before(commit.time().seconds(), commit.time().offset_minutes()) {
                return Ok((Some(id), later));
            }
            later.push(id);
            at = commit.parent_id(0).ok();
        }
        Ok((None, later))
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

    /// [`Repo::list_tree`] of HEAD, read from the index: when nothing under
    /// `dir` is staged, changed or untracked, the index lists the same files
    /// with the same blobs, and reading it inflates no tree from the packs.
    /// Files and links only (the index holds no folders).
    pub fn list_index(&self, dir: &str, max_depth: usize) -> Result<Vec<TreeItem>> {
        let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        let mut out = Vec::new();
        self.index_entries(&mut |path, mode, id| {
            let Some(rel) = path.strip_prefix(&prefix) else { return };
            // As the tree is listed: hidden names (and what is in hidden
            // folders) are skipped, and no deeper than `max_depth` folders.
            if rel.split('/').any(|part| part.starts_with('.')) {
                return;
            }
            let depth = rel.matches('/').count();
            let kind = match mode {
                0o120000 => TreeItemKind::Symlink,
                0o100644 | 0o100755 => TreeItemKind::File,
                _ => return,
            };
            if depth <= max_depth {
                out.push(TreeItem { path: rel.to_owned(), depth, kind, id });
            }
        })?;
        Ok(out)
    }

    /// Whether any of `paths` (from the top of the work tree) has staged,
    /// unstaged or untracked changes. Errors count as none.
    pub fn has_changes(&self, paths: &[String]) -> bool {
        // Shown clean from the index's record of each file (the usual
        // answer); anything else is asked of libgit2.
        !super::status::clean(self, paths) && self.status_changes(paths)
    }

    /// [`Repo::has_changes`] as libgit2's status tells it.
    pub fn status_changes(&self, paths: &[String]) -> bool {
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

    /// The order in which to read the objects `ids` (indices into it) so
    /// that they are read as they lie in the repository's packs: the pack
    /// windows libgit2 maps are then each mapped about once, not again and
    /// again for objects scattered across a pack larger than the few
    /// windows it keeps (see `configure`).
    pub fn storage_order(&self, ids: &[git2::Oid]) -> Vec<usize> {
        // A linked worktree's own Git folder holds no objects: the common one does.
        super::pack::storage_order(self.repo.commondir(), ids)
    }

    /// The content of a blob.
    pub fn blob(&self, id: git2::Oid) -> Result<Vec<u8>> {
        let mut content = Vec::new();
        self.blob_into(id, &mut content)?;
        Ok(content)
    }

    /// The content of a blob, in `buf` (cleared first): a buffer reused
    /// from file to file.
    pub fn blob_into(&self, id: git2::Oid, buf: &mut Vec<u8>) -> Result<()> {
        let blob = self.repo.find_blob(id).map_err(git_err("cannot read a file from Git"))?;
        buf.clear();
        buf.extend_from_slice(blob.content());
        Ok(())
    }
}

/// The tree of `dir` (a path from the top of the repository; empty: the top)
/// in a commit, if there is one.
pub(crate) fn dir_tree(commit: &git2::Commit<'_>, dir: &str) -> Option<git2::Oid> {
    let tree = commit.tree().ok()?;
    if dir.is_empty() {
        return Some(tree.id());
    }
    let entry = tree.get_path(Path::new(dir)).ok()?;
    (entry.kind() == Some(git2::ObjectType::Tree)).then(|| entry.id())
}
