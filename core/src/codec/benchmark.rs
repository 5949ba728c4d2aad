//! Result files of the benchmark tools people already run, read into plain figures: `vllm bench
//! serve --save-result` (and the older `benchmark_serving.py`), genai-perf's and AIPerf's
//! profile exports, and `llama-bench -o json` / `-o jsonl`. The tool's own summary figures are
//! kept as it wrote them; where a vLLM file carries every request's timings, they come too, so
//! that [`crate::measure::load::step_figures`] can work the same figures out.
//!
//! Which figure is which, across tools (see [`crate::measure::load`] for the definitions):
//! vLLM's TTFT, TPOT, ITL and E2EL are ours; genai-perf's and AIPerf's `inter_token_latency`
//! is a per-request `(latency − TTFT) ÷ (tokens − 1)`, our TPOT; AIPerf's
//! `inter_chunk_latency` pools every gap, our ITL; their `request_latency` is our e2e.
//! Fields are read by name and most are optional, since each tool's schema drifts between
//! versions; a file none of them wrote is refused with what was expected.

use crate::codec::json::{self, Json, JsonError};
use crate::measure::load::RequestTiming;
use crate::measure::stats::Summary;
use serde::Serialize;

/// The tool that wrote a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Tool {
    /// `vllm bench serve --save-result`.
    VllmBenchServe,
    /// vLLM's older `benchmarks/benchmark_serving.py --save-result`.
    VllmBenchmarkServing,
    /// NVIDIA genai-perf's `profile_export_genai_perf.json`.
    GenaiPerf,
    /// AIPerf's `profile_export_aiperf.json`.
    AiPerf,
    /// `llama-bench -o json` or `-o jsonl`.
    LlamaBench,
    /// This page's own concurrency sweep.
    Sweep,
}

impl Tool {
    /// Name for people.
    pub fn label(self) -> &'static str {
        match self {
            Tool::VllmBenchServe => "vllm bench serve",
            Tool::VllmBenchmarkServing => "vLLM benchmark_serving.py",
            Tool::GenaiPerf => "genai-perf",
            Tool::AiPerf => "AIPerf",
            Tool::LlamaBench => "llama-bench",
            Tool::Sweep => "this page's sweep",
        }
    }
}

/// A latency as a tool summarised it, ms; each figure only when the tool wrote it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Reported {
    /// Mean.
    pub mean: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// 99th percentile.
    pub p99: Option<f64>,
}

impl From<Option<Summary>> for Reported {
    /// Every figure of a summary measured here; none without one.
    fn from(summary: Option<Summary>) -> Reported {
        summary.map_or_else(Reported::default, |s| Reported {
            mean: Some(s.mean),
            p50: Some(s.p50),
            p90: Some(s.p90),
            p95: Some(s.p95),
            p99: Some(s.p99),
        })
    }
}

/// One load step as the tool reported it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServingStep {
    /// Which tool wrote it.
    pub tool: Tool,
    /// The model it ran.
    pub model: String,
    /// Requests in flight at most; `None` when the tool did not cap them.
    pub concurrency: Option<u32>,
    /// Requests that completed.
    pub completed: Option<u32>,
    /// Requests that failed.
    pub failed: Option<u32>,
    /// Completed requests per second.
    pub request_tps: f64,
    /// Output tokens per second, all streams.
    pub output_tps: f64,
    /// Time to first token.
    pub ttft_ms: Reported,
    /// Time per output token, per request.
    pub tpot_ms: Reported,
    /// Inter-token latency, every gap pooled.
    pub itl_ms: Reported,
    /// End-to-end latency.
    pub e2e_ms: Reported,
    /// Requests per second that met the targets the tool was given.
    pub goodput_rps: Option<f64>,
    /// Wall time of the step, s, when the tool wrote it.
    pub duration_s: Option<f64>,
    /// Every request's timings, where the file carries them (vLLM with `--save-detailed`).
    #[serde(skip)]
    pub requests: Vec<RequestTiming>,
    /// Failed requests by kind, with how many; empty where the tool does not say.
    pub errors: Vec<(String, u32)>,
}

impl ServingStep {
    /// What each stream got, tok/s: `1000 / mean TPOT (ms)`; `None` without a TPOT.
    pub fn per_stream_tps(&self) -> Option<f64> {
        self.tpot_ms.mean.filter(|t| *t > 0.0).map(|t| 1000.0 / t)
    }
}

/// What a `llama-bench` test measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BenchKind {
    /// `ppN`: prefill of N prompt tokens.
    Prefill,
    /// `tgN`: N tokens generated one at a time.
    Decode,
    /// `ppN+tgM`: both, one rate over the two.
    Both,
}

/// One `llama-bench` test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchTest {
    /// The model as llama-bench describes it, e.g. `qwen2 7B Q4_K - Medium`.
    pub model: String,
    /// The GPUs (or the CPU) it ran on.
    pub device: String,
    /// Prompt tokens.
    pub n_prompt: u32,
    /// Generated tokens.
    pub n_gen: u32,
    /// Tokens in the cache before the test (0 in builds without the field).
    pub n_depth: u32,
    /// Mean of the repetitions' tokens/s.
    pub avg_ts: f64,
    /// Their standard deviation, tokens/s.
    pub stddev_ts: Option<f64>,
}

impl BenchTest {
    /// Prefill, decode or both.
    pub fn kind(&self) -> BenchKind {
        match (self.n_prompt, self.n_gen) {
            (_, 0) => BenchKind::Prefill,
            (0, _) => BenchKind::Decode,
            _ => BenchKind::Both,
        }
    }

    /// As llama-bench names it: `pp512`, `tg128`, `pp512+tg128`, with ` @ d4096` at a depth.
    pub fn name(&self) -> String {
        let test = match self.kind() {
            BenchKind::Prefill => format!("pp{}", self.n_prompt),
            BenchKind::Decode => format!("tg{}", self.n_gen),
            BenchKind::Both => format!("pp{}+tg{}", self.n_prompt, self.n_gen),
        };
        if self.n_depth > 0 {
            format!("{test} @ d{}", self.n_depth)
        } else {
            test
        }
    }
}

/// What a file held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Imported {
    /// Load steps of a serving benchmark, in file order.
    Serving(Vec<ServingStep>),
    /// llama-bench tests, in file order.
    LlamaBench(Vec<BenchTest>),
}

/// Why a file was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    /// Neither JSON nor JSON lines.
    NotJson(JsonError),
    /// JSON, but of no tool this reads.
    Unrecognized,
    /// Serving results and llama-bench tests in one import.
    Mixed,
    /// A tool's file without a figure every one of its files has.
    Missing {
        /// The tool.
        tool: Tool,
        /// The field.
        field: &'static str,
    },
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::NotJson(e) => write!(f, "not a JSON result file: {e}"),
            ImportError::Unrecognized => f.write_str(
                "not a result file this page reads: expected the JSON of vllm bench serve \
                 --save-result, genai-perf's or AIPerf's profile export, or llama-bench -o json \
                 or -o jsonl",
            ),
            ImportError::Mixed => f.write_str(
                "these files mix a serving benchmark with llama-bench tests: import one kind at \
                 a time",
            ),
            ImportError::Missing { tool, field } => {
                write!(f, "a {} result without {field}", tool.label())
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// Reads a result file: one JSON value, or JSON lines (llama-bench `-o jsonl`, or vLLM results
/// appended with `--append-result`). Never panics.
pub fn read(text: &str) -> Result<Imported, ImportError> {
    let values = match json::parse(text) {
        Ok(Json::Array(items)) => items,
        Ok(value) => vec![value],
        Err(whole) => {
            let lines: Result<Vec<Json>, JsonError> = text
                .lines()
                .filter(|line| !line.trim().is_empty())
                .map(json::parse)
                .collect();
            match lines {
                Ok(values) if !values.is_empty() => values,
                _ => return Err(ImportError::NotJson(whole)),
            }
        }
    };
    let first = values.first().ok_or(ImportError::Unrecognized)?;
    if first.get("avg_ts").is_some() && first.get("n_prompt").is_some() {
        return values
            .iter()
            .map(bench_test)
            .collect::<Result<_, _>>()
            .map(Imported::LlamaBench);
    }
    values
        .iter()
        .map(serving_step)
        .collect::<Result<_, _>>()
        .map(Imported::Serving)
}

/// Reads several result files as one run: a serving benchmark's steps (one file per
/// concurrency, as `vllm bench serve` writes them) sorted by requests in flight, or llama-bench
/// tests in file order. Refuses a mix of the two, and the first file refused.
pub fn read_all(texts: &[&str]) -> Result<Imported, ImportError> {
    let mut steps = Vec::new();
    let mut tests = Vec::new();
    for text in texts {
        match read(text)? {
            Imported::Serving(s) => steps.extend(s),
            Imported::LlamaBench(t) => tests.extend(t),
        }
    }
    match (steps.is_empty(), tests.is_empty()) {
        (false, false) => Err(ImportError::Mixed),
        (true, false) => Ok(Imported::LlamaBench(tests)),
        (false, true) => {
            // Uncapped steps last.
            steps.sort_by_key(|s| s.concurrency.unwrap_or(u32::MAX));
            Ok(Imported::Serving(steps))
        }
        (true, true) => Err(ImportError::Unrecognized),
    }
}

/// The tool of a serving result, by the keys only it writes.
fn serving_tool(v: &Json) -> Option<Tool> {
    if v.get("duration").is_some() && v.get("output_throughput").is_some() {
        let new = v.get("failed").is_some() || v.get("endpoint_type").is_some();
        Some(if new {
            Tool::VllmBenchServe
        } else {
            Tool::VllmBenchmarkServing
        })
    } else if v.get("time_to_first_token").is_some() || v.get("request_throughput").is_some() {
        let aiperf = v.get("was_cancelled").is_some() || v.get("benchmark_duration").is_some();
        Some(if aiperf {
            Tool::AiPerf
        } else {
            Tool::GenaiPerf
        })
    } else {
        None
    }
}

fn serving_step(v: &Json) -> Result<ServingStep, ImportError> {
    match serving_tool(v).ok_or(ImportError::Unrecognized)? {
        tool @ (Tool::VllmBenchServe | Tool::VllmBenchmarkServing) => vllm(tool, v),
        tool => profile_export(tool, v),
    }
}

/// A number at `key`.
fn number(v: &Json, key: &str) -> Option<f64> {
    v.get(key)?.as_f64().filter(|n| n.is_finite())
}

/// `n` as a `u32` when it is whole, non-negative and fits.
fn whole(n: f64) -> Option<u32> {
    (n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX)).then_some(n as u32)
}

/// A whole, non-negative number at `key` that fits a `u32`.
fn count(v: &Json, key: &str) -> Option<u32> {
    number(v, key).and_then(whole)
}

fn text(v: &Json, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::to_owned)
}

/// Longest time a request's timing may hold, s: a year. Anything longer is not a measurement,
/// and keeping times below it keeps every sum and mean of them finite.
const MAX_SECONDS: f64 = 3.2e7;

/// The numbers of an array at `key`; `None` unless every item is a number in `0..=max`.
fn numbers(v: &Json, key: &str, max: f64) -> Option<Vec<f64>> {
    match v.get(key)? {
        Json::Array(items) => items
            .iter()
            .map(|i| i.as_f64().filter(|n| (0.0..=max).contains(n)))
            .collect(),
        _ => None,
    }
}

fn vllm(tool: Tool, v: &Json) -> Result<ServingStep, ImportError> {
    let missing = |field| ImportError::Missing { tool, field };
    let reported = |metric: &str| Reported {
        mean: number(v, &format!("mean_{metric}_ms")),
        p50: number(v, &format!("median_{metric}_ms"))
            .or_else(|| number(v, &format!("p50_{metric}_ms"))),
        p90: number(v, &format!("p90_{metric}_ms")),
        p95: number(v, &format!("p95_{metric}_ms")),
        p99: number(v, &format!("p99_{metric}_ms")),
    };
    Ok(ServingStep {
        tool,
        model: text(v, "model_id").unwrap_or_default(),
        concurrency: count(v, "max_concurrency"),
        completed: count(v, "completed"),
        failed: count(v, "failed"),
        request_tps: number(v, "request_throughput").ok_or(missing("request_throughput"))?,
        output_tps: number(v, "output_throughput").ok_or(missing("output_throughput"))?,
        ttft_ms: reported("ttft"),
        tpot_ms: reported("tpot"),
        itl_ms: reported("itl"),
        e2e_ms: reported("e2el"),
        goodput_rps: number(v, "request_goodput").or_else(|| number(v, "request_goodput:")),
        duration_s: number(v, "duration"),
        requests: vllm_requests(v),
        errors: Vec::new(),
    })
}

/// Every request of a vLLM file with `--save-detailed` (or a legacy one): TTFT, latency and
/// gaps in seconds, a request with an error text failed. Empty when the arrays are absent, hold
/// anything but numbers from 0 to [`MAX_SECONDS`] (tokens: to `u32::MAX`), or are of unequal
/// lengths; a gap out of that range is left out.
fn vllm_requests(v: &Json) -> Vec<RequestTiming> {
    let (Some(ttfts), Some(tokens), Some(Json::Array(itls))) = (
        numbers(v, "ttfts", MAX_SECONDS),
        numbers(v, "output_lens", f64::from(u32::MAX)),
        v.get("itls"),
    ) else {
        return Vec::new();
    };
    let latencies = numbers(v, "latencies", MAX_SECONDS);
    let errors = match v.get("errors") {
        Some(Json::Array(e)) => e.iter().map(|e| e.as_str().unwrap_or("")).collect(),
        _ => Vec::new(),
    };
    if tokens.len() != ttfts.len() || itls.len() != ttfts.len() {
        return Vec::new();
    }
    (0..ttfts.len())
        .map(|i| {
            let gaps: Vec<f64> = match &itls[i] {
                Json::Array(g) => g
                    .iter()
                    .filter_map(Json::as_f64)
                    .filter(|gap| (0.0..=MAX_SECONDS).contains(gap))
                    .collect(),
                _ => Vec::new(),
            };
            // Legacy files have no latencies: a request's last token comes after its gaps.
            let e2e = latencies
                .as_ref()
                .and_then(|l| l.get(i).copied())
                .unwrap_or(ttfts[i] + gaps.iter().sum::<f64>());
            RequestTiming {
                ok: errors.get(i).is_none_or(|e| e.is_empty()),
                ttft_s: ttfts[i],
                e2e_s: e2e,
                output_tokens: if tokens[i] >= 0.0 {
                    tokens[i] as u32
                } else {
                    0
                },
                gaps_s: gaps,
                chunk_tokens: Vec::new(),
            }
        })
        .collect()
}

fn profile_export(tool: Tool, v: &Json) -> Result<ServingStep, ImportError> {
    let missing = |field| ImportError::Missing { tool, field };
    let avg = |metric: &str| v.get(metric).and_then(|m| number(m, "avg"));
    let reported = |metric: &str| {
        let of = |p: &str| v.get(metric).and_then(|m| number(m, p));
        Reported {
            mean: of("avg"),
            p50: of("p50"),
            p90: of("p90"),
            p95: of("p95"),
            p99: of("p99"),
        }
    };
    let config = v.get("input_config");
    let concurrency = config.and_then(|c| {
        let nested = |path: &[&str]| {
            path.iter()
                .try_fold(c, |node, key| node.get(key))
                .and_then(Json::as_f64)
        };
        nested(&["perf_analyzer", "stimulus", "concurrency"])
            .or_else(|| nested(&["loadgen", "concurrency"]))
            .or_else(|| nested(&["concurrency"]))
            .and_then(whole)
            .filter(|c| *c >= 1)
    });
    let model = config
        .and_then(|c| {
            let endpoint = c.get("endpoint").and_then(|e| e.get("model_names"));
            c.get("model_names").or(endpoint).or_else(|| c.get("model"))
        })
        .and_then(|names| match names {
            Json::Array(names) => names.first().and_then(Json::as_str).map(str::to_owned),
            Json::String(name) => Some(name.clone()),
            _ => None,
        })
        .unwrap_or_default();
    Ok(ServingStep {
        tool,
        model,
        concurrency,
        completed: avg("request_count").and_then(whole),
        failed: avg("error_request_count").and_then(whole),
        request_tps: avg("request_throughput").ok_or(missing("request_throughput"))?,
        output_tps: avg("output_token_throughput").ok_or(missing("output_token_throughput"))?,
        ttft_ms: reported("time_to_first_token"),
        tpot_ms: reported("inter_token_latency"),
        itl_ms: reported("inter_chunk_latency"),
        e2e_ms: reported("request_latency"),
        goodput_rps: avg("request_goodput").or_else(|| avg("goodput")),
        duration_s: avg("benchmark_duration"),
        requests: Vec::new(),
        errors: Vec::new(),
    })
}

fn bench_test(v: &Json) -> Result<BenchTest, ImportError> {
    let missing = |field| ImportError::Missing {
        tool: Tool::LlamaBench,
        field,
    };
    Ok(BenchTest {
        model: text(v, "model_type")
            .or_else(|| text(v, "model_filename"))
            .unwrap_or_default(),
        device: text(v, "gpu_info")
            .filter(|g| !g.is_empty())
            .or_else(|| text(v, "cpu_info"))
            .unwrap_or_default(),
        n_prompt: count(v, "n_prompt").ok_or(missing("n_prompt"))?,
        n_gen: count(v, "n_gen").ok_or(missing("n_gen"))?,
        n_depth: count(v, "n_depth").unwrap_or(0),
        avg_ts: number(v, "avg_ts").ok_or(missing("avg_ts"))?,
        stddev_ts: number(v, "stddev_ts"),
    })
}
