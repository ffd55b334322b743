//! The command line: clap's definition (help, completions and parsing all
//! come from these types), one file per command holding its own `Args` and
//! `run`, and the environment they share. This is the only layer that prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::error::{Error, Result};
use crate::render::style::{ColorChoice, Style};
use crate::rules::Context;
use crate::store::portfolio::{self, Portfolio};

mod advance;
mod agenda;
mod board;
mod check;
mod completions;
mod import;
mod init;
mod list;
mod log;
mod national;
mod new;
mod output;
mod report;
mod round;
mod schema;
mod show;
mod site;
mod state;
mod view;

pub use advance::AdvanceArgs;
pub use agenda::AgendaArgs;
pub use board::BoardArgs;
pub use check::CheckArgs;
pub use completions::CompletionsArgs;
pub use import::ImportArgs;
pub use init::InitArgs;
pub use list::ListArgs;
pub use log::LogArgs;
pub use new::NewArgs;
pub use report::ReportArgs;
pub use round::RoundArgs;
pub use schema::SchemaArgs;
pub use show::ShowArgs;
pub use site::SiteArgs;
pub use state::StateArgs;

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

    /// Run on this national file (several portfolios; default: a
    /// national.yaml found walking up, before any portfolio.yaml).
    #[arg(long, value_name = "FILE", global = true)]
    pub national: Option<PathBuf>,

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
    Round(RoundArgs),
    Log(LogArgs),
    Agenda(AgendaArgs),
    Board(BoardArgs),
    Site(SiteArgs),
    Import(ImportArgs),
    Schema(SchemaArgs),
    Completions(CompletionsArgs),
}

/// How a command ended, when it did not fail outright (failures exit 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Exit 0.
    Success,
    /// Exit 1: the portfolio breaks a rule.
    RuleBroken,
}

impl Exit {
    pub fn code(self) -> i32 {
        match self {
            Exit::Success => 0,
            Exit::RuleBroken => 1,
        }
    }
}

/// What every command gets from the global options.
pub struct Env {
    /// Where the command runs (`-C` applied).
    pub cwd: PathBuf,
    /// Styling for stdout and stderr.
    pub out_style: Style,
    pub err_style: Style,
    pub quiet: bool,
    pub ctx: Context,
    /// `--national FILE`.
    pub national: Option<PathBuf>,
    /// `cwd` with links resolved, once: paths in messages are shown from it.
    real_cwd: Option<PathBuf>,
}

impl Env {
    pub fn from_cli(cli: &Cli) -> Result<Env> {
        let base = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        let cwd = match &cli.dir {
            Some(dir) => base.join(dir),
            None => base,
        };
        if !cwd.is_dir() {
            return Err(Error::usage(format!("-C {}: no such folder", cwd.display())));
        }
        Ok(Env {
            real_cwd: cwd.canonicalize().ok(),
            cwd,
            out_style: Style::new(cli.color.for_stdout()),
            err_style: Style::new(cli.color.for_stderr()),
            quiet: cli.quiet,
            ctx: Context::from_env()?,
            national: cli.national.clone(),
        })
    }

    /// Talk to the user on stderr, unless `--quiet`.
    pub fn say(&self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }

    /// Find the root and load the whole portfolio.
    pub fn load(&self) -> Result<Portfolio> {
        let root = portfolio::find_root(&self.cwd)?;
        Portfolio::load(&root, &self.ctx)
    }

    /// Find the root and load what a command on one tiltak needs.
    pub fn load_for(&self, query: &str) -> Result<Portfolio> {
        let root = portfolio::find_root(&self.cwd)?;
        Portfolio::load_for(&root, &self.ctx, query, &self.cwd)
    }

    /// A path relative to the working directory, for messages.
    pub fn display(&self, path: &Path) -> String {
        let below = self.real_cwd.as_deref().and_then(|base| path.strip_prefix(base).ok());
        crate::diag::display_path(below.unwrap_or(path))
    }
}

/// Write data to stdout. A closed pipe surfaces as an I/O error the binary
/// treats as success.
pub fn out(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).map_err(|e| Error::write("<stdout>", e))
}

/// Write `value` as pretty JSON and a newline to stdout, as it is
/// serialised: a report of ten thousand tiltak is never held as one string.
pub fn out_json(value: &impl serde::Serialize) -> Result<()> {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut stdout, value)
        .map_err(std::io::Error::from)
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::write("<stdout>", e))
}

/// Write a workbook (`--format xlsx`) to `output`; a binary format never
/// goes to stdout, so without `--output` it is a usage error.
pub fn write_workbook(
    output: Option<&Path>,
    build: impl FnOnce() -> std::result::Result<Vec<u8>, rust_xlsxwriter::XlsxError>,
    env: &Env,
) -> Result<Exit> {
    let path = output.ok_or_else(|| {
        Error::usage_hint("--format xlsx writes a binary file, not text for a terminal", "add --output FILE.xlsx")
    })?;
    let bytes = build().map_err(|e| Error::usage(format!("cannot build the workbook: {e}")))?;
    let path = env.cwd.join(path);
    crate::util::atomic::write(&path, &bytes).map_err(|e| Error::write(&path, e))?;
    env.say(&format!("wrote {}", env.display(&path)));
    Ok(Exit::Success)
}

/// Write `text` to `--output` (atomically: a temporary file, then a
/// rename), or to stdout without it.
pub fn out_or_file(env: &Env, output: Option<&Path>, text: &str) -> Result<()> {
    out_or_file_with(env, output, |out| {
        let _ = out.write_str(text);
    })
}

/// [`out_or_file`] with what `fill` writes, as it writes it: a report page
/// of tens of megabytes is never whole in memory. A failure to write ends
/// it (the rest of what `fill` writes is dropped) and leaves `--output` as
/// it was.
pub fn out_or_file_with(env: &Env, output: Option<&Path>, fill: impl FnOnce(&mut dyn std::fmt::Write)) -> Result<()> {
    match output {
        Some(path) => {
            let path = env.cwd.join(path);
            crate::util::atomic::write_with(&path, |file| write_text_to(file, fill))
                .map_err(|e| Error::write(&path, e))?;
            env.say(&format!("wrote {}", env.display(&path)));
            Ok(())
        }
        None => write_text_to(&mut std::io::stdout().lock(), fill).map_err(|e| Error::write("<stdout>", e)),
    }
}

/// What `fill` writes sent to `out` in pieces, then flushed.
fn write_text_to(out: &mut dyn std::io::Write, fill: impl FnOnce(&mut dyn std::fmt::Write)) -> std::io::Result<()> {
    let mut text = crate::util::pieces::Pieces::new(out);
    fill(&mut text);
    let (out, written) = text.finish();
    written.and_then(|()| out.flush())
}

/// Run the command line.
pub fn run(cli: Cli) -> Result<Exit> {
    let env = Env::from_cli(&cli)?;
    match cli.command {
        Command::Init(args) => init::run(&args, &env),
        Command::New(args) => new::run(&args, &env),
        Command::List(args) => list::run(&args, &env),
        Command::Show(args) => show::run(&args, &env),
        Command::Advance(args) => advance::run(&args, &env),
        Command::Hold(args) => state::run(&args, crate::domain::model::State::OnHold, &env),
        Command::Stop(args) => state::run(&args, crate::domain::model::State::Stopped, &env),
        Command::Resume(args) => state::run(&args, crate::domain::model::State::Active, &env),
        Command::Check(args) => check::run(&args, &env),
        Command::Report(args) => report::run(&args, &env),
        Command::Round(args) => round::run(&args, &env),
        Command::Log(args) => log::run(&args, &env),
        Command::Agenda(args) => agenda::run(&args, &env),
        Command::Board(args) => board::run(&args, &env),
        Command::Site(args) => site::run(&args, &env),
        Command::Import(args) => import::run(&args, &env),
        Command::Schema(args) => schema::run(&args, &env),
        Command::Completions(args) => completions::run(&args),
    }
}

/// Print a failure: `error: …`, then `caused by: …` for each source, then
/// `hint: …`; an invalid `portfolio.yaml` shows its diagnostics too.
pub fn print_error(err: &Error, color: bool) {
    let style = Style::new(color);
    let safe = crate::text::clean::sanitize;
    eprintln!("{}: {}", style.error("error"), safe(&err.to_string()));
    if let Error::InvalidDefinition { root, diagnostics } = err {
        let source = |path: &Path| std::fs::read_to_string(root.join(path)).ok();
        eprint!("{}", crate::render::diagnostics::to_text(diagnostics, &style, &source));
    }
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        eprintln!("{}: {}", style.bold("caused by"), safe(&cause.to_string()));
        source = cause.source();
    }
    if let Some(hint) = err.hint() {
        eprintln!("{}: {}", style.bold("hint"), safe(&hint));
    }
}
