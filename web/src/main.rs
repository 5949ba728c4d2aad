//! Entry point of the Crossover web app: mounts the calculator on the page.

fn main() {
    leptos::mount::mount_to_body(crossover_web::app::App);
    // The page's static header, shown while the app loaded, gives way to the app's own in the
    // same task, before the next paint.
    crossover_web::services::browser::remove_element("shell");
}
