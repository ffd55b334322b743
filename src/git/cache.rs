//! The steps of a walk, kept in the Git folder (`portfolio/`) between runs,
//! keyed by the first-parent line they cover: a report in the next meeting
//! reads only the new commits. A rewritten history shares a shorter start and
//! is walked again from there; a cache that cannot be read or written is
//! ignored.

use std::collections::HashMap;
use std::path::PathBuf;

use super::Repo;
use super::info::{HexOid, Step, Watch};

/// The history steps of a first-parent line, as cached between runs.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct HistoryCache {
    version: u32,
    tiltak_dir: String,
    /// The watched file, if any.
    #[serde(default)]
    file: Option<String>,
    /// The first-parent line walked, oldest first.
    line: Vec<HexOid>,
    /// Each step with the index in `line` of its commit.
    steps: Vec<(usize, super::CommitInfo, Vec<super::TreeChange>)>,
}

impl HistoryCache {
    /// Raised whenever what a step holds changes.
    const VERSION: u32 = 2;

    /// The cache of this walk, if there is a readable one.
    pub(super) fn load(repo: &Repo, watch: Watch<'_>) -> Option<HistoryCache> {
        let bytes = std::fs::read(path(repo, watch)).ok()?;
        serde_json::from_slice::<HistoryCache>(&bytes).ok().filter(|c| {
            c.version == HistoryCache::VERSION && c.tiltak_dir == watch.dir && c.file.as_deref() == watch.file
        })
    }

    /// How many of `commits` the cached line shares from its start, and the
    /// cached steps within that start.
    pub(super) fn shared_start(self, commits: &[git2::Oid]) -> (usize, Vec<Step>) {
        let shared = self.line.iter().zip(commits).take_while(|(a, b)| a.0 == **b).count();
        let steps = self.steps.into_iter().filter(|(i, _, _)| *i < shared).map(|(_, c, t)| (c, t)).collect();
        (shared, steps)
    }

    /// Keep the steps of this line for the next run. Best effort: a
    /// read-only repository just walks again next time.
    pub(super) fn save(repo: &Repo, watch: Watch<'_>, commits: &[git2::Oid], steps: &[Step]) {
        let index: HashMap<git2::Oid, usize> = commits.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let cache = HistoryCache {
            version: HistoryCache::VERSION,
            tiltak_dir: watch.dir.to_owned(),
            file: watch.file.map(str::to_owned),
            line: commits.iter().map(|id| HexOid(*id)).collect(),
            steps: steps.iter().map(|(c, t)| (index.get(&c.id).copied().unwrap_or(0), c.clone(), t.clone())).collect(),
        };
        let path = path(repo, watch);
        if let Ok(bytes) = serde_json::to_vec(&cache) {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = crate::util::atomic::write(&path, &bytes);
        }
    }
}

fn path(repo: &Repo, watch: Watch<'_>) -> PathBuf {
    let name: String = watch.dir.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    repo.repo.path().join("portfolio").join(format!("history-{name}.json"))
}
