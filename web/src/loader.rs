//! The modules the page loads on demand, so that its first load stays small: [`PANELS`] (the
//! panels below the headline figures, their exports and price files, "Show the math") and
//! [`MEASURE`] (the live measurement panel). Trunk builds each from a binary of this crate as
//! an ES module beside the page; a module is imported and started the first time something
//! asks for it, and its exported functions are then called by name with string arguments.
//!
//! Code running inside a module reaches it the same way: importing a module again yields the
//! one already running, and starting it again does nothing.

use crate::services::browser;
use crossover_core::codec::prices::LoadedPrices;
use js_sys::{Array, Function, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};

#[wasm_bindgen(inline_js = "export function import_module(url) { return import(url); }")]
extern "C" {
    /// `import(url)`: the module's exports once it has loaded and run.
    fn import_module(url: &str) -> Promise;
}

/// A module loaded on demand, by the name of its script next to the page (Trunk names the
/// script after the binary, and its wasm after the script).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnDemand {
    script: &'static str,
}

/// The panels below the headline figures (the `crossover-extras` binary).
pub const PANELS: OnDemand = OnDemand {
    script: "crossover-extras.js",
};

/// The live measurement panel (the `crossover-measure` binary).
pub const MEASURE: OnDemand = OnDemand {
    script: "crossover-measure.js",
};

/// Where the latest measurement's Markdown waits for the report export.
pub const MARKDOWN_KEY: &str = "crossover-measurement";

/// Where the price file loaded in this tab waits, as [`LoadedPrices::decode`] reads it, to
/// price the cloud model chosen next.
///
/// [`LoadedPrices::decode`]: crossover_core::codec::prices::LoadedPrices::decode
pub const PRICE_FILE_KEY: &str = "crossover-price-file";

/// The price file loaded in this tab, if any (see [`PRICE_FILE_KEY`]).
pub fn kept_price_file() -> Option<LoadedPrices> {
    browser::stored_session(PRICE_FILE_KEY).and_then(|text| LoadedPrices::decode(&text).ok())
}

thread_local! {
    /// Each module's start, by script, shared by every caller; resolves to its exports.
    static STARTED: RefCell<Vec<(&'static str, Promise)>> = const { RefCell::new(Vec::new()) };
    /// The exports of each module that has started, by script.
    static EXPORTS: RefCell<Vec<(&'static str, JsValue)>> = const { RefCell::new(Vec::new()) };
}

impl OnDemand {
    /// Loads and starts the module, once; later calls wait for the same start. A failed start
    /// is forgotten, so the next call tries again.
    pub async fn load(self) -> Result<(), String> {
        let started = STARTED.with(|s| {
            let mut started = s.borrow_mut();
            match started.iter().find(|(script, _)| *script == self.script) {
                Some((_, promise)) => promise.clone(),
                None => {
                    let promise = self.start();
                    started.push((self.script, promise.clone()));
                    promise
                }
            }
        });
        match JsFuture::from(started).await {
            Ok(_) => Ok(()),
            Err(_) => {
                STARTED.with(|s| s.borrow_mut().retain(|(script, _)| *script != self.script));
                Err(
                    "this part of the page could not load; check your connection and try again"
                        .into(),
                )
            }
        }
    }

    /// Imports the script (relative to the page) and runs its start, which fetches its wasm.
    fn start(self) -> Promise {
        let script = self.script;
        let url = web_sys::Url::new_with_base(
            script,
            &leptos::prelude::document()
                .base_uri()
                .ok()
                .flatten()
                .unwrap_or_default(),
        )
        .map(|url| url.href())
        .unwrap_or_else(|_| script.to_string());
        let imported = import_module(&url);
        future_to_promise(async move {
            let exports = JsFuture::from(imported).await?;
            let init: Function = Reflect::get(&exports, &"default".into())?.dyn_into()?;
            JsFuture::from(Promise::from(init.call0(&JsValue::NULL)?)).await?;
            EXPORTS.with(|e| e.borrow_mut().push((script, exports.clone())));
            Ok(exports)
        })
    }

    /// Calls the started module's exported function `name` with string arguments.
    pub fn call(self, name: &str, args: &[&str]) -> Result<JsValue, String> {
        let unavailable = || format!("{name} is not available");
        let exports = EXPORTS
            .with(|e| {
                e.borrow()
                    .iter()
                    .find(|(script, _)| *script == self.script)
                    .map(|(_, exports)| exports.clone())
            })
            .ok_or_else(unavailable)?;
        let function: Function = Reflect::get(&exports, &name.into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(unavailable)?;
        let args: Array = args.iter().map(|a| JsValue::from_str(a)).collect();
        function
            .apply(&JsValue::NULL, &args)
            .map_err(|_| unavailable())
    }
}
