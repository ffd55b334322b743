//! The one transaction every command that commits goes through: stage the
//! writes, check them before touching anything, write them, commit once, and
//! undo every write unless the commit was made.
//!
//! A commit holds exactly the paths staged here — other staged, unstaged and
//! untracked work in the repository stays as it was — and a failure before
//! the commit leaves work tree, index and refs byte for byte as they were.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::domain::process;
use crate::error::{Error, Result};
use crate::git::{Change, Oid, Repo};

/// A set of changes to the work tree, committed together.
pub struct Transaction {
    repo: Repo,
    /// The portfolio root (the folder holding `portfolio.yaml`).
    root: PathBuf,
    ops: Vec<Op>,
}

#[derive(Debug)]
enum Op {
    /// A new file; it must not exist yet. Its permissions follow `like`.
    Create { path: PathBuf, text: String, like: Option<PathBuf> },
    /// An existing file's new content.
    Replace { path: PathBuf, text: String },
    /// A file removed once the commit exists.
    Remove { path: PathBuf },
}

impl Transaction {
    /// Start a transaction on the portfolio at `root`. Refuses, before
    /// anything is written, when the repository cannot take a commit now (a
    /// merge in progress, a locked index, no identity) or when
    /// `portfolio.yaml` is not committed yet: a history must start with the
    /// process that gives it meaning.
    pub fn begin(root: &Path) -> Result<Transaction> {
        let repo = Repo::discover(root)?;
        repo.ensure_ready_to_commit()?;
        ensure_definition_committed(&repo, root)?;
        repo.signatures()?;
        Ok(Transaction { repo, root: root.to_owned(), ops: Vec::new() })
    }

    /// Start a transaction whose writes may stay uncommitted (`new
    /// --no-commit`): the repository need not be ready to commit yet.
    pub fn begin_uncommitted(root: &Path) -> Result<Transaction> {
        let repo = Repo::discover(root)?;
        Ok(Transaction { repo, root: root.to_owned(), ops: Vec::new() })
    }

    /// The repository, for reads that the transaction's commands need.
    pub fn repo(&self) -> &Repo {
        &self.repo
    }

    /// Add a new file at `rel` (from the portfolio root).
    pub fn create(&mut self, rel: &Path, text: String, like: Option<&Path>) {
        self.ops.push(Op::Create { path: self.root.join(rel), text, like: like.map(|l| self.root.join(l)) });
    }

    /// Give the file at `rel` new content.
    pub fn replace(&mut self, rel: &Path, text: String) {
        self.ops.push(Op::Replace { path: self.root.join(rel), text });
    }

    /// Remove the file at `rel` in the same commit.
    pub fn remove(&mut self, rel: &Path) {
        self.ops.push(Op::Remove { path: self.root.join(rel) });
    }

    /// Check every write, then write them to the work tree. Nothing is
    /// committed yet; dropping the result undoes every write.
    pub fn stage(self) -> Result<Staged> {
        for op in &self.ops {
            self.check(op)?;
        }
        let mut staged = Staged { tx: self, undo: Vec::new(), committed: false };
        let ops = std::mem::take(&mut staged.tx.ops);
        for op in &ops {
            staged.write(op)?;
        }
        staged.tx.ops = ops;
        Ok(staged)
    }

    /// Stage and commit in one step.
    pub fn commit(self, message: &str) -> Result<Oid> {
        self.stage()?.commit(message)
    }

    /// Refuse a write that would leave the repository or clobber a file.
    fn check(&self, op: &Op) -> Result<()> {
        let path = match op {
            Op::Create { path, .. } | Op::Replace { path, .. } | Op::Remove { path } => path,
        };
        inside_without_links(&self.repo.workdir, path)?;
        match op {
            Op::Create { path, .. } if fs::symlink_metadata(path).is_ok() => {
                Err(Error::usage(format!("{} already exists; refusing to overwrite it", path.display())))
            }
            Op::Replace { path, .. } | Op::Remove { path } if !path.is_file() => {
                Err(Error::usage(format!("{} is not a file", path.display())))
            }
            _ => Ok(()),
        }
    }
}

/// Writes made to the work tree and not committed yet.
pub struct Staged {
    tx: Transaction,
    undo: Vec<Undo>,
    committed: bool,
}

enum Undo {
    RemoveFile(PathBuf),
    RemoveDir(PathBuf),
    Restore(PathBuf, Vec<u8>),
}

impl Staged {
    fn write(&mut self, op: &Op) -> Result<()> {
        match op {
            Op::Create { path, text, like } => {
                let dir = path.parent().ok_or_else(|| Error::usage("a file needs a folder"))?;
                // Create missing folders one by one, so each can be undone.
                let mut missing = Vec::new();
                let mut d = dir;
                while !d.exists() {
                    missing.push(d.to_owned());
                    match d.parent() {
                        Some(p) => d = p,
                        None => break,
                    }
                }
                for m in missing.into_iter().rev() {
                    fs::create_dir(&m).map_err(|e| Error::write(&m, e))?;
                    self.undo.push(Undo::RemoveDir(m));
                }
                let mut file = fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)
                    .map_err(|e| Error::write(path, e))?;
                self.undo.push(Undo::RemoveFile(path.clone()));
                file.write_all(text.as_bytes()).map_err(|e| Error::write(path, e))?;
                if let Some(like) = like {
                    let permissions = fs::metadata(like).map_err(|e| Error::io(like, e))?.permissions();
                    fs::set_permissions(path, permissions).map_err(|e| Error::write(path, e))?;
                }
            }
            Op::Replace { path, text } => {
                let before = fs::read(path).map_err(|e| Error::io(path, e))?;
                self.undo.push(Undo::Restore(path.clone(), before));
                fs::write(path, text).map_err(|e| Error::write(path, e))?;
            }
            Op::Remove { .. } => {}
        }
        Ok(())
    }

    /// The absolute paths of the files written, in order.
    pub fn written(&self) -> Vec<&Path> {
        self.tx
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Create { path, .. } | Op::Replace { path, .. } => Some(path.as_path()),
                Op::Remove { .. } => None,
            })
            .collect()
    }

    /// Commit the staged changes as one commit with `message`. A failure
    /// before the commit exists undoes every write; after it, the work tree
    /// follows the commit instead.
    pub fn commit(mut self, message: &str) -> Result<Oid> {
        let repo = &self.tx.repo;
        // `check` found every path below the work tree (as the repository
        // spells it, links resolved) with no link on the way: each is its
        // own real path.
        let mut changes = Vec::with_capacity(self.tx.ops.len());
        for op in &self.tx.ops {
            match op {
                Op::Create { path, text, .. } | Op::Replace { path, text } => {
                    changes.push(Change::Write { path: repo.relative(path)?, content: text.as_bytes() });
                }
                Op::Remove { path } => changes.push(Change::Remove { path: repo.relative(path)? }),
            }
        }
        let result = repo.commit_changes(&changes, message);
        if matches!(result, Ok(_) | Err(Error::AfterCommit(_))) {
            self.committed = true;
            // The commit holds the removal; now the work tree follows.
            for op in &self.tx.ops {
                if let Op::Remove { path } = op
                    && let Err(e) = fs::remove_file(path)
                {
                    eprintln!("warning: committed, but could not remove {}: {e}", path.display());
                }
            }
        }
        result
    }

    /// Keep the writes without committing them (`new --no-commit`).
    pub fn keep(mut self) {
        self.committed = true;
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        for undo in self.undo.drain(..).rev() {
            let _ = match undo {
                Undo::RemoveFile(p) => fs::remove_file(p),
                Undo::RemoveDir(p) => fs::remove_dir(p),
                Undo::Restore(p, bytes) => fs::write(p, bytes),
            };
        }
    }
}

/// `path` lies inside `workdir`, spelled plainly (no `.` or `..`), and no
/// folder between them is a symbolic link: a write can never land outside
/// the repository, and the path is its own real path.
fn inside_without_links(workdir: &Path, path: &Path) -> Result<()> {
    let rel = path
        .strip_prefix(workdir)
        .map_err(|_| Error::usage(format!("{} is outside the repository's work tree", path.display())))?;
    // Checked on the text: `components` skips a `.` or a doubled separator
    // inside a path, which would reach Git as they are.
    let plain = rel.to_string_lossy().split(['/', '\\']).all(|part| !matches!(part, "" | "." | ".."));
    if !plain {
        return Err(Error::usage(format!("{} is not a plain path inside the repository", path.display())));
    }
    let mut at = workdir.to_owned();
    for part in rel.components() {
        at.push(part);
        if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::usage_hint(
                format!("{} is a symbolic link; refusing to write through it", at.display()),
                "phase folders and tiltak files must be real folders and files inside the repository; nothing was changed",
            ));
        }
    }
    Ok(())
}

/// Refuse to commit a tiltak before the portfolio's definition is in HEAD.
fn ensure_definition_committed(repo: &Repo, root: &Path) -> Result<()> {
    let file = crate::store::portfolio::in_repo(repo, root, process::FILE_NAME)?;
    let committed = match repo.head_commit() {
        Some(head) => repo.file_at(head, &file)?.is_some(),
        None => false,
    };
    if committed {
        return Ok(());
    }
    Err(Error::usage_hint(
        format!("{file} is not committed yet, so this commit would start a history without the portfolio's process"),
        format!("commit it first: git add {file} && git commit -m \"Start the portfolio\"; nothing was changed"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path that steps out and back in is refused before anything is
    /// written: every path committed is its own real path.
    #[test]
    fn a_path_with_dots_is_refused_unwritten() {
        let dir = tempfile::tempdir().expect("temp dir");
        git2::Repository::init(dir.path()).expect("git init");
        let root = dir.path().canonicalize().expect("real path");
        for rel in ["tiltak/../DD-001-x.md", "tiltak/./DD-001-x.md", "tiltak//DD-001-x.md"] {
            let mut tx = Transaction::begin_uncommitted(&root).expect("begin");
            tx.create(Path::new(rel), "x\n".to_owned(), None);
            let refused = tx.stage().err().map(|e| e.to_string()).unwrap_or_default();
            assert!(refused.contains("not a plain path"), "{rel}: {refused}");
            assert!(!root.join("DD-001-x.md").exists() && !root.join("tiltak").exists(), "{rel}");
        }
    }
}
