//! Model and hardware comparisons from the catalogs, with dates and sources, and a price file
//! loader that refreshes the cloud prices of the scenario.

use super::deferred::Deferred;
use super::table::DataTable;
use crate::loader::PANELS;
use crate::loader::{kept_price_file, PRICE_FILE_KEY};
use crate::services::browser;
use crate::state::AppState;
use crossover_core::codec::prices::{read_price_file, LoadedPrices};
use crossover_core::view::format::{count, price};
use crossover_core::view::table;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// The cloud prices with the price file loader; the model, hardware and accuracy tables are
/// drawn on demand (see [`crate::ondemand::render_catalog`]).
#[component]
pub fn Catalog() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="catalog-title" data-testid="catalog">
            <h2 id="catalog-title">"Models and hardware"</h2>
            <h3>"Cloud prices"</h3>
            <DataTable testid="price-table" label="Cloud prices" table=table::cloud_prices() />
            <PriceFile />
            <p class="hint">"Capability and benchmarks of the local models, their architecture, the hardware's specifications, and every published measurement the serving model is fitted on against its estimate at the same settings."</p>
            <Deferred name="catalog" module=PANELS render="render_catalog" button="Show the model, hardware and accuracy tables" loading="Loading the tables…" />
        </section>
    }
}

/// Loads a LiteLLM price file (chosen or pasted): writes the scenario's cloud model's prices
/// into the scenario as overrides, keeps the file in this tab for the next model chosen (see
/// [`PRICE_FILE_KEY`]), and shows its prices against the catalog's.
#[component]
fn PriceFile() -> impl IntoView {
    let state = expect_context::<AppState>();
    let kept = RwSignal::new(kept_price_file());
    let status = RwSignal::new(None::<Result<String, String>>);
    let pasted = RwSignal::new(String::new());
    // What the page keeps of the file goes through the text that the calculator's own module
    // reads back when a cloud model is chosen (see `PRICE_FILE_KEY`).
    let load = move |json: String| {
        let text = read_price_file(&json);
        status.set(Some(
            LoadedPrices::decode(&text)
                .map_err(|e| e.to_string())
                .map(|file| {
                    browser::store_session(PRICE_FILE_KEY, &text);
                    let said = apply_prices(state, &file);
                    kept.set(Some(file));
                    said
                }),
        ));
    };
    let compared =
        move || kept.with(|file| table::price_refresh(file.as_ref().map_or(&[], |f| &f.catalog)));
    let on_file = move |ev: leptos::ev::Event| {
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            let text = wasm_bindgen_futures::JsFuture::from(file.text());
            spawn_local(async move {
                match text.await.ok().and_then(|v| v.as_string()) {
                    Some(json) => load(json),
                    None => status.set(Some(Err("the file could not be read".into()))),
                }
            });
        }
    };
    view! {
        <details class="price-file">
            <summary>"Refresh prices from a LiteLLM price file"</summary>
            <p class="note">"A model_prices_and_context_window.json file; the current cloud model's prices are written into the scenario."</p>
            <label for="price-file">"Choose a file"</label>
            <input id="price-file" type="file" accept="application/json,.json" data-testid="price-file" on:change=on_file />
            <label for="price-paste">"or paste its JSON"</label>
            <textarea id="price-paste" rows="4" data-testid="price-paste" prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
            <button type="button" class="chip" data-testid="price-apply" on:click=move |_| load(pasted.get_untracked())>"Apply pasted prices"</button>
            <p data-testid="price-status" aria-live="polite" class:error=move || matches!(status.get(), Some(Err(_)))>
                {move || status.get().map(|s| s.unwrap_or_else(|e| e))}
            </p>
            <div hidden=move || kept.with(Option::is_none)>
                <DataTable testid="price-refresh-table" label="The file's prices against the catalog, $ per 1M tokens: input / output / cached input" table=Signal::derive(compared) />
            </div>
        </details>
    }
}

/// Applies a read price file to the current cloud model; says what it did.
fn apply_prices(state: AppState, file: &LoadedPrices) -> String {
    let mut next = state.scenario.get_untracked();
    let applied = file.apply(&mut next);
    let model = next.cloud_model.clone();
    let models = count(file.models, "model");
    match applied {
        Some((cin, cout)) => {
            state.apply(|s| *s = next);
            format!(
                "applied: {model} at {}/1M in, {}/1M out; a cloud model chosen next takes the file's prices too",
                price(cin),
                price(cout)
            )
        }
        None => format!(
            "loaded {models}, none of them {model}, whose prices stay as they are; a cloud model chosen next takes the file's prices"
        ),
    }
}
