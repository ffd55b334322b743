//! The typed front matter of a tiltak file.
//!
//! One macro lists the fields; from it come the struct (and so the JSON
//! Schema), the per-key parser that reports each field's problem on its own,
//! and the list of known keys.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::domain::values::text_enum;
pub use crate::domain::values::{Date, Level, Priority, State, parse_date};

/// Overall status, reported by the owner.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Status {
    pub level: Option<Level>,
    /// Why the status is yellow or red.
    pub reason: Option<String>,
    /// When the status was last assessed.
    pub updated: Option<Date>,
}

/// Overall risk.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Risk {
    pub level: Option<Level>,
    /// The main risk areas.
    pub description: Option<String>,
    /// Planned and implemented measures.
    pub mitigation: Option<String>,
    /// When the risk was last assessed (counts in a reporting round for
    /// segments that report risk).
    pub updated: Option<Date>,
}

/// When the tiltak runs.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Timeframe {
    pub start: Option<Date>,
    pub end: Option<Date>,
}

/// An objective with key results.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Okr {
    pub objective: Option<String>,
    #[serde(default)]
    pub key_results: Vec<String>,
}

/// A milestone or delivery.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Milestone {
    pub name: Option<String>,
    pub date: Option<Date>,
    #[serde(default)]
    pub done: bool,
}

/// Investment and operating costs.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Budget {
    /// Investment (one-off).
    pub investment: Option<f64>,
    /// Yearly operating and maintenance costs.
    pub operations: Option<f64>,
    /// Currency code, e.g. NOK.
    pub currency: Option<String>,
    /// The investment per year (`2026: 1500000`); must add up to `investment`.
    pub by_year: Option<std::collections::BTreeMap<i32, f64>>,
    /// What has been granted (bevilget).
    pub granted: Option<f64>,
    /// What has been spent so far (påløpt).
    pub spent: Option<f64>,
    /// The forecast of the total investment (prognose).
    pub forecast: Option<f64>,
    /// How certain the estimate is.
    pub certainty: Option<Certainty>,
}

text_enum! {
    /// How certain a cost estimate is (Digdir's portfolio app).
    Certainty {
        Certain = "sikker" | "certain",
        SomewhatUncertain = "noe usikker" | "somewhat uncertain",
        VeryUncertain = "svært usikker" | "svaert usikker" | "very uncertain",
    }
}

/// One dependency of a tiltak.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Dependency {
    /// The ID of another tiltak, e.g. `DD-003`.
    Tiltak(String),
    /// Something outside the portfolio: a national solution, a register, a
    /// law or another agency's system.
    External {
        /// What it is, e.g. `Kjernejournal`.
        external: String,
        /// Who owns it, or what is needed from it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
}

impl Dependency {
    /// The tiltak ID, for a dependency on a tiltak.
    pub fn tiltak_id(&self) -> Option<&str> {
        match self {
            Dependency::Tiltak(id) => Some(id),
            Dependency::External { .. } => None,
        }
    }

    /// How it is shown: the ID, or the external name with "(external)".
    pub fn label(&self) -> String {
        match self {
            Dependency::Tiltak(id) => id.clone(),
            Dependency::External { external, .. } => format!("{external} (external)"),
        }
    }
}

macro_rules! front_matter {
    ($($(#[$meta:meta])* $name:ident : $ty:ty),+ $(,)?) => {
        /// The front matter of a tiltak file. Keys are English snake_case;
        /// the phase is the folder, never a key.
        #[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
        #[schemars(title = "Tiltak front matter")]
        pub struct FrontMatter {
            $($(#[$meta])* #[serde(skip_serializing_if = "Option::is_none")] pub $name: Option<$ty>,)+
        }

        /// Every key the front matter knows, in canonical order.
        pub const KNOWN_KEYS: &[&str] = &[$(stringify!($name)),+];

        impl FrontMatter {
            /// Set one field from its YAML value. `Ok(false)`: unknown key.
            pub fn set(&mut self, key: &str, value: serde_yaml::Value) -> Result<bool, serde_yaml::Error> {
                match key {
                    $(stringify!($name) => { self.$name = Some(serde_yaml::from_value(value)?); Ok(true) })+
                    _ => Ok(false),
                }
            }
        }
    };
}

front_matter! {
    /// The tiltak's ID, e.g. `DD-014`; must match the file name.
    id: String,
    /// Title.
    title: String,
    /// The person responsible (ansvarlig).
    owner: String,
    /// The agency that owns the tiltak (tiltakseier).
    organization: String,
    /// When the tiltak was proposed.
    created: Date,
    /// Product group, from `portfolio.yaml`.
    product_group: String,
    /// MoSCoW priority.
    priority: Priority,
    /// Segment, from `portfolio.yaml`.
    segment: String,
    /// active, on_hold or stopped.
    state: State,
    /// Why the tiltak is on hold or stopped.
    state_reason: String,
    /// Overall status.
    status: Status,
    /// Overall risk.
    risk: Risk,
    /// The risk register: each risk scored probability × consequence.
    risks: Vec<crate::domain::risks::RiskEntry>,
    /// Strategy goals supported (numbers from `portfolio.yaml`).
    strategic_goals: Vec<u32>,
    /// UN Sustainable Development Goals supported.
    sdgs: Vec<u32>,
    /// Start and end.
    timeframe: Timeframe,
    /// Objectives and key results.
    okr: Vec<Okr>,
    /// Milestones.
    milestones: Vec<Milestone>,
    /// Investment and operating costs.
    budget: Budget,
    /// Expected benefits (nytte): text, or records with indicator, baseline,
    /// target and measurements (the gevinstrealiseringsplan).
    benefits: crate::domain::benefits::Benefits,
    /// Benefit prerequisites (nytteforutsetninger).
    benefit_prerequisites: String,
    /// Deliveries.
    deliveries: Vec<Milestone>,
    /// What this tiltak depends on: IDs of other tiltak, or `{external: …}`
    /// for something outside the portfolio (a national solution such as
    /// Kjernejournal). `[]` says "none".
    dependencies: Vec<Dependency>,
    /// Links to issues, documents, repositories.
    links: Vec<String>,
}

impl State {
    /// Still in the portfolio's work: active or on hold (not stopped or closed).
    pub fn is_open(self) -> bool {
        matches!(self, State::Active | State::OnHold)
    }
}

impl FrontMatter {
    /// The state, `active` when not given.
    pub fn state(&self) -> State {
        self.state.unwrap_or(State::Active)
    }

    pub fn status_level(&self) -> Option<Level> {
        self.status.as_ref().and_then(|s| s.level)
    }

    pub fn risk_level(&self) -> Option<Level> {
        self.risk.as_ref().and_then(|r| r.level)
    }

    /// The next milestone not done, by date.
    pub fn next_milestone(&self) -> Option<&Milestone> {
        self.milestones.iter().flatten().filter(|m| !m.done && m.date.is_some()).min_by_key(|m| m.date)
    }
}

/// Norwegian (and other likely) names for keys, to suggest the right one.
pub fn key_alias(key: &str) -> Option<&'static str> {
    Some(match key.to_lowercase().as_str() {
        "ansvarlig" | "eier" => "owner",
        "tiltakseier" | "virksomhet" | "etat" | "org" => "organization",
        "tittel" | "navn" | "name" => "title",
        "opprettet" | "dato" | "date" => "created",
        "produktgruppe" | "group" => "product_group",
        "prioritet" | "prioritering" => "priority",
        "segmenter" => "segment",
        "tilstand" => "state",
        "risiko" => "risk",
        "mål" | "strategiske_mål" | "goals" => "strategic_goals",
        "bærekraftsmål" | "sdg" => "sdgs",
        "tidsramme" => "timeframe",
        "milepæler" | "milepaeler" => "milestones",
        "budsjett" => "budget",
        "nytte" | "gevinster" => "benefits",
        "nytteforutsetninger" => "benefit_prerequisites",
        "leveranser" => "deliveries",
        "avhengigheter" | "depends_on" => "dependencies",
        "lenker" => "links",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_accept_aliases_case_insensitively() {
        assert_eq!(Level::parse("Grønn"), Some(Level::Green));
        assert_eq!(Level::parse("GUL"), Some(Level::Yellow));
        assert_eq!(Level::parse("rod"), Some(Level::Red));
        assert_eq!(Level::parse("blue"), None);
    }

    #[test]
    fn bad_enum_value_says_what_is_allowed() {
        let err = serde_yaml::from_str::<Level>("gren").expect_err("must fail").to_string();
        assert!(err.contains("expected one of green, yellow, red"), "{err}");
        assert!(err.contains("did you mean `green`"), "{err}");
    }

    #[test]
    fn set_reports_type_errors_per_field() {
        let mut fm = FrontMatter::default();
        assert!(fm.set("created", serde_yaml::Value::String("2025-13-01".into())).is_err());
        assert!(fm.set("created", serde_yaml::Value::String("2025-12-01".into())).expect("date"));
        assert!(!fm.set("ownr", serde_yaml::Value::Null).expect("unknown"));
    }
}
