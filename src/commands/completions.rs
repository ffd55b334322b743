use clap::CommandFactory;

use super::Exit;
use crate::cli::{Cli, CompletionsArgs};
use crate::error::Result;

pub fn run(args: &CompletionsArgs) -> Result<Exit> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "portfolio", &mut buf);
    super::out(&String::from_utf8_lossy(&buf))?;
    Ok(Exit::Success)
}
