use clap::Args;
use std::fs;

use super::{Env, Exit};
use crate::diag::Severity;
use crate::domain::model::Priority;
use crate::domain::scaffold::{self, NewTiltak};
use crate::error::{Error, Result};
use crate::store::portfolio;
use crate::store::transaction::Transaction;
use crate::store::view::unknown;
use crate::text::clean::one_line;

pub fn run(args: &NewArgs, env: &Env) -> Result<Exit> {
    let root = portfolio::find_root(&env.cwd)?;
    // Only the definition and the file names are needed, not every tiltak parsed.
    let def = &portfolio::load_definition(&root)?;
    let title = one_line(&args.title);
    if title.is_empty() {
        return Err(Error::usage("the title is empty"));
    }
    let priority = match &args.priority {
        Some(p) => Some(
            Priority::parse(p)
                .ok_or_else(|| {
                    Error::usage_hint(format!("priority {p:?} is not allowed"), "use must, should, could or wont")
                })?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    // Named as `portfolio.yaml` spells them; refused with "did you mean"
    // like `report --segment/--group`, and matched the same way.
    let segment = match &args.segment {
        Some(s) => Some(
            def.segment(s).ok_or_else(|| unknown("segment", s, def.segments.iter().map(|s| s.id.as_str())))?.id.clone(),
        ),
        None => None,
    };
    let group = match &args.group {
        Some(g) if !def.product_groups.is_empty() => Some(
            def.product_groups
                .iter()
                .find(|p| crate::text::normalize(p) == crate::text::normalize(g))
                .cloned()
                .ok_or_else(|| unknown("product group", g, def.product_groups.iter().map(String::as_str)))?,
        ),
        other => other.clone(),
    };

    let tx = if args.no_commit { Transaction::begin_uncommitted(&root)? } else { Transaction::begin(&root)? };
    let id = crate::store::ids::next_id(tx.repo(), &root, def)?;
    let first = def.phases.first().ok_or_else(|| Error::usage("portfolio.yaml has no phases"))?;
    let slug = crate::text::slug::slugify(&title);
    let file_name = if slug.is_empty() { format!("{id}.md") } else { format!("{id}-{slug}.md") };
    let folder = root.join(&def.tiltak_dir).join(&first.folder);
    let path = folder.join(&file_name);
    let rel = std::path::Path::new(&def.tiltak_dir).join(&first.folder).join(&file_name);

    let text = scaffold::new_tiltak(
        def,
        &NewTiltak {
            id: id.clone(),
            title: title.clone(),
            owner: args.owner.as_deref().map(one_line),
            organization: args.organization.as_deref().map(one_line),
            product_group: group,
            priority,
            segment,
            created: Some(env.ctx.today),
        },
    );
    // What `new` writes must pass `check`.
    let (_, diags) = portfolio::parse_with_rules(def, &rel, Some(0), &text, &env.ctx);
    let errors: Vec<&str> =
        diags.iter().filter(|d| d.severity == Severity::Error).map(|d| d.message.as_str()).collect();
    if !errors.is_empty() {
        return Err(Error::usage(format!("the new file would not pass check: {}", errors.join("; "))));
    }

    let mut tx = tx;
    tx.create(&rel, text, None);
    let staged = tx.stage()?;
    if args.edit {
        // A failed editor leaves nothing behind: dropping `staged` undoes the file.
        edit(&path)?;
        let edited = fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let (_, diags) = portfolio::parse_with_rules(def, &rel, Some(0), &edited, &env.ctx);
        let errors: Vec<_> = diags.into_iter().filter(|d| d.severity == Severity::Error).collect();
        if !errors.is_empty() {
            // Keep what the user wrote, but never commit a broken file.
            staged.keep();
            let source = |_: &std::path::Path| Some(edited.clone());
            eprint!("{}", crate::render::diagnostics::to_text(&errors, &env.err_style, &source));
            env.say(&format!(
                "{id} was written to {} but not committed: it breaks {} rule(s). Fix it, then `git add` and commit it.",
                env.display(&path),
                errors.len()
            ));
            return Ok(Exit::RuleBroken);
        }
    }
    if args.no_commit {
        staged.keep();
        env.say(&format!("Created {id} (not committed)."));
    } else {
        let message = format!("new {id}: {title}");
        staged.commit(&message)?;
        env.say(&format!("Committed \"{message}\"."));
    }
    super::out(&format!("{}\n", env.display(&path)))?;
    Ok(Exit::Success)
}

fn edit(path: &std::path::Path) -> Result<()> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .map_err(|_| Error::usage_hint("--edit needs an editor", "set $VISUAL or $EDITOR"))?;
    let mut parts = editor.split_whitespace();
    let program = parts.next().ok_or_else(|| Error::usage("$EDITOR is empty"))?;
    let status =
        std::process::Command::new(program).args(parts).arg(path).status().map_err(|e| Error::io(program, e))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::usage(format!("the editor ({editor}) exited with {status}; nothing was committed")))
    }
}

/// Propose a new tiltak in the first phase, as one commit.
///
/// Takes the next ID that is free on every local and remote-tracking branch,
/// writes the file with the first phase's criteria checklist, and commits
/// only that file (`new DD-015: <title>`). Prints the new file's path.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The tiltak's title.
    pub title: String,
    /// The person responsible (ansvarlig).
    #[arg(long)]
    pub owner: Option<String>,
    /// The owning agency (tiltakseier).
    #[arg(long)]
    pub organization: Option<String>,
    /// Segment, from portfolio.yaml.
    #[arg(long)]
    pub segment: Option<String>,
    /// Product group, from portfolio.yaml.
    #[arg(long)]
    pub group: Option<String>,
    /// MoSCoW priority: must, should, could or wont.
    #[arg(long)]
    pub priority: Option<String>,
    /// Write the file but do not commit it.
    #[arg(long)]
    pub no_commit: bool,
    /// Open the new file in $VISUAL or $EDITOR before committing.
    #[arg(long)]
    pub edit: bool,
}
