//! "Import a run": the result files of vllm bench serve, genai-perf, AIPerf or llama-bench,
//! chosen or pasted, read by core into a table, their figures written into the scenario when
//! asked. Nothing is sent anywhere.

use super::steps::{LoadSteps, Owner};
use crate::components::table::DataTable;
use crate::services::browser::{announce_address_change, location_search, set_address};
use crossover_core::codec::benchmark::{self, Imported};
use crossover_core::codec::link;
use crossover_core::measure::load::Targets;
use crossover_core::measure::results::Adopted;
use crossover_core::view::load_steps;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// The import section of the measurement panel.
#[component]
pub fn ImportRun() -> impl IntoView {
    let pasted = RwSignal::new(String::new());
    let read = RwSignal::new(None::<Result<Imported, String>>);
    let adopted_note = RwSignal::new(String::new());
    let load = move |texts: Vec<String>| {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        read.set(Some(benchmark::read_all(&texts).map_err(|e| e.to_string())));
        adopted_note.set(String::new());
    };
    let on_file = move |ev: leptos::ev::Event| {
        let files = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files());
        let Some(files) = files else { return };
        let texts: Vec<_> = (0..files.length())
            .filter_map(|i| files.get(i))
            .map(|file| wasm_bindgen_futures::JsFuture::from(file.text()))
            .collect();
        spawn_local(async move {
            let mut read_texts = Vec::new();
            for text in texts {
                match text.await.ok().and_then(|v| v.as_string()) {
                    Some(text) => read_texts.push(text),
                    None => {
                        read.set(Some(Err("a chosen file could not be read".into())));
                        return;
                    }
                }
            }
            load(read_texts);
        });
    };
    let adopt = move |_| {
        let Some(Ok(run)) = read.get_untracked() else {
            return;
        };
        let figures = Adopted::from_import(&run);
        set_address(&figures.apply(&location_search()), true);
        announce_address_change();
        adopted_note.set(figures.note());
    };
    let status = move || {
        read.with(|r| match r {
            None => String::new(),
            Some(Ok(run)) => load_steps::summary(run),
            Some(Err(reason)) => reason.clone(),
        })
    };
    let run = move || read.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).cloned());
    view! {
        <section class="import" data-testid="import">
            <h3>"Import a run"</h3>
            <p class="hint">"The JSON of " <code>"vllm bench serve --save-result"</code> " (one file per concurrency, several at once), genai-perf's or AIPerf's profile export, or " <code>"llama-bench -o json"</code> " / " <code>"-o jsonl"</code> ". Read in this page; nothing is sent anywhere."</p>
            <label for="import-file">"Choose files"</label>
            <input id="import-file" type="file" multiple accept="application/json,.json,.jsonl" data-testid="import-file" on:change=on_file />
            <label for="import-paste">"or paste one"</label>
            <textarea id="import-paste" rows="4" data-testid="import-paste" prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
            <button type="button" class="chip" data-testid="import-read" on:click=move |_| load(vec![pasted.get_untracked()])>"Read pasted text"</button>
            <p data-testid="import-status" aria-live="polite" class:error=move || read.with(|r| matches!(r, Some(Err(_))))>{status}</p>
            {move || run().map(|run| {
                // Goodput and the verdict are judged by the scenario's targets now.
                let targets = Targets::of(&link::decode(&location_search()).scenario);
                let steps = match &run {
                    Imported::Serving(steps) => {
                        view! { <LoadSteps steps=steps.clone() targets=targets owner=Owner::Import /> }.into_any()
                    }
                    Imported::LlamaBench(_) => view! {
                        <DataTable testid="import-table" label="the imported run" table=load_steps::table(&run, targets) />
                    }.into_any(),
                };
                view! {
                    {steps}
                    <div class="actions">
                        <button type="button" data-testid="import-adopt" on:click=adopt>"Use these numbers"</button>
                    </div>
                    <p class="hint" data-testid="import-adopted" aria-live="polite">{move || adopted_note.get()}</p>
                }
            })}
        </section>
    }
}
