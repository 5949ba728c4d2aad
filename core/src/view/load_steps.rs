//! Load steps as a table and a line of words: one row per step of a serving benchmark (a
//! sweep run here or a run imported), per llama-bench test, or per depth of a depth sweep.

use crate::codec::benchmark::{Imported, Reported, ServingStep};
use crate::measure::depth::{DepthPoint, DepthSweep};
use crate::measure::load::Targets;
use crate::measure::results::table_markdown;
use crate::measure::sweep::{highest_meeting, meets, Sweep, MEETS_SHARE};
use crate::view::format::{count, number};
use crate::view::table::{Cell, Row, Table};

/// A latency in ms with one decimal, or `—` when it is not known.
fn ms(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{} ms", number(v, 1)))
}

/// `p50 / p95` of a latency, each `—` when missing.
fn p50_p95(r: &Reported) -> String {
    format!("{} / {}", ms(r.p50), ms(r.p95))
}

/// `p50 / p95 / p99` of a latency, each `—` when missing.
fn p50_p95_p99(r: &Reported) -> String {
    format!("{} / {} / {}", ms(r.p50), ms(r.p95), ms(r.p99))
}

/// What was read, in words: `3 load steps from vllm bench serve (Qwen/Qwen2.5-7B-Instruct)`.
pub fn summary(imported: &Imported) -> String {
    match imported {
        Imported::Serving(steps) => {
            let tool = steps.first().map_or("", |s| s.tool.label());
            let model = steps
                .first()
                .map(|s| s.model.as_str())
                .filter(|m| !m.is_empty())
                .map_or(String::new(), |m| format!(" ({m})"));
            format!("{} from {tool}{model}", count(steps.len(), "load step"))
        }
        Imported::LlamaBench(tests) => format!("{} from llama-bench", count(tests.len(), "test")),
    }
}

/// The latency targets in words: `TTFT ≤ 500 ms and TPOT ≤ 50 ms`; `None` without any.
fn targets_text(targets: Targets) -> Option<String> {
    let parts: Vec<String> = [("TTFT", targets.ttft_ms), ("TPOT", targets.tpot_ms)]
        .into_iter()
        .filter_map(|(name, t)| Some(format!("{name} ≤ {} ms", number(t?, 0))))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" and "))
}

/// Which step met `targets` highest, in words, or why none is named; `None` without targets.
pub fn targets_verdict(steps: &[ServingStep], targets: Targets) -> Option<String> {
    let wanted = targets_text(targets)?;
    let share = number(MEETS_SHARE * 100.0, 0);
    Some(match highest_meeting(steps, targets) {
        Some(c) => format!(
            "Up to {} in flight, {share}% of requests or more met the targets ({wanted}).",
            count(c as usize, "request")
        ),
        None if steps.iter().all(|s| meets(s, targets).is_none()) => {
            format!("These steps carry no figure to judge the targets ({wanted}) by.")
        }
        None => format!(
            "At the lowest step already fewer than {share}% of requests met the targets ({wanted})."
        ),
    })
}

/// Failures of a step: `0`, `3` or `3: refused 2, timed out 1`; `—` when not known.
fn failures(step: &ServingStep) -> String {
    let Some(failed) = step.failed else {
        return "—".to_owned();
    };
    if step.errors.is_empty() || failed == 0 {
        return failed.to_string();
    }
    let kinds: Vec<String> = step
        .errors
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    format!("{failed}: {}", kinds.join(", "))
}

/// The table of what was read or measured. A serving step: requests in flight, output tok/s
/// of all streams, each stream's tok/s ([`ServingStep::per_stream_tps`]), requests/s, TTFT
/// p50 / p95 / p99, TPOT, ITL and e2e p50 / p95, goodput and failures; the row of the highest
/// step that met `targets` is marked `chosen`. A llama-bench test: its name, model, device and
/// tok/s with its standard deviation.
pub fn table(imported: &Imported, targets: Targets) -> Table {
    match imported {
        Imported::Serving(steps) => {
            let best = highest_meeting(steps, targets);
            Table {
                head: vec![
                    "In flight",
                    "Output tok/s",
                    "Per stream tok/s",
                    "Requests/s",
                    "TTFT p50 / p95 / p99",
                    "TPOT p50 / p95",
                    "ITL p50 / p95",
                    "E2E p50 / p95",
                    "Goodput",
                    "Failed",
                ],
                rows: steps
                    .iter()
                    .map(|s| Row {
                        cells: vec![
                            Cell::text(
                                s.concurrency.map_or("no cap".to_owned(), |c| c.to_string()),
                            ),
                            Cell::text(number(s.output_tps, 1)),
                            Cell::text(
                                s.per_stream_tps()
                                    .map_or("—".to_owned(), |tps| number(tps, 1)),
                            ),
                            Cell::text(number(s.request_tps, 2)),
                            Cell::text(p50_p95_p99(&s.ttft_ms)),
                            Cell::text(p50_p95(&s.tpot_ms)),
                            Cell::text(p50_p95(&s.itl_ms)),
                            Cell::text(p50_p95(&s.e2e_ms)),
                            Cell::text(
                                s.goodput_rps.map_or("—".to_owned(), |g| {
                                    format!("{} req/s", number(g, 2))
                                }),
                            ),
                            Cell::text(failures(s)),
                        ],
                        testid: None,
                        mark: (best.is_some() && s.concurrency == best).then_some("chosen"),
                    })
                    .collect(),
            }
        }
        Imported::LlamaBench(tests) => Table {
            head: vec!["Test", "Model", "Device", "Tokens/s"],
            rows: tests
                .iter()
                .map(|t| Row {
                    cells: vec![
                        Cell::text(t.name()),
                        Cell::text(t.model.clone()),
                        Cell::text(t.device.clone()),
                        Cell::text(match t.stddev_ts {
                            Some(sd) => format!("{} ± {}", number(t.avg_ts, 1), number(sd, 1)),
                            None => number(t.avg_ts, 1),
                        }),
                    ],
                    testid: None,
                    mark: None,
                })
                .collect(),
        },
    }
}

/// A sweep for the Markdown report: where it ran, the verdict, the table and the notes.
pub fn sweep_markdown(sweep: &Sweep) -> String {
    let asked = &sweep.asked;
    let mut out = format!(
        "\n### {} ({}): concurrency sweep\n\n",
        asked.side, asked.model
    );
    if let Some(verdict) = targets_verdict(&sweep.steps, sweep.targets) {
        out.push_str(&verdict);
        out.push_str("\n\n");
    }
    out.push_str(&table_markdown(&table(
        &Imported::Serving(sweep.steps.clone()),
        sweep.targets,
    )));
    for note in sweep.notes() {
        out.push_str(&format!("\n- {note}\n"));
    }
    out
}

/// The table of a depth sweep, one row per depth: the depth asked, the prompt tokens the
/// server counted, time to first token, prefill tok/s (marked `prompt ÷ TTFT` where the
/// server gave no prompt timing) and decode tok/s.
pub fn depth_table(points: &[DepthPoint]) -> Table {
    let or_dash = |v: Option<f64>, digits| v.map_or("—".to_owned(), |v| number(v, digits));
    Table {
        head: vec![
            "Depth asked",
            "Prompt tokens",
            "TTFT",
            "Prefill tok/s",
            "Decode tok/s",
        ],
        rows: points
            .iter()
            .map(|p| Row {
                cells: vec![
                    Cell::text(number(f64::from(p.depth), 0)),
                    Cell::text(or_dash(p.prompt_tokens, 0)),
                    Cell::text(ms(p.ttft_ms)),
                    Cell::text(match (p.prefill_tps, p.prefill_from_server) {
                        (Some(tps), false) => format!("{} (prompt ÷ TTFT)", number(tps, 1)),
                        (tps, _) => or_dash(tps, 1),
                    }),
                    Cell::text(or_dash(p.decode_tps, 1)),
                ],
                testid: None,
                mark: None,
            })
            .collect(),
    }
}

/// A depth sweep for the Markdown report: where it ran, its table and its notes.
pub fn depth_markdown(sweep: &DepthSweep) -> String {
    let mut out = format!(
        "\n### {} ({}): context depth\n\n{}",
        sweep.asked.side,
        sweep.asked.model,
        table_markdown(&depth_table(&sweep.points))
    );
    for note in sweep.notes() {
        out.push_str(&format!("\n- {note}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::benchmark::read;
    use crate::measure::load::RequestTiming;
    use crate::measure::sweep::{serving_step, StepRecord};

    fn check(text: &str, expected: (&str, &[&str])) {
        let imported = read(text).expect("reads");
        let lines: Vec<String> = table(&imported, Targets::default())
            .rows
            .iter()
            .map(|r| r.joined(" | "))
            .collect();
        assert_eq!(
            (summary(&imported).as_str(), lines),
            (
                expected.0,
                expected.1.iter().map(|s| s.to_string()).collect()
            )
        );
    }

    // 1000 / 8 ms TPOT = 125 tok/s per stream.
    #[test]
    fn a_vllm_step() {
        check(
            r#"{"duration": 10, "completed": 40, "failed": 0, "max_concurrency": 4,
               "model_id": "m", "request_throughput": 4.0, "output_throughput": 512.26,
               "median_ttft_ms": 30.04, "p99_ttft_ms": 41.5, "mean_tpot_ms": 8.0,
               "median_itl_ms": 7.96}"#,
            (
                "1 load step from vllm bench serve (m)",
                &["4 | 512.3 | 125.0 | 4.00 | 30.0 ms / — / 41.5 ms | — / — | 8.0 ms / — | — / — | — | 0"],
            ),
        );
    }

    #[test]
    fn llama_bench_tests() {
        check(
            r#"[{"model_type": "qwen2 7B Q4_K - Medium", "gpu_info": "NVIDIA GeForce RTX 4090",
                "n_prompt": 512, "n_gen": 0, "n_depth": 0, "avg_ts": 12504.53, "stddev_ts": 97.02},
               {"model_type": "qwen2 7B Q4_K - Medium", "gpu_info": "NVIDIA GeForce RTX 4090",
                "n_prompt": 0, "n_gen": 128, "n_depth": 4096, "avg_ts": 138.36}]"#,
            (
                "2 tests from llama-bench",
                &[
                    "pp512 | qwen2 7B Q4_K - Medium | NVIDIA GeForce RTX 4090 | 12,504.5 ± 97.0",
                    "tg128 @ d4096 | qwen2 7B Q4_K - Medium | NVIDIA GeForce RTX 4090 | 138.4",
                ],
            ),
        );
    }

    /// A step at `concurrency` of 20 requests with a TTFT of `ttft_s`, 5 tokens 10 ms apart,
    /// over 1 s, one of them refused.
    fn swept(concurrency: u32, ttft_s: f64) -> ServingStep {
        let request = RequestTiming {
            ok: true,
            ttft_s,
            e2e_s: ttft_s + 0.04,
            output_tokens: 5,
            gaps_s: vec![0.01; 4],
            chunk_tokens: Vec::new(),
        };
        let record = StepRecord {
            concurrency,
            requests: vec![request; 20],
            errors: vec!["refused".into()],
            wall_s: 1.0,
        };
        let targets = Targets {
            ttft_ms: Some(250.0),
            tpot_ms: None,
        };
        serving_step("m", record, targets)
    }

    // 20 requests of 5 tokens in 1 s: 100 tok/s, 20 req/s; TPOT 40 ms / 4 = 10 ms → 100 tok/s
    // per stream; e2e TTFT + 40 ms. Target TTFT ≤ 250 ms: steps 1 and 2 meet it, 4 does not.
    #[test]
    fn a_sweep_marks_its_highest_step_within_the_targets() {
        let steps = vec![swept(1, 0.1), swept(2, 0.2), swept(4, 0.3)];
        let targets = Targets {
            ttft_ms: Some(250.0),
            tpot_ms: None,
        };
        let table = table(&Imported::Serving(steps.clone()), targets);
        let marks: Vec<Option<&str>> = table.rows.iter().map(|r| r.mark).collect();
        assert_eq!(marks, [None, Some("chosen"), None]);
        assert_eq!(
            table.rows[1].joined(" | "),
            "2 | 100.0 | 100.0 | 20.00 | 200.0 ms / 200.0 ms / 200.0 ms | 10.0 ms / 10.0 ms \
             | 10.0 ms / 10.0 ms | 240.0 ms / 240.0 ms | 20.00 req/s | 1: refused 1"
        );
        assert_eq!(
            targets_verdict(&steps, targets).as_deref(),
            Some("Up to 2 requests in flight, 95% of requests or more met the targets (TTFT ≤ 250 ms).")
        );
        let strict = Targets {
            ttft_ms: Some(50.0),
            tpot_ms: Some(20.0),
        };
        assert_eq!(
            targets_verdict(&steps, strict).as_deref(),
            Some("At the lowest step already fewer than 95% of requests met the targets (TTFT ≤ 50 ms and TPOT ≤ 20 ms).")
        );
        assert_eq!(targets_verdict(&steps, Targets::default()), None);
        let sweep = Sweep {
            asked: crate::measure::results::Asked::local_ollama(),
            steps,
            targets,
            asked_max: 4,
            plain_http: true,
        };
        let markdown = sweep_markdown(&sweep);
        assert!(
            markdown.starts_with(
                "\n### local (m): concurrency sweep\n\nUp to 2 requests in flight, 95% of \
                 requests or more met the targets (TTFT ≤ 250 ms).\n\n| In flight |"
            ),
            "{markdown}"
        );
        assert!(
            markdown.contains("| 2 | 100.0 | 100.0 | 20.00 |"),
            "{markdown}"
        );
    }
    // Two depths: Ollama's prompt timing at 128 (2,000 tok/s); no timing and no count at 512,
    // so 512 tokens ÷ 0.25 s TTFT = 2,048 tok/s, marked as such.
    #[test]
    fn a_depth_sweep_reads_as_markdown() {
        let point = |depth, prompt_tokens, ttft_ms, prefill, decode| {
            crate::measure::depth::DepthPoint::of(
                depth,
                &crate::measure::run::Run::timed(prompt_tokens, ttft_ms, prefill, decode),
            )
        };
        let sweep = DepthSweep {
            asked: crate::measure::results::Asked::local_ollama(),
            points: vec![
                point(128, Some(133.0), 80.0, Some(2000.0), 61.26),
                point(512, None, 250.0, None, 58.0),
            ],
        };
        assert_eq!(
            depth_markdown(&sweep),
            "\n### local (m): context depth\n\n\
             | Depth asked | Prompt tokens | TTFT | Prefill tok/s | Decode tok/s |\n\
             |---|---|---|---|---|\n\
             | 128 | 133 | 80.0 ms | 2,000.0 | 61.3 |\n\
             | 512 | — | 250.0 ms | 2,048.0 (prompt ÷ TTFT) | 58.0 |\n\
             \n- prefill is the server's own prompt timing at 1 of 2 depths, prompt tokens ÷ time to first token at the others\n\
             \n- the server counted no prompt tokens at 512: the depth asked stands in for it\n\
             \n- each depth is one request: run the sweep again to see how much a figure moves\n"
        );
    }
}
