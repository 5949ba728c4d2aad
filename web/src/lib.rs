//! The Crossover web app, over crossover-core: the calculator's form, headline figures and
//! warnings (the `crossover-web` binary) and, loaded on demand, the panels below them, the live
//! measurement, the exports and "Show the math" (the `crossover-extras` binary).

pub mod app;
pub mod components;
pub mod loader;
pub mod measure;
pub mod ondemand;
pub mod services;
pub mod state;
