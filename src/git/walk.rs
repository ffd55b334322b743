//! The history of one folder on a first-parent line: for each commit, which
//! files appeared in or left its sub-folders, read from raw tree objects
//! without opening a blob.

use std::collections::HashMap;

use git2::Repository;

use super::cache::HistoryCache;
use super::info::{CommitInfo, HexOid, Step, TreeChange, Watch, commit_info_of};
use super::read::dir_and_file;
use super::{Repo, git_err};
use crate::error::Result;

impl Repo {
    /// The commits on the first-parent line of `tip` (oldest first) that add
    /// or remove a file in a sub-folder of `watch.dir`, each with those
    /// changes, plus every commit that carries the `watch.marker` trailer.
    /// Starts after `since` (from the root when `None`).
    ///
    /// One pass: a commit whose folder has the same tree as its
    /// predecessor's is passed over without opening anything else; a changed
    /// sub-folder's new tree is read once and its raw listing merged by name
    /// with the previous one. No blob is ever read and no content compared: a
    /// file that moves keeps its name, so a move is a name leaving one folder
    /// and reaching another. Long histories are split between the cores,
    /// each part starting from its parent's tree.
    ///
    /// The steps from the first commit are kept in a cache in the Git folder
    /// (see [`super::cache`]): a later call walks only the commits after the
    /// longest shared start of the line.
    pub fn folder_history(
        &self,
        watch: Watch<'_>,
        tip: Option<git2::Oid>,
        since: Option<git2::Oid>,
    ) -> Result<Vec<Step>> {
        let commits = self.first_parent_commits(tip, since)?;
        if since.is_some() {
            return self.walk_all(&commits, watch);
        }
        let (shared, mut steps) = match HistoryCache::load(self, watch) {
            Some(cache) => cache.shared_start(&commits),
            None => (0, Vec::new()),
        };
        if shared == commits.len() && shared > 0 {
            return Ok(steps);
        }
        steps.extend(self.walk_all(&commits[shared..], watch)?);
        HistoryCache::save(self, watch, &commits, &steps);
        Ok(steps)
    }

    /// Walk these consecutive first-parent commits, split between the cores.
    fn walk_all(&self, commits: &[git2::Oid], watch: Watch<'_>) -> Result<Vec<Step>> {
        let threads = crate::util::parallel::threads();
        if threads <= 1 || commits.len() < 2000 {
            return walk(&self.repo, commits, watch);
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
                        walk(&repo, part, watch)
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
fn walk(repo: &Repository, commits: &[git2::Oid], watch: Watch<'_>) -> Result<Vec<Step>> {
    let tiltak_dir = watch.dir;
    let marker = format!("{}: ", watch.marker);
    let odb = repo.odb().map_err(git_err("cannot open the object database"))?;
    let read = |id: git2::Oid| -> Option<git2::OdbObject<'_>> { odb.read(id).ok() };
    let mut steps = Vec::new();
    let mut previous_dir: Option<git2::Oid> = None;
    let mut previous: Vec<(String, git2::Oid)> = Vec::new();
    let mut open: HashMap<git2::Oid, Listing<'_>> = HashMap::new();
    let mut previous_file: Option<git2::Oid> = None;
    for (n, &id) in commits.iter().enumerate() {
        let commit = repo.find_commit(id).map_err(git_err("cannot read a commit"))?;
        if n == 0 {
            // The state before the range: the first commit's parent.
            if let Ok(parent) = commit.parent(0) {
                (previous_dir, previous_file) = dir_and_file(&parent, tiltak_dir, watch.file);
                previous = previous_dir.and_then(&read).map(|t| subtrees(t.data())).unwrap_or_default();
            }
        }
        let (dir, file) = dir_and_file(&commit, tiltak_dir, watch.file);
        let file_changed = watch.file.is_some() && file != previous_file;
        previous_file = file;
        let mut changes = Vec::new();
        let dir_changed = dir != previous_dir;
        if dir_changed {
            let folders = dir.and_then(&read).map(|t| subtrees(t.data())).unwrap_or_default();
            folder_changes(&read, &previous, &folders, &mut open, &mut changes);
            previous = folders;
            previous_dir = dir;
        }
        let merged = if commit.parent_count() > 1 && dir_changed {
            merged_with_trailers(repo, &commit, watch.marker)?
        } else {
            Vec::new()
        };
        let changed = !changes.is_empty() || !merged.is_empty() || file_changed;
        // A cheap scan of the raw message first: most commits name no marker,
        // and only those that do are copied to see whether it is a trailer.
        let names_marker = commit.message_bytes().windows(marker.len()).any(|w| w == marker.as_bytes());
        if changed || names_marker {
            let mut info = commit_info_of(&commit);
            info.merged = merged;
            if file_changed {
                info.file = Some(HexOid(file.unwrap_or_else(git2::Oid::zero)));
            }
            if changed || info.trailer(watch.marker).is_some() {
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
/// from its first) that carry the `marker` trailer, newest first.
fn merged_with_trailers(repo: &Repository, merge: &git2::Commit<'_>, marker: &str) -> Result<Vec<CommitInfo>> {
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
        if info.trailer(marker).is_some() {
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
