//! Reading a national file (SPEC §12): each portfolio it names, at its `ref`
//! (or `--at` in all of them), with its own definition. A portfolio that
//! cannot be read is a failure beside the others, never the end of the run.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};
use crate::domain::national::{self, Entry, National};
use crate::domain::process;
use crate::error::{Error, Result};
use crate::rules::Context;
use crate::store::portfolio::Reading;
use crate::store::view::View;

/// A national file, read.
pub struct Loaded {
    /// The national file.
    pub file: PathBuf,
    pub national: National,
    /// One per entry, in the file's order.
    pub members: Vec<Member>,
}

/// One portfolio of the national file.
pub struct Member {
    pub entry: Entry,
    /// Its folder as the national file names it, for paths in messages.
    pub dir: PathBuf,
    /// The portfolio, or why it cannot be read: a finding on its entry in
    /// the national file.
    pub view: std::result::Result<View, Diagnostic>,
}

impl Member {
    /// The name the report gives it: the entry's, else its definition's, else its path.
    pub fn name(&self) -> String {
        match (&self.entry.name, &self.view) {
            (Some(n), _) => n.clone(),
            (None, Ok(v)) => v.portfolio.def.name.clone(),
            (None, Err(_)) => self.entry.path.clone(),
        }
    }
}

/// The national file a command runs on: `--national FILE`, else a
/// `national.yaml` met walking up from `cwd` before any `portfolio.yaml`.
/// `None`: the command runs on one portfolio.
pub fn find(cwd: &Path, explicit: Option<&Path>) -> Result<Option<PathBuf>> {
    if let Some(file) = explicit {
        let file = cwd.join(file);
        if !file.is_file() {
            return Err(Error::usage(format!("--national {}: no such file", file.display())));
        }
        return Ok(Some(file));
    }
    let start = cwd.canonicalize().map_err(|e| Error::io(cwd, e))?;
    let mut dir = start.as_path();
    loop {
        if dir.join(process::FILE_NAME).is_file() {
            return Ok(None);
        }
        let file = dir.join(national::FILE_NAME);
        if file.is_file() {
            return Ok(Some(file));
        }
        match dir.parent() {
            Some(parent) => dir = parent,
            None => return Ok(None),
        }
    }
}

/// Read and check the national file itself.
pub fn parse(file: &Path) -> Result<National> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
    let shown = Path::new(file.file_name().unwrap_or(file.as_os_str()));
    National::parse(&text, shown).map_err(|diagnostics| Error::InvalidDefinition {
        root: file.parent().unwrap_or(Path::new(".")).to_owned(),
        diagnostics,
    })
}

/// Read every portfolio of the national file `file`, as of `at` when given
/// (a date in all of them), each at its `ref` otherwise.
pub fn load(file: &Path, ctx: &Context, at: Option<&str>, reading: Reading) -> Result<Loaded> {
    let national = parse(file)?;
    // One after the other: each portfolio's own reading already uses every core.
    let members = national.portfolios.iter().map(|entry| open_member(file, entry, ctx, at, reading)).collect();
    Ok(Loaded { file: file.to_owned(), national, members })
}

/// Read the portfolios of the national file `file` (parsed: `national`)
/// in its order, handing each to `each` as soon as it is read, as
/// [`open_member`] reads it; the next one is read meanwhile, on a thread
/// of its own. A command then pays for the parts of its work on one
/// portfolio that use one core (its history, its report, the serial steps
/// of reading) while the next is read, where ten single runs wait for each
/// other. At most two portfolios are in memory: the one handed over and the
/// one being read. With one thread (`PORTFOLIO_THREADS=1`) they are read in
/// turn.
pub fn each_member(
    file: &Path,
    national: &National,
    ctx: &Context,
    at: Option<&str>,
    reading: Reading,
    mut each: impl FnMut(Member),
) {
    let read = |entry: &Entry| open_member(file, entry, ctx, at, reading);
    if crate::util::parallel::threads() <= 1 || national.portfolios.len() < 2 {
        national.portfolios.iter().map(read).for_each(each);
        return;
    }
    std::thread::scope(|scope| {
        // No buffer: the next portfolio waits, read, until this one is handed over.
        let (next, members) = std::sync::mpsc::sync_channel(0);
        scope.spawn(move || {
            for entry in &national.portfolios {
                if next.send(read(entry)).is_err() {
                    return;
                }
            }
        });
        members.into_iter().for_each(&mut each);
    });
}

/// Read the portfolio of one entry of the national file `file`: for a
/// command that handles each portfolio in turn and keeps only what it needs
/// of it (one portfolio in memory at a time, not all of them).
pub fn open_member(file: &Path, entry: &Entry, ctx: &Context, at: Option<&str>, reading: Reading) -> Member {
    let base = file.parent().unwrap_or(Path::new("."));
    let shown_file = PathBuf::from(file.file_name().unwrap_or(file.as_os_str()));
    let dir = PathBuf::from(&entry.path);
    let view = open(&base.join(&dir), entry, ctx, at, reading).map_err(|why| {
        let mut d = Diagnostic::error(
            Code::PortfolioUnreadable,
            &shown_file,
            format!(
                "portfolio {} cannot be read: {}",
                entry.name.as_deref().unwrap_or(&entry.path),
                describe(&why, &dir)
            ),
        )
        .at(entry.at());
        if let Some(h) = hint(&why) {
            d = d.with_hint(h);
        }
        d
    });
    Member { entry: entry.clone(), dir, view }
}

fn open(dir: &Path, entry: &Entry, ctx: &Context, at: Option<&str>, reading: Reading) -> Result<View> {
    if !dir.is_dir() {
        return Err(Error::usage_hint(
            format!("{}: no such folder", entry.path),
            "`path` is the portfolio's folder (a local clone, or a folder in one), relative to national.yaml",
        ));
    }
    if !dir.join(process::FILE_NAME).is_file() {
        return Err(Error::usage_hint(
            format!("{}: no {} in that folder", entry.path, process::FILE_NAME),
            "`path` names the folder that holds the portfolio's portfolio.yaml",
        ));
    }
    View::open_on(dir, ctx, entry.reference.as_deref(), at, reading)
}

/// The hint of a failure, when it has one.
fn hint(err: &Error) -> Option<String> {
    err.hint()
}

/// A failure as one line: the message, and for an invalid definition its
/// first findings with their places.
pub fn describe(err: &Error, dir: &Path) -> String {
    match err {
        Error::InvalidDefinition { diagnostics, .. } => {
            let first: Vec<String> = diagnostics
                .iter()
                .take(3)
                .map(|d| match d.location {
                    Some(l) => format!(
                        "{}:{}:{}: {}",
                        crate::diag::display_path(&dir.join(&d.path)),
                        l.line,
                        l.column,
                        d.message
                    ),
                    None => format!("{}: {}", crate::diag::display_path(&dir.join(&d.path)), d.message),
                })
                .collect();
            format!("{err}: {}", first.join("; "))
        }
        _ => err.to_string(),
    }
}
