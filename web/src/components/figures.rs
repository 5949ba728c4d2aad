//! The headline figures, what is worth knowing, and "Show the math": the part of the results
//! the page draws itself, above the panels of the module loaded on demand.

use crate::loader::PANELS;
use crate::state::AppState;
use crossover_core::codec::link;
use crossover_core::view::table;
use crossover_core::Report;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

fn report() -> Memo<Report> {
    expect_context::<AppState>().report
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
            spawn_local(async move { loaded.set(Some(PANELS.load().await.is_ok())) });
        }
    };
    let working = Memo::new(move |_| {
        if !open.get() || loaded.get() != Some(true) {
            return None;
        }
        let search = scenario.with(link::encode);
        PANELS
            .call("working_of", &[&search])
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
