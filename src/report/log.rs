//! The decision log (SPEC §10): every gate, hold, stop, resume and new
//! tiltak, with date, commit, who decided and why — read from the history's
//! events (`domain::history`), never from the trailers again. Newest first.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::layout::{Block, Cell, Span, Table};
use super::model::day;
use super::words::Words;
use crate::domain::history::{Event, EventKind};
use crate::domain::model::State;
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;

/// `portfolio log --format json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(title = "Decision log")]
pub struct DecisionLog {
    pub version: u32,
    pub portfolio: String,
    /// What `--since` named, if anything.
    pub since: Option<String>,
    /// What `--until` named, if anything.
    pub until: Option<String>,
    /// `--id`.
    pub id: Option<String>,
    /// Newest first.
    pub entries: Vec<LogEntry>,
}

/// What was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// A gate to the next phase.
    Gate,
    /// A forced gate past one phase or more.
    Skip,
    /// A move to an earlier phase.
    Back,
    /// A move made by hand (`git mv`), not by `advance`.
    ByHand,
    /// A new tiltak.
    Created,
    Hold,
    Stop,
    Resume,
    /// Closed out of the last phase, its closing criteria met.
    Close,
    /// A tiltak file deleted (it should have been stopped).
    Deleted,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LogEntry {
    /// The commit's date (`YYYY-MM-DD`), in its committer's time zone.
    pub date: String,
    /// The commit on the first-parent line (a merge, for a branch's change).
    pub commit: String,
    pub id: String,
    /// As the tiltak is titled now; `null` when it is gone.
    pub title: Option<String>,
    pub kind: DecisionKind,
    /// Phase names; for a new tiltak, `to` is the phase it started in.
    pub from: Option<String>,
    pub to: Option<String>,
    /// `Decided-By:`, else the committer (who merged, for a branch's change).
    pub decided_by: String,
    /// `Forced:`, else `Reason:`.
    pub reason: Option<String>,
}

/// The events to keep: a predicate over each event's commit.
pub type Keep<'a> = &'a dyn Fn(&Event) -> bool;

/// The log entries of `events` that `keep` keeps, newest first; titles
/// as the tiltak are titled now (`null` for one that is gone).
pub fn entries(def: &ProcessDefinition, events: &[Event], tiltak: &[Tiltak], keep: Keep<'_>) -> Vec<LogEntry> {
    let titles = titles(tiltak);
    let which = events.iter().enumerate().filter(|(_, e)| keep(e)).map(|(n, _)| n);
    newest_first(def, events, which, &|id| titles.get(&id.to_ascii_uppercase()).copied()).collect()
}

/// Each tiltak's title now, by its ID in upper case (a duplicate ID: the
/// last file's).
pub fn titles(tiltak: &[Tiltak]) -> HashMap<String, &str> {
    tiltak.iter().map(|t| (t.id().to_ascii_uppercase(), t.title())).collect()
}

/// The log entries of the events at `which` (places in `events`), newest
/// first, each made as it is taken (the site's log has tens of thousands);
/// `title` is a tiltak's title now, by its ID.
pub fn newest_first<'a>(
    def: &'a ProcessDefinition,
    events: &'a [Event],
    which: impl IntoIterator<Item = usize>,
    title: &'a dyn Fn(&str) -> Option<&'a str>,
) -> impl ExactSizeIterator<Item = LogEntry> + 'a {
    let mut order: Vec<usize> = which.into_iter().collect();
    // By position on the line, then the order within a commit reversed.
    order.sort_unstable_by_key(|&n| std::cmp::Reverse((events[n].step, n)));
    order.into_iter().map(move |n| entry(def, &events[n], title))
}

/// The log entry of one event.
fn entry<'t>(def: &ProcessDefinition, e: &Event, title: &dyn Fn(&str) -> Option<&'t str>) -> LogEntry {
    let name = |p: Option<usize>| p.and_then(|p| def.phases.get(p)).map(|p| p.name.clone());
    let (kind, from, to) = match e.kind {
        EventKind::Created { phase } => (DecisionKind::Created, None, name(phase)),
        EventKind::Moved { from, to } => {
            let kind = match (e.decision.by_advance, from, to) {
                (false, _, _) => DecisionKind::ByHand,
                (true, Some(f), Some(t)) if t == f + 1 => DecisionKind::Gate,
                (true, Some(f), Some(t)) if t > f => DecisionKind::Skip,
                (true, Some(_), Some(_)) => DecisionKind::Back,
                _ => DecisionKind::ByHand,
            };
            (kind, name(from), name(to))
        }
        EventKind::StateChanged { state } => {
            let kind = match state {
                State::OnHold => DecisionKind::Hold,
                State::Stopped => DecisionKind::Stop,
                State::Active => DecisionKind::Resume,
                State::Closed => DecisionKind::Close,
            };
            (kind, None, None)
        }
        EventKind::Deleted { phase } => (DecisionKind::Deleted, name(phase), None),
    };
    LogEntry {
        date: day(&e.commit),
        commit: e.commit.short.clone(),
        id: e.id.clone(),
        title: title(&e.id).map(str::to_owned),
        kind,
        from,
        to,
        decided_by: e.decision.decided_by.clone().unwrap_or_else(|| e.commit.committer.clone()),
        reason: e.decision.why().map(str::to_owned),
    }
}

/// What a decision was, in words.
pub fn what(e: &LogEntry, w: &Words) -> String {
    let word = match e.kind {
        DecisionKind::Gate => w.gate_forward,
        DecisionKind::Skip => w.gate_skip,
        DecisionKind::Back => w.gate_back,
        DecisionKind::ByHand => w.gate_hand,
        DecisionKind::Created => w.created,
        DecisionKind::Hold => w.hold,
        DecisionKind::Stop => w.stop,
        DecisionKind::Resume => w.resume,
        DecisionKind::Close => w.close,
        DecisionKind::Deleted => w.deleted,
    };
    match (&e.from, &e.to) {
        (None, None) => word.to_owned(),
        (Some(f), None) => format!("{word} ({f})"),
        (None, Some(t)) => format!("{word} ({t})"),
        (Some(f), Some(t)) => format!("{word}: {f} → {t}"),
    }
}

/// The log as a table of blocks (also the agenda's last section).
pub fn table(entries: &[LogEntry], w: &Words, l: &super::i18n::Labels) -> Table {
    into_table(entries.to_vec(), w, l)
}

/// [`table`], the entries' text moved into the cells (the site's log has
/// tens of thousands).
pub fn into_table(entries: impl IntoIterator<Item = LogEntry>, w: &Words, l: &super::i18n::Labels) -> Table {
    let rows: Vec<Vec<Cell>> = entries
        .into_iter()
        .map(|e| {
            let what = what(&e, w);
            vec![
                Cell::Text(e.date),
                Cell::Text(e.commit),
                Cell::Text(e.id),
                Cell::Text(e.title.unwrap_or_default()),
                Cell::Text(what),
                Cell::Text(e.decided_by),
                Cell::Text(e.reason.unwrap_or_default()),
            ]
        })
        .collect();
    super::layout::table(w.entries, &[l.date, l.commit, l.id, l.title_col, w.what, w.who, w.why], &[3, 4, 6], rows)
}

/// Lay the log out.
pub fn layout(log: &DecisionLog, w: &Words, l: &super::i18n::Labels) -> Vec<Block> {
    let mut out = vec![Block::Title { name: log.portfolio.clone(), title: w.log.to_owned() }];
    if log.since.is_some() || log.until.is_some() {
        let span = format!("{} – {}", log.since.as_deref().unwrap_or(""), log.until.as_deref().unwrap_or(""));
        out.push(Block::Meta { term: w.period.to_owned(), sep: ": ", value: vec![Span::Text(span.trim().to_owned())] });
    }
    if let Some(id) = &log.id {
        out.push(Block::Meta { term: l.tiltak.to_owned(), sep: ": ", value: vec![Span::Text(id.clone())] });
    }
    out.push(Block::SubHeading(format!("{} ({})", w.entries, log.entries.len())));
    if log.entries.is_empty() {
        out.push(Block::Note(w.no_decisions.to_owned()));
    } else {
        out.push(Block::Table(table(&log.entries, w, l)));
    }
    out
}

/// The CSV columns and rows: one row per decision.
pub fn csv_rows(log: &DecisionLog) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let headers = vec!["date", "commit", "id", "title", "kind", "from", "to", "decided_by", "reason"];
    let rows = log
        .entries
        .iter()
        .map(|e| {
            let kind = serde_json::to_value(e.kind).ok().and_then(|v| v.as_str().map(str::to_owned));
            vec![
                e.date.clone(),
                e.commit.clone(),
                e.id.clone(),
                e.title.clone().unwrap_or_default(),
                kind.unwrap_or_default(),
                e.from.clone().unwrap_or_default(),
                e.to.clone().unwrap_or_default(),
                e.decided_by.clone(),
                e.reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    (headers, rows)
}
