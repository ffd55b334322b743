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
use crate::git::{Notes, Oid, Repo};
use crate::store::history;

/// The name of the notes file.
const NOTES: &str = "stays";
/// How its records are written: raised whenever [`encode`] or what makes
/// the events changes; the tool's version is part of it (a CI cache
/// outlives an upgrade).
const VERSION: &str = concat!("stays 1, portfolio ", env!("CARGO_PKG_VERSION"));
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
    let older: Vec<(Oid, &[u8])> =
        kept.ids().into_iter().filter(|id| *id != tip).filter_map(|id| Some((id, kept.get(id)?))).collect();
    let records = std::iter::once((tip, &record[..])).chain(older.into_iter().take(KEEP - 1));
    Notes::save(repo, NOTES, VERSION, &dir, records);
    Ok(summary)
}

/// What the stays depend on besides the commit: the watched folder and
/// file, and each of today's phases' ID, folder and aliases (in order:
/// a phase is its place in the list).
fn key(dir: &str, file: &str, today: &ProcessDefinition) -> String {
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

/// The record: the key, the notes, each tiltak's phase and day entered (by
/// ID), then the finished stays of each phase. Strings are a length (4 bytes,
/// little-endian) and UTF-8; a phase is its place plus one (0: none), 4
/// bytes; a day is counted from the Common Era's first (4 bytes, signed);
/// a stay's days 8 bytes, signed.
fn encode(summary: &Summary, key: &str) -> Vec<u8> {
    let Stays { entered, finished } = &summary.stays;
    let mut out =
        Vec::with_capacity(key.len() + 64 + entered.len() * 24 + finished.values().map(Vec::len).sum::<usize>() * 8);
    let string = |out: &mut Vec<u8>, s: &str| {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    };
    let count = |out: &mut Vec<u8>, n: usize| out.extend_from_slice(&(n as u32).to_le_bytes());
    let phase = |p: Option<usize>| p.map_or(0, |p| p as u32 + 1);
    string(&mut out, key);
    count(&mut out, summary.notes.len());
    for note in &summary.notes {
        string(&mut out, note);
    }
    count(&mut out, entered.len());
    // By ID: the same stays are the same bytes, whatever the map's order.
    let mut ids: Vec<(&String, &(Option<usize>, NaiveDate))> = entered.iter().collect();
    ids.sort_unstable_by_key(|(id, _)| *id);
    for (id, (p, day)) in ids {
        string(&mut out, id);
        out.extend_from_slice(&phase(*p).to_le_bytes());
        out.extend_from_slice(&chrono::Datelike::num_days_from_ce(day).to_le_bytes());
    }
    count(&mut out, finished.len());
    for (p, days) in finished {
        out.extend_from_slice(&(*p as u32).to_le_bytes());
        count(&mut out, days.len());
        for d in days {
            out.extend_from_slice(&d.to_le_bytes());
        }
    }
    out
}

/// The summary a record holds, if [`encode`] wrote it with this key.
fn decode(record: &[u8], key: &str) -> Option<Summary> {
    let mut r = record;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, rest) = r.split_at_checked(n)?;
        r = rest;
        Some(head)
    };
    fn word(bytes: &[u8]) -> u32 {
        u32::from_le_bytes(bytes.try_into().expect("four bytes"))
    }
    macro_rules! count {
        ($least:expr) => {{
            let n = word(take(4)?) as usize;
            // Each item takes at least `$least` bytes: a count larger than
            // the record could hold is damage, not a reason to reserve.
            if n > record.len() / $least {
                return None;
            }
            n
        }};
    }
    macro_rules! string {
        () => {{
            let n = word(take(4)?) as usize;
            std::str::from_utf8(take(n)?).ok()?
        }};
    }
    if string!() != key {
        return None;
    }
    let notes = (0..count!(4)).map(|_| Some(string!().to_owned())).collect::<Option<Vec<String>>>()?;
    let n = count!(12);
    let mut stays = Stays::default();
    stays.entered.reserve(n);
    for _ in 0..n {
        let id = string!().to_owned();
        let phase = match word(take(4)?) {
            0 => None,
            p => Some(p as usize - 1),
        };
        let day = NaiveDate::from_num_days_from_ce_opt(word(take(4)?) as i32)?;
        stays.entered.insert(id, (phase, day));
    }
    for _ in 0..count!(8) {
        let phase = word(take(4)?) as usize;
        let days = (0..count!(8))
            .map(|_| Some(i64::from_le_bytes(take(8)?.try_into().ok()?)))
            .collect::<Option<Vec<i64>>>()?;
        stays.finished.insert(phase, days);
    }
    r.is_empty().then_some(Summary { stays, notes })
}

#[cfg(test)]
mod tests {
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
        for cut in 0..record.len() {
            assert_eq!(decode(&record[..cut], key), None, "cut at {cut}");
        }
        let mut longer = record.clone();
        longer.push(0);
        assert_eq!(decode(&longer, key), None, "a byte more");
        // A count far larger than the record: refused, not reserved.
        let mut huge = record.clone();
        let at = 4 + key.len();
        huge[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode(&huge, key), None);
    }
}
