//! The small value types of the front matter: dates written `YYYY-MM-DD`,
//! and enumerations written as text (levels, priorities, states), accepted
//! case-insensitively with their aliases.

use std::fmt;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s)
            .map(Date)
            .ok_or_else(|| serde::de::Error::custom(format!("expected a date YYYY-MM-DD, found `{s}`")))
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date", "description": "A date, YYYY-MM-DD" })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

/// Parse `YYYY-MM-DD` strictly.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Defines an enumeration written as text in the front matter, accepted
/// case-insensitively with aliases.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $canon:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $canon)] $variant),+ }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $canon),+ }
            }

            /// Accepted spellings of every value (canonical first).
            pub fn spellings() -> &'static [&'static str] {
                &[$($canon $(, $alias)*),+]
            }

            /// Parse a spelling, case-insensitively.
            pub fn parse(text: &str) -> Option<$name> {
                let t = text.trim().to_lowercase();
                $(if t == $canon $(|| t == $alias)* { return Some($name::$variant); })+
                None
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| {
                    let canon: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    let hint = crate::text::suggest(&s, $name::spellings().iter().copied())
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    serde::de::Error::custom(format!("`{s}` is not allowed here; expected one of {}{hint}", canon.join(", ")))
                })
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let canon: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                schemars::json_schema!({
                    "type": "string",
                    "description": format!("One of {} (case-insensitive; aliases: {})", canon.join(", "), $name::spellings().join(", ")),
                    "anyOf": [
                        { "enum": canon },
                        { "pattern": format!("(?i)^({})$", $name::spellings().join("|")) }
                    ]
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum! {
    /// Green, yellow or red: overall status or risk.
    Level {
        /// Within plan / under control.
        Green = "green" | "grønn" | "gronn",
        /// Some challenges / some risk elements.
        Yellow = "yellow" | "gul",
        /// Significant challenges / significant risk.
        Red = "red" | "rød" | "rod",
    }
}

text_enum! {
    /// MoSCoW priority.
    Priority {
        Must = "must" | "må" | "ma" | "must have",
        Should = "should" | "bør" | "bor" | "should have",
        Could = "could" | "kan" | "could have",
        Wont = "wont" | "won't" | "won’t" | "vil ikke" | "ikke nå",
    }
}

text_enum! {
    /// Whether a tiltak is being worked on.
    State {
        Active = "active" | "aktiv",
        OnHold = "on_hold" | "on hold" | "paused" | "pause" | "på vent" | "pa vent",
        Stopped = "stopped" | "stoppet" | "avbrutt",
        /// Closed once the last phase's closing criteria were met
        /// (`advance` from the last phase records it).
        Closed = "closed" | "avsluttet" | "fullført" | "fullfort" | "completed",
    }
}

pub(crate) use text_enum;
