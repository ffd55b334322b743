//! Tags and branches as plain names and commits.

use super::{Repo, git_err};
use crate::error::{Error, Result};

/// A branch: its short name (`feature`, `origin/feature`) and tip.
#[derive(Debug, Clone)]
pub struct BranchTip {
    pub name: String,
    pub tip: git2::Oid,
    /// A remote-tracking branch.
    pub remote: bool,
}

impl Repo {
    /// Tag `target` as `name` with an annotated tag carrying `message`,
    /// tagged by the user's Git identity (`GIT_COMMITTER_*` first). Refuses
    /// when the tag exists: a tag is never moved.
    pub fn create_annotated_tag(&self, name: &str, target: git2::Oid, message: &str) -> Result<git2::Oid> {
        if self.tag_target(name).is_some() {
            return Err(Error::usage_hint(
                format!("the tag {name} exists already"),
                "a tag is never moved; nothing was changed",
            ));
        }
        let (_, tagger) = self.signatures()?;
        let object = self.repo.find_object(target, None).map_err(git_err("cannot read the commit to tag"))?;
        self.repo.tag(name, &object, &tagger, message, false).map_err(git_err("cannot create the tag"))
    }

    /// The commit a tag points at, if the tag exists.
    pub fn tag_target(&self, name: &str) -> Option<git2::Oid> {
        let r = self.repo.find_reference(&format!("refs/tags/{name}")).ok()?;
        r.peel_to_commit().ok().map(|c| c.id())
    }

    /// Every tag whose name starts with `prefix`, with its commit.
    pub fn tags_with_prefix(&self, prefix: &str) -> Result<Vec<(String, git2::Oid)>> {
        let names = self.repo.tag_names(Some(&format!("{prefix}*"))).map_err(git_err("cannot list tags"))?;
        Ok(names.iter().flatten().filter_map(|n| Some((n.to_owned(), self.tag_target(n)?))).collect())
    }

    /// Every local and remote-tracking branch whose tip `head` cannot
    /// reach (not merged into it), by name. Symbolic refs (`origin/HEAD`)
    /// are left out.
    pub fn unmerged_branches(&self, head: git2::Oid) -> Result<Vec<BranchTip>> {
        let mut out = Vec::new();
        let branches = self.repo.branches(None).map_err(git_err("cannot list branches"))?;
        for item in branches.flatten() {
            let (branch, kind) = item;
            let reference = branch.get();
            if reference.symbolic_target().is_some() {
                continue;
            }
            let (Some(name), Ok(commit)) = (reference.shorthand(), reference.peel_to_commit()) else { continue };
            if name.ends_with("/HEAD") {
                continue;
            }
            let tip = commit.id();
            if tip == head || self.repo.graph_descendant_of(head, tip).unwrap_or(false) {
                continue;
            }
            out.push(BranchTip { name: name.to_owned(), tip, remote: kind == git2::BranchType::Remote });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }
}
