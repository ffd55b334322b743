//! Findings as data: every rule produces [`Diagnostic`]s, and renderers decide
//! how they look (rustc-like text, JSON, GitHub annotations). The same list
//! feeds `check`, the refusal of a gate and the report's data-quality section.

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

/// Defines the diagnostic codes once: variant, stable code, title, meaning.
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal, $title:literal;)+) => {
        /// A stable diagnostic code. The numbers never change meaning; see `docs/diagnostics.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)+
        }

        impl Code {
            /// Every code, in order, for documentation and tests.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The stable identifier, e.g. `P012`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)+
                }
            }

            /// A short, stable title (used as the annotation title on GitHub).
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$variant => $title,)+
                }
            }
        }
    };
}

codes! {
    /// The file is not valid YAML front matter.
    YamlSyntax = "P001", "YAML syntax error";
    /// No front matter at the start of the file.
    MissingFrontMatter = "P002", "missing front matter";
    /// Front matter opened with `---` but never closed.
    UnterminatedFrontMatter = "P003", "unterminated front matter";
    /// The file cannot be read as UTF-8 text (or is too large).
    Unreadable = "P004", "unreadable file";
    /// The front matter is not a mapping of keys to values.
    NotAMapping = "P005", "front matter is not a mapping";
    /// A required field is missing or empty.
    MissingField = "P010", "required field missing";
    /// A field has the wrong type (e.g. a list where a date belongs).
    WrongType = "P011", "wrong type";
    /// A value is not one of the allowed values.
    ValueNotAllowed = "P012", "value not allowed";
    /// Two tiltak share one ID.
    DuplicateId = "P013", "duplicate ID";
    /// The `id` field does not match the file name.
    IdMismatch = "P014", "ID does not match file name";
    /// The file does not lie in a phase folder.
    OutsidePhaseFolder = "P015", "file outside a phase folder";
    /// A dependency names an ID no tiltak has.
    UnknownDependency = "P016", "unknown dependency";
    /// Yellow or red status without a reason.
    StatusReasonMissing = "P017", "status without reason";
    /// Yellow or red risk without mitigation.
    RiskMitigationMissing = "P018", "risk without mitigation";
    /// A criterion is ticked but its evidence is missing.
    EvidenceMissing = "P019", "criterion ticked without evidence";
    /// `state` is on_hold or stopped without `state_reason`.
    StateReasonMissing = "P020", "state without reason";
    /// A criterion marked not relevant without a reason.
    NotRelevantWithoutReason = "P021", "not relevant without reason";
    /// The file name is not `<ID>-<slug>.md`.
    BadFileName = "P022", "bad file name";
    /// Dates that contradict each other (timeframe ends before it starts).
    InconsistentDates = "P023", "inconsistent dates";
    /// An ID number too large to count on (more than 20 digits).
    IdOutOfRange = "P024", "ID number out of range";
    /// A milestone or delivery without a name or a date.
    IncompleteMilestone = "P025", "milestone without name or date";
    /// `budget.by_year` does not add up to `budget.investment`.
    BudgetMismatch = "P026", "budget years do not add up";
    /// `portfolio.yaml` is invalid.
    ProcessDefinition = "P030", "invalid portfolio.yaml";
    /// `national.yaml` is invalid.
    NationalFile = "P031", "invalid national.yaml";
    /// A portfolio named in `national.yaml` cannot be read.
    PortfolioUnreadable = "P032", "portfolio cannot be read";
    /// A criterion of the current phase is not met (used when a gate is refused).
    CriterionNotMet = "P040", "criterion not met";
    /// A phase move in history that breaks the gate rules.
    IllegalPhaseMove = "P041", "illegal phase move";
    /// A tiltak file deleted instead of stopped.
    TiltakDeleted = "P042", "tiltak deleted";
    /// A tiltak added directly in a later phase, bypassing its gates.
    CreatedPastFirstPhase = "P043", "created past the first phase";
    /// An unknown key in the front matter.
    UnknownKey = "P101", "unknown key";
    /// The timeframe is outside the portfolio's allowed span.
    TimeframeOutOfSpan = "P102", "timeframe outside allowed span";
    /// A milestone or delivery is past its date and not done.
    MilestoneOverdue = "P103", "milestone overdue";
    /// The status has not been updated within the stale limit.
    StatusStale = "P104", "stale status";
    /// The criteria section of the current phase is missing.
    CriteriaSectionMissing = "P105", "criteria section missing";
    /// A checklist item matches no criterion of its phase.
    UnknownCriterion = "P106", "unknown criterion";
    /// A criterion of a phase is missing from that phase's checklist.
    CriterionMissingFromList = "P107", "criterion missing from checklist";
    /// A symbolic link in the tiltak folder was not followed.
    SymlinkSkipped = "P108", "symbolic link skipped";
    /// A tiltak lists itself among its dependencies.
    SelfDependency = "P109", "depends on itself";
    /// A strategy goal or SDG listed twice.
    DuplicateValue = "P110", "value listed twice";
    /// `status.updated` lies after today.
    FutureDate = "P111", "status dated in the future";
    /// `risk.level` is lower than the worst open risk in the register.
    RiskUnderstated = "P112", "risk level understates the register";
    /// A dependency on a tiltak of another portfolio that is red or stopped.
    DependencyAtRisk = "P113", "depends on a red or stopped tiltak";
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
    /// The source line the location points into, kept when the file's text
    /// was at hand (see [`attach_excerpts`]), so that showing the finding
    /// need not read the file again.
    pub excerpt: Excerpt,
}

/// A diagnostic's source line. Not part of what the finding is: two
/// diagnostics that differ only here are equal.
#[derive(Debug, Clone, Default)]
pub struct Excerpt(pub Option<Box<str>>);

impl PartialEq for Excerpt {
    fn eq(&self, _: &Excerpt) -> bool {
        true
    }
}

impl Eq for Excerpt {}

/// The longest source line kept with a diagnostic (the rest is cut when shown anyway).
const MAX_EXCERPT: usize = 1024;

/// Keep with each located diagnostic of `text`'s file the line it points
/// into: one pass over the text, however many findings it has.
pub fn attach_excerpts(diagnostics: &mut [Diagnostic], text: &str) {
    if !diagnostics.iter().any(|d| d.location.is_some()) {
        return;
    }
    // The start of each line up to the last one pointed at: findings stand
    // in the front matter, near the top, so the rest is not read.
    let last = diagnostics.iter().filter_map(|d| d.location).map(|l| l.line).max().unwrap_or(0);
    let starts = line_starts(text, last);
    for d in diagnostics {
        let Some(line) = d.location.and_then(|loc| source_line(text, &starts, loc.line)) else { continue };
        let mut cut = line.len().min(MAX_EXCERPT);
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        d.excerpt = Excerpt(Some(line[..cut].into()));
    }
}

/// Where each line of `text` starts, through the start of line `last + 1`
/// (1-based; `usize::MAX`: every line).
pub fn line_starts(text: &str, last: usize) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1).take(last));
    starts
}

/// Line `line` (1-based) of `text` without its line break, given its
/// [`line_starts`]; `None` past the end of the text.
pub fn source_line<'t>(text: &'t str, starts: &[usize], line: usize) -> Option<&'t str> {
    let &start = starts.get(line.saturating_sub(1)).filter(|&&s| s < text.len())?;
    let end = starts.get(line).map_or(text.len(), |&e| e - 1);
    Some(text[start..end].trim_end_matches('\r'))
}

impl Diagnostic {
    pub fn error(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, path, message)
    }

    pub fn warning(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, path, message)
    }

    fn new(severity: Severity, code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            path: path.into(),
            location: None,
            message: message.into(),
            hint: None,
            excerpt: Excerpt::default(),
        }
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
    // Most neighbours share a file: the same bytes are the same path, and
    // cost no parse into components.
    let path_order =
        |a: &Path, b: &Path| if a.as_os_str() == b.as_os_str() { std::cmp::Ordering::Equal } else { a.cmp(b) };
    diagnostics.sort_by(|a, b| {
        path_order(&a.path, &b.path)
            .then_with(|| (a.location, a.code, &a.message).cmp(&(b.location, b.code, &b.message)))
    });
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
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
