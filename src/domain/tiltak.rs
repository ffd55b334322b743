//! One tiltak: its file parsed into front matter and body, and its criteria
//! evaluated against the process definition. Pure: no I/O.

use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::diag::{Code, Diagnostic, Location};
use crate::domain::model::{FrontMatter, KNOWN_KEYS, key_alias};
use crate::domain::process::{ProcessDefinition, known_subfields};
use crate::text::body::{self, Body};
use crate::text::frontmatter;
use crate::text::locate::Step;
use crate::text::suggest;

/// Files larger than this are refused unread (a tiltak is a few kilobytes).
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// Unknown keys reported one by one in a file; the rest are counted in one
/// warning (each is located in the text, which costs a pass over it).
const MAX_UNKNOWN_KEYS: usize = 50;

/// The keys whose place the rules over the whole portfolio (duplicate IDs,
/// dependencies, across portfolios too) point at.
const PORTFOLIO_RULE_KEYS: &[&str] = &["id", "dependencies"];

/// A tiltak as read from its file.
#[derive(Debug, Clone)]
pub struct Tiltak {
    /// Path relative to the portfolio root.
    pub path: PathBuf,
    /// Index of the phase whose folder holds the file.
    pub phase: Option<usize>,
    /// The ID in the file name (`DD-014` of `DD-014-x.md`).
    pub file_id: Option<String>,
    /// Boxed: a tiltak moves through the parallel load twice, and the front
    /// matter is most of its size.
    pub fm: Box<FrontMatter>,
    /// The parsed body. Empty after `Portfolio::load` and `load_at`, which
    /// drop it once the file's rules have run (see [`Tiltak::slim_body`]);
    /// `Portfolio::load_for`, used by the commands that edit a file, keeps it.
    pub body: Body,
    /// Whether the front matter could be read at all.
    pub readable: bool,
    /// Criteria evaluated for the current phase and every phase with a checklist.
    pub evaluations: Vec<PhaseEvaluation>,
    /// Where each top-level key stands.
    pub key_locations: Vec<(String, Location)>,
    /// Front-matter paths that are filled in: top-level keys and their direct
    /// sub-keys (`budget.investment`), the depth field checks reach.
    pub filled: Vec<String>,
}

/// The criteria of one phase, evaluated.
#[derive(Debug, Clone)]
pub struct PhaseEvaluation {
    pub phase: usize,
    /// The heading of the checklist, when present.
    pub section: Option<Location>,
    pub criteria: Vec<CriterionResult>,
}

impl PhaseEvaluation {
    pub fn all_met(&self) -> bool {
        self.criteria.iter().all(|c| c.outcome.is_met())
    }
}

/// One criterion's outcome.
#[derive(Debug, Clone)]
pub struct CriterionResult {
    /// Index into the phase's criteria.
    pub criterion: usize,
    pub outcome: Outcome,
    /// Where the checklist item stands (if it does).
    pub location: Option<Location>,
}

/// Whether a criterion is met, and why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Ticked, with its evidence.
    Met,
    /// Ticked and marked not relevant, with the reason.
    NotRelevant(String),
    /// In the checklist but not ticked.
    Unticked,
    /// Not in the checklist (or the checklist is missing).
    Missing,
    /// Ticked, but the file does not show the evidence.
    EvidenceMissing(Vec<String>),
    /// Marked not relevant without a reason.
    NotRelevantWithoutReason,
}

impl Outcome {
    pub fn is_met(&self) -> bool {
        matches!(self, Outcome::Met | Outcome::NotRelevant(_))
    }

    /// A stable one-word name, for JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::NotRelevant(_) => "not_relevant",
            Outcome::Unticked => "unticked",
            Outcome::Missing => "missing",
            Outcome::EvidenceMissing(_) => "evidence_missing",
            Outcome::NotRelevantWithoutReason => "not_relevant_without_reason",
        }
    }

    /// Why the criterion stands as it does, in words (none when simply met).
    pub fn explain(&self) -> Option<String> {
        match self {
            Outcome::Met => None,
            Outcome::NotRelevant(reason) => Some(format!("not relevant: {reason}")),
            Outcome::Unticked => Some("not ticked".to_owned()),
            Outcome::Missing => Some("not in the checklist".to_owned()),
            Outcome::EvidenceMissing(missing) => Some(format!("ticked, but {}", missing.join(" and "))),
            Outcome::NotRelevantWithoutReason => Some("marked not relevant without a reason".to_owned()),
        }
    }
}

impl Tiltak {
    /// A tiltak whose file has not been (or could not be) read: only what
    /// its path says.
    pub fn unread(path: &Path, phase: Option<usize>) -> Tiltak {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Tiltak {
            path: path.to_owned(),
            phase,
            file_id: file_id(&file_name),
            fm: Box::default(),
            body: Body::default(),
            readable: false,
            evaluations: Vec::new(),
            key_locations: Vec::new(),
            filled: Vec::new(),
        }
    }

    /// The ID to show: the front matter's, else the file name's.
    /// Keep only what reports read (front matter, phase, path, where each
    /// key stands): the body and evaluations go once the rules have run.
    pub fn slim(&mut self) {
        self.slim_body();
        self.evaluations = Vec::new();
    }

    /// Like [`Tiltak::slim`], but the criteria of the tiltak's own phase
    /// stay evaluated (the others go): what its page shows of them.
    pub fn keep_own_evaluation(&mut self) {
        self.slim_body();
        let phase = self.phase;
        self.evaluations.retain(|e| Some(e.phase) == phase);
        self.evaluations.shrink_to_fit();
    }

    /// Drop the parsed body once the file's rules have run; front matter,
    /// key locations (for portfolio-wide rules) and evaluations stay.
    pub fn slim_body(&mut self) {
        self.body = Body::default();
        self.filled = Vec::new();
        // The portfolio-wide rules point at these two keys; the file's own
        // rules, which point at the others, have run.
        self.key_locations.retain(|(k, _)| PORTFOLIO_RULE_KEYS.contains(&k.as_str()));
        self.key_locations.shrink_to_fit();
    }

    /// Keep only what the rules across tiltak read ([`PORTFOLIO_RULE_KEYS`]:
    /// the ID and the dependencies, and where they stand), with the path,
    /// phase, file name's ID and whether the file could be read: for a
    /// command that needs the findings and nothing else of the tiltak.
    pub fn keep_identity(&mut self) {
        self.slim();
        let (id, dependencies) = (self.fm.id.take(), self.fm.dependencies.take());
        *self.fm = FrontMatter { id, dependencies, ..FrontMatter::default() };
    }

    pub fn id(&self) -> &str {
        self.fm.id.as_deref().or(self.file_id.as_deref()).unwrap_or("?")
    }

    pub fn title(&self) -> &str {
        self.fm.title.as_deref().unwrap_or("")
    }

    pub fn evaluation(&self, phase: usize) -> Option<&PhaseEvaluation> {
        self.evaluations.iter().find(|e| e.phase == phase)
    }

    /// Where a top-level key stands, or the front matter's opening line.
    pub fn key_location(&self, key: &str) -> Location {
        self.key_locations.iter().find(|(k, _)| k == key).map(|(_, l)| *l).unwrap_or(Location::new(1, 1))
    }
}

/// The ID in a file name: `DD-014-slug.md` → `DD-014`.
pub fn file_id(file_name: &str) -> Option<String> {
    let stem = file_name.strip_suffix(".md")?;
    let dash = stem.find('-')?;
    let prefix = &stem[..dash];
    if prefix.is_empty()
        || !prefix.starts_with(|c: char| c.is_ascii_alphabetic())
        || !prefix.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let rest = &stem[dash + 1..];
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    if digits == 0 || !(rest.len() == digits || rest[digits..].starts_with('-')) {
        return None;
    }
    Some(format!("{}-{}", prefix.to_ascii_uppercase(), &rest[..digits]))
}

/// The number of the ID in a file name `PREFIX-NNN…`, for this prefix:
/// `Some(Err(()))` when its digits are too many for a number, so that ID
/// allocation can refuse rather than skip it.
pub fn id_number(file_name: &str, prefix: &str) -> Option<Result<u64, ()>> {
    let id = file_id(file_name)?;
    let (p, n) = id.split_once('-')?;
    if p.eq_ignore_ascii_case(prefix) { Some(n.parse().map_err(|_| ())) } else { None }
}

/// Whether the number of an ID (`DD-014`) fits the counter IDs are allocated with.
pub fn id_in_range(id: &str) -> bool {
    id.rsplit_once('-').is_none_or(|(_, n)| n.parse::<u64>().is_ok())
}

/// Parse a tiltak file's text. Returns the tiltak (as far as it could be
/// read) and every problem found on the way.
pub fn parse(def: &ProcessDefinition, path: &Path, phase: Option<usize>, text: &str) -> (Tiltak, Vec<Diagnostic>) {
    parse_parts(def, path, phase, text, true)
}

/// Parse only a tiltak file's front matter: no body, so no criteria
/// evaluations and none of the body's findings. For views that show
/// neither (the board, a round's reporting).
pub fn parse_front_matter(
    def: &ProcessDefinition,
    path: &Path,
    phase: Option<usize>,
    text: &str,
) -> (Tiltak, Vec<Diagnostic>) {
    parse_parts(def, path, phase, text, false)
}

fn parse_parts(
    def: &ProcessDefinition,
    path: &Path,
    phase: Option<usize>,
    text: &str,
    with_body: bool,
) -> (Tiltak, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut tiltak = Tiltak::unread(path, phase);
    let split = match frontmatter::split(text) {
        Ok(split) => split,
        Err(e) => {
            diags.push(
                Diagnostic::error(e.code, path, e.message)
                    .at(Some(e.location))
                    .with_hint("a tiltak file starts with `---`, then YAML fields, then `---`, then Markdown"),
            );
            return (tiltak, diags);
        }
    };
    if with_body {
        tiltak.body = body::parse(split.body, &def.labels.not_relevant);
    }
    let yaml_lines: Vec<&str> = split.yaml.lines().collect();
    let yaml_at = |steps: &[Step<'_>]| {
        let (line, col) = crate::text::locate::locate_in(&yaml_lines, steps);
        let line_text = yaml_lines.get(line).copied().unwrap_or("");
        let col = line_text.get(..col).map_or(col, |s| s.chars().count());
        Location::new(split.yaml_line + line, col + 1)
    };

    let map = match front_matter_fields(&split, path) {
        Ok(map) => map,
        Err(d) => {
            diags.push(d);
            return (tiltak, diags);
        }
    };
    tiltak.readable = true;
    tiltak.filled = filled_paths(&map);

    // Located once for all keys: a lookup per key would cost quadratic time
    // in a file of many keys.
    let mut top_keys = crate::text::locate::top_level_keys(&yaml_lines);
    let mut unknown_keys = 0usize;
    for (key, value) in map {
        let key = match key {
            Value::String(key) => key,
            other => {
                diags.push(
                    Diagnostic::error(
                        Code::WrongType,
                        path,
                        format!("a key must be text, found {}", crate::text::yaml::type_name(&other)),
                    )
                    .at(Some(Location::new(split.yaml_line, 1))),
                );
                continue;
            }
        };
        let location = match top_keys.get(key.as_str()) {
            Some((line, col)) => Location::new(split.yaml_line + line, col + 1),
            None => yaml_at(&[Step::Key(&key)]),
        };
        // Unknown sub-keys of the mapping fields are warnings, like unknown keys.
        if let Value::Mapping(sub) = &value {
            let known = known_subfields(&key);
            if !known.is_empty() {
                for sub_key in sub.keys().filter_map(Value::as_str) {
                    if !known.contains(&sub_key) {
                        unknown_keys += 1;
                        if unknown_keys > MAX_UNKNOWN_KEYS {
                            continue;
                        }
                        diags.push(unknown_key(
                            path,
                            &format!("{key}.{sub_key}"),
                            sub_key,
                            known,
                            yaml_at(&[Step::Key(&key), Step::Key(sub_key)]),
                        ));
                    }
                }
            }
        }
        match tiltak.fm.set(&key, value) {
            Ok(true) => {}
            Ok(false) => {
                if key == "phase" || key == "fase" {
                    diags.push(
                        Diagnostic::warning(
                            Code::UnknownKey,
                            path,
                            format!("`{key}` is ignored: the folder is the phase"),
                        )
                        .at(Some(location))
                        .with_hint("remove the key; move the file with `portfolio advance` instead"),
                    );
                } else {
                    unknown_keys += 1;
                    if unknown_keys <= MAX_UNKNOWN_KEYS {
                        diags.push(unknown_key(path, &key, &key, KNOWN_KEYS, location));
                    }
                }
            }
            Err(err) => {
                let message = crate::text::yaml::clean_message(&err);
                let code =
                    if message.contains("is not allowed here") { Code::ValueNotAllowed } else { Code::WrongType };
                diags.push(Diagnostic::error(code, path, format!("`{key}`: {message}")).at(Some(location)));
            }
        }
        tiltak.key_locations.push((key, location));
    }

    if unknown_keys > MAX_UNKNOWN_KEYS {
        diags.push(
            Diagnostic::warning(
                Code::UnknownKey,
                path,
                format!("{} more unknown keys", unknown_keys - MAX_UNKNOWN_KEYS),
            )
            .at(Some(Location::new(split.yaml_line, 1))),
        );
    }

    if with_body {
        evaluate_criteria(def, path, phase, split.body_line, &mut tiltak, &mut diags);
    }
    (tiltak, diags)
}

/// The front matter's fields, or the one finding that stops reading them.
/// Plain front matter is read by the fast reader; anything else (and every
/// error) by the YAML crate, after the checks that guard it.
fn front_matter_fields(split: &frontmatter::Split<'_>, path: &Path) -> Result<serde_yaml::Mapping, Diagnostic> {
    let at = |line: usize, col: usize| Some(Location::new(split.yaml_line + line, col + 1));
    let value = match crate::text::yaml_fast::parse(split.yaml) {
        Some(value) => value,
        None => {
            if let Some((line, col)) = crate::text::yaml::find_alias(split.yaml) {
                return Err(Diagnostic::error(
                    Code::YamlSyntax,
                    path,
                    "YAML aliases (`*name`) are not allowed in tiltak files",
                )
                .at(at(line, col))
                .with_hint("write the value out in full"));
            }
            let depth = crate::text::yaml::MAX_DEPTH;
            if let Some((line, col)) = crate::text::yaml::find_deep_nesting(split.yaml, depth) {
                return Err(Diagnostic::error(
                    Code::YamlSyntax,
                    path,
                    format!("the front matter nests deeper than {depth} levels"),
                )
                .at(at(line, col))
                .with_hint("a tiltak's fields nest two or three levels deep; flatten this value"));
            }
            serde_yaml::from_str(split.yaml).map_err(|err| {
                let (mut message, mut position) = crate::text::yaml::error_position(&err);
                // The parser places a control character by byte offset only: find it.
                if message.starts_with("control characters")
                    && let Some((line, col, c)) = crate::text::yaml::find_unprintable(split.yaml)
                {
                    message = format!("control character U+{:04X} is not allowed", u32::from(c));
                    position = Some((line + 1, col + 1));
                }
                // A duplicate key is placed at its mapping's start: point at
                // the second time a top-level key is written instead.
                if let Some(key) = duplicate_key(&message)
                    && let Some(line) = second_top_level(split.yaml, key)
                {
                    position = Some((line + 1, 1));
                }
                let location = position
                    .map(|(line, col)| Location::new(split.yaml_line + line - 1, col))
                    .unwrap_or(Location::new(split.yaml_line, 1));
                Diagnostic::error(Code::YamlSyntax, path, message).at(Some(location))
            })?
        }
    };
    match value {
        Value::Mapping(map) => Ok(map),
        other => Err(Diagnostic::error(
            Code::NotAMapping,
            path,
            format!("the front matter is {}, not a mapping of fields", crate::text::yaml::type_name(&other)),
        )
        .at(Some(Location::new(split.yaml_line, 1)))
        .with_hint("write one `key: value` per line, e.g. `id: DD-014`")),
    }
}

/// The key the YAML crate names in "duplicate entry with key \"owner\"".
fn duplicate_key(message: &str) -> Option<&str> {
    message.strip_prefix("duplicate entry with key \"")?.strip_suffix('"')
}

/// The 0-based line where `key` is written a second time at the top level.
fn second_top_level(yaml: &str, key: &str) -> Option<usize> {
    let mut lines = yaml
        .lines()
        .enumerate()
        .filter(|(_, l)| l.strip_prefix(key).is_some_and(|rest| rest.trim_start_matches(' ').starts_with(':')));
    lines.nth(1).map(|(n, _)| n)
}

/// The criteria of the current phase and of every phase with a checklist in
/// the (parsed) body, with the findings on checklist items.
fn evaluate_criteria(
    def: &ProcessDefinition,
    path: &Path,
    phase: Option<usize>,
    body_line: usize,
    tiltak: &mut Tiltak,
    diags: &mut Vec<Diagnostic>,
) {
    let at_body = |line: usize, column: usize| Location::new(body_line + line - 1, column);
    // Criteria: the current phase and every phase with a checklist.
    for (index, phase_def) in def.phases.iter().enumerate() {
        let section = tiltak.body.find_section_keyed(def.criteria_key(index));
        if section.is_none() && Some(index) != phase && phase.is_none_or(|p| index > p) {
            continue;
        }
        let items: Vec<&body::TaskItem> = section.map(|s| tiltak.body.items_in(s).collect()).unwrap_or_default();
        let criteria = phase_def
            .criteria
            .iter()
            .enumerate()
            .map(|(ci, criterion)| {
                let item = items.iter().find(|i| i.key == criterion.key());
                let outcome = match item {
                    None => Outcome::Missing,
                    Some(i) if !i.checked => Outcome::Unticked,
                    Some(i) => match &i.not_relevant {
                        Some(reason) if reason.is_empty() => Outcome::NotRelevantWithoutReason,
                        Some(reason) => Outcome::NotRelevant(reason.clone()),
                        None => {
                            let missing = missing_evidence(criterion.check.as_ref(), &tiltak.filled, &tiltak.body);
                            if missing.is_empty() { Outcome::Met } else { Outcome::EvidenceMissing(missing) }
                        }
                    },
                };
                CriterionResult { criterion: ci, outcome, location: item.map(|i| at_body(i.line, i.column)) }
            })
            .collect();
        tiltak.evaluations.push(PhaseEvaluation {
            phase: index,
            section: section.map(|s| at_body(tiltak.body.sections[s].line, tiltak.body.sections[s].column)),
            criteria,
        });
        // Items that match no criterion of this phase.
        for item in &items {
            if !phase_def.criteria.iter().any(|c| c.key() == item.key) {
                let mut d = Diagnostic::warning(
                    Code::UnknownCriterion,
                    path,
                    format!("`{}` is not a criterion of phase {}", item.text, phase_def.name),
                )
                .at(Some(at_body(item.line, item.column)));
                if let Some(s) = suggest(&item.text, phase_def.criteria.iter().map(|c| c.text.as_str())) {
                    d = d.with_hint(format!("did you mean `{s}`?"));
                }
                diags.push(d);
            }
        }
    }
}

fn unknown_key(path: &Path, full: &str, key: &str, known: &[&str], location: Location) -> Diagnostic {
    let d = Diagnostic::warning(Code::UnknownKey, path, format!("unknown key `{full}`")).at(Some(location));
    let alias = if known == KNOWN_KEYS { key_alias(key) } else { None };
    match alias.or_else(|| suggest(key, known.iter().copied())) {
        Some(s) => d.with_hint(format!("did you mean `{s}`?")),
        None => d.with_hint(format!("known keys are: {}", known.join(", "))),
    }
}

/// The filled-in paths of a front-matter mapping, two levels deep.
fn filled_paths(map: &serde_yaml::Mapping) -> Vec<String> {
    let mut out = Vec::new();
    for (key, value) in map {
        let Some(key) = key.as_str() else { continue };
        if crate::text::yaml::is_filled(value) {
            out.push(key.to_owned());
        }
        if let Value::Mapping(sub) = value {
            for (sub_key, sub_value) in sub {
                if let Some(sub_key) = sub_key.as_str()
                    && crate::text::yaml::is_filled(sub_value)
                {
                    out.push(format!("{key}.{sub_key}"));
                }
            }
        }
    }
    out
}

impl Tiltak {
    /// Whether a front-matter field (dots reach one level in) is filled in.
    pub fn is_filled(&self, path: &str) -> bool {
        self.filled.iter().any(|f| f == path)
    }
}

/// What evidence a check wants and the file lacks (empty: all there).
pub fn missing_evidence(check: Option<&crate::domain::process::Check>, filled: &[String], body: &Body) -> Vec<String> {
    let mut missing = Vec::new();
    let Some(check) = check else { return missing };
    if let Some(field) = &check.field
        && !filled.iter().any(|f| f == field)
    {
        missing.push(format!("field `{field}` is missing or empty"));
    }
    if let (Some(section), Some(key)) = (&check.section, check.section_key()) {
        match body.section_content_keyed(key) {
            None => missing.push(format!("section `## {section}` is missing")),
            Some(false) => {
                missing.push(format!("section `## {section}` has no content (comments and placeholders do not count)"))
            }
            Some(true) => {}
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::process::Template;

    fn def() -> ProcessDefinition {
        ProcessDefinition::parse(Template::Digdir.text(), Path::new("portfolio.yaml")).expect("template")
    }

    #[test]
    fn numbers_of_file_names() {
        assert_eq!(id_number("DD-014-x.md", "DD"), Some(Ok(14)));
        assert_eq!(id_number("DD-18446744073709551615-x.md", "DD"), Some(Ok(u64::MAX)));
        assert_eq!(id_number("DD-1234567890123456789012345-x.md", "DD"), Some(Err(())));
        assert_eq!(id_number("EH-002-x.md", "DD"), None);
        assert_eq!(id_number("README.md", "DD"), None);
    }

    #[test]
    fn file_ids() {
        assert_eq!(file_id("DD-014-felles.md").as_deref(), Some("DD-014"));
        assert_eq!(file_id("dd-7.md").as_deref(), Some("DD-7"));
        assert_eq!(file_id("DD-x.md"), None);
        assert_eq!(file_id("DD-014x.md"), None);
        assert_eq!(file_id("README.md"), None);
    }

    #[test]
    fn evaluates_current_phase_criteria() {
        let text = "---\nid: DD-001\ntitle: T\ncreated: 2025-01-01\nowner: Kari\n---\n# T\n\n## Behov\n\nReelt behov.\n\n## Kriterier: Ikke startet\n\n- [x] Behov er beskrevet.\n- [x] Tiltaket er tildelt en ansvarlig.\n- [x] Overordnet innsikt og forståelse er etablert.\n- [ ] Det er ikke åpenbare hindringer.\n";
        let (t, diags) = parse(&def(), Path::new("tiltak/1-ikke-startet/DD-001-t.md"), Some(0), text);
        assert!(diags.is_empty(), "{diags:?}");
        let eval = t.evaluation(0).expect("evaluated");
        let outcomes: Vec<&Outcome> = eval.criteria.iter().map(|c| &c.outcome).collect();
        assert_eq!(outcomes[0], &Outcome::EvidenceMissing(vec!["section `## Innsikt` is missing".into()]));
        assert_eq!(outcomes[1], &Outcome::Met);
        assert_eq!(outcomes[2], &Outcome::Missing);
        assert_eq!(outcomes[3], &Outcome::Unticked);
        assert_eq!(outcomes[4], &Outcome::Met);
        assert_eq!(eval.criteria[1].location, Some(Location::new(15, 3)));
    }

    #[test]
    fn a_duplicate_key_is_placed_where_it_is_written_again() {
        let text = "---\nid: DD-001\ntitle: T\nowner: Kari\nowner: Ola\n---\n";
        let (_, diags) = parse(&def(), Path::new("x.md"), Some(0), text);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code.as_str(), "P001");
        assert_eq!(diags[0].location, Some(Location::new(5, 1)));
    }

    #[test]
    fn reports_each_bad_field_once_and_keeps_going() {
        let text = "---\nid: DD-001\ntitle: T\ncreated: yesterday\npriority: urgent\nownr: Kari\nstatus: { level: gul, reson: x }\n---\n";
        let (t, diags) = parse(&def(), Path::new("x.md"), Some(0), text);
        let codes: Vec<(&str, usize)> =
            diags.iter().map(|d| (d.code.as_str(), d.location.map_or(0, |l| l.line))).collect();
        assert_eq!(codes, vec![("P011", 4), ("P012", 5), ("P101", 6), ("P101", 7)]);
        assert_eq!(t.fm.status_level(), Some(crate::domain::model::Level::Yellow));
        assert_eq!(diags[2].hint.as_deref(), Some("did you mean `owner`?"));
    }
}
