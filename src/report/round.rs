//! A reporting round (SPEC §9): who has reported and who has not, grouped
//! by organization and owner. Built once as data (the JSON), laid out once
//! as blocks for the terminal, Markdown and HTML.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use super::layout::{Block, Cell, RowStyle, Span, Table};
use super::model::CommitRef;
use super::words::Words;
use crate::domain::model::State;
use crate::domain::process::ProcessDefinition;
use crate::domain::round::{self, Round, Standing};
use crate::domain::tiltak::Tiltak;
use crate::git::CommitInfo;

/// `portfolio round --format json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(title = "Reporting round")]
pub struct RoundReport {
    pub version: u32,
    pub portfolio: String,
    pub round: RoundInfo,
    /// The day the round is judged on (`YYYY-MM-DD`): its tag's date when
    /// closed, else today or `--at`.
    pub date: String,
    /// The commit read; `null` for a work tree without commits.
    pub commit: Option<CommitRef>,
    pub counts: RoundCounts,
    /// Active tiltak, by organization, then owner, then ID.
    pub organizations: Vec<OrganizationGroup>,
    /// On hold and stopped: listed apart, owe no report.
    pub exempt: Vec<RoundItem>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RoundInfo {
    pub id: String,
    pub opens: String,
    pub due: String,
    /// Whether its tag `round/<ID>` exists.
    pub closed: bool,
    pub tag: String,
}

#[derive(Debug, Clone, Copy, Default, Serialize, JsonSchema)]
pub struct RoundCounts {
    pub active: usize,
    pub on_time: usize,
    pub late: usize,
    pub missing: usize,
    pub on_hold: usize,
    pub stopped: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OrganizationGroup {
    /// `null`: tiltak that name no organization.
    pub organization: Option<String>,
    pub owners: Vec<OwnerGroup>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OwnerGroup {
    pub owner: Option<String>,
    pub tiltak: Vec<RoundItem>,
}

/// How a tiltak's report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StandingKind {
    OnTime,
    Late,
    Missing,
    OnHold,
    Stopped,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RoundItem {
    pub id: String,
    pub title: String,
    /// Path from the portfolio's folder.
    pub path: String,
    pub organization: Option<String>,
    pub owner: Option<String>,
    pub standing: StandingKind,
    /// The day the report counts from (the later of `status.updated` and,
    /// where the segment reports risk, `risk.updated`).
    pub reported: Option<String>,
    /// Reported after `due`: by how many days.
    pub days_late: Option<i64>,
    /// Not reported: days until `due` (negative: days overdue).
    pub days_left: Option<i64>,
}

/// The standing of every tiltak in `round`, judged on `date`.
pub fn build(
    def: &ProcessDefinition,
    tiltak: &[Tiltak],
    round: &Round,
    closed: bool,
    date: NaiveDate,
    commit: Option<&CommitInfo>,
) -> RoundReport {
    let mut counts = RoundCounts::default();
    let mut exempt = Vec::new();
    let mut groups: BTreeMap<(Option<String>, Option<String>), Vec<RoundItem>> = BTreeMap::new();
    let mut sorted: Vec<&Tiltak> = tiltak.iter().collect();
    sorted.sort_by(|a, b| a.id().cmp(b.id()).then(a.path.cmp(&b.path)));
    for t in sorted {
        let standing = round::standing(def, round, t, date);
        let (kind, reported, days_late, days_left) = match standing {
            Standing::OnTime(d) => (StandingKind::OnTime, Some(d), None, None),
            Standing::Late(d, n) => (StandingKind::Late, Some(d), Some(n), None),
            Standing::Missing(n) => (StandingKind::Missing, None, None, Some(n)),
            Standing::Exempt(State::OnHold) => (StandingKind::OnHold, None, None, None),
            Standing::Exempt(_) => (StandingKind::Stopped, None, None, None),
        };
        match kind {
            StandingKind::OnTime => counts.on_time += 1,
            StandingKind::Late => counts.late += 1,
            StandingKind::Missing => counts.missing += 1,
            StandingKind::OnHold => counts.on_hold += 1,
            StandingKind::Stopped => counts.stopped += 1,
        }
        let item = RoundItem {
            id: t.id().to_owned(),
            title: t.title().to_owned(),
            path: crate::diag::display_path(&t.path),
            organization: t.fm.organization.clone(),
            owner: t.fm.owner.clone(),
            standing: kind,
            reported: reported.map(|d| d.to_string()),
            days_late,
            days_left,
        };
        if matches!(kind, StandingKind::OnHold | StandingKind::Stopped) {
            exempt.push(item);
        } else {
            counts.active += 1;
            groups.entry((item.organization.clone(), item.owner.clone())).or_default().push(item);
        }
    }
    // Those without an organization or owner last.
    let mut organizations: Vec<OrganizationGroup> = Vec::new();
    let mut keyed: Vec<_> = groups.into_iter().collect();
    keyed.sort_by(|((oa, wa), _), ((ob, wb), _)| {
        (oa.is_none(), oa, wa.is_none(), wa).cmp(&(ob.is_none(), ob, wb.is_none(), wb))
    });
    for ((org, owner), list) in keyed {
        match organizations.last_mut() {
            Some(g) if g.organization == org => g.owners.push(OwnerGroup { owner, tiltak: list }),
            _ => organizations
                .push(OrganizationGroup { organization: org, owners: vec![OwnerGroup { owner, tiltak: list }] }),
        }
    }
    RoundReport {
        version: 1,
        portfolio: def.name.clone(),
        round: RoundInfo {
            id: round.id.clone(),
            opens: round.opens.to_string(),
            due: round.due.to_string(),
            closed,
            tag: round.tag(),
        },
        date: date.to_string(),
        commit: commit.map(CommitRef::from),
        counts,
        organizations,
        exempt,
    }
}

impl RoundReport {
    /// Only those who still owe a report (`--missing`).
    pub fn only_missing(mut self) -> RoundReport {
        for org in &mut self.organizations {
            for owner in &mut org.owners {
                owner.tiltak.retain(|t| t.standing == StandingKind::Missing);
            }
            org.owners.retain(|o| !o.tiltak.is_empty());
        }
        self.organizations.retain(|o| !o.owners.is_empty());
        self.exempt.clear();
        self
    }

    /// Every tiltak, active first, in the order shown.
    pub fn items(&self) -> impl Iterator<Item = &RoundItem> {
        self.organizations.iter().flat_map(|o| o.owners.iter().flat_map(|w| &w.tiltak)).chain(&self.exempt)
    }
}

/// What a standing says, in words.
pub fn standing_text(t: &RoundItem, w: &Words, l: &super::i18n::Labels) -> String {
    match t.standing {
        StandingKind::OnTime => format!("{} ({})", w.reported, w.on_time),
        StandingKind::Late => format!("{} ({} {})", w.reported, t.days_late.unwrap_or(0), w.days_late),
        StandingKind::Missing => match t.days_left {
            Some(n) if n < 0 => format!("{} ({} {})", w.missing, -n, l.days_overdue),
            Some(n) => format!("{} ({n} {})", w.missing, l.days_left),
            None => w.missing.to_owned(),
        },
        StandingKind::OnHold => l.state(State::OnHold).to_owned(),
        StandingKind::Stopped => l.state(State::Stopped).to_owned(),
    }
}

/// A table of text (days are words here: "3 days late"), with row styles.
fn plain_table(caption: &str, headers: &[&str], wrap: &[usize], rows: Vec<Vec<Cell>>, styles: Vec<RowStyle>) -> Table {
    Table { styles, numeric: Vec::new(), ..super::layout::table(caption, headers, wrap, rows) }
}

/// Lay the round out. With `missing`, the reminder form: by organization,
/// each owner's tiltak with ID, title and file.
pub fn layout(r: &RoundReport, w: &Words, l: &super::i18n::Labels, missing: bool) -> Vec<Block> {
    let mut out = vec![Block::Title { name: r.portfolio.clone(), title: format!("{} {}", w.round, r.round.id) }];
    out.push(Block::Meta {
        term: w.period.to_owned(),
        sep: ": ",
        value: vec![Span::Text(format!("{} – {}", r.round.opens, r.round.due))],
    });
    let mut judged = vec![Span::Text(r.date.clone())];
    if let Some(c) = &r.commit {
        judged.extend([Span::Text(format!(" · {} ", l.commit)), Span::Code(c.short.clone())]);
    }
    judged.push(Span::Text(if r.round.closed {
        format!(" ({} {})", w.closed_at, r.round.tag)
    } else {
        format!(" ({})", w.open_now)
    }));
    out.push(Block::Meta { term: w.judged_at.to_owned(), sep: ": ", value: judged });
    let c = &r.counts;
    out.push(Block::Meta {
        term: w.summary.to_owned(),
        sep: ": ",
        value: vec![Span::Text(format!(
            "{} {} {} {} ({} {}, {} {}), {} {}; {} {}, {} {}",
            w.reported,
            c.on_time + c.late,
            l.of,
            c.active,
            c.on_time,
            w.on_time,
            c.late,
            w.late,
            w.missing.to_lowercase(),
            c.missing,
            l.on_hold.to_lowercase(),
            c.on_hold,
            l.stopped.to_lowercase(),
            c.stopped
        ))],
    });
    if missing && r.organizations.is_empty() {
        out.push(Block::Note(l.all_reported.to_owned()));
    }
    for org in &r.organizations {
        let name = org.organization.clone().unwrap_or_else(|| w.no_organization.to_owned());
        let n: usize = org.owners.iter().map(|o| o.tiltak.len()).sum();
        out.push(Block::SubHeading(format!("{name} ({n})")));
        let mut rows = Vec::new();
        let mut styles = Vec::new();
        for owner in &org.owners {
            let who = owner.owner.clone().unwrap_or_else(|| w.no_owner.to_owned());
            for t in &owner.tiltak {
                let row = if missing {
                    vec![
                        Cell::Text(who.clone()),
                        Cell::Text(t.id.clone()),
                        Cell::Text(t.title.clone()),
                        Cell::Text(t.path.clone()),
                    ]
                } else {
                    vec![
                        Cell::Text(who.clone()),
                        Cell::Text(t.id.clone()),
                        Cell::Text(t.title.clone()),
                        Cell::Text(standing_text(t, w, l)),
                        Cell::Text(t.reported.clone().unwrap_or_default()),
                    ]
                };
                rows.push(row);
                styles.push(if t.standing == StandingKind::Missing && !missing {
                    RowStyle::Total
                } else {
                    RowStyle::Normal
                });
            }
        }
        let table = if missing {
            plain_table(&name, &[l.owner, l.id, l.title_col, l.file], &[2, 3], rows, styles)
        } else {
            plain_table(&name, &[l.owner, l.id, l.title_col, w.standing, w.reported_on], &[2], rows, styles)
        };
        out.push(Block::Table(table));
    }
    if !missing && !r.exempt.is_empty() {
        out.push(Block::SubHeading(format!("{} ({})", w.exempt, r.exempt.len())));
        let rows = r
            .exempt
            .iter()
            .map(|t| {
                vec![
                    Cell::Text(t.id.clone()),
                    Cell::Text(t.title.clone()),
                    Cell::Text(t.organization.clone().unwrap_or_default()),
                    Cell::Text(t.owner.clone().unwrap_or_default()),
                    Cell::Text(standing_text(t, w, l)),
                ]
            })
            .collect();
        let styles = vec![RowStyle::Muted; r.exempt.len()];
        out.push(Block::Table(plain_table(
            w.exempt,
            &[l.id, l.title_col, l.organization, l.owner, l.status],
            &[1],
            rows,
            styles,
        )));
    }
    out
}

/// The CSV columns and rows: one row per tiltak.
pub fn csv_rows(r: &RoundReport) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let headers =
        vec!["round", "organization", "owner", "id", "title", "path", "standing", "reported", "days_late", "days_left"];
    let num = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let rows = r
        .items()
        .map(|t| {
            let standing = serde_json::to_value(t.standing).ok().and_then(|v| v.as_str().map(str::to_owned));
            vec![
                r.round.id.clone(),
                t.organization.clone().unwrap_or_default(),
                t.owner.clone().unwrap_or_default(),
                t.id.clone(),
                t.title.clone(),
                t.path.clone(),
                standing.unwrap_or_default(),
                t.reported.clone().unwrap_or_default(),
                num(t.days_late),
                num(t.days_left),
            ]
        })
        .collect();
    (headers, rows)
}
