//! A portfolio's history: the steps of its tiltak folder on a first-parent
//! line, read by the Git edge, and the events they mean — each commit read
//! with the process definition in force then (SPEC §2a): its own
//! `portfolio.yaml` when that is valid under today's tool, else today's,
//! said in one note. Phases are matched across definitions by id (and
//! `aliases:`), so renaming a phase's folder or id is not a gate.

use std::path::Path;

use crate::domain::history::{self, Event};
use crate::domain::process::{self, ProcessDefinition};
use crate::domain::trailer;
use crate::error::Result;
use crate::git::{Oid, Repo, Watch};

/// The history of a portfolio over a range of its first-parent line.
#[derive(Debug)]
pub struct History {
    /// What the steps of the folder mean, oldest first. (The steps
    /// themselves go once traced: at ten thousand tiltak they are tens of
    /// megabytes that nothing else reads.)
    pub events: Vec<Event>,
    /// One line for each older definition that could not be used (read
    /// with today's instead).
    pub notes: Vec<String>,
}

/// The history of the portfolio at `root` on the first-parent line of `tip`
/// (HEAD when `None`), after `since` (from the first commit when `None`).
/// `today` is the definition in the work tree, used where an older one is
/// missing or invalid.
pub fn read(
    repo: &Repo,
    root: &Path,
    today: &ProcessDefinition,
    tip: Option<Oid>,
    since: Option<Oid>,
) -> Result<History> {
    let (dir, file) = watched(repo, root, today)?;
    let steps = repo.folder_history(Watch { dir: &dir, marker: trailer::MARKER, file: Some(&file) }, tip, since)?;

    // The definitions the history has known, and which was in force before
    // and after each step (`None`: none valid, read with today's). Each
    // step is traced as it is read: the steps are never all decoded at once.
    let mut notes = Vec::new();
    let mut defs: Vec<ProcessDefinition> = Vec::new();
    let mut current: Option<usize> = None;
    if let Some(base) = since
        && let Some(bytes) = repo.file_at(base, &file)?
        && let Some(def) = parse(&bytes, &base.to_string()[..7], &mut notes)
    {
        defs.push(def);
        current = Some(0);
    }
    let mut tracer = history::Tracer::new(steps.added());
    for (commit, changes) in steps {
        let before = current;
        if let Some(blob) = &commit.file {
            let def = if blob.0.is_zero() {
                None
            } else {
                repo.blob(blob.0).ok().and_then(|bytes| parse(&bytes, &commit.short, &mut notes))
            };
            current = def.map(|d| {
                defs.push(d);
                defs.len() - 1
            });
        }
        let after = current;
        let phase_of = |folder: &str, added: bool| {
            let then = if added { after } else { before };
            match then.map(|k| &defs[k]) {
                Some(old) => match old.phase_by_folder(folder) {
                    Some(i) => today.phase_index(&old.phases[i].id).or_else(|| today.phase_by_folder(folder)),
                    None => today.phase_by_folder(folder),
                },
                None => today.phase_by_folder(folder),
            }
        };
        tracer.step(commit, &changes, &phase_of);
    }
    let mut events = tracer.finish();
    events.shrink_to_fit();
    // The steps' blocks, freed as they were traced, were made by the
    // walking threads: their allocator keeps them until told.
    crate::util::parallel::release_free_memory();
    Ok(History { events, notes })
}

/// The folder and the file the history of the portfolio at `root` (read
/// with `today`) watches, as paths from the top of the repository.
pub(crate) fn watched(repo: &Repo, root: &Path, today: &ProcessDefinition) -> Result<(String, String)> {
    let dir = repo.relative(&root.join(&today.tiltak_dir))?;
    Ok((dir, crate::store::portfolio::in_repo(repo, root, process::FILE_NAME)?))
}

/// [`Repo::commit_by_date_and_later`] for the portfolio at `root`, with the
/// commit times the history cache of its definition `def` holds (without
/// one, the commits are read).
pub fn commit_by_date_and_later(
    repo: &Repo,
    root: &Path,
    def: Option<&ProcessDefinition>,
    tip: Oid,
    day: chrono::NaiveDate,
    inclusive: bool,
) -> Result<(Option<Oid>, Vec<Oid>)> {
    let parts = def.and_then(|def| watched(repo, root, def).ok());
    let watch = parts.as_ref().map(|(dir, file)| Watch { dir, marker: trailer::MARKER, file: Some(file) });
    repo.commit_by_date_and_later(tip, day, inclusive, watch)
}

/// An older definition, if it is valid under today's tool; else a note.
fn parse(bytes: &[u8], short: &str, notes: &mut Vec<String>) -> Option<ProcessDefinition> {
    let parsed = crate::store::portfolio::definition_from(bytes);
    if parsed.is_none() {
        notes.push(crate::store::portfolio::invalid_definition_note(short));
    }
    parsed
}
