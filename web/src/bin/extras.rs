//! The module the page loads on demand (see `crossover_web::extras`): its exported functions
//! open the measurement panel and write the report exports.

use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the measurement panel into the page's `#measure-root`.
#[wasm_bindgen]
pub fn open_measure() {
    crossover_web::measure::mount();
}

/// Downloads the export `kind` (`md`, `csv`, `json`) of the scenario in `search`, with
/// `link` written into it; returns the reason when it could not.
#[wasm_bindgen]
pub fn export_file(kind: &str, search: &str, link: &str) -> Option<String> {
    crossover_web::extras::export_file(kind, search, link).err()
}

fn main() {}
