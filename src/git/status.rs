//! Whether a work tree is clean under some paths, shown from the index's
//! own record of each file, as `git status` first looks: the index lists
//! the files HEAD has there, each file is as the index last saw it (its
//! time stamps, size, inode and mode, and its bytes where the stamp cannot
//! tell), and no other file is there but what `.gitignore` leaves out.
//!
//! It only ever says "clean": anything it cannot show so (a changed stamp,
//! a conflict, a split or sparse index, a name that is not UTF-8) sends the
//! question on to libgit2's status ([`super::Repo::has_changes`]), which
//! compares what it must. At ten thousand files it costs about a tenth of
//! libgit2's, which lists every difference where one answer is asked for.

use std::collections::HashSet;
use std::path::Path;

use super::Repo;

/// One entry of the index, as far as it is compared.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry<'a> {
    path: &'a str,
    mode: u32,
    id: git2::Oid,
    stamp: Stamp,
}

/// What the index records of a file's status, and what a file's status
/// is ([`Stamp::of`]): the low 32 bits of each time, inode and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    ctime: (u32, u32),
    mtime: (u32, u32),
    ino: u32,
    uid: u32,
    gid: u32,
    size: u32,
    /// The index's mode (`0o100644`, `0o100755`, `0o120000`), or the
    /// one a file's status gives (0 for a file it cannot hold).
    mode: u32,
}

impl Stamp {
    /// The stamp of a file's status (read without following a link: one
    /// read through a link stamps the file it names, which no entry is).
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let low = |n: i64| n as u32;
            let kind = meta.file_type();
            let mode = match () {
                () if kind.is_symlink() => 0o120000,
                () if kind.is_file() && meta.mode() & 0o100 != 0 => 0o100755,
                () if kind.is_file() => 0o100644,
                () => 0,
            };
            Stamp {
                ctime: (low(meta.ctime()), low(meta.ctime_nsec())),
                mtime: (low(meta.mtime()), low(meta.mtime_nsec())),
                ino: meta.ino() as u32,
                uid: meta.uid(),
                gid: meta.gid(),
                size: meta.size() as u32,
                mode,
            }
        }
        #[cfg(not(unix))]
        {
            // Never an index's: every file is asked of libgit2.
            let _ = meta;
            Stamp { ctime: (0, 0), mtime: (0, 0), ino: 0, uid: 0, gid: 0, size: 0, mode: 0 }
        }
    }
}

/// The entries of an index file of version 2 or 3 in path order, or
/// `None` for one this does not read (version 4, a conflict, a split or
/// sparse index, damage).
fn entries(bytes: &[u8]) -> Option<Vec<Entry<'_>>> {
    read(bytes).map(|(entries, _)| entries)
}

/// [`entries`], and the index's cache of trees (its `TREE` extension) when
/// it has one.
fn read(bytes: &[u8]) -> Option<(Vec<Entry<'_>>, Option<&[u8]>)> {
    let word = |at: usize| bytes.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    if bytes.len() < 32 || &bytes[..4] != b"DIRC" {
        return None;
    }
    let version = word(4)?;
    if !(2..=3).contains(&version) {
        return None;
    }
    let count = word(8)? as usize;
    // The last 20 bytes are the file's checksum.
    let end = bytes.len() - 20;
    let mut out = Vec::with_capacity(count.min(end / 62));
    let mut at = 12;
    for _ in 0..count {
        let fixed = bytes.get(at..at + 62).filter(|_| at + 62 <= end)?;
        let field = |i: usize| u32::from_be_bytes([fixed[i * 4], fixed[i * 4 + 1], fixed[i * 4 + 2], fixed[i * 4 + 3]]);
        let flags = u16::from_be_bytes([fixed[60], fixed[61]]);
        // A stage other than 0: a merge's conflict.
        if flags & 0x3000 != 0 {
            return None;
        }
        let mut name = at + 62;
        if flags & 0x4000 != 0 {
            if version < 3 {
                return None;
            }
            name += 2;
        }
        let nul = name + bytes.get(name..end)?.iter().position(|&b| b == 0)?;
        let path = std::str::from_utf8(&bytes[name..nul]).ok()?;
        let mode = field(6);
        out.push(Entry {
            path,
            mode,
            id: git2::Oid::from_bytes(&fixed[40..60]).ok()?,
            stamp: Stamp {
                ctime: (field(0), field(1)),
                mtime: (field(2), field(3)),
                ino: field(5),
                uid: field(7),
                gid: field(8),
                size: field(9),
                mode,
            },
        });
        // Padded with NULs to a multiple of eight bytes, at least one.
        at += (nul - at + 8) & !7;
        if at > end {
            return None;
        }
    }
    // Extensions: the shared part of a split index ("link") or folders of
    // a sparse one ("sdir") hold entries not listed above.
    let mut trees = None;
    while at + 8 <= end {
        let size = word(at + 4)? as usize;
        match &bytes[at..at + 4] {
            b"link" | b"sdir" => return None,
            b"TREE" => trees = Some(bytes.get(at + 8..(at + 8).checked_add(size)?.min(end))?),
            _ => {}
        }
        at = at.checked_add(8 + size)?;
    }
    (at == end).then_some((out, trees))
}

/// The tree the index's cache of trees (`trees`, its `TREE` extension)
/// holds for the folder `path` (from the top) and how many entries it
/// covers, when it holds it valid: Git and libgit2 drop a folder's tree
/// from it whenever an entry in the folder changes.
fn cached_tree(trees: &[u8], path: &str) -> Option<(git2::Oid, usize)> {
    // Each node: its name, NUL, its entry count (-1: not valid), a space,
    // how many nodes below it follow, a newline, and its tree when valid.
    struct Node<'a> {
        name: &'a [u8],
        tree: Option<(git2::Oid, usize)>,
        below: usize,
    }
    fn node<'a>(trees: &'a [u8], at: &mut usize) -> Option<Node<'a>> {
        let rest = trees.get(*at..)?;
        let nul = rest.iter().position(|&b| b == 0)?;
        let line = rest[nul + 1..].iter().position(|&b| b == b'\n')? + nul + 1;
        let counts = std::str::from_utf8(&rest[nul + 1..line]).ok()?;
        let (count, below) = counts.split_once(' ')?;
        let (count, below): (i64, usize) = (count.parse().ok()?, below.parse().ok()?);
        *at += line + 1;
        let tree = match usize::try_from(count) {
            Ok(count) => {
                let id = git2::Oid::from_bytes(trees.get(*at..*at + 20)?).ok()?;
                *at += 20;
                Some((id, count))
            }
            Err(_) => None,
        };
        Some(Node { name: &rest[..nul], tree, below })
    }
    fn skip(trees: &[u8], at: &mut usize) -> Option<()> {
        for _ in 0..node(trees, at)?.below {
            skip(trees, at)?;
        }
        Some(())
    }
    let mut at = 0;
    let mut here = node(trees, &mut at)?;
    for part in path.split('/').filter(|p| !p.is_empty()) {
        let mut found = None;
        for _ in 0..here.below {
            let start = at;
            let child = node(trees, &mut at)?;
            if child.name == part.as_bytes() {
                found = Some(child);
                break;
            }
            at = start;
            skip(trees, &mut at)?;
        }
        here = found?;
    }
    here.tree
}

/// The files under some paths still to be compared with what the index
/// recorded of them, once the index is shown to list what HEAD has there
/// and nothing untracked is there ([`Repo::clean_but_files`]).
pub struct Pending {
    /// Path from the top of the work tree, the index's blob and stamp.
    files: Vec<(String, git2::Oid, Stamp)>,
    /// When the index was written: a file stamped then or later may have
    /// changed since within the stamp's resolution.
    written: (u32, u32),
}

/// The index file's bytes and status, read from one open file.
fn read_index(repo: &Repo) -> Option<(Vec<u8>, std::fs::Metadata)> {
    let mut file = std::fs::File::open(repo.repo.path().join("index")).ok()?;
    let meta = file.metadata().ok()?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).ok()?);
    std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
    Some((bytes, meta))
}

impl Repo {
    /// Each entry of the index with a UTF-8 path, in path order: its path,
    /// mode and blob. Read by [`entries`] (without libgit2's checksum and
    /// path checks, a few milliseconds at ten thousand entries), or by
    /// libgit2 for an index that does not read.
    pub(super) fn index_entries(&self, each: &mut dyn FnMut(&str, u32, git2::Oid)) -> crate::error::Result<()> {
        if let Some((bytes, _)) = read_index(self)
            && let Some(entries) = entries(&bytes)
        {
            for e in entries {
                each(e.path, e.mode, e.id);
            }
            return Ok(());
        }
        let index = self.repo.index().map_err(super::git_err("cannot read the index"))?;
        for e in index.iter() {
            if let Ok(path) = std::str::from_utf8(&e.path) {
                each(path, e.mode, e.id);
            }
        }
        Ok(())
    }

    /// What is left to show that nothing under `paths` (from the top of the
    /// work tree: folders or files) is staged, changed or untracked: `None`
    /// when something is, or when the index cannot show it.
    pub fn clean_but_files(&self, paths: &[String]) -> Option<Pending> {
        // One open file: its stamp is that of the bytes read.
        let (bytes, meta) = read_index(self)?;
        let (index, trees) = read(&bytes)?;
        let mine: Vec<&Entry> = index.iter().filter(|e| paths.iter().any(|p| is_under(e.path, p))).collect();
        if !self.lists_head(paths, &mine, trees)? {
            return None;
        }
        let tracked: HashSet<&str> = mine.iter().map(|e| e.path).collect();
        for p in paths {
            let full = self.workdir.join(p);
            let ok = match std::fs::symlink_metadata(&full) {
                Ok(meta) if meta.is_dir() => self.only_ignored(&tracked, &full, p)?,
                Ok(_) => tracked.contains(p.as_str()) || self.repo.is_path_ignored(p).ok()?,
                Err(e) => e.kind() == std::io::ErrorKind::NotFound,
            };
            if !ok {
                return None;
            }
        }
        let files = mine.iter().map(|e| (e.path.to_owned(), e.id, e.stamp)).collect();
        Some(Pending { files, written: Stamp::of(&meta).mtime })
    }

    /// Whether the index's `entries` under `paths` are what HEAD has there
    /// (paths, modes and blobs), or `None` when HEAD cannot be read so. A
    /// folder whose tree the index's cache (`trees`) holds valid is HEAD's
    /// when the two trees are one; others are listed from HEAD's tree.
    fn lists_head(&self, paths: &[String], entries: &[&Entry<'_>], trees: Option<&[u8]>) -> Option<bool> {
        let head = self.repo.head().ok()?.peel_to_tree().ok()?;
        let mut in_head: Vec<(String, u32, git2::Oid)> = Vec::with_capacity(entries.len());
        let mut entries: Vec<&Entry<'_>> = entries.to_vec();
        for p in paths {
            if let Some((tree, count)) = trees.and_then(|t| cached_tree(t, p))
                && head.get_path(Path::new(p)).is_ok_and(|e| e.id() == tree)
            {
                let before = entries.len();
                entries.retain(|e| !is_under(e.path, p));
                if before - entries.len() == count {
                    continue;
                }
                return None;
            }
            let entry = match head.get_path(Path::new(p)) {
                Ok(entry) => entry,
                Err(e) if e.code() == git2::ErrorCode::NotFound => continue,
                Err(_) => return None,
            };
            if entry.kind() != Some(git2::ObjectType::Tree) {
                in_head.push((p.clone(), u32::try_from(entry.filemode()).ok()?, entry.id()));
                continue;
            }
            let tree = entry.to_object(&self.repo).ok()?.peel_to_tree().ok()?;
            let mut bad = false;
            tree.walk(git2::TreeWalkMode::PreOrder, |root, e| {
                if e.kind() != Some(git2::ObjectType::Tree) {
                    match (e.name(), u32::try_from(e.filemode())) {
                        (Some(name), Ok(mode)) => in_head.push((format!("{p}/{root}{name}"), mode, e.id())),
                        _ => bad = true,
                    }
                }
                git2::TreeWalkResult::Ok
            })
            .ok()?;
            if bad {
                return None;
            }
        }
        in_head.sort_unstable();
        in_head.dedup();
        let mut listed: Vec<(&str, u32, git2::Oid)> = entries.iter().map(|e| (e.path, e.mode, e.id)).collect();
        listed.sort_unstable();
        Some(listed.len() == in_head.len() && listed.iter().zip(&in_head).all(|(a, b)| *a == (&b.0[..], b.1, b.2)))
    }

    /// Whether every file in the folder `dir` (at `rel` from the top) that
    /// the index does not list is ignored; `None` when that cannot be told.
    fn only_ignored(&self, tracked: &HashSet<&str>, dir: &Path, rel: &str) -> Option<bool> {
        for entry in std::fs::read_dir(dir).ok()? {
            let entry = entry.ok()?;
            let name = entry.file_name();
            let path = format!("{rel}/{}", name.to_str()?);
            if entry.file_type().ok()?.is_dir() {
                // Another repository inside: libgit2 says what it is.
                if name == ".git" || entry.path().join(".git").exists() {
                    return None;
                }
                if !self.only_ignored(tracked, &entry.path(), &path)? {
                    return Some(false);
                }
            } else if !tracked.contains(path.as_str()) && !self.repo.is_path_ignored(&path).ok()? {
                return Some(false);
            }
        }
        Some(true)
    }
}

impl Pending {
    /// Whether each file under `workdir` is as the index saw it: its status
    /// as `known` gives it (a stamp taken as the file was read, by its path
    /// from the top of the work tree), else as read now. A file stamped as
    /// late as the index was written is compared by its bytes as well.
    pub fn verify(&self, workdir: &Path, known: &dyn Fn(&str) -> Option<Stamp>) -> bool {
        self.files.iter().all(|(path, id, recorded)| {
            let full = workdir.join(path);
            // A link's stamp is always its own, read now.
            let stamp = match known(path).filter(|_| recorded.mode != 0o120000) {
                Some(stamp) => stamp,
                None => match std::fs::symlink_metadata(&full) {
                    Ok(meta) => Stamp::of(&meta),
                    Err(_) => return false,
                },
            };
            if stamp != *recorded {
                return false;
            }
            if recorded.mtime < self.written {
                return true;
            }
            let bytes = match recorded.mode {
                0o120000 => std::fs::read_link(&full).map(|t| t.into_os_string().into_encoded_bytes()),
                _ => std::fs::read(&full),
            };
            bytes.ok().and_then(|b| git2::Oid::hash_object(git2::ObjectType::Blob, &b).ok()) == Some(*id)
        })
    }
}

/// Whether nothing under `paths` is staged, changed or untracked, as far
/// as the index shows ([`Repo::clean_but_files`], each file's status read now).
pub(super) fn clean(repo: &Repo, paths: &[String]) -> bool {
    repo.clean_but_files(paths).is_some_and(|pending| pending.verify(&repo.workdir, &|_| None))
}

/// Whether `path` is `under` or in it.
fn is_under(path: &str, under: &str) -> bool {
    path.strip_prefix(under).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "a")
            .env("GIT_AUTHOR_EMAIL", "a@example.no")
            .env("GIT_COMMITTER_NAME", "a")
            .env("GIT_COMMITTER_EMAIL", "a@example.no")
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// A repository with a committed folder `tiltak/` and `portfolio.yaml`,
    /// its files' stamps a day old (so none is racily clean).
    fn repo() -> (tempfile::TempDir, Repo) {
        let dir = tempfile::tempdir().expect("tempdir");
        let top = dir.path();
        git(top, &["init", "-q", "-b", "main"]);
        std::fs::create_dir_all(top.join("tiltak/1-ide")).expect("mkdir");
        std::fs::create_dir_all(top.join("tiltak/2-problem")).expect("mkdir");
        for (name, text) in [
            ("tiltak/1-ide/DD-001-a.md", "a\n"),
            ("tiltak/1-ide/DD-002-b.md", "b\n"),
            ("tiltak/2-problem/DD-003-c.md", "c\n"),
            ("tiltak/2-problem/.gitkeep", ""),
            ("portfolio.yaml", "name: x\n"),
            ("README.md", "r\n"),
            (".gitignore", "*.tmp\n"),
        ] {
            std::fs::write(top.join(name), text).expect("write");
        }
        age(top);
        git(top, &["add", "-A"]);
        git(top, &["commit", "-qm", "first"]);
        let repo = Repo::discover(top).expect("repo");
        (dir, repo)
    }

    /// Every file's times set a day back.
    fn age(dir: &Path) {
        let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
        for entry in walk(dir) {
            let file = std::fs::File::options().write(true).open(&entry).expect("open");
            file.set_times(std::fs::FileTimes::new().set_modified(day_ago).set_accessed(day_ago)).expect("times");
        }
    }

    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
            if e.file_name() == ".git" {
                continue;
            }
            if e.file_type().expect("type").is_dir() { out.extend(walk(&e.path())) } else { out.push(e.path()) }
        }
        out
    }

    fn paths() -> Vec<String> {
        vec!["tiltak".into(), "portfolio.yaml".into()]
    }

    /// libgit2's answer, for comparison.
    fn changed(repo: &Repo) -> bool {
        let mut options = git2::StatusOptions::new();
        options.include_untracked(true).recurse_untracked_dirs(true).exclude_submodules(true);
        for p in paths() {
            options.pathspec(p);
        }
        !repo.repo.statuses(Some(&mut options)).expect("status").is_empty()
    }

    #[test]
    fn a_clean_tree_is_shown_clean_and_every_change_is_not() {
        let (dir, repo) = repo();
        let top = dir.path();
        assert!(!changed(&repo));
        assert!(clean(&repo, &paths()), "a clean tree");
        // Outside the paths asked about: still clean.
        std::fs::write(top.join("README.md"), "changed\n").expect("write");
        std::fs::write(top.join("notes.txt"), "untracked\n").expect("write");
        assert!(clean(&repo, &paths()), "changes elsewhere");
        // An ignored file inside: clean, as libgit2 says.
        std::fs::write(top.join("tiltak/1-ide/scratch.tmp"), "x").expect("write");
        assert!(!changed(&repo));
        assert!(clean(&repo, &paths()), "an ignored file");
        // An empty folder: nothing to Git.
        std::fs::create_dir_all(top.join("tiltak/3-konsept")).expect("mkdir");
        assert!(clean(&repo, &paths()), "an empty folder");

        type Change = fn(&Path);
        let changes: [(&str, Change); 10] = [
            ("content, same size", |t| std::fs::write(t.join("tiltak/1-ide/DD-001-a.md"), "A\n").expect("w")),
            ("content, other size", |t| std::fs::write(t.join("tiltak/1-ide/DD-001-a.md"), "aa\n").expect("w")),
            ("deleted", |t| std::fs::remove_file(t.join("tiltak/1-ide/DD-002-b.md")).expect("rm")),
            ("untracked", |t| std::fs::write(t.join("tiltak/2-problem/DD-004-d.md"), "d\n").expect("w")),
            ("untracked, deeper", |t| {
                std::fs::create_dir_all(t.join("tiltak/3-konsept/x")).expect("mkdir");
                std::fs::write(t.join("tiltak/3-konsept/x/DD-005.md"), "e\n").expect("w");
            }),
            ("portfolio.yaml", |t| std::fs::write(t.join("portfolio.yaml"), "name: y\n").expect("w")),
            ("staged and put back", |t| {
                std::fs::write(t.join("tiltak/1-ide/DD-001-a.md"), "staged\n").expect("w");
                git(t, &["add", "tiltak"]);
                std::fs::write(t.join("tiltak/1-ide/DD-001-a.md"), "a\n").expect("w");
            }),
            ("moved, staged", |t| git(t, &["mv", "tiltak/1-ide/DD-002-b.md", "tiltak/2-problem/DD-002-b.md"])),
            ("staged as the work tree is", |t| {
                std::fs::write(t.join("tiltak/1-ide/DD-001-a.md"), "later\n").expect("w");
                git(t, &["commit", "-qam", "later"]);
                git(t, &["reset", "-q", "--soft", "HEAD~1"]);
            }),
            ("made executable", |t| {
                use std::os::unix::fs::PermissionsExt;
                let file = t.join("tiltak/1-ide/DD-001-a.md");
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).expect("chmod");
            }),
        ];
        for (what, change) in changes {
            let (dir, repo) = self::repo();
            change(dir.path());
            assert!(changed(&repo), "libgit2 sees no change: {what}");
            assert!(!clean(&repo, &paths()), "shown clean: {what}");
        }
    }

    fn stamp(file: &Path, when: std::time::SystemTime) {
        std::fs::File::options().write(true).open(file).and_then(|f| f.set_modified(when)).expect("stamp");
    }

    #[test]
    fn a_file_touched_or_racily_clean_is_compared_by_its_bytes() {
        // Touched, same bytes: the stamp differs, so it is not shown clean
        // (libgit2 then hashes it and finds it unchanged).
        let (dir, repo) = repo();
        let file = dir.path().join("tiltak/1-ide/DD-001-a.md");
        stamp(&file, std::time::SystemTime::now());
        assert!(!changed(&repo));
        assert!(!clean(&repo, &paths()));
        // Racily clean: stamped at or after the index was written, so the
        // stamp cannot tell a later change; the bytes decide.
        let (dir, repo) = self::repo();
        let top = dir.path();
        let file = top.join("tiltak/1-ide/DD-001-a.md");
        stamp(&file, std::time::SystemTime::now() + std::time::Duration::from_secs(3600));
        git(top, &["update-index", "--refresh", "-q"]);
        assert!(!changed(&repo));
        assert!(clean(&repo, &paths()), "racily clean, same bytes");
        // Changed in the same size with the index's stamps still matching
        // (the race: written again within the stamp's resolution): the
        // hash tells. The index is given the file's new status by hand.
        std::fs::write(&file, "A\n").expect("write");
        stamp(&file, std::time::SystemTime::now() + std::time::Duration::from_secs(3600));
        let meta = std::fs::metadata(&file).expect("meta");
        let index = top.join(".git/index");
        let mut bytes = std::fs::read(&index).expect("index");
        let at = bytes.windows(24).position(|w| w == b"tiltak/1-ide/DD-001-a.md").expect("entry") - 62;
        {
            use std::os::unix::fs::MetadataExt;
            let fields = [
                meta.ctime(),
                meta.ctime_nsec(),
                meta.mtime(),
                meta.mtime_nsec(),
                meta.dev() as i64,
                meta.ino() as i64,
            ];
            for (i, v) in fields.into_iter().enumerate() {
                bytes[at + i * 4..at + i * 4 + 4].copy_from_slice(&(v as u32).to_be_bytes());
            }
        }
        std::fs::write(&index, &bytes).expect("index");
        assert!(!clean(&repo, &paths()), "racily clean, other bytes");
    }

    #[test]
    fn stamps_taken_as_the_files_were_read_stand_for_reading_them_again() {
        let (dir, repo) = repo();
        let pending = repo.clean_but_files(&paths()).expect("tree and index agree");
        let stamp = |path: &str| {
            let file = std::fs::File::open(dir.path().join(path)).ok()?;
            Some(Stamp::of(&file.metadata().ok()?))
        };
        assert!(pending.verify(&repo.workdir, &stamp), "each file's own stamp");
        // A stamp that is not the file's (another file's): not shown clean.
        let other = stamp("README.md").expect("stamp");
        assert!(!pending.verify(&repo.workdir, &|_| Some(other)));
        // Untracked: nothing is left to compare.
        std::fs::write(dir.path().join("tiltak/1-ide/DD-009.md"), "x").expect("write");
        assert!(repo.clean_but_files(&paths()).is_none());
    }

    #[test]
    fn the_index_cache_of_trees_is_read_where_it_holds_a_folder_valid() {
        let (dir, repo) = repo();
        let top = dir.path();
        let trees = |top: &Path| {
            let bytes = std::fs::read(top.join(".git/index")).expect("index");
            let (_, trees) = read(&bytes).expect("index");
            let trees = trees.expect("a cache of trees").to_vec();
            (cached_tree(&trees, "tiltak"), cached_tree(&trees, "tiltak/2-problem"), cached_tree(&trees, "nowhere"))
        };
        let head = repo.repo.head().expect("head").peel_to_tree().expect("tree");
        let id = |p: &str| head.get_path(Path::new(p)).expect("in HEAD").id();
        assert_eq!(trees(top), (Some((id("tiltak"), 4)), Some((id("tiltak/2-problem"), 2)), None));
        // A change staged in one folder drops it (and the folders above it).
        std::fs::write(top.join("tiltak/1-ide/DD-001-a.md"), "staged\n").expect("write");
        git(top, &["add", "tiltak"]);
        assert_eq!(trees(top), (None, Some((id("tiltak/2-problem"), 2)), None));
    }

    #[test]
    fn an_index_this_does_not_read_is_none() {
        let (dir, _repo) = repo();
        let bytes = std::fs::read(dir.path().join(".git/index")).expect("index");
        let listed = entries(&bytes).expect("entries");
        assert_eq!(listed.len(), 7);
        assert!(listed.iter().any(|e| e.path == "tiltak/2-problem/.gitkeep"));
        for cut in [0, 12, 40, bytes.len() / 2, bytes.len() - 21] {
            assert_eq!(entries(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut v4 = bytes.clone();
        v4[7] = 4;
        assert_eq!(entries(&v4), None, "version 4");
        // A conflict (stage 2) in the first entry.
        let mut conflict = bytes.clone();
        conflict[12 + 60] |= 0x20;
        assert_eq!(entries(&conflict), None, "a conflict");
    }
}
