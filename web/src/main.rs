//! Entry point of the Crossover web app: mounts the calculator on the page.

mod app;
mod components;
mod services;
mod state;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
