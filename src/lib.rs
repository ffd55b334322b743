//! `portfolio`: a public-sector project portfolio (porteføljestyring) as
//! plain text in Git.
//!
//! Each initiative — a *tiltak* — is a YAML-fronted Markdown file whose
//! folder is its phase. The modules are layers, each importing only those
//! below it:
//!
//! | layer | what it holds |
//! |---|---|
//! | [`cli`] | clap, one file per command (`Args` + `run`); the only code that prints |
//! | [`render`] | terminal tables, Markdown, HTML, CSV, JSON Schema, diagnostics |
//! | [`report`] | the report's typed model, its builders and its one layout |
//! | [`import`] | moving a portfolio in: the map file, GitHub and spreadsheet readers, the plan of new files |
//! | [`store`] | a portfolio loaded from disk or a commit, ID allocation, the one transaction |
//! | [`rules`] | what makes a tiltak or a portfolio valid, as diagnostics |
//! | [`domain`] | process definition, tiltak, criteria, gate plan, trailers, history events |
//! | [`text`] | front-matter split, Markdown body, YAML helpers, byte-preserving edits, slugs |
//! | [`git`] | git2 only: open, read, walk, commit, cache — no domain types |
//! | [`util`] | parallel map, atomic write |
//!
//! [`diag`] (findings as data) and [`error`] are the vocabulary every layer
//! speaks.

pub mod cli;
pub mod diag;
pub mod domain;
pub mod error;
pub mod git;
pub mod import;
pub mod render;
pub mod report;
pub mod rules;
pub mod store;
pub mod text;
pub mod util;

pub use error::{Error, Result};
