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
    let mut too_large: Option<String> = None;
    let mut note = |name: &str| match id_number(name, &def.id_prefix) {
        Some(Ok(n)) => highest = Some(highest.map_or(n, |h| h.max(n))),
        Some(Err(())) => too_large = Some(name.to_owned()),
        None => {}
    };
    repo.names_on_every_branch(&tiltak_rel, &mut note)?;
    let (on_disk, _) = portfolio::discover(root, def);
    for f in &on_disk {
        if let Some(name) = f.path.file_name() {
            note(&name.to_string_lossy());
        }
    }
    // Skipping it would hand out numbers below one already in use.
    if let Some(name) = too_large {
        return Err(Error::usage_hint(
            format!("the ID of `{name}` is too large to count on, so no next ID can be chosen"),
            "renumber that tiltak (`portfolio check` shows it as P024)",
        ));
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
