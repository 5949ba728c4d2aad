//! The scenario lives in the link: read from the URL at start and on back/forward, written
//! back on every change (replacing the entry while typing, pushing one for presets).

use crate::services::browser::{self, location_search};
use crossover_core::codec::link::{self, Note, VIEW_KEYS};
use crossover_core::codec::prices::LoadedPrices;
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

impl View {
    /// Whether the panel `name` is shown.
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
    /// The report of the scenario, for the headline figures.
    pub report: Memo<Report>,
    /// The report the charts and tables show: it follows `report` one task later, so that
    /// while someone types the headline figures update first.
    pub panels: RwSignal<Report>,
    /// Embed mode and panels.
    pub view: StoredValue<View>,
    /// The price file loaded in this visit, which prices the cloud model chosen next.
    pub price_file: RwSignal<Option<LoadedPrices>>,
    /// Whether the next URL write adds a history entry.
    push_next: StoredValue<bool>,
}

impl AppState {
    /// Reads the scenario and view from the current location.
    pub fn from_location() -> AppState {
        let search = location_search();
        let decoded = link::decode(&search);
        let scenario = RwSignal::new(decoded.scenario);
        let report = Memo::new(move |_| scenario.with(evaluate));
        let panels = RwSignal::new(report.get_untracked());
        let settle = after_this_task(move || {
            let latest = report.get_untracked();
            if panels.with_untracked(|p| p != &latest) {
                panels.set(latest);
            }
        });
        Effect::new(move |_| {
            report.track();
            settle();
        });
        AppState {
            scenario,
            notes: RwSignal::new(decoded.notes),
            revision: RwSignal::new(0),
            report,
            panels,
            view: StoredValue::new(view_of(&search)),
            price_file: RwSignal::new(None),
            push_next: StoredValue::new(false),
        }
    }

    /// Changes the scenario from outside the fields (a preset, a reset) as one history entry.
    pub fn apply(&self, change: impl FnOnce(&mut Scenario)) {
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
fn after_this_task(run: impl Fn() + Copy + 'static) -> impl Fn() + Copy {
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
