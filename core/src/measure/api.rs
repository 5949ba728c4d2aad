//! The three streaming APIs a measurement talks to: where to send, what headers, what body,
//! and how to read their model lists.
//!
//! Each request carries only the headers its API needs. An Ollama chat goes out with no
//! header at all (the body is sent as plain text, which Ollama reads as JSON), so the browser
//! sends no CORS preflight and Ollama's header allow-list cannot reject it. A key only ever
//! goes into a header, never into the URL.

use super::Api;
use crate::codec::json::{self, Json};
use crate::view::format::number;

/// Anthropic API version sent in `anthropic-version`.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// A checked endpoint: `scheme://host[:port]` and a base path without a trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// Host as typed, lowercased; IPv6 literals keep their brackets.
    pub host: String,
    /// Port, when one was written.
    pub port: Option<u16>,
    /// Base path, e.g. `/v1`, or empty.
    pub path: String,
}

/// Why a base URL cannot be a measurement endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// Neither `http://` nor `https://`.
    Scheme,
    /// A `?query` or `#fragment`.
    Query,
    /// `user:password@` before the host.
    Credentials,
    /// A port that is not a number from 1 to 65535, as written.
    Port(String),
    /// No host, or one with spaces or backslashes.
    Host,
}

impl std::fmt::Display for EndpointError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EndpointError::Scheme => {
                f.write_str("the endpoint must start with http:// or https://")
            }
            EndpointError::Query => f.write_str("the endpoint must not carry a query or fragment"),
            EndpointError::Credentials => {
                f.write_str("the endpoint must not carry credentials; put a key in the key field")
            }
            EndpointError::Port(digits) => {
                write!(f, "the port {digits:?} is not a number from 1 to 65535")
            }
            EndpointError::Host => f.write_str("the endpoint has no valid host"),
        }
    }
}

impl std::error::Error for EndpointError {}

impl Endpoint {
    /// Parses a base URL such as `http://localhost:11434` or `https://api.openai.com/v1`.
    /// Credentials, queries and fragments are refused: a key belongs in its own field.
    pub fn parse(text: &str) -> Result<Endpoint, EndpointError> {
        let text = text.trim();
        let (scheme, rest) = if let Some(rest) = strip_prefix_ignore_case(text, "https://") {
            ("https", rest)
        } else if let Some(rest) = strip_prefix_ignore_case(text, "http://") {
            ("http", rest)
        } else {
            return Err(EndpointError::Scheme);
        };
        if rest.contains(['?', '#']) {
            return Err(EndpointError::Query);
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if authority.contains('@') {
            return Err(EndpointError::Credentials);
        }
        let (host, port) = split_port(authority)?;
        if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c == '\\') {
            return Err(EndpointError::Host);
        }
        Ok(Endpoint {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
            path: path.trim_end_matches('/').to_owned(),
        })
    }

    /// `scheme://host[:port]`, as browsers write an origin.
    pub fn origin(&self) -> String {
        match self.port {
            Some(port) => format!("{}://{}:{port}", self.scheme, self.host),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }

    /// The base URL followed by `path` (which starts with `/`).
    pub fn join(&self, path: &str) -> String {
        format!("{}{}{path}", self.origin(), self.path)
    }

    /// True for this machine: `localhost` (and `*.localhost`), `127.0.0.0/8` and `[::1]`.
    /// Browsers treat these as secure, so an https page may call them over plain http.
    pub fn is_loopback(&self) -> bool {
        let host = self.host.as_str();
        host == "localhost"
            || host.ends_with(".localhost")
            || host == "[::1]"
            || host.split('.').next() == Some("127") && host.split('.').count() == 4
    }

    /// True for this machine and the local network: loopback, the private IPv4 ranges
    /// (`10/8`, `172.16/12`, `192.168/16`), link-local `169.254/16`, IPv6 unique-local
    /// `fc00::/7` and link-local `fe80::/10`, and `*.local` names. Browsers ask before a page
    /// from elsewhere reaches these (Chrome's local network access).
    pub fn is_local_network(&self) -> bool {
        let host = self.host.as_str();
        let octets: Vec<u8> = host.split('.').filter_map(|o| o.parse().ok()).collect();
        let private_v4 = host.split('.').count() == 4
            && octets.len() == 4
            && match (octets[0], octets[1]) {
                (10, _) | (192, 168) | (169, 254) => true,
                (172, second) => (16..=31).contains(&second),
                _ => false,
            };
        let v6 = host.strip_prefix('[').unwrap_or("");
        let local_v6 = ["fc", "fd", "fe8", "fe9", "fea", "feb"]
            .iter()
            .any(|prefix| v6.starts_with(prefix));
        self.is_loopback() || private_v4 || local_v6 || host.ends_with(".local")
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn split_port(authority: &str) -> Result<(&str, Option<u16>), EndpointError> {
    let colon = match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => i,
        _ => return Ok((authority, None)),
    };
    let digits = &authority[colon + 1..];
    match digits.parse::<u16>() {
        Ok(port) if port > 0 => Ok((&authority[..colon], Some(port))),
        _ => Err(EndpointError::Port(digits.to_owned())),
    }
}

/// A request ready for `fetch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The whole URL.
    pub url: String,
    /// Header names and values; a key appears here and nowhere else.
    pub headers: Vec<(&'static str, String)>,
    /// The body, empty for `GET`.
    pub body: String,
}

/// What to ask the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt<'a> {
    /// The model id as the API names it.
    pub model: &'a str,
    /// The user message.
    pub text: &'a str,
    /// Most tokens to generate.
    pub max_tokens: u32,
    /// The context the model must hold, tokens, where Ollama must be told (`num_ctx`: it
    /// loads a model with a shorter one by default and cuts longer prompts); `None` leaves
    /// the server's own.
    pub context: Option<u32>,
}

/// The streaming chat request of `api` at `endpoint`; `key` goes into its header only.
pub fn chat(api: Api, endpoint: &Endpoint, prompt: &Prompt, key: Option<&str>) -> Request {
    let model = json::quote(prompt.model);
    let messages = format!(
        r#"[{{"role":"user","content":{}}}]"#,
        json::quote(prompt.text)
    );
    let max = prompt.max_tokens;
    let (path, body) = match api {
        Api::Ollama => (
            "/api/chat",
            format!(
                r#"{{"model":{model},"messages":{messages},"stream":true,"options":{{"num_predict":{max}{}}}}}"#,
                prompt
                    .context
                    .map_or(String::new(), |n| format!(r#","num_ctx":{n}"#))
            ),
        ),
        Api::OpenAi => (
            "/chat/completions",
            format!(
                r#"{{"model":{model},"messages":{messages},"stream":true,"stream_options":{{"include_usage":true}},"max_tokens":{max}}}"#
            ),
        ),
        Api::Anthropic => (
            "/v1/messages",
            format!(
                r#"{{"model":{model},"messages":{messages},"stream":true,"max_tokens":{max}}}"#
            ),
        ),
    };
    let mut headers = Vec::new();
    if api != Api::Ollama {
        headers.push(("content-type", "application/json".to_owned()));
    }
    headers.extend(key_headers(api, key));
    Request {
        method: "POST",
        url: endpoint.join(path),
        headers,
        body,
    }
}

/// The request listing the models `api` offers: Ollama `/api/tags`, OpenAI `/models`,
/// Anthropic `/v1/models`.
pub fn models(api: Api, endpoint: &Endpoint, key: Option<&str>) -> Request {
    let path = match api {
        Api::Ollama => "/api/tags",
        Api::OpenAi => "/models",
        Api::Anthropic => "/v1/models",
    };
    Request {
        method: "GET",
        url: endpoint.join(path),
        headers: key_headers(api, key),
        body: String::new(),
    }
}

/// Ollama's `/api/ps` (models loaded in memory) or `/api/version`.
pub fn ollama_get(endpoint: &Endpoint, path: &str) -> Request {
    Request {
        method: "GET",
        url: endpoint.join(path),
        headers: Vec::new(),
        body: String::new(),
    }
}

fn key_headers(api: Api, key: Option<&str>) -> Vec<(&'static str, String)> {
    let key = key.map(str::trim).filter(|k| !k.is_empty());
    match (api, key) {
        (Api::Ollama, _) => Vec::new(),
        (Api::OpenAi, None) => Vec::new(),
        (Api::OpenAi, Some(key)) => vec![("authorization", format!("Bearer {key}"))],
        (Api::Anthropic, key) => {
            let mut headers = vec![
                ("anthropic-version", ANTHROPIC_VERSION.to_owned()),
                (
                    "anthropic-dangerous-direct-browser-access",
                    "true".to_owned(),
                ),
            ];
            if let Some(key) = key {
                headers.push(("x-api-key", key.to_owned()));
            }
            headers
        }
    }
}

/// Model ids from a model list: Ollama `models[].name`, OpenAI and Anthropic `data[].id`.
pub fn model_ids(api: Api, body: &str) -> Result<Vec<String>, ModelListError> {
    let value = json::parse(body).map_err(ModelListError::NotJson)?;
    let (list, field) = match api {
        Api::Ollama => ("models", "name"),
        Api::OpenAi | Api::Anthropic => ("data", "id"),
    };
    match value.get(list) {
        Some(Json::Array(items)) => Ok(items
            .iter()
            .filter_map(|item| item.get(field).and_then(Json::as_str))
            .map(str::to_owned)
            .collect()),
        _ => Err(ModelListError::NoList(list)),
    }
}

/// Why a server's model list could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelListError {
    /// The body is not JSON.
    NotJson(json::JsonError),
    /// No array under this key.
    NoList(&'static str),
}

impl std::fmt::Display for ModelListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelListError::NotJson(e) => write!(f, "the model list is not JSON: {e}"),
            ModelListError::NoList(list) => write!(f, "the model list has no `{list}` array"),
        }
    }
}

impl std::error::Error for ModelListError {}

/// What a connection check found, for people: `Ollama 0.12.3 · 2 models · in memory:
/// llama3.1:8b` (the Ollama parts only when known).
pub fn server_info(version: Option<&str>, models: usize, loaded: Option<&[String]>) -> String {
    let mut info = format!("{models} models");
    if let Some(version) = version {
        info = format!("Ollama {version} · {info}");
    }
    if let Some(loaded) = loaded {
        let loaded = if loaded.is_empty() {
            "none".to_owned()
        } else {
            loaded.join(", ")
        };
        info.push_str(&format!(" · in memory: {loaded}"));
    }
    info
}

/// Ollama's version from `/api/version`.
pub fn ollama_version(body: &str) -> Option<String> {
    let value = json::parse(body).ok()?;
    value
        .get("version")
        .and_then(Json::as_str)
        .map(str::to_owned)
}

/// A model Ollama holds in memory, from `/api/ps`: its size in memory, the part of it on the
/// GPU, and the context it was loaded with (newer Ollama releases write it).
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The model's tag.
    pub name: String,
    /// Bytes it takes in memory, weights and cache.
    pub size: f64,
    /// Of those, bytes on the GPU.
    pub size_vram: f64,
    /// Tokens of context it was loaded with.
    pub context_length: Option<u32>,
}

/// The `/api/ps` entry of `model` (by `name` or `model`), if it is loaded.
pub fn ollama_loaded(body: &str, model: &str) -> Option<Loaded> {
    let value = json::parse(body).ok()?;
    let Some(Json::Array(models)) = value.get("models") else {
        return None;
    };
    let named = |m: &&Json, key| m.get(key).and_then(Json::as_str) == Some(model);
    let entry = models
        .iter()
        .find(|m| named(m, "name") || named(m, "model"))?;
    let bytes = |key| {
        entry
            .get(key)
            .and_then(Json::as_f64)
            .filter(|b| b.is_finite() && *b >= 0.0)
    };
    Some(Loaded {
        name: model.to_owned(),
        size: bytes("size")?,
        size_vram: bytes("size_vram").unwrap_or(0.0),
        context_length: bytes("context_length")
            .filter(|c| c.fract() == 0.0 && *c <= f64::from(u32::MAX))
            .map(|c| c as u32),
    })
}

impl Loaded {
    /// Where the model sits, in words: all on the GPU, all on the CPU, or how much of it runs
    /// on the CPU (`size − size_vram`), which slows decode; and its context when known.
    pub fn describe(&self) -> String {
        let gb = |bytes: f64| format!("{} GB", number(bytes / 1e9, 2));
        let on_cpu = (self.size - self.size_vram).max(0.0);
        let mut text = if on_cpu <= 0.0 {
            format!(
                "{} is loaded entirely on the GPU ({})",
                self.name,
                gb(self.size)
            )
        } else if self.size_vram <= 0.0 {
            format!(
                "{} runs entirely on the CPU ({} in system memory): these speeds are the CPU's",
                self.name,
                gb(self.size)
            )
        } else {
            format!(
                "{} of {}'s {} ({}%) runs on the CPU, the rest on the GPU: decode is slower than \
                 on the GPU alone, and a smaller quantization or context would fit it",
                gb(on_cpu),
                self.name,
                gb(self.size),
                number(on_cpu / self.size * 100.0, 0)
            )
        };
        if let Some(context) = self.context_length {
            text.push_str(&format!(
                "; loaded with {} tokens of context",
                number(f64::from(context), 0)
            ));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 8.0 GB in memory, 5.9 on the GPU: 2.1 GB (26%) on the CPU.
    #[test]
    fn where_ollama_holds_a_model() {
        let ps = r#"{"models":[{"name":"qwen3:8b","model":"qwen3:8b","size":8000000000,
            "size_vram":5900000000,"context_length":8192},
            {"name":"llama3.1:8b","size":6654289920,"size_vram":6654289920}]}"#;
        let partial = ollama_loaded(ps, "qwen3:8b").expect("loaded");
        assert_eq!(
            partial.describe(),
            "2.10 GB of qwen3:8b's 8.00 GB (26%) runs on the CPU, the rest on the GPU: decode is \
             slower than on the GPU alone, and a smaller quantization or context would fit it; \
             loaded with 8,192 tokens of context"
        );
        assert_eq!(
            ollama_loaded(ps, "llama3.1:8b")
                .map(|l| l.describe())
                .as_deref(),
            Some("llama3.1:8b is loaded entirely on the GPU (6.65 GB)")
        );
        let cpu = r#"{"models":[{"name":"m","size":4000000000,"size_vram":0}]}"#;
        assert_eq!(
            ollama_loaded(cpu, "m").map(|l| l.describe()).as_deref(),
            Some(
                "m runs entirely on the CPU (4.00 GB in system memory): these speeds are the CPU's"
            )
        );
        assert_eq!(ollama_loaded(ps, "gemma3:27b"), None, "not loaded");
        assert_eq!(ollama_loaded("not json", "m"), None);
    }

    /// Parses `text`; compares `origin|path` (or the error) with `expected`.
    fn check(text: &str, expected: &str) {
        let got = match Endpoint::parse(text) {
            Ok(endpoint) => format!("{}|{}", endpoint.origin(), endpoint.path),
            Err(error) => error.to_string(),
        };
        assert_eq!(got, expected);
    }

    #[test]
    fn endpoints() {
        check("http://localhost:11434", "http://localhost:11434|");
        check(" HTTPS://API.OpenAI.com/v1/ ", "https://api.openai.com|/v1");
        check("http://[::1]:8080/x", "http://[::1]:8080|/x");
        check(
            "ftp://x",
            "the endpoint must start with http:// or https://",
        );
        check(
            "http://user:pw@host",
            "the endpoint must not carry credentials; put a key in the key field",
        );
        check(
            "http://host/?key=1",
            "the endpoint must not carry a query or fragment",
        );
        check(
            "http://host:99999",
            "the port \"99999\" is not a number from 1 to 65535",
        );
        check("http:///v1", "the endpoint has no valid host");
    }

    #[test]
    fn loopback_hosts() {
        let loopback = |t: &str| Endpoint::parse(t).unwrap().is_loopback();
        assert!(loopback("http://localhost:11434"));
        assert!(loopback("http://127.0.0.1:1"));
        assert!(loopback("http://[::1]"));
        assert!(!loopback("http://192.168.1.5:11434"));
        assert!(!loopback("http://127.example.com"));
    }

    #[test]
    fn ollama_chat_has_no_headers_and_a_plain_body() {
        let endpoint = Endpoint::parse("http://localhost:11434/").unwrap();
        let prompt = Prompt {
            model: "llama3.1:8b",
            text: "say \"hi\"\n",
            max_tokens: 64,
            context: None,
        };
        let request = chat(Api::Ollama, &endpoint, &prompt, Some("ignored"));
        assert_eq!(request.url, "http://localhost:11434/api/chat");
        assert!(request.headers.is_empty());
        assert_eq!(
            request.body,
            r#"{"model":"llama3.1:8b","messages":[{"role":"user","content":"say \"hi\"\n"}],"stream":true,"options":{"num_predict":64}}"#
        );
        assert_eq!(json::parse(&request.body).map(|_| ()), Ok(()));
        // A depth sweep tells Ollama the context it needs.
        let deep = Prompt {
            context: Some(8320),
            ..prompt
        };
        assert!(chat(Api::Ollama, &endpoint, &deep, None)
            .body
            .ends_with(r#""options":{"num_predict":64,"num_ctx":8320}}"#));
    }

    #[test]
    fn keys_go_into_headers_only() {
        let endpoint = Endpoint::parse("https://api.example.com/v1").unwrap();
        let prompt = Prompt {
            model: "m",
            text: "x",
            max_tokens: 8,
            context: Some(4096),
        };
        let openai = chat(Api::OpenAi, &endpoint, &prompt, Some(" secret "));
        assert_eq!(openai.url, "https://api.example.com/v1/chat/completions");
        assert_eq!(
            openai.headers,
            [
                ("content-type", "application/json".into()),
                ("authorization", "Bearer secret".into())
            ]
        );
        assert!(openai
            .body
            .contains(r#""stream_options":{"include_usage":true}"#));
        let anthropic = chat(
            Api::Anthropic,
            &Endpoint::parse("https://api.anthropic.com").unwrap(),
            &prompt,
            Some("k"),
        );
        assert_eq!(anthropic.url, "https://api.anthropic.com/v1/messages");
        let names: Vec<_> = anthropic.headers.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "content-type",
                "anthropic-version",
                "anthropic-dangerous-direct-browser-access",
                "x-api-key"
            ]
        );
        for request in [openai, anthropic] {
            assert!(!request.url.contains("secret") && !request.body.contains("secret"));
        }
    }

    #[test]
    fn model_lists() {
        let tags = r#"{"models":[{"name":"llama3.1:8b"},{"name":"qwen3:8b"}]}"#;
        assert_eq!(
            model_ids(Api::Ollama, tags),
            Ok(vec!["llama3.1:8b".into(), "qwen3:8b".into()])
        );
        let data = r#"{"object":"list","data":[{"id":"gpt-4o-mini"}]}"#;
        assert_eq!(model_ids(Api::OpenAi, data), Ok(vec!["gpt-4o-mini".into()]));
        let refused = model_ids(Api::OpenAi, "{}");
        assert_eq!(refused, Err(ModelListError::NoList("data")));
        assert_eq!(
            refused.map_err(|e| e.to_string()),
            Err("the model list has no `data` array".into())
        );
        assert_eq!(
            ollama_version(r#"{"version":"0.12.3"}"#).as_deref(),
            Some("0.12.3")
        );
    }

    #[test]
    fn server_info_for_people() {
        let loaded = ["llama3.1:8b".to_string()];
        assert_eq!(
            server_info(Some("0.12.3"), 2, Some(&loaded)),
            "Ollama 0.12.3 · 2 models · in memory: llama3.1:8b"
        );
        assert_eq!(server_info(None, 5, None), "5 models");
        assert_eq!(
            server_info(Some("0.1"), 0, Some(&[])),
            "Ollama 0.1 · 0 models · in memory: none"
        );
    }
}
