//! What is kept between runs in `portfolio/` in the Git folder (or in
//! `$PORTFOLIO_CACHE_DIR`, for a CI whose cache cannot hold a path inside
//! `.git`): the steps of a walk ([`HistoryCache`]), and records on objects
//! by their IDs ([`Notes`]).
//!
//! The steps of a walk are kept keyed by the first-parent line they cover: a report in
//! the next meeting, or a CI run restoring the cache of an older commit of
//! its branch, reads only the new commits. A rewritten history shares a
//! shorter start and is walked again from there.
//!
//! The file is a compact binary listing (a few bytes per commit of the line,
//! the steps as [`super::steps`] holds them), read over once to check it
//! and find each step's place; the steps are decoded only as they are
//! traced, from the file's own buffer. One that cannot be
//! read — missing, cut short, from another version of the tool, for another
//! folder — is ignored and rewritten, never trusted; it is replaced
//! atomically, so a concurrent run sees the old file or the new one.

use std::io::Write;
use std::path::PathBuf;

use super::Repo;
use super::info::Watch;
use super::steps::{Reader, Steps, Writer};

/// The variable naming another folder for the cache.
pub const CACHE_DIR_VARIABLE: &str = "PORTFOLIO_CACHE_DIR";

/// The history steps of a first-parent line, as cached between runs: the
/// file's bytes, whose steps are decoded only by whoever traces them.
pub(super) struct HistoryCache {
    /// The first-parent line walked, oldest first.
    line: Vec<git2::Oid>,
    /// When each commit of the line was committed.
    times: Vec<Stamp>,
    /// The whole file.
    bytes: Vec<u8>,
    /// For each step, in line order, then once more for the end of the
    /// steps: the index in `line` of its commit (the line's length at the
    /// end), where it starts in `bytes`, and how many files the steps before
    /// it add.
    at: Vec<[u32; 3]>,
}

/// A commit's committer time: seconds since 1970, and its zone's offset
/// in minutes.
pub(super) type Stamp = (i64, i32);

/// The file's first bytes; the last is raised whenever the layout or what a
/// step holds changes.
const MAGIC: &[u8; 8] = b"PFHIST\x00\x05";

impl HistoryCache {
    /// The cache of this walk, if there is a readable one.
    pub(super) fn load(repo: &Repo, watch: Watch<'_>) -> Option<HistoryCache> {
        let bytes = std::fs::read(path(repo, watch)).ok()?;
        decode(bytes, watch)
    }

    /// The first-parent line the cache covers, oldest first.
    pub(super) fn line(&self) -> &[git2::Oid] {
        &self.line
    }

    /// When each commit of [`HistoryCache::line`] was committed.
    pub(super) fn times(&self) -> &[Stamp] {
        &self.times
    }

    /// How many of `commits` the cached line shares from its start, and the
    /// cached steps within that start.
    pub(super) fn shared_start(self, commits: &[git2::Oid]) -> (usize, Steps) {
        let shared = self.line.iter().zip(commits).take_while(|(a, b)| a == b).count();
        let to = self.first_at(shared);
        (shared, self.steps(0, to))
    }

    /// Where `commits` (consecutive on a first-parent line) lie in the cached
    /// line, if all of them do: the steps among them, in order.
    pub(super) fn range(self, commits: &[git2::Oid]) -> Option<Steps> {
        let first = *commits.first()?;
        let start = self.line.iter().position(|id| *id == first)?;
        let end = start + commits.len();
        if self.line.get(start..end)? != commits {
            return None;
        }
        let (from, to) = (self.first_at(start), self.first_at(end));
        Some(self.steps(from, to))
    }

    /// The first step whose commit is at or after index `i` of the line
    /// (the end's place when none is).
    fn first_at(&self, i: usize) -> usize {
        self.at.partition_point(|s| (s[0] as usize) < i).min(self.at.len() - 1)
    }

    /// Steps `from..to`, still encoded, in the file's own buffer.
    fn steps(self, from: usize, to: usize) -> Steps {
        let ([_, start, added_before], [_, stop, added_by]) = (self.at[from], self.at[to]);
        let added = (added_by - added_before) as usize;
        Steps::encoded_in(self.bytes, start as usize, stop as usize, to - from, added)
    }

    /// Keep the steps of this line for the next run. Best effort: a
    /// read-only repository just walks again next time.
    pub(super) fn save(repo: &Repo, watch: Watch<'_>, commits: &[git2::Oid], times: &[Stamp], steps: &Steps) {
        if times.len() != commits.len() {
            return;
        }
        let path = path(repo, watch);
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = crate::util::atomic::write_with(&path, |out| encode(out, watch, commits, times, steps));
    }
}

fn path(repo: &Repo, watch: Watch<'_>) -> PathBuf {
    file(repo, "history", watch.dir)
}

/// The cache file `<what>-<dir>.bin` (`dir` made a plain name) in the
/// repository's cache folder.
fn file(repo: &Repo, what: &str, dir: &str) -> PathBuf {
    let name: String = dir.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    match std::env::var_os(CACHE_DIR_VARIABLE).filter(|d| !d.is_empty()) {
        // A folder that several repositories may share (one CI cache, the
        // members of a national file): the name says whose it is, so that
        // each keeps its own instead of replacing the other's every run.
        Some(dir) => {
            let git_dir = repo.repo.path();
            let place = std::fs::canonicalize(git_dir).unwrap_or_else(|_| git_dir.to_owned());
            let bytes = place.as_os_str().as_encoded_bytes();
            let mut sum = Checksum::new(bytes.len());
            sum.add(bytes);
            PathBuf::from(dir).join(format!("{what}-{name}-{:016x}.bin", sum.finish()))
        }
        None => repo.repo.path().join("portfolio").join(format!("{what}-{name}.bin")),
    }
}

// --- notes on objects -------------------------------------------------------

/// Records kept between runs about objects, each keyed by the object's ID:
/// what a reader made of a blob, so that a later run meeting the same blob
/// need not inflate and read it again. An object's ID is a hash of its
/// bytes, so a record never goes stale; what the records mean is the
/// caller's: `name` names the file and what the records are, `version`
/// how they are written, and a file of another version, or one damaged or
/// cut short, is no notes at all, never trusted.
pub struct Notes {
    bytes: Vec<u8>,
    /// Each record's place in `bytes`.
    at: std::collections::HashMap<git2::Oid, (u32, u32)>,
}

/// The first bytes of a notes file; the last is raised whenever its layout changes.
const NOTES_MAGIC: &[u8; 8] = b"PFNOTE\x00\x01";

impl Notes {
    /// The notes `name` (written as `version` says) on the objects of
    /// folder `dir` (whose file they are: two folders' notes do not replace
    /// each other), if any.
    pub fn load(repo: &Repo, name: &str, version: &str, dir: &str) -> Notes {
        let bytes = std::fs::read(file(repo, name, dir)).ok();
        bytes
            .and_then(|bytes| decode_notes(bytes, version))
            .unwrap_or(Notes { bytes: Vec::new(), at: std::collections::HashMap::new() })
    }

    /// The record on object `id`.
    pub fn get(&self, id: git2::Oid) -> Option<&[u8]> {
        let &(from, to) = self.at.get(&id)?;
        self.bytes.get(from as usize..to as usize)
    }

    /// Every object with a record, in the file's order.
    pub fn ids(&self) -> Vec<git2::Oid> {
        let mut ids: Vec<(u32, git2::Oid)> = self.at.iter().map(|(id, (from, _))| (*from, *id)).collect();
        ids.sort_unstable();
        ids.into_iter().map(|(_, id)| id).collect()
    }

    /// `record` on object `id`, then the `keep - 1` first of these notes'
    /// other records: what [`Notes::save`] keeps of the last few objects
    /// asked about, the newest first.
    pub fn newest_first<'r>(
        &'r self,
        id: git2::Oid,
        record: &'r [u8],
        keep: usize,
    ) -> impl Iterator<Item = (git2::Oid, &'r [u8])> {
        let older = self.ids().into_iter().filter(move |o| *o != id).filter_map(|o| Some((o, self.get(o)?)));
        std::iter::once((id, record)).chain(older.take(keep.saturating_sub(1)))
    }

    /// Keep `records` as the notes `name` on folder `dir`'s objects, in
    /// place of the file before. Best effort, like the history cache: a
    /// read-only repository reads the blobs again next time.
    pub fn save<'r>(
        repo: &Repo,
        name: &str,
        version: &str,
        dir: &str,
        records: impl Iterator<Item = (git2::Oid, &'r [u8])>,
    ) {
        let Some(bytes) = encode_notes(version, records) else { return };
        let path = file(repo, name, dir);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = crate::util::atomic::write(&path, &bytes);
    }
}

/// The notes file: NOTES_MAGIC, the version (a string), the count, then
/// each record's object ID (20 bytes), length and bytes; last, a checksum
/// of all that (8 bytes). `None` when it would be too large to read back.
fn encode_notes<'r>(version: &str, records: impl Iterator<Item = (git2::Oid, &'r [u8])>) -> Option<Vec<u8>> {
    let mut body = Writer(Vec::new());
    let mut count = 0u64;
    for (id, record) in records {
        body.0.extend_from_slice(id.as_bytes());
        body.num(record.len() as u64);
        body.0.extend_from_slice(record);
        count += 1;
    }
    let mut out = Writer(Vec::with_capacity(body.0.len() + 64));
    out.0.extend_from_slice(NOTES_MAGIC);
    out.str(version);
    out.num(count);
    out.0.extend_from_slice(&body.0);
    u32::try_from(out.0.len()).ok()?;
    let mut sum = Checksum::new(out.0.len());
    sum.add(&out.0);
    out.0.extend_from_slice(&sum.finish().to_le_bytes());
    Some(out.0)
}

/// Where the bytes before a file's checksum end, if its last 8 bytes are
/// the checksum of those before and the file could have been written.
fn summed(bytes: &[u8]) -> Option<usize> {
    let end = bytes.len().checked_sub(8)?;
    u32::try_from(end).ok()?;
    let mut sum = Checksum::new(end);
    sum.add(&bytes[..end]);
    (sum.finish().to_le_bytes() == bytes[end..]).then_some(end)
}

fn decode_notes(bytes: Vec<u8>, version: &str) -> Option<Notes> {
    let end = summed(&bytes)?;
    let mut r = Reader { bytes: &bytes[..end], at: 0 };
    if r.take(NOTES_MAGIC.len())? != NOTES_MAGIC || r.str()? != version {
        return None;
    }
    let n = r.count(21)?;
    let mut at = std::collections::HashMap::with_capacity(n);
    for _ in 0..n {
        let id = r.oid()?;
        let len = r.count(1)?;
        let from = r.at;
        r.take(len)?;
        at.insert(id, (from as u32, r.at as u32));
    }
    (r.at == end).then_some(Notes { bytes, at })
}

// --- the layout -------------------------------------------------------------
//
// MAGIC, the watched folder and file (strings), the line (a count, then 20
// bytes per commit), each commit's time (the seconds since the commit before
// it and the zone's offset, both signed numbers), then the steps, one after another as [`super::steps`]
// writes them, in line order: each step's commit is found in the line after
// the previous step's. Last, a checksum of all that (8 bytes), so a damaged
// file is refused whole rather than read as different history. A file
// larger than 4 GiB is neither written nor read.

/// Write the cache of `steps` on `commits` to `out`, which must hold the
/// file's whole content: a cache too large to read back is refused.
fn encode(
    out: &mut dyn Write,
    watch: Watch<'_>,
    commits: &[git2::Oid],
    times: &[Stamp],
    steps: &Steps,
) -> std::io::Result<()> {
    let mut head = Writer(Vec::new());
    head.0.extend_from_slice(MAGIC);
    head.str(watch.dir);
    head.str(watch.file.unwrap_or(""));
    head.num(commits.len() as u64);
    let mut stamps = Writer(Vec::with_capacity(4 * times.len()));
    let mut before = 0i64;
    for &(time, offset) in times {
        stamps.signed(time.wrapping_sub(before));
        stamps.signed(i64::from(offset));
        before = time;
    }
    let len = head.0.len() + 20 * commits.len() + stamps.0.len() + steps.encoded_len();
    if u32::try_from(len).is_err() {
        return Err(std::io::Error::other("the history cache would be too large to read"));
    }
    let mut sum = Checksum::new(len);
    let mut put = |bytes: &[u8]| {
        sum.add(bytes);
        out.write_all(bytes)
    };
    put(&head.0)?;
    for id in commits {
        put(id.as_bytes())?;
    }
    put(&stamps.0)?;
    for part in steps.encoded() {
        put(part)?;
    }
    out.write_all(&sum.finish().to_le_bytes())
}

/// A checksum that any change to one 8-byte word of the bytes changes: each
/// step is one-to-one in the running sum and in the word. Taken in pieces.
struct Checksum {
    h: u64,
    /// The start of a word that the last piece ended in.
    word: [u8; 8],
    filled: usize,
}

impl Checksum {
    /// For `len` bytes in all.
    fn new(len: usize) -> Checksum {
        Checksum { h: 0x6a09_e667_f3bc_c908u64 ^ len as u64, word: [0; 8], filled: 0 }
    }

    fn step(&mut self, w: [u8; 8]) {
        self.h = (self.h ^ u64::from_le_bytes(w)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.h ^= self.h >> 29;
    }

    fn add(&mut self, mut bytes: &[u8]) {
        if self.filled > 0 {
            let take = (8 - self.filled).min(bytes.len());
            self.word[self.filled..self.filled + take].copy_from_slice(&bytes[..take]);
            self.filled += take;
            bytes = &bytes[take..];
            if self.filled < 8 {
                return;
            }
            self.step(self.word);
            self.filled = 0;
        }
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.step(c.try_into().unwrap_or_default());
        }
        let rest = chunks.remainder();
        self.word[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    /// The sum, the last word padded with zeros (a whole zero word when the
    /// bytes end on a word's end).
    fn finish(mut self) -> u64 {
        self.word[self.filled..].fill(0);
        self.step(self.word);
        self.h
    }
}

fn decode(bytes: Vec<u8>, watch: Watch<'_>) -> Option<HistoryCache> {
    let end = summed(&bytes)?;
    let mut r = Reader { bytes: &bytes[..end], at: 0 };
    if r.take(MAGIC.len())? != MAGIC || r.str()? != watch.dir || r.str()? != watch.file.unwrap_or("") {
        return None;
    }
    let n = r.count(20)?;
    let line = (0..n).map(|_| r.oid()).collect::<Option<Vec<_>>>()?;
    let mut before = 0i64;
    let times = (0..n)
        .map(|_| {
            before = before.wrapping_add(r.signed()?);
            Some((before, i32::try_from(r.signed()?).ok()?))
        })
        .collect::<Option<Vec<_>>>()?;
    // Every step is read over here, so that one that would not decode
    // refuses the file now, not half-way through tracing it.
    let mut at = Vec::new();
    let (mut next, mut added) = (0, 0);
    while r.at < end {
        let start = r.at as u32;
        let (id, adds) = r.skip_step()?;
        // Steps are in line order, each on the line.
        let index = next + line.get(next..)?.iter().position(|l| *l == id)?;
        at.push([index as u32, start, added as u32]);
        next = index + 1;
        added += adds;
    }
    at.push([line.len() as u32, end as u32, u32::try_from(added).ok()?]);
    Some(HistoryCache { line, times, bytes, at })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::info::{CommitInfo, HexOid, Step, TreeChange};

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

    fn encoded(line: &[git2::Oid], steps: &[Step]) -> Vec<u8> {
        let mut encoded = Steps::new();
        for (c, changes) in steps {
            encoded.push(c, changes);
        }
        let mut bytes = Vec::new();
        let times: Vec<Stamp> =
            (0..line.len()).map(|k| (1_700_000_000 + 3_600 * k as i64, 60 - 90 * k as i32)).collect();
        encode(&mut bytes, WATCH, line, &times, &encoded).expect("encode");
        bytes
    }

    fn same(a: Steps, b: &[Step]) -> bool {
        let a: Vec<Step> = a.into_iter().collect();
        format!("{a:?}") == format!("{b:?}")
    }

    #[test]
    fn a_written_cache_reads_back_as_written() {
        let (line, steps) = sample();
        let bytes = encoded(&line, &steps);
        let cache = decode(bytes.clone(), WATCH).expect("decode");
        let times: Vec<Stamp> = (0..4i32).map(|k| (1_700_000_000 + 3_600 * i64::from(k), 60 - 90 * k)).collect();
        assert_eq!(cache.times(), times, "each commit's time and zone");
        let (shared, read) = cache.shared_start(&line);
        assert_eq!(shared, 4);
        assert_eq!((read.len(), read.added()), (3, 2));
        assert!(same(read, &steps));
        // A line that leaves the cached one after its second commit shares
        // the steps of the first two.
        let other = git2::Oid::from_bytes(&[8; 20]).expect("oid");
        let (shared, read) = decode(bytes.clone(), WATCH).expect("decode").shared_start(&[line[0], line[1], other]);
        assert_eq!(shared, 2);
        assert!(same(read, &steps[..2]));
        // Another folder or file is another cache.
        assert!(decode(bytes.clone(), Watch { dir: "other", ..WATCH }).is_none());
        assert!(decode(bytes.clone(), Watch { file: None, ..WATCH }).is_none());
        // A range of the line is served from it; one off the line is not.
        let range = decode(bytes.clone(), WATCH).expect("decode").range(&line[2..]).expect("on the line");
        assert_eq!((range.len(), range.added()), (1, 1));
        assert!(same(range, &steps[2..]));
        let range = decode(bytes.clone(), WATCH).expect("decode").range(&line[1..2]).expect("on the line");
        assert!(same(range, &steps[1..2]));
        // The third commit of the line made no step.
        let range = decode(bytes.clone(), WATCH).expect("decode").range(&line[2..3]).expect("on the line");
        assert!(same(range, &[]));
        assert!(decode(bytes, WATCH).expect("decode").range(&[other]).is_none());
    }

    #[test]
    fn notes_read_back_as_written_and_damaged_ones_are_refused() {
        let id = |n: u8| git2::Oid::from_bytes(&[n; 20]).expect("oid");
        let records: Vec<(git2::Oid, Vec<u8>)> =
            vec![(id(1), b"one".to_vec()), (id(2), Vec::new()), (id(3), vec![0; 300])];
        let bytes = encode_notes("v1", records.iter().map(|(id, r)| (*id, &r[..]))).expect("encode");
        let notes = decode_notes(bytes.clone(), "v1").expect("decode");
        for (id, record) in &records {
            assert_eq!(notes.get(*id), Some(&record[..]));
        }
        assert_eq!(notes.get(id(4)), None);
        assert_eq!(notes.ids(), [id(1), id(2), id(3)], "in the file's order");
        assert!(decode_notes(bytes.clone(), "v2").is_none(), "another version");
        for cut in 0..bytes.len() {
            assert!(decode_notes(bytes[..cut].to_vec(), "v1").is_none(), "cut at {cut}");
        }
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x10;
            assert!(decode_notes(damaged, "v1").is_none(), "byte {at}");
        }
        let empty = encode_notes("v1", std::iter::empty()).expect("encode");
        assert!(decode_notes(empty, "v1").expect("decode").ids().is_empty());
    }

    #[test]
    fn the_checksum_is_the_same_in_pieces() {
        let bytes: Vec<u8> = (0..100u8).collect();
        let whole = {
            let mut s = Checksum::new(bytes.len());
            s.add(&bytes);
            s.finish()
        };
        for cuts in [vec![3, 5, 20], vec![8, 16], vec![1, 2, 3, 4, 99], vec![]] {
            let mut s = Checksum::new(bytes.len());
            let mut at = 0;
            for cut in cuts.into_iter().chain([bytes.len()]) {
                s.add(&bytes[at..cut]);
                at = cut;
            }
            assert_eq!(s.finish(), whole);
        }
    }

    #[test]
    fn every_damaged_or_foreign_cache_is_refused_without_a_panic() {
        let (line, steps) = sample();
        let bytes = encoded(&line, &steps);
        // Cut anywhere, or any one byte changed, it is refused.
        for cut in 0..bytes.len() {
            assert!(decode(bytes[..cut].to_vec(), WATCH).is_none(), "cut at {cut}");
        }
        for at in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] ^= flip;
                assert!(decode(damaged, WATCH).is_none(), "byte {at} ^ {flip:#x}");
            }
        }
        let mut other_version = bytes.clone();
        other_version[7] = 4;
        assert!(decode(other_version, WATCH).is_none(), "the layout before this one");
        assert!(decode(b"{\"version\":2}".to_vec(), WATCH).is_none(), "the old JSON cache");
        let mut longer = bytes;
        longer.push(0);
        assert!(decode(longer, WATCH).is_none(), "trailing bytes");
        // Whole and summed, but its steps not in the order of its line, or
        // one not on it: refused too, before any step is traced.
        let mut reversed = line.clone();
        reversed.reverse();
        assert!(decode(encoded(&reversed, &steps), WATCH).is_none(), "steps out of line order");
        assert!(decode(encoded(&line[1..], &steps), WATCH).is_none(), "a step off the line");
    }
}
