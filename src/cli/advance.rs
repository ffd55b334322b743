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

    if plan.kind == Move::Close {
        return close(args, env, root, t, &plan, &gate::commit_message(def, t, &plan, &request));
    }
    let target = &def.phases[plan.to];
    let file_name = t.path.file_name().ok_or_else(|| Error::usage("the tiltak has no file name"))?;
    let new_rel = Path::new(&def.tiltak_dir).join(&target.folder).join(file_name);
    let old_abs = root.join(&t.path);
    let bytes = fs::read(&old_abs).map_err(|e| Error::io(&old_abs, e))?;
    let text = String::from_utf8(bytes).map_err(|_| Error::usage("the file is not UTF-8"))?;
    let heading = def.criteria_heading(target);
    let new_text = if plan.kind == Move::Backward || t.body.find_section(&heading).is_some() {
        text.clone()
    } else {
        crate::text::edit::append_section(&text, &crate::domain::scaffold::criteria_section(def, target, "\n"))
    };
    let message = gate::commit_message(def, t, &plan, &request);

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

    if args.dry_run {
        let mut s =
            format!("Would move {} → {}\n", crate::diag::display_path(&t.path), crate::diag::display_path(&new_rel));
        if new_text.len() != text.len() {
            s.push_str(&format!("Would append the checklist `## {heading}`\n"));
        }
        s.push_str("Would commit:\n");
        for line in message.lines() {
            s.push_str(&format!("    {}\n", sanitize(line)));
        }
        if !plan.unmet.is_empty() {
            s.push_str(&format!("Forced past {} unmet criteria.\n", plan.unmet.len()));
        }
        if plan.kind != Move::Backward {
            s.push_str(&format!("Every field {} requires is filled in.\n", target.name));
        }
        super::out(&s)?;
        return Ok(Exit::Success);
    }

    let mut tx = Transaction::begin(root)?;
    tx.create(&new_rel, new_text, Some(&t.path));
    tx.remove(&t.path);
    tx.commit(&message)?;
    env.say(&format!("Committed \"{}\".", sanitize(message.lines().next().unwrap_or_default())));
    super::out(&format!("{}\n", env.display(&root.join(&new_rel))))?;
    Ok(Exit::Success)
}

/// Close a tiltak out of its last phase: `state: closed`, one commit; the
/// file stays where it is, every other byte kept.
fn close(
    args: &AdvanceArgs,
    env: &Env,
    root: &Path,
    t: &crate::domain::tiltak::Tiltak,
    plan: &gate::Plan,
    message: &str,
) -> Result<Exit> {
    let abs = root.join(&t.path);
    let bytes = fs::read(&abs).map_err(|e| Error::io(&abs, e))?;
    let text = String::from_utf8(bytes).map_err(|_| Error::usage("the file is not UTF-8"))?;
    let closed = crate::text::edit::set_field(&text, "state", crate::domain::model::State::Closed.as_str())
        .map_err(|e| Error::usage(format!("cannot edit {}: {e}", t.path.display())))?;
    if args.dry_run {
        let mut s = format!("Would close {} (state: closed)\nWould commit:\n", crate::diag::display_path(&t.path));
        for line in message.lines() {
            s.push_str(&format!("    {}\n", sanitize(line)));
        }
        if !plan.unmet.is_empty() {
            s.push_str(&format!("Forced past {} unmet closing criteria.\n", plan.unmet.len()));
        }
        super::out(&s)?;
        return Ok(Exit::Success);
    }
    let mut tx = Transaction::begin(root)?;
    tx.replace(&t.path, closed);
    tx.commit(message)?;
    env.say(&format!("Committed \"{}\".", sanitize(message.lines().next().unwrap_or_default())));
    super::out(&format!("{}\n", env.display(&abs)))?;
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
