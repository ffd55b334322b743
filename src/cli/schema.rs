use super::{Env, Exit};
use crate::error::Result;
use crate::render::schema;
use clap::{Args, ValueEnum};

pub fn run(args: &SchemaArgs, env: &Env) -> Result<Exit> {
    let value = match args.kind {
        SchemaKind::Tiltak => {
            let root = crate::store::portfolio::find_root(&env.cwd)?;
            let def = crate::store::portfolio::load_definition(&root)?;
            schema::tiltak(Some(&def))
        }
        SchemaKind::Portfolio => schema::definition(),
        SchemaKind::Diagnostics => schema::diagnostics(),
        SchemaKind::Report => schema::report(),
        SchemaKind::National => schema::national(),
        SchemaKind::NationalReport => schema::national_report(),
    };
    super::out(&schema::to_pretty(&value))?;
    Ok(Exit::Success)
}

/// Which schema to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// Tiltak front matter, with this portfolio's allowed values.
    Tiltak,
    /// portfolio.yaml itself.
    Portfolio,
    /// The JSON output of `check --format json`.
    Diagnostics,
    /// The JSON report (`report --format json`).
    Report,
    /// national.yaml, the portfolios of a national report.
    National,
    /// The JSON national report (`report --format json` on a national file).
    NationalReport,
}

/// Print a JSON Schema, for editors and other tools.
///
/// By default the schema of this portfolio's tiltak front matter, with the
/// segments, product groups, goals and SDGs of its portfolio.yaml as enums.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[arg(value_enum, default_value = "tiltak")]
    pub kind: SchemaKind,
}
