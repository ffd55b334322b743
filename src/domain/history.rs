//! A tiltak's life from Git history: creations, phase moves (by `advance` or
//! by hand) and deletions, traced from the tree changes of each commit. Pure:
//! the Git edge supplies the commits and their changes.

use std::collections::HashMap;

use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::file_id;
use crate::git::{CommitInfo, TreeChange};

/// A tiltak entering the portfolio, moving between phases, or leaving it.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub kind: EventKind,
    /// The file name (in its folder) after the event, or before a deletion.
    pub file: String,
    pub commit: CommitInfo,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// First seen, in this phase (`None`: outside every phase folder).
    Created { phase: Option<usize> },
    /// Moved between phase folders.
    Moved { from: Option<usize>, to: Option<usize> },
    /// Gone at the end of the range: deleted (not moved, not stopped).
    Deleted { phase: Option<usize> },
}

#[derive(Debug, Clone)]
struct Place {
    phase: Option<usize>,
    file: String,
    present: bool,
    removed_in: Option<CommitInfo>,
}

/// Trace events through commits given oldest first, each with its changes
/// against the previous one. A file leaving one folder and reaching another,
/// in one commit or across several, is a move: tiltak keep their file names.
pub fn trace(def: &ProcessDefinition, steps: &[(CommitInfo, Vec<TreeChange>)]) -> Vec<Event> {
    let mut places: HashMap<String, Place> = HashMap::new();
    let mut events = Vec::new();
    for (commit, changes) in steps {
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
            place.removed_in = Some(commit.clone());
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
            events.push(Event { id: id.clone(), kind, file: change.file.clone(), commit: commit.clone() });
            places.insert(id, Place { phase, file: change.file.clone(), present: true, removed_in: None });
        }
    }
    let mut deleted: Vec<Event> = places
        .into_iter()
        .filter(|(_, p)| !p.present)
        .filter_map(|(id, p)| {
            Some(Event { id, kind: EventKind::Deleted { phase: p.phase }, file: p.file, commit: p.removed_in? })
        })
        .collect();
    deleted.sort_by(|a, b| a.id.cmp(&b.id));
    events.extend(deleted);
    events
}
