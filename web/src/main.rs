//! Entry point of the Crossover web app: mounts the calculator on the page.

mod app;
mod components;
mod services;
mod state;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
