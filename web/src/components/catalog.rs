//! Model and hardware comparisons from the catalogs, with dates and sources, and a price file
//! loader that refreshes the cloud prices of the scenario.

use crate::state::AppState;
use crossover_core::catalog::{Capabilities, CLOUD_MODELS, HARDWARE, LOCAL_MODELS};
use crossover_core::format::{number, usd};
use crossover_core::prices::{overrides_for, parse_litellm};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Reads one task's score from a model's capabilities.
type Score = fn(&Capabilities) -> u8;

/// Tasks of the capability matrix: (name, score of a model).
const TASKS: [(&str, Score); 6] = [
    ("coding", |c| c.coding),
    ("reasoning", |c| c.reasoning),
    ("math", |c| c.math),
    ("creative", |c| c.creative),
    ("instruction", |c| c.instruction),
    ("multilingual", |c| c.multilingual),
];

fn percent(value: Option<f64>) -> String {
    value.map_or("—".to_string(), |v| format!("{}%", number(v, 1)))
}

/// The comparison views.
#[component]
pub fn Catalog() -> impl IntoView {
    let task = RwSignal::new(0usize);
    view! {
        <section class="panel" aria-labelledby="catalog-title" data-testid="catalog">
            <h2 id="catalog-title">"Models and hardware"</h2>
            <h3>"Capability by task"</h3>
            <div class="field">
                <label for="task">"Task"</label>
                <select id="task" data-testid="task" on:change=move |ev| {
                    task.set(event_target_value(&ev).parse().unwrap_or(0));
                }>
                    {TASKS.iter().enumerate().map(|(i, (name, _))| view! { <option value=i.to_string()>{*name}</option> }).collect_view()}
                </select>
            </div>
            <div class="table-wrap">
                <table data-testid="capability-table">
                    <thead><tr><th scope="col">"Model"</th><th scope="col">"Runs"</th><th scope="col">"Score (1-10)"</th></tr></thead>
                    <tbody>
                        {move || {
                            let score = TASKS[task.get().min(TASKS.len() - 1)].1;
                            let mut rows: Vec<(&str, &str, u8)> = CLOUD_MODELS
                                .iter()
                                .map(|m| (m.name, "cloud", score(&m.capabilities)))
                                .chain(LOCAL_MODELS.iter().map(|m| (m.name, "local", score(&m.capabilities))))
                                .collect();
                            rows.sort_by_key(|row| std::cmp::Reverse(row.2));
                            rows.into_iter()
                                .map(|(name, side, s)| view! {
                                    <tr>
                                        <th scope="row">{name}</th>
                                        <td>{side}</td>
                                        <td>
                                            <span class="bar-cell">
                                                <span class=format!("bar {side}") style=format!("width:{}%", f64::from(s) * 10.0)></span>
                                                <span class="bar-label">{s}</span>
                                            </span>
                                        </td>
                                    </tr>
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <h3>"Benchmarks"</h3>
            <div class="table-wrap">
                <table data-testid="benchmark-table">
                    <thead><tr><th scope="col">"Model"</th><th scope="col">"MMLU"</th><th scope="col">"HumanEval"</th><th scope="col">"GSM8K"</th><th scope="col">"MATH"</th></tr></thead>
                    <tbody>
                        {CLOUD_MODELS
                            .iter()
                            .map(|m| (m.name, m.benchmarks))
                            .chain(LOCAL_MODELS.iter().map(|m| (m.name, m.benchmarks)))
                            .filter(|(_, b)| b.mmlu.is_some() || b.humaneval.is_some())
                            .map(|(name, b)| view! {
                                <tr>
                                    <th scope="row">{name}</th>
                                    <td>{percent(b.mmlu)}</td>
                                    <td>{percent(b.humaneval)}</td>
                                    <td>{percent(b.gsm8k)}</td>
                                    <td>{percent(b.math)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <h3>"Cloud prices"</h3>
            <div class="table-wrap">
                <table data-testid="price-table">
                    <thead><tr><th scope="col">"Model"</th><th scope="col">"Input"</th><th scope="col">"Output"</th><th scope="col">"Cached input"</th><th scope="col">"Context"</th><th scope="col">"As of"</th></tr></thead>
                    <tbody>
                        {CLOUD_MODELS
                            .iter()
                            .map(|m| view! {
                                <tr>
                                    <th scope="row">{m.name}</th>
                                    <td>{format!("{}/1M", usd(m.input_per_mtok))}</td>
                                    <td>{format!("{}/1M", usd(m.output_per_mtok))}</td>
                                    <td>{format!("{}/1M", usd(m.cached_input_per_mtok))}</td>
                                    <td>{format!("{} tokens", number(f64::from(m.context_tokens), 0))}</td>
                                    <td><a href=m.source rel="noopener noreferrer" target="_blank">{m.as_of}</a></td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <PriceFile />
            <h3>"Hardware"</h3>
            <div class="table-wrap">
                <table data-testid="hardware-table">
                    <thead><tr><th scope="col">"Hardware"</th><th scope="col">"Memory"</th><th scope="col">"Bandwidth"</th><th scope="col">"Power"</th><th scope="col">"Price"</th><th scope="col">"Rent"</th><th scope="col">"As of"</th></tr></thead>
                    <tbody>
                        {HARDWARE
                            .iter()
                            .map(|h| view! {
                                <tr>
                                    <th scope="row">{h.name}</th>
                                    <td>{format!("{} GB", number(h.memory_gb, 0))}</td>
                                    <td>{format!("{} GB/s", number(h.bandwidth_gbps, 0))}</td>
                                    <td>{format!("{} W", number(h.watts, 0))}</td>
                                    <td>{h.price_usd.map_or("—".to_string(), usd)}</td>
                                    <td>{h.rent_per_hour_usd.map_or("—".to_string(), |r| format!("{}/h", usd(r)))}</td>
                                    <td><a href=h.source rel="noopener noreferrer" target="_blank">{h.as_of}</a></td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <h3>"Local models"</h3>
            <div class="table-wrap">
                <table data-testid="local-model-table">
                    <thead><tr><th scope="col">"Model"</th><th scope="col">"Parameters"</th><th scope="col">"Layers"</th><th scope="col">"KV heads × dim"</th><th scope="col">"Context"</th></tr></thead>
                    <tbody>
                        {LOCAL_MODELS
                            .iter()
                            .map(|m| view! {
                                <tr>
                                    <th scope="row"><a href=m.source rel="noopener noreferrer" target="_blank">{m.name}</a></th>
                                    <td>{format!("{}B", number(m.params_b, 2))}</td>
                                    <td>{m.layers}</td>
                                    <td>{format!("{} × {}", m.kv_heads, m.head_dim)}</td>
                                    <td>{format!("{} tokens", number(f64::from(m.context_tokens), 0))}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Loads a LiteLLM price file (chosen or pasted) and writes the scenario's cloud model's
/// prices into the scenario as overrides.
#[component]
fn PriceFile() -> impl IntoView {
    let state = expect_context::<AppState>();
    let status = RwSignal::new(None::<Result<String, String>>);
    let pasted = RwSignal::new(String::new());
    let load = move |json: String| {
        let model = state.scenario.with_untracked(|s| s.cloud_model.clone());
        let outcome = parse_litellm(&json).and_then(|table| {
            let (cin, cout, ccache) = overrides_for(&table, &model)
                .ok_or_else(|| format!("the file has no prices for {model}"))?;
            state.apply(|s| {
                s.cloud_input_price = Some(cin);
                s.cloud_output_price = Some(cout);
                s.cloud_cached_price = ccache;
            });
            Ok(format!("applied: {model} at ${cin}/1M in, ${cout}/1M out"))
        });
        status.set(Some(outcome));
    };
    let on_file = move |ev: leptos::ev::Event| {
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            let text = wasm_bindgen_futures::JsFuture::from(file.text());
            leptos::task::spawn_local(async move {
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
        </details>
    }
}
