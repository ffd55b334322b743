use std::path::Path;

use clap::{Args, Subcommand, ValueEnum};

use super::{Env, Exit};
use crate::domain::model::{Date, parse_date};
use crate::domain::process::{self, Language, ProcessDefinition};
use crate::domain::round::{self, Round};
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::report::i18n::Labels;
use crate::report::round::{self as model, RoundReport};
use crate::report::words::Words;
use crate::store::portfolio;
use crate::store::portfolio::Reading;
use crate::store::rounds;
use crate::store::transaction::Transaction;
use crate::store::view::View;

pub fn run(args: &RoundArgs, env: &Env) -> Result<Exit> {
    match &args.action {
        Some(RoundAction::Open(open)) => run_open(open, env),
        Some(RoundAction::Close(close)) => run_close(close, env),
        None => run_show(args, env),
    }
}

/// The round named, or the default one: open, else the latest.
fn pick<'a>(
    def: &'a ProcessDefinition,
    id: Option<&str>,
    closed: &dyn Fn(&Round) -> bool,
    env: &Env,
) -> Result<&'a Round> {
    match id {
        Some(id) => rounds::find(def, id),
        None => round::default_round(&def.rounds, env.ctx.today, closed).ok_or_else(|| {
            Error::usage_hint(
                "this portfolio declares no reporting rounds",
                "open one: `portfolio round open <ID> --due YYYY-MM-DD`",
            )
        }),
    }
}

/// A round's standing: a closed round at its tag, an open one at HEAD (or `--at`).
fn judge(env: &Env, id: Option<&str>, at: Option<&str>) -> Result<(RoundReport, Language)> {
    let root = portfolio::find_root(&env.cwd)?;
    let def = portfolio::load_definition(&root)?;
    let repo = Repo::discover(&root).ok();
    let closed = rounds::closed(repo.as_ref())?;
    let round = pick(&def, id, &|r| closed.contains_key(&r.id), env)?.clone();
    let is_closed = closed.contains_key(&round.id);
    let tag = round.tag();
    if is_closed && at.is_some() {
        env.say(&format!("note: round {} is closed; it is judged at its tag {tag}, not --at", round.id));
    }
    // Who reported is in the front matter: the rules need not run.
    let view =
        View::open_reading(&env.cwd, &env.ctx, if is_closed { Some(tag.as_str()) } else { at }, Reading::FrontMatter)?;
    for note in &view.notes {
        env.say(&format!("note: {note}"));
    }
    let p = &view.portfolio;
    let built = model::build(&p.def, &p.tiltak, &round, is_closed, view.date, view.commit.as_ref());
    Ok((built, p.def.language))
}

fn run_show(args: &RoundArgs, env: &Env) -> Result<Exit> {
    let (mut built, language) = judge(env, args.id.as_deref(), args.at.as_deref())?;
    if args.missing {
        built = built.only_missing();
    }
    let language = args.lang.unwrap_or(language);
    let (w, l) = (Words::for_language(language), Labels::for_language(language));
    let text = match args.format {
        RoundFormat::Table => {
            let blocks = model::layout(&built, w, l, args.missing);
            crate::render::terminal_report::blocks(&blocks, l, env.out_style.color)
        }
        RoundFormat::Markdown => crate::render::markdown::blocks(&model::layout(&built, w, l, args.missing), l),
        RoundFormat::Json => format!("{}\n", serde_json::to_string_pretty(&built).unwrap_or_default()),
        RoundFormat::Csv => {
            let (headers, rows) = model::csv_rows(&built);
            crate::render::csv(&headers, &[], &rows)
        }
    };
    super::out(&text)?;
    Ok(Exit::Success)
}

fn run_open(args: &OpenArgs, env: &Env) -> Result<Exit> {
    let root = portfolio::find_root(&env.cwd)?;
    let def = portfolio::load_definition(&root)?;
    let id = args.id.trim();
    if id.is_empty() || id.chars().any(char::is_control) {
        return Err(Error::usage("a round needs an ID of visible characters, e.g. 2026-T3"));
    }
    if def.rounds.iter().any(|r| r.id == id) {
        return Err(Error::usage_hint(
            format!("round {id:?} is in portfolio.yaml already"),
            "give the new round another ID; nothing was changed",
        ));
    }
    let date = |option: &str, text: &str| {
        parse_date(text).ok_or_else(|| Error::usage(format!("{option} {text}: not a date (YYYY-MM-DD)")))
    };
    let due = date("--due", &args.due)?;
    let opens = match &args.opens {
        Some(o) => date("--opens", o)?,
        None => env.ctx.today,
    };
    if opens > due {
        return Err(Error::usage(format!("round {id} would open ({opens}) after it is due ({due})")));
    }
    let repo = Repo::discover(&root)?;
    let file = Path::new(process::FILE_NAME);
    let rel = {
        let prefix = repo.relative(&root)?;
        if prefix.is_empty() { process::FILE_NAME.to_owned() } else { format!("{prefix}/{}", process::FILE_NAME) }
    };
    let text = std::fs::read_to_string(root.join(file)).map_err(|e| Error::io(root.join(file), e))?;
    let committed = repo.head_commit().and_then(|h| repo.file_at(h, &rel).ok().flatten());
    if committed.as_deref() != Some(text.as_bytes()) {
        return Err(Error::usage_hint(
            format!("{rel} has changes that are not committed"),
            "commit or stash them first, so the round's commit holds the new round and nothing else; nothing was changed",
        ));
    }
    let item = format!("{{id: {}, opens: {opens}, due: {due}}}", crate::text::edit::yaml_scalar(id));
    let edited = crate::text::edit::append_list_item(&text, "rounds", &item).map_err(|e| {
        Error::usage_hint(format!("cannot add the round to {rel}: {e}"), "add it by hand under `rounds:`")
    })?;
    let new_def = ProcessDefinition::parse(&edited, file)
        .map_err(|diagnostics| Error::InvalidDefinition { root: root.clone(), diagnostics })?;
    let added = new_def.rounds.last().cloned();
    if added != Some(Round { id: id.to_owned(), opens: Date(opens), due: Date(due) }) {
        return Err(Error::usage(format!("the round did not read back from {rel} as written; add it by hand")));
    }
    let mut tx = Transaction::begin(&root)?;
    tx.replace(file, edited);
    let oid = tx.commit(&format!("round open {id}: {opens} – {due}\n"))?;
    env.say(&format!("opened round {id} ({opens} – {due}) in {}", &oid.to_string()[..7]));
    Ok(Exit::Success)
}

fn run_close(args: &CloseArgs, env: &Env) -> Result<Exit> {
    let root = portfolio::find_root(&env.cwd)?;
    let def = portfolio::load_definition(&root)?;
    let round = rounds::find(&def, &args.id)?.clone();
    let repo = Repo::discover(&root)?;
    let tag = round.tag();
    if repo.tag_target(&tag).is_some() {
        return Err(Error::usage_hint(
            format!("round {} is closed already ({tag} exists)", round.id),
            "a round's tag is never moved; nothing was changed",
        ));
    }
    let head = repo.head_commit().ok_or_else(|| Error::usage("there is no commit to tag yet"))?;
    let (built, _) = judge(env, Some(&round.id), None)?;
    let c = built.counts;
    let message = format!(
        "Reporting round {} ({} – {})\n\nActive: {}\nReported on time: {}\nReported late: {}\nNot reported: {}\nOn hold: {}\nStopped: {}\n",
        round.id, round.opens, round.due, c.active, c.on_time, c.late, c.missing, c.on_hold, c.stopped
    );
    repo.create_annotated_tag(&tag, head, &message)?;
    env.say(&format!(
        "closed round {}: tagged {} as {tag} ({} of {} reported, {} late, {} not reported)",
        round.id,
        &head.to_string()[..7],
        c.on_time + c.late,
        c.active,
        c.late,
        c.missing
    ));
    Ok(Exit::Success)
}

/// Reporting rounds: who has reported and who has not (SPEC §9).
///
/// Without a subcommand, shows a round (default: the open one, else the
/// latest): every active tiltak by organization and owner, reported on
/// time, late (with days late) or not yet (with days left or overdue); on
/// hold and stopped apart. Reported means `status.updated` (and, where the
/// segment reports risk, `risk.updated` when present) within opens..due. A
/// closed round is judged at its tag `round/<ID>`, an open one at HEAD.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RoundArgs {
    #[command(subcommand)]
    pub action: Option<RoundAction>,
    /// The round's ID (default: the open round, else the latest).
    pub id: Option<String>,
    /// Only those who still owe a report, by organization and owner, with
    /// each tiltak's ID, title and file: ready for a reminder.
    #[arg(long)]
    pub missing: bool,
    /// Judge an open round as of a commit, branch, tag or date.
    #[arg(long, value_name = "REV|DATE")]
    pub at: Option<String>,
    /// Language of labels (default: the portfolio's).
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<Language>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: RoundFormat,
}

#[derive(Debug, Subcommand)]
pub enum RoundAction {
    Open(OpenArgs),
    Close(CloseArgs),
}

/// Add a round to portfolio.yaml, as one commit that edits only that list.
#[derive(Debug, Args)]
pub struct OpenArgs {
    /// The round's ID, e.g. 2026-T3.
    pub id: String,
    /// The last day a report counts as on time (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub due: String,
    /// The first day a report counts (default: today).
    #[arg(long, value_name = "DATE")]
    pub opens: Option<String>,
}

/// Close a round: tag the current commit `round/<ID>` (annotated, with the
/// counts), the round's snapshot. A tag is never moved.
#[derive(Debug, Args)]
pub struct CloseArgs {
    /// The round's ID.
    pub id: String,
}

/// Output format of `round`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoundFormat {
    Table,
    Markdown,
    Json,
    Csv,
}
