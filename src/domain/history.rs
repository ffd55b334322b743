//! A tiltak's life from Git history: creations, phase moves (by `advance` or
//! by hand), state changes and deletions, traced from the tree changes and
//! trailers of each commit — interpreted once, here, for `show`, `check
//! --base` and the reports. Pure: the Git edge supplies the commits and their
//! changes.

use std::collections::HashMap;

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
    pub commit: CommitInfo,
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
        let get = |key| trailer::read(commit, id, key).map(str::to_owned);
        Decision {
            decided_by: get(Key::DecidedBy),
            forced: get(Key::Forced),
            reason: get(Key::Reason),
            by_advance: get(Key::PhaseTo).is_some(),
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

#[derive(Debug, Clone)]
struct Place {
    phase: Option<usize>,
    file: String,
    present: bool,
    removed_in: Option<(usize, CommitInfo)>,
}

/// Trace events through commits given oldest first, each with its changes
/// against the previous one. A file leaving one folder and reaching another,
/// in one commit or across several, is a move: tiltak keep their file names.
pub fn trace(def: &ProcessDefinition, steps: &[(CommitInfo, Vec<TreeChange>)]) -> Vec<Event> {
    let mut places: HashMap<String, Place> = HashMap::new();
    let mut events = Vec::new();
    for (step, (commit, changes)) in steps.iter().enumerate() {
        for change in changes.iter().filter(|c| !c.added) {
            let Some(id) = file_id(&change.file) else { continue };
            let place = places.entry(id).or_insert_with(|| Place {
                phase: def.phase_by_folder(&change.folder),
                file: change.file.clone(),
                present: true,
                removed_in: None,
            });
            place.present = false;
            place.phase = def.phase_by_folder(&change.folder);
            place.removed_in = Some((step, commit.clone()));
        }
        for change in changes.iter().filter(|c| c.added) {
            let Some(id) = file_id(&change.file) else { continue };
            let phase = def.phase_by_folder(&change.folder);
            let kind = match places.get(&id) {
                Some(p) if p.phase != phase => EventKind::Moved { from: p.phase, to: phase },
                Some(_) => {
                    // Same folder again (e.g. renamed slug): not a phase event.
                    places.insert(id, Place { phase, file: change.file.clone(), present: true, removed_in: None });
                    continue;
                }
                None => EventKind::Created { phase },
            };
            let decision = Decision::of(commit, &id);
            events.push(Event {
                id: id.clone(),
                kind,
                file: change.file.clone(),
                commit: commit.clone(),
                decision,
                step,
            });
            places.insert(id, Place { phase, file: change.file.clone(), present: true, removed_in: None });
        }
        // A state change made on a branch counts from its merge, by the merge's date.
        for (id, state, recorded) in trailer::state_changes(commit) {
            let file = places.get(&id.to_ascii_uppercase()).or_else(|| places.get(id)).map(|p| p.file.clone());
            events.push(Event {
                id: id.to_owned(),
                kind: EventKind::StateChanged { state },
                file: file.unwrap_or_default(),
                commit: commit.clone(),
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
    let mut deleted: Vec<Event> = places
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
    events
}
