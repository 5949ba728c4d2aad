//! A part of the page that a module loaded on demand draws (see [`crate::loader`]): a button
//! (or the part nearing the screen) loads the module, whose function then draws into the
//! part's root, and again, a task after the figures, whenever the scenario changes (a function
//! that draws once ignores the later calls).

use crate::loader::OnDemand;
use crate::services::browser;
use crate::state::{after_this_task, AppState};
use crossover_core::codec::link;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How near the screen (below or above it) a part loaded as it nears the screen starts to
/// load: about a screen's height, so that it is usually drawn before it is scrolled to.
const NEAR_VIEW: &str = "800px 0px";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Closed,
    Loading,
    Open,
    Failed,
}

/// When a part loads without waiting for its button.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub enum Load {
    /// Only when the button is pressed.
    #[default]
    OnClick,
    /// At once (a link asked for it).
    Now,
    /// As its root comes within about a screen of the viewport.
    NearView,
}

/// The button, then the drawing in `#{name}-root` by `module`'s function `render`, called
/// with the scenario's query; `load` says whether it loads before the button is pressed.
#[component]
pub fn Deferred(
    /// Prefix of the root's id and of the test hooks (`{name}-open`, `{name}-loading`,
    /// `{name}-load-failed`).
    name: &'static str,
    /// The module that draws it.
    module: OnDemand,
    /// The module's function that draws it.
    render: &'static str,
    /// What the button says.
    button: &'static str,
    /// What shows while the module loads.
    loading: &'static str,
    /// When it loads without waiting for the button.
    #[prop(optional)]
    load: Load,
) -> impl IntoView {
    let scenario = expect_context::<AppState>().scenario;
    let status = RwSignal::new(Status::Closed);
    let open = move || {
        if status.get_untracked() != Status::Closed {
            return;
        }
        status.set(Status::Loading);
        spawn_local(async move {
            let loaded = module.load().await.is_ok();
            status.set(if loaded { Status::Open } else { Status::Failed });
        });
    };
    match load {
        Load::OnClick => {}
        Load::Now => request_animation_frame(open),
        Load::NearView => request_animation_frame(move || {
            browser::when_near_view(&format!("{name}-root"), NEAR_VIEW, open)
        }),
    }
    let draw = after_this_task(move || {
        let search = scenario.with_untracked(link::encode);
        if module.call(render, &[&search]).is_err() {
            status.set(Status::Failed);
        }
    });
    Effect::new(move |_| {
        scenario.track();
        if status.get() == Status::Open {
            draw();
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
