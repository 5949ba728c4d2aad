//! Fuzz target: any bytes given as a benchmark result file are read without panicking, and a
//! vLLM file's per-request timings always give finite figures that count every request.

#![no_main]

use crossover_core::codec::benchmark::{read, Imported};
use crossover_core::measure::load::{step_figures, Targets};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(Imported::Serving(steps)) = read(&text) {
        for step in steps {
            let figures = step_figures(&step.requests, step.duration_s.unwrap_or(1.0), Targets {
                ttft_ms: Some(100.0),
                tpot_ms: Some(20.0),
            });
            assert_eq!(
                (figures.completed + figures.failed) as usize,
                step.requests.len()
            );
            for d in [figures.ttft_ms, figures.tpot_ms, figures.itl_ms, figures.e2e_ms]
                .into_iter()
                .flatten()
            {
                assert!(
                    [d.mean, d.p50, d.p90, d.p95, d.p99].iter().all(|v| v.is_finite()),
                    "{d:?}"
                );
            }
        }
    }
});
