//! Library errors: faults that stop a command (as opposed to findings, which
//! are diagnostics). Each maps to exit code 2 except where noted.

use std::path::PathBuf;

use crate::diag::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no portfolio.yaml found in {} or any folder above it", .searched.display())]
    NoPortfolio { searched: PathBuf },

    #[error("portfolio.yaml is invalid")]
    InvalidDefinition {
        /// The portfolio root the diagnostics' paths are relative to.
        root: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },

    #[error("cannot read {}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot write {}", .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{0}")]
    Git(String),

    /// The commit was made, but a later step failed: nothing may be undone.
    #[error("{0}")]
    AfterCommit(String),

    #[error("{message}")]
    Usage { message: String, hint: Option<String> },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }

    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Write { path: path.into(), source }
    }

    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage { message: message.into(), hint: None }
    }

    pub fn usage_hint(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Usage { message: message.into(), hint: Some(hint.into()) }
    }

    /// Advice to show under the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NoPortfolio { .. } => Some("run `portfolio init` to create one, or pass `-C <DIR>`".to_owned()),
            Error::Usage { hint, .. } => hint.clone(),
            Error::AfterCommit(_) => {
                Some("the commit is made and the file is right; run `git status` and `git reset -q -- <file>` to refresh the index".to_owned())
            }
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
