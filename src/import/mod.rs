//! Moving an existing portfolio in (SPEC §14): a GitHub issue export or a
//! spreadsheet, read through a map file, becomes a plan of new tiltak files.
//!
//! - `map`: the map file (`MAP.yaml`) and its errors with line and column;
//! - `github`: the JSON `gh issue list --json …` writes, one issue a record;
//! - `sheet`: `.csv` and `.xlsx` tables, one row a record;
//! - `plan`: records → the text of each new file, validated by the same
//!   rules as `check`, with what each would miss.
//!
//! Nothing here writes: the command takes the plan's files into one
//! [`Transaction`](crate::store::transaction::Transaction).

pub mod github;
pub mod map;
pub mod plan;
pub mod sheet;

pub use map::Map;
pub use plan::{Planned, Record, plan};

/// Text folded for loose matching of names: accents folded to ASCII, case
/// ignored, anything but letters and digits dropped (`Ikke startet` and
/// `ikke-startet` match, so do `Gjennomføring` and `gjennomforing`).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let folded = match c {
            'æ' | 'Æ' => "ae".to_owned(),
            c if c.is_ascii() => c.to_string(),
            c => deunicode::deunicode_char(c).unwrap_or("").to_owned(),
        };
        out.extend(folded.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()));
    }
    out
}

/// The phase a source names: by the map's entry when there is one (an id,
/// name or folder), else by [`fold`]ed id, name, folder or alias.
pub fn match_phase(def: &crate::domain::process::ProcessDefinition, name: &str) -> Option<usize> {
    let want = fold(name);
    if want.is_empty() {
        return None;
    }
    def.find_phase(name).or_else(|| {
        def.phases.iter().position(|p| {
            fold(&p.id) == want
                || fold(&p.name) == want
                || fold(&p.folder) == want
                || p.aliases.iter().any(|a| fold(a) == want)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_punctuation() {
        assert_eq!(fold("Ikke startet"), fold("ikke-startet"));
        assert_eq!(fold("Gjennomføring"), "gjennomforing");
        assert_eq!(fold("Utført"), "utfort");
        assert_eq!(fold("Problem / idé"), "problemide");
    }
}
