//! The report's model, which is also its JSON output (`report --format
//! json`): field names and values are a stable API. Add fields, never rename
//! them, and regenerate `schema/report.schema.json`.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Serialize;

use crate::diag::JsonDiagnostic;
use crate::domain::model::{Level, State};
use crate::domain::process::Language;
use crate::git::CommitInfo;
pub use crate::store::view::Filters;

/// The report, as printed by `report --format json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(title = "Portfolio report")]
pub struct Report {
    /// Version of this layout; raised only when a field changes meaning.
    pub version: u32,
    pub portfolio: PortfolioInfo,
    /// The language of names and labels: `nb` or `en`.
    pub language: Language,
    pub as_of: AsOf,
    /// The previous reporting round: `--since`, the round before `--round`'s,
    /// else the latest closed round before the report's commit; `null`
    /// without any of them.
    pub since: Option<Since>,
    pub filters: Filters,
    /// Whether Git history was read (sections `changes` and `flow`).
    pub history: HistoryInfo,
    pub key_figures: KeyFigures,
    pub status: StatusSection,
    /// Every tiltak in the report, by ID.
    pub tiltak: Vec<Arc<Row>>,
    /// Red and yellow tiltak (status or risk), red first.
    // The same rows as in `tiltak`, shared: thousands in a large portfolio.
    pub attention: Vec<Arc<Row>>,
    /// What happened since the previous round; `null` without `--since` or history.
    pub changes: Option<Changes>,
    pub goals: Goals,
    pub milestones: Milestones,
    /// Days in phase; `null` without history.
    pub flow: Option<Flow>,
    pub benefits: BenefitsSection,
    pub risks: RisksSection,
    pub economy: Economy,
    pub data_quality: DataQuality,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PortfolioInfo {
    pub name: String,
    pub id_prefix: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AsOf {
    /// The day the report describes (`YYYY-MM-DD`): staleness and due
    /// milestones are judged against it.
    pub date: String,
    /// The commit read; `null` when read from a work tree without commits.
    pub commit: Option<CommitRef>,
    /// True when the report is of HEAD and the tiltak folder has changes not
    /// committed yet (they are not in the report).
    pub uncommitted: bool,
    /// The reporting round whose tag `round/<ID>` is the commit read
    /// (`report --round ID`, or `--at round/<ID>`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub round: Option<String>,
    /// True when the report is a round's (`round` above) and no closed
    /// round came before it: there is nothing to compare with, and the
    /// changes section says so. Absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schemars(default)]
    pub first_round: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Since {
    /// What `--since` named; with `--round`, or without `--since` when a
    /// round is closed, the tag `round/<ID>` of the round compared with.
    pub requested: String,
    /// The commit the previous round is read from; `null` when the portfolio
    /// had no commit yet then.
    pub commit: Option<CommitRef>,
    /// The reporting round it is, when it is a closed round's tag
    /// `round/<ID>`: named by `--since round/<ID>` or `--round`, or the
    /// latest closed round, which a report without `--since` compares with.
    /// Absent for other revisions and dates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub round: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CommitRef {
    pub id: String,
    pub short: String,
    /// Commit date, `YYYY-MM-DD`, in the committer's time zone.
    pub date: String,
}

impl From<&CommitInfo> for CommitRef {
    fn from(c: &CommitInfo) -> Self {
        CommitRef { id: c.id.to_string(), short: c.short.clone(), date: day(c) }
    }
}

pub(crate) fn day(c: &CommitInfo) -> String {
    c.date().map(|d| d.to_string()).unwrap_or_default()
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HistoryInfo {
    pub available: bool,
    /// Why history is missing (shallow clone, no repository).
    pub reason: Option<String>,
}

/// Counts of tiltak by state.
#[derive(Debug, Clone, Copy, Default, Serialize, JsonSchema, PartialEq, Eq)]
pub struct Counts {
    pub active: usize,
    pub on_hold: usize,
    pub stopped: usize,
    /// Closed out of the last phase.
    pub closed: usize,
}

impl Counts {
    pub(crate) fn add(&mut self, state: State) {
        match state {
            State::Active => self.active += 1,
            State::OnHold => self.on_hold += 1,
            State::Stopped => self.stopped += 1,
            State::Closed => self.closed += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.active + self.on_hold + self.stopped + self.closed
    }
}

/// Counts for one phase, segment or product group.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Bucket {
    /// Phase or segment ID, or the product group's name; `(none)` for the
    /// tiltak without one.
    pub id: String,
    pub name: String,
    /// True for the bucket of tiltak that name no segment or group.
    pub unassigned: bool,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct KeyFigures {
    pub total: Counts,
    /// Every phase in order: the funnel.
    pub phases: Vec<Bucket>,
    /// Every segment of the portfolio (empty when it has none), then
    /// `(none)` when some tiltak have no segment.
    pub segments: Vec<Bucket>,
    pub product_groups: Vec<Bucket>,
}

/// Green, yellow and red counts; `unknown` has no level set.
#[derive(Debug, Clone, Copy, Default, Serialize, JsonSchema, PartialEq, Eq)]
pub struct LevelCounts {
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
    pub unknown: usize,
}

impl LevelCounts {
    pub(crate) fn add(&mut self, level: Option<Level>) {
        match level {
            Some(Level::Green) => self.green += 1,
            Some(Level::Yellow) => self.yellow += 1,
            Some(Level::Red) => self.red += 1,
            None => self.unknown += 1,
        }
    }

    pub fn get(&self, level: Option<Level>) -> usize {
        match level {
            Some(Level::Green) => self.green,
            Some(Level::Yellow) => self.yellow,
            Some(Level::Red) => self.red,
            None => self.unknown,
        }
    }
}

/// Status and risk counts of one group of tiltak, now and (with `--since`)
/// in the previous round.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Levels {
    /// Segment ID; `null` for the whole portfolio; `(none)` for tiltak
    /// without a segment.
    pub id: Option<String>,
    pub name: String,
    /// True for the row of tiltak without a segment.
    pub unassigned: bool,
    pub status: LevelCounts,
    pub risk: LevelCounts,
    pub previous_status: Option<LevelCounts>,
    pub previous_risk: Option<LevelCounts>,
}

/// Status and risk of tiltak that are not stopped.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusSection {
    pub overall: Levels,
    pub segments: Vec<Levels>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PhaseRef {
    pub id: String,
    pub name: String,
    /// 1 for the first phase.
    pub number: usize,
    /// The common stage the phase maps to (`stage:` in `portfolio.yaml`),
    /// by which a national report compares processes; absent when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<crate::domain::process::Stage>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MilestoneRef {
    pub name: String,
    pub date: String,
}

/// One tiltak as reported.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Row {
    pub id: String,
    /// The portfolio the tiltak belongs to, in a national report; absent in
    /// one portfolio's report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio: Option<String>,
    pub title: String,
    /// Path from the portfolio's folder.
    pub path: String,
    /// `null` when the file lies outside the phase folders.
    pub phase: Option<PhaseRef>,
    /// Segment ID.
    pub segment: Option<String>,
    pub segment_name: Option<String>,
    pub product_group: Option<String>,
    pub owner: Option<String>,
    pub organization: Option<String>,
    pub priority: Option<String>,
    #[schemars(schema_with = "state_schema")]
    pub state: State,
    pub state_reason: Option<String>,
    #[schemars(schema_with = "level_schema")]
    pub status: Option<Level>,
    pub status_reason: Option<String>,
    pub status_updated: Option<String>,
    #[schemars(schema_with = "level_schema")]
    pub risk: Option<Level>,
    pub risk_description: Option<String>,
    pub risk_mitigation: Option<String>,
    pub next_milestone: Option<MilestoneRef>,
    pub strategic_goals: Vec<u32>,
    pub sdgs: Vec<u32>,
    /// Days since the tiltak entered its phase, from history.
    pub days_in_phase: Option<i64>,
    /// Time gone against milestones done; `null` without a timeframe or
    /// when not active.
    pub schedule: Option<Schedule>,
    pub errors: usize,
    pub warnings: usize,
}

/// A row stands for itself where rows are taken shared or not (`list`'s
/// own, a report's shared with its attention list).
impl AsRef<Row> for Row {
    fn as_ref(&self) -> &Row {
        self
    }
}

/// A level in the output: always the canonical word, or `null` (the
/// front matter's schema also allows aliases; the report never writes them).
fn level_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": ["string", "null"], "enum": ["green", "yellow", "red", null] })
}

fn level_grid_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "array",
        "items": { "type": "array", "items": { "type": "string", "enum": ["green", "yellow", "red"] } }
    })
}

fn state_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": ["active", "on_hold", "stopped"] })
}

/// A tiltak named in a list of changes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Mention {
    pub id: String,
    pub title: String,
    /// The date of the commit it happened in, when history tells.
    pub date: Option<String>,
    pub commit: Option<String>,
}

/// A phase move in the range.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Gate {
    pub id: String,
    pub title: String,
    /// Phase IDs; `null` outside the phase folders.
    pub from: Option<String>,
    pub to: Option<String>,
    pub from_name: Option<String>,
    pub to_name: Option<String>,
    pub kind: GateKind,
    pub date: String,
    pub commit: String,
    /// `Decided-By:` trailer, or who merged the change.
    pub decided_by: Option<String>,
    /// `Forced:` trailer.
    pub forced: Option<String>,
}

/// How a phase move went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GateKind {
    /// To the next phase.
    Forward,
    /// Forward past one phase or more.
    Skip,
    /// To an earlier phase.
    Back,
    /// Into or out of the phase folders.
    Other,
}

/// A status or risk level that changed between the rounds.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LevelChange {
    pub id: String,
    pub title: String,
    #[schemars(schema_with = "level_schema")]
    pub from: Option<Level>,
    #[schemars(schema_with = "level_schema")]
    pub to: Option<Level>,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Changes {
    /// Tiltak that exist now and did not in the previous round.
    pub new: Vec<Mention>,
    /// Phase moves, oldest first.
    pub gates: Vec<Gate>,
    /// Tiltak that reached the last phase.
    pub completed: Vec<Mention>,
    /// Tiltak stopped since.
    pub stopped: Vec<Mention>,
    /// Tiltak put on hold since.
    pub on_hold: Vec<Mention>,
    /// Tiltak resumed since.
    pub resumed: Vec<Mention>,
    /// Tiltak whose file is gone (an error: they should be stopped).
    pub removed: Vec<Mention>,
    pub status_changes: Vec<LevelChange>,
    pub risk_changes: Vec<LevelChange>,
}

impl Changes {
    /// Nothing happened in the range: the one definition every format uses.
    pub fn is_empty(&self) -> bool {
        self.new.is_empty()
            && self.gates.is_empty()
            && self.completed.is_empty()
            && self.stopped.is_empty()
            && self.on_hold.is_empty()
            && self.resumed.is_empty()
            && self.removed.is_empty()
            && self.status_changes.is_empty()
            && self.risk_changes.is_empty()
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GoalCount {
    pub id: u32,
    pub name: String,
    /// Tiltak (not stopped) that support it.
    pub count: usize,
    pub tiltak: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Goals {
    pub strategic: Vec<GoalCount>,
    pub sdgs: Vec<GoalCount>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DueItem {
    pub id: String,
    pub title: String,
    pub kind: DueKind,
    pub name: String,
    pub date: String,
    /// Days from the report date: negative when overdue.
    pub days: i64,
}

/// What falls due: a milestone or a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    Milestone,
    Delivery,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Milestones {
    /// Past their date and not done, oldest first.
    pub overdue: Vec<DueItem>,
    /// Due within the next 90 days, soonest first.
    pub upcoming: Vec<DueItem>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FlowItem {
    pub id: String,
    pub title: String,
    pub phase: String,
    /// When it entered its current phase.
    pub entered: String,
    pub days: i64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PhaseFlow {
    pub id: String,
    pub name: String,
    /// Median days a tiltak spent in the phase before leaving it.
    pub median_days: Option<f64>,
    /// How many finished stays the median is over.
    pub stays: usize,
    /// Median days so far of the tiltak in the phase now.
    pub current_median_days: Option<f64>,
    pub current: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Flow {
    /// Tiltak not stopped, longest in phase first.
    pub tiltak: Vec<FlowItem>,
    pub phases: Vec<PhaseFlow>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StaleItem {
    pub id: String,
    pub title: String,
    /// When the status was last assessed; `null`: never.
    pub updated: Option<String>,
    pub days: Option<i64>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DataQuality {
    /// Active tiltak whose status is older than the portfolio's limit, or has no date.
    pub stale: Vec<StaleItem>,
    pub stale_after_days: u32,
    pub errors: usize,
    pub warnings: usize,
    /// Every finding of `portfolio check` on the reported tiltak.
    pub diagnostics: Vec<JsonDiagnostic>,
    /// The reporting round open on the report's date and the active tiltak
    /// that have not reported in it; absent when no round is open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_reported: Option<NotReported>,
}

/// Who still owes a report in the open round (SPEC §9): active tiltak
/// whose `status.updated` (and, where the segment reports risk,
/// `risk.updated`) is not on or after the round's `opens`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NotReported {
    /// The round's ID.
    pub round: String,
    /// `YYYY-MM-DD`.
    pub opens: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    /// By ID.
    pub tiltak: Vec<NotReportedItem>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NotReportedItem {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub organization: Option<String>,
    /// Days from the report's date to `due`; negative: days overdue.
    pub days_left: i64,
}

/// How a tiltak keeps to its timeframe: share of the time gone beside share
/// of the milestones done.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Schedule {
    /// Share of the timeframe elapsed, 0–1.
    pub elapsed: f64,
    /// Share of the milestones done, 0–1; `null` without milestones.
    pub milestones_done: Option<f64>,
    /// Days the oldest open milestone is overdue; `null` when none is.
    pub oldest_overdue_days: Option<i64>,
}

/// Section "Gevinster": every benefit record of the tiltak in the report,
/// completed tiltak too (realisation comes after delivery).
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct BenefitsSection {
    pub benefits: Vec<BenefitRow>,
    /// Totals by benefit type (`(none)` for records without a type).
    pub by_type: Vec<BenefitTotal>,
    /// Tiltak whose benefits are plain text, not records.
    pub text_only: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BenefitRow {
    pub tiltak_id: String,
    pub tiltak_title: String,
    pub id: Option<String>,
    pub description: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub owner: Option<String>,
    pub indicator: Option<String>,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub baseline_date: Option<String>,
    /// The latest measurement up to the report's day (the baseline when none).
    pub latest: Option<f64>,
    pub latest_date: Option<String>,
    pub target: Option<f64>,
    pub target_date: Option<String>,
    /// Share of the way from baseline to target, 0–1 (beyond when overshot).
    pub realised: Option<f64>,
    /// At or past a straight line from baseline to target; `null` when it
    /// cannot be judged (no dated baseline and target).
    pub on_track: Option<bool>,
    /// No measurement (nor baseline) in the last 365 days.
    pub unmeasured_for_a_year: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BenefitTotal {
    #[serde(rename = "type")]
    pub kind: String,
    pub count: usize,
    pub on_track: usize,
    pub behind: usize,
    pub unmeasured_for_a_year: usize,
}

/// Section "Risiko": the register of every tiltak in the report.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct RisksSection {
    /// Open risks counted by cell: `matrix[p-1][c-1]` for probability p and
    /// consequence c, before mitigation.
    pub matrix: Vec<Vec<usize>>,
    /// The level of each cell's score (same shape as `matrix`), from the
    /// definition's `risk_scores`.
    #[schemars(schema_with = "level_grid_schema")]
    pub levels: Vec<Vec<Level>>,
    pub open: usize,
    /// The ten highest-scoring open risks, highest first.
    pub top: Vec<RiskRow>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RiskRow {
    pub tiltak_id: String,
    pub tiltak_title: String,
    pub id: Option<String>,
    pub description: Option<String>,
    pub probability: u8,
    pub consequence: u8,
    pub score: u8,
    #[schemars(schema_with = "level_schema")]
    pub level: Option<Level>,
    pub residual_score: Option<u8>,
    #[schemars(schema_with = "level_schema")]
    pub residual_level: Option<Level>,
    pub owner: Option<String>,
    pub mitigation: Option<String>,
}

/// Section "Økonomi": budgets summed.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Economy {
    /// Investment per year, from `budget.by_year`.
    pub by_year: Vec<YearSum>,
    pub by_phase: Vec<MoneyRow>,
    pub by_segment: Vec<MoneyRow>,
    pub by_group: Vec<MoneyRow>,
    pub total: MoneyRow,
    /// Tiltak whose forecast deviates from the investment by more than 10 %.
    pub deviations: Vec<Deviation>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct YearSum {
    pub year: i32,
    pub investment: f64,
}

/// Sums over a phase, segment or product group.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct MoneyRow {
    pub id: String,
    pub name: String,
    /// Tiltak with a budget.
    pub tiltak: usize,
    /// Requested investment.
    pub investment: f64,
    pub operations: f64,
    pub granted: f64,
    pub spent: f64,
    pub forecast: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Deviation {
    pub id: String,
    pub title: String,
    pub investment: f64,
    pub forecast: f64,
    /// (forecast − investment) / investment.
    pub share: f64,
}
