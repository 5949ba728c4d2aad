//! Reusable views: inputs, result panels, tables and charts.

pub mod catalog;
pub mod chart;
pub mod deferred;
pub mod fields;
pub mod figures;
pub mod inputs;
pub mod measure_slot;
pub mod panels;
pub mod share;
pub mod table;
