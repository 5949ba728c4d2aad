//! Result files of vllm bench serve, genai-perf, AIPerf and llama-bench, read into the figures
//! the tool itself wrote, and vLLM's per-request timings worked out again by
//! `measure::load::step_figures` to the tool's own summary. The fixtures follow each tool's
//! source (see `core/tests/fixtures/imports/README.md`); every expected figure below is copied
//! from the file as the tool wrote it.

use crossover_core::codec::benchmark::{
    read, read_all, BenchKind, ImportError, Imported, Reported, ServingStep, Tool,
};
use crossover_core::measure::load::{step_figures, Targets};
use crossover_core::measure::results::Adopted;
use crossover_core::measure::stats::Summary;
use proptest::prelude::*;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/imports/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn serving(name: &str) -> ServingStep {
    match read(&fixture(name)) {
        Ok(Imported::Serving(steps)) if steps.len() == 1 => steps[0].clone(),
        other => panic!("{name}: {other:?}"),
    }
}

/// Equal to within 1e-9 relative: what the file says, read back.
fn same(actual: Option<f64>, expected: f64) {
    let a = actual.unwrap_or_else(|| panic!("missing, expected {expected}"));
    assert!(
        (a - expected).abs() <= 1e-9 * expected.abs(),
        "{a} != {expected}"
    );
}

/// Within 1e-6 relative: worked out again from the per-request timings.
fn agrees(ours: f64, theirs: Option<f64>, what: &str) {
    let theirs = theirs.unwrap_or_else(|| panic!("{what}: the file has no summary"));
    assert!(
        (ours - theirs).abs() <= 1e-6 * theirs.abs(),
        "{what}: ours {ours}, the tool's {theirs}"
    );
}

fn agrees_all(ours: Option<Summary>, theirs: Reported, what: &str) {
    let ours = ours.unwrap_or_else(|| panic!("{what}: no requests"));
    agrees(ours.mean, theirs.mean, &format!("{what} mean"));
    agrees(ours.p50, theirs.p50, &format!("{what} p50"));
    for (p, mine, reported) in [
        (90, ours.p90, theirs.p90),
        (95, ours.p95, theirs.p95),
        (99, ours.p99, theirs.p99),
    ] {
        if reported.is_some() {
            agrees(mine, reported, &format!("{what} p{p}"));
        }
    }
}

#[test]
fn vllm_bench_serve_reads_its_summary() {
    let c4 = serving("vllm_bench_serve_c4.json");
    assert_eq!(c4.tool, Tool::VllmBenchServe);
    assert_eq!(c4.model, "Qwen/Qwen2.5-7B-Instruct");
    assert_eq!(
        (c4.concurrency, c4.completed, c4.failed),
        (Some(4), Some(31), Some(1))
    );
    same(Some(c4.request_tps), 3.9190824770414707);
    same(Some(c4.output_tps), 501.64255706130825);
    same(c4.ttft_ms.p50, 30.561851999664214);
    same(c4.ttft_ms.p99, 36.34182870009681);
    same(c4.tpot_ms.mean, 7.534695258577574);
    same(c4.itl_ms.p99, 7.932958482997491);
    same(c4.e2e_ms.mean, 987.0740145479137);
    assert_eq!(c4.goodput_rps, None, "run without --goodput");
    let c16 = serving("vllm_bench_serve_c16.json");
    assert_eq!(c16.concurrency, Some(16));
    same(c16.goodput_rps, 9.394953984838729);
    assert!(
        c16.requests.is_empty(),
        "no --save-detailed: no per-request timings"
    );
}

// The same figures from every request's timings, by our definitions: vLLM's, so they agree
// with the tool's summary to rounding, the failed request (c4's 22nd) left out.
#[test]
fn vllm_summaries_are_worked_out_again_from_the_requests() {
    for name in ["vllm_bench_serve_c1.json", "vllm_bench_serve_c4.json"] {
        let step = serving(name);
        let ours = step_figures(
            &step.requests,
            step.duration_s.expect("duration"),
            Targets::default(),
        );
        assert_eq!(Some(ours.completed), step.completed, "{name}");
        assert_eq!(Some(ours.failed), step.failed, "{name}");
        agrees(ours.request_tps, Some(step.request_tps), name);
        agrees(ours.output_tps, Some(step.output_tps), name);
        agrees_all(ours.ttft_ms, step.ttft_ms, &format!("{name} ttft"));
        agrees_all(ours.tpot_ms, step.tpot_ms, &format!("{name} tpot"));
        agrees_all(ours.itl_ms, step.itl_ms, &format!("{name} itl"));
        if step.e2e_ms.mean.is_some() {
            agrees_all(ours.e2e_ms, step.e2e_ms, &format!("{name} e2e"));
        }
    }
}

#[test]
fn the_legacy_benchmark_serving_script() {
    let step = serving("benchmark_serving_legacy.json");
    assert_eq!(step.tool, Tool::VllmBenchmarkServing);
    assert_eq!(
        (step.concurrency, step.completed, step.failed),
        (Some(8), Some(24), None)
    );
    same(Some(step.output_tps), 908.8036349524309);
    same(step.tpot_ms.mean, 8.32118263253286);
    assert_eq!(step.goodput_rps, None, "\"request_goodput:\" is null");
    let ours = step_figures(
        &step.requests,
        step.duration_s.expect("duration"),
        Targets::default(),
    );
    agrees_all(ours.ttft_ms, step.ttft_ms, "legacy ttft");
    agrees_all(ours.itl_ms, step.itl_ms, "legacy itl");
}

#[test]
fn genai_perf_and_aiperf_profile_exports() {
    let genai = serving("genai_perf_profile_export.json");
    assert_eq!(genai.tool, Tool::GenaiPerf);
    assert_eq!(
        (genai.model.as_str(), genai.concurrency),
        ("Qwen/Qwen2.5-7B-Instruct", Some(8))
    );
    assert_eq!(genai.completed, Some(200));
    same(Some(genai.request_tps), 7.040657368402235);
    same(Some(genai.output_tps), 902.4362581949566);
    same(genai.ttft_ms.p99, 52.78195116999999);
    // genai-perf's inter_token_latency is a per-request TPOT.
    same(genai.tpot_ms.mean, 8.5412819);
    assert_eq!(
        genai.itl_ms,
        Reported::default(),
        "genai-perf pools no gaps"
    );

    let aiperf = serving("aiperf_profile_export.json");
    assert_eq!(aiperf.tool, Tool::AiPerf);
    assert_eq!(
        (aiperf.model.as_str(), aiperf.concurrency),
        ("Qwen/Qwen2.5-7B-Instruct", Some(8))
    );
    same(Some(aiperf.request_tps), 7.026275675731791);
    same(Some(aiperf.output_tps), 900.9441985207089);
    same(aiperf.ttft_ms.p99, 55.61945876999998);
    same(aiperf.tpot_ms.mean, 8.541701398803086);
    same(aiperf.itl_ms.p50, 8.216085999999999);
    same(aiperf.duration_s, 28.464581982000002);
}

#[test]
fn llama_bench_json_and_jsonl() {
    let Ok(Imported::LlamaBench(tests)) = read(&fixture("llama_bench.json")) else {
        panic!("llama_bench.json");
    };
    let names: Vec<String> = tests.iter().map(|t| t.name()).collect();
    assert_eq!(names, ["pp512", "tg128", "pp512 @ d4096", "tg128 @ d4096"]);
    assert_eq!(tests[0].kind(), BenchKind::Prefill);
    assert_eq!(tests[1].kind(), BenchKind::Decode);
    assert_eq!(tests[1].model, "qwen2 7B Q4_K - Medium");
    assert_eq!(tests[1].device, "NVIDIA GeForce RTX 4090");
    same(Some(tests[0].avg_ts), 12504.535618);
    same(Some(tests[3].avg_ts), 138.360223);
    same(tests[3].stddev_ts, 0.349845);
    assert_eq!(
        read(&fixture("llama_bench.jsonl")),
        Ok(Imported::LlamaBench(tests))
    );
}

#[test]
fn foreign_or_broken_files_are_refused_with_what_was_expected() {
    let message = |text: &str| read(text).map(|_| ()).unwrap_err().to_string();
    assert_eq!(
        message("{\"model\": \"x\"}"),
        "not a result file this page reads: expected the JSON of vllm bench serve \
         --save-result, genai-perf's or AIPerf's profile export, or llama-bench -o json or \
         -o jsonl"
    );
    assert_eq!(message("[]"), message("{\"model\": \"x\"}"));
    assert_eq!(
        message("ttft,itl\n1,2"),
        "not a JSON result file: expected a value at byte 0"
    );
    assert_eq!(
        read("{\"duration\": 1, \"output_throughput\": 5, \"failed\": 0}"),
        Err(ImportError::Missing {
            tool: Tool::VllmBenchServe,
            field: "request_throughput"
        })
    );
    assert_eq!(
        message("[{\"n_prompt\": 512, \"avg_ts\": 1.5}]"),
        "a llama-bench result without n_gen"
    );
}

// A sweep's files in any order come out by requests in flight. Handed to the scenario: the
// widest step's output (1,586.88 tok/s at 16), and the one-stream step's decode speed,
// 1000 / 7.052755740155911 ms = 141.789 tok/s, and median first token, 22.234 ms.
#[test]
fn a_sweep_of_files_is_one_run_and_hands_over_its_figures() {
    let files: Vec<String> = [
        "vllm_bench_serve_c16.json",
        "vllm_bench_serve_c1.json",
        "vllm_bench_serve_c4.json",
    ]
    .map(fixture)
    .to_vec();
    let texts: Vec<&str> = files.iter().map(String::as_str).collect();
    let run = read_all(&texts).expect("three vLLM files");
    let Imported::Serving(steps) = &run else {
        panic!("{run:?}");
    };
    let order: Vec<Option<u32>> = steps.iter().map(|s| s.concurrency).collect();
    assert_eq!(order, [Some(1), Some(4), Some(16)]);
    let adopted = Adopted::from_import(&run);
    same(adopted.decode_tps, 1000.0 / 7.052755740155911);
    same(adopted.local_ttft_ms, 22.233855997910723);
    // The measured curve: each file's output_throughput at its max_concurrency.
    let curve: Vec<(u32, f64)> = adopted
        .aggregate
        .iter()
        .map(|p| (p.concurrency, p.tps))
        .collect();
    assert_eq!(
        curve,
        [
            (1, 139.25875109760233),
            (4, 501.64255706130825),
            (16, 1586.8755266762653)
        ]
    );
    assert_eq!((adopted.prefill_tps, adopted.cloud_ttft_ms), (None, None));

    let bench = fixture("llama_bench.json");
    let adopted = Adopted::from_import(&read_all(&[&bench]).expect("llama-bench"));
    same(adopted.decode_tps, 150.989133);
    same(adopted.prefill_tps, 12504.535618);
    assert_eq!(adopted.aggregate, []);

    assert_eq!(read_all(&[&bench, texts[0]]), Err(ImportError::Mixed));
    assert_eq!(
        ImportError::Mixed.to_string(),
        "these files mix a serving benchmark with llama-bench tests: import one kind at a time"
    );
}

proptest! {
    #[test]
    fn reading_never_panics(text in any::<String>()) {
        let _ = read(&text);
    }

    #[test]
    fn a_fixture_cut_anywhere_never_panics(at in 0usize..6000, which in 0usize..4) {
        let name = ["vllm_bench_serve_c16.json", "genai_perf_profile_export.json",
            "aiperf_profile_export.json", "llama_bench.jsonl"][which];
        let text = fixture(name);
        let cut = text.char_indices().map(|(i, _)| i).take_while(|&i| i <= at).last().unwrap_or(0);
        let _ = read(&text[..cut]);
    }
}
