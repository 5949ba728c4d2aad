//! A measurement session: each side's state, and the series and throughput runs that fill it.
//! Every request goes through [`client`]; every figure and message comes from core.

use super::client::{self, Abort, Aborts, Stop};
use crossover_core::measure::api::{self, Endpoint, Prompt, Request};
use crossover_core::measure::decode::Event;
use crossover_core::measure::diagnose::{
    self, blocked_before_sending, Diagnosis, Failure, Target as DiagTarget,
};
use crossover_core::measure::results::{Asked, Series, ThroughputTest};
use crossover_core::measure::run::Recorder;
use crossover_core::measure::setup::{Setup, Target};
use crossover_core::measure::stats::Throughput;
use crossover_core::measure::Api;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// One side of the comparison: what the user chose and what came back.
#[derive(Clone, Copy)]
pub struct Side {
    /// `local` or `cloud`.
    pub name: &'static str,
    /// Whether Run measures this side.
    pub enabled: RwSignal<bool>,
    /// The key, in memory only.
    pub key: RwSignal<String>,
    /// Models the server listed.
    pub models: RwSignal<Vec<String>>,
    /// What the connection check found (version, loaded models).
    pub info: RwSignal<String>,
    /// The answer of the latest run, as plain text.
    pub answer: RwSignal<String>,
    /// The latest series.
    pub series: RwSignal<Option<Series>>,
    /// The latest throughput test.
    pub throughput: RwSignal<Option<ThroughputTest>>,
    /// The latest failure, explained.
    pub problem: RwSignal<Option<Diagnosis>>,
    /// Where Ollama held the model after the latest series (`/api/ps`), in words.
    pub loaded: RwSignal<Option<String>>,
}

impl Side {
    /// A side with nothing measured yet.
    pub fn new(name: &'static str, enabled: bool) -> Side {
        Side {
            name,
            enabled: RwSignal::new(enabled),
            key: RwSignal::new(String::new()),
            models: RwSignal::new(Vec::new()),
            info: RwSignal::new(String::new()),
            answer: RwSignal::new(String::new()),
            series: RwSignal::new(None),
            throughput: RwSignal::new(None),
            problem: RwSignal::new(None),
            loaded: RwSignal::new(None),
        }
    }
}

/// The requests in flight, so that cancel (or leaving the page) stops them all.
#[derive(Clone, Default)]
pub struct InFlight {
    aborts: Rc<RefCell<Vec<Abort>>>,
    cancelled: Rc<Cell<bool>>,
}

impl Aborts for InFlight {
    fn register(&self, abort: Abort) {
        let mut aborts = self.aborts.borrow_mut();
        if aborts.len() > 256 {
            aborts.drain(..128);
        }
        aborts.push(abort);
    }
}

impl InFlight {
    /// Starts a new batch of requests.
    pub fn begin(&self) {
        self.cancelled.set(false);
        self.aborts.borrow_mut().clear();
    }

    /// Aborts every request and stops the batch.
    pub fn cancel(&self) {
        self.cancelled.set(true);
        for abort in self.aborts.borrow_mut().drain(..) {
            abort.abort();
        }
    }

    fn cancelled(&self) -> bool {
        self.cancelled.get()
    }
}

/// Progress of the current batch: requests done and planned.
pub type Progress = RwSignal<(u32, u32)>;

/// Least time between two redraws of a streaming answer, ms.
const ANSWER_REDRAW_MS: f64 = 50.0;

/// Resolves in a later task (a zero-delay timer), letting the page handle input in between.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The page's origin, as diagnostics quote it.
pub fn page_origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// Where a side's requests go, checked, and how to explain what goes wrong there.
struct Destination {
    api: Api,
    endpoint: Endpoint,
    model: String,
    /// The side's key, when it has one.
    key: Option<String>,
}

impl Destination {
    /// The side's endpoint, model and key, or the problem that stops it before sending.
    fn of(side: Side, target: &Target, model: String) -> Result<Destination, Diagnosis> {
        let endpoint = Endpoint::parse(target.endpoint())
            .map_err(|reason| diagnose::bad_endpoint(target.api, reason))?;
        let destination = Destination {
            api: target.api,
            endpoint,
            model,
            key: Some(side.key.get_untracked()).filter(|k| !k.is_empty()),
        };
        match blocked_before_sending(&page_origin(), &destination.endpoint) {
            Some(failure) => Err(destination.explain(&failure)),
            None => Ok(destination),
        }
    }

    /// What `side` asks here with `setup`'s prompt, for the report.
    fn asked(&self, side: Side, setup: &Setup) -> Asked {
        Asked {
            side: side.name,
            api: self.api,
            origin: self.endpoint.origin(),
            model: self.model.clone(),
            prompt: setup.prompt.clone(),
        }
    }

    /// The streaming chat request of `setup`'s prompt.
    fn chat(&self, setup: &Setup) -> Request {
        let prompt = Prompt {
            model: &self.model,
            text: &setup.prompt,
            max_tokens: setup.max_tokens,
        };
        api::chat(self.api, &self.endpoint, &prompt, self.key.as_deref())
    }

    /// `failure` explained, with the page's origin filled in and the key kept out.
    fn explain(&self, failure: &Failure) -> Diagnosis {
        let origin = page_origin();
        let target = DiagTarget {
            api: self.api,
            endpoint: &self.endpoint,
            model: &self.model,
            page_origin: &origin,
        };
        diagnose::diagnose(target, failure, self.key.as_deref())
    }
}

/// Lists the side's models and, for Ollama, its version and the models in memory.
pub async fn check(side: Side, target: Target, in_flight: InFlight) {
    side.problem.set(None);
    side.info.set("checking…".into());
    let destination = match Destination::of(side, &target, String::new()) {
        Ok(destination) => destination,
        Err(problem) => {
            side.info.set(String::new());
            side.problem.set(Some(problem));
            return;
        }
    };
    let (api, endpoint) = (destination.api, &destination.endpoint);
    let listed = api::models(api, endpoint, destination.key.as_deref());
    let ids = match client::fetch_text(&listed, &in_flight)
        .await
        .map(|body| api::model_ids(api, &body))
    {
        Ok(Ok(ids)) => ids,
        Ok(Err(reason)) => return side.info.set(reason.to_string()),
        Err(Stop::Cancelled) => return side.info.set(String::new()),
        Err(Stop::Failed(failure)) => {
            side.info.set(String::new());
            side.problem.set(Some(destination.explain(&failure)));
            return;
        }
    };
    let (mut version, mut loaded) = (None, None);
    if api == Api::Ollama {
        let get = |path| {
            let request = api::ollama_get(endpoint, path);
            let in_flight = &in_flight;
            async move { client::fetch_text(&request, in_flight).await }
        };
        version = get("/api/version")
            .await
            .ok()
            .and_then(|b| api::ollama_version(&b));
        loaded = get("/api/ps")
            .await
            .ok()
            .and_then(|b| api::model_ids(api, &b).ok());
    }
    side.info.set(api::server_info(
        version.as_deref(),
        ids.len(),
        loaded.as_deref(),
    ));
    side.models.set(ids);
}

/// Runs a series on `side`: an optional warm-up, then `setup.runs` requests one after the
/// other, the tables filled in when it ends. Stops at cancel, or at a failure that repeating
/// cannot fix (a refused key, a server that is down).
pub async fn series(
    side: Side,
    setup: Setup,
    target: Target,
    model: String,
    in_flight: InFlight,
    progress: Progress,
) {
    side.problem.set(None);
    side.answer.set(String::new());
    let destination = match Destination::of(side, &target, model) {
        Ok(destination) => destination,
        Err(problem) => return side.problem.set(Some(problem)),
    };
    let request = destination.chat(&setup);
    let mut series = Series {
        asked: destination.asked(side, &setup),
        runs: Vec::new(),
        warm_up: None,
        failures: Vec::new(),
    };
    for i in 0..setup.series_requests() {
        if in_flight.cancelled() {
            break;
        }
        let warm_up = setup.warm_up && i == 0;
        let mut recorder = Recorder::new();
        side.answer.set(String::new());
        // Let the page finish updating for the previous run before the clock starts, so
        // that its rendering cannot delay this request on its way out.
        next_task().await;
        // The answer is shown as it streams, redrawn at most every ANSWER_REDRAW_MS: a redraw
        // per token would keep the page busy while it times the next request.
        let mut shown_at = f64::NEG_INFINITY;
        let on_event = |at: f64, event: &Event| {
            recorder.record(at, event);
            if matches!(event, Event::Text(_)) && at - shown_at >= ANSWER_REDRAW_MS {
                shown_at = at;
                side.answer.set(recorder.answer().to_owned());
            }
        };
        let outcome = client::stream(
            &request,
            destination.api,
            setup.timeout_s,
            &in_flight,
            on_event,
        )
        .await;
        side.answer.set(recorder.answer().to_owned());
        progress.update(|(done, _)| *done += 1);
        match outcome {
            Ok(end) if warm_up => series.warm_up = Some(recorder.finish(end)),
            Ok(end) => series.runs.push(recorder.finish(end)),
            Err(Stop::Cancelled) => break,
            Err(Stop::Failed(failure)) => {
                let problem = destination.explain(&failure);
                series.failures.push(problem.clone());
                side.problem.set(Some(problem));
                if !failure.may_pass() {
                    break;
                }
            }
        }
    }
    // The tables are rebuilt once, at the end: rebuilding them after every run leaves the
    // page collecting garbage while the next request is timed.
    let measured = !series.runs.is_empty();
    side.series.set(Some(series));
    // Where Ollama holds the model now: a part on the CPU explains a slow decode.
    side.loaded.set(None);
    if destination.api == Api::Ollama && measured && !in_flight.cancelled() {
        let request = api::ollama_get(&destination.endpoint, "/api/ps");
        let loaded = client::fetch_text(&request, &in_flight)
            .await
            .ok()
            .and_then(|body| api::ollama_loaded(&body, &destination.model));
        side.loaded.set(loaded.map(|l| l.describe()));
    }
}

/// Sends `setup.requests` requests to `side`, `setup.concurrency` at a time, and measures
/// the throughput. The answers are not shown, so that many streams cost the page little.
pub async fn throughput(
    side: Side,
    setup: Setup,
    target: Target,
    model: String,
    in_flight: InFlight,
    progress: Progress,
) {
    side.problem.set(None);
    let destination = match Destination::of(side, &target, model) {
        Ok(destination) => destination,
        Err(problem) => return side.problem.set(Some(problem)),
    };
    let request = destination.chat(&setup);
    let next = Cell::new(0);
    let runs = RefCell::new(Vec::new());
    let errors = RefCell::new(Vec::new());
    let last_problem = RefCell::new(None);
    let start = client::now_ms();
    // Each worker sends its first request in a task of its own, so that starting many
    // streams never holds the page for long.
    let worker = || async {
        next_task().await;
        loop {
            if in_flight.cancelled() || next.get() >= setup.requests {
                return;
            }
            next.set(next.get() + 1);
            let mut recorder = Recorder::new();
            let outcome = client::stream(
                &request,
                destination.api,
                setup.timeout_s,
                &in_flight,
                |at, e| recorder.record(at, e),
            )
            .await;
            progress.update(|(done, _)| *done += 1);
            match outcome {
                Ok(end) => runs.borrow_mut().push(recorder.finish(end)),
                Err(Stop::Cancelled) => return,
                Err(Stop::Failed(failure)) => {
                    let problem = destination.explain(&failure);
                    errors.borrow_mut().push(problem.kind.clone());
                    *last_problem.borrow_mut() = Some(problem);
                }
            }
        }
    };
    let workers: Vec<_> = (0..setup.streams()).map(|_| worker()).collect();
    futures::future::join_all(workers).await;
    let wall_ms = client::now_ms() - start;
    if in_flight.cancelled() {
        return;
    }
    side.problem.set(last_problem.into_inner());
    side.throughput.set(Some(ThroughputTest {
        asked: destination.asked(side, &setup),
        concurrency: setup.streams(),
        plain_http: destination.endpoint.scheme == "http",
        figures: Throughput::of(&runs.borrow(), &errors.borrow(), wall_ms),
    }));
}
