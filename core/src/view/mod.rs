//! What the page and the exports show, as plain data: tables, charts, "Show the math",
//! exports, and how numbers are written. Reads the engine's figures; computes none of its own.

pub mod chart;
pub mod export;
pub mod format;
pub mod load_steps;
pub mod table;
pub mod working;
