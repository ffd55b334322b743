//! The risk register (Prosjektportalen's 5×5 usikkerhet): each risk scored
//! probability × consequence, before and after mitigation, and the score
//! mapped to a level by the definition (SPEC §11).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::values::Level;

/// One entry of `risks:`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskEntry {
    pub id: Option<String>,
    pub description: Option<String>,
    /// How likely, 1 (very unlikely) to 5 (very likely).
    pub probability: Option<u8>,
    /// How bad if it happens, 1 (negligible) to 5 (critical).
    pub consequence: Option<u8>,
    /// What is done about it.
    pub mitigation: Option<String>,
    pub owner: Option<String>,
    /// The risk left once the mitigation works.
    pub residual: Option<Residual>,
    /// Closed risks stay in the file but leave the matrix.
    #[serde(default)]
    pub closed: bool,
}

/// Probability and consequence after mitigation.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Residual {
    pub probability: Option<u8>,
    pub consequence: Option<u8>,
}

/// Where scores turn yellow and red (`risk_scores:` in `portfolio.yaml`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RiskScores {
    /// A score (probability × consequence) at or above this is red.
    pub red: u8,
    /// At or above this (and below `red`) is yellow; below is green.
    pub yellow: u8,
}

impl Default for RiskScores {
    fn default() -> Self {
        RiskScores { red: 15, yellow: 8 }
    }
}

impl RiskScores {
    pub fn level(&self, score: u8) -> Level {
        if score >= self.red {
            Level::Red
        } else if score >= self.yellow {
            Level::Yellow
        } else {
            Level::Green
        }
    }
}

/// A value on the 1–5 scale, or `None`.
fn scale(v: Option<u8>) -> Option<u8> {
    v.filter(|v| (1..=5).contains(v))
}

impl RiskEntry {
    /// Probability and consequence before mitigation, both on the scale.
    pub fn cell(&self) -> Option<(u8, u8)> {
        Some((scale(self.probability)?, scale(self.consequence)?))
    }

    /// Before mitigation: probability × consequence.
    pub fn score(&self) -> Option<u8> {
        self.cell().map(|(p, c)| p * c)
    }

    /// After mitigation, when the residual is given.
    pub fn residual_score(&self) -> Option<u8> {
        let r = self.residual?;
        Some(scale(r.probability)? * scale(r.consequence)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_map_to_levels() {
        let s = RiskScores::default();
        assert_eq!(
            [s.level(25), s.level(15), s.level(14), s.level(8), s.level(7)],
            [Level::Red, Level::Red, Level::Yellow, Level::Yellow, Level::Green]
        );
        let r = RiskEntry { probability: Some(4), consequence: Some(5), ..RiskEntry::default() };
        assert_eq!(r.score(), Some(20));
        let off = RiskEntry { probability: Some(6), consequence: Some(5), ..RiskEntry::default() };
        assert_eq!(off.score(), None, "off the scale");
    }
}
