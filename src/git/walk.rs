//! The history of one folder on a first-parent line: for each commit, which
//! files appeared in or left its sub-folders, read from raw tree objects
//! without opening a blob.

use std::collections::HashMap;

use git2::Repository;

use super::cache::{HistoryCache, Stamp};
use super::info::{CommitInfo, HexOid, TreeChange, Watch, commit_info_of};
use super::pack::{Packs, Reader, Rope};
use super::steps::Steps;
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
    pub fn folder_history(&self, watch: Watch<'_>, tip: Option<git2::Oid>, since: Option<git2::Oid>) -> Result<Steps> {
        let cache = HistoryCache::load(self, watch);
        // The line is known from the cache up to where the tip's line meets
        // it: only the commits after that are walked to learn it.
        let commits = match cache.as_ref().and_then(|c| self.line_through(c.line(), tip, since)) {
            Some(commits) => commits,
            None => self.first_parent_commits(tip, since)?,
        };
        if since.is_some() {
            // A long range on a line the cache holds (a report since a year
            // ago) is read from it; a short one (a pull request's commits)
            // is walked, which costs less than reading the cache.
            if commits.len() >= 1000
                && let Some(steps) = cache.and_then(|c| c.range(&commits))
            {
                return Ok(steps);
            }
            return Ok(self.walk_all(&commits, watch)?.0);
        }
        let (shared, mut steps, mut times) = match cache {
            Some(cache) => {
                let times = cache.times().to_vec();
                let (shared, steps) = cache.shared_start(&commits);
                (shared, steps, times)
            }
            None => (0, Steps::new(), Vec::new()),
        };
        if shared == commits.len() && shared > 0 {
            return Ok(steps);
        }
        let (walked, walked_times) = self.walk_all(&commits[shared..], watch)?;
        steps.append(walked);
        times.truncate(shared);
        times.extend(walked_times);
        HistoryCache::save(self, watch, &commits, &times, &steps);
        Ok(steps)
    }

    /// What [`Repo::first_parent_commits`] gives for `tip` and `since`,
    /// from `cached` (a first-parent line from the root, oldest first) and
    /// the commits on the tip's line after the newest one `cached` holds.
    /// `None` when the two lines do not meet, or `since` is not on the line
    /// (the caller walks then).
    fn line_through(
        &self,
        cached: &[git2::Oid],
        tip: Option<git2::Oid>,
        since: Option<git2::Oid>,
    ) -> Option<Vec<git2::Oid>> {
        let tip = tip.or_else(|| self.head_commit())?;
        let index: HashMap<git2::Oid, usize> = cached.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut newer = Vec::new();
        let mut at = tip;
        let end = loop {
            if let Some(&i) = index.get(&at) {
                break i;
            }
            if Some(at) == since {
                // The range lies wholly after the cached line.
                newer.reverse();
                return Some(newer);
            }
            newer.push(at);
            at = self.repo.find_commit(at).ok()?.parent_id(0).ok()?;
        };
        let start = match since {
            None => 0,
            Some(since) => *index.get(&since).filter(|&&i| i <= end)? + 1,
        };
        let mut line = cached[start..=end].to_vec();
        line.extend(newer.into_iter().rev());
        Some(line)
    }

    /// Walk these consecutive first-parent commits, split between the
    /// cores: their steps, and when each was committed.
    fn walk_all(&self, commits: &[git2::Oid], watch: Watch<'_>) -> Result<(Steps, Vec<Stamp>)> {
        let threads = crate::util::parallel::threads();
        // A linked worktree's own Git folder holds no objects: the common one does.
        let packs = Packs::open(self.repo.commondir());
        if threads <= 1 || commits.len() < 2000 {
            return walk(&self.repo, &packs, commits, watch);
        }
        let path = self.repo.path().to_owned();
        let chunk = commits.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let parts: Vec<_> = commits
                .chunks(chunk)
                .map(|part| {
                    let (path, packs) = (&path, &packs);
                    scope.spawn(move || {
                        let repo = Repository::open(path).map_err(git_err("cannot open the repository"))?;
                        walk(&repo, packs, part, watch)
                    })
                })
                .collect();
            let (mut steps, mut times) = (Steps::new(), Vec::with_capacity(commits.len()));
            for part in parts {
                let (part, part_times) = part.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?;
                steps.append(part);
                times.extend(part_times);
            }
            crate::util::parallel::release_free_memory();
            Ok((steps, times))
        })
    }
}

/// A tree object, read once, with where its entries start, kept for the
/// next comparison.
#[derive(Clone)]
struct Listing {
    rope: Rope,
    /// Where each entry starts, in order, then where the last one ends.
    starts: Vec<u32>,
}

/// What changed between two listings: the bytes of the entries that may
/// differ, old then new (whole entries, in order).
struct Middle {
    old: Vec<u8>,
    new: Vec<u8>,
}

impl Listing {
    /// The listing of a tree, and its parsed entries' bytes.
    fn new(rope: Rope) -> (Self, Vec<u8>) {
        let mut bytes = rope.to_vec();
        let mut starts = Vec::new();
        let end = parse_from(&bytes, 0, &mut starts, |_| false);
        bytes.truncate(end);
        (Listing { rope, starts }, bytes)
    }

    /// How many entries it has.
    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// The bytes of entries `k..j`.
    fn bytes(&self, k: usize, j: usize) -> Vec<u8> {
        let mut out = Vec::new();
        self.rope.copy_to(self.starts[k] as usize, self.starts[j] as usize, &mut out);
        out
    }

    /// Become the listing of `rope`, a later version of this tree, and say
    /// which entries may differ. Only what lies between the longest shared
    /// start and end of the two is read and parsed (the two are compared
    /// piece by piece, skipping what their ropes share), and the entry
    /// starts are moved in place: an edit to one file's content costs a few
    /// entries, not the folder's thousands.
    fn advance(&mut self, rope: Rope) -> Middle {
        let n = self.len();
        let (old_len, new_len) = (self.rope.len(), rope.len());
        if self.starts[n] as usize != old_len {
            // A tree that did not parse to its end: compare all of it.
            let old = self.bytes(0, n);
            let (listing, new) = Listing::new(rope);
            *self = listing;
            return Middle { old, new };
        }
        let prefix = Rope::common_prefix(&self.rope, &rope);
        // The last entry starting within the shared start begins the same in both.
        let k = self.starts.partition_point(|&s| s as usize <= prefix) - 1;
        let from = self.starts[k] as usize;
        let suffix = Rope::common_suffix(&self.rope, &rope, old_len.min(new_len) - from);
        // The new bytes from `from`, read as far as the parse needs them.
        let mut want = (new_len - suffix).saturating_sub(from) + 512;
        let (window, parsed, stop, j) = loop {
            let mut window = Vec::with_capacity(want.min(new_len - from));
            rope.copy_to(from, from.saturating_add(want), &mut window);
            let whole = from + window.len() == new_len;
            let mut parsed = Vec::new();
            let mut j = n;
            let stop = from
                + parse_from(&window, 0, &mut parsed, |r| {
                    // In step again: both at an entry start, the rest alike.
                    let q = from + r;
                    if q + suffix < new_len {
                        return false;
                    }
                    let at = q + old_len - new_len;
                    match self.starts[k..].binary_search(&(at as u32)) {
                        Ok(i) => {
                            j = k + i;
                            true
                        }
                        Err(_) => false,
                    }
                });
            // Out of step at the window's end, or an entry cut by it: read more.
            if whole || j < n {
                break (window, parsed, stop, j);
            }
            want = want.saturating_mul(2);
        };
        let mut j = j;
        let in_step = stop == new_len || j < n;
        if !in_step {
            // The new tree is malformed after `stop`: what parsed is all.
            j = n;
        }
        let old = self.bytes(k, j);
        let new = window[..stop - from].to_vec();
        let mut parsed: Vec<u32> = parsed.iter().map(|&r| (from + r as usize) as u32).collect();
        if in_step {
            parsed.pop();
            let m = k + parsed.len();
            self.starts.splice(k..j, parsed);
            let (grow, shrink) = (new_len.saturating_sub(old_len) as u32, old_len.saturating_sub(new_len) as u32);
            for s in &mut self.starts[m..] {
                *s = *s + grow - shrink;
            }
        } else {
            self.starts.truncate(k);
            self.starts.extend(parsed);
        }
        self.rope = rope;
        Middle { old, new }
    }
}

/// Parse entries of `raw` from `at`, pushing each start and then the end
/// reached onto `starts`, until `done(position)` or the end; returns the end.
fn parse_from(raw: &[u8], mut at: usize, starts: &mut Vec<u32>, mut done: impl FnMut(usize) -> bool) -> usize {
    while at < raw.len() && !done(at) {
        let Some((_, _, end)) = entry_at(raw, at) else { break };
        starts.push(at as u32);
        at = end;
    }
    starts.push(at as u32);
    at
}

/// The entry of a raw tree starting at `at`: its mode, name and end.
fn entry_at(raw: &[u8], at: usize) -> Option<(&[u8], &[u8], usize)> {
    let rest = raw.get(at..)?;
    let space = rest.iter().position(|&b| b == b' ')?;
    let nul = space + rest[space..].iter().position(|&b| b == 0)?;
    let end = at + nul + 21;
    (end <= raw.len()).then(|| (&rest[..space], &rest[space + 1..nul], end))
}

/// How many commits a walking thread reads between handing its free
/// memory back: the trees, ropes and deltas it frees are of every size, and
/// left to the allocator the process grows by megabytes between trims (at
/// ten thousand tiltak, 20 MB more at 2000 than at 500; a trim costs well
/// under a millisecond).
const TRIM_EVERY: usize = 500;

/// The history steps of `commits` (consecutive on a first-parent line,
/// oldest first), each compared with its predecessor.
fn walk(repo: &Repository, packs: &Packs, commits: &[git2::Oid], watch: Watch<'_>) -> Result<(Steps, Vec<Stamp>)> {
    let tiltak_dir = watch.dir;
    let marker = format!("{}: ", watch.marker);
    let odb = repo.odb().map_err(git_err("cannot open the object database"))?;
    // Trees from the packs through this thread's own delta cache; anything
    // else through libgit2.
    let mut reader = Reader::new(packs);
    let mut read = |id: git2::Oid| -> Option<Rope> {
        reader.rope(id).or_else(|| odb.read(id).ok().map(|o| Rope::whole(std::sync::Arc::new(o.data().to_vec()))))
    };
    let mut steps = Steps::new();
    let mut previous_dir: Option<git2::Oid> = None;
    let mut previous: Vec<(String, git2::Oid)> = Vec::new();
    let mut open: HashMap<git2::Oid, Listing> = HashMap::new();
    let mut previous_file: Option<git2::Oid> = None;
    let mut times = Vec::with_capacity(commits.len());
    for (n, &id) in commits.iter().enumerate() {
        if n % TRIM_EVERY == TRIM_EVERY - 1 {
            crate::util::parallel::release_free_memory();
        }
        let commit = repo.find_commit(id).map_err(git_err("cannot read a commit"))?;
        times.push((commit.time().seconds(), commit.time().offset_minutes()));
        if n == 0 {
            // The state before the range: the first commit's parent.
            if let Ok(parent) = commit.parent(0) {
                (previous_dir, previous_file) = dir_and_file(&mut read, parent.tree_id(), tiltak_dir, watch.file);
                previous = previous_dir.and_then(&mut read).map(|t| subtrees(&t.to_vec())).unwrap_or_default();
            }
        }
        let (dir, file) = dir_and_file(&mut read, commit.tree_id(), tiltak_dir, watch.file);
        let file_changed = watch.file.is_some() && file != previous_file;
        previous_file = file;
        let mut changes = Vec::new();
        let dir_changed = dir != previous_dir;
        if dir_changed {
            let folders = dir.and_then(&mut read).map(|t| subtrees(&t.to_vec())).unwrap_or_default();
            folder_changes(&mut read, &previous, &folders, &mut open, &mut changes);
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
                steps.push(&info, &changes);
            }
        }
    }
    Ok((steps, times))
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

/// A folder entry's mode.
const FOLDER: &[u8] = b"40000";

/// The watched folder's tree and the watched file's blob in the tree
/// `root`. Read from raw trees with `read`, not through libgit2, which would
/// keep every tree's delta base in its pack cache for as long as the
/// repository stays open (megabytes, through the whole report).
fn dir_and_file(
    read: &mut dyn FnMut(git2::Oid) -> Option<Rope>,
    root: git2::Oid,
    dir: &str,
    file: Option<&str>,
) -> (Option<git2::Oid>, Option<git2::Oid>) {
    // The top tree, read once for both (once per commit of the walk).
    let Some(top) = read(root).map(|t| t.to_vec()) else {
        return (dir.is_empty().then_some(root), None);
    };
    let dir = if dir.is_empty() {
        Some(root)
    } else {
        entry_in(read, &top, dir).filter(|(mode, _)| is_folder(*mode)).map(|(_, id)| id)
    };
    let file = file.and_then(|f| {
        entry_in(read, &top, f).filter(|(mode, _)| !is_folder(*mode) && !is_gitlink(*mode)).map(|(_, id)| id)
    });
    (dir, file)
}

/// The mode and id of the entry at `path` under `tree`, found as libgit2's
/// `git_tree_entry_bypath` finds it: the path split at each `/`, an empty
/// part (a leading `/`, a `//`) finding nothing, one `/` at the end allowed
/// after a folder.
fn entry_by_path(
    read: &mut dyn FnMut(git2::Oid) -> Option<Rope>,
    tree: git2::Oid,
    path: &str,
) -> Option<(u32, git2::Oid)> {
    let raw = read(tree)?.to_vec();
    entry_in(read, &raw, path)
}

/// [`entry_by_path`] under the raw tree `raw`, already read.
fn entry_in(read: &mut dyn FnMut(git2::Oid) -> Option<Rope>, raw: &[u8], path: &str) -> Option<(u32, git2::Oid)> {
    let (name, rest) = match path.split_once('/') {
        Some((name, rest)) => (name, Some(rest)),
        None => (path, None),
    };
    if name.is_empty() {
        return None;
    }
    let (mode, id) = entries(raw).find(|(_, n, _)| *n == name.as_bytes()).map(|(m, _, id)| (m, id))?;
    let (mode, id) = (octal(mode)?, git2::Oid::from_bytes(id).ok()?);
    match rest {
        Some(rest) if !rest.is_empty() => {
            if !is_folder(mode) {
                return None;
            }
            entry_by_path(read, id, rest)
        }
        Some(_) => is_folder(mode).then_some((mode, id)),
        None => Some((mode, id)),
    }
}

/// An entry's mode, written in octal.
fn octal(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |n, &d| {
        (b'0'..=b'7').contains(&d).then(|| n.checked_mul(8)?.checked_add(u32::from(d - b'0'))).flatten()
    })
}

/// A submodule's mode.
const GITLINK: &[u8] = b"160000";

/// Whether a mode is a folder's (a tree's), as libgit2 reads modes.
fn is_folder(mode: u32) -> bool {
    mode & 0o170000 == 0o040000
}

/// Whether a mode is a submodule's (a commit's).
fn is_gitlink(mode: u32) -> bool {
    mode & 0o170000 == 0o160000
}

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
fn folder_changes(
    read: &mut dyn FnMut(git2::Oid) -> Option<Rope>,
    folders_before: &[(String, git2::Oid)],
    folders_after: &[(String, git2::Oid)],
    open: &mut HashMap<git2::Oid, Listing>,
    out: &mut Vec<TreeChange>,
) {
    let mut names: Vec<&String> = folders_before.iter().chain(folders_after).map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    let mut opened = Vec::new();
    for folder in names {
        let old = folders_before.iter().find(|(n, _)| n == folder).map(|(_, t)| *t);
        let new = folders_after.iter().find(|(n, _)| n == folder).map(|(_, t)| *t);
        if old == new {
            continue;
        }
        // The old listing, taken to become the new one (a copy when another
        // folder still has that tree).
        let before = old.and_then(|t| {
            let still = folders_after.iter().any(|(_, a)| *a == t);
            match open.remove(&t) {
                Some(l) if still => {
                    open.insert(t, l.clone());
                    Some(l)
                }
                Some(l) => Some(l),
                None => read(t).map(|r| Listing::new(r).0),
            }
        });
        let (after, middle) = match (before, new) {
            (before, None) => {
                let old = before.map(|b| b.bytes(0, b.len())).unwrap_or_default();
                (None, Middle { old, new: Vec::new() })
            }
            (Some(mut b), Some(t)) => match open.get(&t).cloned() {
                Some(same) => {
                    let m = same.len();
                    let middle = Middle { old: b.bytes(0, b.len()), new: same.bytes(0, m) };
                    (Some(same), middle)
                }
                None => match read(t) {
                    Some(rope) => {
                        let middle = b.advance(rope);
                        (Some(b), middle)
                    }
                    None => (None, Middle { old: b.bytes(0, b.len()), new: Vec::new() }),
                },
            },
            (None, Some(t)) => match open.get(&t).cloned() {
                Some(same) => {
                    let new = same.bytes(0, same.len());
                    (Some(same), Middle { old: Vec::new(), new })
                }
                None => match read(t).map(Listing::new) {
                    Some((listing, new)) => (Some(listing), Middle { old: Vec::new(), new }),
                    None => (None, Middle { old: Vec::new(), new: Vec::new() }),
                },
            },
        };
        // File entries of a tree are sorted by name bytes: merge the two
        // ranges that may differ, without copying a name that did not change.
        let files = |raw: &[u8]| -> Vec<(usize, usize)> {
            let base = raw.as_ptr() as usize;
            entries(raw)
                .filter(|(mode, _, _)| *mode != FOLDER && *mode != GITLINK)
                .map(|(_, name, _)| (name.as_ptr() as usize - base, name.len()))
                .collect()
        };
        let (old_spans, new_spans) = (files(&middle.old), files(&middle.new));
        let mut old_files = old_spans.iter().map(|&(a, l)| &middle.old[a..a + l]).peekable();
        let mut new_files = new_spans.iter().map(|&(a, l)| &middle.new[a..a + l]).peekable();
        let mut push = |name: &[u8], added: bool| {
            out.push(TreeChange { folder: folder.clone(), file: String::from_utf8_lossy(name).into_owned(), added })
        };
        loop {
            match (old_files.peek(), new_files.peek()) {
                (Some(x), Some(y)) => match x.cmp(y) {
                    std::cmp::Ordering::Equal => {
                        old_files.next();
                        new_files.next();
                    }
                    std::cmp::Ordering::Less => {
                        push(x, false);
                        old_files.next();
                    }
                    std::cmp::Ordering::Greater => {
                        push(y, true);
                        new_files.next();
                    }
                },
                (Some(x), None) => {
                    push(x, false);
                    old_files.next();
                }
                (None, Some(y)) => {
                    push(y, true);
                    new_files.next();
                }
                (None, None) => break,
            }
        }
        if let (Some(t), Some(listing)) = (new, after) {
            opened.push((t, listing));
        }
    }
    open.extend(opened);
    // Keep only what the next commit will compare against.
    open.retain(|id, _| folders_after.iter().any(|(_, t)| t == id));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watched_folder_and_file_are_found_as_libgit2_finds_them() {
        let dir = std::env::temp_dir().join(format!("portfolio-walk-path-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let repo = Repository::init(&dir).expect("init");
        let blob = repo.blob(b"x").expect("blob");
        let tree = |entries: &[(&str, git2::Oid, i32)]| {
            let mut t = repo.treebuilder(None).expect("tree");
            for (name, id, mode) in entries {
                t.insert(name, *id, *mode).expect("insert");
            }
            t.write().expect("write")
        };
        let phase = tree(&[("DD-1.md", blob, 0o100644)]);
        let tiltak = tree(&[("1-a", phase, 0o040000), ("link", blob, 0o120000)]);
        let sub = tree(&[("tiltak", tiltak, 0o040000), ("portfolio.yaml", blob, 0o100755)]);
        let commit = git2::Oid::from_bytes(&[7; 20]).expect("oid");
        let root = tree(&[
            ("sub", sub, 0o040000),
            ("tiltak", tiltak, 0o040000),
            ("portfolio.yaml", blob, 0o100644),
            ("module", commit, 0o160000),
        ]);
        let odb = repo.odb().expect("odb");
        let mut read = |id: git2::Oid| odb.read(id).ok().map(|o| Rope::whole(std::sync::Arc::new(o.data().to_vec())));
        let root_tree = repo.find_tree(root).expect("root");
        let paths = [
            "",
            "tiltak",
            "tiltak/",
            "sub/tiltak",
            "sub//tiltak",
            "/tiltak",
            "tiltak/1-a",
            "tiltak/1-a/DD-1.md",
            "tiltak/link",
            "portfolio.yaml",
            "portfolio.yaml/",
            "sub/portfolio.yaml",
            "module",
            "module/x",
            "missing",
            "tiltak/1-a/",
            "tiltak//1-a",
        ];
        for dir in paths {
            for file in paths.iter().map(|f| Some(*f)).chain([None]) {
                // What the walk found through libgit2 before.
                let dir_then = if dir.is_empty() {
                    Some(root)
                } else {
                    root_tree
                        .get_path(std::path::Path::new(dir))
                        .ok()
                        .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
                        .map(|e| e.id())
                };
                let file_then = file.and_then(|f| {
                    root_tree
                        .get_path(std::path::Path::new(f))
                        .ok()
                        .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
                        .map(|e| e.id())
                });
                assert_eq!(dir_and_file(&mut read, root, dir, file), (dir_then, file_then), "{dir:?} {file:?}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
