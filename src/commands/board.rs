use super::{Env, Exit};
use crate::cli::BoardArgs;
use crate::error::Result;

pub fn run(args: &BoardArgs, env: &Env) -> Result<Exit> {
    let _ = (args, env);
    Ok(Exit::Success)
}
