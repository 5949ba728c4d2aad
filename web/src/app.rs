//! The root view: state from the link, the page layout, and embed mode.

use crate::components::deferred::{Deferred, Load};
use crate::components::figures::{Headline, Warnings};
use crate::components::inputs::Inputs;
use crate::loader::PANELS;
use crate::services::browser;
use crate::state::{AppState, LOWER_PANELS};
use leptos::prelude::*;

/// Where the chosen theme is remembered on this device.
const THEME_KEY: &str = "crossover-theme";

/// The page.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::from_location();
    provide_context(state);
    state.sync_with_location();
    let embed = state.view.with_value(|v| v.embed);
    let draws = move |panel: &str| state.view.with_value(|v| v.draws(panel));
    let link_theme = state.view.with_value(|v| {
        v.raw
            .iter()
            .find(|(k, _)| k == "theme")
            .map(|(_, t)| t.clone())
    });
    browser::apply_theme(link_theme.or_else(|| browser::stored(THEME_KEY)).as_deref());
    if embed {
        browser::post_height_to_parent();
    }
    view! {
        {(!embed).then(|| view! {
            <header class="site">
                <div>
                    <h1>"Crossover"</h1>
                    <p class="lede">"Local LLM or cloud API: what each costs, and when the answer flips."</p>
                </div>
                <ThemeToggle />
            </header>
        })}
        <main class:embed=embed>
            {embed.then(|| view! {
                <p class="embed-link">
                    <a href=move || full_page_link(state) target="_blank" rel="noopener" data-testid="open-full">
                        "Open in Crossover"
                    </a>
                </p>
            })}
            <Notes />
            <div class="layout" class:with-inputs=draws("inputs")>
                <div class="top">
                    {draws("figures").then(|| view! { <Headline /> })}
                    <Warnings />
                </div>
                {draws("inputs").then(|| view! { <Inputs /> })}
                <div class="results">
                    // The panels below the figures come with the module loaded on demand, fetched
                    // as they near the screen.
                    {LOWER_PANELS.iter().any(|p| draws(p)).then(|| view! {
                        <Deferred name="panels" module=PANELS render="render_panels" button="Show the charts and tables" loading="Loading the charts and tables…" load=Load::NearView />
                    })}
                </div>
            </div>
        </main>
        {(!embed).then(|| view! {
            <footer class="site">
                "Runs entirely in your browser: nothing you enter leaves this page. Prices carry the date they were read; check them against your provider."
            </footer>
        })}
    }
}

/// The full page for the current scenario, for an embed's link out.
fn full_page_link(state: AppState) -> String {
    state.scenario.track();
    state.share_url()
}

/// Cycles the theme: the system's, light, dark; remembered on this device.
#[component]
fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(browser::stored(THEME_KEY));
    let next = move |_| {
        let chosen = match theme.get_untracked().as_deref() {
            None => Some("light"),
            Some("light") => Some("dark"),
            _ => None,
        };
        browser::store(THEME_KEY, chosen);
        browser::apply_theme(chosen);
        theme.set(chosen.map(str::to_string));
    };
    view! {
        <button type="button" class="theme-toggle" data-testid="theme-toggle" on:click=next>
            {move || match theme.get().as_deref() {
                Some("light") => "Theme: light",
                Some("dark") => "Theme: dark",
                _ => "Theme: system",
            }}
        </button>
    }
}

/// What the link asked for that was ignored, by key and reason, until dismissed.
#[component]
fn Notes() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.notes.with(|notes| {
            (!notes.is_empty()).then(|| {
                view! {
                    <section class="notes" role="status" data-testid="link-notes">
                        <p>"Parts of this link were ignored; the rest applies:"</p>
                        <ul>
                            {notes
                                .iter()
                                .map(|n| view! { <li><code>{n.key.clone()}</code>": "{n.message.clone()}</li> })
                                .collect_view()}
                        </ul>
                        <button type="button" class="chip" on:click=move |_| state.notes.set(Vec::new())>
                            "Dismiss"
                        </button>
                    </section>
                }
            })
        })
    }
}
