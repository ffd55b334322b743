//! `site`: the portfolio as a static website (SPEC §13).

use std::path::PathBuf;

use clap::Args;

use super::{Env, Exit};
use crate::domain::process::Language;
use crate::error::Result;
use crate::store::portfolio::Reading;
use crate::store::view::{Ahead, Need, View};

pub fn run(args: &SiteArgs, env: &Env) -> Result<Exit> {
    // The site of a national file (SPEC §13: a section per portfolio) is
    // not built yet: say so, rather than that no portfolio.yaml is here.
    if let Some(file) = crate::store::national::find(&env.cwd, env.national.as_deref())? {
        return Err(crate::error::Error::usage_hint(
            format!("{}: `site` builds the site of one portfolio, not yet of a national file", env.display(&file)),
            "build each portfolio's site with `portfolio -C <its folder> site --output …`; \
             `report --format html --output national.html` here gives the national report as one page",
        ));
    }
    // As of a commit, always: without --at the last one (HEAD), so the same
    // commit gives the same site whatever day it is built. A folder without
    // commits is read from disk.
    let root = crate::store::portfolio::find_root(&env.cwd)?;
    let has_commit = crate::git::Repo::discover(&root).ok().and_then(|r| r.head_commit()).is_some();
    let at = args.at.as_deref().or(has_commit.then_some("HEAD"));
    // The history (every page shows its part) is read while the tiltak are
    // parsed; each tiltak keeps the evaluation its page shows.
    let ahead = Ahead { history: Some(Need::Events), since: None };
    let mut view = View::open_ahead(&env.cwd, &env.ctx, at, Reading::Evaluated, ahead)?;
    let history = view.history();
    let mut notes: Vec<&String> = view.notes.iter().chain(history.iter().flat_map(|h| &h.notes)).collect();
    notes.sort();
    notes.dedup();
    for note in notes {
        env.say(&format!("note: {note}"));
    }
    let uncommitted = args.at.is_none() && view.uncommitted();
    if uncommitted {
        env.say("note: the site shows the last commit; changes not yet committed are not in it");
    }
    let clean = args.at.is_none() && !uncommitted;
    let language = args.lang.unwrap_or(view.portfolio.def.language);
    let dir = env.cwd.join(&args.output);
    let written = crate::render::site::write(&dir, view, clean, history.as_ref().map_err(String::as_str), language)?;
    let removed = match written.removed.len() {
        0 => String::new(),
        1 => "; removed 1 page no longer produced".to_owned(),
        n => format!("; removed {n} pages no longer produced"),
    };
    env.say(&format!("wrote {} pages to {}{removed}", written.pages, env.display(&dir)));
    Ok(Exit::Success)
}

/// The portfolio as a static website, for readers without Git.
///
/// The report (index.html), the board, the decision log, and one page per
/// tiltak, product group and segment, for councils, owners and the public.
///
/// Read from Git objects as of HEAD (or `--at`), never from uncommitted
/// files; the same commit gives byte-identical pages. Self-contained pages
/// (no scripts, nothing fetched, relative links only): open index.html from
/// the folder or publish it on any static host. Writes only its own files,
/// listed in DIR/.portfolio-site, and refuses a non-empty folder it did not
/// write.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The folder to write the site into (created if missing).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// As of a commit, branch or tag, or a date (YYYY-MM-DD: the last commit
    /// made on or before that day, on HEAD's first-parent line).
    #[arg(long, value_name = "REV|DATE")]
    pub at: Option<String>,
    /// Language of labels (default: the portfolio's).
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<Language>,
}
