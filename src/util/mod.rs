//! Small utilities with no knowledge of portfolios: work spread over the
//! cores, files written atomically, text sent out in pieces, and values
//! computed once.

pub mod atomic;
pub mod memo;
pub mod parallel;
pub mod pieces;
