//! The live measurement panel, the module loaded on demand ([`crate::loader::MEASURE`]): it
//! measures time to first token, decode speed and throughput against the user's
//! own servers by streaming fetch, and writes what it measured back into the scenario link.

pub mod client;
pub mod import;
pub mod session;
pub mod steps;

use crate::components::chart::ChartView;
use crate::components::table::DataTable;
use crate::services::browser::{self, announce_address_change, location_search, set_address};
use crossover_core::codec::link;
use crossover_core::measure::api::Endpoint;
use crossover_core::measure::depth;
use crossover_core::measure::diagnose;
use crossover_core::measure::load::Targets;
use crossover_core::measure::results::{self, Adopted};
use crossover_core::measure::setup::{Setup, Target};
use crossover_core::measure::sweep;
use crossover_core::measure::Api;
use crossover_core::view::chart::depth_curves;
use crossover_core::view::load_steps;
use leptos::prelude::*;
use leptos::task::spawn_local;
use session::{InFlight, Side};
use steps::{LoadSteps, Owner};

/// Mounts the panel into the element with id `measure-root`.
pub fn mount() {
    let root = document().get_element_by_id("measure-root");
    // Mounted once: the page calls this again whenever the scenario changes.
    if let Some(root) = root
        .and_then(|r| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(r).ok())
        .filter(|r| r.child_element_count() == 0)
    {
        leptos::mount::mount_to(root, MeasurePanel).forget();
    }
}

/// The model `side` asks for, with the scenario in the link now for its default.
fn model_of(side: &str, target: &Target) -> String {
    let scenario = link::decode(&location_search()).scenario;
    target.model(side == "local", &scenario)
}

fn local_of(setup: &mut Setup) -> &mut Target {
    &mut setup.local
}

fn cloud_of(setup: &mut Setup) -> &mut Target {
    &mut setup.cloud
}

/// What a press of one of the panel's run buttons starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Job {
    /// A series of runs one after the other.
    Series,
    /// A throughput test at one concurrency.
    Throughput,
    /// A throughput test at each concurrency of a ladder.
    Sweep,
    /// One request at each depth of a ladder of prompt lengths.
    Depth,
}

/// Requests `job` sends to `target` with `setup`.
fn planned(job: Job, setup: &Setup, target: &Target) -> u32 {
    match job {
        Job::Series => setup.series_requests(),
        Job::Throughput => setup.requests,
        Job::Sweep => {
            let plain_http = Endpoint::parse(target.endpoint()).is_ok_and(|e| e.scheme == "http");
            sweep::planned_requests(setup, plain_http)
        }
        Job::Depth => depth::ladder(setup.depth_max).len() as u32,
    }
}

/// The key remembered for `origin` on this device, if the user opted in.
fn key_slot(origin: &str) -> String {
    format!("crossover-key:{origin}")
}

/// The panel.
#[component]
pub fn MeasurePanel() -> impl IntoView {
    let (initial, notes) = Setup::decode(&location_search());
    let local = Side::new("local", true);
    let cloud = Side::new("cloud", initial.cloud != Setup::default().cloud);
    let setup = RwSignal::new(initial);
    let in_flight = StoredValue::new_local(InFlight::default());
    let running = RwSignal::new(false);
    let progress = RwSignal::new((0u32, 0u32));
    let adopted_note = RwSignal::new(String::new());

    // The setup lives in the link, beside the scenario.
    Effect::new(move |first: Option<()>| {
        let current = setup.get();
        if first.is_some() {
            set_address(&current.rewrite(&location_search()), false);
        }
    });
    on_cleanup(move || in_flight.with_value(InFlight::cancel));
    let leave = window_event_listener(leptos::ev::pagehide, move |_| {
        in_flight.with_value(InFlight::cancel)
    });
    on_cleanup(move || leave.remove());

    let sides = move || {
        [
            (local, setup.with(|s| s.local.clone())),
            (cloud, setup.with(|s| s.cloud.clone())),
        ]
        .into_iter()
        .filter(|(side, _)| side.enabled.get_untracked())
        .collect::<Vec<_>>()
    };
    let start = move |job: Job| {
        if running.get_untracked() {
            return;
        }
        let chosen = sides();
        let s = setup.get_untracked();
        let plans: Vec<u32> = chosen.iter().map(|(_, t)| planned(job, &s, t)).collect();
        progress.set((0, plans.iter().sum()));
        adopted_note.set(String::new());
        let flight = in_flight.get_value();
        flight.begin();
        running.set(true);
        // Goodput is judged by the scenario's latency targets as they are now.
        let targets = Targets::of(&link::decode(&location_search()).scenario);
        spawn_local(async move {
            let mut planned_so_far = 0;
            for ((side, target), plan) in chosen.into_iter().zip(plans) {
                let model = model_of(side.name, &target);
                let (s, flight) = (s.clone(), flight.clone());
                // A side shows the latest load it measured: a test or a sweep.
                match job {
                    Job::Series => session::series(side, s, target, model, flight, progress).await,
                    Job::Throughput => {
                        side.sweep.set(None);
                        session::throughput(side, s, target, model, flight, progress).await;
                    }
                    Job::Sweep => {
                        side.throughput.set(None);
                        session::sweep(side, s, target, model, targets, flight, progress).await;
                    }
                    Job::Depth => {
                        session::depth_sweep(side, s, target, model, flight, progress).await;
                    }
                }
                // Requests a side did not send (stopped by a failure or cancel) count as done.
                planned_so_far += plan;
                progress.update(|(done, _)| *done = (*done).max(planned_so_far));
            }
            running.set(false);
            let sides: Vec<_> = [local, cloud]
                .iter()
                .filter_map(|s| s.series.get_untracked())
                .collect();
            let tests: Vec<_> = [local, cloud]
                .iter()
                .filter_map(|s| s.throughput.get_untracked())
                .collect();
            let sweeps: Vec<_> = [local, cloud]
                .iter()
                .filter_map(|s| s.sweep.get_untracked())
                .collect();
            let depths: Vec<_> = [local, cloud]
                .iter()
                .filter_map(|s| s.depth.get_untracked())
                .collect();
            if !sides.is_empty() || !tests.is_empty() || !sweeps.is_empty() || !depths.is_empty() {
                let date = js_sys::Date::new_0()
                    .to_iso_string()
                    .as_string()
                    .unwrap_or_default();
                let mut markdown = results::markdown(
                    date.get(..10).unwrap_or_default(),
                    &sides.iter().collect::<Vec<_>>(),
                    &tests.iter().collect::<Vec<_>>(),
                );
                for sweep in &sweeps {
                    markdown.push_str(&load_steps::sweep_markdown(sweep));
                }
                for sweep in &depths {
                    markdown.push_str(&load_steps::depth_markdown(sweep));
                }
                browser::store_session(crate::loader::MARKDOWN_KEY, &markdown);
            }
        });
    };
    let cancel = move |_| {
        in_flight.with_value(InFlight::cancel);
        running.set(false);
        for side in [local, cloud] {
            side.stage.set(String::new());
        }
    };
    let hosts = move || {
        let s = setup.get();
        let mut hosts = Vec::new();
        for (side, target) in [(local, &s.local), (cloud, &s.cloud)] {
            if side.enabled.get() {
                hosts.push(format!("{} ({})", target.endpoint(), side.name));
            }
        }
        if hosts.is_empty() {
            "Choose a side to measure.".to_owned()
        } else {
            format!(
                "Run sends requests to {} and nowhere else.",
                hosts.join(" and ")
            )
        }
    };
    // On a hosted page, what the browser will ask before it reaches this machine or the
    // local network (the first enabled side that needs it).
    let local_network = move || {
        let s = setup.get();
        let notice = [(local, &s.local), (cloud, &s.cloud)]
            .into_iter()
            .filter(|(side, _)| side.enabled.get())
            .find_map(|(_, target)| {
                let endpoint = Endpoint::parse(target.endpoint()).ok()?;
                diagnose::local_network_notice(&session::page_origin(), &endpoint)
            });
        notice
    };
    // Whether either side has a series of runs (a throughput test alone has none).
    let has_runs = move || local.series.with(Option::is_some) || cloud.series.with(Option::is_some);
    // A depth sweep's speeds, read at the scenario's prompt length, replace the runs' own.
    let adopted = move || {
        let figures = Adopted::from_measurement(
            local.series.get().as_ref(),
            cloud.series.get().as_ref(),
            local.throughput.get().as_ref(),
            local
                .sweep
                .with(|s| s.as_ref().map(|s| s.steps.clone()))
                .as_deref(),
        );
        match local.depth.get() {
            Some(sweep) => depth::with_depth(
                figures,
                &sweep.points,
                &link::decode(&location_search()).scenario,
            ),
            None => figures,
        }
    };
    let adopt = move |_| {
        let figures = adopted();
        set_address(&figures.apply(&location_search()), true);
        announce_address_change();
        adopted_note.set(figures.note());
    };
    let download_runs = move |_| {
        let sides: Vec<_> = [local, cloud]
            .iter()
            .filter_map(|s| s.series.get_untracked())
            .collect();
        let csv = results::runs_csv(&sides.iter().collect::<Vec<_>>());
        let _ = browser::download("crossover-measurement-runs.csv", "text/csv", &csv);
    };
    // What the last copy put on the clipboard, or why it could not, by button: `link` or
    // `markdown`.
    let copied = RwSignal::new(None::<(&'static str, String)>);
    let copy = move |button: &'static str, text: String, done: &'static str| {
        spawn_local(async move {
            let note = browser::copied(&text)
                .await
                .map_or_else(|e| e, |()| done.to_owned());
            copied.set(Some((button, note)));
        });
    };
    let copied_by = move |button: &'static str| {
        copied.with(|c| {
            c.as_ref()
                .filter(|(b, _)| *b == button)
                .map(|(_, note)| note.clone())
        })
    };
    let copy_markdown = move |_| {
        if let Some(text) = browser::stored_session(crate::loader::MARKDOWN_KEY) {
            copy(
                "markdown",
                text,
                "The measurement is on the clipboard, as Markdown",
            );
        }
    };
    // The address holds the scenario and the setup (never a key): the link is that address
    // without its view keys, so it opens the full page set up as now, and runs nothing.
    let copy_link = move |_| {
        copy(
            "link",
            browser::address_with(&link::without_view_keys(&location_search())),
            "Link copied: it presets the scenario, endpoints, models and prompt, never a key, and runs nothing until Run is pressed",
        );
    };

    view! {
        <div class="measure" data-testid="measure-panel">
            {(!notes.is_empty()).then(|| view! {
                <ul class="notes" role="status" data-testid="measure-notes">
                    {notes.into_iter().map(|n| view! { <li><code>{n.key}</code>": "{n.message}</li> }).collect_view()}
                </ul>
            })}
            <div class="targets">
                <TargetForm side=local setup=setup pick=local_of in_flight=in_flight />
                <TargetForm side=cloud setup=setup pick=cloud_of in_flight=in_flight />
            </div>
            <RunSettings setup=setup />
            <p class="hosts" data-testid="measure-hosts">{hosts}</p>
            {move || local_network().map(|notice| view! {
                <p class="hint" data-testid="measure-local-network">{notice}</p>
            })}
            <div class="actions">
                <button type="button" class="primary" data-testid="measure-run" disabled=move || running.get() on:click=move |_| start(Job::Series)>"Run"</button>
                <button type="button" data-testid="measure-throughput" disabled=move || running.get() on:click=move |_| start(Job::Throughput)>"Throughput test"</button>
                <button type="button" data-testid="measure-sweep" disabled=move || running.get() on:click=move |_| start(Job::Sweep)>"Concurrency sweep"</button>
                <button type="button" data-testid="measure-depth" disabled=move || running.get() on:click=move |_| start(Job::Depth)>"Depth sweep"</button>
                <button type="button" data-testid="measure-cancel" disabled=move || !running.get() on:click=cancel>"Cancel"</button>
                <button type="button" data-testid="measure-copy-link" on:click=copy_link>"Copy link to this setup"</button>
            </div>
            <p class="hint" data-testid="measure-link-copied" aria-live="polite">{move || copied_by("link")}</p>
            <div class="progress" hidden=move || progress.get().1 == 0>
                <progress data-testid="measure-progress" max=move || progress.get().1 value=move || progress.get().0></progress>
                <span data-testid="measure-progress-text">{move || { let (d, t) = progress.get(); format!("{d} of {t} requests") }}</span>
            </div>
            <SideResults side=local />
            <SideResults side=cloud />
            {move || {
                has_runs().then(|| view! {
                    <section class="comparison">
                        <h3>"Local and cloud, median of the runs"</h3>
                        <DataTable testid="measure-comparison" label="local and cloud compared" table=Signal::derive(move || results::comparison(local.series.get().as_ref(), cloud.series.get().as_ref())) />
                    </section>
                })
            }}
            {move || {
                let runs = has_runs();
                (!adopted().is_empty() || runs).then(|| view! {
                    <div class="actions">
                        <button type="button" data-testid="measure-adopt" on:click=adopt>"Use these numbers"</button>
                        <button type="button" data-testid="measure-copy" on:click=copy_markdown>"Copy as Markdown"</button>
                        {runs.then(|| view! {
                            <button type="button" data-testid="measure-runs-csv" on:click=download_runs>"Download runs (CSV)"</button>
                        })}
                    </div>
                    <p class="hint" data-testid="measure-adopted">{move || adopted_note.get()}</p>
                    <p class="hint" data-testid="measure-markdown-copied" aria-live="polite">{move || copied_by("markdown")}</p>
                })
            }}
            <import::ImportRun />
        </div>
    }
}

/// One side's API, endpoint, model and key.
#[component]
fn TargetForm(
    /// The side this form sets up.
    side: Side,
    /// The whole setup, written to the link.
    setup: RwSignal<Setup>,
    /// This side's part of the setup.
    pick: fn(&mut Setup) -> &mut Target,
    /// Requests in flight, for the connection check.
    in_flight: StoredValue<InFlight, LocalStorage>,
) -> impl IntoView {
    let name = side.name;
    let id = move |what: &str| format!("m-{name}-{what}");
    let target = move || {
        setup.with(|s| {
            let mut s = s.clone();
            pick(&mut s).clone()
        })
    };
    let edit = move |change: &dyn Fn(&mut Target)| setup.update(|s| change(pick(s)));
    let remember = RwSignal::new(false);
    // A key remembered on this device comes back for the same endpoint.
    Effect::new(move |_| {
        let endpoint = target().endpoint().to_owned();
        if let Some(key) = browser::stored(&key_slot(&endpoint)) {
            side.key.set(key);
            remember.set(true);
        }
    });
    let save_key = move || {
        let slot = key_slot(target().endpoint());
        let key = side.key.get_untracked();
        let keep = remember.get_untracked() && !key.is_empty();
        browser::store(&slot, keep.then_some(key.as_str()));
    };
    let check = move |_| {
        let flight = in_flight.get_value();
        spawn_local(session::check(side, target(), flight));
    };
    view! {
        <fieldset class="group target" data-testid=format!("measure-{name}")>
            <legend>
                <label>
                    <input type="checkbox" data-testid=format!("measure-{name}-enabled") prop:checked=move || side.enabled.get() on:change=move |ev| side.enabled.set(event_target_checked(&ev)) />
                    {if name == "local" { " Local" } else { " Cloud" }}
                </label>
            </legend>
            <label for=id("api")>"API"</label>
            <select id=id("api") data-testid=format!("measure-{name}-api") on:change=move |ev| {
                if let Some(api) = Api::parse(&event_target_value(&ev)) {
                    edit(&|t| { t.api = api; t.endpoint.clear(); });
                }
            }>
                {Api::ALL.into_iter().map(|api| view! {
                    <option value=api.as_str() selected=move || target().api == api>{api.label()}</option>
                }).collect_view()}
            </select>
            <label for=id("url")>"Endpoint"</label>
            <input id=id("url") type="url" data-testid=format!("measure-{name}-endpoint") spellcheck="false"
                placeholder=move || target().api.default_endpoint()
                prop:value=move || target().endpoint
                on:change=move |ev| { let v = event_target_value(&ev); edit(&|t| t.endpoint = v.trim().to_owned()); } />
            <label for=id("model")>"Model"</label>
            <input id=id("model") type="text" data-testid=format!("measure-{name}-model") spellcheck="false" list=id("models")
                placeholder=move || model_of(name, &target())
                prop:value=move || target().model
                on:change=move |ev| { let v = event_target_value(&ev); edit(&|t| t.model = v.trim().to_owned()); } />
            <datalist id=id("models")>
                {move || side.models.get().into_iter().map(|m| view! { <option value=m.clone()></option> }).collect_view()}
            </datalist>
            {move || target().api.needs_key().then(|| view! {
                <label for=id("key")>"API key"</label>
                <input id=id("key") type="password" autocomplete="off" spellcheck="false" data-testid=format!("measure-{name}-key")
                    prop:value=move || side.key.get()
                    on:change=move |ev| { side.key.set(event_target_value(&ev).trim().to_owned()); save_key(); } />
                <label class="remember">
                    <input type="checkbox" data-testid=format!("measure-{name}-remember") prop:checked=move || remember.get()
                        on:change=move |ev| { remember.set(event_target_checked(&ev)); save_key(); } />
                    " Remember on this device"
                </label>
                <p class="hint" hidden=move || !remember.get()>
                    "The key is stored unencrypted in this browser's storage for this site; anyone using this browser profile can read it. It never enters the link, the exports or any message."
                </p>
            })}
            <div class="check">
                <button type="button" class="chip" data-testid=format!("measure-{name}-check") on:click=check>"Check connection"</button>
                <span class="hint" data-testid=format!("measure-{name}-info")>{move || side.info.get()}</span>
            </div>
        </fieldset>
    }
}

/// The prompt and the series and throughput settings.
#[component]
fn RunSettings(
    /// The whole setup, written to the link.
    setup: RwSignal<Setup>,
) -> impl IntoView {
    let error = RwSignal::new(Vec::<(String, String)>::new());
    let field = move |key: &'static str, label: &'static str, value: fn(&Setup) -> String| {
        let id = format!("m-{key}");
        view! {
            <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type="text" inputmode="numeric" data-testid=format!("measure-{key}")
                prop:value=move || setup.with(value)
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let mut next = setup.get_untracked();
                    match next.set(key, &v) {
                        Ok(()) => { error.update(|e| e.retain(|(k, _)| k != key)); setup.set(next); }
                        Err(message) => error.update(|e| { e.retain(|(k, _)| k != key); e.push((key.to_owned(), message.to_string())); }),
                    }
                } />
            </div>
        }
    };
    view! {
        <fieldset class="group settings">
            <legend>"What to send"</legend>
            <label for="m-prompt">"Prompt (sent to both sides)"</label>
            <textarea id="m-prompt" rows="3" data-testid="measure-prompt" prop:value=move || setup.with(|s| s.prompt.clone())
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let mut next = setup.get_untracked();
                    if next.set("prompt", &v).is_ok() { setup.set(next); }
                }></textarea>
            <div class="fields">
                {field("maxt", "Max tokens per answer", |s| s.max_tokens.to_string())}
                {field("runs", "Runs per side", |s| s.runs.to_string())}
                {field("tmo", "Time limit per request, s", |s| s.timeout_s.to_string())}
                {field("reqs", "Throughput: requests", |s| s.requests.to_string())}
                {field("conc", "Throughput: concurrency", |s| s.concurrency.to_string())}
                {field("smax", "Sweep: up to concurrency", |s| s.sweep_max.to_string())}
                {field("sreq", "Sweep: requests per step", |s| s.sweep_requests.to_string())}
                {field("slim", "Sweep: time limit per step, s", |s| s.step_limit_s.to_string())}
                {field("dmax", "Depth sweep: up to tokens", |s| s.depth_max.to_string())}
            </div>
            <label class="remember">
                <input type="checkbox" data-testid="measure-warm" prop:checked=move || setup.with(|s| s.warm_up)
                    on:change=move |ev| { let on = event_target_checked(&ev); setup.update(|s| s.warm_up = on); } />
                " One warm-up run first, not counted"
            </label>
            <ul class="errors" data-testid="measure-field-errors">
                {move || error.get().into_iter().map(|(k, m)| view! { <li role="alert"><code>{k}</code>": "{m}</li> }).collect_view()}
            </ul>
        </fieldset>
    }
}

/// One side's problem, answer and tables.
#[component]
fn SideResults(
    /// The side whose results these are.
    side: Side,
) -> impl IntoView {
    let name = side.name;
    view! {
        <section class="side-results" data-testid=format!("measure-{name}-results")>
            {move || side.problem.get().map(|p| view! {
                <div class="problem" role="alert" data-testid=format!("measure-{name}-problem") data-kind=p.kind.clone()>
                    <p><strong>{format!("{name}: ")}</strong>{p.title.clone()}</p>
                    <ol>{p.steps.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}</ol>
                </div>
            })}
            {move || (!side.answer.get().is_empty()).then(|| view! {
                <h3>{format!("{name}: latest answer")}</h3>
                <pre class="answer" data-testid=format!("measure-{name}-answer")>{move || side.answer.get()}</pre>
            })}
            {move || side.series.get().map(|s| {
                let table = (!s.runs.is_empty()).then(|| results::series(&s));
                let notes = results::notes(&s);
                view! {
                    <h3>{results::caption(&s)}</h3>
                    {table.map(|table| view! {
                        <DataTable testid=if name == "local" { "measure-local-series" } else { "measure-cloud-series" } label="measured runs"
                            table=Signal::derive(move || table.clone()) />
                    })}
                    <ul class="reasons" data-testid=format!("measure-{name}-notes")>
                        {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                    </ul>
                    {move || side.loaded.get().map(|text| view! {
                        <p class="hint" data-testid=format!("measure-{name}-loaded")>{text}</p>
                    })}
                }
            })}
            {move || (!side.stage.get().is_empty()).then(|| view! {
                <p class="hint" aria-live="polite" data-testid=format!("measure-{name}-stage")>{move || side.stage.get()}</p>
            })}
            {move || side.sweep.get().map(|sweep| {
                let owner = if name == "local" { Owner::Local } else { Owner::Cloud };
                view! {
                    <h3>{format!("{name}: concurrency sweep ({})", sweep.asked.model)}</h3>
                    <ul class="reasons" data-testid=format!("measure-{name}-sweep-notes")>
                        {sweep.notes().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                    </ul>
                    <LoadSteps steps=sweep.steps targets=sweep.targets owner=owner />
                }
            })}
            {move || side.depth.get().map(|sweep| {
                let (prefill, decode) = depth_curves(&sweep.points, 420.0, 270.0);
                let (prefill, decode) = (Memo::new(move |_| prefill.clone()), Memo::new(move |_| decode.clone()));
                let (table_id, prefill_id, prefill_readout, decode_id, decode_readout) = if name == "local" {
                    ("depth-local-table", "depth-local-chart-prefill", "depth-local-readout-prefill", "depth-local-chart-decode", "depth-local-readout-decode")
                } else {
                    ("depth-cloud-table", "depth-cloud-chart-prefill", "depth-cloud-readout-prefill", "depth-cloud-chart-decode", "depth-cloud-readout-decode")
                };
                view! {
                    <h3>{format!("{name}: context depth ({})", sweep.asked.model)}</h3>
                    <ul class="reasons" data-testid=format!("depth-{name}-notes")>
                        {sweep.notes().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                    </ul>
                    <DataTable testid=table_id label="context depth" table=load_steps::depth_table(&sweep.points) />
                    <div class="capacity-charts">
                        <ChartView chart=prefill id=prefill_id readout_testid=prefill_readout />
                        <ChartView chart=decode id=decode_id readout_testid=decode_readout />
                    </div>
                }
            })}
            {move || side.throughput.get().map(|test| {
                let table = results::throughput(&test);
                view! {
                    <h3>{format!("{name}: throughput")}</h3>
                    <DataTable testid=if name == "local" { "measure-local-throughput" } else { "measure-cloud-throughput" } label="throughput"
                        table=Signal::derive(move || table.clone()) />
                }
            })}
        </section>
    }
}
