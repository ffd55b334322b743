//! A portfolio as of a commit or a date, read from Git objects, with where
//! its history and its previous round come from: what `report`, `board` and
//! every other read-only view of the portfolio stand on.

use std::collections::HashSet;
use std::path::Path;

use schemars::JsonSchema;
use serde::Serialize;

use crate::domain::model::parse_date;
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;
use crate::error::{Error, Result};
use crate::git::{CommitInfo, Oid, Repo};
use crate::rules::Context;
use crate::store::history::History;
use crate::store::portfolio::{self, Portfolio, Reading};
use crate::store::since::Since;
use crate::store::stays::Summary;

/// The portfolio as of the report's commit, and where history comes from.
pub struct View {
    pub portfolio: Portfolio,
    pub repo: Option<Repo>,
    /// The commit read; `None`: the work tree of a folder without commits.
    pub commit: Option<CommitInfo>,
    /// The day the report describes.
    pub date: chrono::NaiveDate,
    /// Why there is no history, when there is none.
    no_history: Option<String>,
    /// Lines the reader should know: an older definition read with today's.
    pub notes: Vec<String>,
    /// Whether the work tree changes the tiltak folder or portfolio.yaml,
    /// when already asked.
    uncommitted: Option<bool>,
    /// The history or its stays, read ahead ([`Ahead::history`]).
    history: Option<Later<AheadRead>>,
    /// The walk back to a day, walked ahead ([`Ahead::since`]).
    walking: Option<(chrono::NaiveDate, Later<Walked>)>,
    /// The previous round's commit ([`View::previous`]), when it is on the
    /// first-parent line of the view's: what [`View::since`] traces from.
    base_on_line: Option<Oid>,
    /// The history since the previous round, traced ahead by the walk.
    traced_ahead: Option<SinceAhead>,
}

type HistoryRead = std::result::Result<History, String>;
type SummaryRead = std::result::Result<Summary, String>;
type AheadRead = std::result::Result<Traced, String>;

/// The history up to `commit`, read with `def`, or why it could not be.
fn read_history(repo: &Repo, root: &Path, def: &ProcessDefinition, commit: Oid) -> HistoryRead {
    crate::store::history::read(repo, root, def, Some(commit), None).map_err(|e| e.to_string())
}

/// The history's stays up to `commit`, as [`read_history`].
fn read_summary(repo: &Repo, root: &Path, def: &ProcessDefinition, commit: Oid) -> SummaryRead {
    crate::store::stays::summary(repo, root, def, commit).map_err(|e| e.to_string())
}

/// What of the history a command reads ahead ([`Ahead::history`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Its events ([`View::history`]).
    Events,
    /// Only the stays they leave ([`View::summary`]): a report that
    /// compares with no earlier round.
    Stays,
}

/// The history or its stays, as [`Need`] asked.
enum Traced {
    Events(History),
    Stays(Summary),
}

/// Read what `need` asks for, or why it could not be.
fn read_ahead(need: Need, repo: &Repo, root: &Path, def: &ProcessDefinition, commit: Oid) -> AheadRead {
    match need {
        Need::Events => read_history(repo, root, def, commit).map(Traced::Events),
        Need::Stays => read_summary(repo, root, def, commit).map(Traced::Stays),
    }
}

/// Something a view reads from Git beside the parse of the tiltak, on a
/// thread of its own through a handle of its own (see [`Ahead`]); done
/// here at once when one thread is asked for (`PORTFOLIO_THREADS=1`).
enum Later<T> {
    Done(T),
    Running(Joining<T>),
}

impl<T: Send + 'static> Later<T> {
    /// Like the threads of `util::parallel`, a thread the system refuses is
    /// a panic, not a read that silently never happens.
    fn start(name: &str, work: impl FnOnce() -> T + Send + 'static) -> Later<T> {
        if crate::util::parallel::threads() <= 1 {
            return Later::Done(work());
        }
        let thread = std::thread::Builder::new().name(name.into()).spawn(work);
        Later::Running(Joining(Some(thread.expect("the system starts a thread"))))
    }

    /// What is already done, without waiting.
    fn done(&self) -> Option<&T> {
        match self {
            Later::Done(done) => Some(done),
            Later::Running(_) => None,
        }
    }

    fn get(self) -> T {
        match self {
            Later::Done(done) => done,
            Later::Running(mut thread) => match thread.0.take().map(std::thread::JoinHandle::join) {
                Some(Ok(done)) => done,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => unreachable!("only its drop takes the thread otherwise"),
            },
        }
    }
}

/// A running thread, waited for when dropped: no command ends while it
/// may still be writing (the history cache).
struct Joining<T>(Option<std::thread::JoinHandle<T>>);

impl<T> Drop for Joining<T> {
    fn drop(&mut self) {
        if let Some(thread) = self.0.take() {
            let _ = thread.join();
        }
    }
}

/// What a view reads from Git besides the tiltak, while they are parsed,
/// for a command that will ask for it next. Both cores parse the tiltak,
/// so this saves about half of a read that runs on one core.
#[derive(Debug, Default, Clone, Copy)]
pub struct Ahead {
    /// The history up to the view's commit ([`View::history`]), or only
    /// its stays ([`View::summary`]): for a command that reads nothing else
    /// from Git first (reading the previous round first keeps the two
    /// reads' peaks apart).
    pub history: Option<Need>,
    /// The walk back to the last commit before this day and the commits
    /// after it, then the portfolio as of that commit ([`View::previous`]
    /// with this day as `since`), and the history since it when a
    /// checkpoint was kept there ([`View::since`]; the whole line's trace,
    /// without one, waits until the tiltak are parsed, so that the two
    /// peaks do not add up).
    pub since: Option<chrono::NaiveDate>,
}

/// The commit before a day on a first-parent line and the commits after
/// it, and, when there is such a commit, what the view reads of it next:
/// walked ahead ([`Ahead::since`]) on a thread of its own.
type Walked = Result<Walk>;

struct Walk {
    found: Option<Oid>,
    newer: Vec<Oid>,
    /// The portfolio as of `found` ([`Portfolio::load_at`], `Reading::Compared`).
    before: Option<Result<(Portfolio, Option<String>)>>,
    /// The history since `found` ([`View::since`]), when it is on the line.
    since: Option<SinceAhead>,
}

/// The history since a previous round, traced ahead, with what it was
/// traced with: [`View::since`] takes it when those are its own.
struct SinceAhead {
    /// The definition it was read with: the commit's.
    def: ProcessDefinition,
    base: Oid,
    after: HashSet<Oid>,
    since: Result<Since>,
}

impl Walk {
    /// Walk back from `commit` to the last commit before `day`; then read,
    /// as [`View::previous`] and [`View::since`] would, the portfolio then
    /// (as of `date`) and, with a whole history, the events since.
    fn read(
        root: &Path,
        def: Option<&ProcessDefinition>,
        commit: Oid,
        day: chrono::NaiveDate,
        date: chrono::NaiveDate,
        whole: bool,
    ) -> Walked {
        let repo = Repo::discover(root)?;
        let (found, newer) = crate::store::history::commit_by_date_and_later(&repo, root, def, commit, day, false)?;
        let Some(base) = found else { return Ok(Walk { found, newer, before: None, since: None }) };
        let ctx = Context { today: date };
        let before = Some(Portfolio::load_at(root, &repo, base, &ctx, Reading::Compared));
        let since = match whole {
            // The definition the view reads a commit with (from disk only
            // when it is the same file).
            true => portfolio::definition_at(root, &repo, commit).ok().and_then(|(def, _)| {
                let after: HashSet<Oid> = newer.iter().copied().collect();
                let since = crate::store::since::resume(&repo, root, &def, commit, base, &after).transpose()?;
                Some(SinceAhead { def, base, after, since })
            }),
            false => None,
        };
        Ok(Walk { found, newer, before, since })
    }
}

/// `def`'s tiltak folder and portfolio.yaml, from the top of the work tree:
/// what a view read from disk must find unchanged.
fn watched_paths(repo: &Repo, root: &Path, def: &ProcessDefinition) -> Vec<String> {
    let paths = [root.join(&def.tiltak_dir), root.join(crate::domain::process::FILE_NAME)];
    paths.iter().filter_map(|p| repo.relative(p).ok()).collect()
}

/// Whether the work tree changes `def`'s tiltak folder or portfolio.yaml
/// (staged, unstaged or untracked).
fn changes(repo: &Repo, root: &Path, def: &ProcessDefinition) -> bool {
    repo.has_changes(&watched_paths(repo, root, def))
}

/// What the status thread of [`View::open_with`] found.
enum Status {
    /// The index lists HEAD's files there and nothing is untracked: the
    /// files are still to be compared with its record as they are read.
    Pending(crate::git::Pending),
    /// Whether anything is changed, asked of libgit2.
    Known(bool),
}

impl View {
    /// Read the portfolio as of `at` (HEAD when `None`) from Git objects.
    pub fn open(cwd: &Path, ctx: &Context, at: Option<&str>) -> Result<View> {
        View::open_reading(cwd, ctx, at, Reading::Checked)
    }

    /// Like [`View::open`], reading each tiltak as `reading` says: a view
    /// that shows no findings need not run the rules.
    pub fn open_reading(cwd: &Path, ctx: &Context, at: Option<&str>, reading: Reading) -> Result<View> {
        View::open_on(cwd, ctx, None, at, reading)
    }

    /// Like [`View::open_reading`], on the line of `line` (a branch, tag or
    /// commit) instead of HEAD: without `at` it reads `line`'s commit, a
    /// date in `at` is looked up on `line`'s first-parent line. A national
    /// file's `ref` reads a portfolio so.
    pub fn open_on(cwd: &Path, ctx: &Context, line: Option<&str>, at: Option<&str>, reading: Reading) -> Result<View> {
        View::open_with(cwd, ctx, line, at, reading, Ahead::default())
    }

    /// Like [`View::open_reading`], reading `ahead` on threads of their own
    /// while the tiltak are parsed (see [`Ahead`]).
    pub fn open_ahead(cwd: &Path, ctx: &Context, at: Option<&str>, reading: Reading, ahead: Ahead) -> Result<View> {
        View::open_with(cwd, ctx, None, at, reading, ahead)
    }

    fn open_with(
        cwd: &Path,
        ctx: &Context,
        line: Option<&str>,
        at: Option<&str>,
        reading: Reading,
        ahead: Ahead,
    ) -> Result<View> {
        let root = portfolio::find_root(cwd)?;
        let repo = Repo::discover(&root).ok();
        let head = match (&repo, line) {
            (Some(repo), Some(line)) => Some(resolve(repo, "ref", line)?),
            (repo, _) => repo.as_ref().and_then(Repo::head_commit),
        };
        if let (None, Some(line)) = (&repo, line) {
            return Err(Error::usage_hint(
                format!("ref {line}: the portfolio is not in a Git repository"),
                "leave out `ref`",
            ));
        }
        let at = at.or(line);
        let (Some(repo), Some(head)) = (repo, head) else {
            if let Some(at) = at {
                return Err(Error::usage_hint(
                    format!("--at {at}: there is no Git history here"),
                    "commit the portfolio first; without --at the report reads the files on disk",
                ));
            }
            let why = "the portfolio has no commits yet: the report is read from the files on disk";
            let portfolio = Portfolio::load(&root, ctx)?;
            return Ok(View {
                portfolio,
                repo: None,
                commit: None,
                date: ctx.today,
                no_history: Some(why.into()),
                notes: Vec::new(),
                uncommitted: None,
                history: None,
                walking: None,
                base_on_line: None,
                traced_ahead: None,
            });
        };
        // The definition on disk, read once: it names the history cache that
        // dates are looked up in, and HEAD unchanged is read with it.
        let on_disk = portfolio::load_definition(&root).ok();
        let (commit, date) = match at {
            None => (head, ctx.today),
            Some(at) => match parse_date(at) {
                Some(day) => {
                    let found = crate::store::history::commit_by_date_and_later(
                        &repo,
                        &root,
                        on_disk.as_ref(),
                        head,
                        day,
                        true,
                    )?;
                    let found = found.0.ok_or_else(|| {
                        Error::usage_hint(
                            format!("--at {at}: no commit on or before that day"),
                            "the portfolio's history starts later; pick a later date",
                        )
                    })?;
                    (found, day)
                }
                None => {
                    let id = resolve(&repo, "--at", at)?;
                    let date = repo.commit_info(id)?.date().unwrap_or(ctx.today);
                    (id, date)
                }
            },
        };
        let ctx = Context { today: date };
        let no_history = repo.is_shallow().then(|| {
            "this is a shallow clone, so the history before its first commit is missing; \
             fetch it (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)"
                .to_owned()
        });
        let history_ahead = ahead.history.filter(|_| no_history.is_none());
        let walking = ahead.since.filter(|day| *day <= date).map(|day| {
            let (root, def, whole) = (root.clone(), on_disk.clone(), no_history.is_none());
            let walk = move || Walk::read(&root, def.as_ref(), commit, day, date, whole);
            (day, Later::start("since", walk))
        });
        // HEAD with the tiltak and the definition unchanged on disk: the
        // same text, read from the files instead of Git's packed deltas.
        // So also for `--at` naming HEAD (the site's default, dated by its
        // commit): the date differs, the bytes do not.
        // Whether they are unchanged is asked on a thread of its own while
        // the files are read: the index lists HEAD's files there and nothing
        // else is there but what is ignored; then, as each file is read, its
        // status is what the index recorded (else libgit2's `git status`
        // decides, 45 ms at 10 000 files). The history is read ahead after
        // it there; when they turn out changed, what was read goes and HEAD
        // is read from Git.
        let mut uncommitted = None;
        let mut from_disk = None;
        if let (true, Some(def)) = (line.is_none() && commit == head, on_disk) {
            let paths = watched_paths(&repo, &root, &def);
            let status = {
                let (root, def, paths) = (root.clone(), def.clone(), paths.clone());
                Later::start("status", move || {
                    let repo = Repo::discover(&root).ok();
                    let status = match repo.as_ref().and_then(|r| r.clean_but_files(&paths)) {
                        Some(pending) => Status::Pending(pending),
                        None => Status::Known(repo.as_ref().is_some_and(|r| r.status_changes(&paths))),
                    };
                    let history = repo
                        .filter(|_| !matches!(status, Status::Known(true)))
                        .and_then(|r| history_ahead.map(|need| read_ahead(need, &r, &root, &def, commit)));
                    (status, history)
                })
            };
            // Known already (asked here, on one thread): a changed work tree is not read.
            let mut stamps = portfolio::Stamps::new();
            let read = match status.done() {
                Some((Status::Known(true), _)) => None,
                _ => Some(Portfolio::load_commit(&root, &repo, commit, def, &ctx, reading, Some(&mut stamps))),
            };
            let (status, mut history) = status.get();
            let changed = match status {
                Status::Known(changed) => changed,
                Status::Pending(pending) => {
                    let known = |path: &str| stamps.get(path).copied();
                    let shown = matches!(read, Some(Ok(_))) && pending.verify(&repo.workdir, &known);
                    // A file touched but not changed is no change: libgit2 compares it.
                    let changed = !shown && repo.status_changes(&paths);
                    if changed {
                        // Read ahead with the definition on disk, which HEAD's may not be.
                        history = None;
                    }
                    changed
                }
            };
            uncommitted = Some(changed);
            if let (false, Some(read)) = (changed, read) {
                from_disk = Some((read?, history.map(Later::Done)));
            }
        }
        let (portfolio, history, notes) = match from_disk {
            Some((portfolio, history)) => (portfolio, history, Vec::new()),
            None => {
                let (def, note) = portfolio::definition_at(&root, &repo, commit)?;
                // Dropped on an error below, it is waited for.
                let history = history_ahead.map(|need| {
                    let (root, def) = (root.clone(), def.clone());
                    Later::start("history", move || {
                        let repo = Repo::discover(&root).map_err(|e| e.to_string())?;
                        read_ahead(need, &repo, &root, &def, commit)
                    })
                });
                let portfolio = Portfolio::load_commit(&root, &repo, commit, def, &ctx, reading, None)?;
                (portfolio, history, note.into_iter().collect())
            }
        };
        let info = repo.commit_info(commit)?;
        Ok(View {
            portfolio,
            repo: Some(repo),
            commit: Some(info),
            date,
            no_history,
            notes,
            uncommitted,
            history,
            walking,
            base_on_line: None,
            traced_ahead: None,
        })
    }

    /// Whether the tiltak folder or portfolio.yaml has changes not committed.
    pub fn uncommitted(&self) -> bool {
        // Known when HEAD was read (the same definition's folder was asked
        // about: a changed portfolio.yaml is a change under either), or
        // when the handle was closed.
        if let Some(known) = self.uncommitted {
            return known;
        }
        self.repo.as_ref().is_some_and(|repo| changes(repo, &self.portfolio.root, &self.portfolio.def))
    }

    /// Done with Git objects: whether the work tree has changes is asked
    /// now and kept, and the repository handle goes. libgit2 shares a
    /// pack's cache of rebuilt deltas among every handle of the process
    /// until the last one closes: 11 MB after the previous round's trees at
    /// 10 000 tiltak, freed before a report is built.
    pub fn close_repository(&mut self) {
        let uncommitted = self.uncommitted();
        self.uncommitted = Some(uncommitted);
        self.repo = None;
    }

    /// Let go of the view as its command ends: the reads still running
    /// ahead are waited for (one may be writing a cache), and what was read
    /// is left for the process's end to take back, not freed string by
    /// string (tens of milliseconds of a core at 10 000 tiltak).
    pub fn end(self) {
        // Every field by name: one added must be placed on one side or
        // the other (a thread still running must be waited for).
        let View {
            portfolio,
            repo,
            commit,
            date,
            no_history,
            notes,
            uncommitted,
            history,
            walking,
            base_on_line,
            traced_ahead,
        } = self;
        drop((history, walking));
        std::mem::forget((portfolio, repo, commit, date, no_history, notes, uncommitted, base_on_line, traced_ahead));
    }

    /// Hand back what a large read from Git left behind and go on reading:
    /// libgit2's caches go with the process's last handle (see
    /// [`View::close_repository`]), so the repository is closed and opened
    /// again, and the allocator gives back what the reading threads freed.
    /// After the previous round's tiltak, before the history is read.
    pub fn release_caches(&mut self) -> Result<()> {
        if self.repo.take().is_some() {
            self.repo = Some(Repo::discover(&self.portfolio.root)?);
        }
        crate::util::parallel::release_free_memory();
        Ok(())
    }

    /// The history up to the report's commit, or why there is none.
    pub fn history(&mut self) -> HistoryRead {
        match self.history.take().map(Later::get) {
            Some(Ok(Traced::Events(history))) => return Ok(history),
            Some(Err(why)) => return Err(why),
            // Only the stays were read ahead: the events are read now.
            Some(Ok(Traced::Stays(_))) | None => {}
        }
        if let Some(why) = &self.no_history {
            return Err(why.clone());
        }
        let (Some(repo), Some(commit)) = (&self.repo, &self.commit) else { return Err(String::new()) };
        read_history(repo, &self.portfolio.root, &self.portfolio.def, commit.id)
    }

    /// The stays the history up to the report's commit leaves (with its
    /// notes), or why there is no history: all a report that compares with
    /// no earlier round reads of it, kept between runs ([`crate::store::stays`]).
    pub fn summary(&mut self) -> SummaryRead {
        match self.history.take().map(Later::get) {
            Some(Ok(Traced::Stays(summary))) => return Ok(summary),
            Some(Ok(Traced::Events(history))) => return Ok(history.summary()),
            Some(Err(why)) => return Err(why),
            None => {}
        }
        if let Some(why) = &self.no_history {
            return Err(why.clone());
        }
        let (Some(repo), Some(commit)) = (&self.repo, &self.commit) else { return Err(String::new()) };
        read_summary(repo, &self.portfolio.root, &self.portfolio.def, commit.id)
    }

    /// The history since the previous round [`View::previous`] read, whose
    /// later commits are `after`: its events after the round's commit (all
    /// of them when it is not on the line) and the stays up to the view's,
    /// or why there is no history.
    pub fn since(&mut self, after: &HashSet<Oid>) -> std::result::Result<Since, String> {
        if let (Some(base), None, Some(repo), Some(commit)) =
            (self.base_on_line, &self.no_history, &self.repo, &self.commit)
        {
            let (root, def) = (&self.portfolio.root, &self.portfolio.def);
            let ahead = self.traced_ahead.take().filter(|a| a.base == base && a.after == *after && a.def == *def);
            let since = match ahead {
                Some(ahead) => ahead.since,
                None => crate::store::since::read(repo, root, def, commit.id, base, after),
            };
            return since.map_err(|e| e.to_string());
        }
        let history = self.history()?;
        Ok(Since::of(history.events, history.notes, after))
    }

    /// The previous round named by `--since`: its commit (none when the
    /// portfolio had no commit yet then) and portfolio, and in `in_range`
    /// the commits since it.
    #[allow(clippy::type_complexity)]
    pub fn previous(
        &mut self,
        since: &str,
        in_range: &mut HashSet<Oid>,
    ) -> Result<(Option<CommitInfo>, Option<Portfolio>)> {
        let (Some(repo), Some(at)) = (&self.repo, &self.commit) else {
            return Err(Error::usage_hint(
                format!("--since {since}: there is no Git history here"),
                "commit the portfolio first",
            ));
        };
        // A previous round after the report's own would compare with the future.
        let later = || {
            Error::usage_hint(
                format!("--since {since} is later than the report's date ({})", self.date),
                "--since names the earlier round; swap it with --at, or drop one",
            )
        };
        let mut before_ahead = None;
        let base = match parse_date(since) {
            Some(day) => {
                if day > self.date {
                    return Err(later());
                }
                let walked = match self.walking.take() {
                    Some((walked_to, walk)) if walked_to == day => Some(walk.get()),
                    _ => None,
                };
                let (found, newer) = match walked {
                    Some(walked) => {
                        let walk = walked?;
                        before_ahead = walk.before;
                        self.traced_ahead = walk.since;
                        (walk.found, walk.newer)
                    }
                    None => {
                        let (root, def) = (&self.portfolio.root, Some(&self.portfolio.def));
                        crate::store::history::commit_by_date_and_later(repo, root, def, at.id, day, false)?
                    }
                };
                if found.is_none() && self.no_history.is_some() {
                    // A shallow clone cannot tell "before the first commit" from "not fetched".
                    return Ok((None, None));
                }
                in_range.extend(newer);
                // The newest commit before the day, on the line by its finding.
                self.base_on_line = found;
                found
            }
            None => {
                let id = resolve(repo, "--since", since)?;
                // Where HEAD's line left `since`: a pull request's changes, not
                // its target branch's later ones.
                let base = repo.merge_base(id, at.id)?;
                if base == at.id && id != at.id {
                    return Err(later());
                }
                let after = repo.first_parent_commits(Some(at.id), Some(base))?;
                // A base off the line (a branch's commit merged into it):
                // the range starts at an older commit of the line.
                let on_line = after.first().map_or(base == at.id, |first| repo.first_parent(*first) == Some(base));
                self.base_on_line = on_line.then_some(base);
                in_range.extend(after);
                Some(base)
            }
        };
        let Some(base) = base else { return Ok((None, Some(empty(&self.portfolio)))) };
        let ctx = Context { today: self.date };
        let mut notes = Vec::new();
        // What is compared with the previous round (state, status and risk
        // levels, the fields filters match) is all in the front matter, and
        // noted for each blob read (`Reading::Compared`): the next report
        // since a day of the same files reads only the notes.
        // What libgit2 caches meanwhile (11 MB at 10 000 tiltak) goes when
        // the command releases the caches (`release_caches`) or closes the
        // repository (`close_repository`).
        let read = before_ahead
            .unwrap_or_else(|| Portfolio::load_at(&self.portfolio.root, repo, base, &ctx, Reading::Compared));
        let before = match read {
            Ok((p, note)) => {
                notes.extend(note);
                p
            }
            // The portfolio did not exist yet then.
            Err(Error::Usage { .. }) => empty(&self.portfolio),
            Err(e) => return Err(e),
        };
        let info = repo.commit_info(base)?;
        self.notes.extend(notes);
        Ok((Some(info), Some(before)))
    }

    /// `--group` and `--segment`, checked against the portfolio.
    pub fn filters(&self, group: Option<&str>, segment: Option<&str>) -> Result<Filters> {
        filters(&self.portfolio.def, group, segment)
    }
}

/// The `--group` and `--segment` selection, refused when the portfolio has
/// no such value (a typo would otherwise select nothing, silently).
pub fn filters(def: &ProcessDefinition, group: Option<&str>, segment: Option<&str>) -> Result<Filters> {
    if let Some(s) = segment
        && def.segment(s).is_none()
    {
        return Err(unknown("segment", s, def.segments.iter().map(|s| s.id.as_str())));
    }
    if let Some(g) = group
        && !def.product_groups.iter().any(|p| crate::text::normalize(p) == crate::text::normalize(g))
    {
        return Err(unknown("product group", g, def.product_groups.iter().map(String::as_str)));
    }
    Ok(Filters { group: group.map(str::to_owned), segment: segment.map(str::to_owned) })
}

/// A revision named by `--at` or `--since`. Something shaped like a date
/// that is not one (`2026-13-45`) is told apart from an unknown branch.
fn resolve(repo: &Repo, option: &str, rev: &str) -> Result<Oid> {
    repo.resolve(rev).map_err(|e| {
        let date_shaped = rev.len() == 10 && rev.chars().all(|c| c.is_ascii_digit() || c == '-');
        if date_shaped {
            Error::usage_hint(
                format!("{option} {rev}: not a valid date, and no branch, tag or commit has that name"),
                "a date is YYYY-MM-DD, e.g. 2026-11-09",
            )
        } else {
            e
        }
    })
}

/// A usage error for a value the portfolio does not have, with "did you mean".
pub fn unknown<'a>(what: &str, value: &str, known: impl Iterator<Item = &'a str> + Clone) -> Error {
    let list: Vec<&str> = known.clone().collect();
    let hint = match crate::text::suggest(value, known) {
        Some(s) => format!("did you mean {s:?}?"),
        None if list.is_empty() => format!("this portfolio has no {what}s (see portfolio.yaml)"),
        None => format!("one of: {}", list.join(", ")),
    };
    Error::usage_hint(format!("no {what} {value:?} in this portfolio"), hint)
}

fn empty(like: &Portfolio) -> Portfolio {
    Portfolio {
        root: like.root.clone(),
        def: like.def.clone(),
        tiltak: Vec::new(),
        diagnostics: Vec::new(),
        blobs: Vec::new(),
    }
}

/// Which tiltak a view shows: `--group` and `--segment`.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Filters {
    /// `--group`: product group.
    pub group: Option<String>,
    /// `--segment`: segment ID.
    pub segment: Option<String>,
}

impl Filters {
    /// Whether a tiltak is in the selection: its product group matches
    /// ignoring case and spacing, its segment names the same segment of
    /// `portfolio.yaml`. No filter: every tiltak.
    pub fn matches(&self, def: &ProcessDefinition, t: &Tiltak) -> bool {
        let group_ok = self.group.as_ref().is_none_or(|g| {
            t.fm.product_group.as_ref().is_some_and(|p| crate::text::normalize(p) == crate::text::normalize(g))
        });
        let segment_ok = self.segment.as_ref().is_none_or(|s| {
            t.fm.segment.as_ref().is_some_and(|x| match (def.segment(x), def.segment(s)) {
                (Some(a), Some(b)) => a.id == b.id,
                _ => x.eq_ignore_ascii_case(s),
            })
        });
        group_ok && segment_ok
    }
}
