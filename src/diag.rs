//! Findings as data: every rule produces [`Diagnostic`]s, and renderers decide
//! how they look (rustc-like text, JSON, GitHub annotations). The same list
//! feeds `check`, the refusal of a gate and the report's data-quality section.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How serious a finding is. Errors make `check` exit 1; warnings only with `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A stable diagnostic code. The numbers never change meaning; see `docs/diagnostics.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Code {
    /// The file is not valid YAML front matter.
    YamlSyntax,
    /// No front matter at the start of the file.
    MissingFrontMatter,
    /// Front matter opened with `---` but never closed.
    UnterminatedFrontMatter,
    /// The file cannot be read as UTF-8 text (or is too large).
    Unreadable,
    /// The front matter is not a mapping of keys to values.
    NotAMapping,
    /// A required field is missing or empty.
    MissingField,
    /// A field has the wrong type (e.g. a list where a date belongs).
    WrongType,
    /// A value is not one of the allowed values.
    ValueNotAllowed,
    /// Two tiltak share one ID.
    DuplicateId,
    /// The `id` field does not match the file name.
    IdMismatch,
    /// The file does not lie in a phase folder.
    OutsidePhaseFolder,
    /// A dependency names an ID no tiltak has.
    UnknownDependency,
    /// Yellow or red status without a reason.
    StatusReasonMissing,
    /// Yellow or red risk without mitigation.
    RiskMitigationMissing,
    /// A criterion is ticked but its evidence is missing.
    EvidenceMissing,
    /// `state` is on_hold or stopped without `state_reason`.
    StateReasonMissing,
    /// A criterion marked not relevant without a reason.
    NotRelevantWithoutReason,
    /// The file name is not `<ID>-<slug>.md`.
    BadFileName,
    /// Dates that contradict each other (timeframe ends before it starts).
    InconsistentDates,
    /// `portfolio.yaml` is invalid.
    ProcessDefinition,
    /// A criterion of the current phase is not met (used when a gate is refused).
    CriterionNotMet,
    /// A phase move in history that breaks the gate rules.
    IllegalPhaseMove,
    /// A tiltak file deleted instead of stopped.
    TiltakDeleted,
    /// An unknown key in the front matter.
    UnknownKey,
    /// The timeframe is outside the portfolio's allowed span.
    TimeframeOutOfSpan,
    /// A milestone or delivery is past its date and not done.
    MilestoneOverdue,
    /// The status has not been updated within the stale limit.
    StatusStale,
    /// The criteria section of the current phase is missing.
    CriteriaSectionMissing,
    /// A checklist item matches no criterion of its phase.
    UnknownCriterion,
    /// A criterion of a phase is missing from that phase's checklist.
    CriterionMissingFromList,
    /// A symbolic link in the tiltak folder was not followed.
    SymlinkSkipped,
}

impl Code {
    /// Every code, in order, for documentation and tests.
    pub const ALL: [Code; 31] = [
        Code::YamlSyntax,
        Code::MissingFrontMatter,
        Code::UnterminatedFrontMatter,
        Code::Unreadable,
        Code::NotAMapping,
        Code::MissingField,
        Code::WrongType,
        Code::ValueNotAllowed,
        Code::DuplicateId,
        Code::IdMismatch,
        Code::OutsidePhaseFolder,
        Code::UnknownDependency,
        Code::StatusReasonMissing,
        Code::RiskMitigationMissing,
        Code::EvidenceMissing,
        Code::StateReasonMissing,
        Code::NotRelevantWithoutReason,
        Code::BadFileName,
        Code::InconsistentDates,
        Code::ProcessDefinition,
        Code::CriterionNotMet,
        Code::IllegalPhaseMove,
        Code::TiltakDeleted,
        Code::UnknownKey,
        Code::TimeframeOutOfSpan,
        Code::MilestoneOverdue,
        Code::StatusStale,
        Code::CriteriaSectionMissing,
        Code::UnknownCriterion,
        Code::CriterionMissingFromList,
        Code::SymlinkSkipped,
    ];

    /// The stable identifier, e.g. `P012`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::YamlSyntax => "P001",
            Code::MissingFrontMatter => "P002",
            Code::UnterminatedFrontMatter => "P003",
            Code::Unreadable => "P004",
            Code::NotAMapping => "P005",
            Code::MissingField => "P010",
            Code::WrongType => "P011",
            Code::ValueNotAllowed => "P012",
            Code::DuplicateId => "P013",
            Code::IdMismatch => "P014",
            Code::OutsidePhaseFolder => "P015",
            Code::UnknownDependency => "P016",
            Code::StatusReasonMissing => "P017",
            Code::RiskMitigationMissing => "P018",
            Code::EvidenceMissing => "P019",
            Code::StateReasonMissing => "P020",
            Code::NotRelevantWithoutReason => "P021",
            Code::BadFileName => "P022",
            Code::InconsistentDates => "P023",
            Code::ProcessDefinition => "P030",
            Code::CriterionNotMet => "P040",
            Code::IllegalPhaseMove => "P041",
            Code::TiltakDeleted => "P042",
            Code::UnknownKey => "P101",
            Code::TimeframeOutOfSpan => "P102",
            Code::MilestoneOverdue => "P103",
            Code::StatusStale => "P104",
            Code::CriteriaSectionMissing => "P105",
            Code::UnknownCriterion => "P106",
            Code::CriterionMissingFromList => "P107",
            Code::SymlinkSkipped => "P108",
        }
    }

    /// A short, stable title (used as the annotation title on GitHub).
    pub fn title(self) -> &'static str {
        match self {
            Code::YamlSyntax => "YAML syntax error",
            Code::MissingFrontMatter => "missing front matter",
            Code::UnterminatedFrontMatter => "unterminated front matter",
            Code::Unreadable => "unreadable file",
            Code::NotAMapping => "front matter is not a mapping",
            Code::MissingField => "required field missing",
            Code::WrongType => "wrong type",
            Code::ValueNotAllowed => "value not allowed",
            Code::DuplicateId => "duplicate ID",
            Code::IdMismatch => "ID does not match file name",
            Code::OutsidePhaseFolder => "file outside a phase folder",
            Code::UnknownDependency => "unknown dependency",
            Code::StatusReasonMissing => "status without reason",
            Code::RiskMitigationMissing => "risk without mitigation",
            Code::EvidenceMissing => "criterion ticked without evidence",
            Code::StateReasonMissing => "state without reason",
            Code::NotRelevantWithoutReason => "not relevant without reason",
            Code::BadFileName => "bad file name",
            Code::InconsistentDates => "inconsistent dates",
            Code::ProcessDefinition => "invalid portfolio.yaml",
            Code::CriterionNotMet => "criterion not met",
            Code::IllegalPhaseMove => "illegal phase move",
            Code::TiltakDeleted => "tiltak deleted",
            Code::UnknownKey => "unknown key",
            Code::TimeframeOutOfSpan => "timeframe outside allowed span",
            Code::MilestoneOverdue => "milestone overdue",
            Code::StatusStale => "stale status",
            Code::CriteriaSectionMissing => "criteria section missing",
            Code::UnknownCriterion => "unknown criterion",
            Code::CriterionMissingFromList => "criterion missing from checklist",
            Code::SymlinkSkipped => "symbolic link skipped",
        }
    }
}

/// A position in a file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(line: usize, column: usize) -> Self {
        Location { line, column }
    }
}

/// One finding about the portfolio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// Path relative to the portfolio root (or as given by the user).
    pub path: PathBuf,
    pub location: Option<Location>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, path, message)
    }

    pub fn warning(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, path, message)
    }

    fn new(severity: Severity, code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic { severity, code, path: path.into(), location: None, message: message.into(), hint: None }
    }

    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` (or just the path when there is no location).
    pub fn place(&self) -> String {
        let path = display_path(&self.path);
        match self.location {
            Some(loc) => format!("{path}:{}:{}", loc.line, loc.column),
            None => path,
        }
    }
}

/// Paths always shown with `/`, so output is the same on every platform.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Sort for stable output: by file, then position, then code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics
        .sort_by(|a, b| (&a.path, a.location, a.code, &a.message).cmp(&(&b.path, b.location, b.code, &b.message)));
}

/// Counts of errors and warnings.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Tally { errors, warnings: diagnostics.len() - errors }
    }
}

/// The JSON shape of a diagnostic (documented in `schema/diagnostics.schema.json`).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct JsonDiagnostic {
    pub severity: Severity,
    /// Stable code, e.g. `P012`.
    pub code: String,
    pub title: String,
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl From<&Diagnostic> for JsonDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        JsonDiagnostic {
            severity: d.severity,
            code: d.code.as_str().to_owned(),
            title: d.code.title().to_owned(),
            path: display_path(&d.path),
            line: d.location.map(|l| l.line),
            column: d.location.map(|l| l.column),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

/// Render as a JSON array.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<JsonDiagnostic> = diagnostics.iter().map(JsonDiagnostic::from).collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned())
}

/// Render as GitHub workflow commands, one per line.
pub fn to_github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = format!("file={}", gh_property(&display_path(&d.path)));
        if let Some(loc) = d.location {
            let _ = write!(props, ",line={},col={}", loc.line, loc.column);
        }
        let _ = write!(props, ",title={}", gh_property(&format!("{} {}", d.code.as_str(), d.code.title())));
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        let _ = writeln!(out, "::{kind} {props}::{}", gh_data(&message));
    }
    out
}

// Escaping as GitHub's toolkit does (`escapeData` / `escapeProperty`).
fn gh_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Render like rustc: `error[P012]: message`, ` --> path:line:col`, the source
/// line with a caret, then `= hint: …`. `source` looks up a file's text by path.
pub fn to_text(
    diagnostics: &[Diagnostic],
    style: &crate::term::Style,
    source: &dyn Fn(&Path) -> Option<String>,
) -> String {
    let mut out = String::new();
    // Diagnostics come sorted by file: read each file once, not once per finding.
    let mut cached: Option<(&Path, Option<String>)> = None;
    for d in diagnostics {
        let text = match &cached {
            Some((path, text)) if *path == d.path.as_path() => text.as_deref(),
            _ => {
                cached = Some((d.path.as_path(), d.location.and_then(|_| source(&d.path))));
                cached.as_ref().and_then(|(_, t)| t.as_deref())
            }
        };
        let head = format!("{}[{}]", d.severity.as_str(), d.code.as_str());
        let head = match d.severity {
            Severity::Error => style.error(&head),
            Severity::Warning => style.warning(&head),
        };
        let _ = writeln!(out, "{head}: {}", style.bold(&crate::term::sanitize(&d.message)));
        let _ = writeln!(out, "  {} {}", style.dim("-->"), crate::term::sanitize(&d.place()));
        if let Some(loc) = d.location
            && let Some(text) = text
            && let Some(line) = text.lines().nth(loc.line.saturating_sub(1))
        {
            let line = crate::term::sanitize(line.trim_end_matches('\r'));
            let number = loc.line.to_string();
            let pad = " ".repeat(number.len());
            let col = loc.column.saturating_sub(1).min(line.chars().count());
            let _ = writeln!(out, "{pad} {}", style.dim("|"));
            let _ = writeln!(out, "{} {} {line}", style.dim(&number), style.dim("|"));
            let _ = writeln!(out, "{pad} {} {}{}", style.dim("|"), " ".repeat(col), style.caret("^"));
        }
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  = {}: {}", style.bold("hint"), crate::term::sanitize(hint));
        }
        out.push('\n');
    }
    out
}
