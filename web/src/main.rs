//! Entry point of the Crossover web app: mounts the calculator on the page.

fn main() {
    leptos::mount::mount_to_body(crossover_web::app::App);
}
