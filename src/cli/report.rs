use std::collections::HashSet;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::view::ViewArgs;
use super::{Env, Exit};
use crate::domain::round::{Round, TAG_PREFIX};
use crate::error::Result;
use crate::git::{CommitInfo, Oid, Repo};
use crate::render::html::Out;
use crate::report::layout::{Block, Sink};
use crate::report::{self, HistoryInput, Input, Snapshot, i18n::Labels};
use crate::store::view::{Ahead, Need, View};
use crate::store::{portfolio, rounds};

pub fn run(args: &ReportArgs, env: &Env) -> Result<Exit> {
    if let Some(file) = crate::store::national::find(&env.cwd, env.national.as_deref())? {
        return super::national::report(args, env, &file);
    }
    // The round tags, read once: for `--round` and for the report's rounds.
    let root = portfolio::find_root(&env.cwd)?;
    let closed = rounds::closed(Repo::discover(&root).ok().as_ref())?;
    // `--round ID`: `--at round/<ID> --since round/<the closed round before>`.
    let (at, round_since) = match &args.round {
        None => (args.view.at.clone(), None),
        Some(id) => {
            let def = portfolio::load_definition(&root)?;
            let (round, previous) = rounds::for_report(&def, &closed, id)?;
            (Some(round.tag()), previous.map(Round::tag))
        }
    };
    // The previous round: `--since`, `--round`'s, else the latest closed round.
    let since = match (&args.since, round_since, args.round.is_some()) {
        (Some(since), _, _) => Since::Named(since.clone()),
        (None, since, true) => since.map_or(Since::None, Since::Named),
        (None, _, false) => Since::LatestRound,
    };
    // With no previous round to read between the tiltak and the history,
    // the history's stays (all such a report reads of it) are read while
    // the tiltak are parsed. A previous round named by its day is walked
    // back to meanwhile.
    let ahead = match &since {
        Since::None => Ahead { history: Some(Need::Stays), since: None },
        Since::Named(s) => Ahead { history: None, since: crate::domain::model::parse_date(s) },
        Since::LatestRound => Ahead { history: closed.is_empty().then_some(Need::Stays), since: None },
    };
    let mut view = View::open_ahead(&env.cwd, &env.ctx, at.as_deref(), portfolio::Reading::Checked, ahead)?;
    let filters = view.filters(args.view.group.as_deref(), args.view.segment.as_deref())?;
    let language = args.view.language(&view.portfolio.def);
    let built = build_one(&mut view, &closed, since, at.is_none(), filters, language, env)?;
    // The report holds what it shows. The process ends with the command:
    // the view (before rendering) and the report (after) are left to its
    // end, not freed string by string on a core the rendering could use.
    view.end();
    let rendered = render(args, env, &built, language);
    std::mem::forget(built);
    rendered
}

/// What a report compares with.
pub(super) enum Since {
    /// Nothing.
    None,
    /// `--since` (or `--round`'s previous round): a failure to read it fails.
    Named(String),
    /// The latest closed round before the report's commit, when there is one.
    LatestRound,
}

/// The report of one portfolio as of `view`'s commit, compared with `since`.
pub(super) fn build_one(
    view: &mut View,
    closed: &std::collections::HashMap<String, Oid>,
    since: Since,
    of_head: bool,
    filters: report::Filters,
    language: crate::domain::process::Language,
    env: &Env,
) -> Result<report::Report> {
    // Reporting rounds as of the report's commit: the one it is the tag
    // of, the latest closed before it (compared with when `--since` is not
    // given), and the one open on its date.
    let rounds::AsOf { tagged, latest, open } = rounds::as_of(view, closed);

    let mut in_range: HashSet<Oid> = HashSet::new();
    let (mut since, by_default) = match since {
        Since::None => (None, false),
        Since::Named(s) => (Some(s), false),
        Since::LatestRound => (latest, true),
    };
    // The previous round is read first (named by its day, while the tiltak
    // were parsed) and kept only as it is compared: its tiltak and the
    // caches Git filled reading them go before the history is read, so
    // that the two reads' peaks do not add up.
    let previous = match &since {
        None => None,
        Some(s) => match view.previous(s, &mut in_range) {
            Ok((commit, portfolio)) => {
                let tiltak = portfolio.as_ref().map_or(&[][..], |p| &p.tiltak[..]);
                Some((commit, report::Previous::of(&view.portfolio.def, &filters, tiltak)))
            }
            // A report that names no round never fails for the one it would compare with.
            Err(e) if by_default => {
                env.say(&format!("note: not compared with {s}: {e}"));
                in_range.clear();
                since = None;
                None
            }
            Err(e) => return Err(e),
        },
    };
    if previous.is_some() {
        view.release_caches()?;
    }
    // History: the changes since a previous round read its events after
    // it, and the stays up to the report's commit (the trace up to the
    // round kept between runs); without one, the stays are all the report
    // shows (kept between runs).
    let (events, history) = match previous {
        Some(_) => match view.since(&in_range) {
            Ok(since) => (since.events, Ok(since.summary)),
            Err(why) => (Vec::new(), Err(why)),
        },
        None => (Vec::new(), view.summary()),
    };
    let previous_round = since
        .as_deref()
        .and_then(|s| s.strip_prefix(TAG_PREFIX))
        .filter(|id| closed.contains_key(*id) && view.portfolio.def.rounds.iter().any(|r| r.id == *id))
        .map(str::to_owned);
    // One line per older definition read with today's, however many reads met it.
    let mut notes: Vec<&String> = view.notes.iter().chain(history.iter().flat_map(|h| &h.notes)).collect();
    notes.sort();
    notes.dedup();
    for note in notes {
        env.say(&format!("note: {note}"));
    }
    view.close_repository();
    let (previous_commit, previous) = match previous {
        Some((commit, previous)) => (Some(commit), Some(previous)),
        None => (None, None),
    };
    let in_range_fn = |c: &CommitInfo| in_range.contains(&c.id);
    let history_input = match &history {
        Ok(h) => Ok(HistoryInput { events: &events, stays: &h.stays, in_range: &in_range_fn }),
        Err(why) => Err(why.clone()),
    };
    let input = Input {
        now: Snapshot {
            def: &view.portfolio.def,
            tiltak: &view.portfolio.tiltak,
            diagnostics: &view.portfolio.diagnostics,
        },
        date: view.date,
        commit: view.commit.as_ref(),
        uncommitted: of_head && view.uncommitted(),
        language,
        filters,
        previous: match (&since, &previous_commit) {
            (Some(requested), Some(commit)) => Some((requested.clone(), commit.as_ref())),
            _ => None,
        },
        previous_round: previous_round.as_deref(),
        round: tagged.as_deref(),
        open_round: open.as_ref(),
        history: history_input,
    };
    crate::util::parallel::release_free_memory();
    Ok(report::build(&input, previous))
}

fn render(
    args: &ReportArgs,
    env: &Env,
    built: &report::Report,
    language: crate::domain::process::Language,
) -> Result<Exit> {
    let labels = Labels::for_language(language);
    write_with(args, env, labels, built, built, |format, color, out| match format {
        ReportFormat::Table => {
            each_block(out, built, labels, |block| crate::render::terminal_report::blocks(block, labels, color));
        }
        ReportFormat::Markdown => {
            each_block(out, built, labels, |block| crate::render::markdown::blocks(block, labels))
        }
        _ => crate::render::html::render_to(out, built, labels, &crate::render::html::Extras::default()),
    })
}

/// The report laid out a block at a time, each block rendered by `text` and
/// written to `out` as it comes, then let go: the text formats render a
/// block alone as they do in the whole document (nothing carries over).
fn each_block(out: &mut Out<'_>, built: &report::Report, l: &Labels, text: impl Fn(&[Block]) -> String) {
    struct Each<'a, 'o, F> {
        out: &'a mut Out<'o>,
        text: F,
    }
    impl<F: Fn(&[Block]) -> String> Sink for Each<'_, '_, F> {
        fn push(&mut self, block: Block) {
            let _ = self.out.write_str(&(self.text)(std::slice::from_ref(&block)));
        }
    }
    report::layout::layout_into(built, l, &mut Each { out, text });
}

/// Write a report in the format `args` asks for, to stdout or `--output`:
/// JSON from `json` (streamed to stdout), CSV (with `labels`) and xlsx from the tiltak of
/// `tiltak`, and the table, Markdown and HTML from `text` (given the format
/// and whether to colour). The single and the national report both end here.
pub(super) fn write(
    args: &ReportArgs,
    env: &Env,
    labels: &Labels,
    json: &impl serde::Serialize,
    tiltak: &report::Report,
    text: impl FnOnce(ReportFormat, bool) -> String,
) -> Result<Exit> {
    write_with(args, env, labels, json, tiltak, |format, color, out| {
        let _ = out.write_str(&text(format, color));
    })
}

/// [`write`], with the table, Markdown and HTML written by `text` into the
/// output as they are rendered, never whole in memory.
fn write_with(
    args: &ReportArgs,
    env: &Env,
    labels: &Labels,
    json: &impl serde::Serialize,
    tiltak: &report::Report,
    text: impl FnOnce(ReportFormat, bool, &mut Out<'_>),
) -> Result<Exit> {
    let output = args.output.as_deref();
    match format(args) {
        ReportFormat::Json if output.is_none() => super::out_json(json)?,
        ReportFormat::Json => {
            let text = format!("{}\n", serde_json::to_string_pretty(json).unwrap_or_default());
            super::out_or_file(env, output, &text)?;
        }
        ReportFormat::Csv => super::out_or_file(env, output, &crate::render::csv::render(tiltak, labels))?,
        ReportFormat::Xlsx => {
            return super::write_workbook(output, || crate::render::xlsx::report(tiltak), env);
        }
        other => super::out_or_file_with(env, output, |out| text(other, env.out_style.color && output.is_none(), out))?,
    }
    Ok(Exit::Success)
}

/// The national status summary: key figures, status and risk, every
/// tiltak, what needs attention, changes, goals, milestones, flow and data
/// quality.
///
/// Read from Git objects (HEAD, or `--at`), never from uncommitted files;
/// a folder without commits is read as it is on disk.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub view: ViewArgs,
    /// The previous reporting round to compare with: a commit, branch or tag,
    /// or a date (YYYY-MM-DD: the state at the start of that day). Default:
    /// the latest closed round (tag round/<ID>) before the report's commit.
    #[arg(long, value_name = "REV|DATE")]
    pub since: Option<String>,
    /// A closed reporting round's report: --at round/<ID> --since the closed
    /// round before it (the first round compares with nothing).
    #[arg(long, value_name = "ID", conflicts_with_all = ["at", "since"])]
    pub round: Option<String>,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// [default: table, or what the extension of --output says]
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
}

/// The format asked for: `--format`, else what `--output`'s extension says, else a table.
pub(super) fn format(args: &ReportArgs) -> ReportFormat {
    args.format.or_else(|| args.output.as_deref().and_then(format_of_file)).unwrap_or(ReportFormat::Table)
}

/// The format an output file's extension names (`r.html` → HTML), so that
/// `-o r.html` without `--format` does not write a terminal table.
fn format_of_file(path: &std::path::Path) -> Option<ReportFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "html" | "htm" => ReportFormat::Html,
        "md" | "markdown" => ReportFormat::Markdown,
        "json" => ReportFormat::Json,
        "csv" => ReportFormat::Csv,
        "txt" => ReportFormat::Table,
        "xlsx" => ReportFormat::Xlsx,
        _ => return None,
    })
}

/// Output format of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Html,
    Json,
    Csv,
    Xlsx,
}
