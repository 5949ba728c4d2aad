//! Crossover's engine: prices, sizes and scores running an LLM locally against a cloud API.
//!
//! Pure functions over plain data: no clock, no I/O, no DOM. [`evaluate`] turns a
//! [`Scenario`] into a [`Report`]; [`scenario::query`] turns scenarios into links and back;
//! [`measure`] builds the requests of a live measurement and decodes and summarises what
//! comes back, the page doing the fetching and the timing.
//! Each formula is documented where it is computed.

pub mod break_even;
pub mod calibration;
pub mod capacity;
pub mod catalog;
pub mod chart;
pub mod cost;
pub mod decision;
pub mod export;
pub mod format;
pub mod guide;
pub mod hybrid;
pub mod inputs;
pub mod json;
pub mod measure;
pub mod measured;
pub mod memory;
pub mod plan;
pub mod presets;
pub mod prices;
pub mod report;
pub mod scenario;
pub mod sensitivity;
pub mod serving;
pub mod sweep;
pub mod table;
pub mod tco;
pub mod working;

pub use report::{evaluate, Report};
pub use scenario::Scenario;
