//! The small value types of the front matter: dates written `YYYY-MM-DD`,
//! and enumerations written as text (levels, priorities, states), accepted
//! case-insensitively with their aliases.

use std::fmt;

use chrono::{Datelike, NaiveDate};
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
        // Four-digit years written by hand: chrono's formatter reads its
        // format string each time, and reports write many dates.
        match self.0.year() {
            year @ 0..=9999 => write!(f, "{year:04}-{:02}-{:02}", self.0.month(), self.0.day()),
            _ => write!(f, "{}", self.0.format("%Y-%m-%d")),
        }
    }
}

/// Parse `YYYY-MM-DD` strictly.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b[range].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    // Plain digits, the common case, without chrono's format parser.
    if let (Some(year), b'-', Some(month), b'-', Some(day)) = (digits(0..4), b[4], digits(5..7), b[7], digits(8..10)) {
        return i32::try_from(year).ok().and_then(|year| NaiveDate::from_ymd_opt(year, month, day));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_and_write_as_chrono_does() {
        let chrono_reads =
            |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok().filter(|_| s.trim().len() == 10);
        let mut texts: Vec<String> = ["0000-01-01", "9999-12-31", "2024-02-29", "2025-02-29", "2025-00-10"]
            .into_iter()
            .chain(["2025-1-011", "+202-01-01", "-999-01-01", "2025-01-1x", "2025/01/01", " 2025-06-30 ", "٢٠٢٥-01-01"])
            .map(String::from)
            .collect();
        for day in 0..=32 {
            for month in [0, 1, 2, 4, 12, 13] {
                texts.push(format!("2025-{month:02}-{day:02}"));
            }
        }
        for text in texts.iter().map(String::as_str) {
            assert_eq!(parse_date(text), chrono_reads(text), "{text:?}");
            if let Some(date) = parse_date(text) {
                assert_eq!(Date(date).to_string(), date.format("%Y-%m-%d").to_string());
            }
        }
        for year in [-1, 10000, 262_000] {
            let date = NaiveDate::from_ymd_opt(year, 3, 4).expect("date");
            assert_eq!(Date(date).to_string(), date.format("%Y-%m-%d").to_string());
        }
    }
}
