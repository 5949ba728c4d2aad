//! The figures of one step of a load test, from each request's own timings, defined as
//! vLLM's `bench serve` defines them so that a step measured here and one imported from it
//! read the same:
//!
//! - time to first token (TTFT): request sent to its first content token;
//! - time per output token (TPOT), per request: `(e2e − TTFT) ÷ (tokens − 1)`, for requests
//!   of more than one token; its mean and percentiles are over requests;
//! - inter-token latency (ITL): every gap between content chunks of every request, pooled; a
//!   chunk carrying `k` tokens counts as `k` gaps of a `k`th of its gap each (vLLM counts it
//!   as one, which is the same when every chunk carries one token; genai-perf and AIPerf call
//!   TPOT "inter-token latency");
//! - end-to-end latency (e2e): request sent to its last content token;
//! - output throughput: output tokens of the step ÷ its wall time (first request sent to last
//!   token); request throughput: completed requests ÷ wall time;
//! - goodput: requests that met every latency target (TTFT and TPOT, a request of one token
//!   counting a TPOT of 0) ÷ wall time, as `--goodput` does.
//!
//! Failed requests are counted and kept out of every latency figure and of the throughputs.

use super::stats::Summary;
use serde::Serialize;

/// What one request of a step took.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestTiming {
    /// Whether it completed; a failed request only counts.
    pub ok: bool,
    /// Sent to first content token, s.
    pub ttft_s: f64,
    /// Sent to last content token, s.
    pub e2e_s: f64,
    /// Output tokens.
    pub output_tokens: u32,
    /// The gaps between consecutive content chunks, s.
    pub gaps_s: Vec<f64>,
    /// Tokens each chunk after the first carries, one per gap; empty when every chunk
    /// carries one.
    pub chunk_tokens: Vec<u32>,
}

/// Latency targets a request must meet to count toward goodput, ms.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Targets {
    /// Time to first token at most this.
    pub ttft_ms: Option<f64>,
    /// Time per output token at most this.
    pub tpot_ms: Option<f64>,
}

impl Targets {
    /// The latency targets of `scenario` (`slo_ttft`, `slo_tpot`).
    pub fn of(scenario: &crate::Scenario) -> Targets {
        Targets {
            ttft_ms: scenario.slo_ttft_ms,
            tpot_ms: scenario.slo_tpot_ms,
        }
    }
}

/// The figures of one step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepFigures {
    /// Requests that completed.
    pub completed: u32,
    /// Requests that failed.
    pub failed: u32,
    /// Wall time of the step, s.
    pub wall_s: f64,
    /// Completed requests per second.
    pub request_tps: f64,
    /// Output tokens per second, all streams.
    pub output_tps: f64,
    /// Time to first token.
    pub ttft_ms: Option<Summary>,
    /// Time per output token, over requests.
    pub tpot_ms: Option<Summary>,
    /// Inter-token latency, every gap pooled.
    pub itl_ms: Option<Summary>,
    /// End-to-end latency.
    pub e2e_ms: Option<Summary>,
    /// Requests per second that met every target; `None` without targets.
    pub goodput_rps: Option<f64>,
}

/// The summary of `seconds`, in ms; `None` when empty.
fn ms(seconds: Vec<f64>) -> Option<Summary> {
    Summary::of(seconds.into_iter().map(|s| s * 1e3))
}

/// A request's time per output token, s: `(e2e − TTFT) ÷ (tokens − 1)`, `None` for one token.
fn tpot_s(r: &RequestTiming) -> Option<f64> {
    (r.output_tokens > 1).then(|| (r.e2e_s - r.ttft_s) / f64::from(r.output_tokens - 1))
}

/// The figures of a step of `requests` that took `wall_s` seconds, with goodput against
/// `targets`.
pub fn step_figures(requests: &[RequestTiming], wall_s: f64, targets: Targets) -> StepFigures {
    let ok: Vec<&RequestTiming> = requests.iter().filter(|r| r.ok).collect();
    let completed = ok.len() as u32;
    let per_second = |n: f64| if wall_s > 0.0 { n / wall_s } else { 0.0 };
    let ttfts: Vec<f64> = ok.iter().map(|r| r.ttft_s).collect();
    let tpots: Vec<f64> = ok.iter().filter_map(|r| tpot_s(r)).collect();
    let e2es: Vec<f64> = ok.iter().map(|r| r.e2e_s).collect();
    let itls: Vec<f64> = ok
        .iter()
        .flat_map(|r| {
            r.gaps_s.iter().enumerate().flat_map(|(i, &gap)| {
                let k = r.chunk_tokens.get(i).copied().unwrap_or(1).max(1);
                std::iter::repeat_n(gap / f64::from(k), k as usize)
            })
        })
        .collect();
    let good = ok
        .iter()
        .filter(|r| {
            let ttft = targets.ttft_ms.is_none_or(|t| r.ttft_s * 1e3 <= t);
            let tpot = targets
                .tpot_ms
                .is_none_or(|t| tpot_s(r).unwrap_or(0.0) * 1e3 <= t);
            ttft && tpot
        })
        .count();
    let output: u64 = ok.iter().map(|r| u64::from(r.output_tokens)).sum();
    StepFigures {
        completed,
        failed: requests.len() as u32 - completed,
        wall_s,
        request_tps: per_second(f64::from(completed)),
        output_tps: per_second(output as f64),
        ttft_ms: ms(ttfts),
        tpot_ms: ms(tpots),
        itl_ms: ms(itls),
        e2e_ms: ms(e2es),
        goodput_rps: (targets.ttft_ms.is_some() || targets.tpot_ms.is_some())
            .then(|| per_second(good as f64)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(ttft_s: f64, gaps_s: &[f64], chunk_tokens: &[u32]) -> RequestTiming {
        let tokens = 1 + if chunk_tokens.is_empty() {
            gaps_s.len() as u32
        } else {
            chunk_tokens.iter().sum()
        };
        RequestTiming {
            ok: true,
            ttft_s,
            e2e_s: ttft_s + gaps_s.iter().sum::<f64>(),
            output_tokens: tokens,
            gaps_s: gaps_s.to_vec(),
            chunk_tokens: chunk_tokens.to_vec(),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    // Request A: TTFT 100 ms, gaps 10 and 30 ms (3 tokens, e2e 140 ms, TPOT 40 / 2 = 20 ms).
    // Request B: TTFT 300 ms, one chunk of 4 tokens after 40 ms (5 tokens, e2e 340 ms, TPOT
    // 40 / 4 = 10 ms; its gap counts as four ITLs of 10 ms). Request C failed. Wall 0.5 s.
    // TTFT mean 200, p50 200, p90 100 + 0.9 × 200 = 280 ms. ITL pooled: 10, 30, 10, 10, 10, 10
    // → mean 80 / 6 = 13.33 ms, p50 10 ms. Output 8 tokens / 0.5 s = 16 tok/s; 2 / 0.5 = 4 req/s.
    // Targets TTFT ≤ 200 ms and TPOT ≤ 25 ms: A only, 2 good requests/s.
    #[test]
    fn a_step_worked_by_hand() {
        let failed = RequestTiming {
            ok: false,
            ..request(0.0, &[], &[])
        };
        let step = step_figures(
            &[
                request(0.1, &[0.01, 0.03], &[]),
                request(0.3, &[0.04], &[4]),
                failed,
            ],
            0.5,
            Targets {
                ttft_ms: Some(200.0),
                tpot_ms: Some(25.0),
            },
        );
        assert_eq!((step.completed, step.failed), (2, 1));
        assert!(
            close(step.request_tps, 4.0) && close(step.output_tps, 16.0),
            "{step:?}"
        );
        let ttft = step.ttft_ms.expect("two requests");
        assert!(close(ttft.mean, 200.0) && close(ttft.p50, 200.0) && close(ttft.p90, 280.0));
        let tpot = step.tpot_ms.expect("two requests");
        assert!(close(tpot.mean, 15.0), "{tpot:?}");
        let itl = step.itl_ms.expect("gaps");
        assert!(
            close(itl.mean, 80.0 / 6.0) && close(itl.p50, 10.0),
            "{itl:?}"
        );
        assert!(close(step.e2e_ms.expect("two").mean, 240.0));
        assert_eq!(step.goodput_rps, Some(2.0));
    }

    #[test]
    fn without_targets_there_is_no_goodput_and_without_requests_no_latency() {
        let step = step_figures(&[], 1.0, Targets::default());
        assert_eq!(step.goodput_rps, None);
        assert_eq!((step.ttft_ms, step.output_tps), (None, 0.0));
    }
}
