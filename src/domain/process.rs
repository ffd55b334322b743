//! The process definition, `portfolio.yaml`: phases, criteria, fields, segments
//! and labels. Everything process-specific is data here, not code.

use std::collections::HashSet;
use std::path::Path;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic, Location};
use crate::domain::values::Date;
use crate::text::locate::{Step, locate};
use crate::util::memo::Memo;

/// The file name of the process definition, which also marks the portfolio root.
pub const FILE_NAME: &str = "portfolio.yaml";

/// A built-in template for `portfolio init`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Template {
    /// Digdir's six phases and exit criteria, MoSCoW priority, product groups.
    Digdir,
    /// Nasjonal e-helseportefølje: segments, strategy goals, SDGs, Prosjektveiviseren's phases.
    Ehelse,
}

impl Template {
    /// The commented `portfolio.yaml` text of the template.
    pub fn text(self) -> &'static str {
        match self {
            Template::Digdir => include_str!("templates/digdir.yaml"),
            Template::Ehelse => include_str!("templates/ehelse.yaml"),
        }
    }
}

/// A portfolio's process definition.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProcessDefinition {
    /// The portfolio's name, shown at the top of reports.
    pub name: String,
    /// Prefix of tiltak IDs: `DD` gives `DD-001`, `DD-002`, …
    pub id_prefix: String,
    /// The folder (under the portfolio root) holding one folder per phase.
    #[serde(default = "default_tiltak_dir")]
    pub tiltak_dir: String,
    /// Language of reports.
    #[serde(default)]
    pub language: Language,
    /// Days a status may go without an update before it counts as stale.
    #[serde(default = "default_stale_days")]
    pub stale_after_days: u32,
    /// The span a tiltak's timeframe should lie within.
    #[serde(default)]
    pub timeframe: Option<TimeframeRule>,
    /// Texts in tiltak files that the tool recognises.
    #[serde(default)]
    pub labels: Labels,
    /// Sections `portfolio new` writes into a new tiltak.
    #[serde(default)]
    pub body: Vec<BodySection>,
    /// Fields required from a given phase on.
    #[serde(default)]
    pub fields: Vec<FieldRule>,
    /// Status and risk rules for every tiltak.
    #[serde(default)]
    pub reporting: ReportingRules,
    /// Segments, with what each must report. Empty: tiltak have no segment.
    #[serde(default)]
    pub segments: Vec<Segment>,
    /// Allowed values of `product_group`. Empty: any value.
    #[serde(default)]
    pub product_groups: Vec<String>,
    /// Allowed values of `strategic_goals`.
    #[serde(default)]
    pub strategic_goals: Vec<Goal>,
    /// Allowed values of `sdgs` (UN Sustainable Development Goals).
    #[serde(default)]
    pub sdgs: Vec<Goal>,
    /// Allowed `type` of a benefit record (DFØ: effektivisering, kvalitet,
    /// andre aktører). Empty: any.
    #[serde(default)]
    pub benefit_types: Vec<String>,
    /// The phase (id) from which a benefit record needs its indicator,
    /// baseline and target; absent: every phase.
    #[serde(default)]
    pub benefit_records_from: Option<String>,
    /// Where a risk register score turns yellow and red.
    #[serde(default)]
    pub risk_scores: crate::domain::risks::RiskScores,
    /// The phases, in order.
    pub phases: Vec<Phase>,
    /// Reporting rounds (SPEC §9): `portfolio round open` adds one.
    #[serde(default)]
    pub rounds: Vec<Round>,
    /// Each phase's criteria heading normalised for matching, computed once.
    #[serde(skip)]
    #[schemars(skip)]
    criteria_keys: Memo<Vec<String>>,
}

fn default_tiltak_dir() -> String {
    "tiltak".to_owned()
}

fn default_stale_days() -> u32 {
    90
}

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Norwegian bokmål.
    #[default]
    Nb,
    /// English.
    En,
}

/// The prefix of the tag that closes a round: `round/<ID>`.
pub const TAG_PREFIX: &str = "round/";

/// A reporting round: from `opens` to `due`, both days included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Round {
    /// Free text, e.g. `2026-T3`; unique in the portfolio.
    pub id: String,
    /// The first day a report counts.
    pub opens: Date,
    /// The last day a report counts as on time.
    pub due: Date,
}

impl Round {
    /// The tag that closes it.
    pub fn tag(&self) -> String {
        format!("{TAG_PREFIX}{}", self.id)
    }

    /// Whether `day` lies within `opens..=due`.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.opens.0 <= day && day <= self.due.0
    }
}

/// A table of words in both languages: a struct with one field per word,
/// its Norwegian (bokmål) and English text as associated constants `NB` and
/// `EN`, and `for_language`. Every bilingual word list uses it.
macro_rules! bilingual {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($key:ident: $nb:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug)]
        $vis struct $name { $(pub $key: &'static str,)+ }

        impl $name {
            /// Norwegian (bokmål).
            pub const NB: $name = $name { $($key: $nb,)+ };
            /// English.
            pub const EN: $name = $name { $($key: $en,)+ };

            /// The words in `lang`.
            pub fn for_language(lang: $crate::domain::process::Language) -> &'static $name {
                match lang {
                    $crate::domain::process::Language::Nb => &Self::NB,
                    $crate::domain::process::Language::En => &Self::EN,
                }
            }
        }
    };
}
pub(crate) use bilingual;

/// The allowed span of a tiltak's timeframe, in months.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TimeframeRule {
    pub min_months: u32,
    pub max_months: u32,
}

/// Texts the tool recognises in tiltak bodies.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Labels {
    /// Criteria sections are headed `<criteria_heading>: <phase name>`.
    pub criteria_heading: String,
    /// A ticked item ending `— <not_relevant>: <why>` is not relevant for this tiltak.
    pub not_relevant: String,
}

impl Default for Labels {
    fn default() -> Self {
        Labels { criteria_heading: "Kriterier".to_owned(), not_relevant: "ikke relevant".to_owned() }
    }
}

/// A section written into new tiltak.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BodySection {
    pub heading: String,
    /// Guidance for the owner, written as an HTML comment (never counts as content).
    #[serde(default)]
    pub hint: Option<String>,
}

/// A field required from a phase on.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    /// Front-matter field; dots reach into it (`budget.investment`).
    pub field: String,
    /// The phase (id) from which the field is required; absent: every phase.
    #[serde(default)]
    pub from_phase: Option<String>,
    /// The segments (ids) in which the rule holds; absent or empty: all.
    #[serde(default)]
    pub segments: Vec<String>,
}

/// One requirement, as every rule in `portfolio.yaml` is read: a field, the
/// phase from which it holds (and in every later phase), and — for a
/// segment's reporting duty — the segment that asks for it.
#[derive(Debug, Clone)]
pub struct Requirement<'a> {
    /// Front-matter field; dots reach into it (`budget.investment`).
    pub field: &'a str,
    /// The index of the first phase it holds in.
    pub from: usize,
    /// The segment whose duty it is; `None` for a rule of every tiltak.
    pub segment: Option<&'a Segment>,
}

/// Rules on status and risk reporting.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ReportingRules {
    /// Yellow or red status needs `status.reason`.
    pub status_reason: bool,
    /// Yellow or red risk needs `risk.mitigation`.
    pub risk_mitigation: bool,
}

impl Default for ReportingRules {
    fn default() -> Self {
        ReportingRules { status_reason: true, risk_mitigation: false }
    }
}

/// A segment of the portfolio, with its reporting duty.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Fields every tiltak in this segment must report, from the second
    /// phase on (a proposal in the first phase has reported nothing yet).
    #[serde(default)]
    pub requires: Vec<String>,
    /// Yellow or red status needs a reason (in addition to `reporting`).
    #[serde(default)]
    pub status_reason: bool,
    /// Yellow or red risk needs mitigation (in addition to `reporting`).
    #[serde(default)]
    pub risk_mitigation: bool,
}

/// A numbered goal (strategy goal or SDG).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub id: u32,
    pub name: String,
}

/// A phase of the process.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Stable identifier, used in commit trailers and `--to`.
    pub id: String,
    /// Display name, also used in the criteria heading.
    pub name: String,
    /// Folder under `tiltak_dir`.
    pub folder: String,
    /// Earlier ids or folder names of this phase, so history made before a
    /// rename still counts as this phase.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The common stage this phase maps to, so that phases of different
    /// processes can be compared in a national report (SPEC §12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// Exit criteria: all must be met to leave the phase.
    #[serde(default)]
    pub criteria: Vec<Criterion>,
}

/// The stages every process goes through, whatever its phases are called:
/// a national report compares phases of different portfolios by them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Idea,
    Concept,
    Planning,
    Execution,
    Closing,
    Realisation,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 6] =
        [Stage::Idea, Stage::Concept, Stage::Planning, Stage::Execution, Stage::Closing, Stage::Realisation];

    /// The stage with this ID or name (in either language), ignoring case.
    pub fn parse(text: &str) -> Option<Stage> {
        let text = text.trim();
        Stage::ALL.into_iter().find(|s| {
            [s.id(), s.name(Language::Nb), s.name(Language::En)].iter().any(|n| n.to_lowercase() == text.to_lowercase())
        })
    }

    /// The stage's ID, as written in `portfolio.yaml` and the JSON.
    pub fn id(self) -> &'static str {
        match self {
            Stage::Idea => "idea",
            Stage::Concept => "concept",
            Stage::Planning => "planning",
            Stage::Execution => "execution",
            Stage::Closing => "closing",
            Stage::Realisation => "realisation",
        }
    }

    /// The stage's name in a report's language.
    pub fn name(self, lang: Language) -> &'static str {
        match (self, lang) {
            (Stage::Idea, Language::Nb) => "Idé",
            (Stage::Concept, Language::Nb) => "Konsept",
            (Stage::Planning, Language::Nb) => "Planlegging",
            (Stage::Execution, Language::Nb) => "Gjennomføring",
            (Stage::Closing, Language::Nb) => "Avslutning",
            (Stage::Realisation, Language::Nb) => "Gevinstrealisering",
            (Stage::Idea, Language::En) => "Idea",
            (Stage::Concept, Language::En) => "Concept",
            (Stage::Planning, Language::En) => "Planning",
            (Stage::Execution, Language::En) => "Execution",
            (Stage::Closing, Language::En) => "Closing",
            (Stage::Realisation, Language::En) => "Benefit realisation",
        }
    }
}

/// An exit criterion of a phase.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    /// The text, as it stands in the checklist.
    pub text: String,
    /// Evidence the file must show when the criterion is ticked.
    #[serde(default)]
    pub check: Option<Check>,
    /// The text normalised for matching, computed once.
    #[serde(skip)]
    #[schemars(skip)]
    key: Memo<String>,
}

impl Criterion {
    /// The text as checklist items are matched against it.
    pub fn key(&self) -> &str {
        self.key.get_or_init(|| crate::text::normalize(&self.text))
    }
}

/// Evidence for a criterion: a filled field and/or a section with content.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// A front-matter field that must be present and non-empty (dots reach in).
    #[serde(default)]
    pub field: Option<String>,
    /// A body section (heading text) that must have real content.
    #[serde(default)]
    pub section: Option<String>,
    /// The section's heading normalised for matching, computed once.
    #[serde(skip)]
    #[schemars(skip)]
    section_key: Memo<Option<String>>,
}

impl Check {
    /// The section's heading as body headings are matched against it.
    pub fn section_key(&self) -> Option<&str> {
        self.section_key.get_or_init(|| self.section.as_deref().map(crate::text::normalize)).as_deref()
    }
}

use crate::domain::model::KNOWN_KEYS as KNOWN_FIELDS;

/// Sub-keys of the known mapping fields.
pub fn known_subfields(field: &str) -> &'static [&'static str] {
    match field {
        "status" => &["level", "reason", "updated"],
        "risk" => &["level", "description", "mitigation", "updated"],
        "timeframe" => &["start", "end"],
        "budget" => &["investment", "operations", "currency", "by_year", "granted", "spent", "forecast", "certainty"],
        _ => &[],
    }
}

fn is_known_field_path(path: &str) -> bool {
    let mut parts = path.split('.');
    let Some(top) = parts.next() else {
        return false;
    };
    if !KNOWN_FIELDS.contains(&top) {
        return false;
    }
    match (parts.next(), parts.next()) {
        (None, _) => true,
        (Some(sub), None) => known_subfields(top).contains(&sub),
        _ => false,
    }
}

impl ProcessDefinition {
    /// Parse and validate `portfolio.yaml` text. `path` is used in diagnostics.
    pub fn parse(text: &str, path: &Path) -> Result<ProcessDefinition, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if let Some((line, col)) = crate::text::yaml::find_alias(text) {
            return Err(vec![
                Diagnostic::error(
                    Code::ProcessDefinition,
                    path,
                    "YAML aliases (`*name`) are not allowed in portfolio.yaml",
                )
                .at(Some(Location::new(line + 1, col + 1)))
                .with_hint("write the value out in full"),
            ]);
        }
        if let Some((line, col)) = crate::text::yaml::find_deep_nesting(text, crate::text::yaml::MAX_DEPTH) {
            return Err(vec![
                Diagnostic::error(
                    Code::ProcessDefinition,
                    path,
                    format!("portfolio.yaml nests deeper than {} levels", crate::text::yaml::MAX_DEPTH),
                )
                .at(Some(Location::new(line + 1, col + 1)))
                .with_hint("see the comments in a fresh `portfolio init` for the expected form"),
            ]);
        }
        let def: ProcessDefinition = match serde_yaml::from_str(text) {
            Ok(def) => def,
            Err(err) => {
                let (message, position) = crate::text::yaml::error_position(&err);
                let location = position.map(|(line, col)| Location::new(line, col));
                return Err(vec![
                    Diagnostic::error(Code::ProcessDefinition, path, message)
                        .at(location.or(Some(Location::new(1, 1))))
                        .with_hint("see the comments in a fresh `portfolio init` for the expected form"),
                ]);
            }
        };
        let problems = def.validate(text, path);
        if problems.is_empty() { Ok(def) } else { Err(problems) }
    }

    fn validate(&self, text: &str, path: &Path) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let at = |steps: &[Step<'_>]| {
            let (line, col) = locate(text, steps);
            Some(Location::new(line + 1, col + 1))
        };
        let mut error = |steps: &[Step<'_>], message: String, hint: Option<&str>| {
            let mut d = Diagnostic::error(Code::ProcessDefinition, path, message).at(at(steps));
            if let Some(h) = hint {
                d = d.with_hint(h);
            }
            out.push(d);
        };
        if !is_valid_prefix(&self.id_prefix) {
            error(
                &[Step::Key("id_prefix")],
                format!(
                    "`id_prefix` {:?} must be 1 to 10 ASCII letters or digits, starting with a letter",
                    self.id_prefix
                ),
                None,
            );
        }
        if !is_safe_folder(&self.tiltak_dir, true) {
            error(
                &[Step::Key("tiltak_dir")],
                format!("`tiltak_dir` {:?} must be a relative path inside the portfolio", self.tiltak_dir),
                None,
            );
        }
        if self.phases.is_empty() {
            error(&[Step::Key("phases")], "`phases` must list at least one phase".to_owned(), None);
        }
        let mut ids = HashSet::new();
        let mut folders = HashSet::new();
        for (i, phase) in self.phases.iter().enumerate() {
            let here = [Step::Key("phases"), Step::Index(i)];
            if !ids.insert(phase.id.as_str()) {
                error(&here, format!("phase id `{}` is used twice", phase.id), None);
            }
            if !folders.insert(phase.folder.as_str()) {
                error(&here, format!("phase folder `{}` is used twice", phase.folder), None);
            }
            if !is_safe_folder(&phase.folder, false) {
                error(
                    &[Step::Key("phases"), Step::Index(i), Step::Key("folder")],
                    format!(
                        "phase folder {:?} must be one plain folder name (no `/`, `..` or control characters)",
                        phase.folder
                    ),
                    None,
                );
            }
            let mut criteria = HashSet::new();
            for (j, c) in phase.criteria.iter().enumerate() {
                let here = [Step::Key("phases"), Step::Index(i), Step::Key("criteria"), Step::Index(j)];
                if !criteria.insert(c.id.as_str()) {
                    error(&here, format!("criterion id `{}` is used twice in phase `{}`", c.id, phase.id), None);
                }
                if let Some(field) = c.check.as_ref().and_then(|c| c.field.as_deref())
                    && !is_known_field_path(field)
                {
                    error(
                        &here,
                        format!("criterion `{}` checks unknown field `{field}`", c.id),
                        Some(&known_fields_hint()),
                    );
                }
            }
        }
        for (i, rule) in self.fields.iter().enumerate() {
            let here = [Step::Key("fields"), Step::Index(i)];
            if !is_known_field_path(&rule.field) {
                error(&here, format!("unknown field `{}`", rule.field), Some(&known_fields_hint()));
            }
            if let Some(from) = &rule.from_phase
                && self.phase_index(from).is_none()
            {
                error(&here, format!("`from_phase` names unknown phase `{from}`"), Some(&self.phase_ids_hint()));
            }
            for segment in &rule.segments {
                if self.segment(segment).is_none() {
                    error(
                        &[Step::Key("fields"), Step::Index(i), Step::Key("segments")],
                        format!("`segments` names unknown segment `{segment}`"),
                        None,
                    );
                }
            }
        }
        let mut segment_ids = HashSet::new();
        for (i, segment) in self.segments.iter().enumerate() {
            let here = [Step::Key("segments"), Step::Index(i)];
            if !segment_ids.insert(segment.id.as_str()) {
                error(&here, format!("segment id `{}` is used twice", segment.id), None);
            }
            for field in &segment.requires {
                if !is_known_field_path(field) {
                    error(
                        &here,
                        format!("segment `{}` requires unknown field `{field}`", segment.id),
                        Some(&known_fields_hint()),
                    );
                }
            }
        }
        if let Some(from) = &self.benefit_records_from
            && self.phase_index(from).is_none()
        {
            error(
                &[Step::Key("benefit_records_from")],
                format!("`benefit_records_from` names unknown phase `{from}`"),
                Some(&self.phase_ids_hint()),
            );
        }
        if self.risk_scores.yellow > self.risk_scores.red || self.risk_scores.red > 25 {
            error(
                &[Step::Key("risk_scores")],
                "`risk_scores` needs yellow ≤ red ≤ 25 (scores are probability × consequence, 1–25)".to_owned(),
                None,
            );
        }
        let mut round_ids = HashSet::new();
        for (i, round) in self.rounds.iter().enumerate() {
            let here = [Step::Key("rounds"), Step::Index(i)];
            if !round_ids.insert(round.id.as_str()) {
                error(&here, format!("round id `{}` is used twice", round.id), None);
            }
            if round.opens > round.due {
                error(
                    &[Step::Key("rounds"), Step::Index(i), Step::Key("opens")],
                    format!("round `{}` opens ({}) after it is due ({})", round.id, round.opens, round.due),
                    Some("`opens` must be on or before `due`"),
                );
            }
        }
        if let Some(tf) = self.timeframe
            && tf.min_months > tf.max_months
        {
            error(&[Step::Key("timeframe")], "`timeframe.min_months` is larger than `max_months`".to_owned(), None);
        }
        out
    }

    /// Position of a phase (by id, or an earlier id in `aliases`) in the process.
    pub fn phase_index(&self, id: &str) -> Option<usize> {
        self.phases
            .iter()
            .position(|p| p.id == id)
            .or_else(|| self.phases.iter().position(|p| p.aliases.iter().any(|a| a == id)))
    }

    /// The phase whose folder is `folder` (or was, by its `aliases`).
    pub fn phase_by_folder(&self, folder: &str) -> Option<usize> {
        self.phases
            .iter()
            .position(|p| p.folder == folder)
            .or_else(|| self.phases.iter().position(|p| p.aliases.iter().any(|a| a == folder)))
    }

    /// Every requirement that holds for a tiltak in `segment` (an id; `None`:
    /// no segment), one per field: where several rules name a field, the
    /// one that holds earliest decides, so no field is judged twice.
    pub fn requirements(&self, segment: Option<&str>) -> Vec<Requirement<'_>> {
        let segment = segment.and_then(|s| self.segment(s));
        let mut out: Vec<Requirement<'_>> = Vec::new();
        fn add<'d>(r: Requirement<'d>, out: &mut Vec<Requirement<'d>>) {
            match out.iter_mut().find(|o| o.field == r.field) {
                Some(o) if r.from < o.from => *o = r,
                Some(_) => {}
                None => out.push(r),
            }
        }
        for rule in &self.fields {
            let applies = rule.segments.is_empty()
                || segment.is_some_and(|s| rule.segments.iter().any(|x| x.eq_ignore_ascii_case(&s.id)));
            if !applies {
                continue;
            }
            let from = rule.from_phase.as_deref().and_then(|p| self.phase_index(p)).unwrap_or(0);
            let of = if rule.segments.is_empty() { None } else { segment };
            add(Requirement { field: &rule.field, from, segment: of }, &mut out);
        }
        if let Some(s) = segment {
            let second = 1.min(self.phases.len().saturating_sub(1));
            for field in &s.requires {
                add(Requirement { field, from: second, segment: Some(s) }, &mut out);
            }
        }
        out
    }

    /// Find a phase by id, name or folder, case-insensitively.
    pub fn find_phase(&self, query: &str) -> Option<usize> {
        let q = crate::text::normalize(query);
        self.phases.iter().position(|p| {
            crate::text::normalize(&p.id) == q
                || crate::text::normalize(&p.name) == q
                || crate::text::normalize(&p.folder) == q
        })
    }

    /// Like [`find_phase`](Self::find_phase), for a phase the user named:
    /// an unknown name is a usage error listing the phases.
    pub fn require_phase(&self, query: &str) -> crate::Result<usize> {
        self.find_phase(query)
            .ok_or_else(|| crate::Error::usage_hint(format!("no phase {query:?}"), self.phase_ids_hint()))
    }

    pub fn segment(&self, id: &str) -> Option<&Segment> {
        self.segments.iter().find(|s| s.id.eq_ignore_ascii_case(id))
    }

    /// The heading of a phase's criteria section, e.g. `Kriterier: Problem`.
    pub fn criteria_heading(&self, phase: &Phase) -> String {
        format!("{}: {}", self.labels.criteria_heading, phase.name)
    }

    /// The criteria heading of the phase at `index`, normalised for matching
    /// (computed once for all phases).
    pub fn criteria_key(&self, index: usize) -> &str {
        let keys = self
            .criteria_keys
            .get_or_init(|| self.phases.iter().map(|p| crate::text::normalize(&self.criteria_heading(p))).collect());
        keys.get(index).map_or("", String::as_str)
    }

    fn phase_ids_hint(&self) -> String {
        let ids: Vec<&str> = self.phases.iter().map(|p| p.id.as_str()).collect();
        format!("phases are: {}", ids.join(", "))
    }
}

fn known_fields_hint() -> String {
    format!("known fields are: {}", KNOWN_FIELDS.join(", "))
}

fn is_valid_prefix(prefix: &str) -> bool {
    (1..=10).contains(&prefix.len())
        && prefix.starts_with(|c: char| c.is_ascii_alphabetic())
        && prefix.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A folder name that cannot lead outside the portfolio.
fn is_safe_folder(folder: &str, allow_nested: bool) -> bool {
    if folder.is_empty() || folder.starts_with('/') || folder.contains('\\') || folder.chars().any(char::is_control) {
        return false;
    }
    let mut parts = folder.split('/');
    if !allow_nested && folder.contains('/') {
        return false;
    }
    // Never inside a Git folder: a tiltak file there would be Git's, not the portfolio's.
    parts.all(|p| !p.is_empty() && p != "." && p != ".." && !p.eq_ignore_ascii_case(".git"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A definition read twice is the same, whichever keys either has
    /// worked out: a view's read ahead is used only when its definition
    /// is the view's.
    #[test]
    fn a_definition_equals_itself_read_again_whatever_it_computed() {
        let read = || ProcessDefinition::parse(Template::Digdir.text(), Path::new("portfolio.yaml")).expect("parses");
        let (used, fresh) = (read(), read());
        let _ = used.criteria_key(0);
        let _ = used.phases[0].criteria[0].key();
        let _ = used.phases[0].criteria.iter().find_map(|c| c.check.as_ref()).map(Check::section_key);
        assert_eq!(used, fresh);
        let mut renamed = read();
        renamed.phases[0].name.push('!');
        assert_ne!(renamed, fresh, "a definition that differs is not the same");
    }

    #[test]
    fn built_in_templates_are_valid() {
        for t in [Template::Digdir, Template::Ehelse] {
            let def = ProcessDefinition::parse(t.text(), Path::new("portfolio.yaml")).expect("template parses");
            assert_eq!(def.phases.len(), 6);
        }
    }

    #[test]
    fn digdir_criteria_are_verbatim_from_the_source() {
        let def = ProcessDefinition::parse(Template::Digdir.text(), Path::new("p")).expect("parses");
        let seed = include_str!("../../tests/data/digdir-criteria.txt");
        let ours: Vec<String> = def
            .phases
            .iter()
            .flat_map(|p| {
                std::iter::once(format!("#### {}:", p.name)).chain(p.criteria.iter().map(|c| format!("- {}", c.text)))
            })
            .collect();
        let theirs: Vec<&str> = seed.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn reports_bad_definitions_with_location() {
        let text = "name: X\nid_prefix: '1bad'\nphases:\n  - id: a\n    name: A\n    folder: ../x\n";
        let errs = ProcessDefinition::parse(text, Path::new("portfolio.yaml")).expect_err("must fail");
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].location, Some(Location::new(2, 1)));
        assert_eq!(errs[1].location, Some(Location::new(6, 5)));
    }

    #[test]
    fn rounds_are_checked_with_location() {
        let text = "name: X\nid_prefix: X\nphases:\n  - {id: a, name: A, folder: a}\nrounds:\n  - {id: R, opens: 2026-01-01, due: 2026-02-01}\n  - id: R\n    opens: 2026-03-01\n    due: 2026-02-01\n";
        let errs = ProcessDefinition::parse(text, Path::new("portfolio.yaml")).expect_err("must fail");
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs[0].message.contains("used twice"), "{}", errs[0].message);
        assert_eq!(errs[0].location, Some(Location::new(7, 3)));
        assert_eq!(errs[1].location, Some(Location::new(8, 5)));
    }

    #[test]
    fn unknown_keys_are_errors_with_location() {
        let errs =
            ProcessDefinition::parse("name: X\nid_prefx: DD\nphases: []\n", Path::new("p")).expect_err("must fail");
        assert_eq!(errs[0].location.map(|l| l.line), Some(2));
        assert!(errs[0].message.contains("id_prefx"), "{}", errs[0].message);
    }
}
