use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{Env, Exit};
use crate::diag::Severity;
use crate::domain::trailer::{self, Key};
use crate::error::{Error, Result};
use crate::import::{self, Map, Planned, Record};
use crate::store::portfolio;
use crate::store::transaction::Transaction;

pub fn run(args: &ImportArgs, env: &Env) -> Result<Exit> {
    let root = portfolio::find_root(&env.cwd)?;
    let def = &portfolio::load_definition(&root)?;
    let (common, kind) = match &args.source {
        Source::Github(a) => (a, "GitHub"),
        Source::Csv(a) => (a, "the spreadsheet"),
    };
    let file = env.cwd.join(&common.file);
    let map = match &common.map {
        Some(m) => Map::read(&env.cwd.join(m))?,
        None if matches!(args.source, Source::Csv(_)) => {
            return Err(Error::usage_hint(
                "`import csv` needs --map MAP.yaml: which column is the title, the owner, the phase …",
                "see examples/import/sheet/ for a map",
            ));
        }
        None => Map::default(),
    };
    let records: Vec<Record> = match &args.source {
        Source::Github(_) => {
            let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::usage(format!("{}: not UTF-8 text", env.display(&file))))?;
            import::github::records(def, &map, &text, &common.file)?
        }
        Source::Csv(_) => {
            let table = import::sheet::read(&file, map.sheet.as_deref())?;
            import::sheet::records(def, &map, &table, &common.file, env.ctx.today)?
        }
    };
    if records.is_empty() {
        env.say(&format!("{} holds no tiltak; nothing to import.", env.display(&file)));
        return Ok(Exit::Success);
    }

    // A dry run reads the repository for free IDs but needs no commit to be possible.
    let tx = if common.dry_run { Transaction::begin_uncommitted(&root)? } else { Transaction::begin(&root)? };
    let ids = crate::store::ids::next_ids(tx.repo(), &root, def, records.len())?;
    let mut planned = import::plan(def, &records, &ids, &env.ctx);
    if map.lenient {
        for p in &mut planned {
            for d in &mut p.findings {
                d.severity = Severity::Warning;
            }
        }
    }
    let refused = planned.iter().any(|p| p.errors().next().is_some());
    let table = plan_table(def, &planned, map.lenient);

    if common.dry_run || refused {
        if common.dry_run {
            super::out(&table)?;
        } else {
            eprint!("{table}");
        }
        let failing = planned.iter().filter(|p| p.errors().next().is_some()).count();
        if refused {
            env.say(&format!(
                "{failing} of {} tiltak would not pass `check`; {}.",
                planned.len(),
                if common.dry_run { "the import would be refused" } else { "nothing was imported" }
            ));
            env.say("hint: fill the missing fields through the map (`defaults:`, `labels:`, `columns:`), or set `lenient: true` to import them as they are");
            return Ok(Exit::RuleBroken);
        }
        env.say(&format!("Dry run: {} tiltak would be imported; nothing was changed.", planned.len()));
        return Ok(Exit::Success);
    }

    let mut tx = tx;
    for p in &planned {
        tx.create(&p.rel, p.text.clone(), None);
    }
    let source_name =
        common.file.file_name().map_or_else(|| common.file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let subject = format!(
        "import {} tiltak from {}",
        planned.len(),
        if matches!(args.source, Source::Github(_)) { "GitHub" } else { "a spreadsheet" }
    );
    let why = format!("imported from {source_name}");
    let message = trailer::message(&subject, &[(Key::Forced, Some(&why))]);
    tx.commit(&message)?;
    if !env.quiet {
        eprint!("{table}");
    }
    let warnings: usize = planned.iter().map(|p| p.findings.iter().filter(|d| !d.is_error()).count()).sum();
    env.say(&format!(
        "Committed \"{subject}\" ({} files from {kind}{}).",
        planned.len(),
        if warnings > 0 { format!("; {warnings} warnings, see `portfolio check`") } else { String::new() }
    ));
    let mut paths = String::new();
    for p in &planned {
        paths.push_str(&env.display(&root.join(&p.rel)));
        paths.push('\n');
    }
    super::out(&paths)?;
    Ok(Exit::Success)
}

/// The plan: source → ID, phase, title, and what `check` would find.
fn plan_table(def: &crate::domain::process::ProcessDefinition, planned: &[Planned], lenient: bool) -> String {
    let headers = ["Source", "ID", "Phase", "Title", if lenient { "Warnings for check" } else { "Missing for check" }];
    let mut table = crate::render::table(&headers, false);
    for p in planned {
        // Missing fields by name, in one list; other findings as they are.
        let shown: Vec<&crate::diag::Diagnostic> =
            p.findings.iter().filter(|d| d.severity == Severity::Error || lenient).collect();
        let fields: Vec<&str> = shown
            .iter()
            .filter(|d| d.code == crate::diag::Code::MissingField)
            .filter_map(|d| d.message.split('`').nth(1))
            .collect();
        let mut missing: Vec<String> = Vec::new();
        if !fields.is_empty() {
            missing.push(format!("fields: {}", fields.join(", ")));
        }
        missing.extend(
            shown
                .iter()
                .filter(|d| d.code != crate::diag::Code::MissingField)
                .map(|d| crate::text::clean::one_line(&d.message)),
        );
        missing.dedup();
        let missing = if missing.is_empty() { "–".to_owned() } else { missing.join("; ") };
        table.add_row([
            crate::render::text_cell(&p.source),
            crate::render::text_cell(&p.id),
            crate::render::text_cell(&def.phases[p.phase].name),
            crate::render::text_cell(&p.title),
            crate::render::text_cell(&missing),
        ]);
    }
    // Titles give way first: what is missing is what the reader acts on.
    crate::render::fit_columns(&mut table, &[0, 1, 2], &[], &[(3, 28)]);
    format!("{table}\n")
}

const MAP_HELP: &str = "\
The map (MAP.yaml; English keys, every key optional, unknown keys refused):

  columns:                      # GitHub: board column → phase (id, name or folder)
    \"Ikke startet\": ikke-startet
    \"Problem\": problem
  # import csv: sheet column header → field path, phase, or a body section
  #   \"Navn på tiltak\": title
  #   \"Kontaktperson\": owner
  #   \"Fase\": phase
  #   \"Estimert budsjettbehov\": budget.investment
  #   \"Beskrivelse\": { section: Behov }
  values: { MSCW: { M: must, S: should } }   # csv: column → cell value → value
  phases: { \"Problem/ide\": problem }   # csv: a phase column's value → phase
  project: Porteføljen          # GitHub: the board whose column is the phase
  closed: last                  # a closed issue becomes: last (the last phase) | stopped
  labels:                       # GitHub label → the fields it sets
    \"prioritet: must\": { priority: must }
    \"Tillitstjenester\": { product_group: Tillitstjenester }
  owners: { kari-n: Kari Nordmann }   # GitHub login (or owner value) → owner name
  sections: { Problemstilling: Problembeskrivelse }   # issue heading → template heading
  defaults: { organization: Digdir, status: { level: green } }   # on every tiltak
  lenient: false                # true: what `check` would miss is a warning, and imported
  unknown_columns: keep         # csv: keep unnamed columns in the body | error
  sheet: Oversikt               # xlsx: the sheet to read (default: the first)

Without --map, board columns match phase names and ids with case and accents
ignored, and nothing else is mapped. Names in the map (columns, labels,
logins, headings, phase values) match exactly or with case and accents
ignored. Field paths are the front matter's keys; dots reach in
(`status.level`, `budget.investment`, `timeframe.end`). Excel dates (date
cells or serial numbers), DD.MM.YYYY and YYYY-MM-DD read as dates.

Nothing is dropped: what maps nowhere (labels, further assignees, other
boards, text before the first heading, columns the map does not name) goes
into the section \"Importert fra GitHub\" or \"Importert fra regneark\".
Each tiltak gets the next free ID, its phase's criteria checklist (all
unticked) and, from GitHub, the issue URL in `links`. Every file is checked
as `check` would; when one would fail, the plan says what is missing and
nothing is written (exit 1) unless the map says `lenient: true`. Otherwise
one commit holds every file, with the trailer `Forced: imported from FILE`
(so `check --base` accepts tiltak that start past the first phase).

Examples: examples/import/github/ and examples/import/sheet/.";

/// Move an existing portfolio in: GitHub issues or a spreadsheet become
/// tiltak, in one commit.
///
/// Reads the source through a map file (below), plans one new tiltak per
/// issue or row, checks each file as `check` would, and commits them all at
/// once. `--dry-run` prints the plan and changes nothing.
#[derive(Debug, Args)]
#[command(after_long_help = MAP_HELP)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: Source,
}

#[derive(Debug, Subcommand)]
pub enum Source {
    /// From the JSON of `gh issue list --json number,title,body,labels,assignees,state,createdAt,closedAt,url,projectItems --limit 1000`.
    #[command(after_long_help = MAP_HELP)]
    Github(SourceArgs),
    /// From a spreadsheet (.csv or .xlsx), one tiltak a row; needs --map.
    #[command(after_long_help = MAP_HELP)]
    Csv(SourceArgs),
}

#[derive(Debug, Args)]
pub struct SourceArgs {
    /// The export: FILE.json (github) or FILE.csv / FILE.xlsx (csv).
    pub file: PathBuf,
    /// The map file (YAML): how columns, labels, logins and headings map.
    #[arg(long, value_name = "MAP.yaml")]
    pub map: Option<PathBuf>,
    /// Print the plan (issue or row → ID, phase, what `check` would miss) and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}
