//! The figures of one streamed request, from its events and the client clock.
//!
//! Times are milliseconds since the request was sent, read from the page's monotonic clock
//! (`performance.now()`). Definitions:
//! - time to first token (TTFT) = arrival of the first answer text; time to first thinking
//!   token likewise for reasoning text, reported separately;
//! - output tokens = the server's count when it reports one, otherwise the number of text
//!   and thinking chunks, flagged as an estimate;
//! - decode rate = the server's own `tokens / generation time` when it reports it (Ollama's
//!   `eval_count / eval_duration`, llama.cpp's `predicted_n / predicted_ms`), otherwise
//!   `(tokens - 1) / (total - first token)` from the client clock;
//! - prompt rate = the server's own `prompt tokens / prompt time` (Ollama's
//!   `prompt_eval_count / prompt_eval_duration`, llama.cpp's `prompt_n / prompt_ms`); other
//!   APIs report no prompt timing, so it is `None` there;
//! - inter-token latency = the gaps between successive chunks after the first (TTFT
//!   excluded), mean and p95;
//! - a model load (Ollama `load_duration`) of [`COLD_LOAD_MS`] or more marks the run cold.

use super::decode::{Event, Usage};
use super::load::RequestTiming;
use super::percentile::percentile;
use serde::Serialize;

/// A load this long (ms) means the model was not in memory when the request came.
pub const COLD_LOAD_MS: f64 = 250.0;

/// The shortest span, ms, from the first to the last chunk over which the page's own clock
/// times a decode speed. Below it the answer came in one or a few reads of the stream (the
/// browser's own floor is 4 to 20 ms), and tokens ÷ span would say how fast they were
/// delivered, not generated: a tiny model on llama.cpp's Anthropic API read 157,500 tok/s.
pub const MIN_DECODE_SPAN_MS: f64 = 20.0;

/// Records one run's events as they arrive.
#[derive(Debug, Default)]
pub struct Recorder {
    first_text_ms: Option<f64>,
    first_thinking_ms: Option<f64>,
    /// Arrival time of every text or thinking chunk.
    chunk_ms: Vec<f64>,
    usage: Usage,
    text: String,
}

/// Longest answer kept for display, in bytes; the figures count every chunk regardless.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

impl Recorder {
    /// A recorder for a request sent at time 0.
    pub fn new() -> Recorder {
        Recorder::default()
    }

    /// Notes `event`, which arrived at `at_ms`.
    pub fn record(&mut self, at_ms: f64, event: &Event) {
        match event {
            Event::Text(text) => {
                self.first_text_ms.get_or_insert(at_ms);
                self.chunk_ms.push(at_ms);
                if self.text.len() + text.len() <= MAX_ANSWER_BYTES {
                    self.text.push_str(text);
                }
            }
            Event::Thinking(_) => {
                self.first_thinking_ms.get_or_insert(at_ms);
                self.chunk_ms.push(at_ms);
            }
            Event::Usage(usage) => self.usage.merge(usage),
            Event::End => {}
        }
    }

    /// The answer so far (at most [`MAX_ANSWER_BYTES`]).
    pub fn answer(&self) -> &str {
        &self.text
    }

    /// Chunks received so far.
    pub fn chunks(&self) -> usize {
        self.chunk_ms.len()
    }

    /// The request's timings for a load step ([`crate::measure::load`]), the response having
    /// ended at `end_ms`: TTFT to the first answer text, e2e to the last chunk, and the gaps
    /// between the chunks from the first answer text on. The tokens are the server's count,
    /// else the chunks; with no per-chunk count, every chunk counts as one token. A response
    /// with no answer text did not complete.
    pub fn timing(&self, end_ms: f64) -> RequestTiming {
        let Some(first) = self.first_text_ms else {
            return RequestTiming {
                ok: false,
                ttft_s: 0.0,
                e2e_s: end_ms / 1e3,
                output_tokens: 0,
                gaps_s: Vec::new(),
                chunk_tokens: Vec::new(),
            };
        };
        let answer: Vec<f64> = self
            .chunk_ms
            .iter()
            .copied()
            .filter(|&at| at >= first)
            .collect();
        let last = answer.last().copied().unwrap_or(first);
        let counted = self.chunk_ms.len() as f64;
        let tokens = self.usage.output_tokens.unwrap_or(counted);
        RequestTiming {
            ok: true,
            ttft_s: first / 1e3,
            e2e_s: last / 1e3,
            output_tokens: tokens.clamp(0.0, f64::from(u32::MAX)) as u32,
            gaps_s: answer.windows(2).map(|w| (w[1] - w[0]) / 1e3).collect(),
            chunk_tokens: Vec::new(),
        }
    }

    /// The run's figures, the response having ended at `end_ms`.
    pub fn finish(&self, end_ms: f64) -> Run {
        let usage = &self.usage;
        let counted = self.chunk_ms.len() as f64;
        let (output_tokens, tokens_estimated) = match usage.output_tokens {
            Some(tokens) => (tokens, false),
            None => (counted, true),
        };
        let first_token_ms = self.chunk_ms.first().copied();
        let (decode_tps, decode_from_server) = match (usage.output_tokens, usage.eval_ns) {
            (Some(tokens), Some(ns)) if ns > 0.0 => (Some(tokens / ns * 1e9), true),
            _ => {
                let client = first_token_ms
                    .filter(|first| end_ms - first >= MIN_DECODE_SPAN_MS && output_tokens > 1.0)
                    .map(|first| (output_tokens - 1.0) / ((end_ms - first) / 1000.0));
                (client, false)
            }
        };
        let prompt_tps = match (usage.prompt_tokens, usage.prompt_eval_ns) {
            (Some(tokens), Some(ns)) if ns > 0.0 => Some(tokens / ns * 1e9),
            _ => None,
        };
        let mut gaps: Vec<f64> = self.chunk_ms.windows(2).map(|w| w[1] - w[0]).collect();
        let itl_mean_ms = (!gaps.is_empty()).then(|| gaps.iter().sum::<f64>() / gaps.len() as f64);
        let itl_p95_ms = percentile(&mut gaps, 95.0);
        let load_ms = usage.load_ns.map(|ns| ns / 1e6);
        Run {
            ttft_ms: self.first_text_ms,
            thinking_ms: self.first_thinking_ms,
            total_ms: end_ms,
            output_tokens,
            tokens_estimated,
            prompt_tokens: usage.prompt_tokens,
            decode_tps,
            decode_from_server,
            prompt_tps,
            itl_mean_ms,
            itl_p95_ms,
            load_ms,
            cold: load_ms.is_some_and(|ms| ms >= COLD_LOAD_MS),
        }
    }
}

/// The figures of one completed request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    /// Time to the first answer text, ms; `None` when no text came.
    pub ttft_ms: Option<f64>,
    /// Time to the first thinking text, ms; `None` for models that do not think aloud.
    pub thinking_ms: Option<f64>,
    /// Request sent to last byte, ms.
    pub total_ms: f64,
    /// Tokens generated.
    pub output_tokens: f64,
    /// `output_tokens` counts chunks because the server reported no count.
    pub tokens_estimated: bool,
    /// Prompt tokens, when the server reports them.
    pub prompt_tokens: Option<f64>,
    /// Decode speed, tokens/s.
    pub decode_tps: Option<f64>,
    /// `decode_tps` comes from the server's own timing (Ollama, llama.cpp).
    pub decode_from_server: bool,
    /// Prompt processing speed, tokens/s (Ollama and llama.cpp only).
    pub prompt_tps: Option<f64>,
    /// Mean gap between chunks after the first, ms.
    pub itl_mean_ms: Option<f64>,
    /// 95th percentile of those gaps, ms.
    pub itl_p95_ms: Option<f64>,
    /// Ollama's model load time, ms.
    pub load_ms: Option<f64>,
    /// The model had to be loaded first ([`COLD_LOAD_MS`] or more).
    pub cold: bool,
}

#[cfg(test)]
impl Run {
    /// For tests: 64 tokens, the first at `ttft_ms`, the last a second later, the decode and
    /// prompt speeds the server's own; no gaps, no load.
    pub(crate) fn timed(
        prompt_tokens: Option<f64>,
        ttft_ms: f64,
        prompt_tps: Option<f64>,
        decode_tps: f64,
    ) -> Run {
        Run {
            ttft_ms: Some(ttft_ms),
            thinking_ms: None,
            total_ms: ttft_ms + 1000.0,
            output_tokens: 64.0,
            tokens_estimated: false,
            prompt_tokens,
            decode_tps: Some(decode_tps),
            decode_from_server: true,
            prompt_tps,
            itl_mean_ms: None,
            itl_p95_ms: None,
            load_ms: None,
            cold: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records `events` at their times, ends at `end_ms`, compares with `expected`.
    fn check(events: &[(f64, Event)], end_ms: f64, expected: Run) {
        let mut recorder = Recorder::new();
        for (at, event) in events {
            recorder.record(*at, event);
        }
        assert_eq!(rounded(recorder.finish(end_ms)), rounded(expected));
    }

    /// Every figure to 9 decimals, so worked values compare without float noise.
    fn rounded(run: Run) -> Run {
        let r = |x: f64| (x * 1e9).round() / 1e9;
        let o = |x: Option<f64>| x.map(r);
        Run {
            ttft_ms: o(run.ttft_ms),
            thinking_ms: o(run.thinking_ms),
            total_ms: r(run.total_ms),
            output_tokens: r(run.output_tokens),
            prompt_tokens: o(run.prompt_tokens),
            decode_tps: o(run.decode_tps),
            prompt_tps: o(run.prompt_tps),
            itl_mean_ms: o(run.itl_mean_ms),
            itl_p95_ms: o(run.itl_p95_ms),
            load_ms: o(run.load_ms),
            ..run
        }
    }

    fn text(t: &str) -> Event {
        Event::Text(t.into())
    }

    #[test]
    fn client_clock_figures_when_the_server_gives_none() {
        // Chunks at 300, 310, 330, 340 ms; end at 350 ms. Gaps 10, 20, 10: mean 13.33,
        // p95 = 10 + 0.95 * 2 ... sorted [10, 10, 20], rank 0.95 * 2 = 1.9 -> 10 + 0.9 * 10 = 19.
        // Decode (4 - 1) / (0.350 - 0.300) s = 60 tok/s.
        let events = [
            (300.0, text("a")),
            (310.0, text("b")),
            (330.0, text("c")),
            (340.0, text("d")),
            (350.0, Event::End),
        ];
        let expected = Run {
            ttft_ms: Some(300.0),
            thinking_ms: None,
            total_ms: 350.0,
            output_tokens: 4.0,
            tokens_estimated: true,
            prompt_tokens: None,
            decode_tps: Some(60.0),
            decode_from_server: false,
            prompt_tps: None,
            itl_mean_ms: Some(13.333333333),
            itl_p95_ms: Some(19.0),
            load_ms: None,
            cold: false,
        };
        check(&events, 350.0, expected);
    }

    // 64 tokens (the server's count, no timing) in two reads 0.4 ms apart, as a tiny model's
    // answer arrives: no decode speed, not 63 / 0.0004 = 157,500 tok/s. The same two reads
    // 20 ms apart, the shortest span timed: 63 / 0.02 = 3,150 tok/s.
    #[test]
    fn a_decode_span_too_short_for_the_page_clock_gives_no_speed() {
        let decode = |second_read_ms: f64| {
            let mut recorder = Recorder::new();
            recorder.record(
                100.0,
                &Event::Usage(Usage {
                    output_tokens: Some(64.0),
                    ..Usage::default()
                }),
            );
            recorder.record(100.0, &text("abc"));
            recorder.record(100.0 + second_read_ms, &text("def"));
            recorder.finish(100.0 + second_read_ms).decode_tps
        };
        assert_eq!(decode(0.4), None);
        assert_eq!(decode(19.9), None);
        assert_eq!(decode(MIN_DECODE_SPAN_MS).map(|t| t.round()), Some(3150.0));
    }

    #[test]
    fn ollama_server_timing_wins_and_a_long_load_is_cold() {
        // eval 40 tokens in 0.5 s = 80 tok/s; prompt 26 tokens in 0.13 s = 200 tok/s;
        // load 1.5 s = 1500 ms >= 250 ms: cold. TTFT is the first text, after the thinking.
        let usage = Usage {
            prompt_tokens: Some(26.0),
            output_tokens: Some(40.0),
            prompt_eval_ns: Some(1.3e8),
            eval_ns: Some(5e8),
            load_ns: Some(1.5e9),
        };
        let events = [
            (1700.0, Event::Thinking("t".into())),
            (1750.0, text("a")),
            (2300.0, Event::Usage(usage)),
        ];
        let expected = Run {
            ttft_ms: Some(1750.0),
            thinking_ms: Some(1700.0),
            total_ms: 2300.0,
            output_tokens: 40.0,
            tokens_estimated: false,
            prompt_tokens: Some(26.0),
            decode_tps: Some(80.0),
            decode_from_server: true,
            prompt_tps: Some(200.0),
            itl_mean_ms: Some(50.0),
            itl_p95_ms: Some(50.0),
            load_ms: Some(1500.0),
            cold: true,
        };
        check(&events, 2300.0, expected);
    }

    #[test]
    fn a_request_timing_starts_at_the_answer_text() {
        // Thinking at 80 ms, text at 100, 130 and 190 ms, 5 tokens reported, end at 200 ms:
        // TTFT 0.1 s, e2e 0.19 s, gaps 0.03 and 0.06 s from the first text on.
        let usage = Usage {
            output_tokens: Some(5.0),
            ..Usage::default()
        };
        let events = [
            (80.0, Event::Thinking("t".into())),
            (100.0, text("a")),
            (130.0, text("b")),
            (190.0, text("c")),
            (200.0, Event::Usage(usage)),
        ];
        let mut recorder = Recorder::new();
        for (at, event) in &events {
            recorder.record(*at, event);
        }
        let timing = recorder.timing(200.0);
        let gaps: Vec<f64> = timing
            .gaps_s
            .iter()
            .map(|g| (g * 1e9).round() / 1e9)
            .collect();
        assert_eq!(
            (
                timing.ok,
                timing.ttft_s,
                timing.e2e_s,
                timing.output_tokens,
                gaps
            ),
            (true, 0.1, 0.19, 5, vec![0.03, 0.06])
        );
        let silent = Recorder::new().timing(50.0);
        assert_eq!((silent.ok, silent.e2e_s), (false, 0.05));
    }

    #[test]
    fn reported_count_without_timing_uses_the_client_clock() {
        // 11 tokens reported, first chunk at 100 ms, end at 600 ms: 10 / 0.5 s = 20 tok/s.
        let usage = Usage {
            output_tokens: Some(11.0),
            ..Usage::default()
        };
        let events = [(100.0, text("x")), (600.0, Event::Usage(usage))];
        let mut recorder = Recorder::new();
        for (at, event) in &events {
            recorder.record(*at, event);
        }
        let run = recorder.finish(600.0);
        assert_eq!(
            (run.decode_tps, run.tokens_estimated, run.decode_from_server),
            (Some(20.0), false, false)
        );
    }
}
