//! What a report or an agenda compares of an earlier round's tiltak with
//! today's — the ID, title, state, status and risk levels, and the product
//! group and segment that `--group` and `--segment` match — kept between
//! runs as notes on the blobs they were read from (`git::Notes`).
//!
//! The next report since the same round, or since a day whose files are
//! mostly the same blobs, reads those fields from the notes instead of
//! inflating and parsing ten thousand files. A blob's ID is a hash of its
//! bytes, so a note is never out of date; a note that does not decode is
//! read again from the blob. A tiltak read from its note and one read from
//! its blob are the same value: both are made by [`Fields::tiltak`].

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::diag::Diagnostic;
use crate::domain::model::{FrontMatter, Level, Risk, State, Status};
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::{self, Tiltak};
use crate::git::{Notes, Oid, Repo};

/// The name of the notes file.
const NOTES: &str = "compared";
/// How its records are written: the number is raised whenever [`Fields`] or
/// the reading of the front matter changes what they hold. The tool's
/// version is part of it too: another release may read the same bytes
/// otherwise (a new alias of a level), and a CI cache outlives an upgrade.
const VERSION: &str = concat!("compared fields 1, portfolio ", env!("CARGO_PKG_VERSION"));

/// How many readings' worth of notes are kept when a reading adds notes:
/// its own first, then older ones, up to this many times its own count of
/// files (so a report since the last round and an agenda since the last
/// meeting, each with files of their own, usually both keep theirs; a
/// reading of a much smaller portfolio keeps fewer).
const KEEP_ROUNDS: usize = 4;
/// The notes kept however small the portfolio.
const KEEP_AT_LEAST: usize = 4096;

/// A tiltak file's text read for its compared fields: the tiltak holding
/// them and nothing else, and the note to keep on its blob.
pub fn read(def: &ProcessDefinition, path: &Path, phase: Option<usize>, text: &str) -> (Tiltak, Vec<u8>) {
    let (t, _) = tiltak::parse_front_matter(def, path, phase, text);
    let fields = Fields::of(&t);
    let note = fields.encode();
    (fields.tiltak(path, phase), note)
}

/// A file as a reading read it, with its findings, and the note its text
/// gave (none when it could not be read).
pub type ReadFile = ((Tiltak, Vec<Diagnostic>), Option<Vec<u8>>);

/// One reading's notes: the fields noted for each of its files (by blob).
pub struct Noted {
    notes: Notes,
    /// Each file's blob, in the reading's order.
    ids: Vec<Oid>,
    fields: Vec<Option<Fields>>,
}

impl Noted {
    /// The notes of folder `dir` (from the top of the repository) on the
    /// files whose blobs are `ids`.
    pub fn load(repo: &Repo, dir: &str, ids: Vec<Oid>) -> Noted {
        let notes = Notes::load(repo, NOTES, VERSION, dir);
        let fields = ids.iter().map(|id| notes.get(*id).and_then(Fields::decode)).collect();
        Noted { notes, ids, fields }
    }

    /// The files without a note, to be read (places in the reading's order).
    pub fn unnoted(&self) -> Vec<usize> {
        (0..self.ids.len()).filter(|&k| self.fields[k].is_none()).collect()
    }

    /// Every file of the reading (`files`: each one's path and phase), from
    /// its note or as `read` holds it (the [`Noted::unnoted`] ones, in that
    /// order, each with the note its text gave, if any); the new notes are
    /// kept for the next reading: this reading's first, then older ones.
    pub fn finish(
        self,
        repo: &Repo,
        dir: &str,
        files: &[(&Path, Option<usize>)],
        read: Vec<ReadFile>,
    ) -> Vec<(Tiltak, Vec<Diagnostic>)> {
        let Noted { notes, ids, fields } = self;
        let unnoted = (0..ids.len()).filter(|&k| fields[k].is_none());
        let mut new_notes: HashMap<Oid, Vec<u8>> = HashMap::new();
        let mut read_tiltak = Vec::with_capacity(read.len());
        for (k, (tiltak, note)) in unnoted.zip(read) {
            if let Some(note) = note {
                new_notes.insert(ids[k], note);
            }
            read_tiltak.push(tiltak);
        }
        let mut read = read_tiltak.into_iter();
        let all = files
            .iter()
            .zip(fields)
            .map(|(&(path, phase), fields)| match fields {
                Some(fields) => (fields.tiltak(path, phase), Vec::new()),
                None => read.next().unwrap_or_else(|| (Tiltak::unread(path, phase), Vec::new())),
            })
            .collect();
        if !new_notes.is_empty() {
            let mut kept = HashSet::new();
            let records = ids
                .iter()
                .copied()
                .chain(notes.ids())
                .filter(|id| kept.insert(*id))
                .filter_map(|id| Some((id, new_notes.get(&id).map(Vec::as_slice).or_else(|| notes.get(id))?)))
                .take((ids.len() * KEEP_ROUNDS).max(KEEP_AT_LEAST));
            Notes::save(repo, NOTES, VERSION, dir, records);
        }
        all
    }
}

/// The compared fields of one tiltak file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub readable: bool,
    pub id: Option<String>,
    pub title: Option<String>,
    pub product_group: Option<String>,
    pub segment: Option<String>,
    pub state: Option<State>,
    pub status: Option<Level>,
    pub risk: Option<Level>,
}

impl Fields {
    /// The compared fields of a tiltak read from its file.
    pub fn of(t: &Tiltak) -> Fields {
        let fm = &t.fm;
        Fields {
            readable: t.readable,
            id: fm.id.clone(),
            title: fm.title.clone(),
            product_group: fm.product_group.clone(),
            segment: fm.segment.clone(),
            state: fm.state,
            status: fm.status_level(),
            risk: fm.risk_level(),
        }
    }

    /// The tiltak at `path` (in `phase`'s folder) with these fields and no
    /// others: what a reading of an earlier round holds of each file.
    pub fn tiltak(self, path: &Path, phase: Option<usize>) -> Tiltak {
        let mut t = Tiltak::unread(path, phase);
        t.readable = self.readable;
        *t.fm = FrontMatter {
            id: self.id,
            title: self.title,
            product_group: self.product_group,
            segment: self.segment,
            state: self.state,
            status: self.status.map(|level| Status { level: Some(level), ..Status::default() }),
            risk: self.risk.map(|level| Risk { level: Some(level), ..Risk::default() }),
            ..FrontMatter::default()
        };
        t
    }

    /// The note's bytes: a byte of flags (readable, then which of the
    /// strings are there), each value's byte (0 for none, else its place in
    /// `ALL` plus one), then each string there as its length (4 bytes,
    /// little-endian) and its UTF-8.
    pub fn encode(&self) -> Vec<u8> {
        let strings = self.strings();
        let mut out = Vec::with_capacity(4 + strings.iter().flatten().map(|s| 4 + s.len()).sum::<usize>());
        let mut flags = u8::from(self.readable);
        for (i, s) in strings.iter().enumerate() {
            if s.is_some() {
                flags |= 2 << i;
            }
        }
        out.push(flags);
        out.push(place(State::ALL, self.state));
        out.push(place(Level::ALL, self.status));
        out.push(place(Level::ALL, self.risk));
        for s in strings.into_iter().flatten() {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        out
    }

    /// The fields a note holds, if it was written by [`Fields::encode`].
    pub fn decode(bytes: &[u8]) -> Option<Fields> {
        let (&[flags, state, status, risk], mut rest) = bytes.split_first_chunk::<4>()?;
        if flags >> 5 != 0 {
            return None;
        }
        let mut string = |there: bool| -> Option<Option<String>> {
            if !there {
                return Some(None);
            }
            let (len, after) = rest.split_first_chunk::<4>()?;
            let len = u32::from_le_bytes(*len) as usize;
            let text = std::str::from_utf8(after.get(..len)?).ok()?;
            rest = &after[len..];
            Some(Some(text.to_owned()))
        };
        let fields = Fields {
            readable: flags & 1 != 0,
            id: string(flags & 2 != 0)?,
            title: string(flags & 4 != 0)?,
            product_group: string(flags & 8 != 0)?,
            segment: string(flags & 16 != 0)?,
            state: value(State::ALL, state)?,
            status: value(Level::ALL, status)?,
            risk: value(Level::ALL, risk)?,
        };
        rest.is_empty().then_some(fields)
    }

    fn strings(&self) -> [Option<&str>; 4] {
        [&self.id, &self.title, &self.product_group, &self.segment].map(|s| s.as_deref())
    }
}

fn place<T: PartialEq>(all: &[T], value: Option<T>) -> u8 {
    value.and_then(|v| all.iter().position(|a| *a == v)).map_or(0, |i| i as u8 + 1)
}

/// `Some(None)` for 0, the value at `byte - 1`, or `None` for a byte that names none.
fn value<T: Copy>(all: &[T], byte: u8) -> Option<Option<T>> {
    match byte {
        0 => Some(None),
        n => all.get(usize::from(n) - 1).copied().map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Fields {
        Fields {
            readable: true,
            id: Some("DD-014".into()),
            title: Some("Felles «innbyggerdialog»\n\tlinje to".into()),
            product_group: None,
            segment: Some("helse".into()),
            state: Some(State::OnHold),
            status: Some(Level::Red),
            risk: None,
        }
    }

    #[test]
    fn fields_read_back_as_written() {
        for fields in [sample(), Fields::default(), Fields { title: Some(String::new()), ..sample() }] {
            assert_eq!(Fields::decode(&fields.encode()), Some(fields));
        }
        for state in State::ALL {
            for level in Level::ALL {
                let fields = Fields { state: Some(*state), status: Some(*level), risk: Some(*level), ..sample() };
                assert_eq!(Fields::decode(&fields.encode()), Some(fields));
            }
        }
    }

    #[test]
    fn a_damaged_note_is_refused_without_a_panic() {
        let bytes = sample().encode();
        for cut in 0..bytes.len() {
            assert_eq!(Fields::decode(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Fields::decode(&longer), None);
        for (at, bad) in [(0, 0x40), (1, 9), (2, 4), (3, 0xff)] {
            let mut damaged = bytes.clone();
            damaged[at] = bad;
            assert_eq!(Fields::decode(&damaged), None, "byte {at} = {bad:#x}");
        }
        // Any one byte changed decodes to something or to nothing, never a panic.
        for at in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] ^= flip;
                let _ = Fields::decode(&damaged);
            }
        }
    }

    #[test]
    fn a_tiltak_from_its_fields_holds_them_and_nothing_else() {
        let t = sample().tiltak(Path::new("tiltak/2-problem/DD-014-felles.md"), Some(1));
        assert_eq!(Fields::of(&t), sample());
        assert_eq!((t.id(), t.phase, t.fm.owner.as_deref()), ("DD-014", Some(1), None));
        let nameless = Fields { id: None, ..sample() }.tiltak(Path::new("tiltak/2-problem/DD-015-x.md"), Some(1));
        assert_eq!(nameless.id(), "DD-015");
    }
}
