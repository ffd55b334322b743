use clap::Args;
use std::fs;
use std::path::Path;

use super::{Env, Exit};
use crate::domain::gate::{self, Move, Refusal, Request};
use crate::error::{Error, Result};
use crate::git::{Change, Repo};
use crate::text::clean::sanitize;

pub fn run(args: &AdvanceArgs, env: &Env) -> Result<Exit> {
    let portfolio = env.load_for(&args.id)?;
    let def = &portfolio.def;
    let root = &portfolio.root;
    let t = portfolio.find(&args.id, &env.cwd)?;

    // A file that breaks rules cannot pass a gate: the same engine as `check`.
    let errors: Vec<_> = portfolio.diagnostics_for(&t.path).filter(|d| d.is_error()).cloned().collect();
    if !errors.is_empty() {
        let source = |p: &Path| fs::read_to_string(root.join(p)).ok();
        eprint!("{}", crate::render::diagnostics::to_text(&errors, &env.err_style, &source));
        eprintln!(
            "{}: {} has {} error(s); fix them before requesting a gate (nothing was changed)",
            env.err_style.error("refused"),
            t.id(),
            errors.len()
        );
        return Ok(Exit::RuleBroken);
    }
    let to = args.to.as_deref().map(|q| def.require_phase(q)).transpose()?;
    let request = Request { to, force: args.force, reason: args.reason.as_deref(), decided_by: args.by.as_deref() };
    let plan = match gate::plan(def, t, &request) {
        Ok(plan) => plan,
        Err(Refusal::NotAllowed { message, hint }) => return Err(Error::Usage { message, hint }),
        Err(Refusal::CriteriaNotMet { from, unmet }) => {
            let phase = &def.phases[from];
            let style = &env.err_style;
            eprintln!(
                "{}: {} cannot leave {}: {} of {} exit criteria are not met",
                style.error("gate not met"),
                sanitize(t.id()),
                phase.name,
                unmet.len(),
                phase.criteria.len()
            );
            for c in &unmet {
                let criterion = &phase.criteria[c.criterion];
                let place = c
                    .location
                    .map(|l| format!(" ({}:{})", crate::diag::display_path(&t.path), l.line))
                    .unwrap_or_default();
                eprintln!("  {} {}{place}", style.error("✘"), sanitize(&criterion.text));
                if let Some(why) = c.outcome.explain() {
                    eprintln!("      {}", sanitize(&why));
                }
            }
            eprintln!("Nothing was changed. Tick the criteria with their evidence, or use --force --reason \"…\".");
            return Ok(Exit::RuleBroken);
        }
    };

    let target = &def.phases[plan.to];
    let file_name = t.path.file_name().ok_or_else(|| Error::usage("the tiltak has no file name"))?;
    let old_abs = root.join(&t.path);
    let new_rel = Path::new(&def.tiltak_dir).join(&target.folder).join(file_name);
    let new_abs = root.join(&new_rel);
    if fs::symlink_metadata(&new_abs).is_ok() {
        return Err(Error::usage(format!("{} already exists; refusing to overwrite it", new_rel.display())));
    }
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
    if plan.kind != Move::Backward {
        let (_, diags) = crate::store::portfolio::parse_with_rules(def, &new_rel, Some(plan.to), &new_text, &env.ctx);
        let errors: Vec<_> = diags.into_iter().filter(|d| d.is_error()).collect();
        if !errors.is_empty() {
            let source = |_: &Path| Some(new_text.clone());
            eprint!("{}", crate::render::diagnostics::to_text(&errors, &env.err_style, &source));
            eprintln!(
                "{}: in {} the file would break {} rule(s); fill in what {} requires first (nothing was changed)",
                env.err_style.error("gate not met"),
                target.name,
                errors.len(),
                target.name
            );
            return Ok(Exit::RuleBroken);
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
        super::out(&s)?;
        return Ok(Exit::Success);
    }

    let repo = Repo::discover(root)?;
    repo.ensure_ready_to_commit()?;
    repo.ensure_definition_committed(&portfolio.root)?;
    repo.signatures()?;
    let old_git = repo.relative(&old_abs)?;
    let new_dir = new_abs.parent().ok_or_else(|| Error::usage("bad target path"))?;
    let created_dir = !new_dir.exists();
    fs::create_dir_all(new_dir).map_err(|e| Error::write(new_dir, e))?;
    let undo = || {
        let _ = fs::remove_file(&new_abs);
        if created_dir {
            let _ = fs::remove_dir(new_dir);
        }
    };
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&new_abs)
        .and_then(|mut f| std::io::Write::write_all(&mut f, new_text.as_bytes()))
        .and_then(|()| fs::metadata(&old_abs).and_then(|m| fs::set_permissions(&new_abs, m.permissions())));
    if let Err(e) = written {
        undo();
        return Err(Error::write(&new_abs, e));
    }
    let new_git = repo.relative(&new_abs.canonicalize().map_err(|e| Error::io(&new_abs, e))?)?;
    match repo.commit_changes(&[Change::Remove { path: old_git }, Change::Write { path: new_git }], &message) {
        Ok(_) => {}
        // Committed: the work tree must follow the commit, not be undone.
        Err(e @ Error::AfterCommit(_)) => {
            let _ = fs::remove_file(&old_abs);
            return Err(e);
        }
        Err(e) => {
            undo();
            return Err(e);
        }
    }
    // The commit holds the move; now the work tree follows.
    if let Err(e) = fs::remove_file(&old_abs) {
        eprintln!("warning: committed, but could not remove {}: {e}", old_abs.display());
    }
    env.say(&format!("Committed \"{}\".", sanitize(message.lines().next().unwrap_or_default())));
    super::out(&format!("{}\n", env.display(&new_abs)))?;
    Ok(Exit::Success)
}

/// Request a phase gate: move the tiltak to its next phase, as one commit.
///
/// Evaluates the current phase's exit criteria. When any is unmet, lists each
/// and why, exits 1 and changes nothing. When all are met, one commit renames
/// the file into the next phase's folder and appends that phase's unticked
/// checklist; it holds this tiltak and nothing else, with trailers Tiltak,
/// Phase-From, Phase-To, Decided-By and (when forced) Forced.
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
    /// Pass the gate although criteria are unmet or phases are skipped (needs --reason).
    #[arg(long)]
    pub force: bool,
    /// Why the gate is forced, or why the tiltak moves back.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Who decided (recorded as the Decided-By trailer).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}
