//! The panels below the headline figures: charts, costs, capacity and memory, TCO, decision,
//! hybrid mixes and sensitivity, then the live measurement, sharing and the catalog, all read
//! from the report. The module loaded on demand draws them (see [`crate::ondemand`]).

use super::catalog::Catalog;
use super::chart::{CostChart, CumulativeChart};
use super::deferred::Deferred;
use super::figures::Math;
use super::measure_slot::MeasureSlot;
use super::share::Share;
use super::table::DataTable;
use crate::loader::PANELS;
use crate::state::{AppState, LOWER_PANELS};
use crossover_core::view::format::{months, usd};
use crossover_core::view::table;
use crossover_core::Report;
use leptos::prelude::*;

/// The report the panels show, a task behind the headline figures.
fn report() -> Memo<Report> {
    expect_context::<AppState>().report
}

/// The panels the view draws ([`crate::state::View::draws`]), in page order.
#[component]
pub fn Panels() -> impl IntoView {
    let view = expect_context::<AppState>().view.get_value();
    LOWER_PANELS
        .into_iter()
        .filter(|panel| view.draws(panel))
        .map(|panel| match panel {
            "charts" => view! { <Charts /> }.into_any(),
            "costs" => view! { <Costs /> }.into_any(),
            "capacity" => view! { <Capacity /> }.into_any(),
            "tco" => view! { <Tco /> }.into_any(),
            "decision" => view! { <Decision /> }.into_any(),
            "hybrid" => view! { <Hybrid /> }.into_any(),
            "sensitivity" => view! { <Sensitivity /> }.into_any(),
            "measure" => view! { <MeasureSlot /> }.into_any(),
            "share" => view! { <Share /> }.into_any(),
            _ => view! { <Catalog /> }.into_any(),
        })
        .collect_view()
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
    let report = report();
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
    let report = state.report;
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
            <Deferred name="capacity" module=PANELS render="render_capacity" button="Draw the capacity curves" loading="Loading the curves…" />
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
                <CostChart report=state.report scenario_rpd=rpd />
            </div>
            <div>
                <h3>"Cumulative cost over the horizon"</h3>
                <CumulativeChart report=state.report />
            </div>
        </section>
    }
}

/// Total cost of ownership over the horizon.
#[component]
pub fn Tco() -> impl IntoView {
    let report = report();
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
    let report = report();
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
    let report = report();
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
    let report = report();
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
