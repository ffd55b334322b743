//! The steps of a walk, kept between runs in `portfolio/` in the Git folder
//! (or in `$PORTFOLIO_CACHE_DIR`, for a CI whose cache cannot hold a path
//! inside `.git`), keyed by the first-parent line they cover: a report in
//! the next meeting, or a CI run restoring the cache of an older commit of
//! its branch, reads only the new commits. A rewritten history shares a
//! shorter start and is walked again from there.
//!
//! The file is a compact binary listing (a few bytes per commit of the line,
//! the steps' messages as written), read in one pass. One that cannot be
//! read — missing, cut short, from another version of the tool, for another
//! folder — is ignored and rewritten, never trusted; it is replaced
//! atomically, so a concurrent run sees the old file or the new one.

use std::path::PathBuf;

use super::Repo;
use super::info::{CommitInfo, HexOid, Step, TreeChange, Watch};

/// The variable naming another folder for the cache.
pub const CACHE_DIR_VARIABLE: &str = "PORTFOLIO_CACHE_DIR";

/// The history steps of a first-parent line, as cached between runs.
pub(super) struct HistoryCache {
    /// The first-parent line walked, oldest first.
    line: Vec<git2::Oid>,
    /// Each step, in line order.
    steps: Vec<Step>,
    /// The index in `line` of each step's commit.
    at: Vec<usize>,
}

/// The file's first bytes; the last is raised whenever the layout or what a
/// step holds changes.
const MAGIC: &[u8; 8] = b"PFHIST\x00\x03";

impl HistoryCache {
    /// The cache of this walk, if there is a readable one.
    pub(super) fn load(repo: &Repo, watch: Watch<'_>) -> Option<HistoryCache> {
        let bytes = std::fs::read(path(repo, watch)).ok()?;
        decode(&bytes, watch)
    }

    /// The first-parent line the cache covers, oldest first.
    pub(super) fn line(&self) -> &[git2::Oid] {
        &self.line
    }

    /// How many of `commits` the cached line shares from its start, and the
    /// cached steps within that start.
    pub(super) fn shared_start(self, commits: &[git2::Oid]) -> (usize, Vec<Step>) {
        let shared = self.line.iter().zip(commits).take_while(|(a, b)| a == b).count();
        let mut steps = self.steps;
        steps.truncate(self.at.iter().take_while(|&&i| i < shared).count());
        (shared, steps)
    }

    /// Where `commits` (consecutive on a first-parent line) lie in the cached
    /// line, if all of them do: the steps among them, in order.
    pub(super) fn range(self, commits: &[git2::Oid]) -> Option<Vec<Step>> {
        let first = *commits.first()?;
        let start = self.line.iter().position(|id| *id == first)?;
        let end = start + commits.len();
        if self.line.get(start..end)? != commits {
            return None;
        }
        let from = self.at.iter().take_while(|&&i| i < start).count();
        let to = self.at.iter().take_while(|&&i| i < end).count();
        let mut steps = self.steps;
        steps.truncate(to);
        steps.drain(..from);
        Some(steps)
    }

    /// Keep the steps of this line for the next run. Best effort: a
    /// read-only repository just walks again next time.
    pub(super) fn save(repo: &Repo, watch: Watch<'_>, commits: &[git2::Oid], steps: &[Step]) {
        let path = path(repo, watch);
        if let Some(bytes) = encode(watch, commits, steps) {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = crate::util::atomic::write(&path, &bytes);
        }
    }
}

fn path(repo: &Repo, watch: Watch<'_>) -> PathBuf {
    let name: String = watch.dir.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    let dir = match std::env::var_os(CACHE_DIR_VARIABLE).filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => repo.repo.path().join("portfolio"),
    };
    dir.join(format!("history-{name}.bin"))
}

// --- the layout -------------------------------------------------------------
//
// MAGIC, the watched folder and file (strings), the line (a count, then 20
// bytes per commit), the steps (a count, then each: its index in the line,
// the commit, its changes). A commit: id, time, offset, author, committer,
// message, the watched file's blob (a flag, then 20 bytes), the merged
// commits (a count, then each a commit). A change: folder, file, added.
// Numbers are LEB128, signed ones zigzagged; a string is its length in bytes,
// then its UTF-8. Last, a checksum of all that (8 bytes), so a damaged file
// is refused whole rather than read as different history.

fn encode(watch: Watch<'_>, commits: &[git2::Oid], steps: &[Step]) -> Option<Vec<u8>> {
    let index: std::collections::HashMap<git2::Oid, usize> =
        commits.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut w = Writer(Vec::with_capacity(commits.len() * 24 + steps.len() * 128));
    w.0.extend_from_slice(MAGIC);
    w.str(watch.dir);
    w.str(watch.file.unwrap_or(""));
    w.num(commits.len() as u64);
    for id in commits {
        w.0.extend_from_slice(id.as_bytes());
    }
    w.num(steps.len() as u64);
    for (commit, changes) in steps {
        w.num(*index.get(&commit.id)? as u64);
        w.commit(commit);
        w.num(changes.len() as u64);
        for c in changes {
            w.str(&c.folder);
            w.str(&c.file);
            w.0.push(u8::from(c.added));
        }
    }
    let sum = checksum(&w.0);
    w.0.extend_from_slice(&sum.to_le_bytes());
    Some(w.0)
}

/// A checksum that any change to one 8-byte word of `bytes` changes: each
/// step is one-to-one in the running sum and in the word.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h = 0x6a09_e667_f3bc_c908u64 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    let mut step = |w: u64| {
        h = (h ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^= h >> 29;
    };
    for c in &mut chunks {
        step(u64::from_le_bytes(c.try_into().unwrap_or_default()));
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    step(u64::from_le_bytes(tail));
    h
}

struct Writer(Vec<u8>);

impl Writer {
    fn num(&mut self, mut n: u64) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    fn signed(&mut self, n: i64) {
        self.num(((n << 1) ^ (n >> 63)) as u64);
    }

    fn str(&mut self, s: &str) {
        self.num(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn commit(&mut self, c: &CommitInfo) {
        self.0.extend_from_slice(c.id.as_bytes());
        self.signed(c.time);
        self.signed(i64::from(c.offset_minutes));
        self.str(&c.author);
        self.str(&c.committer);
        self.str(&c.message);
        match c.file {
            Some(HexOid(blob)) => {
                self.0.push(1);
                self.0.extend_from_slice(blob.as_bytes());
            }
            None => self.0.push(0),
        }
        self.num(c.merged.len() as u64);
        for m in &c.merged {
            self.commit(m);
        }
    }
}

fn decode(bytes: &[u8], watch: Watch<'_>) -> Option<HistoryCache> {
    let (bytes, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if checksum(bytes).to_le_bytes() != sum {
        return None;
    }
    let mut r = Reader { bytes, at: 0 };
    if r.take(MAGIC.len())? != MAGIC || r.str()? != watch.dir || r.str()? != watch.file.unwrap_or("") {
        return None;
    }
    let n = r.count(20)?;
    let line = (0..n).map(|_| r.oid()).collect::<Option<Vec<_>>>()?;
    let count = r.count(21)?;
    let mut steps = Vec::with_capacity(count);
    let mut at = Vec::with_capacity(count);
    let mut last = None;
    for _ in 0..count {
        let index = r.num()? as usize;
        // Steps are in line order, each on the line, its own commit.
        if index >= line.len() || last.is_some_and(|l| index <= l) {
            return None;
        }
        last = Some(index);
        let commit = r.commit(0)?;
        if commit.id != line[index] {
            return None;
        }
        let changes = (0..r.count(3)?)
            .map(|_| Some(TreeChange { folder: r.str()?.to_owned(), file: r.str()?.to_owned(), added: r.flag()? }))
            .collect::<Option<Vec<_>>>()?;
        steps.push((commit, changes));
        at.push(index);
    }
    (r.at == bytes.len()).then_some(HistoryCache { line, steps, at })
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let out = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }

    fn num(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.take(1)?.first()?;
            n |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    /// A count of items of at least `min` bytes each: never more than the
    /// rest of the file could hold, so a corrupt count allocates nothing.
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = usize::try_from(self.num()?).ok()?;
        (n.checked_mul(min)? <= self.bytes.len() - self.at).then_some(n)
    }

    fn signed(&mut self) -> Option<i64> {
        let n = self.num()?;
        Some((n >> 1) as i64 ^ -((n & 1) as i64))
    }

    fn str(&mut self) -> Option<&'b str> {
        let n = self.count(1)?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn flag(&mut self) -> Option<bool> {
        match *self.take(1)?.first()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn oid(&mut self) -> Option<git2::Oid> {
        git2::Oid::from_bytes(self.take(20)?).ok()
    }

    fn commit(&mut self, depth: usize) -> Option<CommitInfo> {
        // A merge's commits are one level deep; more is a corrupt file.
        if depth > 1 {
            return None;
        }
        let id = self.oid()?;
        let time = self.signed()?;
        let offset_minutes = i32::try_from(self.signed()?).ok()?;
        let author = self.str()?.to_owned();
        let committer = self.str()?.to_owned();
        let message = self.str()?.to_owned();
        let file = if self.flag()? { Some(HexOid(self.oid()?)) } else { None };
        let merged = (0..self.count(27)?).map(|_| self.commit(depth + 1)).collect::<Option<Vec<_>>>()?;
        Some(CommitInfo {
            id,
            short: id.to_string()[..7].to_owned(),
            time,
            offset_minutes,
            author,
            committer,
            message,
            merged,
            file,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WATCH: Watch<'static> = Watch { dir: "tiltak", marker: "Tiltak", file: Some("portfolio.yaml") };

    fn commit(n: u8) -> CommitInfo {
        let id = git2::Oid::from_bytes(&[n; 20]).expect("oid");
        CommitInfo {
            id,
            short: id.to_string()[..7].to_owned(),
            time: 1_700_000_000 - i64::from(n) * 86_400,
            offset_minutes: -120,
            author: "Åse".into(),
            committer: "c".into(),
            message: format!("advance DD-{n}\n\nTiltak: DD-{n}\n"),
            merged: Vec::new(),
            file: (n == 2).then(|| HexOid(git2::Oid::from_bytes(&[9; 20]).expect("oid"))),
        }
    }

    fn sample() -> (Vec<git2::Oid>, Vec<Step>) {
        let line: Vec<git2::Oid> = (1..=4).map(|n| git2::Oid::from_bytes(&[n; 20]).expect("oid")).collect();
        let mut merge = commit(4);
        merge.merged = vec![commit(7)];
        let change = |f: &str, added| TreeChange { folder: "2-problem".into(), file: f.into(), added };
        let steps = vec![
            (commit(1), vec![change("DD-1-a.md", true)]),
            (commit(2), Vec::new()),
            (merge, vec![change("DD-1-a.md", false), change("DD-2-b.md", true)]),
        ];
        (line, steps)
    }

    fn same(a: &[Step], b: &[Step]) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    #[test]
    fn a_written_cache_reads_back_as_written() {
        let (line, steps) = sample();
        let bytes = encode(WATCH, &line, &steps).expect("encode");
        let (shared, read) = decode(&bytes, WATCH).expect("decode").shared_start(&line);
        assert_eq!(shared, 4);
        assert!(same(&read, &steps), "{read:?}");
        // Another folder or file is another cache.
        assert!(decode(&bytes, Watch { dir: "other", ..WATCH }).is_none());
        assert!(decode(&bytes, Watch { file: None, ..WATCH }).is_none());
        // A range of the line is served from it; one off the line is not.
        let range = decode(&bytes, WATCH).expect("decode").range(&line[2..]).expect("on the line");
        assert!(same(&range, &steps[2..]), "{range:?}");
        let off = git2::Oid::from_bytes(&[8; 20]).expect("oid");
        assert!(decode(&bytes, WATCH).expect("decode").range(&[off]).is_none());
    }

    #[test]
    fn every_damaged_or_foreign_cache_is_refused_without_a_panic() {
        let (line, steps) = sample();
        let bytes = encode(WATCH, &line, &steps).expect("encode");
        // Cut anywhere, or any one byte changed, it is refused.
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut], WATCH).is_none(), "cut at {cut}");
        }
        for at in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] ^= flip;
                assert!(decode(&damaged, WATCH).is_none(), "byte {at} ^ {flip:#x}");
            }
        }
        let mut other_version = bytes.clone();
        other_version[7] = 2;
        assert!(decode(&other_version, WATCH).is_none());
        assert!(decode(b"{\"version\":2}", WATCH).is_none(), "the old JSON cache");
        let mut longer = bytes;
        longer.push(0);
        assert!(decode(&longer, WATCH).is_none(), "trailing bytes");
    }
}
