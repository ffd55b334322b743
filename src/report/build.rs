//! Building the report: one function per section, over a snapshot of the
//! portfolio and (when there is one) its history.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;

use super::model::*;
use super::{DAYS_AHEAD, NONE};
use crate::diag::{Code, Diagnostic, JsonDiagnostic};
use crate::domain::history::{Event, EventKind, Stays};
use crate::domain::model::{Level, State};
use crate::domain::process::{Language, ProcessDefinition};
use crate::domain::round::{self, Round, Standing};
use crate::domain::tiltak::Tiltak;
use crate::git::CommitInfo;
use crate::util::parallel::beside;

/// A snapshot of the portfolio: what the report is about.
pub struct Snapshot<'a> {
    pub def: &'a ProcessDefinition,
    pub tiltak: &'a [Tiltak],
    pub diagnostics: &'a [Diagnostic],
}

/// What history gives the report.
pub struct HistoryInput<'a> {
    /// Events after the previous round up to the report's commit (all
    /// from the first commit when the round is off the report's line): read
    /// by the changes since it, so none are needed without one.
    pub events: &'a [Event],
    /// Where each tiltak entered its phase, and the stays that ended, up to
    /// the report's commit: for days in phase and the flow.
    pub stays: &'a Stays,
    /// Commits after the previous round (for `changes`).
    pub in_range: &'a (dyn Fn(&CommitInfo) -> bool + Sync),
}

/// Everything the report is built from.
pub struct Input<'a> {
    pub now: Snapshot<'a>,
    pub date: NaiveDate,
    pub commit: Option<&'a CommitInfo>,
    /// Whether the tiltak folder has uncommitted changes (reports of HEAD).
    pub uncommitted: bool,
    pub language: Language,
    pub filters: Filters,
    /// The previous round: what `--since` named and its commit (what it
    /// adds to the report is a [`Previous`], given to [`build`]).
    pub previous: Option<(String, Option<&'a CommitInfo>)>,
    /// The closed reporting round the previous state is the tag of.
    pub previous_round: Option<&'a str>,
    /// The closed reporting round whose tag is the report's commit.
    pub round: Option<&'a str>,
    /// The reporting round open on `date`, if any (data quality names who
    /// has not reported in it).
    pub open_round: Option<&'a Round>,
    /// History, or why there is none.
    pub history: Result<HistoryInput<'a>, String>,
}

fn phase_ref(def: &ProcessDefinition, phase: Option<usize>) -> Option<PhaseRef> {
    phase.map(|p| PhaseRef {
        id: def.phases[p].id.clone(),
        name: def.phases[p].name.clone(),
        number: p + 1,
        stage: def.phases[p].stage,
    })
}

fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] as f64 } else { (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0 })
}

/// The tiltak a report shows, in the order of its rows: those `filters`
/// select, by ID then path.
pub fn reported<'a>(def: &ProcessDefinition, tiltak: &'a [Tiltak], filters: &Filters) -> Vec<&'a Tiltak> {
    // Sorted first by the ID's first 16 bytes, held beside each tiltak: a
    // comparison then reads the tiltak themselves only on a tie, not two
    // scattered strings at every step.
    let mut shown: Vec<(u128, &Tiltak)> =
        tiltak.iter().filter(|t| filters.matches(def, t)).map(|t| (leading_bytes(t.id()), t)).collect();
    shown.sort_by(|(ka, a), (kb, b)| ka.cmp(kb).then_with(|| a.id().cmp(b.id()).then(a.path.cmp(&b.path))));
    shown.into_iter().map(|(_, t)| t).collect()
}

/// The first 16 bytes of `s`, padded with zeros, as a number that orders as
/// `s` does wherever two such numbers differ.
fn leading_bytes(s: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = s.len().min(16);
    bytes[..n].copy_from_slice(&s.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

/// The previous round as far as a report compares with it: its status and
/// risk counts and, for the changes since, each tiltak the filters select
/// reduced to what is compared. Made by [`Previous::of`] as the round is
/// read, so that its tiltak go before the history is read and the report is
/// built (at 10 000 tiltak they are tens of megabytes, this one).
#[derive(Debug, Default)]
pub struct Previous {
    /// Status and risk counts: the whole portfolio, each segment of the
    /// definition in order, then the tiltak in none.
    levels: Vec<(LevelCounts, LevelCounts)>,
    /// The tiltak selected, in the round's order.
    tiltak: Vec<Was>,
}

/// A tiltak of an earlier state of the portfolio, as it is compared with
/// today's: its ID, title, state, and status and risk levels.
#[derive(Debug, Clone)]
pub struct Was {
    pub id: String,
    pub title: String,
    pub state: State,
    pub status: Option<Level>,
    pub risk: Option<Level>,
}

impl Was {
    pub fn of(t: &Tiltak) -> Was {
        Was {
            id: t.id().to_owned(),
            title: t.title().to_owned(),
            state: t.fm.state(),
            status: t.fm.status_level(),
            risk: t.fm.risk_level(),
        }
    }
}

impl Previous {
    /// The previous round's `tiltak` as a report of today's definition `def`
    /// with `filters` compares with them.
    pub fn of(def: &ProcessDefinition, filters: &Filters, tiltak: &[Tiltak]) -> Previous {
        let selected: Vec<&Tiltak> = tiltak.iter().filter(|t| filters.matches(def, t)).collect();
        let levels = level_keys(def).map(|id| level_counts(&selected, id, def)).collect();
        Previous { levels, tiltak: selected.into_iter().map(Was::of).collect() }
    }
}

/// The segments [`Previous::levels`] counts, in its order.
fn level_keys(def: &ProcessDefinition) -> impl Iterator<Item = Option<&str>> {
    std::iter::once(None).chain(def.segments.iter().map(|s| Some(s.id.as_str()))).chain(std::iter::once(Some(NONE)))
}

/// Build the report, compared with the previous round when there is one.
pub fn build(input: &Input<'_>, previous: Option<Previous>) -> Report {
    let def = input.now.def;
    let filters = &input.filters;
    let tiltak = reported(def, input.now.tiltak, filters);
    let (previous_levels, previous_tiltak) = match previous {
        Some(p) => (Some(p.levels), Some(p.tiltak)),
        None => (None, None),
    };

    let paths: Vec<&std::path::Path> = tiltak.iter().map(|t| t.path.as_path()).collect();
    let history_stays = input.history.as_ref().ok().map(|h| h.stays);
    let date = input.date;
    let days_in_phase = |t: &Tiltak| -> Option<(NaiveDate, i64)> {
        let (phase, since) = history_stays.as_ref()?.entered.get(t.id())?;
        (*phase == t.phase).then(|| (*since, (date - *since).num_days().max(0)))
    };

    let history = match &input.history {
        Ok(_) => HistoryInfo { available: true, reason: None },
        Err(why) => HistoryInfo { available: false, reason: Some(why.clone()) },
    };

    // The rows, and the changes since the previous round (they look up
    // every tiltak and event by ID), are made on threads of their own while
    // the sections are built: each pass over ten thousand tiltak mostly
    // waits for memory.
    let changes_and_rows = || {
        beside(
            || match (&previous_tiltak, &input.history) {
                (Some(was), Ok(h)) => Some(changes(def, &tiltak, was, h)),
                _ => None,
            },
            // Each row's findings counted, and what needs attention drawn from the rows.
            || {
                let mut rows: Vec<Arc<Row>> = tiltak
                    .iter()
                    .map(|t| Arc::new(row(def, t, days_in_phase(t).map(|(_, d)| d), (0, 0), date)))
                    .collect();
                let attention = count_findings(&mut rows, &paths, input.now.diagnostics);
                (rows, attention)
            },
        )
    };
    let sections = || Report {
        version: 1,
        portfolio: PortfolioInfo { name: def.name.clone(), id_prefix: def.id_prefix.clone() },
        language: input.language,
        as_of: AsOf {
            date: input.date.to_string(),
            commit: input.commit.map(CommitRef::from),
            uncommitted: input.uncommitted,
            round: input.round.map(str::to_owned),
            first_round: input.round.is_some() && input.previous.is_none(),
        },
        since: input.previous.as_ref().map(|(requested, commit)| Since {
            requested: requested.clone(),
            commit: commit.map(CommitRef::from),
            round: input.previous_round.map(str::to_owned),
        }),
        filters: filters.clone(),
        history,
        key_figures: key_figures(def, &tiltak),
        status: status_section(def, &tiltak, previous_levels.as_deref()),
        attention: Vec::new(),
        changes: None,
        goals: goals(def, &tiltak),
        milestones: milestones(&tiltak, input.date),
        flow: history_stays.as_ref().map(|s| flow(def, &tiltak, s, input.date)),
        benefits: benefits(&tiltak, input.date),
        risks: risks(def, &tiltak),
        economy: economy(def, &tiltak),
        data_quality: {
            let mut quality = data_quality(def, &tiltak, input.date);
            quality.not_reported = input.open_round.map(|r| not_reported(def, r, &tiltak, input.date));
            set_quality_findings(&mut quality, def, &paths, input.now.diagnostics);
            quality
        },
        tiltak: Vec::new(),
    };
    let ((changes, (rows, attention)), mut report) = beside(changes_and_rows, sections);
    (report.changes, report.tiltak, report.attention) = (changes, rows, attention);
    report
}

/// Set in `report` what the findings `diagnostics` decide: each row's
/// errors and warnings, what needs attention (it is drawn from the rows),
/// and data quality's findings and their counts. `paths` are the files of
/// the report's rows, in their order (see [`reported`]). [`build`] does
/// the same on two threads; a national report does it for a portfolio
/// whose findings the rules across portfolios change once every portfolio
/// is read, without reading it again.
pub fn set_findings(
    report: &mut Report,
    def: &ProcessDefinition,
    paths: &[&std::path::Path],
    diagnostics: &[Diagnostic],
) {
    // The attention list shares the rows (drawn again below): let go of it
    // first, so each row is changed in place, not copied.
    report.attention.clear();
    report.attention = count_findings(&mut report.tiltak, paths, diagnostics);
    set_quality_findings(&mut report.data_quality, def, paths, diagnostics);
}

/// Set each row's errors and warnings among `diagnostics` (`paths` are the
/// rows' files, in their order); the rows that then need attention.
fn count_findings(rows: &mut [Arc<Row>], paths: &[&std::path::Path], diagnostics: &[Diagnostic]) -> Vec<Arc<Row>> {
    // By the paths' bytes (a finding names its file by the path the file
    // was read by): hashing a `Path` walks its components, which at ten
    // thousand findings cost more than counting them.
    let mut per_file: HashMap<&std::ffi::OsStr, (usize, usize)> = HashMap::new();
    for d in diagnostics {
        let e = per_file.entry(d.path.as_os_str()).or_default();
        if d.is_error() { e.0 += 1 } else { e.1 += 1 }
    }
    for (row, path) in rows.iter_mut().zip(paths) {
        let row = Arc::make_mut(row);
        (row.errors, row.warnings) = per_file.get(path.as_os_str()).copied().unwrap_or_default();
    }
    attention(rows)
}

/// Set in `quality` the findings on the reported files (`paths`) and on
/// the portfolio as a whole (duplicate IDs, stray files), and their counts.
fn set_quality_findings(
    quality: &mut DataQuality,
    def: &ProcessDefinition,
    paths: &[&std::path::Path],
    diagnostics: &[Diagnostic],
) {
    let paths: std::collections::HashSet<&std::ffi::OsStr> = paths.iter().map(|p| p.as_os_str()).collect();
    let relevant: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| {
            paths.contains(d.path.as_os_str()) || (d.code != Code::StatusStale && !d.path.starts_with(&def.tiltak_dir))
        })
        .collect();
    quality.errors = relevant.iter().filter(|d| d.is_error()).count();
    quality.warnings = relevant.iter().filter(|d| !d.is_error()).count();
    quality.diagnostics = relevant.into_iter().map(JsonDiagnostic::from).collect();
}

/// Every tiltak's row as `list` shows it: no history (so no days in phase)
/// and no findings counted.
pub fn rows(def: &ProcessDefinition, tiltak: &[&Tiltak], today: NaiveDate) -> Vec<Row> {
    tiltak.iter().map(|t| row(def, t, None, (0, 0), today)).collect()
}

/// One tiltak's row, for the report and for `list`.
fn row(
    def: &ProcessDefinition,
    t: &Tiltak,
    days_in_phase: Option<i64>,
    (errors, warnings): (usize, usize),
    today: NaiveDate,
) -> Row {
    let fm = &t.fm;
    Row {
        id: t.id().to_owned(),
        portfolio: None,
        title: t.title().to_owned(),
        path: crate::diag::display_path(&t.path),
        phase: phase_ref(def, t.phase),
        segment: fm.segment.as_ref().map(|s| def.segment(s).map_or(s.clone(), |d| d.id.clone())),
        segment_name: fm.segment.as_ref().and_then(|s| def.segment(s)).map(|d| d.name.clone()),
        product_group: fm.product_group.clone(),
        owner: fm.owner.clone(),
        organization: fm.organization.clone(),
        priority: fm.priority.map(|p| p.as_str().to_owned()),
        state: fm.state(),
        state_reason: fm.state_reason.clone(),
        status: fm.status_level(),
        status_reason: fm.status.as_ref().and_then(|s| s.reason.clone()),
        status_updated: fm.status.as_ref().and_then(|s| s.updated).map(|d| d.to_string()),
        risk: fm.risk_level(),
        risk_description: fm.risk.as_ref().and_then(|r| r.description.clone()),
        risk_mitigation: fm.risk.as_ref().and_then(|r| r.mitigation.clone()),
        next_milestone: fm.next_milestone().map(|m| MilestoneRef {
            name: m.name.clone().unwrap_or_default(),
            date: m.date.map(|d| d.to_string()).unwrap_or_default(),
        }),
        strategic_goals: fm.strategic_goals.clone().unwrap_or_default(),
        sdgs: fm.sdgs.clone().unwrap_or_default(),
        days_in_phase,
        schedule: schedule(t, today),
        errors,
        warnings,
    }
}

/// Time gone against milestones done, for an active tiltak with a timeframe.
fn schedule(t: &Tiltak, today: NaiveDate) -> Option<Schedule> {
    let fm = &t.fm;
    if fm.state() != State::Active {
        return None;
    }
    let tf = fm.timeframe.as_ref()?;
    let (start, end) = (tf.start?.0, tf.end?.0);
    let span = (end - start).num_days();
    if span <= 0 {
        return None;
    }
    let elapsed = ((today - start).num_days() as f64 / span as f64).clamp(0.0, 1.0);
    let milestones = fm.milestones.as_deref().unwrap_or_default();
    let milestones_done =
        (!milestones.is_empty()).then(|| milestones.iter().filter(|m| m.done).count() as f64 / milestones.len() as f64);
    let oldest_overdue_days = milestones
        .iter()
        .filter(|m| !m.done)
        .filter_map(|m| m.date.map(|d| (today - d.0).num_days()))
        .filter(|&days| days > 0)
        .max();
    Some(Schedule { elapsed, milestones_done, oldest_overdue_days })
}

fn key_figures(def: &ProcessDefinition, tiltak: &[&Tiltak]) -> KeyFigures {
    let mut total = Counts::default();
    let mut phases: Vec<Bucket> = def
        .phases
        .iter()
        .map(|p| Bucket { id: p.id.clone(), name: p.name.clone(), unassigned: false, counts: Counts::default() })
        .collect();
    let mut segments: Vec<Bucket> = def
        .segments
        .iter()
        .map(|s| Bucket { id: s.id.clone(), name: s.name.clone(), unassigned: false, counts: Counts::default() })
        .collect();
    let mut groups: Vec<Bucket> = def
        .product_groups
        .iter()
        .map(|g| Bucket { id: g.clone(), name: g.clone(), unassigned: false, counts: Counts::default() })
        .collect();
    // Each group's name as a tiltak's `product_group` is matched against it.
    let group_keys: Vec<String> = groups.iter().map(|b| crate::text::normalize(&b.id)).collect();
    let none = || Bucket { id: NONE.to_owned(), name: NONE.to_owned(), unassigned: true, counts: Counts::default() };
    let mut no_segment = none();
    let mut no_group = none();
    for t in tiltak {
        let state = t.fm.state();
        total.add(state);
        if let Some(p) = t.phase {
            phases[p].counts.add(state);
        }
        match t.fm.segment.as_ref().and_then(|s| def.segment(s)) {
            Some(s) => {
                if let Some(b) = segments.iter_mut().find(|b| b.id == s.id) {
                    b.counts.add(state);
                }
            }
            None if !def.segments.is_empty() => no_segment.counts.add(state),
            None => {}
        }
        let group = t.fm.product_group.as_ref().and_then(|g| {
            let key = crate::text::normalize(g);
            group_keys.iter().position(|k| *k == key).map(|i| &mut groups[i])
        });
        match group {
            Some(b) => b.counts.add(state),
            None if !def.product_groups.is_empty() => no_group.counts.add(state),
            None => {}
        }
    }
    if no_segment.counts.total() > 0 {
        segments.push(no_segment);
    }
    if no_group.counts.total() > 0 {
        groups.push(no_group);
    }
    KeyFigures { total, phases, segments, product_groups: groups }
}

fn level_counts(tiltak: &[&Tiltak], segment: Option<&str>, def: &ProcessDefinition) -> (LevelCounts, LevelCounts) {
    let mut status = LevelCounts::default();
    let mut risk = LevelCounts::default();
    for t in tiltak.iter().filter(|t| t.fm.state().is_open()) {
        let own = t.fm.segment.as_ref().and_then(|s| def.segment(s)).map_or(NONE, |s| s.id.as_str());
        if segment.is_some_and(|seg| seg != own) {
            continue;
        }
        status.add(t.fm.status_level());
        risk.add(t.fm.risk_level());
    }
    (status, risk)
}

/// The status section; `previous`: the previous round's counts in
/// [`Previous::levels`]' order.
fn status_section(
    def: &ProcessDefinition,
    tiltak: &[&Tiltak],
    previous: Option<&[(LevelCounts, LevelCounts)]>,
) -> StatusSection {
    // `at`: the place of these counts in `previous` (see [`level_keys`]).
    let levels = |at: usize, id: Option<&str>, name: &str| {
        let (status, risk) = level_counts(tiltak, id, def);
        let before = previous.map(|p| p[at]);
        Levels {
            id: id.map(str::to_owned),
            name: name.to_owned(),
            unassigned: id == Some(NONE),
            status,
            risk,
            previous_status: before.map(|b| b.0),
            previous_risk: before.map(|b| b.1),
        }
    };
    let n = def.segments.len();
    let mut segments: Vec<Levels> =
        def.segments.iter().enumerate().map(|(i, s)| levels(1 + i, Some(&s.id), &s.name)).collect();
    let none = levels(1 + n, Some(NONE), NONE);
    let any = |c: &LevelCounts| c.green + c.yellow + c.red + c.unknown > 0;
    if n > 0 && (any(&none.status) || none.previous_status.as_ref().is_some_and(any)) {
        segments.push(none);
    }
    StatusSection { overall: levels(0, None, &def.name), segments }
}

fn rank(level: Option<Level>) -> u8 {
    match level {
        Some(Level::Red) => 2,
        Some(Level::Yellow) => 1,
        _ => 0,
    }
}

pub(crate) fn attention(rows: &[Arc<Row>]) -> Vec<Arc<Row>> {
    let mut out: Vec<Arc<Row>> =
        rows.iter().filter(|r| r.state.is_open()).filter(|r| rank(r.status).max(rank(r.risk)) > 0).cloned().collect();
    // Red before yellow; status before risk; then by ID.
    let level = |r: &Row| std::cmp::Reverse((rank(r.status).max(rank(r.risk)), rank(r.status)));
    out.sort_by(|a, b| level(a).cmp(&level(b)).then_with(|| a.id.cmp(&b.id)));
    out
}

fn mention(id: &str, title: &str, event: Option<&Event>) -> Mention {
    Mention {
        id: id.to_owned(),
        title: title.to_owned(),
        date: event.map(|e| day(&e.commit)),
        commit: event.map(|e| e.commit.short.clone()),
    }
}

/// A state change, dated by the last commit in the range that recorded it
/// (`State:` trailer, as `hold`/`stop`/`resume` write; a merge dates it when
/// it came from a branch).
fn state_mention(t: &Tiltak, state: State, states: &HashMap<Cow<'_, str>, Vec<(State, &CommitInfo)>>) -> Mention {
    let commit =
        states.get(&id_key(t.id())).and_then(|list| list.iter().rev().find(|(s, _)| *s == state)).map(|(_, c)| *c);
    Mention {
        id: t.id().to_owned(),
        title: t.title().to_owned(),
        date: commit.map(day),
        commit: commit.map(|c| c.short.clone()),
    }
}

/// An ID as the changes look tiltak and events up by it: in upper case,
/// borrowed when it already is (as IDs are written), not copied.
fn id_key(id: &str) -> Cow<'_, str> {
    match id.bytes().any(|b| b.is_ascii_lowercase()) {
        true => Cow::Owned(id.to_ascii_uppercase()),
        false => Cow::Borrowed(id),
    }
}

fn changes(def: &ProcessDefinition, now: &[&Tiltak], previous: &[Was], h: &HistoryInput<'_>) -> Changes {
    let before: HashMap<Cow<'_, str>, &Was> = previous.iter().map(|t| (id_key(&t.id), t)).collect();
    let after: HashMap<Cow<'_, str>, &Tiltak> = now.iter().map(|t| (id_key(t.id()), *t)).collect();
    let in_range: Vec<&Event> = h.events.iter().filter(|e| (h.in_range)(&e.commit)).collect();
    // The last creation and deletion of each tiltak in the range, and every
    // state change recorded in it, looked up by ID.
    let mut created: HashMap<Cow<'_, str>, &Event> = HashMap::new();
    let mut deleted: HashMap<Cow<'_, str>, &Event> = HashMap::new();
    for e in &in_range {
        match e.kind {
            EventKind::Created { .. } => created.insert(id_key(&e.id), e),
            EventKind::Deleted { .. } => deleted.insert(id_key(&e.id), e),
            EventKind::Moved { .. } | EventKind::StateChanged { .. } => None,
        };
    }
    let mut states: HashMap<Cow<'_, str>, Vec<(State, &CommitInfo)>> = HashMap::new();
    for e in &in_range {
        if let EventKind::StateChanged { state } = e.kind {
            // Dated by the commit on the line: a merge for a branch's change.
            states.entry(id_key(&e.id)).or_default().push((state, &e.commit));
        }
    }
    let mut c = Changes::default();
    for t in now {
        let key = id_key(t.id());
        match before.get(&key) {
            None => c.new.push(mention(t.id(), t.title(), created.get(&key).copied())),
            Some(old) => {
                let (was, is) = (old.state, t.fm.state());
                if was != is {
                    let list = match is {
                        State::Stopped => &mut c.stopped,
                        State::OnHold => &mut c.on_hold,
                        State::Active => &mut c.resumed,
                        // Completed: closed out of the last phase (`advance`
                        // records it), not merely arrived there.
                        State::Closed => &mut c.completed,
                    };
                    list.push(state_mention(t, is, &states));
                }
                if old.status != t.fm.status_level() {
                    c.status_changes.push(LevelChange {
                        id: t.id().to_owned(),
                        title: t.title().to_owned(),
                        from: old.status,
                        to: t.fm.status_level(),
                    });
                }
                if old.risk != t.fm.risk_level() {
                    c.risk_changes.push(LevelChange {
                        id: t.id().to_owned(),
                        title: t.title().to_owned(),
                        from: old.risk,
                        to: t.fm.risk_level(),
                    });
                }
            }
        }
        // A new tiltak stopped at once is still news of both kinds.
        if !before.contains_key(&key) && t.fm.state() == State::Stopped {
            c.stopped.push(state_mention(t, State::Stopped, &states));
        }
    }
    for t in previous {
        let key = id_key(&t.id);
        if !after.contains_key(&key) && now.len() + previous.len() > 0 {
            c.removed.push(mention(&t.id, &t.title, deleted.get(&key).copied()));
        }
    }
    let titles: HashMap<Cow<'_, str>, &str> = now.iter().map(|t| (id_key(t.id()), t.title())).collect();
    for e in &in_range {
        let EventKind::Moved { from, to } = e.kind else { continue };
        // Only tiltak in the report (filters apply to gates too).
        let Some(title) = titles.get(&id_key(&e.id)) else { continue };
        let kind = match (from, to) {
            (Some(f), Some(t)) if t == f + 1 => GateKind::Forward,
            (Some(f), Some(t)) if t > f => GateKind::Skip,
            (Some(_), Some(_)) => GateKind::Back,
            _ => GateKind::Other,
        };
        let name = |p: Option<usize>| p.map(|p| def.phases[p].name.clone());
        let id = |p: Option<usize>| p.map(|p| def.phases[p].id.clone());
        let forced = e.decision.forced.clone();
        let decided_by =
            e.decision.decided_by.clone().or_else(|| (!e.commit.merged.is_empty()).then(|| e.commit.committer.clone()));
        c.gates.push(Gate {
            id: e.id.clone(),
            title: (*title).to_owned(),
            from: id(from),
            to: id(to),
            from_name: name(from),
            to_name: name(to),
            kind,
            date: day(&e.commit),
            commit: e.commit.short.clone(),
            decided_by,
            forced,
        });
    }
    c
}

fn goals(def: &ProcessDefinition, tiltak: &[&Tiltak]) -> Goals {
    let count = |id: u32, name: &str, pick: &dyn Fn(&Tiltak) -> &Option<Vec<u32>>| {
        let ids: Vec<String> = tiltak
            .iter()
            .filter(|t| t.fm.state() != State::Stopped)
            .filter(|t| pick(t).as_ref().is_some_and(|v| v.contains(&id)))
            .map(|t| t.id().to_owned())
            .collect();
        GoalCount { id, name: name.to_owned(), count: ids.len(), tiltak: ids }
    };
    Goals {
        strategic: def.strategic_goals.iter().map(|g| count(g.id, &g.name, &|t| &t.fm.strategic_goals)).collect(),
        sdgs: def.sdgs.iter().map(|g| count(g.id, &g.name, &|t| &t.fm.sdgs)).collect(),
    }
}

fn milestones(tiltak: &[&Tiltak], today: NaiveDate) -> Milestones {
    let mut overdue = Vec::new();
    let mut upcoming = Vec::new();
    for t in tiltak.iter().filter(|t| t.fm.state().is_open()) {
        let lists = [(DueKind::Milestone, &t.fm.milestones), (DueKind::Delivery, &t.fm.deliveries)];
        for (kind, list) in lists {
            for m in list.iter().flatten().filter(|m| !m.done) {
                let Some(date) = m.date else { continue };
                let days = (date.0 - today).num_days();
                let item = DueItem {
                    id: t.id().to_owned(),
                    title: t.title().to_owned(),
                    kind,
                    name: m.name.clone().unwrap_or_default(),
                    date: date.to_string(),
                    days,
                };
                if days < 0 {
                    overdue.push(item);
                } else if days <= DAYS_AHEAD {
                    upcoming.push(item);
                }
            }
        }
    }
    overdue.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    upcoming.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    Milestones { overdue, upcoming }
}

fn flow(def: &ProcessDefinition, tiltak: &[&Tiltak], stays: &Stays, today: NaiveDate) -> Flow {
    let mut items = Vec::new();
    let mut current: BTreeMap<usize, Vec<i64>> = BTreeMap::new();
    for t in tiltak.iter().filter(|t| t.fm.state().is_open()) {
        let Some(phase) = t.phase else { continue };
        let Some((p, since)) = stays.entered.get(t.id()) else { continue };
        if *p != Some(phase) {
            continue;
        }
        let days = (today - *since).num_days().max(0);
        current.entry(phase).or_default().push(days);
        items.push(FlowItem {
            id: t.id().to_owned(),
            title: t.title().to_owned(),
            phase: def.phases[phase].name.clone(),
            entered: since.to_string(),
            days,
        });
    }
    items.sort_by(|a, b| b.days.cmp(&a.days).then(a.id.cmp(&b.id)));
    let phases = def
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut done = stays.finished.get(&i).cloned().unwrap_or_default();
            let mut now = current.get(&i).cloned().unwrap_or_default();
            PhaseFlow {
                id: p.id.clone(),
                name: p.name.clone(),
                stays: done.len(),
                median_days: median(&mut done),
                current: now.len(),
                current_median_days: median(&mut now),
            }
        })
        .collect();
    Flow { tiltak: items, phases }
}

/// Data quality without its findings (see [`set_findings`]).
fn data_quality(def: &ProcessDefinition, tiltak: &[&Tiltak], today: NaiveDate) -> DataQuality {
    let mut stale = Vec::new();
    for t in tiltak.iter().filter(|t| t.fm.state() == State::Active) {
        let updated = t.fm.status.as_ref().and_then(|s| s.updated);
        let days = updated.map(|u| (today - u.0).num_days());
        if days.is_none_or(|d| d > i64::from(def.stale_after_days)) {
            stale.push(StaleItem {
                id: t.id().to_owned(),
                title: t.title().to_owned(),
                updated: updated.map(|u| u.to_string()),
                days,
            });
        }
    }
    stale.sort_by(|a, b| b.days.unwrap_or(i64::MAX).cmp(&a.days.unwrap_or(i64::MAX)).then(a.id.cmp(&b.id)));
    DataQuality {
        stale,
        stale_after_days: def.stale_after_days,
        errors: 0,
        warnings: 0,
        diagnostics: Vec::new(),
        not_reported: None,
    }
}

/// The active tiltak that have not reported in the open round `r`, judged
/// on `today` as `portfolio round` judges them (a late report is a report).
fn not_reported(def: &ProcessDefinition, r: &Round, tiltak: &[&Tiltak], today: NaiveDate) -> NotReported {
    let missing = tiltak
        .iter()
        .filter_map(|t| match round::standing(def, r, t, today) {
            Standing::Missing(days_left) => Some(NotReportedItem {
                id: t.id().to_owned(),
                title: t.title().to_owned(),
                owner: t.fm.owner.clone(),
                organization: t.fm.organization.clone(),
                days_left,
            }),
            Standing::OnTime(_) | Standing::Late(..) | Standing::Exempt(_) => None,
        })
        .collect();
    NotReported { round: r.id.clone(), opens: r.opens.to_string(), due: r.due.to_string(), tiltak: missing }
}

/// Section "Gevinster": every benefit record, stopped tiltak left out.
fn benefits(tiltak: &[&Tiltak], today: NaiveDate) -> BenefitsSection {
    let mut out = BenefitsSection::default();
    let mut totals: BTreeMap<String, BenefitTotal> = BTreeMap::new();
    for t in tiltak.iter().filter(|t| t.fm.state() != State::Stopped) {
        let Some(benefits) = &t.fm.benefits else { continue };
        if let crate::domain::benefits::Benefits::Text(_) = benefits {
            out.text_only += 1;
            continue;
        }
        for b in benefits.records() {
            let progress = b.progress(today);
            let unmeasured = b.last_measured().is_none_or(|d| (today - d).num_days() > 365);
            let kind = b.kind.clone().unwrap_or_else(|| NONE.to_owned());
            let total = totals.entry(kind.clone()).or_insert_with(|| BenefitTotal {
                kind,
                count: 0,
                on_track: 0,
                behind: 0,
                unmeasured_for_a_year: 0,
            });
            total.count += 1;
            match progress.map(|p| p.on_track) {
                Some(true) => total.on_track += 1,
                Some(false) => total.behind += 1,
                None => {}
            }
            if unmeasured {
                total.unmeasured_for_a_year += 1;
            }
            let value = |m: Option<crate::domain::benefits::Measure>| m.and_then(|m| m.value);
            let date = |m: Option<crate::domain::benefits::Measure>| m.and_then(|m| m.date).map(|d| d.to_string());
            out.benefits.push(BenefitRow {
                tiltak_id: t.id().to_owned(),
                tiltak_title: t.title().to_owned(),
                id: b.id.clone(),
                description: b.description.clone(),
                kind: b.kind.clone(),
                owner: b.owner.clone(),
                indicator: b.indicator.clone(),
                unit: b.unit.clone(),
                baseline: value(b.baseline),
                baseline_date: date(b.baseline),
                latest: progress.map(|p| p.latest),
                latest_date: progress.map(|p| p.latest_date.to_string()),
                target: value(b.target),
                target_date: date(b.target),
                realised: progress.map(|p| p.realised),
                on_track: progress.map(|p| p.on_track),
                unmeasured_for_a_year: unmeasured,
            });
        }
    }
    out.by_type = totals.into_values().collect();
    out
}

/// Section "Risiko": the 5×5 matrix of open risks and the ten highest.
fn risks(def: &ProcessDefinition, tiltak: &[&Tiltak]) -> RisksSection {
    let mut matrix = vec![vec![0usize; 5]; 5];
    let mut all = Vec::new();
    for t in tiltak.iter().filter(|t| t.fm.state().is_open()) {
        for r in t.fm.risks.iter().flatten().filter(|r| !r.closed) {
            let Some((p, c)) = r.cell() else { continue };
            matrix[usize::from(p) - 1][usize::from(c) - 1] += 1;
            let score = p * c;
            let residual_score = r.residual_score();
            all.push(RiskRow {
                tiltak_id: t.id().to_owned(),
                tiltak_title: t.title().to_owned(),
                id: r.id.clone(),
                description: r.description.clone(),
                probability: p,
                consequence: c,
                score,
                level: Some(def.risk_scores.level(score)),
                residual_score,
                residual_level: residual_score.map(|s| def.risk_scores.level(s)),
                owner: r.owner.clone(),
                mitigation: r.mitigation.clone(),
            });
        }
    }
    let open = all.len();
    // Highest score first; ties by tiltak and risk id, so the order is stable.
    all.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.tiltak_id.cmp(&b.tiltak_id)).then_with(|| a.id.cmp(&b.id)));
    all.truncate(10);
    let levels = (1..=5u8).map(|p| (1..=5u8).map(|c| def.risk_scores.level(p * c)).collect()).collect();
    RisksSection { matrix, levels, open, top: all }
}

/// Section "Økonomi": sums per year, phase, segment and product group.
fn economy(def: &ProcessDefinition, tiltak: &[&Tiltak]) -> Economy {
    let mut out = Economy { total: MoneyRow { id: "total".into(), ..MoneyRow::default() }, ..Economy::default() };
    let mut years: BTreeMap<i32, f64> = BTreeMap::new();
    let mut phases: Vec<MoneyRow> =
        def.phases.iter().map(|p| MoneyRow { id: p.id.clone(), name: p.name.clone(), ..MoneyRow::default() }).collect();
    let mut segments: BTreeMap<String, MoneyRow> = BTreeMap::new();
    let mut groups: BTreeMap<String, MoneyRow> = BTreeMap::new();
    for t in tiltak.iter().filter(|t| t.fm.state() != State::Stopped) {
        let Some(b) = &t.fm.budget else { continue };
        let add = |row: &mut MoneyRow| {
            row.tiltak += 1;
            row.investment += b.investment.unwrap_or(0.0);
            row.operations += b.operations.unwrap_or(0.0);
            row.granted += b.granted.unwrap_or(0.0);
            row.spent += b.spent.unwrap_or(0.0);
            row.forecast += b.forecast.or(b.investment).unwrap_or(0.0);
        };
        add(&mut out.total);
        if let Some(p) = t.phase {
            add(&mut phases[p]);
        }
        let segment = t.fm.segment.as_deref().and_then(|s| def.segment(s));
        let (sid, sname) = segment.map_or((NONE.to_owned(), NONE.to_owned()), |s| (s.id.clone(), s.name.clone()));
        add(segments.entry(sid.clone()).or_insert_with(|| MoneyRow { id: sid, name: sname, ..MoneyRow::default() }));
        let group = t.fm.product_group.clone().unwrap_or_else(|| NONE.to_owned());
        add(groups.entry(group.clone()).or_insert_with(|| MoneyRow {
            id: group.clone(),
            name: group,
            ..MoneyRow::default()
        }));
        for (year, amount) in b.by_year.iter().flatten() {
            *years.entry(*year).or_default() += amount;
        }
        if let (Some(investment), Some(forecast)) = (b.investment, b.forecast)
            && investment > 0.0
            && ((forecast - investment) / investment).abs() > 0.10
        {
            out.deviations.push(Deviation {
                id: t.id().to_owned(),
                title: t.title().to_owned(),
                investment,
                forecast,
                share: (forecast - investment) / investment,
            });
        }
    }
    out.by_year = years.into_iter().map(|(year, investment)| YearSum { year, investment }).collect();
    out.by_phase = phases;
    if !def.segments.is_empty() {
        out.by_segment = segments.into_values().collect();
    }
    if !def.product_groups.is_empty() {
        out.by_group = groups.into_values().collect();
    }
    out
}
