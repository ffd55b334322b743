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
    let mut ids = next_ids(repo, root, def, 1)?;
    ids.pop().ok_or_else(|| Error::usage("no ID could be allocated"))
}

/// `count` consecutive IDs after the highest number in use (`import`).
pub fn next_ids(repo: &Repo, root: &Path, def: &ProcessDefinition, count: usize) -> Result<Vec<String>> {
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
    let first = match highest {
        None => Some(1),
        Some(n) => n.checked_add(1),
    };
    let last = first.and_then(|f| f.checked_add(count.saturating_sub(1) as u64));
    match (first, last) {
        (Some(first), Some(last)) => {
            Ok((first..=last).take(count).map(|n| format!("{}-{:03}", def.id_prefix, n)).collect())
        }
        _ => Err(Error::usage_hint(
            format!(
                "the highest ID number in use, {}-{}, leaves {}",
                def.id_prefix,
                highest.unwrap_or_default(),
                if count == 1 { "no next number".to_owned() } else { format!("no room for {count} more") }
            ),
            "renumber the tiltak with the out-of-range ID",
        )),
    }
}
