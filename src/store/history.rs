//! A portfolio's history: the steps of its tiltak folder on a first-parent
//! line, read by the Git edge, and the events they mean.

use std::path::Path;

use crate::domain::process::ProcessDefinition;
use crate::domain::trailer;
use crate::error::Result;
use crate::git::{Oid, Repo, Step, Watch};

/// The steps of the tiltak folder of the portfolio at `root` on the
/// first-parent line of `tip` (HEAD when `None`), after `since`.
pub fn steps(
    repo: &Repo,
    root: &Path,
    def: &ProcessDefinition,
    tip: Option<Oid>,
    since: Option<Oid>,
) -> Result<Vec<Step>> {
    let dir = repo.relative(&root.join(&def.tiltak_dir))?;
    repo.folder_history(Watch { dir: &dir, marker: trailer::MARKER }, tip, since)
}
