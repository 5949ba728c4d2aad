//! Imported benchmark runs as a table and a line of words: one row per load step of a serving
//! benchmark, or per llama-bench test.

use crate::codec::benchmark::{Imported, Reported};
use crate::view::format::{count, number};
use crate::view::table::{Cell, Row, Table};

/// A latency in ms with one decimal, or `—` when the tool did not write it.
fn ms(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{} ms", number(v, 1)))
}

/// `p50 / p99` of a latency, either `—` when missing.
fn p50_p99(r: &Reported) -> String {
    format!("{} / {}", ms(r.p50), ms(r.p99))
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

/// The table of what was read. A serving step: requests in flight, output tok/s of all
/// streams, each stream's tok/s ([`per_stream_tps`](crate::codec::benchmark::ServingStep::per_stream_tps)), requests/s, TTFT p50 / p99, mean TPOT,
/// ITL p50, e2e p50 and goodput. A llama-bench test: its name, model, device and tok/s with
/// its standard deviation.
pub fn table(imported: &Imported) -> Table {
    match imported {
        Imported::Serving(steps) => Table {
            head: vec![
                "In flight",
                "Output tok/s",
                "Per stream tok/s",
                "Requests/s",
                "TTFT p50 / p99",
                "TPOT mean",
                "ITL p50",
                "E2E p50",
                "Goodput",
            ],
            rows: steps
                .iter()
                .map(|s| Row {
                    cells: vec![
                        Cell::text(s.concurrency.map_or("no cap".to_owned(), |c| c.to_string())),
                        Cell::text(number(s.output_tps, 1)),
                        Cell::text(
                            s.per_stream_tps()
                                .map_or("—".to_owned(), |tps| number(tps, 1)),
                        ),
                        Cell::text(number(s.request_tps, 2)),
                        Cell::text(p50_p99(&s.ttft_ms)),
                        Cell::text(ms(s.tpot_ms.mean)),
                        Cell::text(ms(s.itl_ms.p50)),
                        Cell::text(ms(s.e2e_ms.p50)),
                        Cell::text(
                            s.goodput_rps
                                .map_or("—".to_owned(), |g| format!("{} req/s", number(g, 2))),
                        ),
                    ],
                    testid: None,
                    mark: None,
                })
                .collect(),
        },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::benchmark::read;

    fn check(text: &str, expected: (&str, &[&str])) {
        let imported = read(text).expect("reads");
        let lines: Vec<String> = table(&imported)
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
                &["4 | 512.3 | 125.0 | 4.00 | 30.0 ms / 41.5 ms | 8.0 ms | 8.0 ms | — | —"],
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
}
