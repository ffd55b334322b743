use clap::Args;
use std::fs;
use std::path::Path;

use super::{Env, Exit};
use crate::domain::process::{self, ProcessDefinition, Template};
use crate::error::{Error, Result};

pub fn run(args: &InitArgs, env: &Env) -> Result<Exit> {
    let dir = env.cwd.canonicalize().map_err(|e| Error::io(&env.cwd, e))?;
    let file = dir.join(process::FILE_NAME);
    if fs::symlink_metadata(&file).is_ok() {
        return Err(Error::usage_hint(
            format!("{} already exists; refusing to overwrite it", file.display()),
            "edit it by hand, or run `portfolio init` in another folder",
        ));
    }
    let mut text = args.template.text().to_owned();
    if let Some(name) = &args.name {
        text = with_name(&text, &crate::text::clean::sanitize(name));
    }
    // What init writes must be valid; a failure here is a bug in the template.
    let def = ProcessDefinition::parse(&text, Path::new(process::FILE_NAME))
        .map_err(|diagnostics| Error::InvalidDefinition { root: dir.clone(), diagnostics })?;

    // Check before writing: every phase folder must be free to be a folder,
    // and the portfolio must not land in a Git folder or a bare repository.
    let found = crate::git::Repo::find_work_tree(&dir)?;
    for phase in &def.phases {
        let folder = dir.join(&def.tiltak_dir).join(&phase.folder);
        let mut at = folder.as_path();
        while at != dir {
            if fs::symlink_metadata(at).is_ok_and(|m| !m.is_dir()) {
                return Err(Error::usage_hint(
                    format!("{} is in the way: it is not a folder", at.display()),
                    "move it aside, or run `portfolio init` in another folder; nothing was changed",
                ));
            }
            at = at.parent().unwrap_or(&dir);
        }
    }
    let git_init = found.is_none();
    if git_init {
        crate::git::Repo::init(&dir)?;
    }
    // Create the folders first, the file last: the file marks the portfolio.
    for phase in &def.phases {
        let folder = dir.join(&def.tiltak_dir).join(&phase.folder);
        fs::create_dir_all(&folder).map_err(|e| Error::write(&folder, e))?;
        let keep = folder.join(".gitkeep");
        if !keep.exists() {
            fs::write(&keep, "").map_err(|e| Error::write(&keep, e))?;
        }
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .map_err(|e| Error::write(&file, e))?;

    if git_init {
        env.say(&format!("Initialised an empty Git repository in {}", dir.display()));
    }
    env.say(&format!(
        "Created {} ({}) with {} phases under {}/.\n\nNext:\n  git add {} {} && git commit -m \"Start the portfolio\"\n  portfolio new \"Tittel på tiltaket\" --owner \"Navn\"   propose a tiltak\n  portfolio check                                   validate the portfolio\n\nNothing is committed yet: review portfolio.yaml, then commit it.",
        process::FILE_NAME,
        def.name,
        def.phases.len(),
        def.tiltak_dir,
        process::FILE_NAME,
        def.tiltak_dir
    ));
    Ok(Exit::Success)
}

/// Replace the top-level `name:` line, keeping every other byte.
fn with_name(text: &str, name: &str) -> String {
    let mut out = String::with_capacity(text.len() + name.len());
    let mut done = false;
    for line in text.split_inclusive('\n') {
        if !done && line.starts_with("name:") {
            out.push_str(&format!("name: {}\n", crate::domain::scaffold::yaml_scalar(name)));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Create a portfolio: portfolio.yaml and one folder per phase.
///
/// Runs `git init` first when the folder is not inside a Git repository.
/// Refuses to overwrite an existing portfolio.yaml. Commits nothing.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The process to start from.
    #[arg(long, value_enum, default_value = "digdir")]
    pub template: Template,
    /// The portfolio's name (default: the template's).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}
