//! Reporting rounds (rapporteringsrunder, SPEC §9): a dated request for fresh
//! status from every active tiltak, declared in `portfolio.yaml`, and how a
//! tiltak stands in one. Pure: the dates come from the front matter, the
//! day to judge against and which rounds are closed from the caller.

use chrono::NaiveDate;

use crate::domain::model::State;
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;

pub use crate::domain::process::{Round, TAG_PREFIX};

/// How one tiltak stands in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Reported within `opens..=due`, on that day.
    OnTime(NaiveDate),
    /// Reported after `due`: the day, and how many days late.
    Late(NaiveDate, i64),
    /// Not reported yet: days until `due` (negative: days overdue).
    Missing(i64),
    /// On hold or stopped: owes no report.
    Exempt(State),
}

/// Whether a tiltak's segment reports risk: one of its requirements is
/// `risk` or a field of it.
pub fn reports_risk(def: &ProcessDefinition, t: &Tiltak) -> bool {
    def.requirements(t.fm.segment.as_deref())
        .iter()
        .any(|r| r.segment.is_some() && (r.field == "risk" || r.field.starts_with("risk.")))
}

/// How `t` stands in `round`, judged on `today`. Reported means
/// `status.updated` (and, for a segment that reports risk, `risk.updated`
/// when present) lies on or after `opens`; the later of the two decides
/// whether it came on time.
pub fn standing(def: &ProcessDefinition, round: &Round, t: &Tiltak, today: NaiveDate) -> Standing {
    let state = t.fm.state();
    if state != State::Active {
        return Standing::Exempt(state);
    }
    let status = t.fm.status.as_ref().and_then(|s| s.updated).map(|d| d.0);
    let risk = if reports_risk(def, t) { t.fm.risk.as_ref().and_then(|r| r.updated).map(|d| d.0) } else { None };
    let missing = Standing::Missing((round.due.0 - today).num_days());
    let Some(status) = status else { return missing };
    if status < round.opens.0 || risk.is_some_and(|r| r < round.opens.0) {
        return missing;
    }
    let last = risk.map_or(status, |r| r.max(status));
    if last <= round.due.0 { Standing::OnTime(last) } else { Standing::Late(last, (last - round.due.0).num_days()) }
}

/// The round a command means when none is named: the open one — not
/// closed, opened by `today`; the one `today` falls in, else the latest
/// of them by `due` — else the latest declared. `None` without rounds.
pub fn default_round<'a>(rounds: &'a [Round], today: NaiveDate, closed: &dyn Fn(&Round) -> bool) -> Option<&'a Round> {
    open_round(rounds, today, closed).or_else(|| rounds.iter().max_by_key(|r| (r.due, r.opens)))
}

/// The open round on `today`, if any (see [`default_round`]).
pub fn open_round<'a>(rounds: &'a [Round], today: NaiveDate, closed: &dyn Fn(&Round) -> bool) -> Option<&'a Round> {
    let open: Vec<&Round> = rounds.iter().filter(|r| r.opens.0 <= today && !closed(r)).collect();
    open.iter().find(|r| r.contains(today)).or_else(|| open.iter().max_by_key(|r| (r.due, r.opens))).copied()
}

/// The round before `round`: the latest of the other closed rounds that
/// opened before it (by `opens`, then `due`; declared order breaks a tie).
/// What `report --round` compares with.
pub fn previous<'a>(rounds: &'a [Round], round: &Round, closed: &dyn Fn(&Round) -> bool) -> Option<&'a Round> {
    let at = rounds.iter().position(|r| r.id == round.id);
    rounds
        .iter()
        .enumerate()
        .filter(|(i, r)| r.id != round.id && closed(r) && (r.opens, r.due, Some(*i)) < (round.opens, round.due, at))
        .max_by_key(|(i, r)| (r.opens, r.due, *i))
        .map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::domain::model::Date;
    use crate::domain::process::Template;

    fn d(s: &str) -> NaiveDate {
        crate::domain::model::parse_date(s).expect("date")
    }

    fn round(id: &str, opens: &str, due: &str) -> Round {
        Round { id: id.into(), opens: Date(d(opens)), due: Date(d(due)) }
    }

    fn tiltak(def: &ProcessDefinition, front: &str) -> Tiltak {
        let text = format!("---\nid: EH-001\ntitle: T\ncreated: 2026-01-01\n{front}---\n# T\n");
        crate::domain::tiltak::parse(def, Path::new("t/EH-001-t.md"), Some(1), &text).0
    }

    #[test]
    fn on_time_late_missing_and_exempt() {
        let def = ProcessDefinition::parse(Template::Digdir.text(), Path::new("p")).expect("template");
        let r = round("T3", "2026-08-15", "2026-09-15");
        let today = d("2026-09-20");
        let at = |f: &str| standing(&def, &r, &tiltak(&def, f), today);
        assert_eq!(at("status: {updated: 2026-08-15}\n"), Standing::OnTime(d("2026-08-15")));
        assert_eq!(at("status: {updated: 2026-09-15}\n"), Standing::OnTime(d("2026-09-15")));
        assert_eq!(at("status: {updated: 2026-09-18}\n"), Standing::Late(d("2026-09-18"), 3));
        assert_eq!(at("status: {updated: 2026-08-14}\n"), Standing::Missing(-5));
        assert_eq!(at(""), Standing::Missing(-5));
        assert_eq!(at("state: on_hold\n"), Standing::Exempt(State::OnHold));
    }

    #[test]
    fn risk_counts_where_the_segment_reports_it() {
        let def = ProcessDefinition::parse(Template::Ehelse.text(), Path::new("p")).expect("template");
        let seg = def.segments.iter().find(|s| s.requires.iter().any(|f| f.starts_with("risk"))).expect("segment");
        let r = round("T3", "2026-08-15", "2026-09-15");
        let front = format!(
            "segment: {}\nstatus: {{updated: 2026-09-01}}\nrisk: {{level: green, updated: 2026-08-01}}\n",
            seg.id
        );
        assert_eq!(standing(&def, &r, &tiltak(&def, &front), d("2026-09-01")), Standing::Missing(14));
        let front = front.replace("2026-08-01", "2026-09-16");
        assert_eq!(standing(&def, &r, &tiltak(&def, &front), d("2026-09-20")), Standing::Late(d("2026-09-16"), 1));
    }

    #[test]
    fn the_default_round_is_the_open_one() {
        let rounds = vec![round("A", "2026-01-01", "2026-02-01"), round("B", "2026-08-15", "2026-09-15")];
        let none = |_: &Round| false;
        let a_closed = |r: &Round| r.id == "A";
        assert_eq!(default_round(&rounds, d("2026-08-20"), &none).map(|r| r.id.as_str()), Some("B"));
        assert_eq!(default_round(&rounds, d("2026-03-01"), &none).map(|r| r.id.as_str()), Some("A"));
        assert_eq!(open_round(&rounds, d("2026-03-01"), &a_closed), None);
        assert_eq!(default_round(&rounds, d("2026-03-01"), &a_closed).map(|r| r.id.as_str()), Some("B"));
        assert_eq!(previous(&rounds, &rounds[1], &|_: &Round| true).map(|r| r.id.as_str()), Some("A"));
        assert_eq!(previous(&rounds, &rounds[0], &|_: &Round| true), None);
    }

    #[test]
    fn the_previous_round_is_the_closed_one_before() {
        let rounds = vec![
            round("A", "2026-01-01", "2026-02-01"),
            round("B", "2026-04-01", "2026-05-01"),
            round("C", "2026-08-15", "2026-09-15"),
        ];
        let all = |_: &Round| true;
        let not_b = |r: &Round| r.id != "B";
        assert_eq!(previous(&rounds, &rounds[2], &all).map(|r| r.id.as_str()), Some("B"));
        assert_eq!(previous(&rounds, &rounds[2], &not_b).map(|r| r.id.as_str()), Some("A"), "B is not closed");
        assert_eq!(previous(&rounds, &rounds[0], &all), None);
        // Two rounds opening the same day: the one declared first comes first.
        let twins = vec![round("X", "2026-01-01", "2026-02-01"), round("Y", "2026-01-01", "2026-02-01")];
        assert_eq!(previous(&twins, &twins[1], &all).map(|r| r.id.as_str()), Some("X"));
        assert_eq!(previous(&twins, &twins[0], &all), None);
    }
}
