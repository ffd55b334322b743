//! The report laid out once, as a document of sections, tables, notes and
//! charts. Every format renders this: the terminal
//! (`render::terminal_report`), Markdown (`render::markdown`) and HTML
//! (`render::html`). A renderer decides only how a block looks, never what is
//! shown or in what order; the one leeway is charts, which draw data a table
//! beside them also has, so a text format may skip them.
//!
//! Adding a section to the report means:
//! 1. one builder in `src/report/build.rs` (and its type in `model.rs`, which
//!    is the JSON output: regenerate `schema/report.schema.json`);
//! 2. one entry in the list of sections (`sections` below): a stable section
//!    id, its title and count, and the function that lays out its body;
//! 3. its labels in both languages in `src/report/i18n.rs`.
//!
//! Every format then shows it.

use chrono::NaiveDate;

use super::i18n::Labels;
use super::{Counts, DueItem, GateKind, LevelCounts, Levels, Mention, Report, Row};
use crate::domain::model::{Level, State};

/// One table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// Text with short tags after it (a tiltak's state, a gate moved back).
    Tagged(String, Vec<Tag>),
    /// A status or risk level: symbol and word.
    Level(Option<Level>),
    /// A number, right-aligned.
    Num(i64),
    /// A number that may be missing (shown as –).
    OptNum(Option<i64>),
    /// A count now, and in the previous round.
    Compare(usize, Option<usize>),
    /// A count, and the largest in its column (HTML draws a bar).
    Bar(usize, usize),
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn opt(s: Option<&str>) -> Cell {
        Cell::Text(s.unwrap_or("").to_owned())
    }

    pub fn is_numeric(&self) -> bool {
        matches!(self, Cell::Num(_) | Cell::OptNum(_) | Cell::Compare(..) | Cell::Bar(..))
    }
}

/// A tag after a cell's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub label: String,
    /// Said after the label (a `Forced:` reason).
    pub detail: Option<String>,
    pub kind: TagKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    /// A tiltak's state: `[på vent]` in text.
    State,
    /// A remark: `(flyttet tilbake)` in text.
    Note,
    /// Something done against the rules: `(tvunget: …)` in text.
    Warning,
}

/// A tagged cell as plain text, for the text formats.
pub fn tagged_text(text: &str, tags: &[Tag]) -> String {
    let mut out = text.to_owned();
    for t in tags {
        match (t.kind, &t.detail) {
            (TagKind::State, _) => out.push_str(&format!(" [{}]", t.label)),
            (_, Some(d)) => out.push_str(&format!(" ({}: {d})", t.label)),
            (_, None) => out.push_str(&format!(" ({})", t.label)),
        }
    }
    out
}

/// How a row stands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowStyle {
    #[default]
    Normal,
    /// The sum of the rows (or the whole portfolio above its parts).
    Total,
    /// A tiltak on hold or stopped.
    Muted,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// What the table shows: the HTML caption. The text formats leave it out,
    /// as a heading above says the same.
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// One per row.
    pub styles: Vec<RowStyle>,
    /// Columns of figures, right-aligned.
    pub numeric: Vec<usize>,
    /// Columns of free text that may wrap (titles, reasons); the others keep
    /// their content's width.
    pub wrap: Vec<usize>,
    /// Columns a narrow terminal may leave out.
    pub optional: Vec<usize>,
    /// Columns in English whatever the report's language (the rule engine's
    /// messages), so HTML can mark them `lang="en"` for screen readers.
    pub english: Vec<usize>,
    /// A small table of figures, which need not fill the page's width.
    pub compact: bool,
}

/// Line parts of a header line.
#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    Text(String),
    /// A commit ID.
    Code(String),
}

/// Data drawn as a chart. A table beside it has the same figures, so the text
/// formats may skip a chart.
#[derive(Debug, Clone)]
pub enum Chart {
    /// Headline figures: label and count.
    Figures(Vec<(String, usize)>),
    /// Active tiltak per phase, in order.
    Funnel { title: String, bars: Vec<(String, usize)> },
    /// Status and risk counts per group (segment, or the whole portfolio).
    Levels { title: String, groups: Vec<(String, LevelCounts, LevelCounts)> },
    /// What falls due from `today` on.
    Milestones { title: String, today: NaiveDate, items: Vec<DueItem> },
    /// Open risks counted by cell, `cells[p-1][c-1]` (a heat map); a table
    /// with the same counts follows it.
    RiskMatrix { title: String, cells: Vec<Vec<usize>>, levels: Vec<Vec<Level>> },
}

#[derive(Debug, Clone)]
pub enum Block {
    /// The report's title: the portfolio's name and what the document is.
    Title {
        name: String,
        title: String,
    },
    /// A line of the header: a term and its value. The text formats join
    /// them with `sep`.
    Meta {
        term: String,
        sep: &'static str,
        value: Vec<Span>,
    },
    /// Something the reader must know to trust the report.
    Notice {
        title: String,
        text: Option<String>,
    },
    /// A numbered section with a stable id (an HTML anchor).
    Section {
        id: &'static str,
        number: usize,
        title: String,
        count: Option<usize>,
    },
    SubHeading(String),
    /// A remark (nothing to show, how to read a table).
    Note(String),
    Table(Table),
    Chart(Chart),
}

impl Block {
    /// A notice as one line of text.
    pub fn notice_text(title: &str, text: Option<&str>) -> String {
        match text {
            Some(t) => format!("{title}: {t}"),
            None => format!("{title}."),
        }
    }
}

/// The ids of the sections, in order; the header before them is `header`.
pub const SECTIONS: [&str; 12] = [
    "key-figures",
    "status-risk",
    "all-tiltak",
    "attention",
    "changes",
    "goals",
    "milestones",
    "flow",
    "benefits",
    "risks",
    "economy",
    "data-quality",
];

/// A table whose numeric columns are those of its first row.
/// A table whose numeric columns are those of its first row; `wrap` names
/// the free-text columns that may wrap.
pub fn table(caption: &str, headers: &[&str], wrap: &[usize], rows: Vec<Vec<Cell>>) -> Table {
    let numeric = rows
        .first()
        .map(|r| r.iter().enumerate().filter(|(_, c)| c.is_numeric()).map(|(i, _)| i).collect())
        .unwrap_or_default();
    Table {
        caption: caption.to_owned(),
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
        styles: vec![RowStyle::Normal; rows.len()],
        rows,
        numeric,
        wrap: wrap.to_vec(),
        optional: Vec::new(),
        english: Vec::new(),
        compact: false,
    }
}

/// A row of counts by state; the closed column only when the portfolio has
/// closed tiltak (most have none, and the tables stay narrow).
fn counts_row(label: &str, c: &Counts, closed: bool) -> Vec<Cell> {
    let mut row =
        vec![Cell::text(label), Cell::Num(c.active as i64), Cell::Num(c.on_hold as i64), Cell::Num(c.stopped as i64)];
    if closed {
        row.push(Cell::Num(c.closed as i64));
    }
    row
}

/// The headers of a counts table: `first`, then the states.
fn counts_head<'a>(l: &'a Labels, first: &'a str, closed: bool) -> Vec<&'a str> {
    let mut head = vec![first, l.active, l.on_hold, l.stopped];
    if closed {
        head.push(l.state_closed);
    }
    head
}

fn phase_name(r: &Row) -> String {
    r.phase.as_ref().map(|p| format!("{}. {}", p.number, p.name)).unwrap_or_default()
}

fn mentions(out: &mut dyn Sink, l: &Labels, title: &str, list: &[Mention]) {
    if list.is_empty() {
        return;
    }
    out.push(Block::SubHeading(format!("{title} ({})", list.len())));
    let rows =
        list.iter().map(|m| vec![Cell::text(&m.id), Cell::text(&m.title), Cell::opt(m.date.as_deref())]).collect();
    out.push(Block::Table(table(title, &[l.id, l.title_col, l.date], &[1], rows)));
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

/// The name of a row of level counts.
fn levels_name<'a>(lv: &'a Levels, l: &'a Labels) -> &'a str {
    if lv.id.is_none() {
        l.overall
    } else if lv.unassigned {
        l.no_segment
    } else {
        &lv.name
    }
}

/// "History missing", with why, when history was not read.
fn no_history(r: &Report, l: &Labels) -> Block {
    Block::Notice { title: l.no_history.to_owned(), text: r.history.reason.clone().filter(|w| !w.trim().is_empty()) }
}

/// The per-what caption of a counts table: `Tiltak per fase`.
fn per(l: &Labels, what: &str) -> String {
    format!("{} per {}", l.tiltak, what.to_lowercase())
}

/// A whole number as people read it: from five digits on in groups of
/// three, with the language's separator (a space in Norwegian, a comma in
/// English); shorter ones (counts, days, years) as they are.
pub fn number(n: i64, l: &Labels) -> String {
    let digits = n.unsigned_abs().to_string();
    if digits.len() < 5 {
        return n.to_string();
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(l.thousands);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A share as a whole percentage.
fn percent(share: f64) -> String {
    format!("{} %", (share * 100.0).round() as i64)
}

/// A measured value: no decimals when it has none, the language's decimal mark.
fn value(v: f64, l: &Labels) -> String {
    let text = if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.2}").trim_end_matches('0').to_owned() };
    text.replace('.', l.decimal)
}

/// An amount, rounded to whole units (NOK has no useful decimals here).
fn amount(v: f64) -> Cell {
    Cell::Num(v.round() as i64)
}

/// Schedule health in one cell: time gone, then milestones done.
fn schedule_text(s: &super::Schedule, _l: &Labels) -> String {
    let done = s.milestones_done.map_or("–".to_owned(), percent);
    format!("{} / {done}", percent(s.elapsed))
}

/// Section "Gevinster": each benefit baseline → latest → target, share
/// realised, on track or behind; totals by type.
fn benefits(out: &mut dyn Sink, r: &Report, l: &Labels) {
    let b = &r.benefits;
    if b.benefits.is_empty() {
        out.push(Block::Note(l.no_benefit_records.to_owned()));
    } else {
        let rows = b
            .benefits
            .iter()
            .map(|x| {
                let unit = x.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
                let v = |v: Option<f64>| v.map(|v| format!("{}{unit}", value(v, l))).unwrap_or_else(|| "–".to_owned());
                let track = match x.on_track {
                    Some(true) => l.on_track,
                    Some(false) => l.behind,
                    None => "–",
                };
                let mut status = track.to_owned();
                if x.unmeasured_for_a_year {
                    status.push_str(&format!(" ({})", l.unmeasured.to_lowercase()));
                }
                let what = [x.id.as_deref(), x.indicator.as_deref().or(x.description.as_deref())]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                vec![
                    Cell::text(format!("{} {}", x.tiltak_id, x.tiltak_title)),
                    Cell::text(what),
                    Cell::opt(x.kind.as_deref()),
                    Cell::text(format!("{} → {} → {}", v(x.baseline), v(x.latest), v(x.target))),
                    Cell::text(x.realised.map(percent).unwrap_or_else(|| "–".to_owned())),
                    Cell::text(status),
                ]
            })
            .collect();
        out.push(Block::Table(table(
            l.benefits,
            &[
                l.tiltak,
                l.benefit,
                l.benefit_type,
                &format!("{} → {} → {}", l.baseline, l.latest, l.target),
                l.realised,
                l.status,
            ],
            &[0, 1, 3],
            rows,
        )));
        let rows = b
            .by_type
            .iter()
            .map(|t| {
                vec![
                    Cell::text(if t.kind == super::NONE { l.unknown.to_owned() } else { t.kind.clone() }),
                    Cell::Num(t.count as i64),
                    Cell::Num(t.on_track as i64),
                    Cell::Num(t.behind as i64),
                    Cell::Num(t.unmeasured_for_a_year as i64),
                ]
            })
            .collect();
        out.push(Block::Table(table(
            l.by_type,
            &[l.benefit_type, l.count, l.on_track, l.behind, l.unmeasured],
            &[0],
            rows,
        )));
    }
    if b.text_only > 0 {
        out.push(Block::Note(format!("{} {}.", b.text_only, l.text_only)));
    }
}

/// Section "Risiko": the 5×5 matrix (a heat map, and the same counts as a
/// grid), then the ten highest risks.
fn risks(out: &mut dyn Sink, r: &Report, l: &Labels) {
    let k = &r.risks;
    if k.open == 0 {
        out.push(Block::Note(l.no_risks.to_owned()));
        return;
    }
    out.push(Block::Chart(Chart::RiskMatrix {
        title: l.risk_matrix.to_owned(),
        cells: k.matrix.clone(),
        levels: k.levels.clone(),
    }));
    // Rows: consequence from 5 (top) to 1; columns: probability 1 to 5.
    let rows = (1..=5usize)
        .rev()
        .map(|c| {
            let mut row = vec![Cell::text(c.to_string())];
            row.extend((1..=5usize).map(|p| Cell::Num(k.matrix[p - 1][c - 1] as i64)));
            row
        })
        .collect();
    // Short column heads (the probability), so the grid fits a narrow terminal.
    let corner = format!("{} ↓ {} →", l.consequence, l.probability);
    let heads: Vec<String> = (1..=5).map(|p| p.to_string()).collect();
    let mut headers: Vec<&str> = vec![&corner];
    headers.extend(heads.iter().map(String::as_str));
    let mut grid = table(l.risk_matrix, &headers, &[], rows);
    grid.compact = true;
    out.push(Block::Table(grid));
    let rows = k
        .top
        .iter()
        .map(|x| {
            let residual = x.residual_score.map(|s| s.to_string()).unwrap_or_else(|| "–".to_owned());
            vec![
                Cell::text(format!("{} {}", x.tiltak_id, x.tiltak_title)),
                Cell::text(
                    [x.id.as_deref(), x.description.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" "),
                ),
                Cell::text(format!("{}×{}={}", x.probability, x.consequence, x.score)),
                Cell::Level(x.level),
                Cell::text(residual),
                Cell::opt(x.mitigation.as_deref()),
            ]
        })
        .collect();
    out.push(Block::Table(table(
        l.top_risks,
        &[l.tiltak, l.risk, l.score, l.risk, l.residual, l.mitigation],
        &[0, 1, 5],
        rows,
    )));
}

/// Section "Økonomi": sums per year, phase, segment and product group;
/// granted against requested; forecasts off by more than 10 %.
fn economy(out: &mut dyn Sink, r: &Report, l: &Labels) {
    let e = &r.economy;
    if e.total.tiltak == 0 {
        out.push(Block::Note(l.no_budgets.to_owned()));
        return;
    }
    if !e.by_year.is_empty() {
        let rows = e.by_year.iter().map(|y| vec![Cell::text(y.year.to_string()), amount(y.investment)]).collect();
        out.push(Block::Table(table(l.by_year, &[l.year, l.investment], &[], rows)));
    }
    let money = |name: &str, m: &super::MoneyRow| {
        vec![
            Cell::text(name),
            Cell::Num(m.tiltak as i64),
            amount(m.investment),
            amount(m.granted),
            amount(m.spent),
            amount(m.forecast),
            amount(m.operations),
        ]
    };
    let heads = |first: &'static str| [first, l.count, l.investment, l.granted, l.spent, l.forecast, l.operations];
    let mut rows: Vec<Vec<Cell>> = e
        .by_phase
        .iter()
        .enumerate()
        .filter(|(_, m)| m.tiltak > 0)
        .map(|(i, m)| money(&format!("{}. {}", i + 1, m.name), m))
        .collect();
    rows.push(money(l.total, &e.total));
    out.push(Block::Table(table(l.phase, &heads(l.phase), &[0], rows)));
    for (list, head, none) in [(&e.by_segment, l.segment, l.no_segment), (&e.by_group, l.product_group, l.no_group)] {
        if list.is_empty() {
            continue;
        }
        let rows = list.iter().map(|m| money(if m.id == super::NONE { none } else { &m.name }, m)).collect();
        out.push(Block::Table(table(head, &heads(head), &[0], rows)));
    }
    if !e.deviations.is_empty() {
        out.push(Block::SubHeading(format!("{} ({})", l.deviations, e.deviations.len())));
        let rows = e
            .deviations
            .iter()
            .map(|d| {
                let sign = if d.share > 0.0 { "+" } else { "" };
                vec![
                    Cell::text(format!("{} {}", d.id, d.title)),
                    amount(d.investment),
                    amount(d.forecast),
                    Cell::text(format!("{sign}{}", percent(d.share))),
                ]
            })
            .collect();
        out.push(Block::Table(table(l.deviations, &[l.tiltak, l.investment, l.forecast, l.deviation], &[0], rows)));
    }
}

/// Lay the report out.
pub fn layout(r: &Report, l: &Labels) -> Vec<Block> {
    let mut out = Vec::new();
    layout_into(r, l, &mut out);
    out
}

/// Where the layout puts its blocks, in order: a `Vec`, or a page that
/// writes each block as it comes and lets it go (`render::html::render_to`:
/// the report of ten thousand tiltak is never laid out whole).
pub trait Sink {
    fn push(&mut self, block: Block);
}

impl Sink for Vec<Block> {
    fn push(&mut self, block: Block) {
        Vec::push(self, block);
    }
}

/// [`layout`], each block given to `out` in turn.
pub fn layout_into(r: &Report, l: &Labels, out: &mut dyn Sink) {
    header(r, l, out);
    sections_into(r, l, out);
}

/// What lays out a section's body (the blocks after its heading).
type Body = fn(&mut dyn Sink, &Report, &Labels);

/// The sections in order: id, title, count (in the heading) and body.
fn sections<'l>(r: &Report, l: &'l Labels) -> [(&'static str, &'l str, Option<usize>, Body); 12] {
    [
        ("key-figures", l.key_figures, None, key_figures),
        ("status-risk", l.status_risk, None, status_risk),
        ("all-tiltak", l.all_tiltak, Some(r.tiltak.len()), all_tiltak),
        ("attention", l.attention, Some(r.attention.len()), attention),
        ("changes", l.changes, None, changes),
        ("goals", l.goals, None, goals),
        ("milestones", l.milestones, None, milestones),
        ("flow", l.flow, None, flow),
        ("benefits", l.benefits, Some(r.benefits.benefits.len()), benefits),
        ("risks", l.risk_register, Some(r.risks.open), risks),
        ("economy", l.economy, None, economy),
        ("data-quality", l.data_quality, None, data_quality),
    ]
}

/// The sections of [`layout`], each heading followed by its body.
pub fn sections_into(r: &Report, l: &Labels, out: &mut dyn Sink) {
    for (i, (id, title, count, body)) in sections(r, l).into_iter().enumerate() {
        out.push(heading(i, id, title, count));
        body(out, r, l);
    }
}

/// The heading of the `i`-th section (0-based; numbered from 1).
fn heading(i: usize, id: &'static str, title: &str, count: Option<usize>) -> Block {
    Block::Section { id, number: i + 1, title: title.to_owned(), count }
}

/// The sections' headings of [`layout`], in order, without their bodies:
/// what a table of contents needs, without laying the report out (the
/// report of ten thousand tiltak is tens of megabytes of blocks).
pub fn outline(r: &Report, l: &Labels) -> Vec<Block> {
    let sections = sections(r, l).into_iter().enumerate();
    sections.map(|(i, (id, title, count, _))| heading(i, id, title, count)).collect()
}

/// The blocks of [`layout`] before its first section: what, when, since
/// when, of what. The `--since` line sits here, once, and not again in the
/// changes section.
pub fn header(r: &Report, l: &Labels, out: &mut dyn Sink) {
    out.push(Block::Title { name: r.portfolio.name.clone(), title: l.title.to_owned() });
    let mut as_of = vec![Span::Text(format!("{} · ", r.as_of.date))];
    match &r.as_of.commit {
        Some(c) => as_of.extend([
            Span::Text(format!("{} ", l.commit)),
            Span::Code(c.short.clone()),
            Span::Text(format!(" ({})", c.date)),
        ]),
        None => as_of.push(Span::Text(l.work_tree.to_owned())),
    }
    if let Some(round) = &r.as_of.round {
        as_of.push(Span::Text(format!(" · {} {round}", l.round)));
    }
    out.push(Block::Meta { term: l.as_of.to_owned(), sep: " ", value: as_of });
    if let Some(s) = &r.since {
        let named = match &s.round {
            Some(round) => format!("{} {round}", l.round),
            None => s.requested.clone(),
        };
        let mut value = vec![Span::Text(named)];
        if let Some(c) = &s.commit {
            value.extend([
                Span::Text(format!(" → {} ", l.commit)),
                Span::Code(c.short.clone()),
                Span::Text(format!(" ({})", c.date)),
            ]);
        }
        out.push(Block::Meta { term: format!("{} {}", l.changes, l.since), sep: " ", value });
    }
    let mut selection = Vec::new();
    if let Some(g) = &r.filters.group {
        selection.push(format!("{}: {g}", l.product_group));
    }
    if let Some(s) = &r.filters.segment {
        selection.push(format!("{}: {s}", l.segment));
    }
    if !selection.is_empty() {
        out.push(Block::Meta { term: l.filtered.to_owned(), sep: ": ", value: vec![Span::Text(selection.join(", "))] });
    }
    if r.as_of.uncommitted {
        out.push(Block::Notice { title: l.uncommitted.to_owned(), text: None });
    }
    if !r.history.available {
        out.push(no_history(r, l));
    }
}

/// Section "Nøkkeltall": counts by state, per phase (and the funnel), segment and product group.
fn key_figures(out: &mut dyn Sink, r: &Report, l: &Labels) {
    let k = &r.key_figures;
    out.push(Block::Chart(Chart::Figures(vec![
        (l.active.to_owned(), k.total.active),
        (l.on_hold.to_owned(), k.total.on_hold),
        (l.stopped.to_owned(), k.total.stopped),
        (l.total.to_owned(), k.total.total()),
    ])));
    let closed = k.total.closed > 0;
    let head = counts_head(l, l.phase, closed);
    let mut rows: Vec<Vec<Cell>> = k
        .phases
        .iter()
        .enumerate()
        .map(|(i, b)| counts_row(&format!("{}. {}", i + 1, b.name), &b.counts, closed))
        .collect();
    rows.push(counts_row(l.total, &k.total, closed));
    let mut phases = table(&per(l, l.phase), &head, &[], rows);
    phases.compact = true;
    if let Some(last) = phases.styles.last_mut() {
        *last = RowStyle::Total;
    }
    let funnel = Block::Chart(Chart::Funnel {
        title: l.chart_funnel.to_owned(),
        bars: k.phases.iter().map(|b| (b.name.clone(), b.counts.active)).collect(),
    });
    out.push(Block::Table(phases));
    out.push(funnel);
    if !k.segments.is_empty() {
        let rows = k
            .segments
            .iter()
            .map(|b| counts_row(if b.unassigned { l.no_segment } else { &b.name }, &b.counts, closed))
            .collect();
        let mut t = table(&per(l, l.segment), &counts_head(l, l.segment, closed), &[], rows);
        t.compact = true;
        out.push(Block::Table(t));
    }
    if !k.product_groups.is_empty() {
        let rows = k
            .product_groups
            .iter()
            .map(|b| counts_row(if b.unassigned { l.no_group } else { &b.name }, &b.counts, closed))
            .collect();
        let mut t = table(&per(l, l.product_group), &counts_head(l, l.product_group, closed), &[0], rows);
        t.compact = true;
        out.push(Block::Table(t));
    }
}

/// Section "Status og risiko": the levels per segment, now and in the previous round.
fn status_risk(out: &mut dyn Sink, r: &Report, l: &Labels) {
    let with_previous = r.status.overall.previous_status.is_some();
    if with_previous {
        out.push(Block::Note(l.in_brackets.to_owned()));
    }
    let groups: Vec<&Levels> =
        if r.status.segments.is_empty() { vec![&r.status.overall] } else { r.status.segments.iter().collect() };
    out.push(Block::Chart(Chart::Levels {
        title: l.chart_levels.to_owned(),
        groups: groups.iter().map(|g| (levels_name(g, l).to_owned(), g.status, g.risk)).collect(),
    }));
    for (title, risk) in [(l.status, false), (l.risk, true)] {
        let headers = [title, l.green, l.yellow, l.red, l.unknown];
        let mut rows = vec![level_row(l.overall, &r.status.overall, with_previous, risk)];
        rows.extend(r.status.segments.iter().map(|sg| level_row(levels_name(sg, l), sg, with_previous, risk)));
        let caption = format!("{title} per {}", l.segment.to_lowercase());
        let mut t = table(&caption, &headers, &[0], rows);
        t.compact = true;
        if t.rows.len() > 1 {
            t.styles[0] = RowStyle::Total;
        }
        out.push(Block::Table(t));
    }
}

/// Section "Alle tiltak": one row each.
fn all_tiltak(out: &mut dyn Sink, r: &Report, l: &Labels) {
    let mut styles = Vec::new();
    let rows = r
        .tiltak
        .iter()
        .map(|t| {
            let tags = if t.state == State::Active {
                styles.push(RowStyle::Normal);
                Vec::new()
            } else {
                styles.push(RowStyle::Muted);
                vec![Tag { label: l.state(t.state).to_owned(), detail: None, kind: TagKind::State }]
            };
            vec![
                Cell::text(&t.id),
                Cell::Tagged(t.title.clone(), tags),
                Cell::text(phase_name(t)),
                Cell::text(t.segment_name.clone().or_else(|| t.product_group.clone()).unwrap_or_default()),
                Cell::opt(t.owner.as_deref()),
                Cell::Level(t.status),
                Cell::Level(t.risk),
                Cell::text(t.next_milestone.as_ref().map(|m| m.date.clone()).unwrap_or_default()),
                Cell::text(t.schedule.as_ref().map(|s| schedule_text(s, l)).unwrap_or_default()),
            ]
        })
        .collect();
    let group_head = if r.key_figures.segments.is_empty() { l.product_group } else { l.segment };
    let mut all = table(
        l.all_tiltak,
        &[l.id, l.title_col, l.phase, group_head, l.owner, l.status, l.risk, l.next_milestone, l.schedule],
        &[1, 3, 4],
        rows,
    );
    all.optional = vec![3, 4, 8];
    all.styles = styles;
    out.push(Block::Table(all));
}

/// Section "Trenger oppmerksomhet".
fn attention(out: &mut dyn Sink, r: &Report, l: &Labels) {
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
        out.push(Block::Table(table(
            l.attention,
            &[l.tiltak, l.status, l.reason, l.risk, l.mitigation],
            &[0, 2, 4],
            rows,
        )));
    }
}

/// Section "Endringer" since the previous round.
fn changes(out: &mut dyn Sink, r: &Report, l: &Labels) {
    match &r.changes {
        None if r.since.is_none() && r.as_of.first_round => out.push(Block::Note(l.no_earlier_round.to_owned())),
        None if r.since.is_none() => out.push(Block::Note(l.use_since.to_owned())),
        None => out.push(no_history(r, l)),
        Some(c) => {
            if c.is_empty() {
                out.push(Block::Note(l.no_changes.to_owned()));
            }
            mentions(out, l, l.new, &c.new);
            if !c.gates.is_empty() {
                out.push(Block::SubHeading(format!("{} ({})", l.gates, c.gates.len())));
                let rows = c
                    .gates
                    .iter()
                    .map(|g| {
                        let to = format!(
                            "{} → {}",
                            g.from_name.as_deref().unwrap_or("–"),
                            g.to_name.as_deref().unwrap_or("–")
                        );
                        let mut tags = Vec::new();
                        if g.kind == GateKind::Back {
                            tags.push(Tag { label: l.moved_back.to_owned(), detail: None, kind: TagKind::Note });
                        }
                        if let Some(f) = &g.forced {
                            tags.push(Tag {
                                label: l.forced.to_owned(),
                                detail: Some(f.clone()),
                                kind: TagKind::Warning,
                            });
                        }
                        vec![
                            Cell::text(&g.id),
                            Cell::text(&g.title),
                            Cell::Tagged(to, tags),
                            Cell::text(&g.date),
                            Cell::opt(g.decided_by.as_deref()),
                        ]
                    })
                    .collect();
                out.push(Block::Table(table(
                    l.gates,
                    &[l.id, l.title_col, l.phase, l.date, l.decided_by],
                    &[1, 2],
                    rows,
                )));
            }
            mentions(out, l, l.completed, &c.completed);
            mentions(out, l, l.stopped, &c.stopped);
            mentions(out, l, l.put_on_hold, &c.on_hold);
            mentions(out, l, l.resumed, &c.resumed);
            mentions(out, l, l.removed, &c.removed);
            for (title, list) in [(l.status_changes, &c.status_changes), (l.risk_changes, &c.risk_changes)] {
                if list.is_empty() {
                    continue;
                }
                out.push(Block::SubHeading(format!("{title} ({})", list.len())));
                let rows = list
                    .iter()
                    .map(|x| vec![Cell::text(&x.id), Cell::text(&x.title), Cell::Level(x.from), Cell::Level(x.to)])
                    .collect();
                out.push(Block::Table(table(title, &[l.id, l.title_col, l.before, l.after], &[1], rows)));
            }
        }
    }
}

/// Section "Strategiske mål og bærekraftsmål": tiltak per goal.
fn goals(out: &mut dyn Sink, r: &Report, l: &Labels) {
    if r.goals.strategic.is_empty() && r.goals.sdgs.is_empty() {
        out.push(Block::Note(l.none.to_owned()));
    }
    for (title, list) in [(l.strategic_goals, &r.goals.strategic), (l.sdgs, &r.goals.sdgs)] {
        if list.is_empty() {
            continue;
        }
        let max = list.iter().map(|g| g.count).max().unwrap_or(0);
        let rows =
            list.iter().map(|g| vec![Cell::text(format!("{}. {}", g.id, g.name)), Cell::Bar(g.count, max)]).collect();
        out.push(Block::Table(table(title, &[title, l.count], &[0], rows)));
    }
}

/// Section "Milepæler og leveranser": overdue and upcoming.
fn milestones(out: &mut dyn Sink, r: &Report, l: &Labels) {
    for (title, list, upcoming) in
        [(l.overdue, &r.milestones.overdue, false), (l.upcoming, &r.milestones.upcoming, true)]
    {
        out.push(Block::SubHeading(format!("{title} ({})", list.len())));
        if list.is_empty() {
            out.push(Block::Note(l.none.to_owned()));
            continue;
        }
        if let (true, Some(today)) = (upcoming, crate::domain::model::parse_date(&r.as_of.date)) {
            out.push(Block::Chart(Chart::Milestones {
                title: l.chart_milestones.to_owned(),
                today,
                items: list.clone(),
            }));
        }
        let rows = list
            .iter()
            .map(|m| {
                vec![
                    Cell::text(&m.date),
                    Cell::Num(m.days),
                    Cell::text(format!("{} {}", m.id, m.title)),
                    Cell::text(format!("{} ({})", m.name, l.due_kind(m.kind))),
                ]
            })
            .collect();
        out.push(Block::Table(table(title, &[l.date, l.days, l.tiltak, l.name], &[2, 3], rows)));
    }
}

/// Section "Flyt": days in each phase.
fn flow(out: &mut dyn Sink, r: &Report, l: &Labels) {
    match &r.flow {
        None => out.push(no_history(r, l)),
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
            let mut t =
                table(l.median_days, &[l.phase, l.median_days, l.stays, l.current_median, l.current], &[], rows);
            t.compact = true;
            out.push(Block::Table(t));
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
                out.push(Block::Table(table(
                    l.days_in_phase,
                    &[l.id, l.title_col, l.phase, l.entered, l.days],
                    &[1],
                    rows,
                )));
            }
        }
    }
}

/// Section "Datakvalitet": stale status, who has not reported, the findings.
fn data_quality(out: &mut dyn Sink, r: &Report, l: &Labels) {
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
        out.push(Block::Table(table(l.stale, &[l.id, l.title_col, l.last_updated, l.days], &[1], rows)));
    }
    if let Some(n) = &q.not_reported {
        let heading = format!("{} {} ({}, {} {})", l.not_reported, n.round, n.tiltak.len(), l.due, n.due);
        out.push(Block::SubHeading(heading.clone()));
        if n.tiltak.is_empty() {
            out.push(Block::Note(l.all_reported.to_owned()));
        } else {
            let rows = n
                .tiltak
                .iter()
                .map(|t| {
                    let due = match t.days_left {
                        0 => l.due_today.to_owned(),
                        d if d > 0 => format!("{d} {}", l.days_left),
                        d => format!("{} {}", -d, l.days_overdue),
                    };
                    vec![
                        Cell::text(&t.id),
                        Cell::text(&t.title),
                        Cell::opt(t.owner.as_deref()),
                        Cell::opt(t.organization.as_deref()),
                        Cell::text(due),
                    ]
                })
                .collect();
            let headers = [l.id, l.title_col, l.owner, l.organization, l.days_to_due];
            out.push(Block::Table(table(&heading, &headers, &[1, 3], rows)));
        }
    }
    out.push(Block::SubHeading(format!("{}: {}, {}", l.validation, l.errors_n(q.errors), l.warnings_n(q.warnings))));
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
                    Cell::text(format!("{} {}", l.severity(d.severity), d.code)),
                    Cell::text(place),
                    Cell::text(&d.message),
                ]
            })
            .collect();
        let mut findings = table(l.validation, &[l.finding, l.file, l.message], &[1, 2], rows);
        // The rule engine speaks English whatever the report's language.
        findings.english = vec![2];
        out.push(Block::Table(findings));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::process::Language;
    use crate::report::i18n::EN;
    use crate::report::*;

    /// A report of nothing, with history, as a starting point.
    fn report() -> Report {
        let levels = Levels {
            id: None,
            name: "P".into(),
            unassigned: false,
            status: LevelCounts::default(),
            risk: LevelCounts::default(),
            previous_status: None,
            previous_risk: None,
        };
        Report {
            version: 1,
            portfolio: PortfolioInfo { name: "P".into(), id_prefix: "P".into() },
            language: Language::En,
            as_of: AsOf {
                date: "2026-11-23".into(),
                commit: None,
                uncommitted: false,
                round: None,
                first_round: false,
            },
            since: None,
            filters: Filters { group: None, segment: None },
            history: HistoryInfo { available: true, reason: None },
            key_figures: KeyFigures {
                total: Counts::default(),
                phases: Vec::new(),
                segments: Vec::new(),
                product_groups: Vec::new(),
            },
            status: StatusSection { overall: levels, segments: Vec::new() },
            tiltak: Vec::new(),
            attention: Vec::new(),
            changes: None,
            goals: Goals { strategic: Vec::new(), sdgs: Vec::new() },
            milestones: Milestones { overdue: Vec::new(), upcoming: Vec::new() },
            flow: None,
            benefits: BenefitsSection::default(),
            risks: RisksSection::default(),
            economy: Economy::default(),
            data_quality: DataQuality {
                stale: Vec::new(),
                stale_after_days: 30,
                errors: 0,
                warnings: 0,
                diagnostics: Vec::new(),
                not_reported: None,
            },
        }
    }

    /// The blocks of one section.
    fn section(blocks: &[Block], want: &str) -> Vec<Block> {
        let start = blocks
            .iter()
            .position(|b| matches!(b, Block::Section { id, .. } if *id == want))
            .unwrap_or_else(|| panic!("section {want}"));
        blocks[start + 1..].iter().take_while(|b| !matches!(b, Block::Section { .. })).cloned().collect()
    }

    fn with_since(mut r: Report, changes: Changes) -> Report {
        r.since = Some(Since { requested: "2026-01-01".into(), commit: None, round: None });
        r.changes = Some(changes);
        r
    }

    #[test]
    fn every_section_once_in_order() {
        let ids: Vec<&str> = layout(&report(), &EN)
            .iter()
            .filter_map(|b| match b {
                Block::Section { id, .. } => Some(*id),
                _ => None,
            })
            .collect();
        assert_eq!(ids, SECTIONS);
    }

    #[test]
    fn the_outline_and_header_are_the_layouts_own() {
        let mut r = with_since(report(), Changes::default());
        r.history = HistoryInfo { available: false, reason: Some("shallow clone".into()) };
        let shown = |blocks: &[Block]| blocks.iter().map(|b| format!("{b:?}")).collect::<Vec<_>>();
        let blocks = layout(&r, &EN);
        let first = blocks.iter().position(|b| matches!(b, Block::Section { .. })).expect("a section");
        let mut head = Vec::new();
        header(&r, &EN, &mut head);
        assert_eq!(shown(&head), shown(&blocks[..first]));
        let headings: Vec<Block> = blocks.iter().filter(|b| matches!(b, Block::Section { .. })).cloned().collect();
        assert_eq!(shown(&outline(&r, &EN)), shown(&headings));
        assert!(shown(&headings).iter().any(|h| h.contains("\"all-tiltak\"") && h.contains("Some(0)")), "{headings:?}");
    }

    #[test]
    fn no_changes_gives_the_note() {
        let blocks = layout(&with_since(report(), Changes::default()), &EN);
        let changes = section(&blocks, "changes");
        assert!(matches!(&changes[..], [Block::Note(n)] if n == EN.no_changes), "{changes:?}");
    }

    #[test]
    fn without_since_the_changes_say_how() {
        let changes = section(&layout(&report(), &EN), "changes");
        assert!(matches!(&changes[..], [Block::Note(n)] if n == EN.use_since), "{changes:?}");
    }

    #[test]
    fn the_first_round_has_nothing_to_compare_with() {
        let mut r = report();
        r.as_of.round = Some("2026-T1".into());
        r.as_of.first_round = true;
        let changes = section(&layout(&r, &EN), "changes");
        assert!(matches!(&changes[..], [Block::Note(n)] if n == EN.no_earlier_round), "{changes:?}");
    }

    #[test]
    fn the_since_line_names_the_round() {
        let mut r = with_since(report(), Changes::default());
        if let Some(s) = r.since.as_mut() {
            s.round = Some("2026-T2".into());
        }
        let blocks = layout(&r, &EN);
        let meta = blocks.iter().find_map(|b| match b {
            Block::Meta { term, value, .. } if term.starts_with(EN.changes) => Some(value.clone()),
            _ => None,
        });
        assert!(matches!(meta.as_deref(), Some([Span::Text(t)]) if t == "round 2026-T2"), "{meta:?}");
    }

    #[test]
    fn who_has_not_reported_is_a_table_in_data_quality() {
        let mut r = report();
        let item = |id: &str, days_left| NotReportedItem {
            id: id.into(),
            title: "T".into(),
            owner: Some("Kari".into()),
            organization: None,
            days_left,
        };
        r.data_quality.not_reported = Some(NotReported {
            round: "2026-T3".into(),
            opens: "2026-08-15".into(),
            due: "2026-09-15".into(),
            tiltak: vec![item("P-001", 3), item("P-002", -5), item("P-003", 0)],
        });
        let quality = section(&layout(&r, &EN), "data-quality");
        assert!(
            quality
                .iter()
                .any(|b| matches!(b, Block::SubHeading(h) if h == "Not reported in round 2026-T3 (3, due 2026-09-15)")),
            "{quality:?}"
        );
        let Some(Block::Table(t)) = quality.iter().find(|b| matches!(b, Block::Table(_))) else {
            panic!("a table: {quality:?}")
        };
        let due: Vec<String> = t
            .rows
            .iter()
            .map(|row| match &row[4] {
                Cell::Text(s) => s.clone(),
                c => format!("{c:?}"),
            })
            .collect();
        assert_eq!(due, ["3 days left", "5 days overdue", "due today"]);
        if let Some(n) = r.data_quality.not_reported.as_mut() {
            n.tiltak.clear();
        }
        let quality = section(&layout(&r, &EN), "data-quality");
        assert!(quality.iter().any(|b| matches!(b, Block::Note(n) if n == EN.all_reported)), "{quality:?}");
    }

    #[test]
    fn the_since_line_is_in_the_header_only() {
        let blocks = layout(&with_since(report(), Changes::default()), &EN);
        let metas: Vec<usize> = blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b, Block::Meta { value, .. } if value.contains(&Span::Text("2026-01-01".into()))))
            .map(|(i, _)| i)
            .collect();
        let first_section = blocks.iter().position(|b| matches!(b, Block::Section { .. })).unwrap_or(0);
        assert_eq!(metas.len(), 1);
        assert!(metas[0] < first_section);
    }

    #[test]
    fn a_move_back_is_marked() {
        let gate = Gate {
            id: "P-1".into(),
            title: "T".into(),
            from: Some("b".into()),
            to: Some("a".into()),
            from_name: Some("B".into()),
            to_name: Some("A".into()),
            kind: GateKind::Back,
            date: "2026-02-01".into(),
            commit: "abc".into(),
            decided_by: None,
            forced: None,
        };
        let blocks = layout(&with_since(report(), Changes { gates: vec![gate], ..Changes::default() }), &EN);
        let changes = section(&blocks, "changes");
        let Some(Block::Table(t)) = changes.iter().find(|b| matches!(b, Block::Table(_))) else {
            panic!("a gates table: {changes:?}")
        };
        let Cell::Tagged(text, tags) = &t.rows[0][2] else { panic!("a tagged phase cell") };
        assert_eq!(tagged_text(text, tags), "B → A (moved back)");
        assert!(!changes.iter().any(|b| matches!(b, Block::Note(n) if n == EN.no_changes)));
    }

    #[test]
    fn missing_history_is_a_notice_in_the_header() {
        let mut r = report();
        r.history = HistoryInfo { available: false, reason: Some("shallow clone".into()) };
        let blocks = layout(&r, &EN);
        assert!(matches!(&blocks[2], Block::Notice { text: Some(t), .. } if t == "shallow clone"), "{blocks:?}");
        let flow = section(&blocks, "flow");
        assert!(matches!(&flow[..], [Block::Notice { .. }]), "{flow:?}");
    }
}
