//! The Crossover web app: the calculator (the `crossover-web` binary) and, loaded on demand,
//! the live measurement panel and the exports (the `crossover-extras` binary), over
//! crossover-core.

pub mod app;
pub mod components;
pub mod extras;
pub mod measure;
pub mod ondemand;
pub mod services;
pub mod state;
