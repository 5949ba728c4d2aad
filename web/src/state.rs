//! The scenario lives in the link: read from the URL at start and on back/forward, written
//! back on every change (replacing the entry while typing, pushing one for presets).
//!
//! The page's state owns the link. The panels drawn by the module loaded on demand hold a
//! state that follows it ([`AppState::following`]): the page hands them each new scenario,
//! and a change they make is written to the link, which the page then reads as it reads
//! back/forward.

use crate::services::browser::{self, location_search};
use crossover_core::codec::link::{self, Note, VIEW_KEYS};
use crossover_core::{evaluate, Report, Scenario};
use leptos::prelude::*;

/// How the page is shown, from the link's view keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// `embed=1`: no site chrome, for an iframe.
    pub embed: bool,
    /// `panels=...`: which panels an embed shows; empty for all.
    pub panels: Vec<String>,
    /// The view keys as they appeared, to keep them when the link is rewritten.
    pub raw: Vec<(String, String)>,
}

/// The panels below the headline figures, in page order; the module loaded on demand draws
/// them (see [`crate::components::panels`]).
pub const LOWER_PANELS: [&str; 10] = [
    "charts",
    "costs",
    "capacity",
    "tco",
    "decision",
    "hybrid",
    "sensitivity",
    "measure",
    "share",
    "catalog",
];

impl View {
    /// Whether the page draws `panel`: every panel on the page; in an embed, those
    /// `panels=` names (all when it names none), the live measurement only when named, and
    /// never sharing or the catalog.
    pub fn draws(&self, panel: &str) -> bool {
        match panel {
            _ if !self.embed => true,
            "measure" => self.lists(panel),
            "share" | "catalog" => false,
            _ => self.shows(panel),
        }
    }

    /// Whether `panels=` leaves the panel `name` in (it names none, or names it).
    pub fn shows(&self, name: &str) -> bool {
        self.panels.is_empty() || self.lists(name)
    }

    /// Whether `panels=` names `name`: the live measurement joins an embed only then.
    pub fn lists(&self, name: &str) -> bool {
        self.panels.iter().any(|p| p == name)
    }
}

/// Shared state of the page, provided as context.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The scenario, the single source of truth.
    pub scenario: RwSignal<Scenario>,
    /// What the link could not apply, shown in a banner until dismissed.
    pub notes: RwSignal<Vec<Note>>,
    /// Bumped whenever the scenario changes from outside the fields, so their drafts reset.
    pub revision: RwSignal<u64>,
    /// The report of the scenario. The page's shows the headline figures; the panels' follows
    /// it a task later (see [`crate::components::deferred`]), so that while someone types the
    /// headline figures update first.
    pub report: Memo<Report>,
    /// Embed mode and panels.
    pub view: StoredValue<View>,
    /// Whether this state follows the page's (see [`AppState::following`]).
    follows: bool,
    /// Whether the next URL write adds a history entry.
    push_next: StoredValue<bool>,
}

impl AppState {
    /// Reads the scenario and view from the current location; this state owns the link
    /// (see [`AppState::sync_with_location`]).
    pub fn from_location() -> AppState {
        AppState::new(&location_search(), false)
    }

    /// A state for panels drawn outside the page's own module: it starts at the scenario in
    /// `search`, is moved on with [`AppState::follow`], and writes its own changes to the
    /// link for the page to read.
    pub fn following(search: &str) -> AppState {
        AppState::new(search, true)
    }

    /// Moves a following state on to the scenario in `search`.
    pub fn follow(&self, search: &str) {
        let scenario = link::decode(search).scenario;
        if self.scenario.with_untracked(|s| s != &scenario) {
            self.scenario.set(scenario);
        }
    }

    fn new(search: &str, follows: bool) -> AppState {
        let decoded = link::decode(search);
        let scenario = RwSignal::new(decoded.scenario);
        let report = Memo::new(move |_| scenario.with(evaluate));
        AppState {
            scenario,
            notes: RwSignal::new(decoded.notes),
            revision: RwSignal::new(0),
            report,
            view: StoredValue::new(view_of(&location_search())),
            follows,
            push_next: StoredValue::new(false),
        }
    }

    /// Changes the scenario from outside the fields (a preset, a reset) as one history entry.
    /// A following state writes the change to the link and tells the page, as back/forward
    /// would; the page then hands the new scenario back.
    pub fn apply(&self, change: impl FnOnce(&mut Scenario)) {
        if self.follows {
            let mut next = self.scenario.get_untracked();
            change(&mut next);
            let search = link::with_page_keys(link::encode(&next), &location_search());
            browser::set_address(&search, true);
            browser::announce_address_change();
            return;
        }
        self.push_next.set_value(true);
        self.scenario.update(change);
        self.revision.update(|r| *r += 1);
    }

    /// The shareable address of the current scenario, without view keys.
    pub fn share_url(&self) -> String {
        browser::address_with(&self.scenario.with(link::encode))
    }

    /// Keeps the address bar in step with the scenario, and the scenario with back/forward.
    /// The address is written in a task of its own after the figures have updated (writing
    /// history costs about a millisecond), once for any number of changes in between.
    pub fn sync_with_location(self) {
        let write = after_this_task(move || self.write_location());
        Effect::new(move |_| {
            self.scenario.track();
            write();
        });
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            let decoded = link::decode(&location_search());
            self.notes.set(decoded.notes);
            self.scenario.set(decoded.scenario);
            self.revision.update(|r| *r += 1);
        });
        on_cleanup(move || handle.remove());
    }

    /// Writes the scenario (and the view keys) to the address bar: a new history entry when a
    /// preset asked for one, else a replacement.
    fn write_location(self) {
        let current = location_search();
        // Page keys (view and measurement setup) stay as the address has them now.
        let search = link::with_page_keys(self.scenario.with_untracked(link::encode), &current);
        let push = self.push_next.get_value();
        self.push_next.set_value(false);
        if search != current.trim_start_matches('?') {
            browser::set_address(&search, push);
        }
    }
}

/// Wraps `run` so that calling the wrapper runs it once in a task after the current one,
/// however often it is called before then.
pub fn after_this_task(run: impl Fn() + Copy + 'static) -> impl Fn() + Copy {
    let scheduled = StoredValue::new(false);
    move || {
        if !scheduled.get_value() {
            scheduled.set_value(true);
            let once = move || {
                scheduled.set_value(false);
                run();
            };
            set_timeout(once, std::time::Duration::ZERO);
        }
    }
}

/// Reads the view keys of a query string.
fn view_of(search: &str) -> View {
    let raw: Vec<(String, String)> = search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(k, _)| VIEW_KEYS.contains(k))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let value = |key: &str| {
        raw.iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    View {
        embed: value("embed").is_some_and(|v| v == "1"),
        panels: value("panels")
            .map(|v| {
                v.replace("%2C", ",")
                    .replace("%2c", ",")
                    .split([',', '+'])
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default(),
        raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The panels of `LOWER_PANELS` that the view of `search` draws.
    fn check(search: &str, expected: &[&str]) {
        let view = view_of(search);
        let drawn: Vec<&str> = LOWER_PANELS
            .into_iter()
            .filter(|panel| view.draws(panel))
            .collect();
        assert_eq!(drawn, expected, "{search}");
    }

    #[test]
    fn the_page_draws_every_panel_below_the_figures() {
        check("?v=1&rpd=5000", &LOWER_PANELS);
        check("?v=1&panels=charts", &LOWER_PANELS);
    }

    #[test]
    fn an_embed_draws_what_panels_names_and_never_sharing_or_the_catalog() {
        check(
            "?v=1&embed=1",
            &[
                "charts",
                "costs",
                "capacity",
                "tco",
                "decision",
                "hybrid",
                "sensitivity",
            ],
        );
        check("?v=1&embed=1&panels=figures,charts", &["charts"]);
        check("?v=1&embed=1&panels=figures", &[]);
        check(
            "?v=1&embed=1&panels=costs%2Cmeasure,share,catalog",
            &["costs", "measure"],
        );
    }
}
