use clap::Args;
use clap::CommandFactory;

use super::Exit;
use crate::error::Result;

pub fn run(args: &CompletionsArgs) -> Result<Exit> {
    let mut buf = Vec::new();
    let mut cmd = super::Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "portfolio", &mut buf);
    let mut script = String::from_utf8_lossy(&buf).into_owned();
    if args.shell == clap_complete::Shell::Fish {
        script.push_str(&fish_positionals(&cmd));
    }
    super::out(&script)?;
    Ok(Exit::Success)
}

/// clap_complete's fish script completes options, not positional values
/// (`portfolio schema <TAB>` offered file names): one line per subcommand
/// whose positional argument has fixed values, in fish's own syntax.
fn fish_positionals(cmd: &clap::Command) -> String {
    let mut out = String::new();
    for sub in cmd.get_subcommands() {
        let values: Vec<String> = sub
            .get_positionals()
            .flat_map(|arg| arg.get_possible_values())
            .filter(|v| !v.is_hide_set())
            .map(|v| match v.get_help() {
                Some(help) => format!("{}\\t'{}'", v.get_name(), fish_quote(&help.to_string())),
                None => v.get_name().to_owned(),
            })
            .collect();
        if !values.is_empty() {
            out.push_str(&format!(
                "complete -c portfolio -n \"__fish_portfolio_using_subcommand {}\" -f -a \"{}\"\n",
                sub.get_name(),
                values.join("\n")
            ));
        }
    }
    out
}

/// Text inside fish's single quotes (within the double-quoted `-a` list).
fn fish_quote(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\'', "\\'").replace('"', "\\\"").replace('$', "\\$")
}

/// Print shell completions.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}
