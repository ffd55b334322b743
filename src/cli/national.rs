//! The commands on a national file (SPEC §12): `report`, `check`, `list`
//! and `board` over every portfolio it names, each read at its `ref` (or
//! `--at`) with its own definition.

use std::path::{Path, PathBuf};

use super::report::{ReportArgs, ReportFormat, Since, build_one};
use super::{Env, Exit};
use crate::diag::{Diagnostic, JsonDiagnostic};
use crate::domain::model::parse_date;
use crate::domain::process::{Language, Stage};
use crate::error::{Error, Result};
use crate::report::i18n::Labels;
use crate::report::national::{self as nat, Failure, NationalInput, Part};
use crate::rules::national::{Indexed, Member, national_rules, without_resolved};
use crate::store::national::{self, Loaded};
use crate::store::portfolio::Reading;
use crate::store::rounds;

/// One portfolio of the national file, read: what the national rules and
/// the commands need of it, and what the command kept of its view (its
/// view itself is dropped as soon as it is read: one portfolio in memory
/// at a time).
struct Read<T> {
    entry: crate::domain::national::Entry,
    /// Its folder as the national file names it.
    dir: PathBuf,
    name: String,
    /// Why it cannot be read.
    failure: Option<Diagnostic>,
    /// What the command kept of its view, when it could be read.
    kept: Option<T>,
    /// The findings of its own check with the national rules applied.
    diagnostics: Vec<Diagnostic>,
    /// Whether the national rules changed those findings.
    changed: bool,
    /// How many tiltak it has.
    count: usize,
}

/// The national file read, the national rules applied to each portfolio's
/// findings; returns the dependencies across portfolios. `each` is given
/// each portfolio's entry, folder and view as it is read, its findings
/// still its own check's; what it returns is kept, the view dropped once
/// its findings, its count and the national rules' index of it are taken.
#[allow(clippy::type_complexity)]
fn read<T>(
    file: &Path,
    nat_file: &crate::domain::national::National,
    env: &Env,
    at: Option<&str>,
    mut each: impl FnMut(&crate::domain::national::Entry, &Path, &mut crate::store::view::View) -> T,
) -> Result<(Vec<Read<T>>, Vec<crate::domain::national::CrossDependency>)> {
    let mut read = Vec::new();
    let mut index: Vec<Option<(String, String, Vec<Indexed>)>> = Vec::new();
    national::each_member(file, nat_file, &env.ctx, at, Reading::Checked, |member| {
        let name = member.name();
        let national::Member { entry, dir, view } = member;
        let (diagnostics, count, kept, failure) = match view {
            Ok(mut view) => {
                index.push(Some((
                    name.clone(),
                    view.portfolio.def.id_prefix.clone(),
                    Indexed::of(&view.portfolio.tiltak),
                )));
                let kept = each(&entry, &dir, &mut view);
                (std::mem::take(&mut view.portfolio.diagnostics), view.portfolio.tiltak.len(), Some(kept), None)
            }
            Err(d) => {
                index.push(None);
                (Vec::new(), 0, None, Some(d))
            }
        };
        read.push(Read { entry, dir, name, failure, kept, diagnostics, changed: false, count });
    });
    let findings = {
        let members: Vec<Member<'_>> = read
            .iter()
            .zip(&index)
            .filter_map(|(r, i)| i.as_ref().map(|(name, prefix, tiltak)| Member { name, prefix, dir: &r.dir, tiltak }))
            .collect();
        national_rules(&members)
    };
    let mut added = findings.added.into_iter();
    let mut resolved = findings.resolved.into_iter();
    for (r, i) in read.iter_mut().zip(&index) {
        if i.is_none() {
            continue;
        }
        let (Some(mut extra), Some(resolved)) = (added.next(), resolved.next()) else { continue };
        let own = r.diagnostics.len();
        let mut diagnostics = without_resolved(std::mem::take(&mut r.diagnostics), &resolved);
        r.changed = !extra.is_empty() || diagnostics.len() != own;
        diagnostics.append(&mut extra);
        crate::diag::sort(&mut diagnostics);
        r.diagnostics = diagnostics;
    }
    Ok((read, findings.dependencies))
}

fn refuse(what: &str) -> Error {
    Error::usage_hint(
        format!("{what} does not apply to a national file: each portfolio has its own"),
        "run it in one portfolio's folder (or -C <folder>)",
    )
}

/// `report` on a national file.
pub fn report(args: &ReportArgs, env: &Env, file: &Path) -> Result<Exit> {
    if args.round.is_some() {
        return Err(refuse("--round"));
    }
    if args.view.group.is_some() || args.view.segment.is_some() {
        return Err(refuse("--group and --segment"));
    }
    let at = args.view.at.as_deref();
    let national_file = national::parse(file)?;
    let language = args.view.lang.unwrap_or(national_file.language);
    let date = at.and_then(parse_date).unwrap_or(env.ctx.today).to_string();
    let shown_file = file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();

    // Each portfolio's own report, with its own definition and rounds, built
    // as soon as it is read, as its single report is: its view is dropped
    // then, not kept until every portfolio is read. The report's counts of
    // findings are set again below for a portfolio whose findings the
    // national rules change.
    let (read, dependencies) = read(file, &national_file, env, at, |entry, dir, view| {
        let since = match &args.since {
            Some(s) => Since::Named(s.clone()),
            None => Since::LatestRound,
        };
        let of_head = at.is_none() && entry.reference.is_none();
        let built = rounds::closed(view.repo.as_ref())
            .and_then(|closed| build_one(view, &closed, since, of_head, Default::default(), language, env));
        match built {
            Ok(report) => {
                let def = &view.portfolio.def;
                let shown = crate::report::reported(def, &view.portfolio.tiltak, &Default::default());
                let paths: Vec<PathBuf> = shown.iter().map(|t| t.path.clone()).collect();
                Ok((report, def.clone(), paths))
            }
            Err(e) => {
                let name = entry.name.as_deref().unwrap_or(&entry.path);
                let d = Diagnostic::error(
                    crate::diag::Code::PortfolioUnreadable,
                    &shown_file,
                    format!("portfolio {name} cannot be read: {}", national::describe(&e, dir)),
                )
                .at(entry.at());
                Err(match e.hint() {
                    Some(h) => d.with_hint(h),
                    None => d,
                })
            }
        }
    })?;
    // Each portfolio's report with its findings as the national rules left
    // them, and what the national report names it by.
    let mut named = Vec::new();
    let mut reports = Vec::new();
    for r in read {
        let (report, def, failure) = match (r.kept, r.failure) {
            (Some(Ok((mut report, def, paths))), _) => {
                if r.changed {
                    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
                    crate::report::set_findings(&mut report, &def, &paths, &r.diagnostics);
                }
                (Some(report), Some(def), None)
            }
            (Some(Err(d)), _) | (None, Some(d)) => (None, None, Some(d)),
            (None, None) => (None, None, None),
        };
        let failure = failure.unwrap_or_else(|| {
            let name = r.entry.name.as_deref().unwrap_or(&r.entry.path);
            Diagnostic::error(
                crate::diag::Code::PortfolioUnreadable,
                &shown_file,
                format!("portfolio {name} cannot be read"),
            )
            .at(r.entry.at())
        });
        named.push((r.entry, crate::diag::display_path(&r.dir), r.name, def, failure));
        reports.push(report);
    }
    let entries = named
        .iter()
        .zip(reports)
        .map(|((entry, dir, name, def, failure), report)| match (report, def) {
            (Some(report), Some(def)) => Ok(Part { name, dir, def, report }),
            _ => Err(Failure {
                name,
                path: dir,
                reference: entry.reference.as_deref(),
                diagnostic: Box::new(JsonDiagnostic::from(failure)),
            }),
        })
        .collect();
    let mut n = nat::build(NationalInput {
        name: &national_file.name,
        file: &shown_file,
        language,
        date,
        entries,
        dependencies,
    });
    for (p, (entry, ..)) in n.portfolios.iter_mut().zip(&named) {
        p.reference = entry.reference.clone();
    }
    render(args, env, &n, language)
}

fn render(args: &ReportArgs, env: &Env, n: &nat::NationalReport, language: Language) -> Result<Exit> {
    let labels = Labels::for_language(language);
    super::report::write(args, env, labels, n, &n.report, |format, color| {
        let blocks = nat::layout(n, labels);
        match format {
            ReportFormat::Table => crate::render::terminal_report::blocks(&blocks, labels, color),
            ReportFormat::Markdown => crate::render::markdown::blocks(&blocks, labels),
            _ => {
                let words = nat::NationalWords::for_language(language);
                let title = format!("{} – {} {}", n.national.name, words.title, n.report.as_of.date);
                crate::render::html::page(&blocks, labels, language, &title)
            }
        }
    })
}

/// `check` on a national file: each portfolio's findings (paths from the
/// national file's folder, so each file can be found) and the rules across
/// portfolios; a portfolio that cannot be read is an error on its entry.
pub fn check(args: &super::CheckArgs, env: &Env, file: &Path) -> Result<Exit> {
    if !args.paths.is_empty() || args.base.is_some() {
        return Err(refuse("checking given paths or --base"));
    }
    // One portfolio in memory at a time: its findings and index kept, its view dropped.
    let (read, _) = read(file, &national::parse(file)?, env, None, |_, _, _| ())?;
    let base: PathBuf = file.parent().unwrap_or(Path::new(".")).to_owned();
    let mut all = Vec::new();
    let mut count = 0;
    for r in read.iter() {
        match &r.failure {
            None => {
                count += r.count;
                all.extend(r.diagnostics.iter().cloned().map(|mut d| {
                    d.path = r.dir.join(&d.path);
                    d
                }));
            }
            Some(d) => all.push(d.clone()),
        }
    }
    let tally = crate::diag::Tally::of(&all);
    let source = |path: &Path| std::fs::read_to_string(base.join(path)).ok();
    super::output::print_diagnostics(&all, args.format, env, &base, &source)?;
    let checked = format!("checked {count} tiltak in {} portfolios", read.len());
    Ok(super::check::finish(env, &checked, &tally, args.strict))
}

/// The portfolios of the national file that could not be read, said on
/// stderr with their place in it; the rest are still shown.
fn say_failures(loaded: &Loaded, env: &Env) {
    let failed: Vec<Diagnostic> = loaded.members.iter().filter_map(|m| m.view.as_ref().err().cloned()).collect();
    say_failed(&loaded.file, &failed, env);
}

/// The findings `failed` on the entries of the national file `file`, on stderr.
fn say_failed(file: &Path, failed: &[Diagnostic], env: &Env) {
    if failed.is_empty() || env.quiet {
        return;
    }
    let base = file.parent().unwrap_or(Path::new(".")).to_owned();
    let source = |path: &Path| std::fs::read_to_string(base.join(path)).ok();
    eprint!("{}", crate::render::diagnostics::to_text(failed, &env.err_style, &source));
}

/// A filter that selects in some portfolios but names a value none of them
/// has: the first portfolio's refusal (a typo selects nothing silently
/// otherwise).
fn none_knows(first: Option<Error>) -> Error {
    first.unwrap_or_else(|| Error::usage("no portfolio of the national file could be read"))
}

/// `list` on a national file: every portfolio's rows, each named by its
/// portfolio; `--phase` is a stage (or a phase of some portfolio's own).
pub fn list(args: &super::list::ListArgs, env: &Env, file: &Path) -> Result<Exit> {
    // One portfolio in memory at a time: its rows kept, its view dropped.
    let national_file = national::parse(file)?;
    let mut failed = Vec::new();
    let stage = args.phase.as_deref().and_then(Stage::parse);
    let mut rows = Vec::new();
    let mut tables = Vec::new();
    let mut total = 0;
    let mut refused = None;
    let mut any = false;
    // The next portfolio is read while this one's rows are made.
    national::each_member(file, &national_file, &env.ctx, None, Reading::FrontMatter, |m| {
        let view = match &m.view {
            Ok(view) => view,
            Err(d) => {
                failed.push(d.clone());
                return;
            }
        };
        let def = &view.portfolio.def;
        let phase = match (stage, args.phase.as_deref()) {
            (Some(_), _) | (_, None) => None,
            (None, Some(q)) => match def.require_phase(q) {
                Ok(p) => Some(p),
                Err(e) => {
                    refused.get_or_insert(e);
                    return;
                }
            },
        };
        let in_phase = |t: &crate::domain::tiltak::Tiltak| match (stage, phase) {
            (Some(s), _) => t.phase.and_then(|p| def.phases[p].stage) == Some(s),
            (None, Some(p)) => t.phase == Some(p),
            (None, None) => true,
        };
        let selected = match super::list::select(args, def, &view.portfolio.tiltak, in_phase) {
            Ok(s) => s,
            Err(e) => {
                refused.get_or_insert(e);
                return;
            }
        };
        any = true;
        total += view.portfolio.tiltak.len();
        let name = m.name();
        let mut own = crate::report::rows(def, &selected, env.ctx.today);
        for row in &mut own {
            row.portfolio = Some(name.clone());
            row.path = crate::diag::display_path(&m.dir.join(&row.path));
        }
        if args.format == super::list::DataFormat::Table {
            let heading = crate::text::clean::sanitize(&format!("{name} ({})", own.len()));
            let table = super::list::table_text(&own, !def.segments.is_empty(), env.out_style.color);
            tables.push(format!("{}\n{table}\n", env.out_style.bold(&heading)));
        }
        rows.extend(own);
    });
    say_failed(file, &failed, env);
    if !any {
        return Err(none_knows(refused));
    }
    super::list::write(args, env, &rows, || tables.join("\n"))?;
    if args.format == super::list::DataFormat::Table {
        env.say(&format!("{} of {total} tiltak in {} portfolios", rows.len(), national_file.portfolios.len()));
    }
    Ok(Exit::Success)
}

/// `board` on a national file: one column per stage (phases differ from
/// process to process), the cards of every portfolio in it; a legend names
/// each portfolio by its ID prefix.
pub fn board(args: &super::board::BoardArgs, env: &Env, file: &Path) -> Result<Exit> {
    let at = args.view.at.as_deref();
    let loaded = national::load(file, &env.ctx, at, Reading::FrontMatter)?;
    say_failures(&loaded, env);
    let language = args.view.lang.unwrap_or(loaded.national.language);
    let l = Labels::for_language(language);
    let w = nat::NationalWords::for_language(language);
    // Column per stage used by some portfolio, in stage order, then the
    // phases mapped to no stage.
    let mut columns: Vec<Vec<&crate::domain::tiltak::Tiltak>> = vec![Vec::new(); Stage::ALL.len() + 1];
    let mut used = [false; Stage::ALL.len() + 1];
    let mut legend = Vec::new();
    let mut refused = None;
    let mut any = false;
    for m in &loaded.members {
        let Ok(view) = &m.view else { continue };
        let def = &view.portfolio.def;
        let filters = match view.filters(args.view.group.as_deref(), args.view.segment.as_deref()) {
            Ok(f) => f,
            Err(e) => {
                refused.get_or_insert(e);
                continue;
            }
        };
        any = true;
        legend.push(format!("{} = {}", def.id_prefix, m.name()));
        let slot = |p: usize| def.phases[p].stage.map_or(Stage::ALL.len(), |s| s as usize);
        for p in 0..def.phases.len() {
            used[slot(p)] = true;
        }
        let own = crate::report::board::columns(def, view.portfolio.tiltak.iter().filter(|t| filters.matches(def, t)));
        for (p, cards) in own.into_iter().enumerate() {
            columns[slot(p)].extend(cards);
        }
    }
    if !any {
        return Err(none_knows(refused));
    }
    let mut headers = Vec::new();
    let mut shown = Vec::new();
    for (i, cards) in columns.into_iter().enumerate() {
        if !used[i] {
            continue;
        }
        let name = Stage::ALL.get(i).map_or(crate::report::NONE, |s| s.name(language));
        headers.push(format!("{name} ({})", cards.len()));
        let mut cards = cards;
        crate::report::board::sort(&mut cards);
        shown.push(cards);
    }
    let legend = vec![format!("{}: {}", w.portfolios, legend.join(" · "))];
    let text =
        super::board::draw(&loaded.national.name, &legend, &headers, &shown, args.format, l, env.out_style.color);
    super::out(&text)?;
    Ok(Exit::Success)
}
