//! A tiltak's life from Git history: creations, phase moves (by `advance` or
//! by hand), state changes and deletions, traced from the tree changes and
//! trailers of each commit — interpreted once, here, for `show`, `check
//! --base` and the reports. Pure: the Git edge supplies the commits and their
//! changes.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::domain::model::State;
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::file_id;
use crate::domain::trailer::{self, Key};
use crate::git::{CommitInfo, TreeChange};

/// A tiltak entering the portfolio, moving between phases, or leaving it.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub kind: EventKind,
    /// The file name (in its folder) after the event, or before a deletion.
    pub file: String,
    /// The commit on the first-parent line that brought it: for a change
    /// made on a branch, the merge.
    /// Shared with the commit's other events.
    pub commit: Arc<CommitInfo>,
    /// What the commit recorded about it.
    pub decision: Decision,
    /// The position of `commit` among the steps traced (0: the oldest).
    pub step: usize,
}

/// What a commit's trailers say about one tiltak's event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    /// `Decided-By:`.
    pub decided_by: Option<String>,
    /// `Forced:`: why a gate was forced.
    pub forced: Option<String>,
    /// `Reason:`: why it moved back or changed state.
    pub reason: Option<String>,
    /// Whether `advance` made the move (`Phase-To:`), not a hand-made `git mv`.
    pub by_advance: bool,
    /// The short id of the commit whose trailers recorded a state change (a
    /// branch's commit when it was merged); empty for other events.
    pub recorded_in: String,
}

impl Decision {
    fn of(commit: &CommitInfo, id: &str) -> Decision {
        let [decided_by, forced, reason, phase_to] =
            trailer::read_all(commit, id, [Key::DecidedBy, Key::Forced, Key::Reason, Key::PhaseTo]);
        Decision {
            decided_by: decided_by.map(str::to_owned),
            forced: forced.map(str::to_owned),
            reason: reason.map(str::to_owned),
            by_advance: phase_to.is_some(),
            recorded_in: String::new(),
        }
    }

    /// The recorded reason for a skip or a move back: `Forced:`, else `Reason:`.
    pub fn why(&self) -> Option<&str> {
        self.forced.as_deref().or(self.reason.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// First seen, in this phase (`None`: outside every phase folder).
    Created { phase: Option<usize> },
    /// Moved between phase folders.
    Moved { from: Option<usize>, to: Option<usize> },
    /// Gone at the end of the range: deleted (not moved, not stopped).
    Deleted { phase: Option<usize> },
    /// Put on hold, stopped or resumed (`State:` trailer, as `hold`, `stop`
    /// and `resume` write).
    StateChanged { state: State },
}

/// Where each tiltak entered the phase it is in, and every finished stay in
/// each phase: what a report's days in phase and flow are made of, folded
/// from the events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stays {
    /// By tiltak ID: the phase it is in (`None`: outside every phase
    /// folder) and the day it entered it.
    pub entered: HashMap<String, (Option<usize>, NaiveDate)>,
    /// By phase: how many days each stay that ended lasted, in the order they ended.
    pub finished: BTreeMap<usize, Vec<i64>>,
}

impl Stays {
    /// The stays `events` (oldest first) leave.
    pub fn of(events: &[Event]) -> Stays {
        let mut stays = Stays::default();
        stays.fold(events);
        stays
    }

    /// The stays these leave, followed by `events` (oldest first).
    pub fn fold(&mut self, events: &[Event]) {
        let (entered, finished) = (&mut self.entered, &mut self.finished);
        for e in events {
            let Some(date) = e.commit.date() else { continue };
            match e.kind {
                EventKind::Created { phase } => {
                    entered.insert(e.id.clone(), (phase, date));
                }
                EventKind::Moved { from, to } => match entered.get_mut(e.id.as_str()) {
                    Some(place) => {
                        if let Some(from) = from {
                            finished.entry(from).or_default().push((date - place.1).num_days().max(0));
                        }
                        *place = (to, date);
                    }
                    None => {
                        entered.insert(e.id.clone(), (to, date));
                    }
                },
                EventKind::Deleted { .. } => {
                    entered.remove(e.id.as_str());
                }
                EventKind::StateChanged { .. } => {}
            }
        }
    }
}

/// Where a trace stood after some steps: what tracing the rest of the line
/// resumes from ([`Tracer::resume`]), so that the changes since a previous
/// round trace only the steps after it. A trace resumed from the one
/// [`Tracer::checkpoint`] took gives the same events from there on, and
/// its stays folded onto these give the same stays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checkpoint {
    /// How many steps were traced.
    pub steps: usize,
    /// Every tiltak file met: its ID, its file name, the phase it is (or
    /// was last) in, and whether it is there.
    pub places: Vec<(String, String, Option<usize>, bool)>,
    /// The stays the events so far leave (those of the tiltak gone
    /// included: a trace drops them only at its end).
    pub stays: Stays,
    /// When each tiltak was last put on hold so far ([`last_held`]), in ID order.
    pub held: Vec<(String, NaiveDate)>,
}

/// The day each tiltak was last put on hold, by its ID in upper case, as
/// `held` (from earlier events) and then `events` (oldest first) say.
pub fn last_held(held: &mut HashMap<String, NaiveDate>, events: &[Event]) {
    for e in events {
        if let (EventKind::StateChanged { state: State::OnHold }, Some(d)) = (&e.kind, e.commit.date()) {
            held.insert(e.id.to_ascii_uppercase(), d);
        }
    }
}

#[derive(Debug, Clone)]
struct Place {
    phase: Option<usize>,
    file: String,
    present: bool,
    removed_in: Option<(usize, Arc<CommitInfo>)>,
}

/// Trace events through commits given oldest first, each with its changes
/// against the previous one. A file leaving one folder and reaching another,
/// in one commit or across several, is a move: tiltak keep their file names.
pub fn trace(def: &ProcessDefinition, steps: &[(CommitInfo, Vec<TreeChange>)]) -> Vec<Event> {
    let mut tracer = Tracer::new(steps.iter().map(|(_, c)| c.iter().filter(|c| c.added).count()).sum());
    for (commit, changes) in steps {
        tracer.step(commit.clone(), changes, &|folder, _| def.phase_by_folder(folder));
    }
    tracer.finish()
}

/// [`trace`] one step at a time, so that a long history's steps need not
/// all be held at once: each is traced as it is read, then dropped.
pub struct Tracer {
    places: HashMap<String, Place>,
    events: Vec<Event>,
    /// The position of the next step.
    step: usize,
}

impl Tracer {
    /// A tracer for steps whose changes add about `added` files (about one
    /// event each): reserved at once, not grown by doubling (at fifty
    /// thousand commits, megabytes copied).
    pub fn new(added: usize) -> Tracer {
        Tracer { places: HashMap::new(), events: Vec::with_capacity(added), step: 0 }
    }

    /// A tracer that goes on from `checkpoint`, for steps adding about
    /// `added` files. The tiltak gone by then give no deletion at its end
    /// (the trace that left them gave theirs); [`Tracer::absent`] names them.
    pub fn resume(checkpoint: &Checkpoint, added: usize) -> Tracer {
        let places = checkpoint
            .places
            .iter()
            .map(|(id, file, phase, present)| {
                (id.clone(), Place { phase: *phase, file: file.clone(), present: *present, removed_in: None })
            })
            .collect();
        Tracer { places, events: Vec::with_capacity(added), step: checkpoint.steps }
    }

    /// Where the trace stands now, in ID order.
    pub fn checkpoint(&self) -> Checkpoint {
        let mut places: Vec<(String, String, Option<usize>, bool)> =
            self.places.iter().map(|(id, p)| (id.clone(), p.file.clone(), p.phase, p.present)).collect();
        places.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut held = HashMap::new();
        last_held(&mut held, &self.events);
        let mut held: Vec<(String, NaiveDate)> = held.into_iter().collect();
        held.sort_unstable();
        Checkpoint { steps: self.step, places, stays: Stays::of(&self.events), held }
    }

    /// The IDs of the tiltak not there after the steps traced so far.
    pub fn absent(&self) -> Vec<String> {
        self.places.iter().filter(|(_, p)| !p.present).map(|(id, _)| id.clone()).collect()
    }

    /// Trace the next step, with the phase of a folder decided by
    /// `phase_of(folder, added)`: the index in today's process of the phase
    /// that `folder` was in the definition in force — before this step for
    /// a file leaving it (`added` false), after it for a file arriving. So a
    /// process whose folders were renamed reads the same before and after
    /// the rename.
    pub fn step(&mut self, commit: CommitInfo, changes: &[TreeChange], phase_of: &dyn Fn(&str, bool) -> Option<usize>) {
        let (places, events, step) = (&mut self.places, &mut self.events, self.step);
        self.step += 1;
        // One commit, shared by its events (a move is a removal and an arrival).
        let commit = Arc::new(commit);
        for change in changes.iter().filter(|c| !c.added) {
            let Some(id) = file_id(&change.file) else { continue };
            let left = phase_of(&change.folder, false);
            let place = places.entry(id).or_insert_with(|| Place {
                phase: left,
                file: change.file.clone(),
                present: true,
                removed_in: None,
            });
            place.present = false;
            place.phase = left;
            place.removed_in = Some((step, Arc::clone(&commit)));
        }
        for change in changes.iter().filter(|c| c.added) {
            let Some(id) = file_id(&change.file) else { continue };
            let phase = phase_of(&change.folder, true);
            let kind = match places.get(&id) {
                Some(p) if p.phase != phase => EventKind::Moved { from: p.phase, to: phase },
                Some(_) => {
                    // Same folder again (e.g. renamed slug): not a phase event.
                    places.insert(id, Place { phase, file: change.file.clone(), present: true, removed_in: None });
                    continue;
                }
                None => EventKind::Created { phase },
            };
            let decision = Decision::of(&commit, &id);
            events.push(Event {
                id: id.clone(),
                kind,
                file: change.file.clone(),
                commit: Arc::clone(&commit),
                decision,
                step,
            });
            places.insert(id, Place { phase, file: change.file.clone(), present: true, removed_in: None });
        }
        // A state change made on a branch counts from its merge, by the merge's date.
        for (id, state, recorded) in trailer::state_changes(&commit) {
            let file = places.get(&id.to_ascii_uppercase()).or_else(|| places.get(id)).map(|p| p.file.clone());
            events.push(Event {
                id: id.to_owned(),
                kind: EventKind::StateChanged { state },
                file: file.unwrap_or_default(),
                commit: Arc::clone(&commit),
                decision: Decision {
                    decided_by: recorded.trailer(Key::DecidedBy.as_str()).map(str::to_owned),
                    forced: None,
                    reason: recorded.trailer(Key::Reason.as_str()).filter(|r| !r.is_empty()).map(str::to_owned),
                    by_advance: false,
                    recorded_in: recorded.short.clone(),
                },
                step,
            });
        }
    }

    /// The events traced, then a deletion for each tiltak gone at the end.
    pub fn finish(self) -> Vec<Event> {
        let mut events = self.events;
        let mut deleted: Vec<Event> = self
            .places
            .into_iter()
            .filter(|(_, p)| !p.present)
            .filter_map(|(id, p)| {
                let (step, commit) = p.removed_in?;
                let decision = Decision::of(&commit, &id);
                Some(Event { id, kind: EventKind::Deleted { phase: p.phase }, file: p.file, commit, decision, step })
            })
            .collect();
        deleted.sort_by(|a, b| a.id.cmp(&b.id));
        events.extend(deleted);
        forget_messages(&mut events);
        events
    }
}

/// The commits' messages were read for their trailers, into the events'
/// decisions; nothing reads them again, and at fifty thousand commits they
/// are megabytes held by every command that reads history. A commit shared
/// by several events stays shared.
fn forget_messages(events: &mut [Event]) {
    fn forget(c: &mut CommitInfo) {
        c.message = String::new();
        for m in &mut c.merged {
            forget(m);
        }
    }
    // By the commit they had: the old commit is alive while an event holds it.
    let mut slim: HashMap<*const CommitInfo, Arc<CommitInfo>> = HashMap::new();
    for e in events {
        if let Some(done) = slim.get(&Arc::as_ptr(&e.commit)) {
            e.commit = Arc::clone(done);
        } else if let Some(c) = Arc::get_mut(&mut e.commit) {
            forget(c);
        } else {
            let mut c = CommitInfo::clone(&e.commit);
            forget(&mut c);
            let old = Arc::as_ptr(&e.commit);
            e.commit = Arc::new(c);
            slim.insert(old, Arc::clone(&e.commit));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::domain::process::Template;

    fn def() -> ProcessDefinition {
        ProcessDefinition::parse(Template::Digdir.text(), Path::new("portfolio.yaml")).expect("template")
    }

    fn commit(n: u8, message: &str) -> CommitInfo {
        CommitInfo {
            id: git2::Oid::from_bytes(&[n; 20]).expect("oid"),
            short: format!("{n:07}"),
            time: 1_700_000_000 + i64::from(n) * 86_400,
            offset_minutes: 0,
            author: "a".into(),
            committer: "c".into(),
            message: message.into(),
            merged: Vec::new(),
            file: None,
        }
    }

    fn change(folder: &str, file: &str, added: bool) -> TreeChange {
        TreeChange { folder: folder.into(), file: file.into(), added }
    }

    const FILE: &str = "DD-001-x.md";

    #[test]
    fn creation_gate_by_hand_move_and_deletion() {
        let steps = vec![
            (commit(1, "new DD-001: x"), vec![change("1-ikke-startet", FILE, true)]),
            (
                commit(2, "advance DD-001\n\nTiltak: DD-001\nPhase-To: problem\nDecided-By: Kontoret\n"),
                vec![change("1-ikke-startet", FILE, false), change("2-problem", FILE, true)],
            ),
            (commit(3, "moved"), vec![change("2-problem", FILE, false), change("4-planlegging", FILE, true)]),
            (commit(4, "oops"), vec![change("4-planlegging", FILE, false)]),
        ];
        let events = trace(&def(), &steps);
        let kinds: Vec<_> = events.iter().map(|e| (e.kind.clone(), e.step)).collect();
        assert_eq!(
            kinds,
            vec![
                (EventKind::Created { phase: Some(0) }, 0),
                (EventKind::Moved { from: Some(0), to: Some(1) }, 1),
                (EventKind::Moved { from: Some(1), to: Some(3) }, 2),
                (EventKind::Deleted { phase: Some(3) }, 3),
            ]
        );
        assert_eq!(events[1].decision.decided_by.as_deref(), Some("Kontoret"));
        assert!(events[1].decision.by_advance);
        assert!(!events[2].decision.by_advance, "a hand-made move");
        assert_eq!(events[2].decision.why(), None);
    }

    #[test]
    fn a_move_across_two_commits_is_one_move() {
        let steps = vec![
            (commit(1, "new"), vec![change("1-ikke-startet", FILE, true)]),
            (commit(2, "rm"), vec![change("1-ikke-startet", FILE, false)]),
            (commit(3, "add"), vec![change("2-problem", FILE, true)]),
        ];
        let events = trace(&def(), &steps);
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(events[1].kind, EventKind::Moved { from: Some(0), to: Some(1) });
    }

    #[test]
    fn state_changes_merged_from_a_branch_are_dated_by_the_merge() {
        let mut merge = commit(5, "Merge branch 'hold'");
        merge.merged = vec![commit(4, "hold DD-001: venter\n\nTiltak: DD-001\nState: on_hold\nReason: venter\n")];
        let steps = vec![(commit(1, "new"), vec![change("1-ikke-startet", FILE, true)]), (merge, Vec::new())];
        let events = trace(&def(), &steps);
        let held = events.iter().find(|e| matches!(e.kind, EventKind::StateChanged { .. })).expect("state change");
        assert_eq!(held.kind, EventKind::StateChanged { state: State::OnHold });
        assert_eq!(held.commit.short, "0000005");
        assert_eq!(held.decision.recorded_in, "0000004");
        assert_eq!(held.decision.reason.as_deref(), Some("venter"));
    }

    /// A trace resumed from a checkpoint taken after any step gives the
    /// full trace's events from there on (less the deletions of the tiltak
    /// gone before it, which the events up to it hold), and the stays
    /// folded onto the checkpoint's, less those tiltak, are the full trace's.
    #[test]
    fn a_trace_resumed_from_a_checkpoint_goes_on_as_the_whole_trace() {
        let (one, two, three) = (FILE, "DD-002-y.md", "DD-003-z.md");
        let steps = vec![
            (commit(1, "new"), vec![change("1-ikke-startet", one, true), change("1-ikke-startet", two, true)]),
            (commit(2, "rm"), vec![change("1-ikke-startet", two, false)]),
            (commit(3, "hold DD-001\n\nTiltak: DD-001\nState: on_hold\n"), Vec::new()),
            (commit(4, "mv"), vec![change("1-ikke-startet", one, false), change("2-problem", one, true)]),
            (commit(5, "rm"), vec![change("2-problem", one, false), change("1-ikke-startet", three, true)]),
            (commit(6, "back"), vec![change("3-konsept", one, true)]),
            (commit(7, "hold DD-003\n\nTiltak: DD-003\nState: on_hold\n"), Vec::new()),
            (commit(8, "mv"), vec![change("1-ikke-startet", three, false), change("2-problem", three, true)]),
            (commit(9, "rm"), vec![change("2-problem", three, false)]),
        ];
        let def = def();
        let phase_of = |folder: &str, _: bool| def.phase_by_folder(folder);
        let whole = trace(&def, &steps);
        let key = |e: &Event| (e.id.clone(), e.kind.clone(), e.step, e.commit.id);
        for cut in 0..=steps.len() {
            let mut first = Tracer::new(0);
            for (c, changes) in &steps[..cut] {
                first.step(c.clone(), changes, &phase_of);
            }
            let checkpoint = first.checkpoint();
            assert_eq!(checkpoint.steps, cut);
            let mut rest = Tracer::resume(&checkpoint, 0);
            for (c, changes) in &steps[cut..] {
                rest.step(c.clone(), changes, &phase_of);
            }
            let absent = rest.absent();
            let events = rest.finish();
            // A deletion's step is its removal's.
            let expected: Vec<_> = whole.iter().filter(|e| e.step >= cut).map(key).collect();
            assert_eq!(events.iter().map(key).collect::<Vec<_>>(), expected, "cut after {cut} steps");
            let mut stays = checkpoint.stays.clone();
            stays.fold(&events);
            for id in &absent {
                stays.entered.remove(id);
            }
            assert_eq!(stays, Stays::of(&whole), "cut after {cut} steps");
            let mut held: HashMap<String, NaiveDate> = checkpoint.held.iter().cloned().collect();
            last_held(&mut held, &events);
            let mut all = HashMap::new();
            last_held(&mut all, &whole);
            assert_eq!(held, all, "cut after {cut} steps");
            assert_eq!(all.len(), 2);
        }
    }
}
