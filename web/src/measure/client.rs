//! Streaming fetch: sends one request with an abort signal and a time limit, reads the body
//! chunk by chunk through the stream's reader, and hands each decoded event to the caller
//! with its arrival time on the page's monotonic clock.

use crossover_core::measure::api::Request;
use crossover_core::measure::decode::{Event, StreamDecoder};
use crossover_core::measure::diagnose::Failure;
use crossover_core::measure::Api;
use js_sys::{Object, Reflect, Uint8Array};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Headers, ReadableStreamDefaultReader, RequestInit, RequestMode, Response,
};

/// Milliseconds on the page's monotonic clock.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Why a request did not complete.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// The user cancelled, or left the page.
    Cancelled,
    /// A failure to explain.
    Failed(Failure),
}

/// A request in flight can be cancelled through this handle, from anywhere.
#[derive(Clone)]
pub struct Abort {
    controller: Option<AbortController>,
    /// Set to the time limit, s, when the limit aborted the request.
    timed_out: Rc<Cell<Option<u32>>>,
}

impl Abort {
    fn new() -> Abort {
        Abort {
            controller: AbortController::new().ok(),
            timed_out: Rc::new(Cell::new(None)),
        }
    }

    /// Aborts the request and its body.
    pub fn abort(&self) {
        if let Some(c) = &self.controller {
            c.abort();
        }
    }

    fn aborted(&self) -> bool {
        self.controller
            .as_ref()
            .is_some_and(|c| c.signal().aborted())
    }

    /// Why an aborted request stopped: its time limit, or the user.
    fn stop(&self) -> Stop {
        match self.timed_out.get() {
            Some(seconds) => Stop::Failed(Failure::Timeout(f64::from(seconds))),
            None => Stop::Cancelled,
        }
    }
}

/// Registers each request's abort handle so that cancel reaches all of them.
pub trait Aborts {
    /// Keeps `abort` until the request ends.
    fn register(&self, abort: Abort);
}

/// Sends `request` and streams its answer, calling `on_event(at_ms, event)` per event, where
/// `at_ms` counts from just before the request was handed to `fetch`. Ends at the API's final
/// message or with the reason it could not. Returns the time the body ended.
pub async fn stream(
    request: &Request,
    api: Api,
    timeout_s: u32,
    aborts: &impl Aborts,
    mut on_event: impl FnMut(f64, &Event),
) -> Result<f64, Stop> {
    let abort = Abort::new();
    aborts.register(abort.clone());
    let timer = {
        let abort = abort.clone();
        let limit = std::time::Duration::from_secs(u64::from(timeout_s));
        leptos::prelude::set_timeout_with_handle(
            move || {
                abort.timed_out.set(Some(timeout_s));
                abort.abort();
            },
            limit,
        )
        .ok()
    };
    let result = read_stream(request, api, &abort, &mut on_event).await;
    if let Some(timer) = timer {
        timer.clear();
    }
    result
}

async fn read_stream(
    request: &Request,
    api: Api,
    abort: &Abort,
    on_event: &mut impl FnMut(f64, &Event),
) -> Result<f64, Stop> {
    let (response, start) = send(request, abort).await?;
    if !response.ok() {
        return Err(Stop::Failed(http_failure(&response).await));
    }
    let reader = response
        .body()
        .and_then(|body| {
            body.get_reader()
                .dyn_into::<ReadableStreamDefaultReader>()
                .ok()
        })
        .ok_or(Stop::Failed(Failure::Dropped))?;
    let mut decoder = StreamDecoder::new(api);
    let mut events = Vec::new();
    loop {
        let chunk = match JsFuture::from(reader.read()).await {
            Ok(chunk) => chunk,
            Err(_) if abort.aborted() => return Err(abort.stop()),
            Err(_) => return Err(Stop::Failed(Failure::Dropped)),
        };
        let at = now_ms() - start;
        if Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            == Some(true)
        {
            let result = decoder.finish(&mut events);
            events.drain(..).for_each(|e| on_event(at, &e));
            return result
                .map(|()| at)
                .map_err(|e| Stop::Failed(Failure::Stream(e)));
        }
        let bytes = Reflect::get(&chunk, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into::<Uint8Array>().ok())
            .map(|a| a.to_vec())
            .unwrap_or_default();
        let result = decoder.push(&bytes, &mut events);
        events.drain(..).for_each(|e| on_event(at, &e));
        if let Err(error) = result {
            let _ = reader.cancel();
            return Err(Stop::Failed(Failure::Stream(error)));
        }
    }
}

/// Hands `request` to `fetch`: the response and the clock reading just before it was sent,
/// or why there was none.
async fn send(request: &Request, abort: &Abort) -> Result<(Response, f64), Stop> {
    let init = init(request, abort);
    let window = web_sys::window().ok_or(Stop::Cancelled)?;
    let start = now_ms();
    match JsFuture::from(window.fetch_with_str_and_init(&request.url, &init)).await {
        Ok(value) => Ok((value.unchecked_into::<Response>(), start)),
        Err(_) if abort.aborted() => Err(abort.stop()),
        Err(_) => Err(Stop::Failed(network_failure(&request.url).await)),
    }
}

/// The whole body as text; empty when it cannot be read.
async fn body_text(response: &Response) -> String {
    match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// The failure an error status stands for, with the start of its body.
async fn http_failure(response: &Response) -> Failure {
    Failure::Http {
        status: response.status(),
        retry_after: response.headers().get("retry-after").ok().flatten(),
        body: body_text(response).await.chars().take(2000).collect(),
    }
}

fn init(request: &Request, abort: &Abort) -> RequestInit {
    let init = RequestInit::new();
    init.set_method(request.method);
    init.set_mode(RequestMode::Cors);
    if let Ok(headers) = Headers::new() {
        for (name, value) in &request.headers {
            let _ = headers.set(name, value);
        }
        init.set_headers(&headers);
    }
    if !request.body.is_empty() {
        init.set_body(&JsValue::from_str(&request.body));
    }
    if let Some(c) = &abort.controller {
        init.set_signal(Some(&c.signal()));
    }
    init
}

/// Tells a server that is down from one that refuses this page: a `no-cors` request gets an
/// opaque answer from any running server, whatever its CORS rules. Also reads the browser's
/// local-network permission, where the browser has one.
async fn network_failure(url: &str) -> Failure {
    let reachable = match web_sys::window() {
        Some(window) => {
            let init = RequestInit::new();
            init.set_mode(RequestMode::NoCors);
            Some(
                JsFuture::from(window.fetch_with_str_and_init(url, &init))
                    .await
                    .is_ok(),
            )
        }
        None => None,
    };
    Failure::Network {
        reachable,
        local_network_denied: local_network_denied().await,
    }
}

async fn local_network_denied() -> bool {
    let Some(permissions) = web_sys::window().and_then(|w| w.navigator().permissions().ok()) else {
        return false;
    };
    let query = Object::new();
    let _ = Reflect::set(&query, &"name".into(), &"local-network-access".into());
    let Ok(promise) = permissions.query(&query) else {
        return false;
    };
    match JsFuture::from(promise).await {
        Ok(status) => {
            Reflect::get(&status, &"state".into())
                .ok()
                .and_then(|s| s.as_string())
                .as_deref()
                == Some("denied")
        }
        Err(_) => false,
    }
}

/// Fetches `request` whole, for small JSON answers (model lists, versions): the body text,
/// or the failure.
pub async fn fetch_text(request: &Request, aborts: &impl Aborts) -> Result<String, Stop> {
    let abort = Abort::new();
    aborts.register(abort.clone());
    let (response, _) = send(request, &abort).await?;
    if response.ok() {
        Ok(body_text(&response).await)
    } else {
        Err(Stop::Failed(http_failure(&response).await))
    }
}
