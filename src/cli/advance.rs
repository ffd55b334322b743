//! `advance`: request a phase gate. A refused gate is a set of findings,
//! printed like `check`'s; a passed one is one commit through the store's
//! transaction.

use std::fs;
use std::path::Path;

use clap::Args;

use super::output::{DiagnosticFormat, print_diagnostics};
use super::{Env, Exit};
use crate::diag::Diagnostic;
use crate::domain::gate::{self, Move, Refusal, Request};
use crate::error::{Error, Result};
use crate::store::transaction::Transaction;
use crate::text::clean::sanitize;

pub fn run(args: &AdvanceArgs, env: &Env) -> Result<Exit> {
    let portfolio = env.load_for(&args.id)?;
    let def = &portfolio.def;
    let root = &portfolio.root;
    let t = portfolio.find(&args.id, &env.cwd)?;
    let source = |p: &Path| fs::read_to_string(root.join(p)).ok();
    let refuse = |found: &[Diagnostic], summary: String| -> Result<Exit> {
        print_diagnostics(found, args.format, env, root, &source)?;
        if args.format == DiagnosticFormat::Text || !env.quiet {
            eprintln!("{}: {summary}", env.err_style.error("gate not met"));
            eprintln!("Nothing was changed.");
        }
        Ok(Exit::RuleBroken)
    };

    // A file that breaks rules cannot pass a gate: the same engine as `check`.
    let errors: Vec<_> = portfolio.diagnostics_for(&t.path).filter(|d| d.is_error()).cloned().collect();
    if !errors.is_empty() {
        return refuse(
            &errors,
            format!("{} has {} error(s); fix them before requesting a gate", sanitize(t.id()), errors.len()),
        );
    }
    let to = args.to.as_deref().map(|q| def.require_phase(q)).transpose()?;
    let request = Request { to, force: args.force, reason: args.reason.as_deref(), decided_by: args.by.as_deref() };
    let plan = match gate::plan(def, t, &request) {
        Ok(plan) => plan,
        Err(Refusal::NotAllowed { message, hint }) => return Err(Error::Usage { message, hint }),
        Err(Refusal::CriteriaNotMet { from, unmet }) => {
            let phase = &def.phases[from];
            let found = crate::rules::gate::unmet_criteria(def, t, from, &unmet);
            return refuse(
                &found,
                format!(
                    "{} cannot leave {}: {} of {} exit criteria are not met. Tick the criteria with their evidence, or use --force --reason \"…\"",
                    sanitize(t.id()),
                    phase.name,
                    unmet.len(),
                    phase.criteria.len()
                ),
            );
        }
    };

    let text = crate::store::portfolio::read_source(root, &t.path)?;
    let message = gate::commit_message(def, t, &plan, &request);
    if plan.kind == Move::Close {
        // Closed where it stands: only `state` changes.
        let closed = crate::text::edit::set_field(&text, "state", crate::domain::model::State::Closed.as_str())
            .map_err(|e| Error::usage(format!("cannot edit {}: {e}", t.path.display())))?;
        let said = vec![format!("Would close {} (state: closed)", crate::diag::display_path(&t.path))];
        return finish(args, env, root, &message, &plan, said, &t.path, |tx| tx.replace(&t.path, closed));
    }
    let target = &def.phases[plan.to];
    let file_name = t.path.file_name().ok_or_else(|| Error::usage("the tiltak has no file name"))?;
    let new_rel = Path::new(&def.tiltak_dir).join(&target.folder).join(file_name);
    let heading = def.criteria_heading(target);
    let new_text = if plan.kind == Move::Backward || t.body.find_section(&heading).is_some() {
        text.clone()
    } else {
        crate::text::edit::append_section(&text, &crate::domain::scaffold::criteria_section(def, target, "\n"))
    };

    // The file must also be valid where it lands: fields the target phase
    // requires must be there (forcing passes criteria, never broken data).
    // Findings point at the file as it is now: the moved file does not exist.
    if plan.kind != Move::Backward {
        let (_, diags) = crate::store::portfolio::parse_with_rules(def, &t.path, Some(plan.to), &new_text, &env.ctx);
        let errors: Vec<_> = diags.into_iter().filter(|d| d.is_error()).collect();
        if !errors.is_empty() {
            return refuse(
                &errors,
                format!(
                    "in {} the file would break {} rule(s); fill in what {} requires first",
                    target.name,
                    errors.len(),
                    target.name
                ),
            );
        }
    }

    let mut said =
        vec![format!("Would move {} → {}", crate::diag::display_path(&t.path), crate::diag::display_path(&new_rel))];
    if new_text.len() != text.len() {
        said.push(format!("Would append the checklist `## {heading}`"));
    }
    if plan.kind != Move::Backward {
        said.push(format!("Every field {} requires is filled in.", target.name));
    }
    finish(args, env, root, &message, &plan, said, &new_rel, |tx| {
        tx.create(&new_rel, new_text, Some(&t.path));
        tx.remove(&t.path);
    })
}

/// The end of a gate: with `--dry-run`, what would happen (`said`, then the
/// commit message); otherwise one commit of what `stage` puts in the
/// transaction, and the path the tiltak lies at afterwards (`landing`).
#[allow(clippy::too_many_arguments)]
fn finish(
    args: &AdvanceArgs,
    env: &Env,
    root: &Path,
    message: &str,
    plan: &gate::Plan,
    said: Vec<String>,
    landing: &Path,
    stage: impl FnOnce(&mut Transaction),
) -> Result<Exit> {
    if args.dry_run {
        let mut s = String::new();
        for line in said {
            s.push_str(&line);
            s.push('\n');
        }
        s.push_str("Would commit:\n");
        for line in message.lines() {
            s.push_str(&format!("    {}\n", sanitize(line)));
        }
        if !plan.unmet.is_empty() {
            s.push_str(&format!("Forced past {} unmet criteria.\n", plan.unmet.len()));
        }
        super::out(&s)?;
        return Ok(Exit::Success);
    }
    let mut tx = Transaction::begin(root)?;
    stage(&mut tx);
    tx.commit(message)?;
    env.say(&format!("Committed \"{}\".", sanitize(message.lines().next().unwrap_or_default())));
    super::out(&format!("{}\n", env.display(&root.join(landing))))?;
    Ok(Exit::Success)
}

/// Request a phase gate: move the tiltak to its next phase, as one commit.
///
/// Evaluates the current phase's exit criteria. When any is unmet, lists each
/// and why, exits 1 and changes nothing. When all are met, one commit renames
/// the file into the next phase's folder and appends that phase's unticked
/// checklist; it holds this tiltak and nothing else, with trailers Tiltak,
/// Phase-From, Phase-To, Decided-By and (when forced) Forced.
///
/// From the last phase it closes the tiltak: when the closing criteria are
/// met, one commit sets `state: closed` (trailer State: closed), and reports
/// count it as completed from then on.
#[derive(Debug, Args)]
pub struct AdvanceArgs {
    /// The tiltak's ID (case-insensitive) or the path to its file.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Target phase (id, name or folder): a later one needs --force --reason,
    /// an earlier one --reason.
    #[arg(long, value_name = "PHASE")]
    pub to: Option<String>,
    /// Show what would happen; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Pass the gate although exit criteria are unmet or phases are skipped
    /// (needs --reason). It never skips data requirements: the fields the
    /// target phase requires must be filled in.
    #[arg(long)]
    pub force: bool,
    /// Why the gate is forced, or why the tiltak moves back.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Who decided (recorded as the Decided-By trailer).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// How a refused gate's findings are printed.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiagnosticFormat,
}
