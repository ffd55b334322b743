use std::collections::HashSet;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::view::ViewArgs;
use super::{Env, Exit};
use crate::error::{Error, Result};
use crate::git::{CommitInfo, Oid};
use crate::report::{self, HistoryInput, Input, Snapshot, i18n::Labels};

pub fn run(args: &ReportArgs, env: &Env) -> Result<Exit> {
    let (mut view, filters) = args.view.open(env)?;
    let language = args.view.language(&view.portfolio.def);

    // History: one pass from the first commit to the report's commit.
    let history = view.history();

    // The previous round.
    let mut in_range: HashSet<Oid> = HashSet::new();
    let previous = match &args.since {
        None => None,
        Some(since) => Some(view.previous(since, &mut in_range)?),
    };
    // One line per older definition read with today's, however many reads met it.
    let mut notes: Vec<&String> = view.notes.iter().chain(history.iter().flat_map(|h| &h.notes)).collect();
    notes.sort();
    notes.dedup();
    for note in notes {
        env.say(&format!("note: {note}"));
    }
    let previous_tiltak = previous.as_ref().map(|(_, p)| p.as_ref().map_or(&[][..], |p| &p.tiltak[..]));
    let in_range_fn = |c: &CommitInfo| in_range.contains(&c.id);
    let history_input = match &history {
        Ok(h) => Ok(HistoryInput { events: &h.events, in_range: &in_range_fn }),
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
        uncommitted: args.view.at.is_none() && view.uncommitted(),
        language,
        filters,
        previous: match (&args.since, &previous, previous_tiltak) {
            (Some(requested), Some((commit, _)), Some(tiltak)) => Some((requested.clone(), commit.as_ref(), tiltak)),
            _ => None,
        },
        history: history_input,
    };
    let built = report::build(&input);
    let labels = Labels::for_language(language);
    let to_file = args.output.is_some();
    let text =
        match args.format.or_else(|| args.output.as_deref().and_then(format_of_file)).unwrap_or(ReportFormat::Table) {
            ReportFormat::Table => {
                crate::render::terminal_report::render(&built, labels, env.out_style.color && !to_file)
            }
            ReportFormat::Markdown => crate::render::markdown::render(&built, labels),
            ReportFormat::Html => crate::render::html::render(&built, labels),
            ReportFormat::Json => format!("{}\n", serde_json::to_string_pretty(&built).unwrap_or_default()),
            ReportFormat::Csv => crate::render::csv::render(&built, labels),
            ReportFormat::Xlsx => {
                return super::write_workbook(args.output.as_deref(), || crate::render::xlsx::report(&built), env);
            }
        };
    match &args.output {
        Some(path) => {
            let path = env.cwd.join(path);
            crate::util::atomic::write(&path, text.as_bytes()).map_err(|e| Error::write(&path, e))?;
            env.say(&format!("wrote {}", env.display(&path)));
        }
        None => super::out(&text)?,
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
    /// or a date (YYYY-MM-DD: the state at the start of that day).
    #[arg(long, value_name = "REV|DATE")]
    pub since: Option<String>,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// [default: table, or what the extension of --output says]
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
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
