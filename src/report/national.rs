//! The national report (SPEC §12): every section of the single report over
//! the portfolios of a national file, each built by the single report's
//! builder with its own definition and then added up, plus the figures of
//! each portfolio side by side, the dependencies across portfolios, and the
//! portfolios that could not be read. Phases of different processes meet in
//! the stage each maps to (`stage:` in `portfolio.yaml`).
//!
//! The JSON is the single report's (same keys, the whole national file's
//! figures) with `national`, `portfolios` and `cross_dependencies` added:
//! `schema/national-report.schema.json`.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Serialize;

use super::i18n::Labels;
use super::layout::{self, Block, Cell, Table};
use super::model::*;
use super::{NONE, attention};
use crate::diag::JsonDiagnostic;
use crate::domain::national::{CrossDependency, DependencyFlag};
use crate::domain::process::{Language, ProcessDefinition, Stage};

/// The national report, as printed by `report --format json` on a national file.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(title = "National portfolio report")]
pub struct NationalReport {
    pub national: NationalInfo,
    /// Every portfolio of the national file, in its order, read or not.
    pub portfolios: Vec<PortfolioFigures>,
    /// Dependencies of tiltak on tiltak of another portfolio, by the
    /// depending tiltak's ID.
    pub cross_dependencies: Vec<CrossDependency>,
    /// The whole: every section of the single report over all the
    /// portfolios read. `key_figures.phases` are the stages; each row of
    /// `tiltak` names its `portfolio`; paths in `data_quality.diagnostics`
    /// start with the portfolio's folder as the national file names it.
    #[serde(flatten)]
    pub report: Report,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NationalInfo {
    pub name: String,
    /// The national file's name.
    pub file: String,
    /// How many portfolios it names, and how many could be read.
    pub portfolios: usize,
    pub read: usize,
}

/// One portfolio's figures, beside the others.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PortfolioFigures {
    /// The entry's `name`, else its definition's.
    pub name: String,
    /// `path` as the national file gives it.
    pub path: String,
    /// `ref` as the national file gives it; `null`: HEAD.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// Whether it could be read; when not, `error` says why, from its place
    /// in the national file (`national.yaml:4:3: …`), and data quality lists it.
    pub read: bool,
    pub error: Option<String>,
    pub id_prefix: Option<String>,
    /// The commit read.
    pub commit: Option<CommitRef>,
    /// Tiltak by state.
    pub total: Counts,
    /// Tiltak by stage, in stage order (then `(none)` for phases without one).
    pub stages: Vec<Bucket>,
    /// Status and risk of the tiltak not stopped; with `--since` the previous round's.
    pub status: Levels,
    pub errors: usize,
    pub warnings: usize,
}

/// One portfolio as read, for [`build`]: its report is taken apart into
/// the national one (moved, not copied: ten portfolios' rows are most of
/// the national report's memory).
pub struct Part<'a> {
    pub name: &'a str,
    /// Its folder as the national file names it.
    pub dir: &'a str,
    pub def: &'a ProcessDefinition,
    pub report: Report,
}

/// One entry of the national file that could not be read.
pub struct Failure<'a> {
    pub name: &'a str,
    pub path: &'a str,
    pub reference: Option<&'a str>,
    pub diagnostic: Box<JsonDiagnostic>,
}

/// What the national report is built from besides the parts.
pub struct NationalInput<'a> {
    pub name: &'a str,
    pub file: &'a str,
    pub language: Language,
    /// The day reported: today, or `--at`'s.
    pub date: String,
    /// In the national file's order: each entry read or not.
    pub entries: Vec<Result<Part<'a>, Failure<'a>>>,
    /// Findings of the national rules, paths already as the national file sees them.
    pub dependencies: Vec<CrossDependency>,
}

fn stage_of(def: &ProcessDefinition, phase_id: &str) -> Option<Stage> {
    def.phase_index(phase_id).and_then(|i| def.phases[i].stage)
}

fn stage_buckets(language: Language) -> Vec<Bucket> {
    Stage::ALL
        .iter()
        .map(|s| Bucket {
            id: s.id().to_owned(),
            name: s.name(language).to_owned(),
            unassigned: false,
            counts: Counts::default(),
        })
        .collect()
}

fn add_counts(to: &mut Counts, c: &Counts) {
    to.active += c.active;
    to.on_hold += c.on_hold;
    to.stopped += c.stopped;
    to.closed += c.closed;
}

fn add_levels(to: &mut LevelCounts, c: &LevelCounts) {
    to.green += c.green;
    to.yellow += c.yellow;
    to.red += c.red;
    to.unknown += c.unknown;
}

/// Buckets by phase mapped to stages.
fn by_stage(def: &ProcessDefinition, phases: &[Bucket], language: Language) -> Vec<Bucket> {
    let mut out = stage_buckets(language);
    let mut none = Counts::default();
    for b in phases {
        match stage_of(def, &b.id) {
            Some(s) => add_counts(&mut out[s as usize].counts, &b.counts),
            None => add_counts(&mut none, &b.counts),
        }
    }
    if none.total() > 0 {
        out.push(Bucket { id: NONE.to_owned(), name: NONE.to_owned(), unassigned: true, counts: none });
    }
    out
}

/// Merge buckets by ID, in the order first seen.
fn merge_buckets(into: &mut Vec<Bucket>, from: &[Bucket]) {
    for b in from {
        match into.iter_mut().find(|x| x.id == b.id) {
            Some(x) => add_counts(&mut x.counts, &b.counts),
            None => into.push(b.clone()),
        }
    }
}

fn merge_levels(into: &mut Levels, from: &Levels) {
    add_levels(&mut into.status, &from.status);
    add_levels(&mut into.risk, &from.risk);
    for (to, f) in [(&mut into.previous_status, &from.previous_status), (&mut into.previous_risk, &from.previous_risk)]
    {
        if let Some(f) = f {
            add_levels(to.get_or_insert_with(LevelCounts::default), f);
        }
    }
}

fn add_money(to: &mut MoneyRow, r: &MoneyRow) {
    to.tiltak += r.tiltak;
    to.investment += r.investment;
    to.operations += r.operations;
    to.granted += r.granted;
    to.spent += r.spent;
    to.forecast += r.forecast;
}

fn merge_money(into: &mut Vec<MoneyRow>, from: &[MoneyRow]) {
    for r in from {
        match into.iter_mut().find(|x| x.id == r.id) {
            Some(x) => add_money(x, r),
            None => into.push(r.clone()),
        }
    }
}

fn empty_levels(name: &str) -> Levels {
    Levels {
        id: None,
        name: name.to_owned(),
        unassigned: false,
        status: LevelCounts::default(),
        risk: LevelCounts::default(),
        previous_status: None,
        previous_risk: None,
    }
}

/// Build the national report.
pub fn build(input: NationalInput<'_>) -> NationalReport {
    let language = input.language;
    let parts: Vec<&Part<'_>> = input.entries.iter().filter_map(|e| e.as_ref().ok()).collect();
    let read = parts.len();
    let overall_name = parts.first().map_or(String::new(), |p| p.report.status.overall.name.clone());
    // What the first portfolio's report says for the whole, taken before the reports are taken apart.
    let first = parts.first().map(|p| &p.report);
    let since = first.and_then(|r| r.since.clone()).map(|mut s| {
        s.commit = None;
        s.round = None;
        s
    });
    let stale_after_days = first.map_or(0, |r| r.data_quality.stale_after_days);

    let mut portfolios = Vec::new();
    for e in &input.entries {
        portfolios.push(match e {
            Ok(p) => PortfolioFigures {
                name: p.name.to_owned(),
                path: p.dir.to_owned(),
                reference: None,
                read: true,
                error: None,
                id_prefix: Some(p.def.id_prefix.clone()),
                commit: p.report.as_of.commit.clone(),
                total: p.report.key_figures.total,
                stages: by_stage(p.def, &p.report.key_figures.phases, language),
                status: p.report.status.overall.clone(),
                errors: p.report.data_quality.errors,
                warnings: p.report.data_quality.warnings,
            },
            Err(f) => PortfolioFigures {
                name: f.name.to_owned(),
                path: f.path.to_owned(),
                reference: f.reference.map(str::to_owned),
                read: false,
                error: Some(match (f.diagnostic.line, f.diagnostic.column) {
                    (Some(line), Some(column)) => {
                        format!("{}:{line}:{column}: {}", f.diagnostic.path, f.diagnostic.message)
                    }
                    _ => f.diagnostic.message.clone(),
                }),
                id_prefix: None,
                commit: None,
                total: Counts::default(),
                stages: Vec::new(),
                status: empty_levels(&overall_name),
                errors: 0,
                warnings: 0,
            },
        });
    }

    // Key figures.
    let mut total = Counts::default();
    let mut phases = stage_buckets(language);
    let mut segments: Vec<Bucket> = Vec::new();
    let mut product_groups: Vec<Bucket> = Vec::new();
    let mut overall = empty_levels(&overall_name);
    let mut status_segments: Vec<Levels> = Vec::new();
    let mut rows: Vec<Arc<Row>> = Vec::new();
    let mut changes: Option<Changes> = None;
    let mut strategic = Vec::new();
    let mut sdgs: Vec<GoalCount> = Vec::new();
    let mut overdue = Vec::new();
    let mut upcoming = Vec::new();
    let mut flow: Option<Flow> = None;
    let mut benefits = BenefitsSection::default();
    let mut risks = RisksSection::default();
    let mut economy = Economy::default();
    let mut stale = Vec::new();
    let mut errors = 0;
    let mut warnings = 0;
    let mut diagnostics = Vec::new();
    let mut not_reported: Option<NotReported> = None;
    let mut history_reasons = Vec::new();
    let mut uncommitted = false;

    let mut failed = Vec::new();
    for e in input.entries {
        let p = match e {
            Ok(p) => p,
            Err(f) => {
                failed.push(*f.diagnostic);
                continue;
            }
        };
        let mut r = p.report;
        // The attention list shares the rows: let it go, so each row is
        // taken over, not copied.
        r.attention = Vec::new();
        let prefix = |path: &str| crate::diag::display_path(&std::path::Path::new(p.dir).join(path));
        add_counts(&mut total, &r.key_figures.total);
        for b in by_stage(p.def, &r.key_figures.phases, language) {
            merge_buckets(&mut phases, std::slice::from_ref(&b));
        }
        merge_buckets(&mut segments, &r.key_figures.segments);
        merge_buckets(&mut product_groups, &r.key_figures.product_groups);
        merge_levels(&mut overall, &r.status.overall);
        for s in &r.status.segments {
            match status_segments.iter_mut().find(|x| x.id == s.id) {
                Some(x) => merge_levels(x, s),
                None => status_segments.push(s.clone()),
            }
        }
        rows.extend(r.tiltak.into_iter().map(|row| {
            let mut row = Arc::unwrap_or_clone(row);
            row.portfolio = Some(p.name.to_owned());
            row.path = prefix(&row.path);
            Arc::new(row)
        }));
        if let Some(c) = r.changes {
            let to = changes.get_or_insert_with(Changes::default);
            to.new.extend(c.new);
            to.gates.extend(c.gates);
            to.completed.extend(c.completed);
            to.stopped.extend(c.stopped);
            to.on_hold.extend(c.on_hold);
            to.resumed.extend(c.resumed);
            to.removed.extend(c.removed);
            to.status_changes.extend(c.status_changes);
            to.risk_changes.extend(c.risk_changes);
        }
        // Strategy goals are each portfolio's own; the SDGs are the UN's, shared.
        strategic.extend(r.goals.strategic.into_iter().map(|mut g| {
            g.name = format!("{} ({})", g.name, p.name);
            g
        }));
        for g in r.goals.sdgs {
            match sdgs.iter_mut().find(|x| x.id == g.id) {
                Some(x) => {
                    x.count += g.count;
                    x.tiltak.extend(g.tiltak);
                }
                None => sdgs.push(g),
            }
        }
        overdue.extend(r.milestones.overdue);
        upcoming.extend(r.milestones.upcoming);
        match r.flow {
            Some(f) => {
                let to = flow.get_or_insert_with(|| Flow { tiltak: Vec::new(), phases: Vec::new() });
                to.tiltak.extend(f.tiltak);
                // Medians do not add up: each portfolio's phases, named by it.
                to.phases.extend(f.phases.into_iter().map(|mut ph| {
                    ph.name = format!("{} ({})", ph.name, p.name);
                    ph
                }));
            }
            None => history_reasons.push(format!("{}: {}", p.name, r.history.reason.unwrap_or_default())),
        }
        benefits.benefits.extend(r.benefits.benefits);
        for t in &r.benefits.by_type {
            match benefits.by_type.iter_mut().find(|x| x.kind == t.kind) {
                Some(x) => {
                    x.count += t.count;
                    x.on_track += t.on_track;
                    x.behind += t.behind;
                    x.unmeasured_for_a_year += t.unmeasured_for_a_year;
                }
                None => benefits.by_type.push(t.clone()),
            }
        }
        benefits.text_only += r.benefits.text_only;
        if risks.matrix.is_empty() {
            risks.matrix = r.risks.matrix.clone();
            risks.levels = r.risks.levels.clone();
        } else {
            for (row, from) in risks.matrix.iter_mut().zip(&r.risks.matrix) {
                for (cell, n) in row.iter_mut().zip(from) {
                    *cell += n;
                }
            }
        }
        risks.open += r.risks.open;
        risks.top.extend(r.risks.top);
        for y in &r.economy.by_year {
            match economy.by_year.iter_mut().find(|x| x.year == y.year) {
                Some(x) => x.investment += y.investment,
                None => economy.by_year.push(y.clone()),
            }
        }
        let mut stage_money: Vec<MoneyRow> = Vec::new();
        for m in &r.economy.by_phase {
            let (id, name) = match stage_of(p.def, &m.id) {
                Some(s) => (s.id().to_owned(), s.name(language).to_owned()),
                None => (NONE.to_owned(), NONE.to_owned()),
            };
            merge_money(&mut stage_money, &[MoneyRow { id, name, ..m.clone() }]);
        }
        merge_money(&mut economy.by_phase, &stage_money);
        merge_money(&mut economy.by_segment, &r.economy.by_segment);
        merge_money(&mut economy.by_group, &r.economy.by_group);
        let total_name = r.economy.total.name.clone();
        add_money(&mut economy.total, &r.economy.total);
        economy.total.id = r.economy.total.id.clone();
        economy.total.name = total_name;
        economy.deviations.extend(r.economy.deviations);
        stale.extend(r.data_quality.stale);
        errors += r.data_quality.errors;
        warnings += r.data_quality.warnings;
        diagnostics.extend(r.data_quality.diagnostics.into_iter().map(|mut d| {
            d.path = prefix(&d.path);
            d
        }));
        if let Some(n) = r.data_quality.not_reported {
            let to = not_reported.get_or_insert_with(|| NotReported {
                round: String::new(),
                opens: n.opens.clone(),
                due: n.due.clone(),
                tiltak: Vec::new(),
            });
            if !to.round.split(", ").any(|r| r == n.round) {
                to.round = if to.round.is_empty() { n.round.clone() } else { format!("{}, {}", to.round, n.round) };
            }
            to.tiltak.extend(n.tiltak);
        }
        uncommitted |= r.as_of.uncommitted;
    }
    // The portfolios that could not be read are findings of data quality.
    errors += failed.len();
    diagnostics.extend(failed);

    rows.sort_by(|a, b| a.id.cmp(&b.id).then(a.path.cmp(&b.path)));
    if let Some(c) = &mut changes {
        c.gates.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    }
    sdgs.sort_by_key(|g| g.id);
    overdue.sort_by(|a: &DueItem, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    upcoming.sort_by(|a: &DueItem, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    if let Some(f) = &mut flow {
        f.tiltak.sort_by(|a, b| b.days.cmp(&a.days).then(a.id.cmp(&b.id)));
    }
    risks.top.sort_by(|a, b| b.score.cmp(&a.score).then(a.tiltak_id.cmp(&b.tiltak_id)));
    risks.top.truncate(10);
    economy.by_year.sort_by_key(|y| y.year);
    stale.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(n) = &mut not_reported {
        n.tiltak.sort_by(|a, b| a.id.cmp(&b.id));
    }
    // Phases with no tiltak anywhere stay in the funnel; the `(none)` bucket
    // only when some portfolio has phases without a stage.
    let report = Report {
        version: 1,
        portfolio: PortfolioInfo { name: input.name.to_owned(), id_prefix: String::new() },
        language,
        as_of: AsOf { date: input.date.clone(), commit: None, uncommitted, round: None, first_round: false },
        since,
        filters: Filters::default(),
        history: HistoryInfo {
            available: history_reasons.is_empty(),
            reason: (!history_reasons.is_empty()).then(|| history_reasons.join("; ")),
        },
        key_figures: KeyFigures { total, phases, segments, product_groups },
        status: StatusSection { overall, segments: status_segments },
        attention: attention(&rows),
        tiltak: rows,
        changes,
        goals: Goals { strategic, sdgs },
        milestones: Milestones { overdue, upcoming },
        flow,
        benefits,
        risks,
        economy,
        data_quality: DataQuality { stale, stale_after_days, errors, warnings, diagnostics, not_reported },
    };
    NationalReport {
        national: NationalInfo {
            name: input.name.to_owned(),
            file: input.file.to_owned(),
            portfolios: portfolios.len(),
            read,
        },
        portfolios,
        cross_dependencies: input.dependencies,
        report,
    }
}

crate::domain::process::bilingual! {
    /// The national report's own words.
    pub struct NationalWords {
        title: "Nasjonal porteføljerapport", "National portfolio report";
        portfolios: "Porteføljer", "Portfolios";
        portfolio: "Portefølje", "Portfolio";
        per_portfolio: "Per portefølje", "Per portfolio";
        per_portfolio_caption: "Tiltak og funn per portefølje", "Tiltak and findings per portfolio";
        per_stage: "Aktive tiltak per stadium og portefølje", "Active tiltak per stage and portfolio";
        stage: "Stadium", "Stage";
        per_stage_all: "Tiltak per stadium", "Tiltak per stage";
        funnel: "Aktive tiltak per stadium", "Active tiltak per stage";
        read: "Lest", "Read";
        read_all: "{n} porteføljer, hver ved sin ref (se Per portefølje)", "{n} portfolios, each at its own ref (see Per portfolio)";
        read_some: "{read} av {n} porteføljer lest, hver ved sin ref (se Per portefølje)", "{read} of {n} portfolios read, each at its own ref (see Per portfolio)";
        at: "ved", "at";
        no_commit: "arbeidskatalogen (ingen commit)", "the work tree (no commit)";
        closed: "Avsluttet", "Closed";
        not_read: "Kunne ikke leses", "Could not be read";
        total: "Totalt", "Total";
        cross: "Avhengigheter på tvers", "Dependencies across portfolios";
        cross_none: "Ingen tiltak avhenger av tiltak i en annen portefølje.", "No tiltak depends on a tiltak of another portfolio.";
        depends: "Tiltak", "Tiltak";
        on: "Avhenger av", "Depends on";
        flag: "Merknad", "Flag";
        flag_missing: "finnes ikke", "missing";
        flag_stopped: "stoppet", "stopped";
        flag_red: "rød", "red";
        unreadable: "Porteføljer som ikke kunne leses", "Portfolios that could not be read";
        why: "Hvorfor", "Why";
        path: "Sti", "Path";
        errors: "Feil", "Errors";
        warnings: "Advarsler", "Warnings";
    }
}

/// The national report laid out: the single report's layout of the whole,
/// with the portfolios side by side in the key figures, the dependencies
/// across portfolios after what needs attention, and the unreadable
/// portfolios in data quality.
pub fn layout(n: &NationalReport, l: &Labels) -> Vec<Block> {
    let w = NationalWords::for_language(n.report.language);
    let mut blocks = layout::layout(&n.report, l);
    if let Some(Block::Title { title, .. }) = blocks.first_mut() {
        *title = w.title.to_owned();
    }
    let after_section = |blocks: &[Block], id: &str| {
        let start = blocks.iter().position(|b| matches!(b, Block::Section { id: s, .. } if *s == id));
        start.map(|s| s + 1 + blocks[s + 1..].iter().take_while(|b| !matches!(b, Block::Section { .. })).count())
    };

    // The key figures' phases are the stages.
    let key_end = after_section(&blocks, "key-figures").unwrap_or(0);
    let mut renamed = false;
    for b in &mut blocks[..key_end] {
        match b {
            Block::Table(t) if !renamed && t.headers.first().is_some_and(|h| h == l.phase) => {
                t.headers[0] = w.stage.to_owned();
                t.caption = w.per_stage_all.to_owned();
                renamed = true;
            }
            Block::Chart(layout::Chart::Funnel { title, .. }) => *title = w.funnel.to_owned(),
            _ => {}
        }
    }

    // All tiltak: the phases of several processes, and their schedules, may
    // wrap, so that the table fits the page.
    if let Some(Block::Table(t)) = blocks.iter_mut().find(|b| matches!(b, Block::Table(t) if t.caption == l.all_tiltak))
    {
        for column in [2, 8] {
            if !t.wrap.contains(&column) {
                t.wrap.push(column);
            }
        }
    }

    // The flow's phases carry their portfolio's name: let them wrap.
    if let Some(start) = blocks.iter().position(|b| matches!(b, Block::Section { id: "flow", .. })) {
        for b in blocks[start + 1..].iter_mut().take_while(|b| !matches!(b, Block::Section { .. })) {
            if let Block::Table(t) = b
                && !t.wrap.contains(&0)
            {
                t.wrap.push(0);
            }
        }
    }

    // The header: what was read is each portfolio at its own commit.
    if let Some(Block::Meta { value, .. }) = blocks.iter_mut().find(|b| matches!(b, Block::Meta { .. })) {
        let read = n.national.read;
        let all = n.national.portfolios;
        let what = if read == all {
            w.read_all.replace("{n}", &all.to_string())
        } else {
            w.read_some.replace("{read}", &read.to_string()).replace("{n}", &all.to_string())
        };
        *value = vec![layout::Span::Text(format!("{} · {what}", n.report.as_of.date))];
    }

    // Key figures: each portfolio beside the others; the closed column
    // only when some portfolio has closed tiltak, the commits in a note
    // under the table so that it fits a terminal of 80 columns.
    let mut side = Vec::new();
    side.push(Block::SubHeading(w.per_portfolio.to_owned()));
    let closed = n.portfolios.iter().any(|p| p.total.closed > 0);
    let mut head = vec![w.portfolio, l.active, l.on_hold, l.stopped];
    if closed {
        head.push(w.closed);
    }
    head.extend([w.errors, w.warnings]);
    let rows = n
        .portfolios
        .iter()
        .map(|p| {
            // A portfolio not read has no figures: a dash, not a zero.
            let num = |v: usize| if p.read { Cell::Num(v as i64) } else { Cell::Text("–".to_owned()) };
            let mut row =
                vec![Cell::Text(p.name.clone()), num(p.total.active), num(p.total.on_hold), num(p.total.stopped)];
            if closed {
                row.push(num(p.total.closed));
            }
            row.extend([num(p.errors), num(p.warnings)]);
            row
        })
        .collect();
    let mut table = layout::table(w.per_portfolio, &head, &[0], rows);
    table.numeric = (1..head.len()).collect();
    table.caption = w.per_portfolio_caption.to_owned();
    side.push(Block::Table(table));
    let commits: Vec<String> = n
        .portfolios
        .iter()
        .map(|p| {
            let at = match (&p.commit, &p.reference) {
                (Some(c), Some(r)) => format!("{} {r} = {} {} ({})", w.at, l.commit, c.short, c.date),
                (Some(c), None) => format!("{} {} {} ({})", w.at, l.commit, c.short, c.date),
                (None, _) if p.read => w.no_commit.to_owned(),
                (None, _) => w.not_read.to_lowercase(),
            };
            format!("{} {at}", p.name)
        })
        .collect();
    side.push(Block::Note(format!("{}: {}.", w.read, commits.join("; "))));
    // Stages side by side: one column per portfolio read.
    let read: Vec<&PortfolioFigures> = n.portfolios.iter().filter(|p| p.read).collect();
    if !read.is_empty() {
        let mut head: Vec<&str> = vec![w.stage];
        head.extend(read.iter().map(|p| p.name.as_str()));
        head.push(w.total);
        let rows: Vec<Vec<Cell>> = n
            .report
            .key_figures
            .phases
            .iter()
            .map(|stage| {
                let mut row = vec![Cell::Text(stage.name.clone())];
                let mut sum = 0;
                for p in &read {
                    let c = p.stages.iter().find(|b| b.id == stage.id).map_or(0, |b| b.counts.active);
                    sum += c;
                    row.push(Cell::Num(c as i64));
                }
                row.push(Cell::Num(sum as i64));
                row
            })
            .collect();
        side.push(Block::Table(layout::table(w.per_stage, &head, &[], rows)));
    }
    if let Some(at) = after_section(&blocks, "key-figures") {
        blocks.splice(at..at, side);
    }

    // Dependencies across portfolios, after what needs attention.
    let mut cross = vec![Block::Section {
        id: "cross-dependencies",
        number: 0,
        title: w.cross.to_owned(),
        count: Some(n.cross_dependencies.len()),
    }];
    if n.cross_dependencies.is_empty() {
        cross.push(Block::Note(w.cross_none.to_owned()));
    } else {
        let rows = n
            .cross_dependencies
            .iter()
            .map(|d| {
                let flag = d.flag.map_or("", |f| match f {
                    DependencyFlag::Missing => w.flag_missing,
                    DependencyFlag::Stopped => w.flag_stopped,
                    DependencyFlag::Red => w.flag_red,
                });
                let to = match &d.to_title {
                    Some(t) => format!("{} {t}", d.to),
                    None => d.to.clone(),
                };
                vec![
                    Cell::Text(format!("{} {}", d.from, d.from_title)),
                    Cell::Text(d.from_portfolio.clone()),
                    Cell::Text(to),
                    Cell::Text(d.to_portfolio.clone().unwrap_or_default()),
                    Cell::Text(flag.to_owned()),
                ]
            })
            .collect();
        let t: Table =
            layout::table(w.cross, &[w.depends, w.portfolio, w.on, w.portfolio, w.flag], &[0, 1, 2, 3], rows);
        cross.push(Block::Table(t));
    }
    if let Some(at) = after_section(&blocks, "attention") {
        blocks.splice(at..at, cross);
    }

    // Data quality: the portfolios that could not be read, first.
    let failed: Vec<&PortfolioFigures> = n.portfolios.iter().filter(|p| !p.read).collect();
    if !failed.is_empty()
        && let Some(start) = blocks.iter().position(|b| matches!(b, Block::Section { id: "data-quality", .. }))
    {
        let rows = failed
            .iter()
            .map(|p| {
                vec![
                    Cell::Text(p.name.clone()),
                    Cell::Text(p.path.clone()),
                    Cell::Text(p.error.clone().unwrap_or_default()),
                ]
            })
            .collect();
        let table = layout::table(w.unreadable, &[w.portfolio, w.path, w.why], &[0, 1, 2], rows);
        blocks.splice(start + 1..start + 1, [Block::SubHeading(w.unreadable.to_owned()), Block::Table(table)]);
    }

    // Number the sections again, the new one among them.
    let mut number = 0;
    for b in &mut blocks {
        if let Block::Section { number: n, .. } = b {
            number += 1;
            *n = number;
        }
    }
    blocks
}
