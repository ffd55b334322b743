//! The report laid out as a document of headings, tables and charts, once;
//! the terminal and Markdown renderers only decide how each block looks.

use super::i18n::Labels;
use super::{Counts, GateKind, LevelCounts, Levels, Mention, Report, Row};
use crate::domain::model::{Level, State};

/// One table cell.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    /// A status or risk level: symbol and word.
    Level(Option<Level>),
    /// A number, right-aligned.
    Num(i64),
    /// A number that may be missing (shown as –).
    OptNum(Option<i64>),
    /// A count now, and in the previous round.
    Compare(usize, Option<usize>),
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn opt(s: Option<&str>) -> Cell {
        Cell::Text(s.unwrap_or("").to_owned())
    }

    pub fn is_numeric(&self) -> bool {
        matches!(self, Cell::Num(_) | Cell::OptNum(_) | Cell::Compare(..))
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Columns of free text that may wrap (titles, reasons); the others keep
    /// their content's width.
    pub wrap: Vec<usize>,
    /// Columns a narrow terminal may leave out.
    pub optional: Vec<usize>,
}

#[derive(Debug, Clone)]
pub enum Block {
    /// The report's title.
    Title(String),
    /// A line under the title.
    Meta(String),
    /// A numbered section.
    Heading(String),
    SubHeading(String),
    /// A remark (nothing to show, why a section is missing).
    Note(String),
    Table(Table),
    /// Bars: label and value, in order.
    Bars {
        title: String,
        bars: Vec<(String, usize)>,
    },
}

fn table(headers: &[&str], wrap: &[usize], rows: Vec<Vec<Cell>>) -> Block {
    Block::Table(Table {
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
        rows,
        wrap: wrap.to_vec(),
        optional: Vec::new(),
    })
}

fn counts_row(label: &str, c: &Counts) -> Vec<Cell> {
    vec![Cell::text(label), Cell::Num(c.active as i64), Cell::Num(c.on_hold as i64), Cell::Num(c.stopped as i64)]
}

fn phase_name(r: &Row) -> String {
    r.phase.as_ref().map(|p| format!("{}. {}", p.number, p.name)).unwrap_or_default()
}

fn mentions(out: &mut Vec<Block>, l: &Labels, title: &str, list: &[Mention]) {
    if list.is_empty() {
        return;
    }
    out.push(Block::SubHeading(format!("{title} ({})", list.len())));
    let rows =
        list.iter().map(|m| vec![Cell::text(&m.id), Cell::text(&m.title), Cell::opt(m.date.as_deref())]).collect();
    out.push(table(&[l.id, l.title_col, l.date], &[1], rows));
}

fn level_row(label: &str, lv: &Levels, with_previous: bool, risk: bool) -> Vec<Cell> {
    let (now, before): (&LevelCounts, &Option<LevelCounts>) =
        if risk { (&lv.risk, &lv.previous_risk) } else { (&lv.status, &lv.previous_status) };
    let mut row = vec![Cell::text(label)];
    for level in [Some(Level::Green), Some(Level::Yellow), Some(Level::Red), None] {
        let n = now.get(level);
        row.push(if with_previous { Cell::Compare(n, before.map(|b| b.get(level))) } else { Cell::Num(n as i64) });
    }
    row
}

/// Lay the report out.
pub fn layout(r: &Report, l: &Labels) -> Vec<Block> {
    let mut out = Vec::new();
    let mut n = 0;
    let mut heading = |out: &mut Vec<Block>, title: &str| {
        n += 1;
        out.push(Block::Heading(format!("{n}. {title}")));
    };

    // 1. Header.
    out.push(Block::Title(format!("{} — {}", r.portfolio.name, l.title)));
    let commit = match &r.as_of.commit {
        Some(c) => format!("{} {} ({})", l.commit, c.short, c.date),
        None => l.work_tree.to_owned(),
    };
    out.push(Block::Meta(format!("{} {} · {commit}", l.as_of, r.as_of.date)));
    if let Some(s) = &r.since {
        let base = s.commit.as_ref().map(|c| format!(" → {} {} ({})", l.commit, c.short, c.date)).unwrap_or_default();
        out.push(Block::Meta(format!("{} {} {}{base}", l.changes, l.since, s.requested)));
    }
    let mut selection = Vec::new();
    if let Some(g) = &r.filters.group {
        selection.push(format!("{}: {g}", l.product_group));
    }
    if let Some(s) = &r.filters.segment {
        selection.push(format!("{}: {s}", l.segment));
    }
    if !selection.is_empty() {
        out.push(Block::Meta(format!("{}: {}", l.filtered, selection.join(", "))));
    }
    if r.as_of.uncommitted {
        out.push(Block::Note(format!("{}.", l.uncommitted)));
    }
    if let Some(why) = r.history.reason.as_deref().filter(|w| !w.is_empty()) {
        out.push(Block::Note(format!("{}: {why}", l.no_history)));
    }

    // 2. Key figures.
    let k = &r.key_figures;
    heading(&mut out, l.key_figures);
    let head = [l.phase, l.active, l.on_hold, l.stopped];
    let mut rows: Vec<Vec<Cell>> =
        k.phases.iter().enumerate().map(|(i, b)| counts_row(&format!("{}. {}", i + 1, b.name), &b.counts)).collect();
    rows.push(counts_row(l.total, &k.total));
    out.push(table(&head, &[], rows));
    out.push(Block::Bars {
        title: l.chart_funnel.to_owned(),
        bars: k.phases.iter().map(|b| (b.name.clone(), b.counts.active)).collect(),
    });
    if !k.segments.is_empty() {
        let rows = k
            .segments
            .iter()
            .map(|b| counts_row(if b.unassigned { l.no_segment } else { &b.name }, &b.counts))
            .collect();
        out.push(table(&[l.segment, l.active, l.on_hold, l.stopped], &[], rows));
    }
    if !k.product_groups.is_empty() {
        let rows = k
            .product_groups
            .iter()
            .map(|b| counts_row(if b.unassigned { l.no_group } else { &b.name }, &b.counts))
            .collect();
        out.push(table(&[l.product_group, l.active, l.on_hold, l.stopped], &[0], rows));
    }

    // 3. Status and risk.
    heading(&mut out, l.status_risk);
    let with_previous = r.status.overall.previous_status.is_some();
    if with_previous {
        out.push(Block::Note(l.in_brackets.to_owned()));
    }
    for (title, risk) in [(l.status, false), (l.risk, true)] {
        let headers = [title, l.green, l.yellow, l.red, l.unknown];
        let mut rows = vec![level_row(l.overall, &r.status.overall, with_previous, risk)];
        rows.extend(
            r.status
                .segments
                .iter()
                .map(|sg| level_row(if sg.unassigned { l.no_segment } else { &sg.name }, sg, with_previous, risk)),
        );
        out.push(table(&headers, &[0], rows));
    }

    // 4. All tiltak.
    heading(&mut out, &format!("{} ({})", l.all_tiltak, r.tiltak.len()));
    let rows = r
        .tiltak
        .iter()
        .map(|t| {
            let state = if t.state == State::Active { String::new() } else { format!(" [{}]", l.state(t.state)) };
            vec![
                Cell::text(&t.id),
                Cell::text(format!("{}{state}", t.title)),
                Cell::text(phase_name(t)),
                Cell::text(t.segment_name.clone().or_else(|| t.product_group.clone()).unwrap_or_default()),
                Cell::opt(t.owner.as_deref()),
                Cell::Level(t.status),
                Cell::Level(t.risk),
                Cell::text(t.next_milestone.as_ref().map(|m| m.date.clone()).unwrap_or_default()),
            ]
        })
        .collect();
    let group_head = if r.key_figures.segments.is_empty() { l.product_group } else { l.segment };
    let mut all =
        table(&[l.id, l.title_col, l.phase, group_head, l.owner, l.status, l.risk, l.next_milestone], &[1, 3, 4], rows);
    if let Block::Table(t) = &mut all {
        t.optional = vec![3, 4];
    }
    out.push(all);

    // 5. Needs attention.
    heading(&mut out, &format!("{} ({})", l.attention, r.attention.len()));
    if r.attention.is_empty() {
        out.push(Block::Note(l.none.to_owned()));
    } else {
        let rows = r
            .attention
            .iter()
            .map(|t| {
                let risk = [t.risk_description.as_deref(), t.risk_mitigation.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" — ");
                vec![
                    Cell::text(format!("{} {}", t.id, t.title)),
                    Cell::Level(t.status),
                    Cell::opt(t.status_reason.as_deref()),
                    Cell::Level(t.risk),
                    Cell::text(risk),
                ]
            })
            .collect();
        out.push(table(&[l.tiltak, l.status, l.reason, l.risk, l.mitigation], &[0, 2, 4], rows));
    }

    // 6. Changes.
    heading(&mut out, l.changes);
    match &r.changes {
        None if r.since.is_none() => out.push(Block::Note(l.use_since.to_owned())),
        None => out.push(Block::Note(format!("{}: {}", l.no_history, r.history.reason.clone().unwrap_or_default()))),
        Some(c) => {
            let empty = c.new.is_empty()
                && c.gates.is_empty()
                && c.stopped.is_empty()
                && c.on_hold.is_empty()
                && c.resumed.is_empty()
                && c.removed.is_empty()
                && c.status_changes.is_empty()
                && c.risk_changes.is_empty();
            if empty {
                out.push(Block::Note(l.no_changes.to_owned()));
            }
            mentions(&mut out, l, l.new, &c.new);
            if !c.gates.is_empty() {
                out.push(Block::SubHeading(format!("{} ({})", l.gates, c.gates.len())));
                let rows = c
                    .gates
                    .iter()
                    .map(|g| {
                        let mut to = format!(
                            "{} → {}",
                            g.from_name.as_deref().unwrap_or("–"),
                            g.to_name.as_deref().unwrap_or("–")
                        );
                        if g.kind == GateKind::Back {
                            to.push_str(&format!(" ({})", l.moved_back));
                        }
                        if let Some(f) = &g.forced {
                            to.push_str(&format!(" ({}: {f})", l.forced));
                        }
                        vec![
                            Cell::text(&g.id),
                            Cell::text(&g.title),
                            Cell::text(to),
                            Cell::text(&g.date),
                            Cell::opt(g.decided_by.as_deref()),
                        ]
                    })
                    .collect();
                out.push(table(&[l.id, l.title_col, l.phase, l.date, l.decided_by], &[1, 2], rows));
            }
            mentions(&mut out, l, l.completed, &c.completed);
            mentions(&mut out, l, l.stopped, &c.stopped);
            mentions(&mut out, l, l.put_on_hold, &c.on_hold);
            mentions(&mut out, l, l.resumed, &c.resumed);
            mentions(&mut out, l, l.removed, &c.removed);
            for (title, list) in [(l.status_changes, &c.status_changes), (l.risk_changes, &c.risk_changes)] {
                if list.is_empty() {
                    continue;
                }
                out.push(Block::SubHeading(format!("{title} ({})", list.len())));
                let rows = list
                    .iter()
                    .map(|x| vec![Cell::text(&x.id), Cell::text(&x.title), Cell::Level(x.from), Cell::Level(x.to)])
                    .collect();
                out.push(table(&[l.id, l.title_col, l.before, l.after], &[1], rows));
            }
        }
    }

    // 7. Goals.
    heading(&mut out, l.goals);
    if r.goals.strategic.is_empty() && r.goals.sdgs.is_empty() {
        out.push(Block::Note(l.none.to_owned()));
    }
    for (title, list) in [(l.strategic_goals, &r.goals.strategic), (l.sdgs, &r.goals.sdgs)] {
        if list.is_empty() {
            continue;
        }
        let rows =
            list.iter().map(|g| vec![Cell::text(format!("{}. {}", g.id, g.name)), Cell::Num(g.count as i64)]).collect();
        out.push(table(&[title, l.count], &[0], rows));
    }

    // 8. Milestones.
    heading(&mut out, l.milestones);
    for (title, list) in [(l.overdue, &r.milestones.overdue), (l.upcoming, &r.milestones.upcoming)] {
        out.push(Block::SubHeading(format!("{title} ({})", list.len())));
        if list.is_empty() {
            out.push(Block::Note(l.none.to_owned()));
            continue;
        }
        let rows = list
            .iter()
            .map(|m| {
                let kind = l.due_kind(m.kind);
                vec![
                    Cell::text(&m.date),
                    Cell::Num(m.days),
                    Cell::text(format!("{} {}", m.id, m.title)),
                    Cell::text(format!("{} ({kind})", m.name)),
                ]
            })
            .collect();
        out.push(table(&[l.date, l.days, l.tiltak, l.name], &[2, 3], rows));
    }

    // 9. Flow.
    heading(&mut out, l.flow);
    match &r.flow {
        None => out.push(Block::Note(format!("{}: {}", l.no_history, r.history.reason.clone().unwrap_or_default()))),
        Some(f) => {
            let rows = f
                .phases
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let days = |d: Option<f64>| Cell::OptNum(d.map(|d| d.round() as i64));
                    vec![
                        Cell::text(format!("{}. {}", i + 1, p.name)),
                        days(p.median_days),
                        Cell::Num(p.stays as i64),
                        days(p.current_median_days),
                        Cell::Num(p.current as i64),
                    ]
                })
                .collect();
            out.push(table(&[l.phase, l.median_days, l.stays, l.current_median, l.current], &[], rows));
            if !f.tiltak.is_empty() {
                out.push(Block::SubHeading(l.days_in_phase.to_owned()));
                let rows = f
                    .tiltak
                    .iter()
                    .map(|t| {
                        vec![
                            Cell::text(&t.id),
                            Cell::text(&t.title),
                            Cell::text(&t.phase),
                            Cell::text(&t.entered),
                            Cell::Num(t.days),
                        ]
                    })
                    .collect();
                out.push(table(&[l.id, l.title_col, l.phase, l.entered, l.days], &[1], rows));
            }
        }
    }

    // 10. Data quality.
    heading(&mut out, l.data_quality);
    let q = &r.data_quality;
    out.push(Block::SubHeading(format!("{} ({}, {} {})", l.stale, q.stale.len(), l.stale_limit, q.stale_after_days)));
    if q.stale.is_empty() {
        out.push(Block::Note(l.none.to_owned()));
    } else {
        let rows = q
            .stale
            .iter()
            .map(|s| {
                vec![
                    Cell::text(&s.id),
                    Cell::text(&s.title),
                    Cell::text(s.updated.clone().unwrap_or_else(|| l.never.to_owned())),
                    Cell::OptNum(s.days),
                ]
            })
            .collect();
        out.push(table(&[l.id, l.title_col, l.last_updated, l.days], &[1], rows));
    }
    out.push(Block::SubHeading(format!("{}: {} {}, {} {}", l.validation, q.errors, l.errors, q.warnings, l.warnings)));
    if !q.diagnostics.is_empty() {
        let rows = q
            .diagnostics
            .iter()
            .map(|d| {
                let place = match d.line {
                    Some(line) => format!("{}:{line}", d.path),
                    None => d.path.clone(),
                };
                vec![
                    Cell::text(format!("{} {}", d.severity.as_str(), d.code)),
                    Cell::text(place),
                    Cell::text(&d.message),
                ]
            })
            .collect();
        out.push(table(&[l.finding, l.file, l.message], &[1, 2], rows));
    }
    out
}
