//! Scenario inputs: each control edits one link key through core's field checks, showing a
//! bad value's reason at the field and keeping the last good value in the scenario.

use crate::state::AppState;
use crossover_core::codec::link::{self, Field};
use crossover_core::Scenario;
use leptos::prelude::*;

/// The field of a link key known at compile time.
fn known(key: &'static str) -> Option<&'static Field> {
    link::field(key)
}

/// A text box for one key: numbers, lists (`upg`, `w`) or ids. `hint` is shown as the
/// placeholder of an optional field (the catalog or estimated value it falls back to).
#[component]
pub fn TextField(
    /// The link key of the field.
    key: &'static str,
    /// The value used while the field is empty.
    #[prop(optional, into)]
    hint: Option<Signal<String>>,
    /// Free text rather than a number.
    #[prop(optional)]
    text: bool,
) -> impl IntoView {
    let Some(field) = known(key) else {
        return ().into_any();
    };
    let state = expect_context::<AppState>();
    let draft = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        state.revision.track();
        draft.set(None);
        error.set(None);
    });
    // The key's value in the scenario that the draft stands for: what a good draft wrote, or
    // what stood when a bad one was typed. When the value changes elsewhere (choosing another
    // cloud model drops its prices), the draft and its error give way to the new value.
    let draft_of = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let now = state.scenario.with(|s| field.get(s));
        if draft.with_untracked(Option::is_some) && draft_of.with_value(|of| *of != now) {
            draft.set(None);
            error.set(None);
        }
    });
    let value = move || {
        draft
            .get()
            .unwrap_or_else(|| state.scenario.with(|s| field.get(s)).unwrap_or_default())
    };
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let mut next = state.scenario.get_untracked();
        match field.set(&mut next, &text) {
            Ok(()) => {
                error.set(None);
                draft_of.set_value(field.get(&next));
                state.scenario.set(next);
            }
            Err(reason) => {
                error.set(Some(reason.to_string()));
                draft_of.set_value(state.scenario.with_untracked(|s| field.get(s)));
            }
        }
        draft.set(Some(text));
    };
    let id = format!("field-{key}");
    let error_id = format!("error-{key}");
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{field.label}</label>
            <div class="control">
                <input
                    id=id
                    type="text"
                    inputmode=if text { "text" } else { "decimal" }
                    autocomplete="off"
                    spellcheck="false"
                    data-testid=format!("input-{key}")
                    prop:value=value
                    placeholder=move || hint.map(|h| h.get()).unwrap_or_default()
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=error_id.clone()
                    on:input=on_input
                />
                <span class="unit">{field.unit}</span>
            </div>
            <p class="error" id=error_id data-testid=format!("error-{key}") aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
    .into_any()
}

/// A drop-down for one key; `options` are (value, label) pairs, an empty value meaning unset.
/// `pick`, when given, applies a choice instead of setting the key alone.
#[component]
pub fn SelectField(
    /// The link key of the field.
    key: &'static str,
    /// `(value, label)` of each choice.
    options: Vec<(String, String)>,
    /// Applies a choice to the scenario, for keys whose choice changes other keys too.
    #[prop(optional)]
    pick: Option<fn(&mut Scenario, &str)>,
) -> impl IntoView {
    let Some(field) = known(key) else {
        return ().into_any();
    };
    let state = expect_context::<AppState>();
    let current = move || state.scenario.with(|s| field.get(s)).unwrap_or_default();
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let mut next = state.scenario.get_untracked();
        let mut checked = next.clone();
        if field.set(&mut checked, &value).is_ok() {
            match pick {
                Some(pick) => pick(&mut next, &value),
                None => next = checked,
            }
            state.scenario.set(next);
        }
    };
    let id = format!("field-{key}");
    view! {
        <div class="field choice">
            <label for=id.clone()>{field.label}</label>
            <div class="control">
                <select id=id data-testid=format!("input-{key}") on:change=on_change prop:value=current>
                    {options
                        .into_iter()
                        .map(|(value, label)| {
                            let selected = {
                                let value = value.clone();
                                move || current() == value
                            };
                            view! { <option value=value selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
        </div>
    }
    .into_any()
}

/// A group of checkboxes editing a comma list key (`prio`, `flags`).
#[component]
pub fn ToggleList(
    /// The link key of the field.
    key: &'static str,
    /// `(value, label)` of each choice.
    options: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let Some(field) = known(key) else {
        return ().into_any();
    };
    let state = expect_context::<AppState>();
    let items = move || -> Vec<String> {
        state
            .scenario
            .with(|s| field.get(s))
            .map(|v| v.split(',').map(str::to_string).collect())
            .unwrap_or_default()
    };
    view! {
        <fieldset class="field toggles" data-testid=format!("input-{key}")>
            <legend>{field.label}</legend>
            {options
                .into_iter()
                .map(|(value, label)| {
                    let toggle = move |_| {
                        let mut list = items();
                        if let Some(i) = list.iter().position(|v| v == value) {
                            list.remove(i);
                        } else {
                            list.push(value.to_string());
                        }
                        let mut next = state.scenario.get_untracked();
                        if field.set(&mut next, &list.join(",")).is_ok() {
                            state.scenario.set(next);
                        }
                    };
                    view! {
                        <label class="toggle">
                            <input
                                type="checkbox"
                                value=value
                                prop:checked=move || items().iter().any(|v| v == value)
                                on:change=toggle
                            />
                            {label}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
    .into_any()
}

/// A single checkbox for a `0`/`1` key.
#[component]
pub fn CheckField(
    /// The link key of the field.
    key: &'static str,
    /// What the box means.
    label: &'static str,
) -> impl IntoView {
    let Some(field) = known(key) else {
        return ().into_any();
    };
    let state = expect_context::<AppState>();
    let checked = move || state.scenario.with(|s| field.get(s)).as_deref() == Some("1");
    let toggle = move |_| {
        let mut next = state.scenario.get_untracked();
        if field
            .set(&mut next, if checked() { "0" } else { "1" })
            .is_ok()
        {
            state.scenario.set(next);
        }
    };
    view! {
        <label class="toggle single">
            <input type="checkbox" data-testid=format!("input-{key}") prop:checked=checked on:change=toggle />
            {label}
        </label>
    }
    .into_any()
}
