//! The command line, defined once: help text, completions and parsing all
//! come from these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::process::Template;
use crate::term::ColorChoice;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the portfolio breaks a rule (check failed, gate not met)
  2  usage error, unreadable repository or other fault";

/// Run a public-sector project portfolio as plain text in Git.
///
/// Each tiltak (initiative) is a Markdown file with YAML front matter; the
/// folder it lies in is its phase. `portfolio.yaml` defines the phases, their
/// exit criteria and what each tiltak must report.
#[derive(Debug, Parser)]
#[command(name = "portfolio", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// Run as if started in DIR.
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,

    /// When to use colour (honours NO_COLOR).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print no talk on stderr, only data and errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(InitArgs),
    New(NewArgs),
    List(ListArgs),
    Show(ShowArgs),
    Advance(AdvanceArgs),
    Hold(StateArgs),
    Stop(StateArgs),
    Resume(StateArgs),
    Check(CheckArgs),
    Report(ReportArgs),
    Board(BoardArgs),
    Schema(SchemaArgs),
    Completions(CompletionsArgs),
}

/// Create a portfolio: portfolio.yaml and one folder per phase.
///
/// Runs `git init` first when the folder is not inside a Git repository.
/// Refuses to overwrite an existing portfolio.yaml. Commits nothing.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The process to start from.
    #[arg(long, value_enum, default_value = "digdir")]
    pub template: Template,
    /// The portfolio's name (default: the template's).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

/// Propose a new tiltak in the first phase, as one commit.
///
/// Takes the next ID that is free on every local and remote-tracking branch,
/// writes the file with the first phase's criteria checklist, and commits
/// only that file (`new DD-015: <title>`). Prints the new file's path.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The tiltak's title.
    pub title: String,
    /// The person responsible (ansvarlig).
    #[arg(long)]
    pub owner: Option<String>,
    /// The owning agency (tiltakseier).
    #[arg(long)]
    pub organization: Option<String>,
    /// Segment, from portfolio.yaml.
    #[arg(long)]
    pub segment: Option<String>,
    /// Product group, from portfolio.yaml.
    #[arg(long)]
    pub group: Option<String>,
    /// MoSCoW priority: must, should, could or wont.
    #[arg(long)]
    pub priority: Option<String>,
    /// Write the file but do not commit it.
    #[arg(long)]
    pub no_commit: bool,
    /// Open the new file in $VISUAL or $EDITOR before committing.
    #[arg(long)]
    pub edit: bool,
}

/// Output format of data commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Table,
    Json,
    Csv,
}

/// One row per tiltak, filtered.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this phase (id, name or folder).
    #[arg(long)]
    pub phase: Option<String>,
    /// Only this segment.
    #[arg(long)]
    pub segment: Option<String>,
    /// Only this status level: green, yellow or red (aliases allowed).
    #[arg(long)]
    pub status: Option<String>,
    /// Only owners whose name contains this text.
    #[arg(long)]
    pub owner: Option<String>,
    /// Only this product group.
    #[arg(long)]
    pub group: Option<String>,
    /// Only this state: active, on_hold or stopped.
    #[arg(long)]
    pub state: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: DataFormat,
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
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
}

/// What `report` and `board` show: as of when, which tiltak, which language.
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// As of a commit, branch or tag, or a date (YYYY-MM-DD: the last commit
    /// made on or before that day, on HEAD's first-parent line).
    #[arg(long, value_name = "REV|DATE")]
    pub at: Option<String>,
    /// Only this product group.
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
    /// Only this segment.
    #[arg(long, value_name = "SEGMENT")]
    pub segment: Option<String>,
    /// Language of labels (default: the portfolio's).
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<Lang>,
}

/// Output format of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Html,
    Json,
    Csv,
}

/// Language of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Norwegian bokmål.
    Nb,
    /// English.
    En,
}

/// Phases as columns, tiltak as cards: ID, short title, status.
///
/// Read like `report`: from HEAD (or `--at`), not from uncommitted files.
#[derive(Debug, Args)]
pub struct BoardArgs {
    #[command(flatten)]
    pub view: ViewArgs,
    #[arg(long, value_enum, default_value = "table")]
    pub format: BoardFormat,
}

/// Output format of `board`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BoardFormat {
    Table,
    Markdown,
}

/// Output format of `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

/// One tiltak: its fields, and the exit criteria of its phase with ✔/✘ and why.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The tiltak's ID (case-insensitive) or the path to its file.
    #[arg(value_name = "ID")]
    pub id: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ShowFormat,
}

/// Request a phase gate: move the tiltak to its next phase, as one commit.
///
/// Evaluates the current phase's exit criteria. When any is unmet, lists each
/// and why, exits 1 and changes nothing. When all are met, one commit renames
/// the file into the next phase's folder and appends that phase's unticked
/// checklist; it holds this tiltak and nothing else, with trailers Tiltak,
/// Phase-From, Phase-To, Decided-By and (when forced) Forced.
#[derive(Debug, Args)]
pub struct AdvanceArgs {
    /// The tiltak's ID (case-insensitive) or the path to its file.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Target phase (id, name or folder): a later one needs --force --reason,
    /// an earlier one --reason.
    #[arg(long, value_name = "PHASE")]
    pub to: Option<String>,
    /// Show what would happen; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Pass the gate although criteria are unmet or phases are skipped (needs --reason).
    #[arg(long)]
    pub force: bool,
    /// Why the gate is forced, or why the tiltak moves back.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Who decided (recorded as the Decided-By trailer).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

/// Put a tiltak on hold, stop it or resume it, as one commit.
///
/// Sets `state` (and `state_reason`) by editing only those lines of the front
/// matter; every other byte of the file is kept.
#[derive(Debug, Args)]
pub struct StateArgs {
    /// The tiltak's ID (case-insensitive) or the path to its file.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Why (recorded in the file and the commit).
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: String,
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Human-readable, like rustc.
    Text,
    /// One JSON array of diagnostics.
    Json,
    /// GitHub Actions annotations.
    Github,
}

/// Validate portfolio.yaml and every tiltak (or the given files).
///
/// Reports every problem in one run, each with file, line, column, a stable
/// code and a hint. Exits 1 on any error; warnings alone exit 0 unless
/// --strict.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only report on these files (the whole portfolio is still read, for
    /// duplicate IDs and dependencies).
    pub paths: Vec<PathBuf>,
    /// Also check every phase move since REV (e.g. `origin/main` in a pull
    /// request): gates must be met, skips and moves back need a reason, and
    /// no tiltak may be deleted.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
}

/// Which schema to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// Tiltak front matter, with this portfolio's allowed values.
    Tiltak,
    /// portfolio.yaml itself.
    Portfolio,
    /// The JSON output of `check --format json`.
    Diagnostics,
    /// The JSON report (`report --format json`).
    Report,
}

/// Print a JSON Schema, for editors and other tools.
///
/// By default the schema of this portfolio's tiltak front matter, with the
/// segments, product groups, goals and SDGs of its portfolio.yaml as enums.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[arg(value_enum, default_value = "tiltak")]
    pub kind: SchemaKind,
}

/// Print shell completions.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}
