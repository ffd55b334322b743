//! `board`: phases as columns, tiltak as cards.

use super::view::ViewArgs;
use super::{Env, Exit};
use crate::domain::model::State;
use crate::domain::tiltak::Tiltak;
use crate::error::Result;
use crate::render::{markdown, terminal_report as report_table};
use crate::report::i18n::Labels;
use clap::{Args, ValueEnum};

/// How long a card's title may be, in characters.
const TITLE_CHARS: usize = 40;

pub fn run(args: &BoardArgs, env: &Env) -> Result<Exit> {
    if let Some(file) = crate::store::national::find(&env.cwd, env.national.as_deref())? {
        return super::national::board(args, env, &file);
    }
    // Cards show no findings: the rules need not run.
    let (view, filters) = args.view.open_reading(env, crate::store::portfolio::Reading::FrontMatter)?;
    for note in &view.notes {
        env.say(&format!("note: {note}"));
    }
    let def = &view.portfolio.def;
    let l = Labels::for_language(args.view.language(def));
    let columns = crate::report::board::columns(def, view.portfolio.tiltak.iter().filter(|t| filters.matches(def, t)));
    let headers: Vec<String> =
        def.phases.iter().zip(&columns).map(|(p, c)| format!("{} ({})", p.name, c.len())).collect();
    super::out(&draw(&def.name, &[], &headers, &columns, args.format, l, env.out_style.color))?;
    Ok(Exit::Success)
}

/// The board titled `name` with these column `headers` and `columns` of
/// cards; `legend` lines go under the title.
pub(super) fn draw(
    name: &str,
    legend: &[String],
    headers: &[String],
    columns: &[Vec<&Tiltak>],
    format: BoardFormat,
    l: &Labels,
    color: bool,
) -> String {
    match format {
        BoardFormat::Markdown => {
            let mut s = format!("# {} — {}\n\n", markdown::escape(name), l.board);
            for line in legend {
                s.push_str(&format!("{}  \n", markdown::escape(line)));
            }
            if !legend.is_empty() {
                s.push('\n');
            }
            let head: Vec<String> = headers.iter().map(|h| markdown::escape(h)).collect();
            s.push_str(&format!("| {} |\n|{}|\n", head.join(" | "), vec!["---"; head.len()].join("|")));
            let depth = columns.iter().map(Vec::len).max().unwrap_or(0);
            for row in 0..depth {
                let cells: Vec<String> = columns
                    .iter()
                    .map(|c| {
                        c.get(row).map_or(String::new(), |t| {
                            let marker = marker(t.fm.state(), l).map(|m| format!(" _{m}_")).unwrap_or_default();
                            format!(
                                "{} **{}**{marker}<br>{}",
                                markdown::level(t.fm.status_level(), l),
                                markdown::escape(t.id()),
                                markdown::escape(&short(t.title()))
                            )
                        })
                    })
                    .collect();
                s.push_str(&format!("| {} |\n", cells.join(" | ")));
            }
            s
        }
        BoardFormat::Table => {
            let card = |t: &Tiltak| {
                let marker = marker(t.fm.state(), l).map(|m| format!(" [{m}]")).unwrap_or_default();
                let text = format!(
                    "{}\n{}{marker}\n{}",
                    crate::text::clean::sanitize(t.id()),
                    crate::text::clean::sanitize(&short(t.title())),
                    report_table::level_text(t.fm.status_level(), l)
                );
                crate::render::level_coloured(text, t.fm.status_level(), color)
            };
            // The phases as columns of one table; when a narrow terminal
            // cannot hold every word of them side by side, as few tables of
            // fewer phases each, one under the other, as keep words whole.
            let table_of = |phases: std::ops::Range<usize>| {
                let heads: Vec<&str> = headers[phases.clone()].iter().map(String::as_str).collect();
                let mut table = crate::render::table(&heads, color);
                let depth = columns[phases.clone()].iter().map(Vec::len).max().unwrap_or(0);
                for row in 0..depth {
                    table.add_row(columns[phases.clone()].iter().map(|c| match c.get(row) {
                        None => comfy_table::Cell::new(""),
                        Some(t) => card(t),
                    }));
                }
                // Six phases in 100 columns: every character of padding counts.
                for column in table.column_iter_mut() {
                    column.set_padding((1, 0));
                }
                let whole = crate::render::fit_columns(&mut table, &[], &[], &[]);
                (table, whole)
            };
            let n = columns.len();
            let mut tables = Vec::new();
            for count in 1..=n.max(1) {
                // `count` tables of as equal a number of phases as can be.
                let bounds: Vec<usize> = (0..=count).map(|k| k * n / count).collect();
                tables = bounds.windows(2).map(|w| table_of(w[0]..w[1])).collect();
                if tables.iter().all(|(_, whole)| *whole) {
                    break;
                }
            }
            let width = usize::from(crate::render::width());
            let title = format!("{} — {}", crate::text::clean::sanitize(name), l.board);
            let mut s = crate::render::wrap(&title, "", "", width).join("\n") + "\n";
            for line in legend {
                s.push_str(
                    &(crate::render::wrap(&crate::text::clean::sanitize(line), "", "  ", width).join("\n") + "\n"),
                );
            }
            for (table, _) in tables {
                s.push_str(&format!("{table}\n"));
            }
            s
        }
    }
}

fn marker(state: State, l: &Labels) -> Option<&'static str> {
    (state != State::Active).then(|| l.state(state))
}

/// A title cut at a word boundary to fit a card.
fn short(title: &str) -> String {
    let title = crate::text::clean::one_line(title);
    if title.chars().count() <= TITLE_CHARS {
        return title;
    }
    let cut: String = title.chars().take(TITLE_CHARS - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > TITLE_CHARS / 2 => cut[..i].to_owned(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
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
