//! Reading tree objects straight from the pack files, for the history walk,
//! and the order objects lie in the packs ([`storage_order`]), for reading
//! many blobs through libgit2 from one end of a pack to the other.
//!
//! libgit2 keeps only the bottom of a delta chain in its cache, so reading
//! the successive versions of a large folder applies the whole chain again
//! for each (a folder of 3 000 tiltak reads in about 1.5 ms, mostly copying).
//! Here every object a chain resolution produces is kept in a small cache of
//! this reader's own, bounded in bytes, as Git's own delta base cache does:
//! the next version of the folder is then one or two deltas away.
//!
//! An object is not rebuilt as one buffer but as a [`Rope`]: pieces of the
//! buffers it was made from (the whole object at the bottom of its chain,
//! the inserted bytes of each delta). Applying a delta then costs its
//! operations, not the size of the tree it makes, and two versions of a
//! folder compare piece by piece, skipping what they share, so a folder of
//! 9 000 entries costs what its edits cost, not its size, at every commit.
//!
//! Only what is found in a pack of the repository's own object folder is
//! read here; anything else (a loose object, an alternate, a base outside
//! the pack) is left to libgit2, so the answer is always Git's.

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;

/// The pack indexes of a repository, shared by the walking threads.
pub(super) struct Packs {
    packs: Vec<Pack>,
}

struct Pack {
    file: File,
    len: u64,
    /// The pack's index file (version 2) as read: a fan-out table
    /// (`fanout(b)` objects have a first byte ≤ b), the sorted object ids,
    /// their checksums and their offsets in the pack, checked at opening
    /// to be there (the table of large offsets only when one is read: an
    /// object whose offset cannot be read is left to libgit2).
    index: Vec<u8>,
    /// How many objects the pack holds.
    n: usize,
}

/// A version 2 pack index's first bytes, and where its tables start.
const INDEX_MAGIC: &[u8; 8] = b"\xfftOc\0\0\0\x02";
const FANOUT_AT: usize = 8;
const IDS_AT: usize = FANOUT_AT + 1024;

/// Where the table of small offsets starts in an index of `n` objects
/// (after the ids and their checksums).
fn small_offsets_at(n: usize) -> usize {
    IDS_AT + 24 * n
}

/// An object's offset from its entry `small` in the table of small
/// offsets: itself, or (high bit set) an entry of the table of large
/// offsets after it, read by `large` from its place in the index.
fn offset_of(small: u32, n: usize, large: impl FnOnce(usize) -> Option<[u8; 8]>) -> Option<u64> {
    if small & 0x8000_0000 == 0 {
        return Some(u64::from(small));
    }
    large(small_offsets_at(n) + 4 * n + 8 * (small & 0x7fff_ffff) as usize).map(u64::from_be_bytes)
}

/// An object's bytes, shared between the cache and its reader.
pub(super) type Raw = Arc<Vec<u8>>;

/// An object's bytes as pieces of shared buffers, in order.
#[derive(Clone)]
pub(super) struct Rope {
    pieces: Vec<Piece>,
    len: usize,
}

#[derive(Clone)]
struct Piece {
    buf: Raw,
    /// Where the piece lies in `buf`.
    start: usize,
    len: usize,
    /// Where the piece starts in the rope.
    at: usize,
}

impl Piece {
    fn bytes(&self) -> &[u8] {
        &self.buf[self.start..self.start + self.len]
    }
}

impl Rope {
    /// One buffer, whole.
    pub(super) fn whole(buf: Raw) -> Rope {
        let len = buf.len();
        let pieces = if len == 0 { Vec::new() } else { vec![Piece { buf, start: 0, len, at: 0 }] };
        Rope { pieces, len }
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The bytes `from..to`, appended to `out`.
    pub(super) fn copy_to(&self, from: usize, to: usize, out: &mut Vec<u8>) {
        for (p, a, b) in self.spans(from, to.min(self.len)) {
            out.extend_from_slice(&p.bytes()[a..b]);
        }
    }

    /// The pieces holding bytes `from..to`, each with the part of it
    /// (`a..b`, from the piece's own start) that lies in the range; none
    /// when the range is empty.
    fn spans(&self, from: usize, to: usize) -> impl Iterator<Item = (&Piece, usize, usize)> {
        let first = if from < to { self.pieces.partition_point(|p| p.at + p.len <= from) } else { self.pieces.len() };
        self.pieces[first..]
            .iter()
            .take_while(move |p| p.at < to)
            .map(move |p| (p, from.max(p.at) - p.at, to.min(p.at + p.len) - p.at))
    }

    /// All its bytes in one buffer.
    pub(super) fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len);
        self.copy_to(0, self.len, &mut out);
        out
    }

    /// Append a piece, joined to the last one when it continues it.
    fn push(&mut self, buf: &Raw, start: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.pieces.last_mut()
            && Arc::ptr_eq(&last.buf, buf)
            && last.start + last.len == start
        {
            last.len += len;
        } else {
            self.pieces.push(Piece { buf: buf.clone(), start, len, at: self.len });
        }
        self.len += len;
    }

    /// Append `base`'s bytes `from..from + size`; `None` past its end.
    fn push_range(&mut self, base: &Rope, from: usize, size: usize) -> Option<()> {
        let to = from.checked_add(size).filter(|&t| t <= base.len)?;
        for (p, a, b) in base.spans(from, to) {
            self.push(&p.buf, p.start + a, b - a);
        }
        Some(())
    }

    /// How many bytes two ropes share from their start. Pieces of the same
    /// buffer at the same place are equal without a look.
    pub(super) fn common_prefix(a: &Rope, b: &Rope) -> usize {
        let (mut i, mut j, mut oi, mut oj, mut n) = (0, 0, 0, 0, 0);
        while i < a.pieces.len() && j < b.pieces.len() {
            let (pa, pb) = (&a.pieces[i], &b.pieces[j]);
            let step = (pa.len - oi).min(pb.len - oj);
            if !(Arc::ptr_eq(&pa.buf, &pb.buf) && pa.start + oi == pb.start + oj) {
                let same = bytes_prefix(&pa.bytes()[oi..oi + step], &pb.bytes()[oj..oj + step]);
                if same < step {
                    return n + same;
                }
            }
            n += step;
            oi += step;
            oj += step;
            if oi == pa.len {
                i += 1;
                oi = 0;
            }
            if oj == pb.len {
                j += 1;
                oj = 0;
            }
        }
        n
    }

    /// How many bytes two ropes share at their end, at most `limit`.
    pub(super) fn common_suffix(a: &Rope, b: &Rope, limit: usize) -> usize {
        // From the end: `ri` bytes of piece `i` are not compared yet.
        let (mut i, mut j) = (a.pieces.len(), b.pieces.len());
        let (mut ri, mut rj, mut n) = (0, 0, 0);
        while n < limit {
            if ri == 0 {
                if i == 0 {
                    break;
                }
                i -= 1;
                ri = a.pieces[i].len;
            }
            if rj == 0 {
                if j == 0 {
                    break;
                }
                j -= 1;
                rj = b.pieces[j].len;
            }
            let (pa, pb) = (&a.pieces[i], &b.pieces[j]);
            let step = ri.min(rj).min(limit - n);
            if !(Arc::ptr_eq(&pa.buf, &pb.buf) && pa.start + ri == pb.start + rj) {
                let same = bytes_suffix(&pa.bytes()[ri - step..ri], &pb.bytes()[rj - step..rj]);
                if same < step {
                    return n + same;
                }
            }
            n += step;
            ri -= step;
            rj -= step;
        }
        n
    }
}

/// How many bytes two slices share from their start.
fn bytes_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 64 <= n && a[i..i + 64] == b[i..i + 64] {
        i += 64;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// How many bytes two slices share at their end.
fn bytes_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + 64 <= n && a[n - i - 64..n - i] == b[n - i - 64..n - i] {
        i += 64;
    }
    while i < n && a[n - i - 1] == b[n - i - 1] {
        i += 1;
    }
    i
}

impl Packs {
    /// The packs in `objects/pack` of the Git folder; those that cannot be
    /// read (or use an index format other than version 2) are left out.
    pub(super) fn open(git_dir: &Path) -> Packs {
        let mut packs = Vec::new();
        if let Ok(dir) = std::fs::read_dir(git_dir.join("objects").join("pack")) {
            for entry in dir.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "idx")
                    && let Some(pack) = Pack::open(&path)
                {
                    packs.push(pack);
                }
            }
        }
        Packs { packs }
    }

    /// Where an object lies: which pack and at what offset.
    fn find(&self, id: &[u8]) -> Option<(usize, u64)> {
        self.packs.iter().enumerate().find_map(|(k, p)| p.find(id).map(|o| (k, o)))
    }
}

/// The order in which to read `ids` so that the packs of `git_dir` are
/// read from start to end: indices into `ids`, by pack and offset, those
/// in no pack (loose, or unknown) last, each group in the order given.
/// Each pack's index is read once in 64 KB pieces, its ids merged with the
/// sorted `ids`, and not kept: a buffer the index's size (7 MB at 50 000
/// commits) would be freed back to the system and raise the allocator's
/// threshold for doing so, leaving the reading that follows megabytes
/// larger.
pub(super) fn storage_order(git_dir: &Path, ids: &[git2::Oid]) -> Vec<usize> {
    let mut sorted: Vec<usize> = (0..ids.len()).collect();
    sorted.sort_unstable_by_key(|&k| ids[k]);
    let mut place: Vec<Option<(usize, u64)>> = vec![None; ids.len()];
    let indexes = std::fs::read_dir(git_dir.join("objects").join("pack"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "idx"));
    for (pack, idx) in indexes.enumerate() {
        let _ = offsets_in(&idx, ids, &sorted, |k, offset| {
            place[k].get_or_insert((pack, offset));
        });
    }
    let mut order: Vec<(Option<(usize, u64)>, usize)> = place.into_iter().zip(0..).collect();
    order.sort_by_key(|&(place, k)| (place.is_none(), place, k));
    order.into_iter().map(|(_, k)| k).collect()
}

/// Call `found` with each of `ids` (visited in the order of `sorted`, its
/// indices sorted by id) that the pack index at `idx` holds, and its
/// offset in the pack. `None` when the index cannot be read as version 2.
fn offsets_in(idx: &Path, ids: &[git2::Oid], sorted: &[usize], mut found: impl FnMut(usize, u64)) -> Option<()> {
    let file = File::open(idx).ok()?;
    let mut head = [0u8; IDS_AT];
    file.read_exact_at(&mut head, 0).ok()?;
    if head[..8] != *INDEX_MAGIC {
        return None;
    }
    let n = be32(&head, FANOUT_AT + 4 * 255)? as usize;
    // The positions in the index of the ids asked for, in id order: both
    // lists are sorted, so one pass over the index's ids merges them.
    let mut at: Vec<(usize, usize)> = Vec::new();
    let mut want = sorted.iter().copied().peekable();
    let mut index_ids = Records::new(&file, IDS_AT as u64, 20);
    for k in 0..n {
        if want.peek().is_none() {
            break;
        }
        let id = index_ids.next()?;
        // Those asked for that sort before it are in no pack of this index.
        while want.next_if(|&w| ids[w].as_bytes() < id).is_some() {}
        // Every one asked for with this id (two files may hold the same text).
        while let Some(w) = want.next_if(|&w| ids[w].as_bytes() == id) {
            at.push((k, w));
        }
    }
    // Their offsets, from the table of small offsets read in order too.
    let mut smalls = Records::new(&file, small_offsets_at(n) as u64, 4);
    let (mut k, mut small) = (0, 0);
    for (position, w) in at {
        while k <= position {
            small = be32(smalls.next()?, 0)?;
            k += 1;
        }
        let large = |at: usize| {
            let mut large = [0u8; 8];
            file.read_exact_at(&mut large, at as u64).ok().map(|()| large)
        };
        found(w, offset_of(small, n, large)?);
    }
    Some(())
}

/// Records of one size read from a file in order, 64 KB at a time.
struct Records<'f> {
    file: &'f File,
    at: u64,
    size: usize,
    buf: Vec<u8>,
    next: usize,
}

impl<'f> Records<'f> {
    fn new(file: &'f File, at: u64, size: usize) -> Records<'f> {
        Records { file, at, size, buf: Vec::new(), next: 0 }
    }

    fn next(&mut self) -> Option<&[u8]> {
        if self.next + self.size > self.buf.len() {
            self.buf.resize((65536 / self.size) * self.size, 0);
            let read = self.file.read_at(&mut self.buf, self.at).ok()?;
            self.buf.truncate(read - read % self.size);
            if self.buf.is_empty() {
                return None;
            }
            self.at += self.buf.len() as u64;
            self.next = 0;
        }
        self.next += self.size;
        Some(&self.buf[self.next - self.size..self.next])
    }
}

impl Pack {
    fn open(idx: &Path) -> Option<Pack> {
        let index = std::fs::read(idx).ok()?;
        if index.get(..8)? != INDEX_MAGIC {
            return None;
        }
        let n = be32(&index, FANOUT_AT + 4 * 255)? as usize;
        // The ids, their checksums and their small offsets are all there.
        index.get(..small_offsets_at(n) + 4 * n)?;
        let file = File::open(idx.with_extension("pack")).ok()?;
        let len = file.metadata().ok()?.len();
        Some(Pack { file, len, index, n })
    }

    fn fanout(&self, b: usize) -> usize {
        be32(&self.index, FANOUT_AT + 4 * b).map_or(0, |v| (v as usize).min(self.n))
    }

    fn find(&self, id: &[u8]) -> Option<u64> {
        use std::cmp::Ordering;
        let first = *id.first()? as usize;
        let lo = if first == 0 { 0 } else { self.fanout(first - 1) };
        let (mut lo, mut hi) = (lo, self.fanout(first));
        let at = |k: usize| self.index.get(IDS_AT + 20 * k..IDS_AT + 20 * k + 20);
        // Object IDs are spread evenly: the next four bytes say about where
        // in its first byte's range an ID lies (within a few dozen places
        // of ten thousand). Steps of growing size from that guess bracket
        // it, and it is bisected there: a handful of the index's cache
        // lines are read instead of one per halving of the whole range.
        // (A damaged fan-out table may run backwards: no guess then.)
        if hi > lo + 64 {
            let next = u64::from(u32::from_be_bytes(id.get(1..5)?.try_into().ok()?));
            let guess = lo + ((next * (hi - lo) as u64) >> 32) as usize;
            let mut step = 16;
            match at(guess)?.cmp(id) {
                Ordering::Equal => return self.offset(guess),
                Ordering::Less => {
                    let mut k = guess;
                    while k + step < hi && at(k + step)? < id {
                        k += step;
                        step *= 2;
                    }
                    (lo, hi) = (k + 1, (k + step + 1).min(hi));
                }
                Ordering::Greater => {
                    let mut k = guess;
                    while k >= lo + step && at(k - step)? > id {
                        k -= step;
                        step *= 2;
                    }
                    (lo, hi) = (k.saturating_sub(step).max(lo), k);
                }
            }
        }
        while lo < hi {
            let mid = (lo + hi) / 2;
            match at(mid)?.cmp(id) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return self.offset(mid),
            }
        }
        None
    }

    /// The offset in the pack of the `k`th object (by id).
    fn offset(&self, k: usize) -> Option<u64> {
        let small = be32(&self.index, small_offsets_at(self.n) + 4 * k)?;
        offset_of(small, self.n, |at| self.index.get(at..at + 8)?.try_into().ok())
    }
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// Object types in a pack entry's header.
const OFS_DELTA: u8 = 6;
const REF_DELTA: u8 = 7;

/// What a pack entry is: a whole object or a delta on a base.
enum Entry {
    Whole { data_at: u64, size: usize },
    Delta { base: Base, data_at: u64, size: usize },
}

enum Base {
    /// Another entry of the same pack.
    At(u64),
    /// An object named by id, possibly outside this pack.
    Id(git2::Oid),
}

/// One thread's reader: the shared indexes and its own cache of objects.
pub(super) struct Reader<'p> {
    packs: &'p Packs,
    cache: HashMap<(usize, u64), (Rope, u64)>,
    /// What the cache holds, counted as its pieces and the buffers it alone
    /// made; recounted exactly (every buffer it keeps alive) when full.
    cached_bytes: usize,
    /// The cache's bound: [`CACHE_BYTES`], or room for [`CACHE_KEEPS`] of
    /// the largest object it was offered when that is more, up to [`CACHE_MOST`].
    budget: usize,
    clock: u64,
    buffer: Vec<u8>,
    /// One inflater, reset for each object: making a new one (its window
    /// allocated, its state set up) costs more than inflating a small object.
    z: flate2::Decompress,
}

/// The cache's least bound, in bytes of object data and pieces, for each
/// reader: a few versions of the largest folders. More saves no time (the
/// next version of a folder is a delta or two from the last, which stays),
/// and what a walk frees as it moves on stays with the allocator until
/// trimmed.
const CACHE_BYTES: usize = 4 << 20;

/// How many of the largest objects the cache has room for, up to
/// [`CACHE_MOST`]: a folder's whole version at the bottom of its delta
/// chains is the base of the next versions read, and one never kept would
/// be inflated again for each of them (at 30 000 tiltak the largest
/// folder's tree passes half a megabyte: left out of a fixed 4 MB cache,
/// the cold walk inflated it again for each version built on it).
const CACHE_KEEPS: usize = 8;

/// The most the cache grows to (for each walking thread); an object over
/// half of it is not kept.
const CACHE_MOST: usize = 32 << 20;

/// What one piece of a cached rope is counted as.
const PIECE_BYTES: usize = std::mem::size_of::<Piece>();

impl<'p> Reader<'p> {
    pub(super) fn new(packs: &'p Packs) -> Self {
        Reader {
            packs,
            cache: HashMap::new(),
            cached_bytes: 0,
            budget: CACHE_BYTES,
            clock: 0,
            buffer: Vec::new(),
            z: flate2::Decompress::new(true),
        }
    }

    /// The bytes of object `id`, if it lies in one of the packs and reads
    /// cleanly; `None` leaves it to the caller (libgit2).
    #[cfg(test)]
    pub(super) fn read(&mut self, id: git2::Oid) -> Option<Vec<u8>> {
        self.rope(id).map(|r| r.to_vec())
    }

    /// Object `id` as pieces, as [`Reader::read`] gives it in one buffer.
    pub(super) fn rope(&mut self, id: git2::Oid) -> Option<Rope> {
        let (pack, offset) = self.packs.find(id.as_bytes())?;
        self.resolve(pack, offset, 0)
    }

    fn resolve(&mut self, pack: usize, offset: u64, depth: usize) -> Option<Rope> {
        // Git writes chains at most 50 deep (4095 with --depth): a longer one
        // is a broken pack, left to libgit2 to report.
        if depth > 10_000 {
            return None;
        }
        self.clock += 1;
        if let Some((raw, used)) = self.cache.get_mut(&(pack, offset)) {
            *used = self.clock;
            return Some(raw.clone());
        }
        let (rope, own) = match self.entry(pack, offset)? {
            Entry::Whole { data_at, size } => (Rope::whole(Arc::new(self.inflate(pack, data_at, size)?)), size),
            Entry::Delta { base, data_at, size } => {
                let base = match base {
                    Base::At(at) => self.resolve(pack, at, depth + 1)?,
                    Base::Id(id) => {
                        let (k, at) = self.packs.find(id.as_bytes())?;
                        self.resolve(k, at, depth + 1)?
                    }
                };
                let delta = Arc::new(self.inflate(pack, data_at, size)?);
                (apply(&base, &delta)?, size)
            }
        };
        self.keep(pack, offset, rope.clone(), own);
        Some(rope)
    }

    /// Cache `rope`, which made `own` bytes of buffer of its own.
    fn keep(&mut self, pack: usize, offset: u64, rope: Rope, own: usize) {
        let cost = own + rope.pieces.len() * PIECE_BYTES;
        if cost > CACHE_MOST / 2 {
            return;
        }
        self.budget = self.budget.max(cost.saturating_mul(CACHE_KEEPS).min(CACHE_MOST));
        while self.cached_bytes + cost > self.budget && !self.cache.is_empty() {
            // Drop the older half: a walk moves forward and rarely goes back.
            let mut ages: Vec<u64> = self.cache.values().map(|(_, used)| *used).collect();
            ages.sort_unstable();
            let cut = ages[ages.len() / 2];
            self.cache.retain(|_, (_, used)| *used > cut);
            self.cached_bytes = self.recount();
        }
        self.cached_bytes += cost;
        self.cache.insert((pack, offset), (rope, self.clock));
    }

    /// What the cache keeps alive: its pieces and every buffer they share.
    fn recount(&self) -> usize {
        let mut seen = std::collections::HashSet::new();
        let mut bytes = 0;
        for (rope, _) in self.cache.values() {
            bytes += rope.pieces.len() * PIECE_BYTES;
            for p in &rope.pieces {
                if seen.insert(Arc::as_ptr(&p.buf)) {
                    bytes += p.buf.capacity();
                }
            }
        }
        bytes
    }

    /// The header of the entry at `offset`.
    fn entry(&mut self, pack: usize, offset: u64) -> Option<Entry> {
        let mut head = [0u8; 32];
        let p = &self.packs.packs[pack];
        let n = p.file.read_at(&mut head, offset).ok()?;
        let head = &head[..n];
        let mut i = 0;
        let mut c = *head.get(i)?;
        let kind = (c >> 4) & 7;
        let mut size = usize::from(c & 15);
        let mut shift = 4;
        while c & 0x80 != 0 {
            i += 1;
            c = *head.get(i)?;
            size |= usize::from(c & 0x7f).checked_shl(shift)?;
            shift += 7;
        }
        i += 1;
        match kind {
            1..=4 => Some(Entry::Whole { data_at: offset + i as u64, size }),
            OFS_DELTA => {
                let mut c = *head.get(i)?;
                let mut back = u64::from(c & 0x7f);
                while c & 0x80 != 0 {
                    i += 1;
                    c = *head.get(i)?;
                    back = ((back + 1).checked_shl(7)?) | u64::from(c & 0x7f);
                }
                i += 1;
                let base = offset.checked_sub(back).filter(|&b| b < offset)?;
                Some(Entry::Delta { base: Base::At(base), data_at: offset + i as u64, size })
            }
            REF_DELTA => {
                let id = git2::Oid::from_bytes(head.get(i..i + 20)?).ok()?;
                Some(Entry::Delta { base: Base::Id(id), data_at: offset + i as u64 + 20, size })
            }
            _ => None,
        }
    }

    /// Inflate the zlib stream at `at` to exactly `size` bytes.
    fn inflate(&mut self, pack: usize, at: u64, size: usize) -> Option<Vec<u8>> {
        let p = &self.packs.packs[pack];
        // One byte more than the header says, so a longer stream shows.
        let mut out = Vec::with_capacity(size + 1);
        let z = &mut self.z;
        z.reset(true);
        let mut pos = at;
        // Compressed data is rarely larger than what it holds, plus a little.
        let mut chunk = (size / 2 + 64).clamp(256, 1 << 20);
        loop {
            let want = chunk.min(p.len.saturating_sub(pos) as usize);
            if want == 0 {
                return None;
            }
            self.buffer.resize(want, 0);
            let got = p.file.read_at(&mut self.buffer, pos).ok()?;
            let (before_in, before_out) = (z.total_in(), out.len());
            let status = z.decompress_vec(&self.buffer[..got], &mut out, flate2::FlushDecompress::None).ok()?;
            pos += z.total_in() - before_in;
            if status == flate2::Status::StreamEnd {
                break;
            }
            if out.len() > size || (z.total_in() == before_in && out.len() == before_out) {
                return None;
            }
            chunk = (chunk * 2).min(1 << 20);
        }
        (out.len() == size).then_some(out)
    }
}

/// Apply a Git delta to its base: the result's pieces, not its bytes.
fn apply(base: &Rope, delta: &Raw) -> Option<Rope> {
    let mut i = 0;
    let mut varint = || -> Option<usize> {
        let mut value = 0usize;
        let mut shift = 0;
        loop {
            let c = *delta.get(i)?;
            i += 1;
            value |= usize::from(c & 0x7f).checked_shl(shift)?;
            shift += 7;
            if c & 0x80 == 0 {
                return Some(value);
            }
        }
    };
    let (from, to) = (varint()?, varint()?);
    if from != base.len() {
        return None;
    }
    let mut out = Rope { pieces: Vec::new(), len: 0 };
    while i < delta.len() {
        let op = delta[i];
        i += 1;
        if op & 0x80 != 0 {
            let mut offset = 0usize;
            let mut size = 0usize;
            for k in 0..4 {
                if op & (1 << k) != 0 {
                    offset |= usize::from(*delta.get(i)?) << (8 * k);
                    i += 1;
                }
            }
            for k in 0..3 {
                if op & (0x10 << k) != 0 {
                    size |= usize::from(*delta.get(i)?) << (8 * k);
                    i += 1;
                }
            }
            if size == 0 {
                size = 0x10000;
            }
            out.push_range(base, offset, size)?;
        } else if op != 0 {
            let n = usize::from(op);
            if i + n > delta.len() {
                return None;
            }
            out.push(delta, i, n);
            i += n;
        } else {
            return None;
        }
        if out.len > to {
            return None;
        }
    }
    (out.len == to).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delta_copies_and_inserts() {
        let rope = |b: &[u8]| Rope::whole(Arc::new(b.to_vec()));
        let run = |base: &[u8], delta: &[u8]| apply(&rope(base), &Arc::new(delta.to_vec())).map(|r| r.to_vec());
        let base = b"hello, world";
        // from 12 to 11: copy 0..7 ("hello, "), insert "git!"
        let delta = [12, 11, 0x80 | 0x10, 7, 4, b'g', b'i', b't', b'!'];
        assert_eq!(run(base, &delta).as_deref(), Some(&b"hello, git!"[..]));
        // A wrong base size or a copy past the base's end is refused.
        assert_eq!(run(b"short", &delta), None);
        assert_eq!(run(base, &[12, 5, 0x80 | 0x01 | 0x10, 10, 5]), None);
        // An insert cut short by the delta's end is refused.
        assert_eq!(run(base, &[12, 4, 4, b'g']), None);
    }

    #[test]
    fn ropes_compare_as_their_bytes() {
        let a = Arc::new(b"0123456789abcdef".to_vec());
        let b = Arc::new(b"0123X56789abcdeY".to_vec());
        let mut cases: Vec<Rope> = Vec::new();
        // The same bytes made of different pieces, and different bytes.
        for (buf, cuts) in [(&a, vec![0, 16]), (&a, vec![0, 3, 9, 16]), (&b, vec![0, 16]), (&b, vec![0, 5, 15, 16])] {
            let mut r = Rope { pieces: Vec::new(), len: 0 };
            for w in cuts.windows(2) {
                // Shared and copied buffers both, so both ways of comparing run.
                if w[0] % 2 == 0 {
                    r.push(buf, w[0], w[1] - w[0]);
                } else {
                    r.push(&Arc::new(buf[w[0]..w[1]].to_vec()), 0, w[1] - w[0]);
                }
            }
            cases.push(r);
        }
        cases.push(Rope::whole(Arc::new(b"0123".to_vec())));
        cases.push(Rope::whole(Arc::new(Vec::new())));
        for x in &cases {
            for y in &cases {
                let (bx, by) = (x.to_vec(), y.to_vec());
                assert_eq!(Rope::common_prefix(x, y), bytes_prefix(&bx, &by));
                for limit in [0, 3, 100] {
                    assert_eq!(Rope::common_suffix(x, y, limit), bytes_suffix(&bx, &by).min(limit));
                }
                let mut part = Vec::new();
                x.copy_to(2, 11, &mut part);
                assert_eq!(part, bx[2.min(bx.len())..11.min(bx.len())]);
            }
        }
    }

    /// An index of `ids` (sorted), each at the offset of its place.
    fn index_of(ids: &[[u8; 20]]) -> Pack {
        let n = ids.len();
        let mut index = INDEX_MAGIC.to_vec();
        for b in 0..256 {
            index.extend_from_slice(&(ids.iter().filter(|id| usize::from(id[0]) <= b).count() as u32).to_be_bytes());
        }
        ids.iter().for_each(|id| index.extend_from_slice(id));
        index.extend(std::iter::repeat_n(0, 4 * n));
        (0..n).for_each(|k| index.extend_from_slice(&(k as u32).to_be_bytes()));
        Pack { file: File::open("/dev/null").expect("a file"), len: 0, index, n }
    }

    #[test]
    fn an_id_is_found_where_bisection_finds_it_in_a_large_index() {
        // Ids from a simple generator; some ranges dense, one byte empty.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut ids: Vec<[u8; 20]> = (0..60_000)
            .map(|k| {
                let mut id = [0u8; 20];
                for chunk in id.chunks_mut(8) {
                    let bytes = next().to_be_bytes();
                    chunk.copy_from_slice(&bytes[..chunk.len()]);
                }
                // Clustered: a tenth of them share their first five bytes' start.
                if k % 10 == 0 {
                    id[..4].copy_from_slice(&[0x42, 0, 0, 1]);
                }
                if id[0] == 0x17 {
                    id[0] = 0x18;
                }
                id
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let pack = index_of(&ids);
        for (k, id) in ids.iter().enumerate() {
            assert_eq!(pack.find(id), Some(k as u64), "{k}");
            // The ids just beside one, and one in the empty byte, are not there.
            for probe in [id[19].checked_add(1), id[19].checked_sub(1)].into_iter().flatten() {
                let mut other = *id;
                other[19] = probe;
                let expected = ids.binary_search(&other).ok().map(|k| k as u64);
                assert_eq!(pack.find(&other), expected);
            }
        }
        for edge in [[0u8; 20], [0xff; 20], [0x17; 20], [0x42; 20]] {
            assert_eq!(pack.find(&edge), ids.binary_search(&edge).ok().map(|k| k as u64));
        }
    }

    #[test]
    fn an_object_larger_than_the_least_bound_is_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = git2::Repository::init(dir.path()).expect("init");
        // A folder of 20 000 files: a tree of about 1 MB, above a fixed
        // 4 MB cache's share for one object.
        let blob = repo.blob(b"x\n").expect("blob");
        let mut tree = repo.treebuilder(None).expect("tree");
        for k in 0..20_000 {
            tree.insert(format!("DD-{k:05}-a-title-of-a-few-words.md"), blob, 0o100644).expect("insert");
        }
        let tree = tree.write().expect("write");
        // Committed, so that `git gc` packs it whatever its prune settings.
        let sig = git2::Signature::now("t", "t@example.org").expect("sig");
        let root = repo.find_tree(tree).expect("tree");
        repo.commit(Some("HEAD"), &sig, &sig, "big folder", &root, &[]).expect("commit");
        let gc = std::process::Command::new("git").args(["gc", "-q"]).current_dir(dir.path()).status();
        if !gc.is_ok_and(|s| s.success()) {
            return; // no git to pack with here
        }
        let packs = Packs::open(&dir.path().join(".git"));
        let mut reader = Reader::new(&packs);
        let size = reader.read(tree).expect("in the pack").len();
        assert!(size > CACHE_BYTES / 8, "the tree is large: {size} bytes");
        let at = packs.find(tree.as_bytes()).expect("found");
        assert!(reader.cache.contains_key(&at), "the whole tree is cached");
        assert!(reader.budget >= size * CACHE_KEEPS, "room for {CACHE_KEEPS} of it");
    }

    #[test]
    fn every_object_of_a_packed_repository_reads_as_libgit2_reads_it() {
        let dir = std::env::temp_dir().join(format!("portfolio-pack-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let repo = git2::Repository::init(&dir).expect("init");
        let sig = git2::Signature::now("t", "t@example.org").expect("sig");
        let mut parent: Option<git2::Oid> = None;
        // Growing trees of similar files, so the pack holds delta chains.
        for n in 0..40 {
            let mut tree = repo.treebuilder(None).expect("tree");
            for k in 0..=n {
                let text = format!("file {k}\n{}\n", "line\n".repeat(k % 7 + n % 3));
                let blob = repo.blob(text.as_bytes()).expect("blob");
                tree.insert(format!("f{k:03}.md"), blob, 0o100644).expect("insert");
            }
            let tree = repo.find_tree(tree.write().expect("write")).expect("find");
            let parents: Vec<git2::Commit<'_>> = parent.iter().map(|p| repo.find_commit(*p).expect("c")).collect();
            let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
            parent = Some(repo.commit(Some("HEAD"), &sig, &sig, &format!("c{n}"), &tree, &refs).expect("commit"));
        }
        let gc = std::process::Command::new("git").args(["gc", "-q", "--aggressive"]).current_dir(&dir).status();
        if !gc.is_ok_and(|s| s.success()) {
            return; // no git to pack with here
        }
        let repo = git2::Repository::open(&dir).expect("open");
        let odb = repo.odb().expect("odb");
        let packs = Packs::open(repo.path());
        assert!(!packs.packs.is_empty(), "git gc wrote a pack");
        let mut reader = Reader::new(&packs);
        let mut ids = Vec::new();
        odb.foreach(|id| {
            ids.push(*id);
            true
        })
        .expect("list");
        let mut deltas = 0;
        for id in &ids {
            let ours = reader.read(*id).expect("in the pack");
            let theirs = odb.read(*id).expect("libgit2 reads it");
            assert_eq!(&ours[..], theirs.data(), "object {id}");
            // And again from the cache, pieces and all.
            assert_eq!(reader.read(*id).expect("cached"), theirs.data(), "object {id}, cached");
            if let Some((k, at)) = packs.find(id.as_bytes())
                && matches!(reader.entry(k, at), Some(Entry::Delta { .. }))
            {
                deltas += 1;
            }
        }
        assert!(deltas > 0, "the test pack holds deltas");

        // The storage order lists every id once, by its offset as `git
        // show-index` gives it, an id in no pack last.
        let mut asked = ids.clone();
        asked.insert(3, git2::Oid::from_bytes(&[7; 20]).expect("oid"));
        asked.push(ids[5]); // asked for twice
        let order = storage_order(repo.path(), &asked);
        let mut every = order.clone();
        every.sort_unstable();
        assert_eq!(every, (0..asked.len()).collect::<Vec<_>>(), "each index once");
        assert_eq!(*order.last().expect("some"), 3, "the unknown id comes last");
        let twice = order.iter().position(|&k| k == asked.len() - 1).expect("listed");
        assert_eq!(order[twice - 1], 6, "the same blob beside its first asking, by offset too");
        let asked = &asked[..asked.len() - 1];
        let order: Vec<usize> = order.into_iter().filter(|&k| k < asked.len()).collect();
        let idx = std::fs::read_dir(dir.join(".git/objects/pack"))
            .expect("pack folder")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "idx"))
            .expect("an index");
        let shown = std::process::Command::new("git")
            .arg("show-index")
            .stdin(std::fs::File::open(&idx).expect("index"))
            .output()
            .expect("git show-index");
        let offsets: std::collections::HashMap<String, u64> = String::from_utf8_lossy(&shown.stdout)
            .lines()
            .filter_map(|l| {
                let mut parts = l.split_whitespace();
                let offset = parts.next()?.parse().ok()?;
                Some((parts.next()?.to_owned(), offset))
            })
            .collect();
        let in_order: Vec<u64> = order[..order.len() - 1].iter().map(|&k| offsets[&asked[k].to_string()]).collect();
        assert!(in_order.windows(2).all(|w| w[0] < w[1]), "by offset: {in_order:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
