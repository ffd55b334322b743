//! The domain: the process definition, a tiltak and its criteria, the plan
//! of a gate, the commit trailers that record decisions, and the events of a
//! tiltak's history. Pure: no I/O, tested over hand-built inputs.

pub mod benefits;
pub mod gate;
pub mod history;
pub mod model;
pub mod national;
pub mod process;
pub mod risks;
pub mod round;
pub mod scaffold;
pub mod tiltak;
pub mod trailer;
pub mod values;
