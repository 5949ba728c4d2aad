//! What the panels module ([`crate::loader::PANELS`]) does for the page: it draws the panels
//! below the headline figures, the capacity curves of the scenario and the catalog's tables
//! (see [`crate::components::deferred`]), writes the report exports and works out "Show the
//! math".

use crate::components::chart::ChartView;
use crate::components::panels::Panels;
use crate::components::table::DataTable;
use crate::loader::MARKDOWN_KEY;
use crate::services::browser;
use crate::state::AppState;
use crossover_core::codec::link;
use crossover_core::engine::inputs::Inputs;
use crossover_core::engine::plan::Plan;
use crossover_core::evaluate;
use crossover_core::view::chart::capacity_curves;
use crossover_core::view::export;
use crossover_core::view::table;
use crossover_core::view::working::working;
use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::{JsCast, JsValue};

/// viewBox of each capacity chart, as the cost charts'.
const WIDTH: f64 = 420.0;
const HEIGHT: f64 = 270.0;

thread_local! {
    /// The state the panels show, once they are mounted.
    static PANELS: Cell<Option<AppState>> = const { Cell::new(None) };
    /// The query the capacity curves show, once they are mounted.
    static CAPACITY: Cell<Option<RwSignal<String>>> = const { Cell::new(None) };
}

fn root(id: &str) -> Option<web_sys::HtmlElement> {
    let root = document().get_element_by_id(id)?.dyn_into().ok()?;
    Some(root)
}

/// Draws the panels below the headline figures for the scenario in `search` into
/// `#panels-root`, or moves them on to it when they are there.
pub fn render_panels(search: &str) {
    if let Some(state) = PANELS.get() {
        state.follow(search);
        return;
    }
    let Some(root) = root("panels-root") else {
        return;
    };
    let search = search.to_string();
    leptos::mount::mount_to(root, move || {
        let state = AppState::following(&search);
        PANELS.set(Some(state));
        provide_context(state);
        view! { <Panels /> }
    })
    .forget();
}

/// Draws the capacity curves of the scenario in `search` into `#capacity-root`, or redraws
/// them for it when they are there.
pub fn render_capacity(search: &str) {
    if let Some(shown) = CAPACITY.get() {
        shown.set(search.to_string());
        return;
    }
    let Some(root) = root("capacity-root") else {
        return;
    };
    root.set_inner_html("");
    let search = search.to_string();
    leptos::mount::mount_to(root, move || {
        let shown = RwSignal::new(search);
        CAPACITY.set(Some(shown));
        view! { <CapacityCurves search=shown /> }
    })
    .forget();
}

/// The replica's output and each stream's speed against the requests in flight.
#[component]
fn CapacityCurves(search: RwSignal<String>) -> impl IntoView {
    let charts = Memo::new(move |_| {
        let scenario = search.with(|s| link::decode(s).scenario);
        capacity_curves(&Plan::new(Inputs::resolve(&scenario).0), WIDTH, HEIGHT)
    });
    let replica = Memo::new(move |_| charts.with(|c| c.0.clone()));
    let stream = Memo::new(move |_| charts.with(|c| c.1.clone()));
    view! {
        <div class="capacity-charts">
            <ChartView chart=replica id="chart-capacity-replica" readout_testid="chart-readout-capacity-replica" />
            <ChartView chart=stream id="chart-capacity-stream" readout_testid="chart-readout-capacity-stream" />
        </div>
    }
}

/// Draws the catalog's tables into `#catalog-root`, once: capability by task, benchmarks,
/// hardware, local models, and the serving model's estimates against measurements.
pub fn render_catalog() {
    if let Some(root) = root("catalog-root").filter(|r| r.child_element_count() == 0) {
        leptos::mount::mount_to(root, CatalogTables).forget();
    }
}

#[component]
fn CatalogTables() -> impl IntoView {
    let task = RwSignal::new(0usize);
    view! {
        <h3>"Capability by task"</h3>
        <div class="field">
            <label for="task">"Task"</label>
            <select id="task" data-testid="task" on:change=move |ev| {
                task.set(event_target_value(&ev).parse().unwrap_or(0));
            }>
                {table::TASKS.iter().enumerate().map(|(i, name)| view! { <option value=i.to_string()>{*name}</option> }).collect_view()}
            </select>
        </div>
        <DataTable testid="capability-table" label="Capability by task" table=Memo::new(move |_| table::capabilities(task.get())) />
        <h3>"Benchmarks"</h3>
        <DataTable testid="benchmark-table" label="Benchmarks" table=table::benchmarks() />
        <h3>"Hardware"</h3>
        <DataTable testid="hardware-table" label="Hardware" table=table::hardware() />
        <p class="note">{table::HARDWARE_NOTE}"."</p>
        <h3>"Local models"</h3>
        <DataTable testid="local-model-table" label="Local models" table=table::local_models() />
        <h3>"How good are our estimates"</h3>
        <p class="hint">"Every published measurement the serving model is fitted on, against its estimate at the same settings: "{crossover_core::engine::calibration::summary()}". Each estimated instead with the fits of the table without its own row, as a machine with no measurement of its own would be: "{crossover_core::engine::calibration::HELD_OUT_SUMMARY}". A decode estimate's range is that held-out spread over its memory class."</p>
        <DataTable testid="accuracy-table" label="Estimates against measurements" table=table::accuracy() />
    }
}

/// Downloads the export `kind` (`md`, `csv` or `json`) of the scenario in `search`;
/// `link` is the address written into it.
pub fn export_file(kind: &str, search: &str, link: &str) -> Result<(), String> {
    let scenario = link::decode(search).scenario;
    let report = evaluate(&scenario);
    match kind {
        "md" => {
            let mut text = export::markdown(&scenario, &report, link);
            if let Some(measurement) = browser::stored_session(MARKDOWN_KEY) {
                text.push('\n');
                text.push_str(&measurement);
            }
            browser::download("crossover-report.md", "text/markdown", &text)
        }
        "csv" => browser::download(
            "crossover-volume-sweep.csv",
            "text/csv",
            &export::sweep_csv(&report),
        ),
        _ => {
            let export = export::Export {
                link,
                scenario: &scenario,
                report: &report,
            };
            browser::download(
                "crossover-scenario.json",
                "application/json",
                &json(&export),
            )
        }
    }
}

/// The working of every figure of the scenario in `search`, as plain objects, for "Show the
/// math" wherever it is (the headline figures are in the page's own module).
pub fn working_of(search: &str) -> JsValue {
    let scenario = link::decode(search).scenario;
    let report = evaluate(&scenario);
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(&working(&report, &scenario), &serializer).unwrap_or(JsValue::NULL)
}

/// Pretty JSON through the browser's own serializer (smaller than bundling one).
fn json(export: &export::Export) -> String {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(export, &serializer)
        .ok()
        .and_then(|value| {
            js_sys::JSON::stringify_with_replacer_and_space(&value, &JsValue::NULL, &2.into()).ok()
        })
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}
