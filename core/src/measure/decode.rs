//! Decoding of streamed answers: Ollama NDJSON, OpenAI-compatible and Anthropic
//! server-sent events, into one list of [`Event`]s.
//!
//! [`StreamDecoder`] is fed the body as it arrives, in chunks cut anywhere, and yields the
//! same events however the body was cut. Server-sent events follow the WHATWG rules: comment
//! lines (`: keep-alive`) are skipped, `data:` lines join with `\n`, a blank line dispatches,
//! `event:` names the event. An error object inside the stream, a line that is not JSON and
//! a body that ends before the API's final message (or in the middle of a line) are errors,
//! never panics. After the final message or the first error, nothing more is read.

use super::frame::{FrameError, LineFramer};
use super::Api;
use crate::codec::json::{self, Json};
use std::fmt;

/// One thing the server said while streaming.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Part of the answer.
    Text(String),
    /// Part of a reasoning model's thinking, before or beside the answer.
    Thinking(String),
    /// Counts and timings the server reports, usually once near the end.
    Usage(Usage),
    /// The API's final message: the answer is complete.
    End,
}

/// Server-reported counts and timings; each is `None` when the server did not say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Usage {
    /// Tokens of the prompt (Ollama `prompt_eval_count`, OpenAI `prompt_tokens`, Anthropic
    /// `input_tokens`, llama.cpp `prompt_n`).
    pub prompt_tokens: Option<f64>,
    /// Tokens generated (Ollama `eval_count`, OpenAI `completion_tokens`, Anthropic
    /// `output_tokens`, llama.cpp `predicted_n`).
    pub output_tokens: Option<f64>,
    /// Time the server spent on the prompt, ns (Ollama `prompt_eval_duration`, llama.cpp
    /// `prompt_ms`).
    pub prompt_eval_ns: Option<f64>,
    /// Time the server spent generating, ns (Ollama `eval_duration`, llama.cpp
    /// `predicted_ms`).
    pub eval_ns: Option<f64>,
    /// Ollama `load_duration`, ns: time spent loading the model into memory.
    pub load_ns: Option<f64>,
}

impl Usage {
    /// Fills what `self` lacks from `later`, later figures winning where both speak.
    pub fn merge(&mut self, later: &Usage) {
        let pairs = [
            (&mut self.prompt_tokens, later.prompt_tokens),
            (&mut self.output_tokens, later.output_tokens),
            (&mut self.prompt_eval_ns, later.prompt_eval_ns),
            (&mut self.eval_ns, later.eval_ns),
            (&mut self.load_ns, later.load_ns),
        ];
        for (mine, theirs) in pairs {
            if theirs.is_some() {
                *mine = theirs;
            }
        }
    }
}

/// Why a stream could not be read to its end.
#[derive(Debug, Clone, PartialEq)]
pub enum DecodeError {
    /// The bytes did not frame into lines.
    Frame(FrameError),
    /// A line that should hold JSON does not; `excerpt` is its start.
    Malformed {
        /// The line's number in the stream, from 1.
        line: usize,
        /// At most 80 characters of it.
        excerpt: String,
    },
    /// The server reported an error inside the stream.
    Server(String),
    /// The body ended before the API's final message.
    Truncated,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Frame(error) => error.fmt(f),
            DecodeError::Malformed { line, excerpt } => {
                write!(f, "line {line} of the stream is not JSON: {excerpt:?}")
            }
            DecodeError::Server(message) => {
                write!(f, "the server reported an error mid-stream: {message}")
            }
            DecodeError::Truncated => {
                f.write_str("the stream stopped before the answer was complete")
            }
        }
    }
}

impl From<FrameError> for DecodeError {
    fn from(error: FrameError) -> Self {
        DecodeError::Frame(error)
    }
}

/// Turns a streamed body into [`Event`]s, chunk by chunk.
#[derive(Debug)]
pub struct StreamDecoder {
    api: Api,
    framer: LineFramer,
    lines_seen: usize,
    /// The server-sent event being gathered: its `event:` name and `data:` lines.
    event_name: String,
    data: Option<String>,
    ended: bool,
    failed: bool,
    /// The body has ended: a line that does not parse now was cut short.
    at_end: bool,
}

impl StreamDecoder {
    /// A decoder for a stream of `api`.
    pub fn new(api: Api) -> StreamDecoder {
        StreamDecoder {
            api,
            framer: LineFramer::new(),
            lines_seen: 0,
            event_name: String::new(),
            data: None,
            ended: false,
            failed: false,
            at_end: false,
        }
    }

    /// Decodes `chunk`, appending the events it completes. After the first error the
    /// decoder yields nothing more; anything after the API's final message is ignored.
    pub fn push(&mut self, chunk: &[u8], events: &mut Vec<Event>) -> Result<(), DecodeError> {
        if self.failed || self.ended {
            return Ok(());
        }
        let mut lines = Vec::new();
        let framed = self.framer.push(chunk, &mut lines);
        self.lines(lines, events)?;
        if self.ended {
            return Ok(());
        }
        framed.map_err(|e| self.fail(e.into()))
    }

    /// Ends the body: decodes an unterminated last line, then fails with
    /// [`DecodeError::Truncated`] unless the API's final message arrived.
    pub fn finish(&mut self, events: &mut Vec<Event>) -> Result<(), DecodeError> {
        if self.failed || self.ended {
            return Ok(());
        }
        self.at_end = true;
        let mut lines = Vec::new();
        // A last line cut inside a character was cut short, not sent broken.
        let framed = self.framer.finish(&mut lines);
        self.lines(lines, events)?;
        framed.map_err(|_| self.fail(DecodeError::Truncated))?;
        if self.api != Api::Ollama && !self.failed && !self.ended {
            // A last event without its blank line still counts.
            self.dispatch(events)?;
        }
        match (self.failed, self.ended) {
            (false, false) => Err(self.fail(DecodeError::Truncated)),
            _ => Ok(()),
        }
    }

    fn fail(&mut self, error: DecodeError) -> DecodeError {
        self.failed = true;
        error
    }

    fn lines(&mut self, lines: Vec<String>, events: &mut Vec<Event>) -> Result<(), DecodeError> {
        for line in lines {
            if self.failed || self.ended {
                return Ok(());
            }
            self.lines_seen += 1;
            match self.api {
                Api::Ollama => self.ndjson_line(&line, events)?,
                Api::OpenAi | Api::Anthropic => self.sse_line(line, events)?,
            }
        }
        Ok(())
    }

    fn ndjson_line(&mut self, line: &str, events: &mut Vec<Event>) -> Result<(), DecodeError> {
        if line.trim().is_empty() {
            return Ok(());
        }
        let value = self.json(line)?;
        self.ollama(&value, events)
    }

    /// One line of server-sent events (WHATWG HTML, "event stream interpretation").
    fn sse_line(&mut self, line: String, events: &mut Vec<Event>) -> Result<(), DecodeError> {
        if line.is_empty() {
            return self.dispatch(events);
        }
        if line.starts_with(':') {
            return Ok(());
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_str(), ""),
        };
        match field {
            "event" => self.event_name = value.to_owned(),
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            },
            _ => {}
        }
        Ok(())
    }

    fn dispatch(&mut self, events: &mut Vec<Event>) -> Result<(), DecodeError> {
        let name = std::mem::take(&mut self.event_name);
        let Some(data) = self.data.take() else {
            return Ok(());
        };
        if self.api == Api::OpenAi && data.trim() == "[DONE]" {
            self.ended = true;
            events.push(Event::End);
            return Ok(());
        }
        let value = self.json(&data)?;
        match self.api {
            Api::OpenAi => self.openai(&value, events),
            _ => self.anthropic(&name, &value, events),
        }
    }

    fn json(&mut self, text: &str) -> Result<Json, DecodeError> {
        json::parse(text).map_err(|_| {
            if self.at_end {
                return self.fail(DecodeError::Truncated);
            }
            let excerpt: String = text.chars().take(80).collect();
            self.fail(DecodeError::Malformed {
                line: self.lines_seen,
                excerpt,
            })
        })
    }

    /// Ollama `/api/chat`: `message.content`, `message.thinking`, counts on the `done` line.
    fn ollama(&mut self, value: &Json, events: &mut Vec<Event>) -> Result<(), DecodeError> {
        if let Some(error) = value.get("error") {
            return Err(self.fail(DecodeError::Server(error_text(error))));
        }
        let message = value.get("message");
        push_text(
            events,
            message.and_then(|m| m.get("thinking")),
            Event::Thinking,
        );
        push_text(events, message.and_then(|m| m.get("content")), Event::Text);
        if let Some(Json::Bool(true)) = value.get("done") {
            let number = |key| value.get(key).and_then(Json::as_f64);
            events.push(Event::Usage(Usage {
                prompt_tokens: number("prompt_eval_count"),
                output_tokens: number("eval_count"),
                prompt_eval_ns: number("prompt_eval_duration"),
                eval_ns: number("eval_duration"),
                load_ns: number("load_duration"),
            }));
            self.ended = true;
            events.push(Event::End);
        }
        Ok(())
    }

    /// OpenAI chat completion chunks: `choices[0].delta.content`, reasoning in
    /// `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter, Ollama), `usage`, and
    /// llama.cpp's own `timings` (see [`llama_cpp_timings`]).
    fn openai(&mut self, value: &Json, events: &mut Vec<Event>) -> Result<(), DecodeError> {
        if let Some(error) = value.get("error") {
            return Err(self.fail(DecodeError::Server(error_text(error))));
        }
        if let Some(Json::Array(choices)) = value.get("choices") {
            if let Some(delta) = choices.first().and_then(|c| c.get("delta")) {
                let reasoning = delta
                    .get("reasoning_content")
                    .or_else(|| delta.get("reasoning"));
                push_text(events, reasoning, Event::Thinking);
                push_text(events, delta.get("content"), Event::Text);
            }
        }
        if let Some(usage) = value.get("usage").filter(|u| **u != Json::Null) {
            let number = |key| usage.get(key).and_then(Json::as_f64);
            events.push(Event::Usage(Usage {
                prompt_tokens: number("prompt_tokens"),
                output_tokens: number("completion_tokens"),
                ..Usage::default()
            }));
        }
        if let Some(timings) = value.get("timings") {
            events.push(Event::Usage(llama_cpp_timings(timings)));
        }
        Ok(())
    }

    /// Anthropic Messages events: `content_block_delta` text and thinking, usage in
    /// `message_start` and `message_delta`, `message_stop` last, `error` events.
    fn anthropic(
        &mut self,
        name: &str,
        value: &Json,
        events: &mut Vec<Event>,
    ) -> Result<(), DecodeError> {
        let kind = value.get("type").and_then(Json::as_str).unwrap_or(name);
        match kind {
            "error" => {
                let error = value.get("error").unwrap_or(value);
                Err(self.fail(DecodeError::Server(error_text(error))))
            }
            "content_block_delta" => {
                let delta = value.get("delta");
                push_text(
                    events,
                    delta.and_then(|d| d.get("thinking")),
                    Event::Thinking,
                );
                push_text(events, delta.and_then(|d| d.get("text")), Event::Text);
                Ok(())
            }
            "message_start" => {
                let usage = value.get("message").and_then(|m| m.get("usage"));
                let prompt = usage
                    .and_then(|u| u.get("input_tokens"))
                    .and_then(Json::as_f64);
                if prompt.is_some() {
                    events.push(Event::Usage(Usage {
                        prompt_tokens: prompt,
                        ..Usage::default()
                    }));
                }
                Ok(())
            }
            "message_delta" => {
                let output = value.get("usage").and_then(|u| u.get("output_tokens"));
                if let Some(output) = output.and_then(Json::as_f64) {
                    events.push(Event::Usage(Usage {
                        output_tokens: Some(output),
                        ..Usage::default()
                    }));
                }
                Ok(())
            }
            "message_stop" => {
                self.ended = true;
                events.push(Event::End);
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// llama.cpp's server times its own work, as Ollama does, in a `timings` object on its last
/// chunk: `predicted_n` tokens generated in `predicted_ms`, and `prompt_n` prompt tokens
/// processed (cached ones left out) in `prompt_ms`. A prompt served wholly from the cache
/// (`prompt_n` 0) gives no prompt figures.
fn llama_cpp_timings(timings: &Json) -> Usage {
    let number = |key| timings.get(key).and_then(Json::as_f64);
    let ns = |key| number(key).map(|ms| ms * 1e6);
    let prompt = number("prompt_n").is_some_and(|n| n > 0.0);
    Usage {
        prompt_tokens: number("prompt_n").filter(|_| prompt),
        output_tokens: number("predicted_n"),
        prompt_eval_ns: ns("prompt_ms").filter(|_| prompt),
        eval_ns: ns("predicted_ms"),
        load_ns: None,
    }
}

/// Appends `make(text)` when `value` is a non-empty string.
fn push_text(events: &mut Vec<Event>, value: Option<&Json>, make: fn(String) -> Event) {
    if let Some(text) = value.and_then(Json::as_str).filter(|t| !t.is_empty()) {
        events.push(make(text.to_owned()));
    }
}

/// The message of an error value: a string, or an object's `message` (with its `type`).
pub fn error_text(error: &Json) -> String {
    let text = match error {
        Json::String(text) => text.clone(),
        _ => {
            let message = error
                .get("message")
                .and_then(Json::as_str)
                .unwrap_or("no message");
            match error.get("type").and_then(Json::as_str) {
                Some(kind) => format!("{message} ({kind})"),
                None => message.to_owned(),
            }
        }
    };
    text.chars().take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `body` in one piece; compares the events and the result with `expected`.
    fn check(api: Api, body: &str, expected: (&[Event], Result<(), DecodeError>)) {
        let mut decoder = StreamDecoder::new(api);
        let mut events = Vec::new();
        let result = decoder
            .push(body.as_bytes(), &mut events)
            .and_then(|()| decoder.finish(&mut events));
        assert_eq!((events.as_slice(), result), expected);
    }

    fn text(t: &str) -> Event {
        Event::Text(t.into())
    }

    #[test]
    fn ollama_lines_with_thinking_and_counts() {
        let body = concat!(
            r#"{"message":{"role":"assistant","content":"","thinking":"hm"},"done":false}"#,
            "\n",
            r#"{"message":{"role":"assistant","content":"Hi"},"done":false}"#,
            "\n\n",
            r#"{"message":{"content":""},"done":true,"eval_count":2,"eval_duration":5e7,"#,
            r#""prompt_eval_count":9,"prompt_eval_duration":3e6,"load_duration":1200000}"#,
        );
        let usage = Usage {
            prompt_tokens: Some(9.0),
            output_tokens: Some(2.0),
            prompt_eval_ns: Some(3e6),
            eval_ns: Some(5e7),
            load_ns: Some(1.2e6),
        };
        let events = [
            Event::Thinking("hm".into()),
            text("Hi"),
            Event::Usage(usage),
            Event::End,
        ];
        check(Api::Ollama, body, (&events, Ok(())));
    }

    #[test]
    fn ollama_error_line_stops_the_stream() {
        let body = "{\"message\":{\"content\":\"a\"}}\n{\"error\":\"out of memory\"}\n";
        let error = DecodeError::Server("out of memory".into());
        check(Api::Ollama, body, (&[text("a")], Err(error)));
    }

    #[test]
    fn openai_events_comments_usage_and_done() {
        let body = concat!(
            ": OPENROUTER PROCESSING\n\n",
            "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n",
            "data: {\"choices\":[{\"delta\":{\"reasoning\":\"r\"}}]}\r\n\r\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n",
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}\n\n",
            "data: [DONE]\n\n",
        );
        let usage = Usage {
            prompt_tokens: Some(7.0),
            output_tokens: Some(3.0),
            ..Usage::default()
        };
        let events = [
            Event::Thinking("r".into()),
            text("Hi"),
            Event::Usage(usage),
            Event::End,
        ];
        check(Api::OpenAi, body, (&events, Ok(())));
    }

    #[test]
    fn llama_cpp_timings_join_the_usage() {
        // llama.cpp puts its timings on the usage chunk: 9 of the 12 prompt tokens were not
        // cached and took 30 ms; 3 tokens took 60 ms. A fully cached prompt gives no prompt
        // figures.
        let body = concat!(
            "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n",
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3},",
            "\"timings\":{\"cache_n\":3,\"prompt_n\":9,\"prompt_ms\":30.0,\"predicted_n\":3,\"predicted_ms\":60.0}}\n\n",
            "data: {\"choices\":[],\"timings\":{\"prompt_n\":0,\"prompt_ms\":0.1,\"predicted_n\":3,\"predicted_ms\":60.0}}\n\n",
            "data: [DONE]\n\n",
        );
        let usage = Usage {
            prompt_tokens: Some(12.0),
            output_tokens: Some(3.0),
            ..Usage::default()
        };
        let timed = Usage {
            prompt_tokens: Some(9.0),
            output_tokens: Some(3.0),
            prompt_eval_ns: Some(3e7),
            eval_ns: Some(6e7),
            load_ns: None,
        };
        let cached = Usage {
            output_tokens: Some(3.0),
            eval_ns: Some(6e7),
            ..Usage::default()
        };
        let events = [
            text("Hi"),
            Event::Usage(usage),
            Event::Usage(timed),
            Event::Usage(cached),
            Event::End,
        ];
        check(Api::OpenAi, body, (&events, Ok(())));
    }

    #[test]
    fn openai_error_object_inside_the_stream() {
        let body = "data: {\"error\":{\"message\":\"upstream error\",\"code\":502}}\n\n";
        let error = DecodeError::Server("upstream error".into());
        check(Api::OpenAi, body, (&[], Err(error)));
    }

    #[test]
    fn data_lines_join_and_the_last_event_needs_no_blank_line() {
        let body = "data: {\"choices\":[{\"delta\":\ndata: {\"content\":\"x\"}}]}\n\ndata: [DONE]";
        check(Api::OpenAi, body, (&[text("x"), Event::End], Ok(())));
    }

    #[test]
    fn anthropic_text_thinking_usage_and_error() {
        let body = concat!(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n",
            "event: ping\ndata: {\"type\": \"ping\"}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"t\"}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Yo\"}}\n\n",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":4}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
        );
        let prompt = Usage {
            prompt_tokens: Some(12.0),
            ..Usage::default()
        };
        let output = Usage {
            output_tokens: Some(4.0),
            ..Usage::default()
        };
        let events = [
            Event::Usage(prompt),
            Event::Thinking("t".into()),
            text("Yo"),
            Event::Usage(output),
            Event::End,
        ];
        check(Api::Anthropic, body, (&events, Ok(())));
        let overloaded = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";
        let error = DecodeError::Server("Overloaded (overloaded_error)".into());
        check(Api::Anthropic, overloaded, (&[], Err(error)));
    }

    #[test]
    fn a_stream_cut_short_is_truncated() {
        check(
            Api::Ollama,
            "{\"message\":{\"content\":\"a\"}}\n",
            (&[text("a")], Err(DecodeError::Truncated)),
        );
        check(
            Api::OpenAi,
            "data: {\"choices\":[]}\n\n",
            (&[], Err(DecodeError::Truncated)),
        );
    }

    #[test]
    fn a_line_that_is_not_json_is_malformed() {
        let body = "{\"message\":{\"content\":\"a\"}}\n{\"message\":\n";
        let error = DecodeError::Malformed {
            line: 2,
            excerpt: "{\"message\":".into(),
        };
        check(Api::Ollama, body, (&[text("a")], Err(error)));
    }

    #[test]
    fn nothing_after_the_end_counts() {
        let body = "data: [DONE]\n\ndata: {\"error\":{\"message\":\"late\"}}\n\n";
        check(Api::OpenAi, body, (&[Event::End], Ok(())));
        let mut decoder = StreamDecoder::new(Api::OpenAi);
        let mut events = Vec::new();
        assert_eq!(decoder.push(b"data: [DONE]\n\n\xff\n", &mut events), Ok(()));
        assert_eq!(decoder.finish(&mut events), Ok(()));
        assert_eq!(events, [Event::End]);
    }

    #[test]
    fn a_body_cut_mid_line_is_truncated() {
        let body = "{\"message\":{\"content\":\"a\"}}\n{\"message\":{\"con";
        check(
            Api::Ollama,
            body,
            (&[text("a")], Err(DecodeError::Truncated)),
        );
        let mut decoder = StreamDecoder::new(Api::Ollama);
        let mut events = Vec::new();
        assert_eq!(
            decoder.push(b"{\"message\":{\"content\":\"\xc3", &mut events),
            Ok(())
        );
        assert_eq!(decoder.finish(&mut events), Err(DecodeError::Truncated));
    }

    #[test]
    fn nothing_is_read_after_an_error() {
        let mut decoder = StreamDecoder::new(Api::Ollama);
        let mut events = Vec::new();
        let malformed = DecodeError::Malformed {
            line: 1,
            excerpt: "x".into(),
        };
        assert_eq!(decoder.push(b"x\n", &mut events), Err(malformed));
        assert_eq!(decoder.push(b"\xff\n", &mut events), Ok(()));
        assert_eq!(decoder.finish(&mut events), Ok(()));
        assert!(events.is_empty());
    }
}
