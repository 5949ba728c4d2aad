//! Statistics over runs: the five-figure summary of a series, and the figures
//! of a throughput test.

use super::percentile::percentile;
use super::run::Run;
use serde::Serialize;

/// Minimum, median, 90th, 95th and 99th percentiles, maximum and mean of a figure over runs
/// or requests.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// How many values gave the figure.
    pub n: usize,
    /// Smallest.
    pub min: f64,
    /// Median (50th percentile).
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest.
    pub max: f64,
    /// Arithmetic mean.
    pub mean: f64,
}

impl Summary {
    /// The summary of the finite `values`; `None` when there are none.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Summary> {
        let mut values: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
        let p50 = percentile(&mut values, 50.0)?;
        let p90 = percentile(&mut values, 90.0)?;
        let p95 = percentile(&mut values, 95.0)?;
        let p99 = percentile(&mut values, 99.0)?;
        Some(Summary {
            n: values.len(),
            min: values[0],
            p50,
            p90,
            p95,
            p99,
            max: values[values.len() - 1],
            mean: values.iter().sum::<f64>() / values.len() as f64,
        })
    }
}

/// A figure measured per run: its name, unit and how to read it from a [`Run`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Figure {
    /// Time to first token, ms.
    Ttft,
    /// Time to first thinking token, ms.
    Thinking,
    /// Total time, ms.
    Total,
    /// Output tokens.
    Tokens,
    /// Decode speed, tokens/s.
    Decode,
    /// Prompt speed, tokens/s.
    Prompt,
    /// Mean inter-token latency, ms.
    ItlMean,
    /// p95 inter-token latency, ms.
    ItlP95,
    /// Model load, ms.
    Load,
}

impl Figure {
    /// Every figure, in the order tables show them.
    pub const ALL: [Figure; 9] = [
        Figure::Ttft,
        Figure::Thinking,
        Figure::Total,
        Figure::Tokens,
        Figure::Decode,
        Figure::Prompt,
        Figure::ItlMean,
        Figure::ItlP95,
        Figure::Load,
    ];

    /// The figure's name in tables.
    pub fn label(self) -> &'static str {
        match self {
            Figure::Ttft => "time to first token",
            Figure::Thinking => "time to first thinking token",
            Figure::Total => "total time",
            Figure::Tokens => "output tokens",
            Figure::Decode => "decode speed",
            Figure::Prompt => "prompt speed",
            Figure::ItlMean => "inter-token latency, mean",
            Figure::ItlP95 => "inter-token latency, p95",
            Figure::Load => "model load",
        }
    }

    /// Its unit.
    pub fn unit(self) -> &'static str {
        match self {
            Figure::Tokens => "tokens",
            Figure::Decode | Figure::Prompt => "tok/s",
            _ => "ms",
        }
    }

    /// Its value in `run`, if the run has one.
    pub fn of(self, run: &Run) -> Option<f64> {
        match self {
            Figure::Ttft => run.ttft_ms,
            Figure::Thinking => run.thinking_ms,
            Figure::Total => Some(run.total_ms),
            Figure::Tokens => Some(run.output_tokens),
            Figure::Decode => run.decode_tps,
            Figure::Prompt => run.prompt_tps,
            Figure::ItlMean => run.itl_mean_ms,
            Figure::ItlP95 => run.itl_p95_ms,
            Figure::Load => run.load_ms,
        }
    }
}

/// The summary of each figure that at least one of `runs` has.
pub fn summarize(runs: &[Run]) -> Vec<(Figure, Summary)> {
    Figure::ALL
        .into_iter()
        .filter_map(|figure| {
            Some((
                figure,
                Summary::of(runs.iter().filter_map(|r| figure.of(r)))?,
            ))
        })
        .collect()
}

/// The outcome of a throughput test: `requests` sent at a fixed concurrency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Throughput {
    /// Requests sent.
    pub requests: usize,
    /// Requests that completed.
    pub completed: usize,
    /// Failures by kind (see [`super::diagnose::Diagnosis::kind`]), most frequent first.
    pub errors: Vec<(String, usize)>,
    /// Wall time from the first request sent to the last response ended, s.
    pub wall_s: f64,
    /// Completed requests per second of wall time.
    pub requests_per_s: f64,
    /// All completed requests' output tokens per second of wall time.
    pub output_tps: f64,
    /// Total time of completed requests, ms.
    pub latency: Option<Summary>,
    /// Time to first token of completed requests, ms.
    pub ttft: Option<Summary>,
    /// Each completed request's mean inter-token latency (time per output token after the
    /// first), ms: what every stream gets while the others share the server.
    pub itl: Option<Summary>,
    /// Each completed request's decode speed, tokens/s.
    pub decode_tps: Option<Summary>,
}

impl Throughput {
    /// The throughput of `runs` (completed) and `errors` (one kind per failed request),
    /// over `wall_ms`: `requests_per_s = completed / wall_s`, `output_tps = Σ tokens /
    /// wall_s`.
    pub fn of(runs: &[Run], errors: &[String], wall_ms: f64) -> Throughput {
        let wall_s = wall_ms / 1000.0;
        let per_second = |x: f64| if wall_s > 0.0 { x / wall_s } else { 0.0 };
        let mut counts: Vec<(String, usize)> = Vec::new();
        for kind in errors {
            match counts.iter_mut().find(|(k, _)| k == kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((kind.clone(), 1)),
            }
        }
        counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        Throughput {
            requests: runs.len() + errors.len(),
            completed: runs.len(),
            errors: counts,
            wall_s,
            requests_per_s: per_second(runs.len() as f64),
            output_tps: per_second(runs.iter().map(|r| r.output_tokens).sum()),
            latency: Summary::of(runs.iter().map(|r| r.total_ms)),
            ttft: Summary::of(runs.iter().filter_map(|r| r.ttft_ms)),
            itl: Summary::of(runs.iter().filter_map(|r| r.itl_mean_ms)),
            decode_tps: Summary::of(runs.iter().filter_map(|r| r.decode_tps)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Summarizes `values`; compares (n, min, p50, p95, max, mean) with `expected`.
    fn check(values: &[f64], expected: Option<(usize, f64, f64, f64, f64, f64)>) {
        let got = Summary::of(values.iter().copied()).map(|s| {
            let r = |x: f64| (x * 1e9).round() / 1e9;
            (s.n, r(s.min), r(s.p50), r(s.p95), r(s.max), r(s.mean))
        });
        assert_eq!(got, expected);
    }

    #[test]
    fn summaries() {
        // 1..=10: median between 5 and 6; p95 at rank 8.55 -> 9 + 0.55 = 9.55; mean 5.5.
        let one_to_ten: Vec<f64> = (1..=10).map(f64::from).collect();
        check(&one_to_ten, Some((10, 1.0, 5.5, 9.55, 10.0, 5.5)));
        check(&[42.0], Some((1, 42.0, 42.0, 42.0, 42.0, 42.0)));
        // Unsorted, with a non-finite value dropped: [100, 300, 200] -> 100, 200, 290, 300.
        check(
            &[300.0, f64::NAN, 100.0, 200.0],
            Some((3, 100.0, 200.0, 290.0, 300.0, 200.0)),
        );
        check(&[], None);
    }

    #[test]
    fn throughput_counts_rates_and_error_kinds() {
        let run = |total_ms: f64, tokens: f64| Run {
            ttft_ms: Some(100.0),
            thinking_ms: None,
            total_ms,
            output_tokens: tokens,
            tokens_estimated: false,
            prompt_tokens: None,
            decode_tps: None,
            decode_from_server: false,
            prompt_tps: None,
            itl_mean_ms: None,
            itl_p95_ms: None,
            load_ms: None,
            cold: false,
        };
        let runs = [run(1000.0, 50.0), run(2000.0, 70.0), run(1500.0, 30.0)];
        let errors = ["http 429".to_string(), "timeout".into(), "http 429".into()];
        // 3 completed over 2.5 s = 1.2 req/s; 150 tokens / 2.5 s = 60 tok/s.
        let t = Throughput::of(&runs, &errors, 2500.0);
        assert_eq!((t.requests, t.completed, t.wall_s), (6, 3, 2.5));
        assert_eq!((t.requests_per_s, t.output_tps), (1.2, 60.0));
        assert_eq!(
            t.errors,
            [("http 429".to_string(), 2), ("timeout".into(), 1)]
        );
        assert_eq!(
            t.latency.map(|s| (s.min, s.p50, s.max)),
            Some((1000.0, 1500.0, 2000.0))
        );
    }
}
