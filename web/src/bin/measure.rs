//! The measurement module the page loads on demand (see `crossover_web::loader::MEASURE`): the
//! live measurement panel.

use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the measurement panel into the page's `#measure-root`.
#[wasm_bindgen]
pub fn open_measure() {
    crossover_web::measure::mount();
}

fn main() {}
