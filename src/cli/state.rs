use clap::Args;

use super::{Env, Exit};
use crate::domain::model::State;
use crate::domain::scaffold::yaml_scalar;
use crate::domain::trailer::{self, Key};
use crate::error::{Error, Result};
use crate::store::transaction::Transaction;
use crate::text::clean::sanitize;
use crate::text::edit;

/// `hold`, `stop` and `resume`: set `state` and `state_reason`, one commit.
pub fn run(args: &StateArgs, state: State, env: &Env) -> Result<Exit> {
    let portfolio = env.load_for(&args.id)?;
    let t = portfolio.find(&args.id, &env.cwd)?;
    if !t.readable {
        return Err(Error::usage_hint(format!("{} cannot be read", t.id()), "run `portfolio check` to see why"));
    }
    if t.fm.state() == state {
        return Err(Error::usage(format!("{} is already {state}", t.id())));
    }
    let reason = crate::text::clean::one_line(&args.reason);
    if reason.is_empty() {
        return Err(Error::usage("--reason is empty"));
    }
    let text = crate::store::portfolio::read_source(&portfolio.root, &t.path)?;
    let edit_err = |e: edit::EditError| Error::usage(format!("cannot edit {}: {e}", t.path.display()));
    let mut new_text = edit::set_field(&text, "state", state.as_str()).map_err(edit_err)?;
    new_text = match state {
        State::Active => edit::remove_field(&new_text, "state_reason").map_err(edit_err)?,
        _ => edit::set_field(&new_text, "state_reason", &yaml_scalar(&reason)).map_err(edit_err)?,
    };
    let verb = match state {
        State::OnHold => "hold",
        State::Stopped => "stop",
        State::Active => "resume",
        // `advance` closes a tiltak, from its last phase, never these commands.
        State::Closed => return Err(Error::usage("close a tiltak with `portfolio advance` from its last phase")),
    };
    let message = trailer::message(
        &format!("{verb} {}: {}", t.id(), shorten(&reason)),
        &[(Key::Tiltak, Some(t.id())), (Key::State, Some(state.as_str())), (Key::Reason, Some(&reason))],
    );

    let mut tx = Transaction::begin(&portfolio.root)?;
    tx.replace(&t.path, new_text);
    tx.commit(&message)?;
    env.say(&format!("Committed \"{}\".", sanitize(message.lines().next().unwrap_or_default())));
    Ok(Exit::Success)
}

/// The reason as it fits a commit subject (the full text is in the trailer).
fn shorten(text: &str) -> String {
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(59).collect::<String>())
    } else {
        text.to_owned()
    }
}

/// Put a tiltak on hold, stop it or resume it, as one commit.
///
/// Sets `state` (and `state_reason`) by editing only those lines of the front
/// matter; every other byte of the file is kept.
#[derive(Debug, Args)]
pub struct StateArgs {
    /// The tiltak's ID (case-insensitive) or the path to its file.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Why (recorded in the file and the commit).
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: String,
}
