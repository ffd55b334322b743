//! Reporting rounds in the repository: a round is closed when its tag
//! `round/<ID>` exists, and its snapshot is that tag's commit.

use std::collections::HashMap;

use crate::domain::process::ProcessDefinition;
use crate::domain::round::{Round, TAG_PREFIX};
use crate::error::{Error, Result};
use crate::git::{Oid, Repo};

/// The closed rounds: round ID → the commit its tag points at.
pub fn closed(repo: Option<&Repo>) -> Result<HashMap<String, Oid>> {
    let Some(repo) = repo else { return Ok(HashMap::new()) };
    Ok(repo
        .tags_with_prefix(TAG_PREFIX)?
        .into_iter()
        .filter_map(|(name, id)| Some((name.strip_prefix(TAG_PREFIX)?.to_owned(), id)))
        .collect())
}

/// The round `id` of the portfolio, or a usage error naming the rounds.
pub fn find<'a>(def: &'a ProcessDefinition, id: &str) -> Result<&'a Round> {
    if let Some(r) =
        def.rounds.iter().find(|r| r.id == id).or_else(|| def.rounds.iter().find(|r| r.id.eq_ignore_ascii_case(id)))
    {
        return Ok(r);
    }
    let hint = if def.rounds.is_empty() {
        "this portfolio declares no rounds: `portfolio round open <ID> --due YYYY-MM-DD` adds one".to_owned()
    } else {
        match crate::text::suggest(id, def.rounds.iter().map(|r| r.id.as_str())) {
            Some(s) => format!("did you mean {s:?}?"),
            None => format!("rounds are: {}", def.rounds.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(", ")),
        }
    };
    Err(Error::usage_hint(format!("no round {id:?} in portfolio.yaml"), hint))
}

/// The latest closed round (by its dates) whose tag `at` reaches and is not
/// `at` itself: what a report of `at` compares with by default.
pub fn latest_closed_before<'a>(
    repo: &Repo,
    def: &'a ProcessDefinition,
    closed: &HashMap<String, Oid>,
    at: Oid,
) -> Option<&'a Round> {
    def.rounds
        .iter()
        .filter(|r| closed.get(&r.id).is_some_and(|&tag| tag != at && repo.merge_base(tag, at).is_ok_and(|b| b == tag)))
        .max_by_key(|r| (r.due, r.opens))
}

/// Whether `round` was closed as of commit `at`: its tag exists and is `at`
/// or an ancestor of it (a round closed later, or on another line, was
/// still open then).
pub fn closed_by(repo: &Repo, closed: &HashMap<String, Oid>, round: &Round, at: Oid) -> bool {
    closed.get(&round.id).is_some_and(|&tag| tag == at || repo.merge_base(tag, at).is_ok_and(|b| b == tag))
}

/// The closed round whose tag is commit `at` (the latest by its dates when
/// several are): a report of `at` is that round's report.
pub fn tagged_at<'a>(def: &'a ProcessDefinition, closed: &HashMap<String, Oid>, at: Oid) -> Option<&'a Round> {
    def.rounds.iter().filter(|r| closed.get(&r.id) == Some(&at)).max_by_key(|r| (r.due, r.opens))
}

/// `report --round ID`: the round, which must be closed, its tag, and the
/// tag of the closed round before it (`None` for the first round). An
/// unknown ID and a round without its tag are usage errors that say what
/// to do.
pub fn for_report<'a>(
    def: &'a ProcessDefinition,
    closed: &HashMap<String, Oid>,
    id: &str,
) -> Result<(&'a Round, Option<&'a Round>)> {
    let round = find(def, id)?;
    if !closed.contains_key(&round.id) {
        return Err(Error::usage_hint(
            format!("round {} is not closed yet: there is no tag {}", round.id, round.tag()),
            format!(
                "close it first with `portfolio round close {}`; `portfolio round {}` shows who has reported so far",
                round.id, round.id
            ),
        ));
    }
    let previous = crate::domain::round::previous(&def.rounds, round, &|r| closed.contains_key(&r.id));
    Ok((round, previous))
}

/// The reporting rounds as a view's commit sees them.
#[derive(Debug, Default)]
pub struct AsOf {
    /// The round whose tag the commit is.
    pub tagged: Option<String>,
    /// The tag of the latest round closed before the commit: what a report
    /// compares with when it names no `--since`.
    pub latest: Option<String>,
    /// The round open on the view's date.
    pub open: Option<Round>,
}

/// The rounds of `view` as of its commit (`closed`: the round tags).
pub fn as_of(view: &crate::store::view::View, closed: &HashMap<String, Oid>) -> AsOf {
    let def = &view.portfolio.def;
    match (&view.repo, &view.commit) {
        (Some(repo), Some(c)) => AsOf {
            tagged: tagged_at(def, closed, c.id).map(|r| r.id.clone()),
            latest: latest_closed_before(repo, def, closed, c.id).map(Round::tag),
            open: crate::domain::round::open_round(&def.rounds, view.date, &|r| closed_by(repo, closed, r, c.id))
                .cloned(),
        },
        _ => AsOf {
            open: crate::domain::round::open_round(&def.rounds, view.date, &|_| false).cloned(),
            ..AsOf::default()
        },
    }
}
