//! Small utilities with no knowledge of portfolios: work spread over the
//! cores, files written atomically, and text sent out in pieces.

pub mod atomic;
pub mod parallel;
pub mod pieces;
