//! The board's columns: the tiltak of each phase, active first, then on
//! hold, stopped and closed, by ID (and path) within each. The terminal and
//! Markdown board (`cli::board`) and the site's board page draw these.

use crate::domain::model::State;
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;

/// One list per phase of `def`, in order; tiltak outside the phase folders
/// are left out.
pub fn columns<'t>(def: &ProcessDefinition, tiltak: impl Iterator<Item = &'t Tiltak>) -> Vec<Vec<&'t Tiltak>> {
    let mut columns: Vec<Vec<&Tiltak>> = vec![Vec::new(); def.phases.len()];
    for t in tiltak {
        if let Some(column) = t.phase.and_then(|p| columns.get_mut(p)) {
            column.push(t);
        }
    }
    for column in &mut columns {
        sort(column);
    }
    columns
}

/// One column's cards in the board's order: active first, then on hold,
/// stopped and closed, by ID (and path) within each.
pub fn sort(column: &mut [&Tiltak]) {
    column.sort_by(|a, b| (rank(a.fm.state()), a.id(), &a.path).cmp(&(rank(b.fm.state()), b.id(), &b.path)));
}

fn rank(state: State) -> u8 {
    match state {
        State::Active => 0,
        State::OnHold => 1,
        State::Stopped => 2,
        State::Closed => 3,
    }
}
