use clap::{Args, ValueEnum};
use std::fmt::Write as _;

use serde_json::json;

use super::{Env, Exit};
use crate::diag::JsonDiagnostic;
use crate::error::Result;
use crate::text::clean::sanitize;

pub fn run(args: &ShowArgs, env: &Env) -> Result<Exit> {
    // Only its own files, read whole (the others are known by their names):
    // what it lacks for the next phase needs the parsed fields.
    let portfolio = env.load_for(&args.id)?;
    let def = &portfolio.def;
    let t = portfolio.find(&args.id, &env.cwd)?;
    let evaluation = t.phase.and_then(|p| t.evaluation(p));
    let diags: Vec<_> = portfolio.diagnostics_for(&t.path).collect();

    if args.format == ShowFormat::Json {
        let criteria = evaluation.map(|e| {
            let phase = &def.phases[e.phase];
            json!({
                "phase": phase.id,
                "all_met": e.all_met(),
                "items": e.criteria.iter().map(|c| {
                    let criterion = &phase.criteria[c.criterion];
                    json!({
                        "id": criterion.id,
                        "text": criterion.text,
                        "met": c.outcome.is_met(),
                        "outcome": c.outcome.kind(),
                        "why": c.outcome.explain(),
                        "line": c.location.map(|l| l.line),
                    })
                }).collect::<Vec<_>>(),
            })
        });
        let value = json!({
            "id": t.id(),
            "title": t.title(),
            "path": crate::diag::display_path(&t.path),
            "phase": t.phase.map(|p| json!({ "id": def.phases[p].id, "name": def.phases[p].name, "number": p + 1 })),
            "front_matter": t.fm,
            "criteria": criteria,
            "next_phase_requires": t.phase.filter(|p| p + 1 < def.phases.len()).map(|p| {
                crate::rules::requirements::missing(def, t, p + 1).iter().map(|r| r.field.to_owned()).collect::<Vec<_>>()
            }),
            "diagnostics": diags.iter().map(|d| JsonDiagnostic::from(*d)).collect::<Vec<_>>(),
        });
        super::out(&format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default()))?;
        return Ok(Exit::Success);
    }

    let style = env.out_style;
    let fm = &t.fm;
    let mut s = String::new();
    let _ = writeln!(s, "{}  {}", style.bold(&sanitize(t.id())), style.bold(&sanitize(t.title())));
    let mut field = |label: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            let _ = writeln!(s, "  {:<16}{}", format!("{label}:"), sanitize(&v));
        }
    };
    field("file", Some(crate::diag::display_path(&t.path)));
    field("phase", t.phase.map(|p| format!("{} ({} of {})", def.phases[p].name, p + 1, def.phases.len())));
    field(
        "state",
        Some(match &fm.state_reason {
            Some(r) if fm.state() != crate::domain::model::State::Active => format!("{} — {r}", fm.state()),
            _ => fm.state().to_string(),
        }),
    );
    field("owner", fm.owner.clone());
    field("organization", fm.organization.clone());
    field("created", fm.created.map(|d| d.to_string()));
    field("segment", fm.segment.clone());
    field("product group", fm.product_group.clone());
    field("priority", fm.priority.map(|p| p.to_string()));
    field(
        "status",
        fm.status.as_ref().map(|st| {
            let mut v = st.level.map_or("–".to_owned(), |l| l.to_string());
            if let Some(r) = &st.reason {
                let _ = write!(v, " — {r}");
            }
            if let Some(u) = st.updated {
                let _ = write!(v, " (updated {u})");
            }
            v
        }),
    );
    field(
        "risk",
        fm.risk.as_ref().map(|r| {
            let mut v = r.level.map_or("–".to_owned(), |l| l.to_string());
            if let Some(d) = &r.description {
                let _ = write!(v, " — {d}");
            }
            if let Some(m) = &r.mitigation {
                let _ = write!(v, "; mitigation: {m}");
            }
            v
        }),
    );
    field(
        "timeframe",
        fm.timeframe.as_ref().map(|tf| {
            format!(
                "{} → {}",
                tf.start.map(|d| d.to_string()).unwrap_or_default(),
                tf.end.map(|d| d.to_string()).unwrap_or_default()
            )
        }),
    );
    field(
        "next milestone",
        fm.next_milestone().map(|m| {
            format!("{} ({})", m.name.as_deref().unwrap_or("?"), m.date.map(|d| d.to_string()).unwrap_or_default())
        }),
    );
    field("dependencies", fm.dependencies.as_ref().map(|d| d.iter().map(|d| d.label()).collect::<Vec<_>>().join(", ")));
    // Goals by number and, where portfolio.yaml names them, by name.
    let goals = |ids: &Option<Vec<u32>>, named: &[crate::domain::process::Goal]| {
        ids.as_ref().map(|ids| {
            ids.iter()
                .map(|id| match named.iter().find(|g| g.id == *id) {
                    Some(g) => format!("{id} {}", g.name),
                    None => id.to_string(),
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
    };
    field("goals", goals(&fm.strategic_goals, &def.strategic_goals));
    field("SDGs", goals(&fm.sdgs, &def.sdgs));
    field(
        "benefits",
        fm.benefits.as_ref().and_then(|b| match b {
            crate::domain::benefits::Benefits::Text(t) => Some(t.clone()),
            crate::domain::benefits::Benefits::Records(_) => None,
        }),
    );
    field("prerequisites", fm.benefit_prerequisites.clone());
    field(
        "budget",
        fm.budget.as_ref().map(|b| {
            let currency = b.currency.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
            let part = |label: &str, v: Option<f64>| v.map(|v| format!("{label} {}{currency}", amount(v)));
            [
                part("investment", b.investment),
                part("operations", b.operations),
                part("granted", b.granted),
                part("spent", b.spent),
                part("forecast", b.forecast),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
        }),
    );
    // Lists: one line per item under a heading, every item, done or not.
    let mut list = |label: &str, items: Vec<String>| {
        if !items.is_empty() {
            let _ = writeln!(s, "  {label}:");
            for item in items {
                let _ = writeln!(s, "    {}", sanitize(&item));
            }
        }
    };
    let dated = |m: &crate::domain::model::Milestone| {
        let mark = if m.done { "✔" } else { "○" };
        let date = m.date.map(|d| d.to_string()).unwrap_or_else(|| "(no date)".to_owned());
        format!("{mark} {date}  {}", m.name.as_deref().unwrap_or("?"))
    };
    list("milestones", fm.milestones.iter().flatten().map(dated).collect());
    list("deliveries", fm.deliveries.iter().flatten().map(dated).collect());
    list(
        "okr",
        fm.okr
            .iter()
            .flatten()
            .flat_map(|o| {
                let objective = o.objective.clone().unwrap_or_else(|| "(no objective)".to_owned());
                std::iter::once(objective).chain(o.key_results.iter().map(|k| format!("  – {k}")))
            })
            .collect(),
    );
    list("links", fm.links.iter().flatten().cloned().collect());
    // The gevinstrealiseringsplan and the risk register, one line each.
    let num = |v: Option<f64>| v.map(amount).unwrap_or_else(|| "–".to_owned());
    list(
        "benefit records",
        fm.benefits
            .as_ref()
            .map(|b| b.records())
            .unwrap_or_default()
            .iter()
            .map(|b| {
                let latest = b.measurements.last().and_then(|m| m.value).or(b.baseline.and_then(|m| m.value));
                format!(
                    "{} {} ({}): {} → {} → {} {}",
                    b.id.as_deref().unwrap_or("–"),
                    b.indicator.as_deref().or(b.description.as_deref()).unwrap_or("?"),
                    b.kind.as_deref().unwrap_or("–"),
                    num(b.baseline.and_then(|m| m.value)),
                    num(latest),
                    num(b.target.and_then(|m| m.value)),
                    b.unit.as_deref().unwrap_or_default()
                )
            })
            .collect(),
    );
    list(
        "risks",
        fm.risks
            .iter()
            .flatten()
            .map(|r| {
                let score = r.score().map_or("?".to_owned(), |s| s.to_string());
                let residual = r.residual_score().map(|s| format!(", after mitigation {s}")).unwrap_or_default();
                let closed = if r.closed { " (closed)" } else { "" };
                format!(
                    "{} {}: {}×{} = {score}{residual}{closed}",
                    r.id.as_deref().unwrap_or("–"),
                    r.description.as_deref().unwrap_or(""),
                    r.probability.unwrap_or(0),
                    r.consequence.unwrap_or(0)
                )
            })
            .collect(),
    );

    if let Some(e) = evaluation {
        let phase = &def.phases[e.phase];
        let met = e.criteria.iter().filter(|c| c.outcome.is_met()).count();
        let next = def.phases.get(e.phase + 1).map_or_else(|| "closed".to_owned(), |n| n.name.clone());
        let _ = writeln!(
            s,
            "\n{}",
            style.bold(&format!("Exit criteria, {} → {next} ({met} of {} met):", phase.name, e.criteria.len()))
        );
        for c in &e.criteria {
            let criterion = &phase.criteria[c.criterion];
            let mark = if c.outcome.is_met() { style.ok("✔") } else { style.error("✘") };
            let _ = writeln!(s, "  {mark} {}", sanitize(&criterion.text));
            if let Some(why) = c.outcome.explain() {
                let _ = writeln!(s, "      {}", style.dim(&sanitize(&why)));
            }
        }
        // What the next phase will require that the file lacks: a gate is
        // never refused for a reason the owner could not see here.
        if let Some(next) = def.phases.get(e.phase + 1) {
            let missing = crate::rules::requirements::missing(def, t, e.phase + 1);
            let fields: Vec<String> = missing.iter().map(|r| format!("`{}`", r.field)).collect();
            if fields.is_empty() {
                let _ = writeln!(s, "  {} to enter {}: every required field is filled in", style.ok("✔"), next.name);
            } else {
                let _ = writeln!(s, "  {} to enter {}: {}", style.error("✘"), next.name, fields.join(", "));
            }
        }
    }
    let _ = writeln!(s, "\n{}", style.bold("History:"));
    match history(&portfolio, t.id()) {
        Ok(lines) if lines.is_empty() => {
            let _ = writeln!(s, "  (no commits yet)");
        }
        Ok(lines) => {
            for line in lines {
                let _ = writeln!(s, "  {}", sanitize(&line));
            }
        }
        Err(why) => {
            let _ = writeln!(s, "  {}", style.dim(&sanitize(&why)));
        }
    }
    if !diags.is_empty() {
        let _ = writeln!(s, "\n{}", style.bold(&format!("Problems ({}):", diags.len())));
        for d in &diags {
            let head = format!("{}[{}]", d.severity.as_str(), d.code.as_str());
            let head = if d.is_error() { style.error(&head) } else { style.warning(&head) };
            let line = d.location.map(|l| format!("line {}: ", l.line)).unwrap_or_default();
            let _ = writeln!(s, "  {head} {line}{}", sanitize(&d.message));
        }
    }
    super::out(&s)?;
    Ok(Exit::Success)
}

/// An amount as written in a budget: whole numbers without `.0`, with
/// thin groups of three (`4 500 000`), as Norwegian reports write them.
fn amount(v: f64) -> String {
    if v.fract() != 0.0 || v.abs() >= 1e15 {
        return v.to_string();
    }
    let digits = format!("{}", v.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

/// The tiltak's history, one line per event: created, gates passed (who
/// decided, forced or not), moves made by hand, state changes.
fn history(p: &crate::store::portfolio::Portfolio, id: &str) -> std::result::Result<Vec<String>, String> {
    use crate::domain::history::EventKind;
    let repo = crate::git::Repo::discover(&p.root).map_err(|e| format!("no history: {e}"))?;
    let history =
        crate::store::history::read(&repo, &p.root, &p.def, None, None).map_err(|e| format!("no history: {e}"))?;
    let name = |i: Option<usize>| i.map_or("(no phase)".to_owned(), |i| p.def.phases[i].name.clone());
    let day = |c: &crate::git::CommitInfo| c.date().map(|d| d.to_string()).unwrap_or_default();
    let mut events = history.events;
    events.retain(|e| e.id.eq_ignore_ascii_case(id));
    // In commit order: timestamps can tie or run backwards (rebases, scripts).
    events.sort_by_key(|e| e.step);
    let mut lines: Vec<String> = history.notes.iter().map(|n| format!("({n})")).collect();
    for event in &events {
        let c = &event.commit;
        let d = &event.decision;
        lines.push(match &event.kind {
            EventKind::Created { phase } => {
                format!("{}  created in {} ({}, {})", day(c), name(*phase), c.short, c.author)
            }
            EventKind::Moved { from, to } => {
                let who = d.decided_by.as_ref().map(|b| format!(", decided by {b}")).unwrap_or_default();
                let how = match (&d.forced, &d.reason, d.by_advance) {
                    (Some(r), _, _) => format!(" — forced: {r}"),
                    (None, Some(r), _) => format!(" — reason: {r}"),
                    (None, None, false) => " — moved by hand".to_owned(),
                    _ => String::new(),
                };
                format!("{}  {} → {}{who}{how} ({})", day(c), name(*from), name(*to), c.short)
            }
            EventKind::Deleted { .. } => format!("{}  deleted ({})", day(c), c.short),
            EventKind::StateChanged { state } => {
                let reason = d.reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default();
                format!("{}  {}{reason} ({})", day(c), state.as_str().replace('_', " "), d.recorded_in)
            }
        });
    }
    if repo.is_shallow() {
        lines.push("(shallow clone: earlier history is not available)".to_owned());
    }
    Ok(lines)
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
