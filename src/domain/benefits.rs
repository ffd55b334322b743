//! Benefits (gevinster) as the gevinstrealiseringsplan holds them: either
//! the plain text of SPEC §3, or records with an indicator, a baseline
//! (nullpunktsmåling), a target and measurements over time (SPEC §11).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::values::Date;

/// `benefits:` — text, or a list of benefit records.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Benefits {
    /// The expected benefits in words.
    Text(String),
    /// One record per benefit, each with its own owner and measurements.
    Records(Vec<Benefit>),
}

impl Benefits {
    /// The records (none for the text form).
    pub fn records(&self) -> &[Benefit] {
        match self {
            Benefits::Text(_) => &[],
            Benefits::Records(r) => r,
        }
    }
}

/// One benefit of the gevinstrealiseringsplan.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Benefit {
    pub id: Option<String>,
    pub description: Option<String>,
    /// One of the definition's `benefit_types` (DFØ: effektivisering,
    /// kvalitet, andre aktører).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Who answers for realising it (gevinsteier).
    pub owner: Option<String>,
    /// What is measured, e.g. "saksbehandlingstid".
    pub indicator: Option<String>,
    /// The unit of the values, e.g. "dager".
    pub unit: Option<String>,
    /// The value before the tiltak (nullpunktsmåling).
    pub baseline: Option<Measure>,
    /// The value to reach, and by when.
    pub target: Option<Measure>,
    /// Values measured since, in date order.
    #[serde(default)]
    pub measurements: Vec<Measure>,
}

/// A value on a date.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub value: Option<f64>,
    pub date: Option<Date>,
}

impl Measure {
    fn point(&self) -> Option<(NaiveDate, f64)> {
        Some((self.date?.0, self.value?))
    }
}

/// How a benefit stands on a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// The latest measurement (or the baseline when none).
    pub latest: f64,
    pub latest_date: NaiveDate,
    /// Share of the way from baseline to target reached, 0–1 (may exceed 1,
    /// or be negative when it went the wrong way).
    pub realised: f64,
    /// Whether the latest value is at or past a straight line from the
    /// baseline (at its date) to the target (at its date).
    pub on_track: bool,
}

impl Benefit {
    /// Progress as of `today`; `None` without a dated baseline and target
    /// of different values.
    pub fn progress(&self, today: NaiveDate) -> Option<Progress> {
        let (b_date, b) = self.baseline?.point()?;
        let (t_date, t) = self.target?.point()?;
        if t == b || t_date <= b_date {
            return None;
        }
        let (latest_date, latest) = self
            .measurements
            .iter()
            .filter_map(Measure::point)
            .filter(|(d, _)| *d <= today)
            .max_by_key(|(d, _)| *d)
            .unwrap_or((b_date, b));
        let realised = (latest - b) / (t - b);
        let span = (t_date - b_date).num_days() as f64;
        let elapsed = ((latest_date - b_date).num_days() as f64 / span).clamp(0.0, 1.0);
        // Small tolerance: a value exactly on the line is on track.
        let on_track = realised + 1e-9 >= elapsed;
        Some(Progress { latest, latest_date, realised, on_track })
    }

    /// The date of the last measurement (or of the baseline), if any.
    pub fn last_measured(&self) -> Option<NaiveDate> {
        self.measurements
            .iter()
            .filter_map(|m| m.date.map(|d| d.0))
            .max()
            .or(self.baseline.and_then(|b| b.date.map(|d| d.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date(crate::domain::model::parse_date(s).expect("date"))
    }

    fn benefit(measurements: &[(&str, f64)]) -> Benefit {
        Benefit {
            baseline: Some(Measure { value: Some(20.0), date: Some(d("2026-01-01")) }),
            target: Some(Measure { value: Some(10.0), date: Some(d("2027-01-01")) }),
            measurements: measurements.iter().map(|(s, v)| Measure { value: Some(*v), date: Some(d(s)) }).collect(),
            ..Benefit::default()
        }
    }

    #[test]
    fn share_realised_and_on_track_against_a_straight_line() {
        let today = d("2026-12-01").0;
        // Half the time gone (2026-07-02 is day 182 of 365), 60 % of the way: on track.
        let p = benefit(&[("2026-07-02", 14.0)]).progress(today).expect("progress");
        assert!((p.realised - 0.6).abs() < 1e-9);
        assert!(p.on_track);
        // Same date, 30 % of the way: behind.
        let p = benefit(&[("2026-07-02", 17.0)]).progress(today).expect("progress");
        assert!(!p.on_track);
        // No measurement: the baseline, at the start of the line, is on track.
        let p = benefit(&[]).progress(today).expect("progress");
        assert_eq!((p.realised, p.on_track), (0.0, true));
        // A measurement after today does not count yet.
        let p = benefit(&[("2026-12-15", 10.0)]).progress(today).expect("progress");
        assert_eq!(p.latest, 20.0);
    }
}
