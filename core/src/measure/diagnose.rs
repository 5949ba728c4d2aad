//! What went wrong with a request, and exactly what the user can do about it.
//!
//! The page gathers the facts a browser exposes (the fetch rejected or answered, a status,
//! a probe of the endpoint, the page's own origin) and [`diagnose`] turns them into a short
//! title and numbered steps with the page's origin, the endpoint and the model filled in.
//! Text from a server is shortened and passes through [`redact`] first, so a key echoed in
//! an error message is never shown.

use super::api::{Endpoint, EndpointError};
use super::decode::{error_text, DecodeError};
use super::Api;
use crate::codec::json;
use serde::Serialize;

/// What the page saw when a request failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// An `https` page would call a plain `http` endpoint that is not this machine; the
    /// browser blocks it, so the request was not sent.
    MixedContent,
    /// `fetch` rejected before any response. `reachable` tells whether a `no-cors` probe of
    /// the same URL got an answer (the server is up but refused this origin), `None` when
    /// the probe could not tell; `local_network_denied` is true when the browser's
    /// local-network permission for this page is `denied`.
    Network {
        /// The server answered an opaque probe.
        reachable: Option<bool>,
        /// The local-network permission is denied.
        local_network_denied: bool,
    },
    /// The server answered with an error status.
    Http {
        /// The status code.
        status: u16,
        /// The `Retry-After` header, if the server sent one (and exposed it).
        retry_after: Option<String>,
        /// The start of the response body.
        body: String,
    },
    /// The stream was read but could not be decoded, or reported an error.
    Stream(DecodeError),
    /// Reading the body failed after the response began: the connection dropped.
    Dropped,
    /// No complete answer within the time limit, s.
    Timeout(f64),
}

impl Failure {
    /// Whether sending the same request again could end differently: a rate limit, a
    /// server error, a stream that failed; not a refused key, an absent server or a request
    /// the browser will not send.
    pub fn may_pass(&self) -> bool {
        match self {
            Failure::Http { status, .. } => *status == 429 || *status >= 500,
            Failure::Network { .. } | Failure::MixedContent => false,
            Failure::Stream(_) | Failure::Dropped | Failure::Timeout(_) => true,
        }
    }
}

/// The diagnosis of an endpoint that does not parse, `reason` saying why.
pub fn bad_endpoint(api: Api, reason: EndpointError) -> Diagnosis {
    Diagnosis {
        kind: "endpoint".into(),
        title: reason.to_string(),
        steps: vec![format!(
            "write the base URL, e.g. {}",
            api.default_endpoint()
        )],
    }
}

/// Where the failed request went.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The API spoken.
    pub api: Api,
    /// The endpoint.
    pub endpoint: &'a Endpoint,
    /// The model asked for.
    pub model: &'a str,
    /// The page's own origin, e.g. `https://example.github.io`.
    pub page_origin: &'a str,
}

/// A failure explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// A short stable name for counting failures by kind, e.g. `cors` or `http 429`.
    pub kind: String,
    /// One sentence saying what happened, lowercase, no final period.
    pub title: String,
    /// What to do, in order.
    pub steps: Vec<String>,
}

/// The failure a request to `endpoint` from a page at `page_origin` meets before it is
/// sent, if any: an `https` page cannot call plain `http` except on this machine.
pub fn blocked_before_sending(page_origin: &str, endpoint: &Endpoint) -> Option<Failure> {
    let secure_page = page_origin.starts_with("https://");
    (secure_page && endpoint.scheme == "http" && !endpoint.is_loopback())
        .then_some(Failure::MixedContent)
}

/// Before Run, on a page served from somewhere other than this machine: Chrome (142 and later)
/// asks before such a page reaches this machine or the local network, so say so and what to
/// answer. `None` when the page is itself on this machine or the endpoint is on the internet.
pub fn local_network_notice(page_origin: &str, endpoint: &Endpoint) -> Option<String> {
    let page = Endpoint::parse(page_origin).ok()?;
    (!page.is_loopback() && endpoint.is_local_network()).then(|| {
        format!(
            "this page is served from {}: before it reaches {}, your browser (Chrome 142 and \
             later) asks whether the site may reach devices on your local network; choose \
             Allow. Blocked by mistake: allow local network access again in this site's \
             settings (the icon left of the address)",
            page.origin(),
            endpoint.origin()
        )
    })
}

/// Explains `failure` of a request to `target`; `key` is removed from any server text.
pub fn diagnose(target: Target, failure: &Failure, key: Option<&str>) -> Diagnosis {
    let origin = target.endpoint.origin();
    let page = target.page_origin;
    let model = target.model;
    let diagnosis = |kind: &str, title: String, steps: Vec<String>| Diagnosis {
        kind: kind.to_owned(),
        title,
        steps,
    };
    match failure {
        Failure::MixedContent => diagnosis(
            "mixed content",
            format!("this https page cannot call the plain http endpoint {origin}"),
            vec![
                format!("serve {origin} over https, or reach it through an https proxy"),
                "or run the page itself locally (`cargo xtask serve`) and measure from there".into(),
            ],
        ),
        Failure::Network {
            local_network_denied: true,
            ..
        } => diagnosis(
            "local network",
            format!("the browser blocked this page from reaching {origin} on your network"),
            vec![
                format!("open the site settings of {page} (the icon left of the address) and allow local network access"),
                "reload the page and press Run again".into(),
            ],
        ),
        Failure::Network {
            reachable: Some(true),
            ..
        } => cors(target.api, &origin, page),
        Failure::Network { .. } => not_reached(target.api, &origin, target.endpoint.is_loopback()),
        Failure::Http {
            status,
            retry_after,
            body,
        } => http(target, *status, retry_after.as_deref(), &redact(&server_message(body), key)),
        Failure::Stream(error) => {
            let kind = match error {
                DecodeError::Server(_) => "error in stream",
                DecodeError::Truncated => "truncated",
                DecodeError::Malformed { .. } | DecodeError::Frame(_) => "malformed stream",
            };
            let step = match error {
                DecodeError::Truncated => format!("the server at {origin} closed the response early; check its log, then run again"),
                _ => format!("check the server log at {origin}; if {model} keeps failing, try another model"),
            };
            diagnosis(kind, redact(&error.to_string(), key), vec![step])
        }
        Failure::Dropped => diagnosis(
            "dropped",
            format!("the connection to {origin} dropped mid-answer"),
            vec![
                "the server may have crashed or run out of memory: check its log".into(),
                "run again; if it repeats, lower the concurrency or the max tokens".into(),
            ],
        ),
        Failure::Timeout(seconds) => diagnosis(
            "timeout",
            format!("no complete answer from {origin} within {seconds} s"),
            vec![
                "raise the timeout or lower the max tokens".into(),
                "a first request may wait for the model to load; a warm-up run absorbs that".into(),
            ],
        ),
    }
}

/// A response the browser would not hand over: how to let the page's origin in.
fn cors(api: Api, origin: &str, page: &str) -> Diagnosis {
    let (title, mut steps) = match api {
        Api::Ollama => (
            format!("Ollama at {origin} refused requests from this page's origin, {page}"),
            vec![
                format!("allow the origin: set OLLAMA_ORIGINS={page} for Ollama, then restart it"),
                format!("macOS: `launchctl setenv OLLAMA_ORIGINS \"{page}\"`, then quit and reopen the Ollama app"),
                format!(
                    "Linux (systemd): `sudo systemctl edit ollama.service`, add `[Service]` and `Environment=\"OLLAMA_ORIGINS={page}\"`, then `sudo systemctl daemon-reload && sudo systemctl restart ollama`"
                ),
                format!(
                    "Windows: quit Ollama from the taskbar, add the user environment variable OLLAMA_ORIGINS with the value {page}, then start Ollama again"
                ),
            ],
        ),
        _ => (
            format!("{origin} does not accept requests from this page's origin, {page} (CORS)"),
            vec![
                format!("allow {page} in the server's CORS settings (vLLM: `--allowed-origins`; LiteLLM and most proxies have a similar option)"),
                "or measure through a provider that accepts browser requests".into(),
            ],
        ),
    };
    // A browser reports a connection closed before any answer the same way as a refusal.
    steps.push(format!(
        "if {page} is already allowed, the server may have closed the connection before answering: check its log"
    ));
    Diagnosis {
        kind: "cors".into(),
        title,
        steps,
    }
}

fn not_reached(api: Api, origin: &str, loopback: bool) -> Diagnosis {
    let (title, steps) = match (api, loopback) {
        (Api::Ollama, true) => (
            format!("Ollama is not running at {origin}"),
            vec![
                "start it: open the Ollama app, or run `ollama serve` in a terminal".into(),
                "check the address: Ollama listens on http://localhost:11434 unless OLLAMA_HOST says otherwise".into(),
            ],
        ),
        _ => (
            format!("could not reach {origin}"),
            vec![
                "check the endpoint's address and that the server is running".into(),
                "check your network connection, VPN or proxy".into(),
            ],
        ),
    };
    Diagnosis {
        kind: "not reached".into(),
        title,
        steps,
    }
}

fn http(target: Target, status: u16, retry_after: Option<&str>, message: &str) -> Diagnosis {
    let origin = target.endpoint.origin();
    let model = target.model;
    let said = if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    };
    let model_missing = status == 404 && message.contains("not found");
    let (title, steps) = match status {
        404 if target.api == Api::Ollama && model_missing => (
            format!("the model {model} is not pulled on this Ollama"),
            vec![format!(
                "run `ollama pull {model}`, or pick a model from the list"
            )],
        ),
        401 => (
            format!("{origin} refused the key (401){said}"),
            vec!["check the key: paste it again, without spaces, for this provider".into()],
        ),
        403 => (
            format!("{origin} forbids this request (403){said}"),
            vec![format!(
                "check that the key may use {model}, and the account's region and limits"
            )],
        ),
        404 => (
            format!("{origin} has no such endpoint or model (404){said}"),
            vec![
                "check the endpoint: OpenAI-compatible servers usually end in /v1".into(),
                format!("check the model id {model} against the list"),
            ],
        ),
        429 => {
            let wait = match retry_after {
                Some(seconds) => {
                    format!("wait {seconds} s (the server's Retry-After), then run again")
                }
                None => "wait a minute, then run again".into(),
            };
            (
                format!("{origin} is rate-limiting these requests (429){said}"),
                vec![wait, "lower the concurrency or the number of runs".into()],
            )
        }
        500..=599 => (
            format!("{origin} failed ({status}){said}"),
            vec![
                "the server or the model crashed or is overloaded: check its log, then run again"
                    .into(),
            ],
        ),
        _ => (
            format!("{origin} answered {status}{said}"),
            vec!["check the endpoint, the model and the key".into()],
        ),
    };
    Diagnosis {
        kind: format!("http {status}"),
        title,
        steps,
    }
}

/// The message of an error body: its JSON `error` (string or object), else its start.
fn server_message(body: &str) -> String {
    let parsed = json::parse(body).ok();
    match parsed.as_ref().and_then(|v| v.get("error")) {
        Some(error) => error_text(error),
        None => body.trim().chars().take(200).collect(),
    }
}

/// `text` with `key` and anything shaped like an API key (`sk-…`, `sk_…`, or 32 or more
/// characters of letters, digits, `-` and `_`) replaced by `[redacted]`.
pub fn redact(text: &str, key: Option<&str>) -> String {
    let mut text = text.to_owned();
    if let Some(key) = key.map(str::trim).filter(|k| k.len() >= 4) {
        text = text.replace(key, "[redacted]");
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let keyish = |w: &str| {
        w.starts_with("sk-")
            || w.starts_with("sk_")
            || (w.len() >= 32
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    };
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*' | '.') {
            word.push(c);
            continue;
        }
        out.push_str(if keyish(&word) { "[redacted]" } else { &word });
        word.clear();
        out.push(c);
    }
    out.pop();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hosted_page_warns_before_it_reaches_the_local_network() {
        let notice = |page: &str, endpoint: &str| {
            local_network_notice(page, &Endpoint::parse(endpoint).expect("endpoint"))
        };
        assert_eq!(
            notice("https://crossover.example", "http://localhost:11434").as_deref(),
            Some(
                "this page is served from https://crossover.example: before it reaches \
                 http://localhost:11434, your browser (Chrome 142 and later) asks whether the \
                 site may reach devices on your local network; choose Allow. Blocked by \
                 mistake: allow local network access again in this site's settings (the icon \
                 left of the address)"
            )
        );
        for endpoint in [
            "http://192.168.1.9:11434",
            "http://10.0.0.2:8000",
            "http://172.20.1.1",
            "http://gpu-box.local:11434",
            "http://[fd12::1]:8000",
        ] {
            assert!(
                notice("https://crossover.example", endpoint).is_some(),
                "{endpoint}"
            );
        }
        assert_eq!(
            notice("http://127.0.0.1:8080", "http://localhost:11434"),
            None,
            "a local page"
        );
        assert_eq!(
            notice("https://crossover.example", "https://api.openai.com/v1"),
            None
        );
        assert_eq!(
            notice("https://crossover.example", "http://172.32.0.1"),
            None,
            "public"
        );
    }

    /// Diagnoses `failure` of a request for `llama3.1:8b` to `endpoint` of `api` from the
    /// page at `https://crossover.example`; compares kind, title and steps with `expected`.
    fn check(api: Api, endpoint: &str, failure: Failure, expected: (&str, &str, &[&str])) {
        let endpoint = Endpoint::parse(endpoint).unwrap();
        let target = Target {
            api,
            endpoint: &endpoint,
            model: "llama3.1:8b",
            page_origin: "https://crossover.example",
        };
        let got = diagnose(target, &failure, Some(KEY));
        assert_eq!(
            (got.kind.as_str(), got.title.as_str()),
            (expected.0, expected.1)
        );
        assert_eq!(got.steps, expected.2);
    }

    const OLLAMA: &str = "http://localhost:11434";

    #[test]
    fn a_denied_local_network_permission_points_to_the_site_settings() {
        check(
            Api::Ollama,
            "http://192.168.1.9:11434",
            Failure::Network {
                reachable: None,
                local_network_denied: true,
            },
            (
                "local network",
                "the browser blocked this page from reaching http://192.168.1.9:11434 on your \
                 network",
                &[
                    "open the site settings of https://crossover.example (the icon left of the \
                     address) and allow local network access",
                    "reload the page and press Run again",
                ],
            ),
        );
    }

    /// The key the diagnosed requests carried; the server text below echoes it.
    const KEY: &str = "secret-key-123";

    #[test]
    fn ollama_down_or_refusing_the_origin() {
        let down = Failure::Network {
            reachable: Some(false),
            local_network_denied: false,
        };
        check(Api::Ollama, OLLAMA, down, ("not reached", "Ollama is not running at http://localhost:11434", &[
            "start it: open the Ollama app, or run `ollama serve` in a terminal",
            "check the address: Ollama listens on http://localhost:11434 unless OLLAMA_HOST says otherwise",
        ]));
        let refused = Failure::Network {
            reachable: Some(true),
            local_network_denied: false,
        };
        let endpoint = Endpoint::parse(OLLAMA).unwrap();
        let target = Target {
            api: Api::Ollama,
            endpoint: &endpoint,
            model: "m",
            page_origin: "https://crossover.example",
        };
        let d = diagnose(target, &refused, None);
        assert_eq!(d.kind, "cors");
        assert_eq!(d.title, "Ollama at http://localhost:11434 refused requests from this page's origin, https://crossover.example");
        assert!(
            d.steps[1].contains("launchctl setenv OLLAMA_ORIGINS \"https://crossover.example\"")
        );
        assert!(d.steps[2].contains("Environment=\"OLLAMA_ORIGINS=https://crossover.example\""));
        assert!(d.steps[3].starts_with("Windows:"));
        assert_eq!(d.steps[4], "if https://crossover.example is already allowed, the server may have closed the connection before answering: check its log");
    }

    #[test]
    fn model_not_pulled() {
        let body = r#"{"error":"model \"llama3.1:8b\" not found, try pulling it first"}"#;
        let failure = Failure::Http {
            status: 404,
            retry_after: None,
            body: body.into(),
        };
        check(
            Api::Ollama,
            OLLAMA,
            failure,
            (
                "http 404",
                "the model llama3.1:8b is not pulled on this Ollama",
                &["run `ollama pull llama3.1:8b`, or pick a model from the list"],
            ),
        );
    }

    #[test]
    fn a_refused_key_is_never_echoed() {
        let body = r#"{"error":{"message":"Incorrect API key provided: secret-key-123. You can find your API key at https://platform.example/keys.","type":"invalid_request_error"}}"#;
        let failure = Failure::Http {
            status: 401,
            retry_after: None,
            body: body.into(),
        };
        check(Api::OpenAi, "https://api.example.com/v1", failure, (
            "http 401",
            "https://api.example.com refused the key (401): Incorrect API key provided: [redacted]. You can find your API key at https://platform.example/keys. (invalid_request_error)",
            &["check the key: paste it again, without spaces, for this provider"],
        ));
    }

    #[test]
    fn rate_limit_says_how_long_to_wait() {
        let failure = Failure::Http {
            status: 429,
            retry_after: Some("7".into()),
            body: String::new(),
        };
        check(
            Api::Anthropic,
            "https://api.anthropic.com",
            failure,
            (
                "http 429",
                "https://api.anthropic.com is rate-limiting these requests (429)",
                &[
                    "wait 7 s (the server's Retry-After), then run again",
                    "lower the concurrency or the number of runs",
                ],
            ),
        );
    }

    #[test]
    fn mixed_content_is_caught_before_sending() {
        let lan = Endpoint::parse("http://192.168.1.9:11434").unwrap();
        let local = Endpoint::parse(OLLAMA).unwrap();
        assert_eq!(
            blocked_before_sending("https://x.example", &lan),
            Some(Failure::MixedContent)
        );
        assert_eq!(blocked_before_sending("https://x.example", &local), None);
        assert_eq!(blocked_before_sending("http://127.0.0.1:8080", &lan), None);
    }

    #[test]
    fn stream_failures() {
        check(Api::OpenAi, "https://api.example.com/v1", Failure::Stream(DecodeError::Truncated), (
            "truncated",
            "the stream stopped before the answer was complete",
            &["the server at https://api.example.com closed the response early; check its log, then run again"],
        ));
        check(
            Api::Ollama,
            OLLAMA,
            Failure::Timeout(60.0),
            (
                "timeout",
                "no complete answer from http://localhost:11434 within 60 s",
                &[
                    "raise the timeout or lower the max tokens",
                    "a first request may wait for the model to load; a warm-up run absorbs that",
                ],
            ),
        );
    }

    #[test]
    fn only_some_failures_may_pass_on_a_second_try() {
        let http = |status| Failure::Http {
            status,
            retry_after: None,
            body: String::new(),
        };
        assert!(http(429).may_pass() && http(503).may_pass() && Failure::Dropped.may_pass());
        assert!(
            !http(401).may_pass() && !http(404).may_pass() && !Failure::MixedContent.may_pass()
        );
        let down = Failure::Network {
            reachable: Some(false),
            local_network_denied: false,
        };
        assert!(!down.may_pass());
    }

    #[test]
    fn redaction() {
        assert_eq!(
            redact("bad key abcd1234 here", Some("abcd1234")),
            "bad key [redacted] here"
        );
        // Built at run time so the repository holds nothing shaped like a key.
        let masked = format!("key {}-proj-****wxyz.", "sk");
        assert_eq!(redact(&masked, None), "key [redacted]");
        assert_eq!(
            redact("model llama3.1:8b not found", None),
            "model llama3.1:8b not found"
        );
    }
}
