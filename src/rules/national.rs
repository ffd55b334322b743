//! Rules across the portfolios of a national file (SPEC §12): an ID used in
//! two portfolios, and dependencies on tiltak of another portfolio.

use std::collections::HashMap;
use std::path::Path;

use crate::diag::{Code, Diagnostic, display_path};
use crate::domain::model::{Dependency, Level, State};
use crate::domain::national::{CrossDependency, DependencyFlag, has_prefix};
use crate::domain::tiltak::Tiltak;

/// What the national rules need of one tiltak (with an ID): a few fields,
/// so that a portfolio need not stay in memory while the others are read.
#[derive(Debug, Clone)]
pub struct Indexed {
    pub id: String,
    pub readable: bool,
    pub path: std::path::PathBuf,
    pub title: String,
    id_at: crate::diag::Location,
    dependencies_at: crate::diag::Location,
    dependencies: Vec<Dependency>,
    state: State,
    status: Option<Level>,
    risk: Option<Level>,
}

impl Indexed {
    /// The tiltak of a portfolio that have an ID, indexed.
    pub fn of(tiltak: &[Tiltak]) -> Vec<Indexed> {
        tiltak
            .iter()
            .filter_map(|t| {
                Some(Indexed {
                    id: t.fm.id.clone()?,
                    readable: t.readable,
                    path: t.path.clone(),
                    title: t.title().to_owned(),
                    id_at: t.key_location("id"),
                    dependencies_at: t.key_location("dependencies"),
                    dependencies: t.fm.dependencies.clone().unwrap_or_default(),
                    state: t.fm.state(),
                    status: t.fm.status_level(),
                    risk: t.fm.risk_level(),
                })
            })
            .collect()
    }
}

/// One readable portfolio of a national file.
pub struct Member<'a> {
    /// Its name in the report.
    pub name: &'a str,
    /// Its ID prefix.
    pub prefix: &'a str,
    /// Its folder as the national file names it (for paths in messages).
    pub dir: &'a Path,
    pub tiltak: &'a [Indexed],
}

/// What the national rules find.
pub struct Findings {
    /// Per member: diagnostics to add (paths relative to that portfolio).
    pub added: Vec<Vec<Diagnostic>>,
    /// Per member: per tiltak path, the dependency IDs that another
    /// portfolio has, whose "unknown dependency" finding no longer holds.
    pub resolved: Vec<HashMap<std::path::PathBuf, Vec<String>>>,
    /// Every cross-portfolio dependency, by the depending tiltak's ID.
    pub dependencies: Vec<CrossDependency>,
}

/// The national rules over `members`.
pub fn national_rules(members: &[Member<'_>]) -> Findings {
    // Every ID, with where it lies.
    let mut by_id: HashMap<String, Vec<(usize, &Indexed)>> = HashMap::new();
    for (m, member) in members.iter().enumerate() {
        for t in member.tiltak.iter().filter(|t| t.readable) {
            by_id.entry(t.id.to_ascii_uppercase()).or_default().push((m, t));
        }
    }
    let mut added: Vec<Vec<Diagnostic>> = members.iter().map(|_| Vec::new()).collect();
    let mut resolved: Vec<HashMap<std::path::PathBuf, Vec<String>>> = members.iter().map(|_| HashMap::new()).collect();
    let shown = |m: usize, t: &Indexed| display_path(&members[m].dir.join(&t.path));

    // An ID in two portfolios (within one, the portfolio's own rule says so).
    let mut ids: Vec<&String> = by_id.keys().collect();
    ids.sort();
    for id in ids {
        let list = &by_id[id];
        if !list.iter().any(|(m, _)| *m != list[0].0) {
            continue;
        }
        for (m, t) in list {
            let others: Vec<String> = list.iter().filter(|(o, _)| o != m).map(|(o, ot)| shown(*o, ot)).collect();
            added[*m].push(
                Diagnostic::error(
                    Code::DuplicateId,
                    &t.path,
                    format!("ID {id} of {} is also used by {} in another portfolio", shown(*m, t), others.join(", ")),
                )
                .at(Some(t.id_at))
                .with_hint("IDs must be unique across the national file: give the portfolios different `id_prefix`"),
            );
        }
    }

    // Dependencies on tiltak of another portfolio.
    let mut dependencies = Vec::new();
    for (m, member) in members.iter().enumerate() {
        for t in member.tiltak {
            let own = t.id.as_str();
            for dep in &t.dependencies {
                // A plain ID, or `{external: ID}`: written so, one portfolio's
                // own check takes it as outside; here it is resolved when it
                // is an ID of (or carries the prefix of) another portfolio.
                let (dep, external) = match dep {
                    Dependency::Tiltak(id) => (id.as_str(), false),
                    Dependency::External { external, .. } => (external.trim(), true),
                };
                let found = by_id.get(&dep.to_ascii_uppercase());
                let here = found.is_some_and(|l| l.iter().any(|(o, _)| *o == m));
                if here {
                    continue;
                }
                let other = found.and_then(|l| l.first()).copied();
                let prefixed = members.iter().position(|o| has_prefix(dep, o.prefix));
                let to_member = other.map(|(o, _)| o).or(prefixed.filter(|&o| o != m));
                let Some(to_member) = to_member else { continue };
                if other.is_some() && !external {
                    resolved[m].entry(t.path.clone()).or_default().push(dep.to_owned());
                }
                let target = other.map(|(_, t)| t);
                let state = target.map(|t| t.state);
                let status = target.and_then(|t| t.status);
                let risk = target.and_then(|t| t.risk);
                let flag = match (target, state) {
                    (None, _) => Some(DependencyFlag::Missing),
                    (_, Some(State::Stopped)) => Some(DependencyFlag::Stopped),
                    _ if status == Some(Level::Red) || risk == Some(Level::Red) => Some(DependencyFlag::Red),
                    _ => None,
                };
                if let (Some(target), Some(flag @ (DependencyFlag::Stopped | DependencyFlag::Red))) = (target, flag) {
                    let why = if flag == DependencyFlag::Stopped { "is stopped" } else { "is red" };
                    added[m].push(
                        Diagnostic::warning(
                            Code::DependencyAtRisk,
                            &t.path,
                            format!("{own} depends on {dep} of {}, which {why}", members[to_member].name),
                        )
                        .at(Some(t.dependencies_at))
                        .with_hint(format!("see {}; agree on a plan with its owner", shown(to_member, target))),
                    );
                }
                // A plain ID nobody has is already the portfolio's own error
                // (P016); written as external, it is said here.
                if target.is_none() && external {
                    added[m].push(
                        Diagnostic::warning(
                            Code::UnknownDependency,
                            &t.path,
                            format!("{own} depends on {dep}, which is not a tiltak of {}", members[to_member].name),
                        )
                        .at(Some(t.dependencies_at))
                        .with_hint("check the ID with that portfolio's owner"),
                    );
                }
                dependencies.push(CrossDependency {
                    from: own.to_owned(),
                    from_title: t.title.clone(),
                    from_portfolio: member.name.to_owned(),
                    to: dep.to_owned(),
                    external,
                    to_title: target.map(|t| t.title.clone()),
                    to_portfolio: Some(members[to_member].name.to_owned()),
                    to_state: state.map(|s| s.as_str().to_owned()),
                    to_status: status.map(|l| l.as_str().to_owned()),
                    to_risk: risk.map(|l| l.as_str().to_owned()),
                    flag,
                });
            }
        }
    }
    dependencies.sort_by(|a, b| a.from.cmp(&b.from).then(a.to.cmp(&b.to)));
    Findings { added, resolved, dependencies }
}

/// `diagnostics` without the "unknown dependency" findings that `resolved`
/// (from [`national_rules`]) answers: one per resolved ID, in order.
pub fn without_resolved(
    diagnostics: Vec<Diagnostic>,
    resolved: &HashMap<std::path::PathBuf, Vec<String>>,
) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter(|d| {
            d.code != Code::UnknownDependency
                || !resolved
                    .get(&d.path)
                    .is_some_and(|ids| ids.iter().any(|id| d.message.starts_with(&format!("dependency {id} is not"))))
        })
        .collect()
}
