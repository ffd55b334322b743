//! The portfolio meeting's papers (SPEC §10), from Git alone: gate requests
//! on unmerged branches, new proposals, status to discuss, tiltak on hold,
//! and what was decided since the last meeting. Built once as data (the
//! JSON), laid out once as blocks for the terminal, Markdown and HTML.

use std::collections::HashMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use super::build::Was;
use super::layout::{Block, Cell, Span, table};
use super::log::LogEntry;
use super::model::{CommitRef, DueItem, DueKind, StaleItem, day};
use super::words::Words;
use crate::domain::history::{Event, EventKind};
use crate::domain::model::{Level, State};
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;
use crate::git::CommitInfo;

/// `portfolio agenda --format json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(title = "Meeting agenda")]
pub struct Agenda {
    pub version: u32,
    pub portfolio: String,
    /// The meeting's day (`YYYY-MM-DD`).
    pub date: String,
    /// The commit read (HEAD, or the last one on `--date`).
    pub commit: Option<CommitRef>,
    /// What `--since` named (default: 14 days before the meeting).
    pub since: String,
    /// The commit the previous meeting is read from; `null` before the first.
    pub since_commit: Option<CommitRef>,
    pub gate_requests: Vec<GateRequest>,
    pub new_proposals: Vec<Proposal>,
    pub status: StatusToDiscuss,
    pub on_hold: Vec<HoldItem>,
    /// The decision log since the last meeting, newest first.
    pub decided: Vec<LogEntry>,
}

/// A phase move on a branch not merged into the current one.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GateRequest {
    pub branch: String,
    /// A remote-tracking branch.
    pub remote: bool,
    /// The branch's tip (short id).
    pub tip: String,
    pub id: String,
    pub title: String,
    /// Phase names.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Made by `advance` (else by hand).
    pub by_advance: bool,
    /// `Forced:`, else `Reason:`.
    pub reason: Option<String>,
    /// The exit criteria of the phase it leaves, at the branch's tip.
    pub criteria_met: bool,
    /// Each unmet criterion, with why.
    pub unmet: Vec<String>,
    /// Whether `check --base` would pass for the branch's commits.
    pub check_passes: bool,
    /// The errors `check --base` would report on the branch's tiltak.
    pub findings: Vec<String>,
}

/// A tiltak created since the last meeting, or proposed on a branch.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Proposal {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub organization: Option<String>,
    pub date: String,
    pub commit: String,
    /// `null`: on the current branch.
    pub branch: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusItem {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    #[schemars(with = "Option<String>")]
    pub before: Option<Level>,
    #[schemars(with = "Option<String>")]
    pub now: Option<Level>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusToDiscuss {
    /// Turned yellow or red since the last meeting.
    pub turned: Vec<StatusItem>,
    /// Red now.
    pub red: Vec<StatusItem>,
    pub stale: Vec<StaleItem>,
    pub overdue: Vec<DueItem>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HoldItem {
    pub id: String,
    pub title: String,
    pub reason: Option<String>,
    /// When it was put on hold, from history.
    pub since: Option<String>,
    pub days: Option<i64>,
}

/// What the agenda is built from.
pub struct AgendaInput<'a> {
    pub def: &'a ProcessDefinition,
    pub now: &'a [Tiltak],
    /// The tiltak at the last meeting.
    pub before: &'a [Was],
    pub date: NaiveDate,
    pub commit: Option<&'a CommitInfo>,
    pub since: String,
    pub since_commit: Option<&'a CommitInfo>,
    /// Events of the current line (those since the meeting at least), and
    /// which commits are since the meeting.
    pub events: &'a [Event],
    pub in_range: &'a dyn Fn(&CommitInfo) -> bool,
    /// When each tiltak was last put on hold, by its ID in upper case
    /// ([`crate::domain::history::last_held`] over the whole line).
    pub held: &'a HashMap<String, NaiveDate>,
    pub gate_requests: Vec<GateRequest>,
    pub branch_proposals: Vec<Proposal>,
    pub decided: Vec<LogEntry>,
}

fn rank(l: Option<Level>) -> u8 {
    match l {
        Some(Level::Red) => 2,
        Some(Level::Yellow) => 1,
        _ => 0,
    }
}

pub fn build(i: AgendaInput<'_>) -> Agenda {
    let mut now: Vec<&Tiltak> = i.now.iter().collect();
    now.sort_by(|a, b| a.id().cmp(b.id()).then(a.path.cmp(&b.path)));
    let before: HashMap<String, &Was> = i.before.iter().map(|t| (t.id.to_ascii_uppercase(), t)).collect();
    let by_id: HashMap<String, &Tiltak> = now.iter().map(|t| (t.id().to_ascii_uppercase(), *t)).collect();

    let mut new_proposals: Vec<Proposal> = i
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Created { .. }) && (i.in_range)(&e.commit))
        .filter_map(|e| {
            let t = by_id.get(&e.id.to_ascii_uppercase())?;
            Some(Proposal {
                id: e.id.clone(),
                title: t.title().to_owned(),
                owner: t.fm.owner.clone(),
                organization: t.fm.organization.clone(),
                date: day(&e.commit),
                commit: e.commit.short.clone(),
                branch: None,
            })
        })
        .collect();
    new_proposals.sort_by(|a, b| a.id.cmp(&b.id));
    new_proposals.extend(i.branch_proposals);

    let item = |t: &Tiltak, was: Option<Level>| StatusItem {
        id: t.id().to_owned(),
        title: t.title().to_owned(),
        owner: t.fm.owner.clone(),
        before: was,
        now: t.fm.status_level(),
        reason: t.fm.status.as_ref().and_then(|s| s.reason.clone()),
    };
    let active: Vec<&Tiltak> = now.iter().copied().filter(|t| t.fm.state() != State::Stopped).collect();
    let mut turned = Vec::new();
    let mut red = Vec::new();
    let mut stale = Vec::new();
    let mut overdue = Vec::new();
    for t in &active {
        let was = before.get(&t.id().to_ascii_uppercase()).and_then(|b| b.status);
        let is = t.fm.status_level();
        if rank(is) > 0 && rank(is) > rank(was) {
            turned.push(item(t, was));
        }
        if is == Some(Level::Red) {
            red.push(item(t, was));
        }
        if t.fm.state() == State::Active {
            let updated = t.fm.status.as_ref().and_then(|s| s.updated);
            let days = updated.map(|u| (i.date - u.0).num_days());
            if days.is_none_or(|d| d > i64::from(i.def.stale_after_days)) {
                stale.push(StaleItem {
                    id: t.id().to_owned(),
                    title: t.title().to_owned(),
                    updated: updated.map(|u| u.to_string()),
                    days,
                });
            }
        }
        for m in t.fm.milestones.iter().flatten().filter(|m| !m.done) {
            let Some(date) = m.date else { continue };
            let days = (date.0 - i.date).num_days();
            if days < 0 {
                overdue.push(DueItem {
                    id: t.id().to_owned(),
                    title: t.title().to_owned(),
                    kind: DueKind::Milestone,
                    name: m.name.clone().unwrap_or_default(),
                    date: date.to_string(),
                    days,
                });
            }
        }
    }
    overdue.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));

    let held = i.held;
    let on_hold = now
        .iter()
        .filter(|t| t.fm.state() == State::OnHold)
        .map(|t| {
            let since = held.get(&t.id().to_ascii_uppercase()).copied();
            HoldItem {
                id: t.id().to_owned(),
                title: t.title().to_owned(),
                reason: t.fm.state_reason.clone(),
                since: since.map(|d| d.to_string()),
                days: since.map(|d| (i.date - d).num_days().max(0)),
            }
        })
        .collect();

    Agenda {
        version: 1,
        portfolio: i.def.name.clone(),
        date: i.date.to_string(),
        commit: i.commit.map(CommitRef::from),
        since: i.since,
        since_commit: i.since_commit.map(CommitRef::from),
        gate_requests: i.gate_requests,
        new_proposals,
        status: StatusToDiscuss { turned, red, stale, overdue },
        on_hold,
        decided: i.decided,
    }
}

/// The section ids of the agenda, in order.
pub const SECTIONS: [&str; 5] = ["gate-requests", "new-proposals", "status", "on-hold", "decided"];

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// Lay the agenda out.
pub fn layout(a: &Agenda, w: &Words, l: &super::i18n::Labels) -> Vec<Block> {
    let mut out = vec![Block::Title { name: a.portfolio.clone(), title: format!("{} {}", w.agenda, a.date) }];
    let mut as_of = vec![Span::Text(a.date.clone())];
    if let Some(c) = &a.commit {
        as_of.extend([Span::Text(format!(" · {} ", l.commit)), Span::Code(c.short.clone())]);
    }
    out.push(Block::Meta { term: w.meeting.to_owned(), sep: ": ", value: as_of });
    let mut since = vec![Span::Text(a.since.clone())];
    if let Some(c) = &a.since_commit {
        since.extend([Span::Text(format!(" → {} ", l.commit)), Span::Code(c.short.clone())]);
    }
    out.push(Block::Meta { term: format!("{} {}", l.changes, l.since), sep: " ", value: since });
    let mut number = 0;
    let mut section = |out: &mut Vec<Block>, id: &'static str, title: &str, count: usize| {
        number += 1;
        out.push(Block::Section { id, number, title: title.to_owned(), count: Some(count) });
    };

    section(&mut out, SECTIONS[0], w.gate_requests, a.gate_requests.len());
    if a.gate_requests.is_empty() {
        out.push(Block::Note(w.no_requests.to_owned()));
    } else {
        let rows = a
            .gate_requests
            .iter()
            .map(|g| {
                let mv = format!(
                    "{} → {}{}",
                    g.from.as_deref().unwrap_or("–"),
                    g.to.as_deref().unwrap_or("–"),
                    if g.by_advance { String::new() } else { format!(" ({})", w.gate_hand) }
                );
                let criteria =
                    if g.criteria_met { w.met.to_owned() } else { format!("{}: {}", w.unmet, g.unmet.join("; ")) };
                let check = if g.check_passes {
                    w.passes.to_owned()
                } else {
                    format!("{}: {}", w.fails, g.findings.join("; "))
                };
                vec![
                    text(&g.branch),
                    text(format!("{} {}", g.id, g.title)),
                    text(mv),
                    text(g.reason.clone().unwrap_or_default()),
                    text(criteria),
                    text(check),
                ]
            })
            .collect();
        out.push(Block::Table(table(
            w.gate_requests,
            &[w.branch, l.tiltak, w.moves, w.why, w.criteria, w.check_base],
            &[1, 3, 4, 5],
            rows,
        )));
    }

    section(&mut out, SECTIONS[1], w.new_proposals, a.new_proposals.len());
    if a.new_proposals.is_empty() {
        out.push(Block::Note(l.none.to_owned()));
    } else {
        let rows = a
            .new_proposals
            .iter()
            .map(|p| {
                let place = match &p.branch {
                    Some(b) => format!("{} {b}", w.on_branch),
                    None => w.merged.to_owned(),
                };
                vec![
                    text(&p.id),
                    text(&p.title),
                    text(p.owner.clone().unwrap_or_default()),
                    text(p.organization.clone().unwrap_or_default()),
                    text(&p.date),
                    text(place),
                ]
            })
            .collect();
        out.push(Block::Table(table(
            w.new_proposals,
            &[l.id, l.title_col, l.owner, l.organization, l.date, w.branch],
            &[1],
            rows,
        )));
    }

    let s = &a.status;
    let n = s.turned.len() + s.red.len() + s.stale.len() + s.overdue.len();
    section(&mut out, SECTIONS[2], w.status_to_discuss, n);
    for (title, list) in [(w.turned, &s.turned), (w.red_now, &s.red)] {
        out.push(Block::SubHeading(format!("{title} ({})", list.len())));
        if list.is_empty() {
            out.push(Block::Note(l.none.to_owned()));
            continue;
        }
        let rows = list
            .iter()
            .map(|x| {
                vec![
                    text(&x.id),
                    text(&x.title),
                    text(x.owner.clone().unwrap_or_default()),
                    Cell::Level(x.before),
                    Cell::Level(x.now),
                    text(x.reason.clone().unwrap_or_default()),
                ]
            })
            .collect();
        out.push(Block::Table(table(title, &[l.id, l.title_col, l.owner, l.before, l.after, l.reason], &[1, 5], rows)));
    }
    out.push(Block::SubHeading(format!("{} ({})", l.stale, s.stale.len())));
    if s.stale.is_empty() {
        out.push(Block::Note(l.none.to_owned()));
    } else {
        let rows = s
            .stale
            .iter()
            .map(|x| {
                vec![
                    text(&x.id),
                    text(&x.title),
                    text(x.updated.clone().unwrap_or_else(|| l.never.to_owned())),
                    Cell::OptNum(x.days),
                ]
            })
            .collect();
        out.push(Block::Table(table(l.stale, &[l.id, l.title_col, l.last_updated, l.days], &[1], rows)));
    }
    out.push(Block::SubHeading(format!("{} ({})", w.overdue, s.overdue.len())));
    if s.overdue.is_empty() {
        out.push(Block::Note(l.none.to_owned()));
    } else {
        let rows = s
            .overdue
            .iter()
            .map(|m| vec![text(&m.date), Cell::Num(-m.days), text(format!("{} {}", m.id, m.title)), text(&m.name)])
            .collect();
        out.push(Block::Table(table(w.overdue, &[l.date, l.days_late, l.tiltak, l.name], &[2, 3], rows)));
    }

    section(&mut out, SECTIONS[3], l.on_hold, a.on_hold.len());
    if a.on_hold.is_empty() {
        out.push(Block::Note(l.none.to_owned()));
    } else {
        let rows = a
            .on_hold
            .iter()
            .map(|h| {
                vec![
                    text(&h.id),
                    text(&h.title),
                    text(h.reason.clone().unwrap_or_default()),
                    text(h.since.clone().unwrap_or_default()),
                    Cell::OptNum(h.days),
                ]
            })
            .collect();
        out.push(Block::Table(table(l.on_hold, &[l.id, l.title_col, l.reason, l.date, w.days_on_hold], &[1, 2], rows)));
    }

    section(&mut out, SECTIONS[4], w.decided, a.decided.len());
    if a.decided.is_empty() {
        out.push(Block::Note(w.no_decisions.to_owned()));
    } else {
        out.push(Block::Table(super::log::table(&a.decided, w, l)));
    }
    out
}
