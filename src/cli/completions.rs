use clap::Args;
use clap::CommandFactory;

use super::Exit;
use crate::error::Result;

pub fn run(args: &CompletionsArgs) -> Result<Exit> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut super::Cli::command(), "portfolio", &mut buf);
    super::out(&String::from_utf8_lossy(&buf))?;
    Ok(Exit::Success)
}

/// Print shell completions.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}
