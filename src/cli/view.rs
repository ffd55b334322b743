//! What the read-only views (`report`, `board`) share: as of when, which
//! tiltak, which language.

use clap::Args;

use super::Env;
use crate::domain::process::{Language, ProcessDefinition};
use crate::error::Result;
use crate::store::portfolio::Reading;
use crate::store::view::{Filters, View};

/// What `report` and `board` show: as of when, which tiltak, which language.
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// As of a commit, branch or tag, or a date (YYYY-MM-DD: the last commit
    /// made on or before that day, on HEAD's first-parent line).
    #[arg(long, value_name = "REV|DATE")]
    pub at: Option<String>,
    /// Only this product group.
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
    /// Only this segment.
    #[arg(long, value_name = "SEGMENT")]
    pub segment: Option<String>,
    /// Language of labels (default: the portfolio's).
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<Language>,
}

impl ViewArgs {
    /// The portfolio as of `--at`, with `--group` and `--segment` checked.
    pub fn open(&self, env: &Env) -> Result<(View, Filters)> {
        self.open_reading(env, Reading::Checked)
    }

    /// Like [`ViewArgs::open`], reading each tiltak as `reading` says.
    pub fn open_reading(&self, env: &Env, reading: Reading) -> Result<(View, Filters)> {
        let view = View::open_reading(&env.cwd, &env.ctx, self.at.as_deref(), reading)?;
        let filters = view.filters(self.group.as_deref(), self.segment.as_deref())?;
        Ok((view, filters))
    }

    /// The language of labels: `--lang`, else the portfolio's.
    pub fn language(&self, def: &ProcessDefinition) -> Language {
        self.lang.unwrap_or(def.language)
    }
}
