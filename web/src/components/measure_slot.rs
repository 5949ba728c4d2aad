//! The place of the live measurement panel: it loads the panel (in the module loaded on
//! demand) when opened, and at once when the link presets a measurement, which still runs
//! nothing until the user presses Run.

use crate::extras;
use crossover_core::measure::setup::KEYS;
use crossover_core::scenario::query;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Closed,
    Loading,
    Open,
    Failed,
}

/// The section and its loader.
#[component]
pub fn MeasureSlot() -> impl IntoView {
    let status = RwSignal::new(Status::Closed);
    let open = move || {
        if status.get_untracked() != Status::Closed {
            return;
        }
        status.set(Status::Loading);
        spawn_local(async move {
            let opened = extras::load().await.is_ok() && extras::call("open_measure", &[]).is_ok();
            status.set(if opened { Status::Open } else { Status::Failed });
        });
    };
    let preset = query::pairs(&window().location().search().unwrap_or_default())
        .iter()
        .any(|(key, _)| KEYS.contains(&key.as_str()));
    if preset {
        request_animation_frame(open);
    }
    view! {
        <section class="panel measure-slot" id="measure" aria-labelledby="measure-title" data-testid="measure-section">
            <h2 id="measure-title">"Measure live"</h2>
            <p class="hint">
                "Time to first token, decode speed and throughput of your own Ollama or a cloud API, measured from this page with your key. Nothing is sent until you press Run, and only to the addresses shown."
            </p>
            {move || match status.get() {
                Status::Closed => view! {
                    <button type="button" class="primary" data-testid="measure-open" on:click=move |_| open()>"Open the measurement panel"</button>
                }.into_any(),
                Status::Loading => view! { <p class="hint" data-testid="measure-loading">"Loading the measurement panel…"</p> }.into_any(),
                Status::Open => ().into_any(),
                Status::Failed => view! {
                    <p class="problem" role="alert" data-testid="measure-load-failed">"The measurement panel could not load. Check your connection, then reload the page."</p>
                }.into_any(),
            }}
            <div id="measure-root"></div>
        </section>
    }
}
