use clap::Args;
use std::path::{Path, PathBuf};

use super::output::{DiagnosticFormat, print_diagnostics};
use super::{Env, Exit};
use crate::diag::{self, Diagnostic, Tally};
use crate::error::{Error, Result};
use crate::store::portfolio::{self, Portfolio};

pub fn run(args: &CheckArgs, env: &Env) -> Result<Exit> {
    if let Some(file) = crate::store::national::find(&env.cwd, env.national.as_deref())? {
        return super::national::check(args, env, &file);
    }
    let root = portfolio::find_root(&env.cwd)?;
    // The history rules of `--base` read the tiltak; the rest only their findings.
    let load = if args.base.is_some() { Portfolio::load } else { Portfolio::load_findings };
    let (diagnostics, count) = match load(&root, &env.ctx) {
        Ok(mut p) => {
            if let Some(base) = &args.base {
                let mut history = moves_since(&p, base)?;
                p.diagnostics.append(&mut history);
                diag::sort(&mut p.diagnostics);
            }
            let count = p.tiltak.len();
            let diagnostics = std::mem::take(&mut p.diagnostics);
            // Freeing ten thousand parsed files one by one takes longer than
            // the process needs to exit: leave it to the operating system.
            std::mem::forget(p);
            (select(diagnostics, &args.paths, env, &root)?, count)
        }
        // A broken portfolio.yaml is a finding like any other.
        Err(Error::InvalidDefinition { diagnostics, .. }) => (diagnostics, 0),
        Err(e) => return Err(e),
    };
    let tally = Tally::of(&diagnostics);
    let source = |path: &Path| std::fs::read_to_string(root.join(path)).ok();
    print_diagnostics(&diagnostics, args.format, env, &root, &source)?;
    Ok(finish(env, &format!("checked {count} tiltak"), &tally, args.strict))
}

/// Say what `check` found ("… : 2 errors, 1 warning") and the exit it means.
pub(super) fn finish(env: &Env, checked: &str, tally: &Tally, strict: bool) -> Exit {
    let failed = tally.errors > 0 || (strict && tally.warnings > 0);
    if !env.quiet {
        let summary = format!(
            "{checked}: {} {}, {} {}",
            tally.errors,
            plural(tally.errors, "error", "errors"),
            tally.warnings,
            plural(tally.warnings, "warning", "warnings")
        );
        let style = &env.err_style;
        eprintln!("{}", if failed { style.error(&summary) } else { style.ok(&summary) });
    }
    if failed { Exit::RuleBroken } else { Exit::Success }
}

/// The history rules over the commits since `base` (from where HEAD left it).
fn moves_since(p: &Portfolio, base: &str) -> Result<Vec<Diagnostic>> {
    let repo = crate::git::Repo::discover(&p.root)?;
    let base = repo.resolve(base)?;
    let Some(head) = repo.head_commit() else { return Ok(Vec::new()) };
    let start = repo.merge_base(base, head)?;
    let history = crate::store::history::read(&repo, &p.root, &p.def, None, Some(start))?;
    for note in &history.notes {
        eprintln!("note: {note}");
    }
    Ok(crate::rules::history_rules(&p.def, &history.events, &p.tiltak))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Keep only the diagnostics of the given paths (all when none are given).
fn select(diagnostics: Vec<Diagnostic>, paths: &[PathBuf], env: &Env, root: &Path) -> Result<Vec<Diagnostic>> {
    if paths.is_empty() {
        return Ok(diagnostics);
    }
    let mut wanted = Vec::new();
    for p in paths {
        let abs = env.cwd.join(p);
        let canonical = abs.canonicalize().map_err(|e| Error::io(&abs, e))?;
        let rel = canonical
            .strip_prefix(root)
            .map_err(|_| Error::usage(format!("{} is outside the portfolio at {}", p.display(), root.display())))?;
        wanted.push(rel.to_owned());
    }
    Ok(diagnostics.into_iter().filter(|d| wanted.iter().any(|w| d.path.starts_with(w))).collect())
}

/// Validate portfolio.yaml and every tiltak (or the given files).
///
/// Reports every problem in one run, each with file, line, column, a stable
/// code and a hint. Exits 1 on any error; warnings alone exit 0 unless
/// --strict.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only report on these files (the whole portfolio is still read, for
    /// duplicate IDs and dependencies).
    pub paths: Vec<PathBuf>,
    /// Also check every phase move since REV (e.g. `origin/main` in a pull
    /// request): gates must be met, skips and moves back need a reason, and
    /// no tiltak may be deleted.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiagnosticFormat,
}
