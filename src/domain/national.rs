//! The national file, `national.yaml` (SPEC §12): which portfolios a
//! national office reads together. Pure: parsed and checked from its text,
//! every problem with its line and column.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic, Location};
use crate::domain::process::Language;
use crate::text::locate::{Step, locate};

/// The file name of a national file, found like `portfolio.yaml`.
pub const FILE_NAME: &str = "national.yaml";

/// A national file: a name, a language and the portfolios it reads.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct National {
    /// The national report's name, shown at its top.
    pub name: String,
    /// Language of the national report.
    #[serde(default)]
    pub language: Language,
    /// The portfolios, in the order the report shows them.
    pub portfolios: Vec<Entry>,
}

/// One portfolio of a national file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The portfolio's folder (the one holding its `portfolio.yaml`): a local
    /// clone or a folder inside one, relative to the national file.
    pub path: String,
    /// A branch, tag or commit to read; default: that repository's HEAD.
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
    /// The name the report gives it; default: the name in its `portfolio.yaml`.
    #[serde(default)]
    pub name: Option<String>,
    /// Where the entry stands in the national file (1-based line, column).
    #[serde(skip)]
    #[schemars(skip)]
    pub location: Option<(usize, usize)>,
}

impl National {
    /// Parse and check the text of a national file; `path` names it in diagnostics.
    pub fn parse(text: &str, path: &Path) -> Result<National, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let hint = "a national file is `name:`, `language:` and `portfolios: [{path, ref, name}]`";
        if let Some((line, col)) = crate::text::yaml::find_alias(text) {
            return Err(vec![
                Diagnostic::error(Code::NationalFile, path, "YAML aliases (`*name`) are not allowed in national.yaml")
                    .at(Some(Location::new(line + 1, col + 1)))
                    .with_hint("write the value out in full"),
            ]);
        }
        if let Some((line, col)) = crate::text::yaml::find_deep_nesting(text, crate::text::yaml::MAX_DEPTH) {
            return Err(vec![
                Diagnostic::error(Code::NationalFile, path, "national.yaml nests too deep")
                    .at(Some(Location::new(line + 1, col + 1)))
                    .with_hint(hint),
            ]);
        }
        let mut national: National = match serde_yaml::from_str(text) {
            Ok(n) => n,
            Err(err) => {
                let (message, position) = crate::text::yaml::error_position(&err);
                let at = position.map_or(Location::new(1, 1), |(l, c)| Location::new(l, c));
                return Err(vec![Diagnostic::error(Code::NationalFile, path, message).at(Some(at)).with_hint(hint)]);
            }
        };
        let lines: Vec<&str> = text.lines().collect();
        let at = |steps: &[Step<'_>]| {
            let (line, col) = crate::text::locate::locate_in(&lines, steps);
            Location::new(line + 1, col + 1)
        };
        let mut problems = Vec::new();
        if national.portfolios.is_empty() {
            problems.push(
                Diagnostic::error(Code::NationalFile, path, "`portfolios` lists no portfolio")
                    .at(Some(at(&[Step::Key("portfolios")])))
                    .with_hint("add `- path: <folder of a portfolio.yaml>`"),
            );
        }
        for (i, entry) in national.portfolios.iter_mut().enumerate() {
            let here = at(&[Step::Key("portfolios"), Step::Index(i)]);
            entry.location = Some((here.line, here.column));
            if entry.path.trim().is_empty() {
                problems.push(
                    Diagnostic::error(Code::NationalFile, path, format!("portfolio {} has an empty `path`", i + 1))
                        .at(Some(at(&[Step::Key("portfolios"), Step::Index(i), Step::Key("path")])))
                        .with_hint("the folder holding the portfolio's portfolio.yaml, relative to this file"),
                );
            }
            if entry.reference.as_deref().is_some_and(|r| r.trim().is_empty()) {
                problems.push(
                    Diagnostic::error(Code::NationalFile, path, format!("portfolio {} has an empty `ref`", i + 1))
                        .at(Some(at(&[Step::Key("portfolios"), Step::Index(i), Step::Key("ref")])))
                        .with_hint("a branch, tag or commit; leave `ref` out to read HEAD"),
                );
            }
        }
        let _ = locate; // the whole-text form is not needed: the lines are split once
        if problems.is_empty() { Ok(national) } else { Err(problems) }
    }
}

impl Entry {
    /// The entry's position in the national file.
    pub fn at(&self) -> Option<Location> {
        self.location.map(|(l, c)| Location::new(l, c))
    }
}

/// A dependency of a tiltak on a tiltak of another portfolio of the
/// national file: a plain ID that is not in its own portfolio, or
/// `{external: ID}` naming an ID of (or with the prefix of) another.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CrossDependency {
    /// The tiltak that depends.
    pub from: String,
    pub from_title: String,
    /// The name of its portfolio.
    pub from_portfolio: String,
    /// The ID it depends on, as written.
    pub to: String,
    /// Whether it is written `{external: ID}` (so that the portfolio's own
    /// check takes it as outside the portfolio) rather than as a plain ID.
    pub external: bool,
    /// The tiltak depended on; `null` when no portfolio has it.
    pub to_title: Option<String>,
    /// Its portfolio: the one that has it, else the one whose ID prefix it carries.
    pub to_portfolio: Option<String>,
    /// Its state: `active`, `on_hold`, `stopped` or `closed`; `null` when missing.
    pub to_state: Option<String>,
    /// Its status level; `null` when missing or unset.
    pub to_status: Option<String>,
    /// Its risk level; `null` when missing or unset.
    pub to_risk: Option<String>,
    /// Why it needs attention; `null` when it does not.
    pub flag: Option<DependencyFlag>,
}

/// Why a cross-portfolio dependency needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DependencyFlag {
    /// No portfolio of the national file has the tiltak (or its portfolio
    /// could not be read).
    Missing,
    /// The tiltak depended on is stopped.
    Stopped,
    /// The tiltak depended on is red (status or risk).
    Red,
}

/// Whether a tiltak ID carries `prefix` (`DD-014` carries `DD`), ignoring case.
pub fn has_prefix(id: &str, prefix: &str) -> bool {
    id.len() > prefix.len()
        && id.as_bytes()[prefix.len()] == b'-'
        && id.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_with_their_place() {
        let text = "name: Nasjonal\nportfolios:\n  - path: ../a\n  - path: b\n    ref: v1\n    name: B\n";
        let n = National::parse(text, Path::new("national.yaml")).expect("valid");
        assert_eq!(n.portfolios.len(), 2);
        assert_eq!(n.portfolios[1].reference.as_deref(), Some("v1"));
        assert_eq!(n.portfolios[1].location, Some((4, 3)));
    }

    #[test]
    fn problems_have_locations() {
        let e = National::parse("name: N\nportfolios:\n  - path: a\n    reff: x\n", Path::new("n.yaml"))
            .expect_err("invalid");
        assert_eq!(e[0].location.map(|l| l.line), Some(4), "{e:?}");
        let e = National::parse("name: N\nportfolios: []\n", Path::new("n.yaml")).expect_err("invalid");
        assert!(e[0].message.contains("no portfolio"));
        let e = National::parse("name: N\nportfolios:\n  - path: ''\n", Path::new("n.yaml")).expect_err("invalid");
        assert_eq!(e[0].location.map(|l| l.line), Some(3));
    }

    #[test]
    fn prefixes() {
        assert!(has_prefix("dd-014", "DD"));
        assert!(!has_prefix("DDX-1", "DD"));
        assert!(!has_prefix("DD", "DD"));
    }
}
