//! A history's stays as of a commit ([`Stays`]: where each tiltak entered
//! its phase, and the stays that ended), kept between runs as a note on the
//! commit (`git::Notes`).
//!
//! A report that compares with no earlier round needs nothing else of the
//! history: the next report of the same commit (the meeting's second look,
//! the site after the report, a CI run of an unchanged branch) reads one
//! record of about ten bytes per tiltak instead of tracing every step of
//! fifty thousand commits. A commit's ID is a hash of its whole history,
//! so a record never goes stale; what the stays also depend on — the
//! watched folder and file and today's phases, which name the phases of
//! every older definition — is written in the record and compared.

use std::path::Path;

use chrono::NaiveDate;

use crate::domain::history::Stays;
use crate::domain::process::ProcessDefinition;
use crate::error::Result;
use crate::git::{Notes, Oid, Reader, Repo, Writer};
use crate::store::history;

/// The name of the notes file.
const NOTES: &str = "stays";
/// How its records are written: raised whenever [`encode`] or what makes
/// the events changes; the tool's version is part of it (a CI cache
/// outlives an upgrade).
const VERSION: &str = concat!("stays 2, portfolio ", env!("CARGO_PKG_VERSION"));
/// How many commits' stays are kept: the newest first (HEAD, a round's
/// tag, a day's commit for `--at`), older ones after it.
const KEEP: usize = 8;

/// The stays of a history, with its notes on older definitions read with today's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub stays: Stays,
    pub notes: Vec<String>,
}

impl history::History {
    /// The stays these events leave, and the history's notes.
    pub fn summary(&self) -> Summary {
        Summary { stays: Stays::of(&self.events), notes: self.notes.clone() }
    }
}

/// The stays of the portfolio at `root` (read with `today`, the definition
/// the history is read with) on the first-parent line of `tip`, from the
/// note on `tip` when there is a readable one for the same folder, file
/// and phases; else from the history, noted for the next run.
pub fn summary(repo: &Repo, root: &Path, today: &ProcessDefinition, tip: Oid) -> Result<Summary> {
    let (dir, file) = history::watched(repo, root, today)?;
    let key = key(&dir, &file, today);
    let kept = Notes::load(repo, NOTES, VERSION, &dir);
    if let Some(summary) = kept.get(tip).and_then(|record| decode(record, &key)) {
        return Ok(summary);
    }
    let summary = history::read(repo, root, today, Some(tip), None)?.summary();
    let record = encode(&summary, &key);
    Notes::save(repo, NOTES, VERSION, &dir, kept.newest_first(tip, &record, KEEP));
    Ok(summary)
}

/// What the stays depend on besides the commit: the watched folder and
/// file, and each of today's phases' ID, folder and aliases (in order:
/// a phase is its place in the list).
pub(super) fn key(dir: &str, file: &str, today: &ProcessDefinition) -> String {
    let mut key = format!("{dir}\0{file}");
    for p in &today.phases {
        key.push('\0');
        key.push_str(&p.id);
        key.push('\x1f');
        key.push_str(&p.folder);
        for alias in &p.aliases {
            key.push('\x1f');
            key.push_str(alias);
        }
    }
    key
}

/// The record: the key, the notes, then the stays ([`write_stays`]).
fn encode(summary: &Summary, key: &str) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(key.len() + summary.stays.entered.len() * 16));
    w.str(key);
    write_notes(&mut w, &summary.notes);
    write_stays(&mut w, &summary.stays);
    w.0
}

/// The summary a record holds, if [`encode`] wrote it with this key.
fn decode(record: &[u8], key: &str) -> Option<Summary> {
    let mut r = Reader { bytes: record, at: 0 };
    if r.str()? != key {
        return None;
    }
    let notes = read_notes(&mut r)?;
    let stays = read_stays(&mut r)?;
    (r.at == record.len()).then_some(Summary { stays, notes })
}

/// Notes on older definitions: a count, then each.
pub(super) fn write_notes(w: &mut Writer, notes: &[String]) {
    w.num(notes.len() as u64);
    for note in notes {
        w.str(note);
    }
}

/// A day, as its number from the common era.
pub(super) fn write_day(w: &mut Writer, day: NaiveDate) {
    w.signed(i64::from(chrono::Datelike::num_days_from_ce(&day)));
}

/// What [`write_day`] wrote.
pub(super) fn read_day(r: &mut Reader<'_>) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(r.signed()?).ok()?)
}

/// What [`write_notes`] wrote.
pub(super) fn read_notes(r: &mut Reader<'_>) -> Option<Vec<String>> {
    (0..r.count(1)?).map(|_| r.str().map(str::to_owned)).collect()
}

/// Stays in the numbers and strings of the history cache (`git::Writer`):
/// each tiltak (by ID) with its phase and day entered, then each phase's
/// finished stays. A phase is its place plus one (0: none), a day counted
/// from the Common Era's first, a stay its days.
pub(super) fn write_stays(w: &mut Writer, stays: &Stays) {
    let Stays { entered, finished } = stays;
    w.num(entered.len() as u64);
    // By ID: the same stays are the same bytes, whatever the map's order.
    let mut ids: Vec<(&String, &(Option<usize>, NaiveDate))> = entered.iter().collect();
    ids.sort_unstable_by_key(|(id, _)| *id);
    for (id, (phase, day)) in ids {
        w.str(id);
        write_phase(w, *phase);
        write_day(w, *day);
    }
    w.num(finished.len() as u64);
    for (phase, days) in finished {
        w.num(*phase as u64);
        w.num(days.len() as u64);
        for d in days {
            w.signed(*d);
        }
    }
}

/// What [`write_stays`] wrote.
pub(super) fn read_stays(r: &mut Reader<'_>) -> Option<Stays> {
    let mut stays = Stays::default();
    let n = r.count(3)?;
    stays.entered.reserve(n);
    for _ in 0..n {
        let id = r.str()?.to_owned();
        let phase = read_phase(r)?;
        let day = read_day(r)?;
        stays.entered.insert(id, (phase, day));
    }
    for _ in 0..r.count(2)? {
        let phase = usize::try_from(r.num()?).ok()?;
        let days = (0..r.count(1)?).map(|_| r.signed()).collect::<Option<Vec<i64>>>()?;
        stays.finished.insert(phase, days);
    }
    Some(stays)
}

/// A phase, as its place plus one (0: none).
pub(super) fn write_phase(w: &mut Writer, phase: Option<usize>) {
    w.num(phase.map_or(0, |p| p as u64 + 1));
}

/// What [`write_phase`] wrote.
pub(super) fn read_phase(r: &mut Reader<'_>) -> Option<Option<usize>> {
    match r.num()? {
        0 => Some(None),
        p => Some(Some(usize::try_from(p - 1).ok()?)),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn sample() -> Summary {
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).expect("day");
        let mut stays = Stays::default();
        stays.entered.insert("DD-001".into(), (Some(2), day(1)));
        stays.entered.insert("DD-002".into(), (None, day(9)));
        stays.finished.insert(0, vec![3, 0, 41]);
        stays.finished.insert(2, vec![7]);
        Summary { stays, notes: vec!["portfolio.yaml in abc1234 is not valid".into()] }
    }

    /// Whether a record that `reads`, cut short anywhere or a byte longer, does not.
    pub(in crate::store) fn refused_cut_or_longer(record: &[u8], reads: impl Fn(&[u8]) -> bool) {
        assert!(reads(record), "the whole record");
        for cut in 0..record.len() {
            assert!(!reads(&record[..cut]), "cut at {cut}");
        }
        let mut longer = record.to_vec();
        longer.push(0);
        assert!(!reads(&longer), "a byte more");
    }

    #[test]
    fn a_record_reads_back_as_written() {
        let s = sample();
        assert_eq!(decode(&encode(&s, "k"), "k"), Some(s));
        // Built in another order (each map iterates in an order of its own), the same bytes.
        let mut again = sample();
        for n in 0..64 {
            again.stays.entered.insert(format!("X-{n}"), (None, NaiveDate::MIN));
        }
        let mut other = again.clone();
        let mut entries: Vec<_> = again.stays.entered.iter().map(|(k, v)| (k.clone(), *v)).collect();
        entries.reverse();
        other.stays.entered = entries.into_iter().collect();
        assert_eq!(encode(&again, "k"), encode(&other, "k"));
        let empty = Summary { stays: Stays::default(), notes: Vec::new() };
        assert_eq!(decode(&encode(&empty, ""), ""), Some(empty));
    }

    #[test]
    fn another_key_or_a_damaged_record_is_no_record() {
        let record = encode(&sample(), "tiltak\0portfolio.yaml\0idé\x1f1-ide");
        assert_eq!(decode(&record, "tiltak\0portfolio.yaml\0ide\x1f1-ide"), None, "another phase");
        let key = "tiltak\0portfolio.yaml\0idé\x1f1-ide";
        refused_cut_or_longer(&record, |bytes| decode(bytes, key).is_some());
        // A count far larger than the record: refused, not reserved.
        let mut huge = Writer(Vec::new());
        huge.str(key);
        huge.num(u64::from(u32::MAX));
        assert_eq!(decode(&huge.0, key), None);
    }
}
