//! The commit trailers that record a decision — which tiltak, which gate, who
//! decided, why — written and read here and nowhere else. `advance`, `hold`,
//! `stop`, `resume` and `new` write them; history events read them.

use std::fmt::Write as _;

use crate::domain::model::State;
use crate::git::CommitInfo;
use crate::text::clean::one_line;

/// One trailer key of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The tiltak a commit is about; it also marks the commit for the walk.
    Tiltak,
    /// The phase id a gate left.
    PhaseFrom,
    /// The phase id a gate entered; only `advance` writes it.
    PhaseTo,
    /// Who decided.
    DecidedBy,
    /// Why a gate was forced past unmet criteria or over phases.
    Forced,
    /// Why a tiltak moved back, or changed state.
    Reason,
    /// The state `hold`, `stop` or `resume` set.
    State,
}

impl Key {
    pub const fn as_str(self) -> &'static str {
        match self {
            Key::Tiltak => "Tiltak",
            Key::PhaseFrom => "Phase-From",
            Key::PhaseTo => "Phase-To",
            Key::DecidedBy => "Decided-By",
            Key::Forced => "Forced",
            Key::Reason => "Reason",
            Key::State => "State",
        }
    }
}

/// The key that marks a commit as being about a tiltak: what the history
/// walk keeps even when no file moved.
pub const MARKER: &str = Key::Tiltak.as_str();

/// A commit message: a subject line, then trailers in the order given. Empty
/// values are left out; every value is made one line.
pub fn message(subject: &str, trailers: &[(Key, Option<&str>)]) -> String {
    let mut m = format!("{}\n\n", one_line(subject));
    for (key, value) in trailers {
        if let Some(v) = value.map(one_line).filter(|v| !v.is_empty()) {
            let _ = writeln!(m, "{}: {v}", key.as_str());
        }
    }
    m
}

/// The value of `key` for tiltak `id` in a commit on the first-parent line:
/// from the commit itself when it is about that tiltak, or, for a merge, from
/// the merged commit made for it. A commit about another tiltak says nothing
/// about this one; an empty value counts as none.
pub fn read<'c>(commit: &'c CommitInfo, id: &str, key: Key) -> Option<&'c str> {
    read_all(commit, id, [key])[0]
}

/// [`read`] for several keys at once: the commit that speaks for `id` is
/// found once and its message read once (a report reads four keys for each
/// of fifty thousand events).
pub fn read_all<'c, const N: usize>(commit: &'c CommitInfo, id: &str, keys: [Key; N]) -> [Option<&'c str>; N] {
    let Some(from) = speaker(commit, id) else { return [None; N] };
    from.trailers(keys.map(Key::as_str)).map(|v| v.filter(|v| !v.is_empty()))
}

/// The commit whose trailers speak for tiltak `id`: the commit itself when
/// it is about that tiltak or about none, else the merged commit made for
/// it; `None` when it is about another tiltak.
fn speaker<'c>(commit: &'c CommitInfo, id: &str) -> Option<&'c CommitInfo> {
    let mine = |c: &CommitInfo| c.trailer(MARKER).is_some_and(|t| t.eq_ignore_ascii_case(id));
    if mine(commit) {
        Some(commit)
    } else if let Some(c) = commit.merged.iter().find(|c| mine(c)) {
        Some(c)
    } else if commit.trailer(MARKER).is_none() {
        Some(commit)
    } else {
        None
    }
}

/// The state changes a commit on the first-parent line records, its own and
/// those of the commits a merge brought in (oldest first): tiltak ID, the new
/// state, and the commit that recorded it.
pub fn state_changes(commit: &CommitInfo) -> Vec<(&str, State, &CommitInfo)> {
    std::iter::once(commit)
        .chain(commit.merged.iter().rev())
        .filter_map(|c| {
            let id = c.trailer(MARKER)?;
            let state = State::parse(c.trailer(Key::State.as_str())?)?;
            Some((id, state, c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(message: &str) -> CommitInfo {
        CommitInfo {
            id: git2::Oid::zero(),
            short: "0000000".into(),
            time: 0,
            offset_minutes: 0,
            author: "a".into(),
            committer: "c".into(),
            message: message.into(),
            merged: Vec::new(),
            file: None,
        }
    }

    #[test]
    fn written_trailers_read_back() {
        let m = message(
            "advance DD-001: A → B",
            &[(Key::Tiltak, Some("DD-001")), (Key::DecidedBy, Some("Kontoret\nx")), (Key::Forced, None)],
        );
        assert_eq!(m, "advance DD-001: A → B\n\nTiltak: DD-001\nDecided-By: Kontoret x\n");
        let c = commit(&m);
        assert_eq!(read(&c, "dd-001", Key::DecidedBy), Some("Kontoret x"));
        assert_eq!(read(&c, "DD-002", Key::DecidedBy), None, "about another tiltak");
    }

    #[test]
    fn keys_read_together_read_as_each_alone() {
        // Each key on its own, one scan each as `read` did before
        // `read_all`: the last line with the key wins, an empty value is none.
        let alone = |c: &CommitInfo, id: &str, key: Key| {
            speaker(c, id).and_then(|c| c.trailer(key.as_str())).filter(|v| !v.is_empty()).map(str::to_owned)
        };
        let mut merge = commit("Merge branch 'gate'\n\nReason: the merge's\n");
        merge.merged = vec![commit("advance DD-007: A → B\n\nTiltak: DD-007\nForced: urgent\nPhase-To: b\n")];
        let commits = [
            commit("DD-001: status\n"),
            commit(
                "advance DD-001\n\nTiltak: DD-001\nDecided-By: Rådet\nForced:\nReason: one\nReason: two\nPhase-To: x\n",
            ),
            commit("stop DD-002\n\nReason:   spaced  \nTiltak: dd-002\nDecided-By:Kari\n"),
            commit("Forced: in the subject\n"),
            merge,
        ];
        let keys = [Key::DecidedBy, Key::Forced, Key::Reason, Key::PhaseTo];
        for c in &commits {
            for id in ["DD-001", "DD-002", "DD-007"] {
                let together = read_all(c, id, keys);
                for (key, value) in keys.iter().zip(together) {
                    assert_eq!(value.map(str::to_owned), alone(c, id, *key), "{key:?} of {id} in {:?}", c.message);
                }
            }
        }
        assert_eq!(read_all(&commits[1], "DD-001", keys), [Some("Rådet"), None, Some("two"), Some("x")]);
    }

    #[test]
    fn a_merge_answers_for_the_commit_it_brought_in() {
        let mut merge = commit("Merge branch 'gate'\n");
        merge.merged = vec![commit("advance DD-007: A → B\n\nTiltak: DD-007\nForced: urgent\n")];
        assert_eq!(read(&merge, "DD-007", Key::Forced), Some("urgent"));
        assert_eq!(read(&merge, "DD-008", Key::Forced), None);
    }

    #[test]
    fn state_changes_come_from_state_trailers() {
        let c = commit("hold DD-003: wait\n\nTiltak: DD-003\nState: on_hold\nReason: wait\n");
        let changes = state_changes(&c);
        assert_eq!(changes.len(), 1);
        assert_eq!((changes[0].0, changes[0].1), ("DD-003", State::OnHold));
    }
}
