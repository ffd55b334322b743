use clap::{Args, ValueEnum};

use super::{Env, Exit};
use crate::domain::model::{Level, State};
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;
use crate::error::{Error, Result};
use crate::render;
use crate::report::Row;
use crate::store::view::unknown;

pub fn run(args: &ListArgs, env: &Env) -> Result<Exit> {
    if let Some(file) = crate::store::national::find(&env.cwd, env.national.as_deref())? {
        return super::national::list(args, env, &file);
    }
    // A listing shows no findings: neither the bodies nor the rules are read.
    let portfolio =
        crate::store::portfolio::Portfolio::load_front_matter(&crate::store::portfolio::find_root(&env.cwd)?)?;
    let def = &portfolio.def;
    let phase = args.phase.as_deref().map(|q| def.require_phase(q)).transpose()?;
    let selected = select(args, def, &portfolio.tiltak, |t| phase.is_none() || t.phase == phase)?;

    // The report's rows, so `list` and `report` say the same of a tiltak.
    let rows = crate::report::rows(def, &selected, env.ctx.today);
    let show_segment = !def.segments.is_empty();
    let text = || format!("{}\n", table_text(&rows, show_segment, env.out_style.color));
    write(args, env, &rows, text)?;
    if args.format == DataFormat::Table {
        env.say(&format!("{} of {} tiltak", rows.len(), portfolio.tiltak.len()));
    }
    Ok(Exit::Success)
}

/// The tiltak `args` selects (the phase by `in_phase`), in their order.
pub(super) fn select<'t>(
    args: &ListArgs,
    def: &ProcessDefinition,
    tiltak: &'t [Tiltak],
    in_phase: impl Fn(&Tiltak) -> bool,
) -> Result<Vec<&'t Tiltak>> {
    let status = match &args.status {
        Some(s) => Some(Level::parse(s).ok_or_else(|| unknown("status", s, Level::spellings().iter().copied()))?),
        None => None,
    };
    let state = match &args.state {
        Some(s) => Some(State::parse(s).ok_or_else(|| unknown("state", s, State::spellings().iter().copied()))?),
        None => None,
    };
    let contains = |value: &Option<String>, want: &Option<String>| match want {
        None => true,
        Some(w) => value.as_deref().is_some_and(|v| v.to_lowercase().contains(&w.to_lowercase())),
    };
    // Segment and group select as in `report` and `board`.
    let selection = crate::store::view::filters(def, args.group.as_deref(), args.segment.as_deref())?;
    Ok(tiltak
        .iter()
        .filter(|t| t.readable)
        .filter(|t| in_phase(t))
        .filter(|t| status.is_none() || t.fm.status_level() == status)
        .filter(|t| state.is_none_or(|s| t.fm.state() == s))
        .filter(|t| selection.matches(def, t))
        .filter(|t| contains(&t.fm.owner, &args.owner))
        .collect())
}

/// `rows` in `args.format`; `table` gives the terminal table's text.
pub(super) fn write(args: &ListArgs, env: &Env, rows: &[Row], table: impl FnOnce() -> String) -> Result<()> {
    if args.output.is_some() && args.format != DataFormat::Xlsx {
        return Err(Error::usage_hint("list --output writes xlsx only", "add --format xlsx, or redirect stdout"));
    }
    match args.format {
        DataFormat::Xlsx => {
            super::write_workbook(args.output.as_deref(), || render::xlsx::list(rows, env.ctx.today), env)?;
        }
        DataFormat::Json => {
            let records = render::csv::Records { columns: render::csv::LIST, rows };
            super::out_json(&records)?
        }
        DataFormat::Csv => super::out(&render::csv::table(render::csv::LIST, rows))?,
        DataFormat::Table => super::out(&table())?,
    }
    Ok(())
}

/// The terminal table of `rows`: the segment when the portfolio has
/// segments (it decides what a tiltak must report); the product group too
/// when the table still fits with every word whole.
pub(super) fn table_text(rows: &[Row], show_segment: bool, color: bool) -> String {
    let build = |show_group: bool, show_owner: bool| {
        let mut headers = vec!["ID", "Title", "Phase"];
        if show_segment {
            headers.push("Segment");
        }
        if show_group {
            headers.push("Group");
        }
        if show_owner {
            headers.push("Owner");
        }
        headers.extend(["Status", "Risk"]);
        let mut table = render::table(&headers, color);
        for row in rows {
            let title = match row.state {
                State::Active => row.title.clone(),
                other => format!("{} ({})", row.title, other.as_str().replace('_', " ")),
            };
            let mut cells = vec![
                render::text_cell(&row.id),
                render::text_cell(&title),
                render::text_cell(row.phase.as_ref().map_or("–", |p| p.name.as_str())),
            ];
            if show_segment {
                cells.push(render::text_cell(row.segment.as_deref().unwrap_or("–")));
            }
            if show_group {
                cells.push(render::text_cell(row.product_group.as_deref().unwrap_or("–")));
            }
            if show_owner {
                cells.push(render::text_cell(row.owner.as_deref().unwrap_or("–")));
            }
            cells.extend([render::level_cell(row.status, color), render::level_cell(row.risk, color)]);
            table.add_row(cells);
        }
        let n = headers.len();
        let mut caps = Vec::new();
        if show_owner {
            caps.push((n - 3, 18));
        }
        if show_group {
            caps.push((n - 3 - usize::from(show_owner), 24));
        }
        let whole = render::fit_columns(&mut table, &[0, 2, n - 2, n - 1], &[n - 2, n - 1], &caps);
        (table, whole)
    };
    // A narrow terminal leaves out the group, then the owner, until
    // the table fits with every word whole.
    let group = !show_segment || render::width() >= 120;
    let mut built = build(group, true);
    for (show_group, show_owner) in [(false, true), (false, false)] {
        if built.1 {
            break;
        }
        built = build(show_group, show_owner);
    }
    built.0.to_string()
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
    /// Only this status level (Norwegian aliases such as gul allowed).
    #[arg(long, value_parser = Spellings(|| Level::ALL.iter().map(|l| l.as_str()).collect()))]
    pub status: Option<String>,
    /// Only owners whose name contains this text.
    #[arg(long)]
    pub owner: Option<String>,
    /// Only this product group.
    #[arg(long)]
    pub group: Option<String>,
    /// Only this state (aliases such as på vent allowed).
    #[arg(long, value_parser = Spellings(|| State::ALL.iter().map(|s| s.as_str()).collect()))]
    pub state: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: DataFormat,
    /// Write to FILE (for --format xlsx, which never goes to stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

/// Takes any text (`run` parses it with the aliases and says what is
/// allowed), but tells clap the canonical values, so shell completions and
/// `--help` offer them instead of file names.
#[derive(Clone)]
struct Spellings(fn() -> Vec<&'static str>);

impl clap::builder::TypedValueParser for Spellings {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new((self.0)().into_iter().map(clap::builder::PossibleValue::new)))
    }
}
