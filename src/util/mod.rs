//! Small utilities with no knowledge of portfolios: work spread over the
//! cores, and files written atomically.

pub mod atomic;
pub mod parallel;
