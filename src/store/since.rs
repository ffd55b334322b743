//! The history since a previous round: the events after its commit and the
//! stays up to the report's, for the changes a report shows.
//!
//! The whole line has to be traced to know where each tiltak stood when
//! the round closed; what the trace knew there is kept between runs as a
//! note on the round's commit (`git::Notes`, a [`Checkpoint`]), and the
//! next report since the same round — the next meeting's, every pull
//! request's CI until the next round closes — traces only the steps after
//! it. A commit's ID is a hash of its whole history, so a checkpoint never
//! goes stale; it is used only for a commit on the report's first-parent
//! line (where a trace from the first commit passes), and what else it
//! depends on — the watched folder and file and today's phases — is
//! written in it and compared. The events and stays it gives are those
//! the trace from the first commit gives (tests/cli/report.rs holds them
//! side by side).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;

use crate::domain::history::{self as events, Checkpoint, Event, Stays};
use crate::domain::process::ProcessDefinition;
use crate::error::Result;
use crate::git::{Notes, Oid, Reader, Repo, Writer};
use crate::store::history::{self, Start};
use crate::store::stays::{self, Summary};

/// The name of the notes file.
const NOTES: &str = "since";
/// How its records are written: raised whenever [`encode`] or what makes
/// the events changes; the tool's version is part of it.
const VERSION: &str = concat!("since 2, portfolio ", env!("CARGO_PKG_VERSION"));
/// How many rounds' checkpoints are kept, the newest asked about first:
/// about 60 bytes a tiltak each.
const KEEP: usize = 4;

/// What a report reads of the history since a previous round.
#[derive(Debug)]
pub struct Since {
    /// The events of the commits after the round's, oldest first.
    pub events: Vec<Event>,
    /// The stays up to the report's commit, and the history's notes.
    pub summary: Summary,
    /// When each tiltak was last put on hold up to the report's commit
    /// ([`events::last_held`]).
    pub held: HashMap<String, NaiveDate>,
}

/// The history of the portfolio at `root` (read with `today`) on the
/// first-parent line of `tip` since `base`, a commit on that line, whose
/// later commits are `after`.
pub fn read(
    repo: &Repo,
    root: &Path,
    today: &ProcessDefinition,
    tip: Oid,
    base: Oid,
    after: &HashSet<Oid>,
) -> Result<Since> {
    let kept = Kept::load(repo, root, today)?;
    if let Some(since) = kept.resume(repo, root, today, tip, base, after) {
        return Ok(since);
    }
    let cut = |id: Oid| after.contains(&id);
    let traced = history::trace(repo, root, today, Some(tip), Start::Root, Some(&cut))?;
    if let Some((checkpoint, notes)) = &traced.checkpoint {
        let record = encode(checkpoint, notes, &kept.key);
        Notes::save(repo, NOTES, VERSION, &kept.dir, kept.notes.newest_first(base, &record, KEEP));
    }
    Ok(Since::of(traced.events, traced.notes, after))
}

/// [`read`] when a checkpoint was kept at `base`: only the steps after it
/// are traced. `None` when there is none (or it does not fit the line):
/// the whole line must be traced.
pub fn resume(
    repo: &Repo,
    root: &Path,
    today: &ProcessDefinition,
    tip: Oid,
    base: Oid,
    after: &HashSet<Oid>,
) -> Result<Option<Since>> {
    Ok(Kept::load(repo, root, today)?.resume(repo, root, today, tip, base, after))
}

/// The checkpoints kept for the watched folder and file, and what each
/// must have been written with.
struct Kept {
    dir: String,
    key: String,
    notes: Notes,
}

impl Kept {
    fn load(repo: &Repo, root: &Path, today: &ProcessDefinition) -> Result<Kept> {
        let (dir, file) = history::watched(repo, root, today)?;
        let key = stays::key(&dir, &file, today);
        let notes = Notes::load(repo, NOTES, VERSION, &dir);
        Ok(Kept { dir, key, notes })
    }

    /// The history from the checkpoint kept at `base`, as [`resume`].
    fn resume(
        &self,
        repo: &Repo,
        root: &Path,
        today: &ProcessDefinition,
        tip: Oid,
        base: Oid,
        after: &HashSet<Oid>,
    ) -> Option<Since> {
        // A checkpoint that does not fit the line (it cannot, short of a
        // forged file) is traced past, as a missing one is.
        let (checkpoint, notes) = decode(self.notes.get(base)?, &self.key)?;
        let start = Start::Resume(base, &checkpoint, &notes);
        let traced = history::trace(repo, root, today, Some(tip), start, None).ok()?;
        let mut stays = checkpoint.stays;
        stays.fold(&traced.events);
        // The tiltak gone before the round gave no deletion here.
        for id in &traced.absent {
            stays.entered.remove(id);
        }
        let mut held = checkpoint.held.into_iter().collect();
        events::last_held(&mut held, &traced.events);
        let summary = Summary { stays, notes: traced.notes };
        Some(Since { events: within(traced.events, after), summary, held })
    }
}

impl Since {
    /// What the whole line's `events` (oldest first) and `notes` give, the
    /// events kept those of commits in `after`.
    pub fn of(all: Vec<Event>, notes: Vec<String>, after: &HashSet<Oid>) -> Since {
        let summary = Summary { stays: Stays::of(&all), notes };
        let mut held = HashMap::new();
        events::last_held(&mut held, &all);
        Since { events: within(all, after), summary, held }
    }
}

/// The events of commits in `after`.
fn within(mut events: Vec<Event>, after: &HashSet<Oid>) -> Vec<Event> {
    events.retain(|e| after.contains(&e.commit.id));
    events
}

/// The record: the key, the notes up to the commit, the steps traced, each
/// place (ID, file, phase, whether there), then the stays
/// ([`stays::write_stays`]) and each tiltak's last day put on hold.
fn encode(checkpoint: &Checkpoint, notes: &[String], key: &str) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(key.len() + checkpoint.places.len() * 64));
    w.str(key);
    stays::write_notes(&mut w, notes);
    w.num(checkpoint.steps as u64);
    w.num(checkpoint.places.len() as u64);
    for (id, file, phase, present) in &checkpoint.places {
        w.str(id);
        w.str(file);
        stays::write_phase(&mut w, *phase);
        w.num(u64::from(*present));
    }
    stays::write_stays(&mut w, &checkpoint.stays);
    w.num(checkpoint.held.len() as u64);
    for (id, day) in &checkpoint.held {
        w.str(id);
        stays::write_day(&mut w, *day);
    }
    w.0
}

/// The checkpoint and notes a record holds, if [`encode`] wrote it with this key.
fn decode(record: &[u8], key: &str) -> Option<(Checkpoint, Vec<String>)> {
    let mut r = Reader { bytes: record, at: 0 };
    if r.str()? != key {
        return None;
    }
    let notes = stays::read_notes(&mut r)?;
    let steps = usize::try_from(r.num()?).ok()?;
    let places = (0..r.count(4)?)
        .map(|_| {
            let (id, file) = (r.str()?.to_owned(), r.str()?.to_owned());
            let phase = stays::read_phase(&mut r)?;
            let present = match r.num()? {
                0 => false,
                1 => true,
                _ => return None,
            };
            Some((id, file, phase, present))
        })
        .collect::<Option<Vec<_>>>()?;
    let stays = stays::read_stays(&mut r)?;
    let held =
        (0..r.count(2)?).map(|_| Some((r.str()?.to_owned(), stays::read_day(&mut r)?))).collect::<Option<_>>()?;
    (r.at == record.len()).then_some((Checkpoint { steps, places, stays, held }, notes))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn sample() -> (Checkpoint, Vec<String>) {
        let mut stays = Stays::default();
        stays.entered.insert("DD-001".into(), (Some(2), NaiveDate::from_ymd_opt(2026, 3, 1).expect("day")));
        stays.finished.insert(1, vec![4, 0]);
        let places = vec![
            ("DD-001".into(), "DD-001-a.md".into(), Some(2), true),
            ("DD-002".into(), "DD-002-b.md".into(), None, false),
        ];
        let held = vec![("DD-002".into(), NaiveDate::from_ymd_opt(2025, 12, 31).expect("day"))];
        (Checkpoint { steps: 17, places, stays, held }, vec!["portfolio.yaml in abc1234 is not valid".into()])
    }

    #[test]
    fn a_checkpoint_reads_back_as_written() {
        let (checkpoint, notes) = sample();
        let record = encode(&checkpoint, &notes, "k");
        assert_eq!(decode(&record, "k"), Some((checkpoint, notes)));
        let empty = Checkpoint::default();
        assert_eq!(decode(&encode(&empty, &[], ""), ""), Some((empty, Vec::new())));
    }

    #[test]
    fn another_key_or_a_damaged_checkpoint_is_none() {
        let (checkpoint, notes) = sample();
        let record = encode(&checkpoint, &notes, "tiltak\0portfolio.yaml\0ide\x1f1-ide");
        assert_eq!(decode(&record, "tiltak\0portfolio.yaml\0ide\x1f1-idé"), None, "another phase's folder");
        let key = "tiltak\0portfolio.yaml\0ide\x1f1-ide";
        crate::store::stays::tests::refused_cut_or_longer(&record, |bytes| decode(bytes, key).is_some());
        let mut huge = Writer(Vec::new());
        huge.str(key);
        huge.num(0);
        huge.num(3);
        huge.num(u64::from(u32::MAX));
        assert_eq!(decode(&huge.0, key), None, "a count far larger than the record");
    }
}
