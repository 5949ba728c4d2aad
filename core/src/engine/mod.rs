//! The calculations: from a resolved scenario to costs, units, break-even, TCO, scores and
//! sensitivity, and the serving model they rest on.

pub mod break_even;
pub mod calibration;
pub mod capacity;
pub mod cost;
pub mod decision;
pub mod guide;
pub mod hybrid;
pub mod inputs;
pub mod memory;
pub mod plan;
pub mod report;
pub mod sensitivity;
pub mod serving;
pub mod sweep;
pub mod tco;
