//! The scenario form: presets, then the inputs grouped as workload, cloud, local, decision
//! and hybrid.

use super::fields::{CheckField, SelectField, TextField, ToggleList};
use crate::loader::kept_price_file;
use crate::state::AppState;
use crossover_core::catalog::presets::{apply, Group, PRESETS};
use crossover_core::catalog::{CLOUD_MODELS, HARDWARE, LOCAL_MODELS};
use crossover_core::codec::prices::switch_cloud_model;
use crossover_core::engine::hybrid::classify_prompts;
use crossover_core::scenario::{Criterion, Engine, Flag, KvQuant, Quant};
use crossover_core::view::format::number;
use crossover_core::Scenario;
use leptos::prelude::*;

/// Buttons that apply a preset as a new history entry.
#[component]
fn Presets() -> impl IntoView {
    let state = expect_context::<AppState>();
    let row = move |group: Group, title: &'static str| {
        view! {
            <div class="preset-row">
                <span class="preset-title">{title}</span>
                {PRESETS
                    .iter()
                    .filter(|p| p.group == group)
                    .map(|p| {
                        view! {
                            <button
                                type="button"
                                class="chip"
                                data-testid=format!("preset-{}", p.id)
                                on:click=move |_| state.apply(|s| apply(p, s))
                            >
                                {p.name}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        }
    };
    view! {
        <section class="presets" aria-label="Presets">
            {row(Group::Decision, "Priorities")}
            {row(Group::Volume, "Volume")}
            {row(Group::UseCase, "Use case")}
            <div class="preset-row">
                <button
                    type="button"
                    class="chip reset"
                    data-testid="reset"
                    on:click=move |_| state.apply(|s| *s = Scenario::default())
                >
                    "Reset all"
                </button>
            </div>
        </section>
    }
}

/// Chooses a cloud model: the prices set for the previous one go, and the price file loaded
/// in this tab ([`kept_price_file`]) prices the new one.
fn pick_cloud_model(scenario: &mut Scenario, id: &str) {
    switch_cloud_model(scenario, id, kept_price_file().as_ref());
}

/// Pasted sample prompts, classified by the complexity rules into a local share.
#[component]
fn PromptClassifier() -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = RwSignal::new(String::new());
    let mix = Memo::new(move |_| text.with(|t| classify_prompts(t)));
    let use_share = move |_| {
        let mix = mix.get_untracked();
        state.apply(|s| mix.route(s));
    };
    view! {
        <details class="classifier">
            <summary>"Estimate the local share from sample prompts"</summary>
            <label for="prompts">"One prompt per line"</label>
            <textarea
                id="prompts"
                rows="4"
                data-testid="prompts"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            <p data-testid="prompt-mix">
                {move || {
                    let m = mix.get();
                    format!(
                        "{} simple (local), {} medium, {} complex: {}% could stay local",
                        m.simple,
                        m.medium,
                        m.complex,
                        number(m.local_pct, 0),
                    )
                }}
            </p>
            <button type="button" class="chip" on:click=use_share>"Use this share"</button>
        </details>
    }
}

fn criteria() -> Vec<(&'static str, &'static str)> {
    Criterion::ALL
        .iter()
        .map(|c| (c.as_str(), c.as_str()))
        .collect()
}

fn flags() -> Vec<(&'static str, &'static str)> {
    Flag::ALL
        .iter()
        .map(|f| {
            let label = match f {
                Flag::Regulated => "regulated data",
                Flag::Frontier => "needs frontier quality",
                Flag::Offline => "must work offline",
                Flag::NoOps => "no ops team",
            };
            (f.as_str(), label)
        })
        .collect()
}

/// The whole form.
#[component]
pub fn Inputs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let report = state.report;
    let hint =
        move |f: fn(&crossover_core::Report) -> String| Signal::derive(move || report.with(f));
    let cloud_models: Vec<(String, String)> = CLOUD_MODELS
        .iter()
        .map(|m| (m.id.to_string(), format!("{} ({})", m.name, m.provider)))
        .collect();
    let hardware: Vec<(String, String)> = HARDWARE
        .iter()
        .map(|h| (h.id.to_string(), h.name.to_string()))
        .collect();
    let local_models: Vec<(String, String)> = LOCAL_MODELS
        .iter()
        .map(|m| (m.id.to_string(), format!("{} ({})", m.name, m.id)))
        .collect();
    let quants: Vec<(String, String)> = Quant::ALL
        .iter()
        .map(|q| {
            (
                q.as_str().to_string(),
                format!("{} ({} bits/weight)", q.as_str(), q.bits_per_weight()),
            )
        })
        .collect();
    let engines: Vec<(String, String)> = Engine::ALL
        .iter()
        .map(|e| (e.as_str().to_string(), e.label().to_string()))
        .collect();
    let kv_types: Vec<(String, String)> = KvQuant::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), k.as_str().to_string()))
        .collect();
    let modes = vec![
        (String::new(), "automatic".to_string()),
        ("own".to_string(), "own (buy)".to_string()),
        ("rent".to_string(), "rent by the hour".to_string()),
    ];
    view! {
        <section class="inputs panel" aria-labelledby="inputs-title">
            <h2 id="inputs-title">"Your scenario"</h2>
            <Presets />
            <fieldset class="group">
                <legend>"Workload"</legend>
                <TextField key="rpd" />
                <TextField key="in" />
                <TextField key="out" />
                <TextField key="peak" />
                <TextField key="hrs" />
                <TextField key="growth" />
                <TextField key="yrs" />
            </fieldset>
            <fieldset class="group">
                <legend>"Cloud"</legend>
                <SelectField key="cm" options=cloud_models pick=pick_cloud_model />
                <TextField key="cin" hint=hint(|r| r.cloud_model.input_per_mtok.to_string()) />
                <TextField key="cout" hint=hint(|r| r.cloud_model.output_per_mtok.to_string()) />
                <TextField key="ccache" hint=hint(|r| r.cloud_model.cached_input_per_mtok.to_string()) />
                <TextField key="cache" />
                <TextField key="bill" hint=hint(|_| "from token prices".to_string()) />
            </fieldset>
            <fieldset class="group">
                <legend>"Local hardware"</legend>
                <SelectField key="hw" options=hardware />
                <SelectField key="mode" options=modes />
                <TextField key="price" hint=hint(|r| r.hardware.price_usd.map_or("none".into(), |p| p.to_string())) />
                <TextField key="rent" hint=hint(|r| r.hardware.rent_per_hour_usd.map_or("none".into(), |p| p.to_string())) />
                <TextField key="watts" hint=hint(|r| r.hardware.watts.to_string()) />
                <TextField key="kwh" />
                <TextField key="life" hint=hint(|r| r.hardware.life_years.to_string()) />
                <TextField key="maint" />
                <TextField key="ops" />
                <TextField key="units" hint=hint(|r| format!("{} needed", r.capacity.needed_units)) />
                <TextField key="upg" text=true hint=hint(|_| "e.g. 30000@3".to_string()) />
            </fieldset>
            <fieldset class="group">
                <legend>"Local model"</legend>
                <SelectField key="lm" options=local_models />
                <SelectField key="q" options=quants />
                <TextField key="ctx" />
            </fieldset>
            <fieldset class="group">
                <legend>"Serving"</legend>
                <SelectField key="eng" options=engines />
                <SelectField key="kvq" options=kv_types />
                <TextField key="slots" />
                <TextField key="slo_ttft" hint=hint(|_| "no target".to_string()) />
                <TextField key="slo_tpot" hint=hint(|_| "no target".to_string()) />
                <TextField key="tps" hint=hint(|r| format!("{} estimated", number(r.speed.decode_tps, 1))) />
                <TextField key="ptps" hint=hint(|r| format!("{} estimated", number(r.speed.prefill_tps, 0))) />
            </fieldset>
            <fieldset class="group">
                <legend>"Decision"</legend>
                <ToggleList key="prio" options=criteria() />
                <TextField key="w" text=true hint=hint(|_| "e.g. cost:3,privacy:2".to_string()) />
                <ToggleList key="flags" options=flags() />
                <TextField key="lttft" hint=hint(|_| "not measured".to_string()) />
                <TextField key="cttft" hint=hint(|_| "not measured".to_string()) />
                <CheckField key="derive" label="Derive the cost score from the computed costs" />
            </fieldset>
            <fieldset class="group">
                <legend>"Hybrid"</legend>
                <TextField key="hyb" />
                <TextField key="esc" />
                <TextField key="sens" />
                <PromptClassifier />
            </fieldset>
        </section>
    }
}
