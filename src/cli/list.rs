use clap::{Args, ValueEnum};

use super::{Env, Exit};
use crate::domain::model::{Level, State};
use crate::domain::tiltak::Tiltak;
use crate::error::{Error, Result};
use crate::render;

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

    // The report's rows, so `list` and `report` say the same of a tiltak.
    let rows = crate::report::rows(def, &selected);

    if args.output.is_some() && args.format != DataFormat::Xlsx {
        return Err(Error::usage_hint("list --output writes xlsx only", "add --format xlsx, or redirect stdout"));
    }
    match args.format {
        DataFormat::Xlsx => {
            return super::write_workbook(args.output.as_deref(), || render::xlsx::list(&rows, env.ctx.today), env);
        }
        DataFormat::Json => {
            let records = render::csv::Records { columns: render::csv::LIST, rows: &rows };
            super::out(&format!("{}\n", serde_json::to_string_pretty(&records).unwrap_or_default()))?
        }
        DataFormat::Csv => super::out(&render::csv::table(render::csv::LIST, &rows))?,
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
            for row in &rows {
                let title = match row.state {
                    State::Active => row.title.clone(),
                    other => format!("{} ({})", row.title, other.as_str().replace('_', " ")),
                };
                let mut cells = vec![
                    render::text_cell(&row.id),
                    render::text_cell(&title),
                    render::text_cell(row.phase.as_ref().map_or("–", |p| p.name.as_str())),
                ];
                if wide {
                    let group = if show_segment { &row.segment } else { &row.product_group };
                    cells.push(render::text_cell(group.as_deref().unwrap_or("–")));
                }
                cells.extend([
                    render::text_cell(row.owner.as_deref().unwrap_or("–")),
                    render::level_cell(row.status, color),
                    render::level_cell(row.risk, color),
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
    Xlsx,
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
    /// Write to FILE (for --format xlsx, which never goes to stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}
