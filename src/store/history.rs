//! A portfolio's history: the steps of its tiltak folder on a first-parent
//! line, read by the Git edge, and the events they mean — each commit read
//! with the process definition in force then (SPEC §2a): its own
//! `portfolio.yaml` when that is valid under today's tool, else today's,
//! said in one note. Phases are matched across definitions by id (and
//! `aliases:`), so renaming a phase's folder or id is not a gate.

use std::path::Path;

use crate::domain::history::{self, Checkpoint, Event};
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
    let start = since.map_or(Start::Root, Start::After);
    let traced = trace(repo, root, today, tip, start, None)?;
    Ok(History { events: traced.events, notes: traced.notes })
}

/// Where a trace starts.
pub(crate) enum Start<'a> {
    /// At the first commit.
    Root,
    /// After this commit, knowing nothing of the tiltak before it (a pull
    /// request's own changes).
    After(Oid),
    /// After this commit, from where a trace from the first commit stood
    /// there, with that trace's notes up to it: what it gives is what that
    /// trace gives after the commit.
    Resume(Oid, &'a Checkpoint, &'a [String]),
}

/// What a trace gives.
pub(crate) struct Traced {
    pub events: Vec<Event>,
    pub notes: Vec<String>,
    /// Of a trace resumed, the tiltak not there at its end
    /// ([`history::Tracer::absent`]); none listed otherwise.
    pub absent: Vec<String>,
    /// Where it stood before the first step of a commit `cut` names (at
    /// its end when none does), with its notes then, when `cut` was given.
    pub checkpoint: Option<(Checkpoint, Vec<String>)>,
}

/// Trace the history of the portfolio at `root` on the first-parent line of
/// `tip` from `start`, as [`read`] says.
pub(crate) fn trace(
    repo: &Repo,
    root: &Path,
    today: &ProcessDefinition,
    tip: Option<Oid>,
    start: Start<'_>,
    cut: Option<&dyn Fn(Oid) -> bool>,
) -> Result<Traced> {
    let (dir, file) = watched(repo, root, today)?;
    let watch = Watch { dir: &dir, marker: trailer::MARKER, file: Some(&file) };
    let (since, steps) = match start {
        Start::Root => (None, repo.folder_history(watch, tip, None)?),
        Start::After(base) => (Some(base), repo.folder_history(watch, tip, Some(base))?),
        // The whole line, as the trace that took the checkpoint read it
        // (from the cache, which this keeps up to the tip), less the steps
        // it had traced: a commit's ID is a hash of all before it, so they
        // are the same steps.
        Start::Resume(base, checkpoint, _) => {
            let mut steps = repo.folder_history(watch, tip, None)?;
            if !steps.drop_first(checkpoint.steps) {
                return Err(crate::error::Error::Git("the kept trace has more steps than the line".into()));
            }
            (Some(base), steps)
        }
    };

    // The definitions the history has known, and which was in force before
    // and after each step (`None`: none valid, read with today's). Each
    // step is traced as it is read: the steps are never all decoded at once.
    let mut notes = match start {
        Start::Resume(_, _, notes) => notes.to_vec(),
        _ => Vec::new(),
    };
    let mut defs: Vec<ProcessDefinition> = Vec::new();
    let mut current: Option<usize> = None;
    if let Some(base) = since
        && let Some(bytes) = repo.file_at(base, &file)?
    {
        // A trace resumed noted an invalid definition where it came in, as
        // the trace from the first commit does.
        let mut base_notes = Vec::new();
        if let Some(def) = parse(&bytes, &base.to_string()[..7], &mut base_notes) {
            defs.push(def);
            current = Some(0);
        }
        if !matches!(start, Start::Resume(..)) {
            notes.extend(base_notes);
        }
    }
    let mut tracer = match start {
        Start::Resume(_, checkpoint, _) => history::Tracer::resume(checkpoint, steps.added()),
        _ => history::Tracer::new(steps.added()),
    };
    let mut checkpoint = None;
    for (commit, changes) in steps {
        if let Some(cut) = cut
            && checkpoint.is_none()
            && cut(commit.id)
        {
            checkpoint = Some((tracer.checkpoint(), notes.clone()));
        }
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
    if cut.is_some() && checkpoint.is_none() {
        checkpoint = Some((tracer.checkpoint(), notes.clone()));
    }
    let absent = if matches!(start, Start::Resume(..)) { tracer.absent() } else { Vec::new() };
    let mut events = tracer.finish();
    events.shrink_to_fit();
    // The steps' blocks, freed as they were traced, were made by the
    // walking threads: their allocator keeps them until told.
    crate::util::parallel::release_free_memory();
    Ok(Traced { events, notes, absent, checkpoint })
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
