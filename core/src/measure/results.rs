//! Measurements as tables, as Markdown, and as scenario inputs: the side-by-side comparison,
//! each side's series, the throughput test, and "use these numbers".

use super::diagnose::Diagnosis;
use super::percentile::percentile;
use super::run::{Run, MIN_DECODE_SPAN_MS};
use super::stats::{summarize, Figure, Summary, Throughput};
use super::Api;
use crate::codec::benchmark::{BenchKind, Imported, ServingStep};
use crate::codec::link;
use crate::scenario::{AggregatePoint, MAX_CURVE_POINTS};
use crate::view::format::{count, number};
use crate::view::table::{Cell, Row, Table};
use serde::Serialize;
use std::fmt::Write;

/// What a measurement asked where: the side, the API, the origin (never a key), the model
/// and the prompt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Asked {
    /// `local` or `cloud`.
    pub side: &'static str,
    /// The API.
    pub api: Api,
    /// Where the requests went (an origin, never a key).
    pub origin: String,
    /// The model.
    pub model: String,
    /// The prompt sent.
    pub prompt: String,
}

#[cfg(test)]
impl Asked {
    /// For tests: the local side through Ollama at its default address, model `m`, prompt `p`.
    pub(crate) fn local_ollama() -> Asked {
        Asked {
            side: "local",
            api: Api::Ollama,
            origin: "http://localhost:11434".into(),
            model: "m".into(),
            prompt: "p".into(),
        }
    }
}

impl Asked {
    /// `local: Ollama at http://localhost:11434, model llama3.1:8b`.
    fn target(&self) -> String {
        format!(
            "{}: {} at {}, model {}",
            self.side,
            self.api.label(),
            self.origin,
            self.model
        )
    }
}

/// One side's measured series: what was asked where, the runs and the failures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// What was asked where.
    #[serde(flatten)]
    pub asked: Asked,
    /// Completed measured runs (the warm-up excluded).
    pub runs: Vec<Run>,
    /// The warm-up run, when one was made and completed.
    pub warm_up: Option<Run>,
    /// Failed runs, explained.
    pub failures: Vec<Diagnosis>,
}

impl Series {
    /// The p50 of `figure` over the runs.
    pub fn p50(&self, figure: Figure) -> Option<f64> {
        Summary::of(self.runs.iter().filter_map(|r| figure.of(r))).map(|s| s.p50)
    }

    /// Whether any run's token count is an estimate.
    pub fn tokens_estimated(&self) -> bool {
        self.runs.iter().any(|r| r.tokens_estimated)
    }
}

/// `value` in `figure`'s unit: ms and tok/s with one decimal, tokens whole.
pub fn figure_text(figure: Figure, value: f64) -> String {
    let decimals = if figure == Figure::Tokens { 0 } else { 1 };
    format!("{} {}", number(value, decimals), figure.unit())
}

/// The test hook of a figure's row, e.g. `measure-ttft`.
pub fn testid(figure: Figure) -> &'static str {
    match figure {
        Figure::Ttft => "measure-ttft",
        Figure::Thinking => "measure-thinking",
        Figure::Total => "measure-total",
        Figure::Tokens => "measure-tokens",
        Figure::Decode => "measure-decode",
        Figure::Prompt => "measure-prompt",
        Figure::ItlMean => "measure-itl-mean",
        Figure::ItlP95 => "measure-itl-p95",
        Figure::Load => "measure-load",
    }
}

/// The heading of a side's series: `local: llama3.1:8b at http://localhost:11434, 5 runs,
/// warm-up not counted (1,812 ms)`.
pub fn caption(series: &Series) -> String {
    let warm_up = series
        .warm_up
        .as_ref()
        .map(|w| format!(", warm-up not counted ({} ms)", number(w.total_ms, 0)))
        .unwrap_or_default();
    format!(
        "{}: {} at {}, {}{warm_up}",
        series.asked.side,
        series.asked.model,
        series.asked.origin,
        count(series.runs.len(), "run")
    )
}

/// Local against cloud, p50 of each figure either side has.
pub fn comparison(local: Option<&Series>, cloud: Option<&Series>) -> Table {
    let cell = |series: Option<&Series>, figure: Figure| {
        let text = match series.and_then(|s| s.p50(figure)) {
            Some(value) => {
                let estimate =
                    figure == Figure::Tokens && series.is_some_and(Series::tokens_estimated);
                let mut text = figure_text(figure, value);
                if estimate {
                    text.push_str(" (counted)");
                }
                text
            }
            None => "–".into(),
        };
        Cell::text(text)
    };
    let rows = Figure::ALL
        .into_iter()
        .filter(|&f| [local, cloud].iter().flatten().any(|s| s.p50(f).is_some()))
        .map(|f| Row {
            testid: Some(testid(f)),
            ..Row::new(vec![Cell::text(f.label()), cell(local, f), cell(cloud, f)])
        })
        .collect();
    Table {
        head: vec!["figure (p50)", "local", "cloud"],
        rows,
    }
}

/// One side's figures: p50, p95, min, max, mean and the number of runs of each, the median
/// first so that a narrow screen shows it without scrolling.
pub fn series(series: &Series) -> Table {
    let rows = summarize(&series.runs)
        .into_iter()
        .map(|(figure, s)| {
            let v = |x: f64| Cell::text(figure_text(figure, x));
            Row {
                testid: Some(testid(figure)),
                ..Row::new(vec![
                    Cell::text(figure.label()),
                    v(s.p50),
                    v(s.p95),
                    v(s.min),
                    v(s.max),
                    v(s.mean),
                    Cell::text(s.n.to_string()),
                ])
            }
        })
        .collect();
    Table {
        head: vec!["figure", "p50", "p95", "min", "max", "mean", "runs"],
        rows,
    }
}

/// One side's throughput test: where it went, at what concurrency, and what it measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThroughputTest {
    /// What was asked where.
    #[serde(flatten)]
    pub asked: Asked,
    /// Requests in flight at once.
    pub concurrency: u32,
    /// Whether the server was reached over plain `http://`, which browsers speak as HTTP/1.1.
    pub plain_http: bool,
    /// What it measured.
    pub figures: Throughput,
}

/// Streams a browser opens at once to one server over HTTP/1.1, which is all plain `http://`
/// offers it (HTTP/2 needs TLS); further requests wait in the browser.
pub const HTTP1_CONNECTIONS: u32 = 6;

/// A throughput test's figures, with a note when `http://` held its streams back.
pub fn throughput(test: &ThroughputTest) -> Table {
    let (t, concurrency) = (&test.figures, test.concurrency);
    let row = |name: &str, text: String, id: &'static str| Row {
        testid: Some(id),
        ..Row::new(vec![Cell::text(name), Cell::text(text)])
    };
    let ms = |s: Option<Summary>| match s {
        Some(s) => format!(
            "p50 {} ms, p95 {} ms, max {} ms",
            number(s.p50, 1),
            number(s.p95, 1),
            number(s.max, 1)
        ),
        None => "–".into(),
    };
    let errors = if t.errors.is_empty() {
        "none".to_owned()
    } else {
        t.errors
            .iter()
            .map(|(kind, n)| format!("{kind}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut table = Table {
        head: vec!["figure", "value"],
        rows: vec![
            row(
                "requests",
                format!(
                    "{} completed of {} at concurrency {concurrency}",
                    t.completed, t.requests
                ),
                "tp-requests",
            ),
            row("errors", errors, "tp-errors"),
            row("wall time", format!("{} s", number(t.wall_s, 2)), "tp-wall"),
            row(
                "requests per second",
                format!("{} req/s", number(t.requests_per_s, 2)),
                "tp-rps",
            ),
            row(
                "output tokens per second, all streams",
                format!("{} tok/s", number(t.output_tps, 1)),
                "tp-tps",
            ),
            row("latency (total time)", ms(t.latency), "tp-latency"),
            row("time to first token", ms(t.ttft), "tp-ttft"),
            row(
                "inter-token latency, each stream's mean",
                ms(t.itl),
                "tp-itl",
            ),
            row(
                "decode speed, each stream",
                match t.decode_tps {
                    Some(s) => format!(
                        "p50 {} tok/s, slowest {} tok/s",
                        number(s.p50, 1),
                        number(s.min, 1)
                    ),
                    None => "–".into(),
                },
                "tp-decode",
            ),
        ],
    };
    if test.plain_http && concurrency > HTTP1_CONNECTIONS {
        table.rows.push(row(
            "note",
            format!(
                "over http:// a browser streams at most {HTTP1_CONNECTIONS} requests to one server at once; the other {} waited in the browser, and their latency includes that wait",
                concurrency - HTTP1_CONNECTIONS
            ),
            "tp-note",
        ));
    }
    table
}

/// `table` as a Markdown table.
pub fn table_markdown(table: &Table) -> String {
    let mut out = format!(
        "| {} |\n|{}\n",
        table.head.join(" | "),
        "---|".repeat(table.head.len())
    );
    for row in &table.rows {
        let _ = writeln!(out, "| {} |", row.joined(" | "));
    }
    out
}

/// The Markdown section of a measurement, measured on `date`: the prompt (once when all
/// sent the same, else with each), each side's target, the comparison and each side's
/// series, then each side's throughput test. Holds no key.
pub fn markdown(date: &str, sides: &[&Series], tests: &[&ThroughputTest]) -> String {
    let mut prompts = sides
        .iter()
        .map(|s| &s.asked.prompt)
        .chain(tests.iter().map(|t| &t.asked.prompt));
    let first = prompts.next();
    let shared = first.filter(|first| prompts.all(|p| p == *first));
    let mut out = format!("## Live measurement ({date})\n\n");
    if let Some(prompt) = shared {
        let _ = write!(out, "Prompt: {prompt:?}\n\n");
    }
    let own = |prompt: &str| match shared {
        Some(_) => String::new(),
        None => format!(", prompt {prompt:?}"),
    };
    for s in sides {
        let _ = writeln!(
            out,
            "- {}, {}{}{}",
            s.asked.target(),
            count(s.runs.len(), "run"),
            match s.failures.len() {
                0 => String::new(),
                n => format!(", {n} failed"),
            },
            own(&s.asked.prompt)
        );
    }
    for t in tests {
        let _ = writeln!(
            out,
            "- {}, throughput test of {} at concurrency {}{}",
            t.asked.target(),
            count(t.figures.requests, "request"),
            t.concurrency,
            own(&t.asked.prompt)
        );
    }
    let local = sides.iter().copied().find(|s| s.asked.side == "local");
    let cloud = sides.iter().copied().find(|s| s.asked.side == "cloud");
    if !sides.is_empty() {
        let _ = write!(
            out,
            "\n### Local and cloud, p50\n\n{}",
            table_markdown(&comparison(local, cloud))
        );
    }
    for s in sides {
        let _ = write!(
            out,
            "\n### {} ({})\n\n{}",
            s.asked.side,
            s.asked.model,
            table_markdown(&series(s))
        );
        for note in notes(s) {
            let _ = writeln!(out, "\n- {note}");
        }
    }
    for t in tests {
        let _ = write!(
            out,
            "\n### {} ({}): throughput\n\n{}",
            t.asked.side,
            t.asked.model,
            table_markdown(&throughput(t))
        );
    }
    out.push_str(
        "\nTTFT is measured in the browser from sending the request to the first answer text. \
         Decode speed is the server's own timing where Ollama or llama.cpp reports it, else \
         (tokens - 1) / (total - first token).\n",
    );
    out
}

/// What to keep in mind when reading a side's figures: cold loads, counted tokens, failures.
pub fn notes(series: &Series) -> Vec<String> {
    let mut notes = Vec::new();
    let cold: Vec<f64> = series
        .runs
        .iter()
        .filter(|r| r.cold)
        .filter_map(|r| r.load_ms)
        .collect();
    if let Some(longest) = cold.iter().copied().reduce(f64::max) {
        notes.push(format!(
            "{} of {} runs loaded the model first (cold, up to {} ms); their times to first token include the load",
            cold.len(),
            series.runs.len(),
            number(longest, 0)
        ));
    }
    notes.extend(slow_starts(series));
    if series.warm_up.as_ref().is_some_and(|w| w.cold) {
        notes.push("the warm-up run loaded the model; it is not counted".into());
    }
    let untimed = series
        .runs
        .iter()
        .filter(|r| r.decode_tps.is_none() && r.output_tokens > 1.0)
        .count();
    if untimed > 0 {
        notes.push(format!(
            "{untimed} of {} runs gave no decode speed: the server reported no timing, and their \
             tokens arrived within {} ms, too fast for the page's clock",
            series.runs.len(),
            number(MIN_DECODE_SPAN_MS, 0)
        ));
    }
    if series.tokens_estimated() {
        notes.push(
            "the server reported no token count: tokens are counted chunks, an estimate".into(),
        );
    }
    match series.failures.len() {
        0 => {}
        1 => notes.push("1 run failed and is not counted".into()),
        n => notes.push(format!("{n} runs failed and are not counted")),
    }
    notes
}

/// A run's time to first token this many times the median of the others' is reported apart.
const SLOW_START_FACTOR: f64 = 5.0;

/// Runs not flagged cold whose time to first token is [`SLOW_START_FACTOR`] or more times the
/// median of the other runs' (three runs at least): a model load or a queue the server does
/// not report, which the percentiles include.
fn slow_starts(series: &Series) -> Vec<String> {
    let ttfts: Vec<Option<f64>> = series.runs.iter().map(|r| r.ttft_ms).collect();
    if ttfts.iter().flatten().count() < 3 {
        return Vec::new();
    }
    series
        .runs
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.cold)
        .filter_map(|(i, r)| {
            let ttft = r.ttft_ms?;
            let mut others: Vec<f64> = ttfts
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .filter_map(|(_, t)| *t)
                .collect();
            let median = percentile(&mut others, 50.0).filter(|m| *m > 0.0)?;
            (ttft >= SLOW_START_FACTOR * median).then(|| {
                format!(
                    "run {}'s time to first token ({} ms) is {}× the median of the others ({} ms): \
                     likely a model load or a queue the server does not report; the percentiles \
                     include it",
                    i + 1,
                    number(ttft, 0),
                    number(ttft / median, 0),
                    number(median, 0)
                )
            })
        })
        .collect()
}

/// Header of [`runs_csv`].
pub const RUNS_CSV_HEADER: &str = "side,model,run,ttft_ms,thinking_ms,total_ms,output_tokens,tokens_counted,decode_tps,prompt_tps,itl_mean_ms,itl_p95_ms,load_ms,cold";

/// Every measured run of every side, one row each, for a spreadsheet: empty cells where a
/// run has no figure.
pub fn runs_csv(sides: &[&Series]) -> String {
    let mut out = format!("{RUNS_CSV_HEADER}\n");
    let cell = |v: Option<f64>| v.map(|v| format!("{v:.3}")).unwrap_or_default();
    for s in sides {
        for (i, r) in s.runs.iter().enumerate() {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{:.3},{},{},{},{},{},{},{},{}",
                s.asked.side,
                s.asked.model.replace([',', '"', '\n'], " "),
                i + 1,
                cell(r.ttft_ms),
                cell(r.thinking_ms),
                r.total_ms,
                r.output_tokens,
                r.tokens_estimated,
                cell(r.decode_tps),
                cell(r.prompt_tps),
                cell(r.itl_mean_ms),
                cell(r.itl_p95_ms),
                cell(r.load_ms),
                r.cold
            );
        }
    }
    out
}

/// Figures a measurement hands to the scenario.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Adopted {
    /// Local decode speed, tok/s (`tps`).
    pub decode_tps: Option<f64>,
    /// Local prompt speed, tok/s (`ptps`).
    pub prefill_tps: Option<f64>,
    /// Local time to first token, ms (`lttft`).
    pub local_ttft_ms: Option<f64>,
    /// Cloud time to first token, ms (`cttft`).
    pub cloud_ttft_ms: Option<f64>,
    /// The local output tok/s at each concurrency measured, by concurrency (`agg`): a
    /// throughput test's one point, a sweep's curve.
    pub aggregate: Vec<AggregatePoint>,
}

/// The measured curve of `steps`: each capped step's output tok/s at its concurrency, by
/// concurrency, the widest [`MAX_CURVE_POINTS`] kept.
fn curve(steps: &[ServingStep]) -> Vec<AggregatePoint> {
    let mut points: Vec<AggregatePoint> = steps
        .iter()
        .filter(|s| s.output_tps > 0.0 && s.output_tps.is_finite())
        .filter_map(|s| {
            Some(AggregatePoint {
                tps: s.output_tps,
                concurrency: s.concurrency?,
            })
        })
        .collect();
    points.sort_by_key(|p| p.concurrency);
    points.dedup_by_key(|p| p.concurrency);
    let extra = points.len().saturating_sub(MAX_CURVE_POINTS);
    points.split_off(extra)
}

impl Adopted {
    /// The p50 figures of the sides measured, and the local load measured: a concurrency
    /// sweep's steps (as [`Adopted::from_steps`]) or else a throughput test's output tok/s at the
    /// concurrency the server saw, where over plain `http://` the browser holds all but
    /// [`HTTP1_CONNECTIONS`] back. Without a local series, a sweep's one-stream step gives
    /// the local speeds.
    pub fn from_measurement(
        local: Option<&Series>,
        cloud: Option<&Series>,
        local_test: Option<&ThroughputTest>,
        local_sweep: Option<&[ServingStep]>,
    ) -> Adopted {
        let swept = local_sweep.map(Adopted::from_steps);
        let aggregate = match &swept {
            Some(swept) => swept.aggregate.clone(),
            None => local_test
                .filter(|t| t.figures.completed > 0 && t.figures.output_tps > 0.0)
                .map(|t| AggregatePoint {
                    tps: t.figures.output_tps,
                    concurrency: if t.plain_http {
                        t.concurrency.min(HTTP1_CONNECTIONS)
                    } else {
                        t.concurrency
                    }
                    .max(1),
                })
                .into_iter()
                .collect(),
        };
        let from_sweep = |pick: fn(&Adopted) -> Option<f64>| swept.as_ref().and_then(pick);
        Adopted {
            decode_tps: local
                .and_then(|s| s.p50(Figure::Decode))
                .or_else(|| from_sweep(|a| a.decode_tps)),
            prefill_tps: local.and_then(|s| s.p50(Figure::Prompt)),
            local_ttft_ms: local
                .and_then(|s| s.p50(Figure::Ttft))
                .or_else(|| from_sweep(|a| a.local_ttft_ms)),
            cloud_ttft_ms: cloud.and_then(|s| s.p50(Figure::Ttft)),
            aggregate,
        }
    }

    /// The figures of a serving benchmark's steps: the measured curve, every capped step's
    /// output tok/s at its concurrency (`agg`), and from a one-stream step, its decode speed
    /// `1000 / mean TPOT` (`tps`) and median time to first token (`lttft`).
    pub fn from_steps(steps: &[ServingStep]) -> Adopted {
        let single = steps.iter().find(|s| s.concurrency == Some(1));
        Adopted {
            decode_tps: single.and_then(ServingStep::per_stream_tps),
            prefill_tps: None,
            local_ttft_ms: single.and_then(|s| s.ttft_ms.p50),
            cloud_ttft_ms: None,
            aggregate: curve(steps),
        }
    }

    /// The figures of an imported run: a serving benchmark's as [`Adopted::from_steps`], and
    /// from llama-bench the first `tg` and `pp` tests with an empty cache (`tps`, `ptps`).
    pub fn from_import(run: &Imported) -> Adopted {
        match run {
            Imported::Serving(steps) => Adopted::from_steps(steps),
            Imported::LlamaBench(tests) => {
                let first = |kind| {
                    tests
                        .iter()
                        .find(|t| t.kind() == kind && t.n_depth == 0)
                        .map(|t| t.avg_ts)
                };
                Adopted {
                    decode_tps: first(BenchKind::Decode),
                    prefill_tps: first(BenchKind::Prefill),
                    local_ttft_ms: None,
                    cloud_ttft_ms: None,
                    aggregate: Vec::new(),
                }
            }
        }
    }

    /// Whether there is anything to hand over.
    pub fn is_empty(&self) -> bool {
        self.pairs().is_empty()
    }

    /// The link keys and values these figures write, one decimal each, measured ones only.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let one_decimal = |value: f64| format!("{:.1}", value.max(0.1));
        let mut pairs: Vec<(&'static str, String)> = [
            ("tps", self.decode_tps),
            ("ptps", self.prefill_tps),
            ("lttft", self.local_ttft_ms),
            ("cttft", self.cloud_ttft_ms),
        ]
        .into_iter()
        .filter_map(|(key, value)| Some((key, one_decimal(value?))))
        .collect();
        if !self.aggregate.is_empty() {
            let points: Vec<String> = self
                .aggregate
                .iter()
                .map(|p| format!("{}@{}", one_decimal(p.tps), p.concurrency))
                .collect();
            pairs.push(("agg", points.join(",")));
        }
        pairs
    }

    /// What handing the figures over wrote, for the page.
    pub fn note(&self) -> String {
        let written: Vec<String> = self
            .pairs()
            .into_iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        let mut note = format!("Wrote {} into the scenario.", written.join(", "));
        match self.aggregate.as_slice() {
            [] => {}
            [point] => {
                let _ = write!(
                    note,
                    " Sizing now scales its batching curve to pass through {} output tok/s at {} \
                     requests in flight, measured with this test's prompt and answer lengths \
                     rather than the scenario's.",
                    number(point.tps, 1),
                    point.concurrency
                );
            }
            [first, .., last] => {
                let _ = write!(
                    note,
                    " Sizing now follows the measured curve through {} points, from {} output \
                     tok/s at {} in flight to {} at {} (the batching model between and beyond \
                     them), measured with this run's prompt and answer lengths rather than the \
                     scenario's.",
                    self.aggregate.len(),
                    number(first.tps, 1),
                    first.concurrency,
                    number(last.tps, 1),
                    last.concurrency
                );
            }
        }
        note
    }

    /// `query` with these figures written into its scenario and every page key of `query`
    /// kept; figures not measured leave the scenario as it was.
    pub fn apply(&self, query: &str) -> String {
        let mut scenario = link::decode(query).scenario;
        for (key, value) in self.pairs() {
            if let Some(field) = link::field(key) {
                let _ = field.set(&mut scenario, &value);
            }
        }
        link::with_page_keys(link::encode(&scenario), query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(ttft_ms: f64, decode_tps: f64) -> Run {
        Run {
            ttft_ms: Some(ttft_ms),
            thinking_ms: None,
            total_ms: ttft_ms + 1000.0,
            output_tokens: 100.0,
            tokens_estimated: false,
            prompt_tokens: Some(20.0),
            decode_tps: Some(decode_tps),
            decode_from_server: true,
            prompt_tps: None,
            itl_mean_ms: None,
            itl_p95_ms: None,
            load_ms: None,
            cold: false,
        }
    }

    fn series(side: &'static str, runs: Vec<Run>) -> Series {
        Series {
            asked: Asked {
                side,
                api: Api::Ollama,
                origin: "http://localhost:11434".into(),
                model: "llama3.1:8b".into(),
                prompt: "Say hi".into(),
            },
            runs,
            warm_up: None,
            failures: Vec::new(),
        }
    }

    /// A throughput test of `figures` on the cloud side, through OpenAI's API.
    fn test(figures: Throughput, concurrency: u32, plain_http: bool) -> ThroughputTest {
        ThroughputTest {
            asked: Asked {
                side: "cloud",
                api: Api::OpenAi,
                origin: "https://api.openai.com".into(),
                model: "gpt-4o-mini".into(),
                prompt: "Say hi".into(),
            },
            concurrency,
            plain_http,
            figures,
        }
    }

    /// The rows of `table` as text, cells joined by ` | `.
    fn check(table: &Table, expected: &[&str]) {
        let rows: Vec<String> = table.rows.iter().map(|r| r.joined(" | ")).collect();
        assert_eq!(rows, expected);
    }

    #[test]
    fn comparison_shows_each_sides_median() {
        // Local TTFT 100, 120, 300: p50 120; decode 40, 50, 60: p50 50.
        let local = series(
            "local",
            vec![run(100.0, 40.0), run(300.0, 60.0), run(120.0, 50.0)],
        );
        let cloud = series("cloud", vec![run(400.0, 90.0), run(500.0, 110.0)]);
        check(
            &comparison(Some(&local), Some(&cloud)),
            &[
                "time to first token | 120.0 ms | 450.0 ms",
                "total time | 1,120.0 ms | 1,450.0 ms",
                "output tokens | 100 tokens | 100 tokens",
                "decode speed | 50.0 tok/s | 100.0 tok/s",
            ],
        );
        let cloud_only = comparison(None, Some(&cloud));
        assert_eq!(cloud_only.rows[0].cells[1].text, "–");
    }

    #[test]
    fn adopted_figures_enter_the_link_and_page_keys_stay() {
        let local = series("local", vec![run(100.0, 40.0), run(120.0, 50.0)]);
        let adopted = Adopted::from_measurement(Some(&local), None, None, None);
        assert_eq!(adopted.decode_tps, Some(45.0));
        assert_eq!(adopted.local_ttft_ms, Some(110.0));
        assert_eq!(
            adopted.pairs(),
            [("tps", "45.0".to_string()), ("lttft", "110.0".into())]
        );
        assert_eq!(
            adopted.apply("?v=1&rpd=9000&runs=3&embed=1&tps=5"),
            "v=1&rpd=9000&tps=45&lttft=110&runs=3&embed=1"
        );
    }

    /// A swept step at `concurrency`: `output_tps` in all, TPOT mean `tpot_ms`, TTFT p50
    /// `ttft_ms`, as the table shows them.
    fn swept(concurrency: u32, output_tps: f64, tpot_ms: f64, ttft_ms: f64) -> ServingStep {
        use crate::codec::benchmark::{Reported, Tool};
        ServingStep {
            tool: Tool::Sweep,
            model: "m".into(),
            concurrency: Some(concurrency),
            completed: Some(8),
            failed: Some(0),
            request_tps: 1.0,
            output_tps,
            ttft_ms: Reported {
                p50: Some(ttft_ms),
                ..Reported::default()
            },
            tpot_ms: Reported {
                mean: Some(tpot_ms),
                ..Reported::default()
            },
            itl_ms: Reported::default(),
            e2e_ms: Reported::default(),
            goodput_rps: None,
            duration_s: Some(8.0),
            requests: Vec::new(),
            errors: Vec::new(),
        }
    }

    // One stream: TPOT 10 ms → 100 tok/s, 100 tok/s in all, TTFT 80 ms. Four streams: 350
    // tok/s in all. A series beside it gives the decode speed and TTFT instead (p50 45 tok/s,
    // 110 ms); the sweep's curve wins over the throughput test for the load.
    #[test]
    fn a_sweep_hands_over_its_curve_and_its_one_stream_speeds() {
        let steps = [swept(4, 350.0, 11.4, 95.0), swept(1, 100.0, 10.0, 80.0)];
        let alone = Adopted::from_measurement(None, None, None, Some(&steps));
        assert_eq!(
            alone.pairs(),
            [
                ("tps", "100.0".to_string()),
                ("lttft", "80.0".into()),
                ("agg", "100.0@1,350.0@4".into())
            ]
        );
        let local = series("local", vec![run(100.0, 40.0), run(120.0, 50.0)]);
        let figures = Throughput::of(&[run(100.0, 40.0)], &[], 1000.0);
        let test = test(figures, 2, false);
        let both = Adopted::from_measurement(Some(&local), None, Some(&test), Some(&steps));
        assert_eq!(
            both.pairs(),
            [
                ("tps", "45.0".to_string()),
                ("lttft", "110.0".into()),
                ("agg", "100.0@1,350.0@4".into())
            ]
        );
    }

    #[test]
    fn a_throughput_test_hands_over_its_point() {
        // 300 output tokens in 2 s at 8 in flight: 150 tok/s at 8 over HTTPS; over plain
        // http:// the browser sent 6 at a time, so the server saw 6.
        let runs = [run(100.0, 40.0), run(200.0, 30.0), run(300.0, 50.0)];
        let figures = Throughput::of(&runs, &[], 2000.0);
        let over = |plain_http| {
            Adopted::from_measurement(
                None,
                None,
                Some(&test(figures.clone(), 8, plain_http)),
                None,
            )
        };
        assert_eq!(over(false).pairs(), [("agg", "150.0@8".to_string())]);
        assert_eq!(over(true).pairs(), [("agg", "150.0@6".to_string())]);
        assert!(
            over(true).note().starts_with(
                "Wrote agg=150.0@6 into the scenario. Sizing now scales its batching curve to \
                 pass through 150.0 output tok/s at 6 requests in flight"
            ),
            "{}",
            over(true).note()
        );
        assert_eq!(
            over(false).apply("?v=1&slots=8&runs=3"),
            "v=1&slots=8&agg=150@8&runs=3"
        );
        // A test in which nothing completed hands over nothing.
        let failed = Throughput::of(&[], &["timeout".to_string()], 2000.0);
        let nothing = Adopted::from_measurement(None, None, Some(&test(failed, 8, false)), None);
        assert!(nothing.is_empty());
    }

    #[test]
    fn captions_name_the_side_and_the_warm_up() {
        let mut s = series("local", vec![run(100.0, 40.0)]);
        assert_eq!(
            caption(&s),
            "local: llama3.1:8b at http://localhost:11434, 1 run"
        );
        // The warm-up's total is its 1,812.4 ms to first token + 1,000 ms = 2,812.4 ms.
        s.warm_up = Some(run(1812.4, 40.0));
        s.runs.push(run(100.0, 40.0));
        assert_eq!(
            caption(&s),
            "local: llama3.1:8b at http://localhost:11434, 2 runs, warm-up not counted (2,812 ms)"
        );
    }

    // Runs of 2,000, 100, 110 and 90 ms: the first is 20× the median of the others (100 ms).
    // A cold-flagged run has its own note instead; with two runs there is no "others" to judge.
    #[test]
    fn a_first_token_far_above_the_rest_is_reported_apart() {
        let s = series(
            "local",
            vec![
                run(2000.0, 40.0),
                run(100.0, 40.0),
                run(110.0, 40.0),
                run(90.0, 40.0),
            ],
        );
        assert_eq!(
            notes(&s),
            [
                "run 1's time to first token (2,000 ms) is 20× the median of the others (100 ms): \
              likely a model load or a queue the server does not report; the percentiles \
              include it"
            ]
        );
        let mut cold = run(2000.0, 40.0);
        cold.cold = true;
        cold.load_ms = Some(1800.0);
        let flagged = series("local", vec![cold, run(100.0, 40.0), run(110.0, 40.0)]);
        assert_eq!(notes(&flagged).len(), 1, "{:?}", notes(&flagged));
        assert_eq!(
            notes(&series("local", vec![run(2000.0, 40.0), run(100.0, 40.0)])),
            Vec::<String>::new()
        );
    }

    // One of three runs came too fast to time; a one-token answer has no decode to time.
    #[test]
    fn notes_say_which_runs_came_too_fast_to_time() {
        let mut fast = run(100.0, 40.0);
        fast.decode_tps = None;
        let mut one = run(100.0, 40.0);
        (one.decode_tps, one.output_tokens) = (None, 1.0);
        assert_eq!(
            notes(&series("local", vec![fast, one, run(100.0, 40.0)])),
            ["1 of 3 runs gave no decode speed: the server reported no timing, and their tokens \
              arrived within 20 ms, too fast for the page's clock"]
        );
    }

    #[test]
    fn notes_flag_cold_loads_and_counted_tokens() {
        let mut cold = run(1900.0, 40.0);
        cold.load_ms = Some(1500.0);
        cold.cold = true;
        cold.tokens_estimated = true;
        let mut s = series("local", vec![cold, run(100.0, 40.0)]);
        s.failures.push(Diagnosis {
            kind: "timeout".into(),
            title: String::new(),
            steps: Vec::new(),
        });
        assert_eq!(
            notes(&s),
            [
                "1 of 2 runs loaded the model first (cold, up to 1,500 ms); their times to first token include the load",
                "the server reported no token count: tokens are counted chunks, an estimate",
                "1 run failed and is not counted",
            ]
        );
    }

    #[test]
    fn throughput_table_and_the_http1_limit() {
        // 3 of 4 completed in 2 s: 1.5 req/s; 300 tokens / 2 s = 150 tok/s. Each stream's
        // inter-token latency 10, 12, 20 ms: p95 at rank 1.9 -> 12 + 0.9 × 8 = 19.2 ms.
        let itl = |ms: f64, r: Run| Run {
            itl_mean_ms: Some(ms),
            ..r
        };
        let runs = [
            itl(10.0, run(100.0, 40.0)),
            itl(20.0, run(200.0, 30.0)),
            itl(12.0, run(300.0, 50.0)),
        ];
        let t = Throughput::of(&runs, &["timeout".to_string()], 2000.0);
        check(
            &throughput(&test(t.clone(), 4, true)),
            &[
                "requests | 3 completed of 4 at concurrency 4",
                "errors | timeout: 1",
                "wall time | 2.00 s",
                "requests per second | 1.50 req/s",
                "output tokens per second, all streams | 150.0 tok/s",
                "latency (total time) | p50 1,200.0 ms, p95 1,290.0 ms, max 1,300.0 ms",
                "time to first token | p50 200.0 ms, p95 290.0 ms, max 300.0 ms",
                "inter-token latency, each stream's mean | p50 12.0 ms, p95 19.2 ms, max 20.0 ms",
                "decode speed, each stream | p50 40.0 tok/s, slowest 30.0 tok/s",
            ],
        );
        let over_http = throughput(&test(t.clone(), 32, true));
        assert_eq!(
            over_http.rows.last().and_then(|r| r.testid),
            Some("tp-note")
        );
        assert!(over_http.rows.last().unwrap().cells[1]
            .text
            .contains("at most 6 requests"));
        assert_eq!(throughput(&test(t, 32, false)).rows.len(), 9);
    }

    #[test]
    fn runs_csv_has_a_row_per_run() {
        let s = series("local", vec![run(100.0, 40.0), run(120.0, 50.5)]);
        assert_eq!(
            runs_csv(&[&s]),
            format!(
                "{RUNS_CSV_HEADER}\nlocal,llama3.1:8b,1,100.000,,1100.000,100,false,40.000,,,,,false\nlocal,llama3.1:8b,2,120.000,,1120.000,100,false,50.500,,,,,false\n"
            )
        );
    }

    #[test]
    fn markdown_has_targets_and_tables_but_no_key() {
        let local = series("local", vec![run(100.0, 40.0)]);
        let text = markdown("2026-11-22", &[&local], &[]);
        assert!(text.starts_with("## Live measurement (2026-11-22)\n\nPrompt: \"Say hi\"\n\n- local: Ollama at http://localhost:11434, model llama3.1:8b, 1 run\n"));
        assert!(text.contains("| time to first token | 100.0 ms | – |\n"));
        assert!(text.contains(
            "| figure | p50 | p95 | min | max | mean | runs |\n|---|---|---|---|---|---|---|\n"
        ));
        assert!(!text.contains("throughput"));
    }

    #[test]
    fn markdown_has_each_throughput_test() {
        // 2 of 2 completed in 4 s: 0.5 req/s; 200 tokens / 4 s = 50 tok/s.
        let figures = Throughput::of(&[run(100.0, 40.0), run(300.0, 60.0)], &[], 4000.0);
        let cloud = test(figures, 2, false);
        let text = markdown("2026-11-22", &[], &[&cloud]);
        assert!(text.starts_with("## Live measurement (2026-11-22)\n\nPrompt: \"Say hi\"\n\n- cloud: OpenAI-compatible at https://api.openai.com, model gpt-4o-mini, throughput test of 2 requests at concurrency 2\n"), "{text}");
        assert!(
            !text.contains("Local and cloud"),
            "no comparison without a series"
        );
        assert!(text.contains("\n### cloud (gpt-4o-mini): throughput\n\n| figure | value |\n|---|---|\n| requests | 2 completed of 2 at concurrency 2 |\n"), "{text}");
        assert!(text.contains("| requests per second | 0.50 req/s |\n| output tokens per second, all streams | 50.0 tok/s |\n"));
    }

    #[test]
    fn markdown_gives_each_its_prompt_when_they_differ() {
        let local = series("local", vec![run(100.0, 40.0)]);
        let figures = Throughput::of(&[run(100.0, 40.0)], &[], 1000.0);
        let mut cloud = test(figures, 1, false);
        cloud.asked.prompt = "Count to ten".into();
        let text = markdown("2026-11-22", &[&local], &[&cloud]);
        assert!(!text.contains("Prompt:"), "{text}");
        assert!(text.contains("- local: Ollama at http://localhost:11434, model llama3.1:8b, 1 run, prompt \"Say hi\"\n"), "{text}");
        assert!(
            text.contains(
                "throughput test of 1 request at concurrency 1, prompt \"Count to ten\"\n"
            ),
            "{text}"
        );
    }
}
