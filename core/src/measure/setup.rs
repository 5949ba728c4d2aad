//! What a measurement runs against, as link keys: the local and the cloud target, the
//! prompt, and the series and throughput settings.
//!
//! A link may preset all of this but never runs anything: the page only sends a request
//! when the user presses Run. A key is never part of the setup.

use super::{depth, Api};
use crate::catalog;
use crate::codec::link::{self, Note};
use crate::Scenario;

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The API it speaks.
    pub api: Api,
    /// Base URL; empty for the API's usual one.
    pub endpoint: String,
    /// Model id; empty for the scenario's model.
    pub model: String,
}

impl Target {
    /// The model to ask for: the one given, else [`default_model`] for this side of
    /// `scenario`.
    pub fn model(&self, local: bool, scenario: &Scenario) -> String {
        match self.model.trim() {
            "" => default_model(self.api, local, scenario),
            model => model.to_owned(),
        }
    }

    /// The endpoint to use: the one given, else the API's usual one.
    pub fn endpoint(&self) -> &str {
        if self.endpoint.trim().is_empty() {
            self.api.default_endpoint()
        } else {
            self.endpoint.trim()
        }
    }
}

/// Everything a measurement needs but the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    /// The local side (`lapi`, `lurl`, `lmod`).
    pub local: Target,
    /// The cloud side (`capi`, `curl`, `cmod`).
    pub cloud: Target,
    /// The prompt sent to both (`prompt`).
    pub prompt: String,
    /// Most tokens per answer (`maxt`).
    pub max_tokens: u32,
    /// Measured runs per series (`runs`).
    pub runs: u32,
    /// One unmeasured run first (`warm`).
    pub warm_up: bool,
    /// Requests in a throughput test (`reqs`).
    pub requests: u32,
    /// Requests in flight at once (`conc`).
    pub concurrency: u32,
    /// Per-request time limit, s (`tmo`).
    pub timeout_s: u32,
    /// Highest concurrency of a sweep (`smax`).
    pub sweep_max: u32,
    /// Requests each sweep step sends (`sreq`), or one per stream when there are more streams.
    pub sweep_requests: u32,
    /// Time limit of one sweep step, s (`slim`): what is still running then is stopped and
    /// counted as failed.
    pub step_limit_s: u32,
    /// Deepest prompt of a depth sweep, tokens (`dmax`).
    pub depth_max: u32,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            local: Target {
                api: Api::Ollama,
                endpoint: String::new(),
                model: String::new(),
            },
            cloud: Target {
                api: Api::OpenAi,
                endpoint: String::new(),
                model: String::new(),
            },
            prompt: "Explain in three sentences what a GPU does.".into(),
            max_tokens: 128,
            runs: 5,
            warm_up: true,
            requests: 16,
            concurrency: 4,
            timeout_s: 120,
            sweep_max: 16,
            sweep_requests: 32,
            step_limit_s: 300,
            depth_max: 4096,
        }
    }
}

/// Longest prompt a link may carry, in characters.
pub const MAX_PROMPT_CHARS: usize = 4000;

/// Why a measurement setup value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupError {
    /// Not one of the APIs.
    Api,
    /// Longer than this many characters.
    TooLong(usize),
    /// Empty where a value is required.
    Empty,
    /// Neither 0 nor 1.
    NotFlag,
    /// Not a key of the setup.
    UnknownKey,
    /// Not a whole number in `min..=max`.
    NotWhole {
        /// The smallest allowed.
        min: u32,
        /// The largest allowed.
        max: u32,
    },
    /// Not a usable base URL.
    Endpoint(super::api::EndpointError),
}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetupError::Api => f.write_str("must be ollama, openai or anthropic"),
            SetupError::TooLong(max) => write!(f, "must be at most {max} characters"),
            SetupError::Empty => f.write_str("must not be empty"),
            SetupError::NotFlag => f.write_str("must be 0 or 1"),
            SetupError::UnknownKey => f.write_str("unknown key"),
            SetupError::NotWhole { min, max } => {
                write!(f, "must be a whole number from {min} to {max}")
            }
            SetupError::Endpoint(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for SetupError {}

impl Setup {
    /// Requests a series sends to one side: the warm-up, if any, and the runs.
    pub fn series_requests(&self) -> u32 {
        self.runs + u32::from(self.warm_up)
    }

    /// Requests in flight at once in a throughput test: never more than it sends.
    pub fn streams(&self) -> u32 {
        self.concurrency.min(self.requests)
    }

    /// Reads the setup keys of a link query; other keys are left to the scenario codec.
    /// A bad value is noted by key and reason and leaves its default.
    pub fn decode(query: &str) -> (Setup, Vec<Note>) {
        let mut setup = Setup::default();
        let mut notes = Vec::new();
        for (key, value) in link::pairs(query) {
            if link::SETUP_KEYS.contains(&key.as_str()) {
                if let Err(message) = setup.set(&key, &value) {
                    notes.push(Note {
                        key,
                        message: message.to_string(),
                    });
                }
            }
        }
        (setup, notes)
    }

    /// Sets the field of link key `key` from `value`; on error the setup is unchanged.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SetupError> {
        let value = value.trim();
        let api = |v: &str| Api::parse(v).ok_or(SetupError::Api);
        let text = |v: &str, max: usize| {
            if v.chars().count() > max {
                Err(SetupError::TooLong(max))
            } else {
                Ok(v.to_owned())
            }
        };
        match key {
            "lapi" => self.local.api = api(value)?,
            "capi" => self.cloud.api = api(value)?,
            "lurl" => self.local.endpoint = endpoint(value)?,
            "curl" => self.cloud.endpoint = endpoint(value)?,
            "lmod" => self.local.model = text(value, 200)?,
            "cmod" => self.cloud.model = text(value, 200)?,
            "prompt" => {
                if value.is_empty() {
                    return Err(SetupError::Empty);
                }
                self.prompt = text(value, MAX_PROMPT_CHARS)?;
            }
            "maxt" => self.max_tokens = whole(value, 1, 32_768)?,
            "runs" => self.runs = whole(value, 1, 100)?,
            "warm" => {
                self.warm_up = match value {
                    "1" => true,
                    "0" => false,
                    _ => return Err(SetupError::NotFlag),
                }
            }
            "reqs" => self.requests = whole(value, 1, 1000)?,
            "conc" => self.concurrency = whole(value, 1, 64)?,
            "tmo" => self.timeout_s = whole(value, 1, 3600)?,
            "smax" => self.sweep_max = whole(value, 1, 256)?,
            "sreq" => self.sweep_requests = whole(value, 1, 1000)?,
            "slim" => self.step_limit_s = whole(value, 5, 3600)?,
            "dmax" => self.depth_max = whole(value, depth::MIN_DEPTH, depth::MAX_DEPTH)?,
            _ => return Err(SetupError::UnknownKey),
        }
        Ok(())
    }

    /// The setup's keys that differ from the defaults, as `(key, value)` in [`link::SETUP_KEYS`] order.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let defaults = Setup::default();
        let fields = |s: &Setup| -> [String; 17] {
            [
                s.local.api.as_str().into(),
                s.local.endpoint.clone(),
                s.local.model.clone(),
                s.cloud.api.as_str().into(),
                s.cloud.endpoint.clone(),
                s.cloud.model.clone(),
                s.prompt.clone(),
                s.max_tokens.to_string(),
                s.runs.to_string(),
                u8::from(s.warm_up).to_string(),
                s.requests.to_string(),
                s.concurrency.to_string(),
                s.timeout_s.to_string(),
                s.sweep_max.to_string(),
                s.sweep_requests.to_string(),
                s.step_limit_s.to_string(),
                s.depth_max.to_string(),
            ]
        };
        link::SETUP_KEYS
            .iter()
            .zip(fields(self))
            .zip(fields(&defaults))
            .filter(|((_, mine), default)| mine != default)
            .map(|((key, mine), _)| (*key, mine))
            .collect()
    }

    /// `query` with its setup keys replaced by this setup's: every other pair is kept as
    /// written, in order. Returns the query without `?`.
    pub fn rewrite(&self, query: &str) -> String {
        let mut parts: Vec<String> = query
            .trim_start_matches('?')
            .split('&')
            .filter(|pair| !pair.is_empty())
            .filter(|pair| !link::SETUP_KEYS.contains(&pair.split('=').next().unwrap_or_default()))
            .map(str::to_owned)
            .collect();
        parts.extend(
            self.pairs()
                .into_iter()
                .map(|(k, v)| format!("{k}={}", link::escape(&v))),
        );
        parts.join("&")
    }
}

/// The model a side asks for when it names none: the scenario's local model on the local
/// side (an Ollama tag), the scenario's cloud model when its provider speaks `api`, else
/// that API's usual small model.
pub fn default_model(api: Api, local: bool, scenario: &Scenario) -> String {
    let cloud = catalog::cloud_model(&scenario.cloud_model);
    let speaks = |provider: &str| match api {
        Api::OpenAi => provider == "OpenAI",
        Api::Anthropic => provider == "Anthropic",
        Api::Ollama => false,
    };
    match (local, api, cloud) {
        (true, _, _) | (false, Api::Ollama, _) => scenario.local_model.clone(),
        (false, _, Some(model)) if speaks(model.provider) => model.id.to_owned(),
        (false, Api::Anthropic, _) => "claude-haiku-4-5".into(),
        (false, _, _) => "gpt-4o-mini".into(),
    }
}

fn endpoint(value: &str) -> Result<String, SetupError> {
    if value.is_empty() {
        return Ok(String::new());
    }
    super::api::Endpoint::parse(value)
        .map(|_| value.to_owned())
        .map_err(SetupError::Endpoint)
}

fn whole(value: &str, min: u32, max: u32) -> Result<u32, SetupError> {
    match value.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(SetupError::NotWhole { min, max }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `query`; compares the re-encoded pairs and the notes with `expected`.
    fn check(query: &str, expected: (&str, &[&str])) {
        let (setup, notes) = Setup::decode(query);
        let notes: Vec<String> = notes
            .iter()
            .map(|n| format!("{}: {}", n.key, n.message))
            .collect();
        assert_eq!(setup.rewrite(""), expected.0);
        assert_eq!(notes, expected.1);
    }

    #[test]
    fn defaults_write_nothing() {
        check("", ("", &[]));
        check("?v=1&rpd=9", ("", &[]));
    }

    #[test]
    fn values_round_trip() {
        check(
            "lurl=http://127.0.0.1:9/ttft=300&lmod=qwen3:8b&capi=anthropic&prompt=Say+hi%21&runs=20&warm=0&slim=60&smax=64",
            ("lurl=http://127.0.0.1:9/ttft%3D300&lmod=qwen3:8b&capi=anthropic&prompt=Say%20hi%21&runs=20&warm=0&smax=64&slim=60", &[]),
        );
    }

    #[test]
    fn bad_values_are_noted_and_keep_defaults() {
        check(
            "lapi=gemini&curl=ftp://x&runs=0&conc=65&warm=yes&prompt=&smax=257&slim=4&dmax=64",
            (
                "",
                &[
                    "lapi: must be ollama, openai or anthropic",
                    "curl: the endpoint must start with http:// or https://",
                    "runs: must be a whole number from 1 to 100",
                    "conc: must be a whole number from 1 to 64",
                    "warm: must be 0 or 1",
                    "prompt: must not be empty",
                    "smax: must be a whole number from 1 to 256",
                    "slim: must be a whole number from 5 to 3600",
                    "dmax: must be a whole number from 128 to 131072",
                ],
            ),
        );
    }

    #[test]
    fn default_models_follow_the_scenario_when_they_can() {
        let scenario = Scenario::default();
        assert_eq!(default_model(Api::Ollama, true, &scenario), "llama3.1:8b");
        assert_eq!(default_model(Api::OpenAi, false, &scenario), "gpt-4o-mini");
        assert_eq!(
            default_model(Api::Anthropic, false, &scenario),
            "claude-haiku-4-5"
        );
        let claude = Scenario {
            cloud_model: "claude-sonnet-4-5".into(),
            ..Scenario::default()
        };
        assert_eq!(
            default_model(Api::Anthropic, false, &claude),
            "claude-sonnet-4-5"
        );
        assert_eq!(default_model(Api::OpenAi, false, &claude), "gpt-4o-mini");
    }

    #[test]
    fn counts_and_models_of_a_setup() {
        let setup = Setup {
            runs: 3,
            requests: 2,
            concurrency: 8,
            ..Setup::default()
        };
        assert_eq!((setup.series_requests(), setup.streams()), (4, 2));
        let scenario = Scenario::default();
        assert_eq!(setup.local.model(true, &scenario), "llama3.1:8b");
        let named = Target {
            model: " qwen3:8b ".into(),
            ..setup.local.clone()
        };
        assert_eq!(named.model(true, &scenario), "qwen3:8b");
    }

    #[test]
    fn rewrite_keeps_every_other_pair() {
        let setup = Setup {
            runs: 3,
            ..Setup::default()
        };
        assert_eq!(
            setup.rewrite("?v=1&rpd=9&runs=7&embed=1"),
            "v=1&rpd=9&embed=1&runs=3"
        );
    }
}
