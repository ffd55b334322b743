//! The next free ID: free on every local and remote-tracking branch and in
//! the work tree, so proposals made in parallel on branches do not collide.

use std::path::Path;

use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::id_number;
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::store::portfolio;

/// The next ID after the highest number in use, e.g. `DD-015`.
pub fn next_id(repo: &Repo, root: &Path, def: &ProcessDefinition) -> Result<String> {
    let tiltak_rel = repo.relative(&root.join(&def.tiltak_dir))?;
    let mut highest: Option<u64> = None;
    let mut note = |name: &str| {
        if let Some(n) = id_number(name, &def.id_prefix) {
            highest = Some(highest.map_or(n, |h| h.max(n)));
        }
    };
    repo.names_on_every_branch(&tiltak_rel, &mut note)?;
    let (on_disk, _) = portfolio::discover(root, def);
    for f in &on_disk {
        if let Some(name) = f.path.file_name() {
            note(&name.to_string_lossy());
        }
    }
    let number = match highest {
        None => 1,
        Some(n) => n.checked_add(1).ok_or_else(|| {
            Error::usage_hint(
                format!("the highest ID number in use, {}-{n}, leaves no next number", def.id_prefix),
                "renumber the tiltak with the out-of-range ID",
            )
        })?,
    };
    Ok(format!("{}-{:03}", def.id_prefix, number))
}
