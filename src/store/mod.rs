//! Where portfolios are read from and written to: a portfolio loaded from
//! disk or from a commit, the next free ID, and the one transaction every
//! command that commits goes through.

pub mod compared;
pub mod history;
pub mod ids;
pub mod national;
pub mod portfolio;
pub mod rounds;
pub mod since;
pub mod span;
pub mod stays;
pub mod transaction;
pub mod view;
