//! The Git edge: every use of git2 lives here, and nothing here knows what a
//! tiltak or a portfolio is. It hands out names, trees, commits and trailers
//! as plain data: opening a repository ([`Repo`]), reading revisions, trees
//! and files ([`read`]), committing exactly the changes asked for
//! ([`commit`]), walking the history of one folder ([`walk`]), holding its
//! steps compactly until they are traced ([`steps`]) and caching that walk
//! between runs ([`cache`]).

use std::path::{Path, PathBuf};

use git2::{ErrorCode, Repository, Signature};

use crate::error::{Error, Result};

mod cache;
pub mod commit;
mod info;
mod pack;
pub mod read;
mod refs;
mod status;
mod steps;
mod walk;

pub use cache::Notes;
pub use commit::{Change, parse_git_date};
pub use info::{CommitInfo, HexOid, Step, TreeChange, Watch};
pub use read::{TreeItem, TreeItemKind};
pub use refs::BranchTip;
pub use status::{Pending, Stamp};
pub use steps::Steps;
pub(crate) use steps::{Reader, Writer};

/// A Git object id.
pub use git2::Oid;

/// A repository with a work tree.
pub struct Repo {
    pub repo: Repository,
    /// The work tree's top folder.
    pub workdir: PathBuf,
}

pub(crate) fn git_err(context: &str) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| Error::Git(format!("{context}: {}", e.message()))
}

/// Set libgit2's process-wide options once, before any repository is opened.
/// One of the crate's two `unsafe`s (the other is in `util::parallel`): libgit2's global settings are not
/// synchronised, so they are set once, before anything else uses libgit2.
#[allow(unsafe_code)]
fn configure() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Git does not re-hash every object it reads; libgit2 does by
        // default, which made reading a long history several times slower.
        // Objects written still get their hashes computed.
        git2::opts::strict_hash_verification(false);
        // A commit's tree is HEAD's tree plus blobs just written: checking
        // that each of its ten thousand entries exists would read them all.
        git2::opts::strict_object_creation(false);
        // The history walk keeps the few trees it compares itself; libgit2's
        // object cache would only fill with commits never read again.
        git2::opts::enable_caching(false);
        // Map pack files in small windows, and not all of a large pack at
        // once: memory stays bounded however long the history is. Mapped
        // pages count as the process's own once read: libgit2 reads only
        // commits and blobs here (the walk reads trees itself), one window
        // after another, so a few windows serve as well as many.
        // SAFETY: called once, before any repository is opened or any thread
        // started by this program uses libgit2.
        unsafe {
            let _ = git2::opts::set_mwindow_size(1 << 20);
            let _ = git2::opts::set_mwindow_mapped_limit(4 << 20);
        }
    });
}

impl Repo {
    /// The top of the work tree holding `path`, or `None` when `path` is in
    /// no repository. A Git folder or a bare repository is refused: nothing
    /// may be written there.
    pub fn find_work_tree(path: &Path) -> Result<Option<PathBuf>> {
        configure();
        match Repository::discover(path) {
            Err(_) => Ok(None),
            Ok(repo) => match repo.workdir() {
                Some(w) if !path.starts_with(repo.path()) => Ok(Some(w.to_owned())),
                _ => Err(Error::usage_hint(
                    format!("{} is inside a Git folder or a bare repository", path.display()),
                    "run portfolio in a checkout with a work tree; nothing was changed",
                )),
            },
        }
    }

    /// `git init` in `dir`.
    pub fn init(dir: &Path) -> Result<()> {
        configure();
        Repository::init(dir).map(|_| ()).map_err(|e| Error::Git(format!("git init failed: {}", e.message())))
    }

    /// Open the repository holding `path`.
    pub fn discover(path: &Path) -> Result<Repo> {
        configure();
        let repo = Repository::discover(path).map_err(|e| {
            if e.code() == ErrorCode::NotFound {
                Error::usage_hint(
                    format!("{} is not inside a Git repository", path.display()),
                    "a portfolio lives in Git: run `git init` there (or `portfolio init`, which does it)",
                )
            } else {
                Error::Git(format!("cannot open the Git repository at {}: {}", path.display(), e.message()))
            }
        })?;
        let workdir = repo
            .workdir()
            .ok_or_else(|| Error::usage("the repository is bare; run portfolio in a checkout with a work tree"))?
            .canonicalize()
            .map_err(|e| Error::io(path, e))?;
        Ok(Repo { repo, workdir })
    }

    /// `path` (absolute) relative to the work tree, with `/` separators.
    pub fn relative(&self, path: &Path) -> Result<String> {
        let rel = path
            .strip_prefix(&self.workdir)
            .map_err(|_| Error::usage(format!("{} is outside the repository's work tree", path.display())))?;
        Ok(rel.to_string_lossy().replace('\\', "/"))
    }

    /// Author and committer: the user's Git identity, with `GIT_AUTHOR_*` and
    /// `GIT_COMMITTER_*` from the environment taking precedence, as in git.
    pub fn signatures(&self) -> Result<(Signature<'static>, Signature<'static>)> {
        let config = self.repo.config().map_err(git_err("cannot read the Git configuration"))?;
        let name = config.get_string("user.name").ok();
        let email = config.get_string("user.email").ok();
        let make = |kind: &str| -> Result<Signature<'static>> {
            let n = std::env::var(format!("GIT_{kind}_NAME")).ok().or_else(|| name.clone());
            let e = std::env::var(format!("GIT_{kind}_EMAIL")).ok().or_else(|| email.clone());
            let (Some(n), Some(e)) = (n, e) else {
                return Err(Error::usage_hint(
                    "Git does not know who you are",
                    "run `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.org`",
                ));
            };
            let sig = match std::env::var(format!("GIT_{kind}_DATE")).ok().and_then(|d| parse_git_date(&d)) {
                Some(time) => Signature::new(&n, &e, &time),
                None => Signature::now(&n, &e),
            };
            sig.map_err(git_err("invalid Git identity"))
        };
        Ok((make("AUTHOR")?, make("COMMITTER")?))
    }

    /// The current branch's name, or `None` when HEAD is detached.
    pub fn branch_name(&self) -> Option<String> {
        let head = self.repo.head().ok()?;
        if head.is_branch() { head.shorthand().map(str::to_owned) } else { None }
    }
}

/// Where a repository is: what a thread needs to open its own handle.
#[derive(Debug, Clone)]
pub struct Place {
    git_dir: PathBuf,
    workdir: PathBuf,
}

impl Place {
    pub fn open(&self) -> Result<Repo> {
        let repo = Repository::open(&self.git_dir).map_err(git_err("cannot open the repository"))?;
        Ok(Repo { repo, workdir: self.workdir.clone() })
    }
}
