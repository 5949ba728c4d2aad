//! Entry point of the Crossover web app.

use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    mount_to_body(|| view! { <p data-testid="local-monthly">{crossover_core::answer()}</p> });
}
