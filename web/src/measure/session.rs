//! A measurement session: each side's state, and the series and throughput runs that fill it.
//! Every request goes through [`client`]; every figure and message comes from core.

use super::client::{self, Abort, Aborts, Stop};
use crossover_core::measure::api::{self, Endpoint, Prompt, Request};
use crossover_core::measure::decode::Event;
use crossover_core::measure::depth::{self, DepthPoint, DepthSweep};
use crossover_core::measure::diagnose::{
    self, blocked_before_sending, Diagnosis, Failure, Target as DiagTarget,
};
use crossover_core::measure::load::Targets;
use crossover_core::measure::results::{Asked, Series, ThroughputTest};
use crossover_core::measure::run::Recorder;
use crossover_core::measure::setup::{Setup, Target};
use crossover_core::measure::stats::Throughput;
use crossover_core::measure::sweep::{self, StepRecord, Sweep};
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
    /// The latest concurrency sweep.
    pub sweep: RwSignal<Option<Sweep>>,
    /// Where a running sweep is, in words; empty when none runs.
    pub stage: RwSignal<String>,
    /// The latest context-depth sweep.
    pub depth: RwSignal<Option<DepthSweep>>,
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
            sweep: RwSignal::new(None),
            stage: RwSignal::new(String::new()),
            depth: RwSignal::new(None),
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

/// The requests of one sweep step: registered with the session's [`InFlight`] so that cancel
/// reaches them, and kept here so that the step's time limit can stop them alone.
#[derive(Clone)]
struct StepFlight {
    session: InFlight,
    aborts: Rc<RefCell<Vec<Abort>>>,
    /// Set when the step's time limit stopped it.
    cut: Rc<Cell<bool>>,
}

impl Aborts for StepFlight {
    fn register(&self, abort: Abort) {
        self.session.register(abort.clone());
        self.aborts.borrow_mut().push(abort);
    }
}

impl StepFlight {
    fn new(session: &InFlight) -> StepFlight {
        StepFlight {
            session: session.clone(),
            aborts: Rc::default(),
            cut: Rc::default(),
        }
    }

    /// Stops every request of the step: its time limit has passed.
    fn cut(&self) {
        self.cut.set(true);
        for abort in self.aborts.borrow_mut().drain(..) {
            abort.abort();
        }
    }

    /// Whether no more requests may start: the step was cut or the session cancelled.
    fn stopped(&self) -> bool {
        self.cut.get() || self.session.cancelled()
    }
}

/// What a sweep step counts a request stopped by its time limit as.
const STEP_LIMIT_KIND: &str = "step time limit";

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
    /// Sends `request`, records every event of its answer and counts it done in `progress`:
    /// the recorder, and when the response ended or why it stopped.
    async fn record(
        &self,
        request: &Request,
        timeout_s: u32,
        aborts: &impl Aborts,
        progress: Progress,
    ) -> (Recorder, Result<f64, Stop>) {
        let mut recorder = Recorder::new();
        let outcome = client::stream(request, self.api, timeout_s, aborts, |at, e| {
            recorder.record(at, e)
        })
        .await;
        progress.update(|(done, _)| *done += 1);
        (recorder, outcome)
    }

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
        self.chat_text(&setup.prompt, setup.max_tokens, None)
    }

    /// The streaming chat request of `text`, at most `max_tokens` back, asking Ollama for
    /// `context` tokens of context where given.
    fn chat_text(&self, text: &str, max_tokens: u32, context: Option<u32>) -> Request {
        let prompt = Prompt {
            model: &self.model,
            text,
            max_tokens,
            context,
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
            let (recorder, outcome) = destination
                .record(&request, setup.timeout_s, &in_flight, progress)
                .await;
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

/// Runs a concurrency sweep on `side`: an optional warm-up request, then at each concurrency
/// of [`sweep::ladder`] the step's requests that many at a time, each step stopped at
/// `setup.step_limit_s`. The table and charts are filled in after each step; cancel keeps the
/// steps that ended. Goodput is counted against `targets`, the scenario's latency targets.
pub async fn sweep(
    side: Side,
    setup: Setup,
    target: Target,
    model: String,
    targets: Targets,
    in_flight: InFlight,
    progress: Progress,
) {
    side.problem.set(None);
    side.sweep.set(None);
    sweep_steps(side, setup, target, model, targets, in_flight, progress).await;
    side.stage.set(String::new());
}

/// The steps of [`sweep`], each shown as it ends.
async fn sweep_steps(
    side: Side,
    setup: Setup,
    target: Target,
    model: String,
    targets: Targets,
    in_flight: InFlight,
    progress: Progress,
) {
    let stage = side.stage;
    let destination = match Destination::of(side, &target, model) {
        Ok(destination) => destination,
        Err(problem) => return side.problem.set(Some(problem)),
    };
    let request = destination.chat(&setup);
    let plain_http = destination.endpoint.scheme == "http";
    let ladder = sweep::ladder(setup.sweep_max, plain_http);
    let mut result = Sweep {
        asked: destination.asked(side, &setup),
        steps: Vec::new(),
        targets,
        asked_max: setup.sweep_max,
        plain_http,
    };
    if setup.warm_up {
        stage.set(format!("{}: warm-up request", side.name));
        let outcome = client::stream(
            &request,
            destination.api,
            setup.timeout_s,
            &in_flight,
            |_, _| {},
        )
        .await;
        match outcome {
            Err(Stop::Cancelled) => return,
            Err(Stop::Failed(failure)) if !failure.may_pass() => {
                return side.problem.set(Some(destination.explain(&failure)));
            }
            _ => {}
        }
    }
    for (number, &concurrency) in (1..).zip(&ladder) {
        if in_flight.cancelled() {
            return;
        }
        stage.set(format!(
            "{}: step {number} of {}, {concurrency} in flight",
            side.name,
            ladder.len()
        ));
        let total = sweep::step_requests(setup.sweep_requests, concurrency);
        let flight = StepFlight::new(&in_flight);
        let limit = {
            let flight = flight.clone();
            let seconds = u64::from(setup.step_limit_s);
            set_timeout_with_handle(
                move || flight.cut(),
                std::time::Duration::from_secs(seconds),
            )
            .ok()
        };
        let next = Cell::new(0);
        let requests = RefCell::new(Vec::new());
        let errors = RefCell::new(Vec::new());
        let last_problem = RefCell::new(None);
        // A failure that repeating cannot fix (a refused key, a server that is down) ends
        // the sweep with this step.
        let fatal = Cell::new(false);
        // The step's wall time runs from its first request sent to its last response ended,
        // as vLLM times a run, so that the workers' own start is not counted.
        let span = Cell::new((f64::INFINITY, f64::NEG_INFINITY));
        let worker = || async {
            next_task().await;
            loop {
                if flight.stopped() || fatal.get() || next.get() >= total {
                    return;
                }
                next.set(next.get() + 1);
                let sent = client::now_ms();
                let (recorder, outcome) = destination
                    .record(&request, setup.timeout_s, &flight, progress)
                    .await;
                let (first, last) = span.get();
                span.set((first.min(sent), last.max(client::now_ms())));
                match outcome {
                    Ok(end) => requests.borrow_mut().push(recorder.timing(end)),
                    Err(Stop::Cancelled) if flight.cut.get() && !in_flight.cancelled() => {
                        errors.borrow_mut().push(STEP_LIMIT_KIND.to_owned());
                    }
                    Err(Stop::Cancelled) => return,
                    Err(Stop::Failed(failure)) => {
                        let problem = destination.explain(&failure);
                        errors.borrow_mut().push(problem.kind.clone());
                        *last_problem.borrow_mut() = Some(problem);
                        fatal.set(fatal.get() || !failure.may_pass());
                    }
                }
            }
        };
        let workers: Vec<_> = (0..concurrency).map(|_| worker()).collect();
        futures::future::join_all(workers).await;
        let (first, last) = span.get();
        let wall_s = if last > first {
            (last - first) / 1e3
        } else {
            0.0
        };
        if let Some(limit) = limit {
            limit.clear();
        }
        if in_flight.cancelled() {
            return;
        }
        // Requests the limit kept from starting were never sent: the step is what ran.
        progress.update(|(done, _)| *done += total - next.get());
        let record = StepRecord {
            concurrency,
            requests: requests.into_inner(),
            errors: errors.into_inner(),
            wall_s,
        };
        result
            .steps
            .push(sweep::serving_step(&destination.model, record, targets));
        side.problem.set(last_problem.into_inner());
        side.sweep.set(Some(result.clone()));
        if fatal.get() {
            return;
        }
    }
}

/// Runs a context-depth sweep on `side`: one request at each depth of
/// [`depth::ladder`]`(setup.depth_max)`, each prompt varied text of about that many tokens (a
/// fresh seed each sweep, so that no prefix cache serves it), Ollama told the context it
/// needs. The table fills in after each depth; a failure that repeating cannot fix stops it.
pub async fn depth_sweep(
    side: Side,
    setup: Setup,
    target: Target,
    model: String,
    in_flight: InFlight,
    progress: Progress,
) {
    side.problem.set(None);
    side.depth.set(None);
    let destination = match Destination::of(side, &target, model) {
        Ok(destination) => destination,
        Err(problem) => return side.problem.set(Some(problem)),
    };
    let salt = js_sys::Math::random().to_bits() as u32;
    let depths = depth::ladder(setup.depth_max);
    let mut sweep = DepthSweep {
        asked: destination.asked(side, &setup),
        points: Vec::new(),
    };
    for (number, &tokens) in (1..).zip(&depths) {
        if in_flight.cancelled() {
            break;
        }
        side.stage.set(format!(
            "{}: depth {number} of {}, about {tokens} tokens",
            side.name,
            depths.len()
        ));
        let text = depth::prompt(tokens, salt);
        let context = depth::context(tokens, setup.max_tokens);
        let request = destination.chat_text(&text, setup.max_tokens, Some(context));
        next_task().await;
        let (recorder, outcome) = destination
            .record(&request, setup.timeout_s, &in_flight, progress)
            .await;
        match outcome {
            Ok(end) => {
                sweep
                    .points
                    .push(DepthPoint::of(tokens, &recorder.finish(end)));
                side.depth.set(Some(sweep.clone()));
            }
            Err(Stop::Cancelled) => break,
            Err(Stop::Failed(failure)) => {
                side.problem.set(Some(destination.explain(&failure)));
                if !failure.may_pass() {
                    break;
                }
            }
        }
    }
    side.stage.set(String::new());
}
