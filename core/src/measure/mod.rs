//! Live measurement of LLM servers: requests, stream decoding, per-run figures, statistics
//! and diagnostics. The page does the I/O (fetch, clock, abort); everything it reads goes
//! through here as plain data.

pub mod api;
pub mod decode;
pub mod depth;
pub mod diagnose;
pub mod frame;
pub mod load;
pub mod percentile;
pub mod results;
pub mod run;
pub mod setup;
pub mod stats;
pub mod sweep;

use serde::Serialize;

/// A streaming API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    /// Ollama's native `/api/chat` (NDJSON).
    Ollama,
    /// Any OpenAI-compatible `/chat/completions` (server-sent events): OpenAI, Ollama's
    /// `/v1`, OpenRouter, Groq, Together, vLLM, llama.cpp server.
    OpenAi,
    /// Anthropic's `/v1/messages` (server-sent events).
    Anthropic,
}

impl Api {
    /// Every API, in the order the page lists them.
    pub const ALL: [Api; 3] = [Api::Ollama, Api::OpenAi, Api::Anthropic];

    /// The value used in links.
    pub fn as_str(self) -> &'static str {
        match self {
            Api::Ollama => "ollama",
            Api::OpenAi => "openai",
            Api::Anthropic => "anthropic",
        }
    }

    /// Parses the link value.
    pub fn parse(value: &str) -> Option<Api> {
        Api::ALL.into_iter().find(|a| a.as_str() == value)
    }

    /// The name people know it by.
    pub fn label(self) -> &'static str {
        match self {
            Api::Ollama => "Ollama",
            Api::OpenAi => "OpenAI-compatible",
            Api::Anthropic => "Anthropic",
        }
    }

    /// Where it usually lives.
    pub fn default_endpoint(self) -> &'static str {
        match self {
            Api::Ollama => "http://localhost:11434",
            Api::OpenAi => "https://api.openai.com/v1",
            Api::Anthropic => "https://api.anthropic.com",
        }
    }

    /// Whether requests need a key.
    pub fn needs_key(self) -> bool {
        self != Api::Ollama
    }
}
