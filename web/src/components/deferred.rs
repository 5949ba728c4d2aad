//! A part of the page that the module loaded on demand draws (see [`crate::extras`]): a button
//! loads the module, whose function then draws into the part's root, and again whenever the
//! scenario changes (a function that draws once ignores the later calls).

use crate::extras;
use crate::state::AppState;
use crossover_core::codec::link;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Closed,
    Loading,
    Open,
    Failed,
}

/// The button, then the drawing in `#{name}-root` by the module's function `render`, called
/// with the scenario's query; `open_now` loads it at once (a link asked for it).
#[component]
pub fn Deferred(
    /// Prefix of the root's id and of the test hooks (`{name}-open`, `{name}-loading`,
    /// `{name}-load-failed`).
    name: &'static str,
    /// The module's function that draws it.
    render: &'static str,
    /// What the button says.
    button: &'static str,
    /// What shows while the module loads.
    loading: &'static str,
    /// Whether to load it without waiting for the button.
    #[prop(optional)]
    open_now: bool,
) -> impl IntoView {
    let scenario = expect_context::<AppState>().scenario;
    let status = RwSignal::new(Status::Closed);
    let open = move || {
        if status.get_untracked() != Status::Closed {
            return;
        }
        status.set(Status::Loading);
        spawn_local(async move {
            let loaded = extras::load().await.is_ok();
            status.set(if loaded { Status::Open } else { Status::Failed });
        });
    };
    if open_now {
        request_animation_frame(open);
    }
    Effect::new(move |_| {
        let search = scenario.with(link::encode);
        if status.get() == Status::Open && extras::call(render, &[&search]).is_err() {
            status.set(Status::Failed);
        }
    });
    view! {
        {move || match status.get() {
            Status::Closed => view! {
                <button type="button" class="primary" data-testid=format!("{name}-open") on:click=move |_| open()>{button}</button>
            }.into_any(),
            Status::Loading => view! { <p class="hint" data-testid=format!("{name}-loading")>{loading}</p> }.into_any(),
            Status::Open => ().into_any(),
            Status::Failed => view! {
                <p class="problem" role="alert" data-testid=format!("{name}-load-failed")>"This part of the page could not load. Check your connection, then reload the page."</p>
            }.into_any(),
        }}
        <div id=format!("{name}-root") data-testid=format!("{name}-root")></div>
    }
}
