use clap::{Args, ValueEnum};
use serde::Serialize;

use super::{Env, Exit};
use crate::domain::model::{Level, State};
use crate::domain::tiltak::Tiltak;
use crate::error::{Error, Result};
use crate::render;

/// One row of `list`, also its JSON shape.
#[derive(Debug, Serialize)]
struct Row {
    id: String,
    title: String,
    phase: Option<String>,
    segment: Option<String>,
    product_group: Option<String>,
    owner: Option<String>,
    organization: Option<String>,
    priority: Option<String>,
    state: String,
    status: Option<String>,
    risk: Option<String>,
    next_milestone: Option<String>,
    path: String,
}

pub fn run(args: &ListArgs, env: &Env) -> Result<Exit> {
    let portfolio = env.load()?;
    let def = &portfolio.def;
    let phase = args.phase.as_deref().map(|q| def.require_phase(q)).transpose()?;
    let status = match &args.status {
        Some(s) => Some(
            Level::parse(s).ok_or_else(|| Error::usage_hint(format!("no status {s:?}"), "use green, yellow or red"))?,
        ),
        None => None,
    };
    let state = match &args.state {
        Some(s) => Some(
            State::parse(s)
                .ok_or_else(|| Error::usage_hint(format!("no state {s:?}"), "use active, on_hold or stopped"))?,
        ),
        None => None,
    };
    let contains = |value: &Option<String>, want: &Option<String>| match want {
        None => true,
        Some(w) => value.as_deref().is_some_and(|v| v.to_lowercase().contains(&w.to_lowercase())),
    };
    // Segment and group select as in `report` and `board`.
    let selection = crate::report::Filters { group: args.group.clone(), segment: args.segment.clone() };
    let selected: Vec<&Tiltak> = portfolio
        .tiltak
        .iter()
        .filter(|t| t.readable)
        .filter(|t| phase.is_none() || t.phase == phase)
        .filter(|t| status.is_none() || t.fm.status_level() == status)
        .filter(|t| state.is_none_or(|s| t.fm.state() == s))
        .filter(|t| selection.matches(def, t))
        .filter(|t| contains(&t.fm.owner, &args.owner))
        .collect();

    let rows: Vec<Row> = selected
        .iter()
        .map(|t| Row {
            id: t.id().to_owned(),
            title: t.title().to_owned(),
            phase: t.phase.map(|p| def.phases[p].name.clone()),
            segment: t.fm.segment.clone(),
            product_group: t.fm.product_group.clone(),
            owner: t.fm.owner.clone(),
            organization: t.fm.organization.clone(),
            priority: t.fm.priority.map(|p| p.to_string()),
            state: t.fm.state().to_string(),
            status: t.fm.status_level().map(|l| l.to_string()),
            risk: t.fm.risk_level().map(|l| l.to_string()),
            next_milestone: t.fm.next_milestone().map(|m| {
                format!("{} {}", m.date.map(|d| d.to_string()).unwrap_or_default(), m.name.as_deref().unwrap_or(""))
            }),
            path: crate::diag::display_path(&t.path),
        })
        .collect();

    match args.format {
        DataFormat::Json => super::out(&format!("{}\n", serde_json::to_string_pretty(&rows).unwrap_or_default()))?,
        DataFormat::Csv => {
            let headers = [
                "id",
                "title",
                "phase",
                "segment",
                "product_group",
                "owner",
                "organization",
                "priority",
                "state",
                "status",
                "risk",
                "next_milestone",
                "path",
            ];
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    [
                        Some(r.id.clone()),
                        Some(r.title.clone()),
                        r.phase.clone(),
                        r.segment.clone(),
                        r.product_group.clone(),
                        r.owner.clone(),
                        r.organization.clone(),
                        r.priority.clone(),
                        Some(r.state.clone()),
                        r.status.clone(),
                        r.risk.clone(),
                        r.next_milestone.clone(),
                        Some(r.path.clone()),
                    ]
                    .into_iter()
                    .map(Option::unwrap_or_default)
                    .collect()
                })
                .collect();
            super::out(&render::csv(&headers, &cells))?;
        }
        DataFormat::Table => {
            let color = env.out_style.color;
            let show_segment = !def.segments.is_empty();
            // The group (or segment) column only when there is room for it.
            let wide = render::width() >= 120;
            let mut headers = vec!["ID", "Title", "Phase"];
            if wide {
                headers.push(if show_segment { "Segment" } else { "Group" });
            }
            headers.extend(["Owner", "Status", "Risk"]);
            let mut table = render::table(&headers, color);
            for (t, row) in selected.iter().zip(&rows) {
                let title = match t.fm.state() {
                    State::Active => row.title.clone(),
                    other => format!("{} ({})", row.title, other.as_str().replace('_', " ")),
                };
                let mut cells = vec![
                    render::text_cell(&row.id),
                    render::text_cell(&title),
                    render::text_cell(row.phase.as_deref().unwrap_or("–")),
                ];
                if wide {
                    let group = if show_segment { &row.segment } else { &row.product_group };
                    cells.push(render::text_cell(group.as_deref().unwrap_or("–")));
                }
                cells.extend([
                    render::text_cell(row.owner.as_deref().unwrap_or("–")),
                    render::level_cell(t.fm.status_level(), color),
                    render::level_cell(t.fm.risk_level(), color),
                ]);
                table.add_row(cells);
            }
            let n = headers.len();
            render::fit_columns(&mut table, &[0, 2, n - 2, n - 1]);
            render::cap_column(&mut table, n - 3, 18);
            if wide {
                render::cap_column(&mut table, 3, 24);
            }
            super::out(&format!("{table}\n"))?;
            env.say(&format!("{} of {} tiltak", rows.len(), portfolio.tiltak.len()));
        }
    }
    Ok(Exit::Success)
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
