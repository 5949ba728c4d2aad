//! Result panels: headline figures, costs, capacity and memory, TCO, decision, hybrid mixes
//! and sensitivity, all read from the report memo.

use super::chart::{CostChart, CumulativeChart};
use super::deferred::Deferred;
use super::table::DataTable;
use crate::extras;
use crate::state::AppState;
use crossover_core::codec::link;
use crossover_core::view::format::{months, usd};
use crossover_core::view::table;
use crossover_core::Report;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

fn report() -> Memo<Report> {
    expect_context::<AppState>().report
}

/// The report the charts and tables show, a task behind the headline figures.
fn panels() -> RwSignal<Report> {
    expect_context::<AppState>().panels
}

/// One working as the module loaded on demand writes it.
#[derive(Clone, PartialEq)]
struct Shown {
    title: String,
    formula: String,
    substituted: String,
    result: String,
}

/// The working of figure `id` in `all`, the array the module's `working_of` returns.
fn shown(all: &JsValue, id: &str) -> Option<Shown> {
    let text = |item: &JsValue, field: &str| {
        js_sys::Reflect::get(item, &field.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let item = js_sys::Array::from(all)
        .iter()
        .find(|item| text(item, "figure").as_deref() == Some(id))?;
    Some(Shown {
        title: text(&item, "title")?,
        formula: text(&item, "formula")?,
        substituted: text(&item, "substituted")?,
        result: text(&item, "result")?,
    })
}

/// "Show the math" for the figure `id`: the formula, this scenario's numbers, the result,
/// worked out by the module loaded on demand the first time one is opened.
#[component]
pub fn Math(
    /// The headline figure's id.
    id: &'static str,
    /// What the working is of, where a panel has more than one: "Show the math for …".
    #[prop(optional)]
    of: &'static str,
) -> impl IntoView {
    let scenario = expect_context::<AppState>().scenario;
    let open = RwSignal::new(false);
    // `None` until the module has loaded (or failed to).
    let loaded = RwSignal::new(None::<bool>);
    let toggle = move |ev: leptos::ev::Event| {
        let now = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        open.set(now);
        if now && loaded.get_untracked() != Some(true) {
            spawn_local(async move { loaded.set(Some(extras::load().await.is_ok())) });
        }
    };
    let working = Memo::new(move |_| {
        if !open.get() || loaded.get() != Some(true) {
            return None;
        }
        let search = scenario.with(link::encode);
        extras::call("working_of", &[&search])
            .ok()
            .and_then(|all| shown(&all, id))
    });
    view! {
        <details class="math" data-testid=format!("math-{id}") on:toggle=toggle>
            <summary>"Show the math"{(!of.is_empty()).then(|| format!(" for {of}"))}</summary>
            {move || match (open.get(), loaded.get(), working.get()) {
                (false, _, _) => ().into_any(),
                (true, Some(true), Some(w)) => view! {
                    <p><strong>{w.title}</strong></p>
                    <p><code>{w.formula}</code></p>
                    <p><code>{w.substituted}</code></p>
                    <p>"= " {w.result}</p>
                }.into_any(),
                (true, Some(false), _) | (true, Some(true), None) => view! {
                    <p class="problem" role="alert">"The working could not load. Check your connection, then reload the page."</p>
                }.into_any(),
                (true, None, _) => view! { <p class="hint">"Working it out…"</p> }.into_any(),
            }}
        </details>
    }
}

/// One headline figure with its stable test hook and its working.
#[component]
fn Figure(id: &'static str) -> impl IntoView {
    let report = report();
    let figure = Memo::new(move |_| report.with(|r| table::headline(r, id)));
    let text = move |f: fn(&table::Headline) -> &str| {
        move || figure.with(|h| h.as_ref().map(|h| f(h).to_string()))
    };
    view! {
        <div class="figure">
            <dt>{text(|h| h.label)}</dt>
            <dd class="value" data-testid=id>{text(|h| &h.value)}</dd>
            <dd class="detail">{text(|h| &h.detail)}</dd>
            <dd class="math"><Math id /></dd>
        </div>
    }
}

/// The figures a reader looks for first.
#[component]
pub fn Headline() -> impl IntoView {
    view! {
        <dl class="figures" aria-label="Headline figures">
            {table::HEADLINE_IDS.iter().map(|id| view! { <Figure id /> }).collect_view()}
        </dl>
    }
}

/// Labelled facts as a definition list.
#[component]
fn Facts(#[prop(into)] facts: Signal<Vec<table::Fact>>) -> impl IntoView {
    view! {
        <dl class="facts">
            {move || {
                facts
                    .get()
                    .into_iter()
                    .map(|f| view! { <dt>{f.label}</dt><dd data-testid=f.testid>{f.value}</dd> })
                    .collect_view()
            }}
        </dl>
    }
}

/// Monthly, yearly and per-request cost of every way to serve the load.
#[component]
pub fn Costs() -> impl IntoView {
    let report = panels();
    view! {
        <section class="panel" aria-labelledby="costs-title">
            <h2 id="costs-title">"Costs"</h2>
            <DataTable testid="costs-table" label="Costs" table=Memo::new(move |_| report.with(table::costs)) />
            <p class="note">"A month is 30 days and a year 12 months. Owned hardware is depreciated over its life; upfront is the purchase."</p>
        </section>
    }
}

/// Units, the binding constraint, speeds and memory, and how the model fits each GPU.
#[component]
pub fn Capacity() -> impl IntoView {
    let state = expect_context::<AppState>();
    let report = state.panels;
    view! {
        <section class="panel" aria-labelledby="capacity-title">
            <h2 id="capacity-title">"Capacity and memory"</h2>
            <Facts facts=Memo::new(move |_| {
                let tokens = state.scenario.with(|s| (s.input_tokens, s.output_tokens));
                report.with(|r| table::capacity_facts(r, tokens))
            }) />
            <Math id="memory" of="memory" />
            <Math id="serving" of="one replica serving" />
            <h3>"Throughput against requests in flight"</h3>
            <Deferred name="capacity" render="render_capacity" button="Draw the capacity curves" loading="Loading the curves…" />
            <h3>"Which GPUs hold the model"</h3>
            <DataTable testid="fit-table" label="Which GPUs hold the model" table=Memo::new(move |_| report.with(table::hardware_fit)) />
        </section>
    }
}

/// The two charts: monthly cost against volume, and cumulative cost over the horizon.
#[component]
pub fn Charts() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rpd = Memo::new(move |_| state.scenario.with(|s| s.requests_per_day));
    view! {
        <section class="panel charts" aria-labelledby="charts-title">
            <h2 id="charts-title">"Charts"</h2>
            <div>
                <h3>"Monthly cost by volume"</h3>
                <CostChart report=state.panels scenario_rpd=rpd />
            </div>
            <div>
                <h3>"Cumulative cost over the horizon"</h3>
                <CumulativeChart report=state.panels />
            </div>
        </section>
    }
}

/// Total cost of ownership over the horizon.
#[component]
pub fn Tco() -> impl IntoView {
    let report = panels();
    view! {
        <section class="panel" aria-labelledby="tco-title">
            <h2 id="tco-title">"Total cost of ownership"</h2>
            <Facts facts=Memo::new(move |_| report.with(table::tco_facts)) />
        </section>
    }
}

/// The weighted matrix as paired bars, the totals, and the guide's reasons.
#[component]
pub fn Decision() -> impl IntoView {
    let report = panels();
    view! {
        <section class="panel" aria-labelledby="decision-title">
            <h2 id="decision-title">"Trade-offs"</h2>
            <DataTable testid="decision-table" label="Decision matrix" table=Memo::new(move |_| report.with(table::decision)) />
            <p class="note">"Total = Σ weight × score; a listed priority weighs 2, explicit weights override. Local is recommended only when its total is higher."</p>
            <h3>"The guide"</h3>
            {move || report.with(|r| view! {
                <p data-testid="guide-recommendation">
                    "Rules say: " <strong>{r.guide.recommendation.as_str()}</strong>
                </p>
                <ul class="reasons" data-testid="guide-reasons">
                    {r.guide.reasons.iter().map(|reason| view! { <li>{reason.clone()}</li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// The hybrid mix chosen and the ladder of shares.
#[component]
pub fn Hybrid() -> impl IntoView {
    let report = panels();
    view! {
        <section class="panel" aria-labelledby="hybrid-title">
            <h2 id="hybrid-title">"Hybrid mixes"</h2>
            <DataTable testid="hybrid-table" label="Hybrid mixes" table=Memo::new(move |_| report.with(table::hybrid)) />
            <p class="note">"Escalated requests run locally first and are sent to the cloud again; the sensitive share is always local."</p>
        </section>
    }
}

/// The tornado: each input moved ±25%, largest swing in savings first.
#[component]
pub fn Sensitivity() -> impl IntoView {
    let report = panels();
    view! {
        <section class="panel" aria-labelledby="sensitivity-title">
            <h2 id="sensitivity-title">"Sensitivity"</h2>
            <p class="note">{move || report.with(|r| format!(
                "Monthly savings with local: {}; payback {}. Each input that changes them, moved 25% down and up (counts in whole steps):",
                usd(r.sensitivity.base_savings_usd),
                months(r.sensitivity.base_payback_months),
            ))}</p>
            <DataTable testid="sensitivity-table" label="Sensitivity" table=Memo::new(move |_| report.with(table::sensitivity)) />
        </section>
    }
}

/// What the user should know about this scenario.
#[component]
pub fn Warnings() -> impl IntoView {
    let report = report();
    view! {
        {move || report.with(|r| (!r.warnings.is_empty()).then(|| view! {
            <section class="warnings" role="status" data-testid="warnings">
                <h2>"Worth knowing"</h2>
                <ul>{r.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}</ul>
            </section>
        }))}
    }
}
