//! `portfolio`: a public-sector project portfolio (porteføljestyring) as
//! plain text in Git.
//!
//! Each initiative — a *tiltak* — is a YAML-fronted Markdown file whose
//! folder is its phase. The library holds the domain: the process definition
//! ([`process`]), tiltak files ([`tiltak`], [`model`], [`body`]), the rule
//! engine ([`rules`]) producing [`diag`]nostics, the Git edge ([`git`]) and
//! the commands ([`commands`]) that orchestrate them.

pub mod atomic;
pub mod body;
pub mod cli;
pub mod commands;
pub mod diag;
pub mod edit;
pub mod error;
pub mod frontmatter;
pub mod gate;
pub mod git;
pub mod history;
pub mod locate;
pub mod model;
pub mod portfolio;
pub mod process;
pub mod render;
pub mod report;
pub mod rules;
pub mod scaffold;
pub mod schema;
pub mod slug;
pub mod term;
pub mod text;
pub mod tiltak;
pub mod yaml;

pub use error::{Error, Result};
