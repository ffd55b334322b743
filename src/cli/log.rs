use clap::{Args, ValueEnum};

use super::{Env, Exit};
use crate::domain::process::Language;
use crate::error::{Error, Result};
use crate::report::i18n::Labels;
use crate::report::log::{self, DecisionLog};
use crate::report::words::Words;
use crate::store::portfolio::Reading;
use crate::store::span::{self, Span};
use crate::store::view::{Ahead, Need, View};

pub fn run(args: &LogArgs, env: &Env) -> Result<Exit> {
    // The log names each tiltak by its title now: the front matter is enough.
    let ahead = Ahead { history: Some(Need::Events), since: None };
    let mut view = View::open_ahead(&env.cwd, &env.ctx, None, Reading::FrontMatter, ahead)?;
    let history = view.history().map_err(|why| {
        Error::usage_hint(
            format!("the decision log is read from Git history, and there is none here: {why}"),
            "commit the portfolio first; in CI, fetch the whole history (`fetch-depth: 0`)",
        )
    })?;
    for note in view.notes.iter().chain(&history.notes) {
        env.say(&format!("note: {note}"));
    }
    let mut span = Span::default();
    if let (Some(repo), Some(head)) = (&view.repo, &view.commit) {
        if let Some(s) = &args.since {
            span.since = Some(span::bound(repo, head.id, s)?);
        }
        if let Some(u) = &args.until {
            span.until = Some(span::bound(repo, head.id, u)?);
        }
    }
    let p = &view.portfolio;
    let id = args.id.as_deref().map(str::to_ascii_uppercase);
    let keep = |e: &crate::domain::history::Event| {
        span.holds(&e.commit) && id.as_ref().is_none_or(|id| e.id.eq_ignore_ascii_case(id))
    };
    let built = DecisionLog {
        version: 1,
        portfolio: p.def.name.clone(),
        since: args.since.clone(),
        until: args.until.clone(),
        id: args.id.clone(),
        entries: log::entries(&p.def, &history.events, &p.tiltak, &keep),
    };
    let language = args.lang.unwrap_or(p.def.language);
    let (w, l) = (Words::for_language(language), Labels::for_language(language));
    let text = match args.format {
        LogFormat::Table => crate::render::terminal_report::blocks(&log::layout(&built, w, l), l, env.out_style.color),
        LogFormat::Markdown => crate::render::markdown::blocks(&log::layout(&built, w, l), l),
        LogFormat::Json => format!("{}\n", serde_json::to_string_pretty(&built).unwrap_or_default()),
        LogFormat::Csv => {
            let (headers, rows) = log::csv_rows(&built);
            crate::render::csv(&headers, &[], &rows)
        }
    };
    super::out(&text)?;
    Ok(Exit::Success)
}

/// The decision log: every gate (forward, forced skip, move back, hand-made
/// move), hold, stop, resume and new tiltak, with date, commit, who decided
/// (`Decided-By`, else the committer) and why; newest first.
///
/// Read from the history of HEAD's first-parent line: a change made on a
/// branch counts from its merge.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// From this day (YYYY-MM-DD, included), or the commits after a revision.
    #[arg(long, value_name = "DATE|REV")]
    pub since: Option<String>,
    /// To this day (YYYY-MM-DD, included), or up to a revision.
    #[arg(long, value_name = "DATE|REV")]
    pub until: Option<String>,
    /// Only this tiltak.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// Language of labels (default: the portfolio's).
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<Language>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: LogFormat,
}

/// Output format of `log`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Table,
    Markdown,
    Json,
    Csv,
}
