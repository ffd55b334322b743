use super::{Env, Exit};
use crate::cli::{SchemaArgs, SchemaKind};
use crate::error::Result;
use crate::schema;

pub fn run(args: &SchemaArgs, env: &Env) -> Result<Exit> {
    let value = match args.kind {
        SchemaKind::Tiltak => {
            let root = crate::portfolio::find_root(&env.cwd)?;
            let def = crate::portfolio::load_definition(&root)?;
            schema::tiltak(Some(&def))
        }
        SchemaKind::Portfolio => schema::definition(),
        SchemaKind::Diagnostics => schema::diagnostics(),
        SchemaKind::Report => schema::report(),
    };
    super::out(&schema::to_pretty(&value))?;
    Ok(Exit::Success)
}
