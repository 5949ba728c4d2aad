//! The panels module the page loads on demand (see `crossover_web::loader::PANELS`): its
//! exported functions draw the panels below the headline figures, the capacity curves and the
//! catalog's tables, and work out "Show the math".

use wasm_bindgen::prelude::wasm_bindgen;

/// Draws the panels below the headline figures for the scenario in `search`, or moves them on
/// to it (see `crossover_web::ondemand`).
#[wasm_bindgen]
pub fn render_panels(search: &str) {
    crossover_web::ondemand::render_panels(search);
}

/// Draws the capacity curves of the scenario in `search`.
#[wasm_bindgen]
pub fn render_capacity(search: &str) {
    crossover_web::ondemand::render_capacity(search);
}

/// Draws the catalog's model, hardware and accuracy tables.
#[wasm_bindgen]
pub fn render_catalog(_search: &str) {
    crossover_web::ondemand::render_catalog();
}

/// The working behind every figure of the scenario in `search`, as an array of
/// `{figure, title, formula, substituted, result}` (see `crossover_core::view::working`).
#[wasm_bindgen]
pub fn working_of(search: &str) -> wasm_bindgen::JsValue {
    crossover_web::ondemand::working_of(search)
}

fn main() {}
