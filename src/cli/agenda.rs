use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Env, Exit};
use crate::domain::history::{Event, EventKind};
use crate::domain::process::{Language, ProcessDefinition};
use crate::domain::tiltak::Tiltak;
use crate::error::{Error, Result};
use crate::git::{BranchTip, CommitInfo, Oid, Repo};
use crate::report::Was;
use crate::report::agenda::{self, AgendaInput, GateRequest, Proposal};
use crate::report::i18n::Labels;
use crate::report::log;
use crate::report::words::Words;
use crate::rules::Context;
use crate::store::portfolio::Reading;
use crate::store::view::{Ahead, View};

/// Days between meetings: `--since` defaults to this long before `--date`.
const MEETING_DAYS: i64 = 14;

pub fn run(args: &AgendaArgs, env: &Env) -> Result<Exit> {
    // The last meeting's day is walked back to while the tiltak are parsed
    // (when it is known before they are read: not after a `--date` commit).
    let parse_date = crate::domain::model::parse_date;
    let meeting = |day: chrono::NaiveDate| day.checked_sub_days(chrono::Days::new(MEETING_DAYS as u64));
    let walk_to = match (&args.since, &args.date) {
        (Some(since), _) => parse_date(since),
        (None, None) => meeting(env.ctx.today),
        (None, Some(date)) => parse_date(date).and_then(meeting),
    };
    let ahead = Ahead { history: None, since: walk_to };
    let mut view = View::open_ahead(&env.cwd, &env.ctx, args.date.as_deref(), Reading::Checked, ahead)?;
    let since = match &args.since {
        Some(s) => s.clone(),
        None => meeting(view.date).unwrap_or(view.date).to_string(),
    };
    // The last meeting's portfolio is read first and kept only as it is
    // compared: its tiltak and the caches Git filled reading them go before
    // the history is read. A missing history is still what is said first.
    let mut in_range: HashSet<Oid> = HashSet::new();
    let before = view.previous(&since, &mut in_range).map(|(commit, before)| {
        let was: Vec<Was> = before.map_or_else(Vec::new, |b| b.tiltak.iter().map(Was::of).collect());
        (commit, was)
    });
    if before.is_ok() {
        view.release_caches()?;
    }
    // The events since the meeting, and when each tiltak was last put on hold.
    let history = view.since(&in_range).map_err(|why| {
        Error::usage_hint(
            format!("the agenda is read from Git history, and there is none here: {why}"),
            "commit the portfolio first; in CI, fetch the whole history (`fetch-depth: 0`)",
        )
    })?;
    let (since_commit, before) = before?;
    for note in view.notes.iter().chain(&history.summary.notes) {
        env.say(&format!("note: {note}"));
    }
    let p = &view.portfolio;
    let ctx = Context { today: view.date };
    let (Some(repo), Some(head)) = (&view.repo, &view.commit) else {
        return Err(Error::usage("the agenda needs a Git history"));
    };
    let mut requests = Vec::new();
    let mut proposals = Vec::new();
    for branch in repo.unmerged_branches(head.id)? {
        let (r, n) = on_branch(repo, &p.root, &p.def, &branch, head.id, &ctx, env)?;
        requests.extend(r);
        proposals.extend(n);
    }
    view.close_repository();
    let Some(head) = &view.commit else { return Err(Error::usage("the agenda needs a Git history")) };
    let p = &view.portfolio;
    let keep = |e: &Event| in_range.contains(&e.commit.id);
    let decided = log::entries(&p.def, &history.events, &p.tiltak, &keep);
    let in_range_fn = |c: &CommitInfo| in_range.contains(&c.id);
    let built = agenda::build(AgendaInput {
        def: &p.def,
        now: &p.tiltak,
        before: &before,
        date: view.date,
        commit: Some(head),
        since: since.clone(),
        since_commit: since_commit.as_ref(),
        events: &history.events,
        in_range: &in_range_fn,
        held: &history.held,
        gate_requests: requests,
        branch_proposals: proposals,
        decided,
    });
    let language = args.lang.unwrap_or(p.def.language);
    // The agenda holds what it shows: the portfolios read and their history
    // go before it is rendered.
    drop((history, before, view));
    if args.format == AgendaFormat::Json && args.output.is_none() {
        super::out_json(&built)?;
        return Ok(Exit::Success);
    }
    let (w, l) = (Words::for_language(language), Labels::for_language(language));
    let text = match args.format {
        AgendaFormat::Table => {
            crate::render::terminal_report::blocks(&agenda::layout(&built, w, l), l, env.out_style.color)
        }
        AgendaFormat::Markdown => crate::render::markdown::blocks(&agenda::layout(&built, w, l), l),
        AgendaFormat::Html => {
            let title = format!("{} – {} {}", built.portfolio, w.agenda, built.date);
            crate::render::html::page(&agenda::layout(&built, w, l), l, language, &title)
        }
        AgendaFormat::Json => format!("{}\n", serde_json::to_string_pretty(&built).unwrap_or_default()),
    };
    super::out_or_file(env, args.output.as_deref(), &text)?;
    Ok(Exit::Success)
}

/// The gate requests and proposals on one unmerged branch: the history of
/// its commits since it left the current line, each tiltak it touches read
/// at its tip, the exit criteria judged there and the history rules of
/// `check --base` run over its commits.
fn on_branch(
    repo: &Repo,
    root: &Path,
    def: &ProcessDefinition,
    branch: &BranchTip,
    head: Oid,
    ctx: &Context,
    env: &Env,
) -> Result<(Vec<GateRequest>, Vec<Proposal>)> {
    let Ok(base) = repo.merge_base(branch.tip, head) else { return Ok((Vec::new(), Vec::new())) };
    let history = crate::store::history::read(repo, root, def, Some(branch.tip), Some(base))?;
    for note in &history.notes {
        env.say(&format!("note: {note}"));
    }
    let touched: Vec<&Event> = history
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Moved { .. } | EventKind::Created { .. }))
        .collect();
    if touched.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    // Each touched tiltak as it is at the branch's tip.
    let prefix = repo.relative(root)?;
    let mut at_tip: Vec<Tiltak> = Vec::new();
    let mut findings: HashMap<String, Vec<String>> = HashMap::new();
    let mut seen = HashSet::new();
    for e in &touched {
        if !seen.insert(e.id.to_ascii_uppercase()) {
            continue;
        }
        let phase = match e.kind {
            EventKind::Moved { to, .. } => to,
            EventKind::Created { phase } => phase,
            _ => None,
        };
        let Some(phase) = phase else { continue };
        let rel = PathBuf::from(&def.tiltak_dir).join(&def.phases[phase].folder).join(&e.file);
        let in_repo = if prefix.is_empty() {
            rel.to_string_lossy().into_owned()
        } else {
            format!("{prefix}/{}", rel.to_string_lossy())
        };
        let Some(bytes) = repo.file_at(branch.tip, &in_repo.replace('\\', "/"))? else { continue };
        let Ok(text) = crate::store::portfolio::decode(&bytes, &rel) else { continue };
        let (t, diags) = crate::store::portfolio::parse_with_rules(def, &rel, Some(phase), &text, ctx);
        let errors =
            diags.iter().filter(|d| d.is_error()).map(|d| format!("{}: {}", d.code.as_str(), d.message)).collect();
        findings.insert(e.id.to_ascii_uppercase(), errors);
        at_tip.push(t);
    }
    for d in crate::rules::history_rules(def, &history.events, &at_tip) {
        if d.is_error() {
            let id = history
                .events
                .iter()
                .find(|e| d.message.starts_with(&e.id))
                .map(|e| e.id.to_ascii_uppercase())
                .unwrap_or_default();
            findings.entry(id).or_default().push(format!("{}: {}", d.code.as_str(), d.message));
        }
    }
    let name = |p: Option<usize>| p.map(|p| def.phases[p].name.clone());
    let tip = repo.commit_info(branch.tip)?.short;
    let find = |id: &str| at_tip.iter().find(|t| t.id().eq_ignore_ascii_case(id));
    let mut requests = Vec::new();
    let mut proposals = Vec::new();
    for e in touched {
        let key = e.id.to_ascii_uppercase();
        let t = find(&e.id);
        let own = findings.get(&key).cloned().unwrap_or_default();
        match e.kind {
            EventKind::Moved { from, to } => {
                let unmet: Vec<String> = match (from, t.and_then(|t| from.and_then(|f| t.evaluation(f)))) {
                    (Some(f), Some(ev)) => ev
                        .criteria
                        .iter()
                        .filter(|c| !c.outcome.is_met())
                        .map(|c| {
                            let text = &def.phases[f].criteria[c.criterion].text;
                            match c.outcome.explain() {
                                Some(why) => format!("{text} ({why})"),
                                None => text.clone(),
                            }
                        })
                        .collect(),
                    (Some(f), None) => def.phases[f].criteria.iter().map(|c| c.text.clone()).collect(),
                    (None, _) => Vec::new(),
                };
                requests.push(GateRequest {
                    branch: branch.name.clone(),
                    remote: branch.remote,
                    tip: tip.clone(),
                    id: e.id.clone(),
                    title: t.map(|t| t.title().to_owned()).unwrap_or_default(),
                    from: name(from),
                    to: name(to),
                    by_advance: e.decision.by_advance,
                    reason: e.decision.why().map(str::to_owned),
                    criteria_met: unmet.is_empty(),
                    unmet,
                    check_passes: own.is_empty(),
                    findings: own,
                });
            }
            EventKind::Created { .. } => proposals.push(Proposal {
                id: e.id.clone(),
                title: t.map(|t| t.title().to_owned()).unwrap_or_default(),
                owner: t.and_then(|t| t.fm.owner.clone()),
                organization: t.and_then(|t| t.fm.organization.clone()),
                date: crate::report::day_of(&e.commit),
                commit: e.commit.short.clone(),
                branch: Some(branch.name.clone()),
            }),
            _ => {}
        }
    }
    Ok((requests, proposals))
}

/// The portfolio meeting's papers, from Git alone (SPEC §10).
///
/// 1. Gate requests: every local and remote-tracking branch not merged into
///    the current one that moves a tiltak, with the exit criteria at its tip
///    and whether `check --base` would pass; 2. new proposals since the last
///    meeting and on branches; 3. status to discuss: turned yellow or red,
///    red, stale, overdue milestones; 4. on hold, with reason and days;
///    5. the decision log since the last meeting.
#[derive(Debug, Args)]
pub struct AgendaArgs {
    /// The last meeting: a date (YYYY-MM-DD, the start of that day) or a
    /// revision (default: 14 days before the meeting).
    #[arg(long, value_name = "DATE|REV")]
    pub since: Option<String>,
    /// The meeting's day (default: today): the portfolio as of the end of it.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Language of labels (default: the portfolio's).
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<Language>,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: AgendaFormat,
}

/// Output format of `agenda`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AgendaFormat {
    Markdown,
    Html,
    Json,
    Table,
}
