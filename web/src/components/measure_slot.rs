//! The place of the live measurement panel: it loads the panel (in the module loaded on
//! demand) when opened, and at once when the link presets a measurement, which still runs
//! nothing until the user presses Run.

use super::deferred::{Deferred, Load};
use crate::loader::MEASURE;
use crossover_core::codec::link;
use crossover_core::codec::link::SETUP_KEYS;
use leptos::prelude::*;

/// The section and its loader.
#[component]
pub fn MeasureSlot() -> impl IntoView {
    let preset = link::pairs(&window().location().search().unwrap_or_default())
        .iter()
        .any(|(key, _)| SETUP_KEYS.contains(&key.as_str()));
    view! {
        <section class="panel measure-slot" id="measure" aria-labelledby="measure-title" data-testid="measure-section">
            <h2 id="measure-title">"Measure live"</h2>
            <p class="hint">
                "Time to first token, decode speed and throughput of your own Ollama or a cloud API, measured from this page with your key. Nothing is sent until you press Run, and only to the addresses shown."
            </p>
            <Deferred name="measure" module=MEASURE render="open_measure" button="Open the measurement panel" loading="Loading the measurement panel…" load=if preset { Load::Now } else { Load::OnClick } />
        </section>
    }
}
