//! The steps of a walk as compact bytes: each commit's fields and its
//! changes' names written one after another, as the history cache stores
//! them (see [`super::cache`]), and read back one step at a time.
//!
//! Held as structs, the fifty thousand steps of a long history are tens of
//! megabytes in small strings (four for a commit, two for each change) that
//! the walking threads leave scattered over their heaps, pinning pages that
//! the walk's transient buffers freed around them. As bytes they are about
//! the size of the cache file, in a few large blocks; whoever traces them
//! decodes one step, uses it and drops it, and each block goes once read.
//!
//! A step: its commit, then a count of changes and each change (folder,
//! file, added). A commit: id, time, offset, author, committer, message, the
//! watched file's blob (a flag, then 20 bytes), the merged commits (a count,
//! then each a commit). Numbers are LEB128, signed ones zigzagged; a string
//! is its length in bytes, then its UTF-8.

use super::info::{CommitInfo, HexOid, Step, TreeChange};

/// Encoded steps, in line order.
pub struct Steps {
    /// Whole steps, in order; a step never spans two blocks.
    blocks: Vec<Block>,
    count: usize,
    added: usize,
    /// One step being encoded, before it goes to a block.
    scratch: Vec<u8>,
}

/// Encoded steps in `bytes[from..to]`.
struct Block {
    bytes: Vec<u8>,
    from: usize,
    to: usize,
}

/// How many bytes of steps the walk writes to one block before starting
/// another: large enough to be few, small enough that one left part empty
/// costs little.
const BLOCK: usize = 1 << 20;

impl Steps {
    pub(super) fn new() -> Steps {
        Steps { blocks: Vec::new(), count: 0, added: 0, scratch: Vec::new() }
    }

    /// Steps already encoded in `bytes[from..to]`: `count` of them, adding
    /// `added` files, as [`Reader::skip_step`] counted them.
    pub(super) fn encoded_in(bytes: Vec<u8>, from: usize, to: usize, count: usize, added: usize) -> Steps {
        let blocks = if from < to { vec![Block { bytes, from, to }] } else { Vec::new() };
        Steps { blocks, count, added, scratch: Vec::new() }
    }

    /// How many steps there are.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// How many files the steps' changes add to a folder: about one event
    /// each, so what a tracer reserves.
    pub fn added(&self) -> usize {
        self.added
    }

    /// Drop the first `n` steps, decoding none of them; `false` (and no
    /// step left) when there are fewer.
    pub fn drop_first(&mut self, mut n: usize) -> bool {
        for block in &mut self.blocks {
            let mut r = Reader { bytes: &block.bytes[..block.to], at: block.from };
            while n > 0 && r.at < block.to {
                let Some((_, added)) = r.skip_step() else { break };
                n -= 1;
                self.count -= 1;
                self.added = self.added.saturating_sub(added);
            }
            block.from = r.at;
            if n == 0 {
                break;
            }
        }
        self.blocks.retain(|b| b.from < b.to);
        if n > 0 {
            *self = Steps::new();
        }
        n == 0
    }

    /// Append one step.
    pub(super) fn push(&mut self, commit: &CommitInfo, changes: &[TreeChange]) {
        let mut w = Writer(std::mem::take(&mut self.scratch));
        w.0.clear();
        w.commit(commit);
        w.num(changes.len() as u64);
        for c in changes {
            w.str(&c.folder);
            w.str(&c.file);
            w.0.push(u8::from(c.added));
        }
        let step = w.0;
        let room = self.blocks.last().map_or(0, |b| b.bytes.capacity() - b.bytes.len());
        if room < step.len() {
            self.blocks.push(Block { bytes: Vec::with_capacity(BLOCK.max(step.len())), from: 0, to: 0 });
        }
        if let Some(block) = self.blocks.last_mut() {
            block.bytes.extend_from_slice(&step);
            block.to = block.bytes.len();
        }
        self.scratch = step;
        self.count += 1;
        self.added += changes.iter().filter(|c| c.added).count();
    }

    /// Append the steps that follow these.
    pub(super) fn append(&mut self, mut later: Steps) {
        self.blocks.append(&mut later.blocks);
        self.count += later.count;
        self.added += later.added;
    }

    /// The encoded steps, in pieces, in order.
    pub(super) fn encoded(&self) -> impl Iterator<Item = &[u8]> {
        self.blocks.iter().map(|b| &b.bytes[b.from..b.to])
    }

    /// How many bytes the encoded steps take.
    pub(super) fn encoded_len(&self) -> usize {
        self.blocks.iter().map(|b| b.to - b.from).sum()
    }
}

impl IntoIterator for Steps {
    type Item = Step;
    type IntoIter = IntoIter;

    /// The steps, decoded one at a time; each block is freed once read.
    fn into_iter(self) -> IntoIter {
        IntoIter { blocks: self.blocks.into_iter(), current: None, left: self.count }
    }
}

/// The steps of a [`Steps`], decoded one at a time.
pub struct IntoIter {
    blocks: std::vec::IntoIter<Block>,
    current: Option<Block>,
    left: usize,
}

impl Iterator for IntoIter {
    type Item = Step;

    fn next(&mut self) -> Option<Step> {
        loop {
            match &mut self.current {
                Some(block) if block.from < block.to => {
                    let mut r = Reader { bytes: &block.bytes[..block.to], at: block.from };
                    // Every step here was encoded by `push` or read over by
                    // `skip_step`, which reads what `step` reads: one that
                    // does not decode cannot happen, and ends the steps.
                    let step = r.step();
                    debug_assert!(step.is_some(), "a step that was checked does not decode");
                    block.from = if step.is_some() { r.at } else { block.to };
                    if step.is_some() {
                        self.left = self.left.saturating_sub(1);
                        return step;
                    }
                }
                _ => self.current = Some(self.blocks.next()?),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.left))
    }
}

/// Writes the numbers (7 bits a byte) and strings of the history cache's
/// layout, and of other records kept between runs (`store::stays`).
pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn num(&mut self, mut n: u64) {
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

    pub(crate) fn signed(&mut self, n: i64) {
        self.num(((n << 1) ^ (n >> 63)) as u64);
    }

    pub(crate) fn str(&mut self, s: &str) {
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

/// Reads what [`Writer`] wrote, refusing (`None`) whatever it did not.
pub(crate) struct Reader<'b> {
    pub(crate) bytes: &'b [u8],
    pub(crate) at: usize,
}

/// A commit's own fields, as written before its merged commits.
struct Head<'b> {
    id: git2::Oid,
    time: i64,
    offset_minutes: i32,
    author: &'b str,
    committer: &'b str,
    message: &'b str,
    file: Option<git2::Oid>,
}

impl<'b> Reader<'b> {
    pub(crate) fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let out = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }

    pub(crate) fn num(&mut self) -> Option<u64> {
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
    /// rest of the bytes could hold, so a corrupt count allocates nothing.
    pub(crate) fn count(&mut self, min: usize) -> Option<usize> {
        let n = usize::try_from(self.num()?).ok()?;
        (n.checked_mul(min)? <= self.bytes.len() - self.at).then_some(n)
    }

    pub(crate) fn signed(&mut self) -> Option<i64> {
        let n = self.num()?;
        Some((n >> 1) as i64 ^ -((n & 1) as i64))
    }

    pub(crate) fn str(&mut self) -> Option<&'b str> {
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

    pub(super) fn oid(&mut self) -> Option<git2::Oid> {
        git2::Oid::from_bytes(self.take(20)?).ok()
    }

    /// One step: its commit and its changes.
    fn step(&mut self) -> Option<Step> {
        let commit = self.commit(0)?;
        let changes = (0..self.count(3)?)
            .map(|_| {
                let (folder, file, added) = self.change()?;
                Some(TreeChange { folder: folder.to_owned(), file: file.to_owned(), added })
            })
            .collect::<Option<Vec<_>>>()?;
        Some((commit, changes))
    }

    /// Read over one step as [`Reader::step`] reads it, keeping nothing:
    /// its commit's id, and how many files it adds.
    pub(super) fn skip_step(&mut self) -> Option<(git2::Oid, usize)> {
        let id = self.skip_commit(0)?;
        let mut added = 0;
        for _ in 0..self.count(3)? {
            added += usize::from(self.change()?.2);
        }
        Some((id, added))
    }

    /// A change: its folder, its file and whether the file arrived.
    fn change(&mut self) -> Option<(&'b str, &'b str, bool)> {
        Some((self.str()?, self.str()?, self.flag()?))
    }

    fn head(&mut self, depth: usize) -> Option<Head<'b>> {
        // A merge's commits are one level deep; more is a corrupt file.
        if depth > 1 {
            return None;
        }
        Some(Head {
            id: self.oid()?,
            time: self.signed()?,
            offset_minutes: i32::try_from(self.signed()?).ok()?,
            author: self.str()?,
            committer: self.str()?,
            message: self.str()?,
            file: if self.flag()? { Some(self.oid()?) } else { None },
        })
    }

    fn commit(&mut self, depth: usize) -> Option<CommitInfo> {
        let head = self.head(depth)?;
        let merged = (0..self.count(27)?).map(|_| self.commit(depth + 1)).collect::<Option<Vec<_>>>()?;
        let id = head.id;
        Some(CommitInfo {
            id,
            short: id.to_string()[..7].to_owned(),
            time: head.time,
            offset_minutes: head.offset_minutes,
            author: head.author.to_owned(),
            committer: head.committer.to_owned(),
            message: head.message.to_owned(),
            merged,
            file: head.file.map(HexOid),
        })
    }

    fn skip_commit(&mut self, depth: usize) -> Option<git2::Oid> {
        let head = self.head(depth)?;
        for _ in 0..self.count(27)? {
            self.skip_commit(depth + 1)?;
        }
        Some(head.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(n: u8) -> CommitInfo {
        let id = git2::Oid::from_bytes(&[n; 20]).expect("oid");
        CommitInfo {
            id,
            short: id.to_string()[..7].to_owned(),
            time: -i64::from(n) * 86_400,
            offset_minutes: 60,
            author: "Åse".into(),
            committer: "c".into(),
            message: "x".repeat(usize::from(n) * 1000),
            merged: Vec::new(),
            file: n.is_multiple_of(3).then(|| HexOid(git2::Oid::from_bytes(&[9; 20]).expect("oid"))),
        }
    }

    #[test]
    fn steps_read_back_as_pushed_across_blocks_and_parts() {
        let change = |n: u8| TreeChange {
            folder: format!("{}-f", n % 4),
            file: format!("DD-{n}.md"),
            added: n.is_multiple_of(2),
        };
        let all: Vec<Step> = (0..=255u8)
            .map(|n| {
                let mut c = commit(n);
                if n.is_multiple_of(5) {
                    c.merged = vec![commit(n / 2)];
                }
                (c, (0..n % 7).map(change).collect())
            })
            .collect();
        // Two parts, as two walking threads make them; the messages (up to
        // 255 kB) fill several blocks and one is larger than a block.
        let mut steps = Steps::new();
        let mut later = Steps::new();
        for (k, (c, changes)) in all.iter().enumerate() {
            if k < 100 { steps.push(c, changes) } else { later.push(c, changes) }
        }
        steps.append(later);
        assert!(steps.blocks.len() > 2, "{} blocks", steps.blocks.len());
        assert_eq!(steps.len(), all.len());
        assert_eq!(steps.added(), all.iter().flat_map(|(_, c)| c).filter(|c| c.added).count());
        // Read over, each step is where decoding finds it.
        let bytes: Vec<u8> = steps.encoded().flatten().copied().collect();
        assert_eq!(bytes.len(), steps.encoded_len());
        let mut r = Reader { bytes: &bytes, at: 0 };
        for (c, _) in &all {
            assert_eq!(r.skip_step().map(|s| s.0), Some(c.id));
        }
        assert_eq!(r.at, bytes.len());
        let read: Vec<Step> = steps.into_iter().collect();
        assert_eq!(format!("{read:?}"), format!("{all:?}"));
        let again: Vec<Step> = Steps::encoded_in(bytes.clone(), 0, bytes.len(), all.len(), 0).into_iter().collect();
        assert_eq!(format!("{again:?}"), format!("{all:?}"));
    }

    #[test]
    fn the_first_steps_are_dropped_across_blocks() {
        let all: Vec<Step> = (0..=200u8)
            .map(|n| {
                (commit(n), vec![TreeChange { folder: "f".into(), file: format!("DD-{n}.md"), added: n % 3 == 0 }])
            })
            .collect();
        let make = || {
            let mut steps = Steps::new();
            for (c, changes) in &all {
                steps.push(c, changes);
            }
            steps
        };
        assert!(make().blocks.len() > 2);
        for n in [0, 1, 37, 100, 150, 200, 201] {
            let mut steps = make();
            assert!(steps.drop_first(n), "{n}");
            assert_eq!(steps.len(), all.len() - n);
            assert_eq!(steps.added(), all[n..].iter().filter(|(_, c)| c[0].added).count(), "{n}");
            let rest: Vec<Step> = steps.into_iter().collect();
            assert_eq!(format!("{rest:?}"), format!("{:?}", &all[n..]), "{n}");
        }
        let mut steps = make();
        assert!(!steps.drop_first(all.len() + 1));
        assert!(steps.is_empty() && steps.into_iter().next().is_none());
    }
}
