//! The part of the page loaded on demand: the panels below the headline figures (charts,
//! tables, live measurement, sharing and exports, catalog and price files) and "Show the math"
//! live in a second module (the `crossover-extras` binary), fetched when those panels come
//! near the screen or someone opens a working, so the calculator's first load stays small.
//!
//! The calculator talks to it through functions the module exports; the module reads the
//! scenario from the link, which always holds all of it.

use crate::services::browser;
use crossover_core::codec::link;
use crossover_core::evaluate;
use crossover_core::view::export;
use crossover_core::view::working::working;
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The module's global, `wasm_bindgen`, which its script declares with `let` (so it is
    /// not a property of `window`); read only after the script has run.
    #[wasm_bindgen(thread_local_v2, js_name = wasm_bindgen)]
    static MODULE: JsValue;
}

/// The module's files, next to the page (Trunk builds them, unhashed, from the binary).
const SCRIPT: &str = "crossover-extras.js";
const WASM: &str = "crossover-extras_bg.wasm";

/// Where the latest measurement's Markdown waits for the report export.
pub const MARKDOWN_KEY: &str = "crossover-measurement";

/// Where the price file loaded in this tab waits, as [`LoadedPrices::decode`] reads it, to
/// price the cloud model chosen next.
///
/// [`LoadedPrices::decode`]: crossover_core::codec::prices::LoadedPrices::decode
pub const PRICE_FILE_KEY: &str = "crossover-price-file";

thread_local! {
    /// Resolves once the module has started; shared by every caller.
    static STARTED: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Marks the module as started, for code of this crate running inside it (the panels it
/// draws): [`load`] then has nothing to fetch, and [`call`] reaches the module's own exports.
pub fn started_here() {
    STARTED.with(|s| *s.borrow_mut() = Some(Promise::resolve(&JsValue::UNDEFINED)));
}

/// Loads and starts the module, once; later calls wait for the same start.
pub async fn load() -> Result<(), String> {
    let started = STARTED.with(|s| s.borrow_mut().get_or_insert_with(start).clone());
    match JsFuture::from(started).await {
        Ok(_) => Ok(()),
        Err(_) => {
            STARTED.with(|s| s.borrow_mut().take());
            Err("this part of the page could not load; check your connection and try again".into())
        }
    }
}

fn start() -> Promise {
    Promise::new(&mut |resolve, reject| {
        let failed = reject.clone();
        let ran = move || {
            let init = || -> Result<JsValue, JsValue> {
                let init: Function = MODULE.with(JsValue::clone).dyn_into()?;
                let options = Object::new();
                Reflect::set(&options, &"module_or_path".into(), &WASM.into())?;
                init.call1(&JsValue::NULL, &options)
            };
            match init() {
                Ok(promise) => {
                    let _ = resolve.call1(&JsValue::NULL, &promise);
                }
                Err(error) => {
                    let _ = reject.call1(&JsValue::NULL, &error);
                }
            }
        };
        browser::load_script(SCRIPT, ran, move || {
            let _ = failed.call0(&JsValue::NULL);
        });
    })
}

/// Calls the module's exported function `name` with string arguments.
pub fn call(name: &str, args: &[&str]) -> Result<JsValue, String> {
    let unavailable = |_| format!("{name} is not available");
    let module = MODULE.with(JsValue::clone);
    let function: Function = Reflect::get(&module, &name.into())
        .map_err(unavailable)?
        .dyn_into()
        .map_err(unavailable)?;
    let args: Array = args.iter().map(|a| JsValue::from_str(a)).collect();
    function.apply(&JsValue::NULL, &args).map_err(unavailable)
}

/// Downloads the export `kind` (`md`, `csv` or `json`) of the scenario in `search`;
/// `link` is the address written into it. Runs inside the module.
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

/// The working of every figure of the scenario in `search`, as plain objects; runs inside the
/// module, so the calculator's first load carries none of it.
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
