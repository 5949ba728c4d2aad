//! The module the page loads on demand (see `crossover_web::extras`): its exported functions
//! draw the panels below the headline figures, open the measurement panel, write the report
//! exports, read price files and work out "Show the math".

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

/// Reads a LiteLLM price file: what the page keeps of it, as text (see
/// `crossover_core::codec::prices::LoadedPrices::decode`).
#[wasm_bindgen]
pub fn read_price_file(json: &str) -> String {
    crossover_core::codec::prices::read_price_file(json)
}

/// Draws the panels below the headline figures for the scenario in `search`, or moves them on
/// to it (see `crossover_web::ondemand`).
#[wasm_bindgen]
pub fn render_panels(search: &str) {
    crossover_web::ondemand::render_panels(search);
}

/// Draws the capacity curves of the scenario in `search` (see `crossover_web::ondemand`).
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
    crossover_web::extras::working_of(search)
}

fn main() {
    crossover_web::extras::started_here();
}
