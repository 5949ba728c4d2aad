//! Exports of the default scenario, worked out by hand: the Markdown report's sections and
//! figures, the CSV of the volume sweep and the JSON of scenario and report.

use crossover_core::catalog::{CLOUD_MODELS, HARDWARE, LOCAL_MODELS};
use crossover_core::codec::link;
use crossover_core::engine::serving::{Engine, KvQuant};
use crossover_core::scenario::{AggregatePoint, Mode, Quant};
use crossover_core::view::export::{json, markdown, sweep_csv, SWEEP_CSV_HEADER};
use crossover_core::view::working::working;
use crossover_core::{evaluate, Scenario};
use proptest::prelude::*;
use proptest::sample::select;

const LINK: &str = "https://example.test/crossover/?v=1";

/// Asserts that `text` contains every one of `expected`, in that order.
fn check(text: &str, expected: &[&str]) {
    let mut from = 0;
    for want in expected {
        match text[from..].find(want) {
            Some(at) => from += at + want.len(),
            None => panic!("{want:?} not found (in order) in:\n{text}"),
        }
    }
}

fn default_markdown() -> String {
    let s = Scenario::default();
    markdown(&s, &evaluate(&s), LINK)
}

#[test]
fn markdown_has_every_section_in_order() {
    check(
        &default_markdown(),
        &[
            "# Crossover comparison report",
            "<https://example.test/crossover/?v=1>",
            "A month is 30 days",
            "## Scenario",
            "## Costs",
            "## Capacity and memory",
            "## Break-even",
            "## Total cost of ownership over 3 years",
            "## Decision",
            "## Hybrid",
            "## Sensitivity",
            "## Warnings",
        ],
    );
}

// gpt-4o-mini at $0.15 / $0.60 per 1M, catalog dated 2026-11-22; RTX 4090 $1,600, 450 W,
// 3 years, $0.12/kWh, catalog dated 2026-03-10.
#[test]
fn markdown_scenario() {
    check(
        &default_markdown(),
        &[
            "| Workload | 5,000 requests/day, 800 input + 400 output tokens per request, over 8 \
             active hours/day",
            "GPT-4o mini (OpenAI, `gpt-4o-mini`): $0.15 input, $0.60 output, $0.075 cached \
             input per 1M tokens; catalog prices as of 2026-11-22",
            "owned: $1,600.00 per unit, 450 W, 3-year life, electricity $0.12/kWh; prices as \
             of 2026-03-10",
            "Llama 3.1 8B (`llama3.1:8b`) at q4_k_m, KV cache f16, 4,096-token context",
        ],
    );
}

// Cloud: 54, 12 × 54 = 648, 54 / 150,000 × 1,000 = 0.36. Owned: 1600 / 36 + 12.96 = 57.40,
// 688.85 a year, 0.3827 per 1k. Rented: 0.34 × 8 × 30 = 81.60, 979.20, 0.544.
#[test]
fn markdown_costs() {
    check(
        &default_markdown(),
        &[
            "| Cloud (GPT-4o mini) | $54.00/month | $648.00/year | $0.36 |",
            "| Local, owned (1 × NVIDIA GeForce RTX 4090), this scenario | $57.40/month | \
             $688.85/year | $0.38 |",
            "| Local, rented (1 × NVIDIA GeForce RTX 4090) | $81.60/month | $979.20/year | \
             $0.54 |",
            "depreciation $44.44/month, power $12.96/month",
            "upfront $1,600.00",
        ],
    );
}

// Average concurrency 5000 / 28,800 × 3.128 s = 0.54 of one stream; memory 4.87 + 0.54 + 1.
#[test]
fn markdown_capacity_and_memory() {
    check(
        &default_markdown(),
        &[
            "- Units: 1 (1 replica of 1 unit each, 1 stream per replica), bound by the average \
             load",
            "- Utilization: 56%",
            "decode 128.9 tok/s (estimated), prefill 7,732.6 tok/s (estimated)",
            "6.41 GB (weights 4.87 GB + KV cache 0.54 GB + overhead 1.00 GB) against 25.77 GB per \
             unit: fits one unit",
            "| NVIDIA GeForce RTX 4090 | 24 GB | 1 | f16 |",
        ],
    );
}

// Payback 1600 / (54 - 12.96) = 38.99 months; break-even 57.4044 / 0.0108 = 5,315.2
// requests/day = 5315.2 × 1200 × 30 = 191,348,148 tokens/month; 38.986 × 150,000 = 5,847,953
// requests; savings 54 - 57.40 = -3.40.
#[test]
fn markdown_break_even() {
    check(
        &default_markdown(),
        &[
            "- Payback: 39.0 months ($1,600.00 upfront against cloud $54.00/month and local cash \
             cost $12.96/month)",
            "- Break-even volume: 5,315 requests/day (191,348,148 tokens/month)",
            "- Requests until payback: 5,847,953",
            "- Monthly savings with local at this volume: -$3.40/month",
        ],
    );
}

// Cloud 36 × 54 = 1,944; local 1,600 + 36 × 12.96 = 2,066.56; savings -122.56 = -6.3%.
#[test]
fn markdown_tco() {
    check(
        &default_markdown(),
        &[
            "| Cloud | $1,944.00 |",
            "| Local | $2,066.56 (hardware $1,600.00, running $466.56) |",
            "| Savings with local | -$122.56 (-6.3% of cloud) |",
        ],
    );
}

// Local 8+9+7+10+5+6 = 45, cloud 8+6+10+5+10+9 = 48.
#[test]
fn markdown_decision_and_guide() {
    check(
        &default_markdown(),
        &[
            "| cost | 1 | 8 | 8 |",
            "| simplicity | 1 | 6 | 9 |",
            "| **weighted total** | | **45** | **48** | |",
            "Recommendation: **cloud**, by a margin of 3.0 points",
            "Rule-based guide: **cloud**",
            "- the API bill of $54.00/month is at most $500",
        ],
    );
}

// Ladder: 25% local costs 57.40 + 0.75 × 54 = 97.90; all-cloud is cheapest at 54.
#[test]
fn markdown_hybrid() {
    check(
        &default_markdown(),
        &[
            "| 0% | 0% | 0 | $0.00/month | $54.00/month | $54.00/month (cheapest) |",
            "| 25% | 0% | 1 | $57.40/month | $40.50/month | $97.90/month |",
            "| 100% | 0% | 1 | $57.40/month | $0.00/month | $57.40/month |",
        ],
    );
}

// Requests/day ±25%: 3,750 → 6,250; savings 40.50 - 57.40 = -16.90 and 67.50 - 57.40 = 10.10.
#[test]
fn markdown_sensitivity_has_the_top_five() {
    let md = default_markdown();
    check(
        &md,
        &["| requests per day (`rpd`) | 3,750 requests/day → 6,250 requests/day | -$16.90/month | \
           $10.10/month |"],
    );
    let section = &md[md.find("## Sensitivity").unwrap()..md.find("## Warnings").unwrap()];
    let rows = section.lines().filter(|l| l.starts_with("| ")).count();
    assert_eq!(rows, 1 + 5, "{section}");
    check(
        section,
        &["| hardware price per unit (`price`) | $1,200.00 → $2,000.00 |"],
    );
}

// Payback 39.0 months is past the 36-month life.
#[test]
fn markdown_warnings() {
    check(
        &default_markdown(),
        &[
            "## Warnings",
            "- payback takes 39.0 months, longer than the hardware's 36-month life",
        ],
    );
}

// A known bill of $1,200 replaces the token estimate; rented, cash cost 81.60 pays back at once.
#[test]
fn markdown_known_bill_rented() {
    let s = Scenario {
        cloud_bill: Some(1200.0),
        mode: Some(Mode::Rent),
        ..Scenario::default()
    };
    check(
        &markdown(&s, &evaluate(&s), LINK),
        &[
            "| Known cloud bill | $1,200.00/month",
            "rented at $0.34/hour per unit",
            "| Cloud (known bill) | $1,200.00/month | $14,400.00/year | $8.00 |",
            "| Local, rented (1 × NVIDIA GeForce RTX 4090), this scenario | $81.60/month",
            "rent $81.60/month",
            "nothing upfront",
            "- Payback: 0.0 months",
        ],
    );
}

// 100 requests/day: cloud $1.08 against $12.96 of power: never.
#[test]
fn markdown_never_pays_back() {
    let s = Scenario {
        requests_per_day: 100.0,
        ..Scenario::default()
    };
    check(
        &markdown(&s, &evaluate(&s), ""),
        &[
            "- Payback: never: cloud costs no more than running local",
            "- Requests until payback: never",
        ],
    );
}

// 60 points from 20,000 / 60 = 333.33 to 4 × 5,000 = 20,000 requests/day. First: cloud
// 0.0108 × 333.33 = 3.60, one unit at 57.4044. Last: cloud 216; 20,000 / 28,800 × 3.128 s =
// 2.17 streams need 3 units: 3 × 57.4044 = 172.2133.
#[test]
fn csv_of_the_sweep() {
    let report = evaluate(&Scenario::default());
    let csv = sweep_csv(&report);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 61);
    assert_eq!(lines[0], SWEEP_CSV_HEADER);
    assert_eq!(
        lines[0],
        "requests_per_day,cloud_usd_per_month,local_usd_per_month,local_units"
    );
    assert_eq!(lines[1], "333.3333,3.6,57.4044,1");
    assert_eq!(lines[60], "20000,216,172.2133,3");
    for (line, point) in lines[1..].iter().zip(&report.sweep) {
        let fields: Vec<f64> = line
            .split(',')
            .map(|f| f.parse().expect("a plain number"))
            .collect();
        assert_eq!(fields.len(), 4, "{line}");
        assert!((fields[0] - point.rpd).abs() < 1e-4, "{line}");
        assert!((fields[1] - point.cloud_usd).abs() < 1e-4, "{line}");
        assert!((fields[2] - point.local_usd).abs() < 1e-4, "{line}");
        assert_eq!(fields[3], f64::from(point.units), "{line}");
    }
}

#[test]
fn json_of_scenario_and_report() {
    let s = Scenario::default();
    let text = json(&s, &evaluate(&s), LINK);
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(value["link"], LINK);
    assert_eq!(value["scenario"]["requests_per_day"], 5000.0);
    assert_eq!(value["scenario"]["cloud_model"], "gpt-4o-mini");
    assert_eq!(value["report"]["cloud"]["monthly_usd"], 54.0);
    assert_eq!(value["report"]["local"]["units"], 1);
    assert_eq!(value["report"]["decision"]["recommendation"], "cloud");
    assert_eq!(value["report"]["sweep"].as_array().map(Vec::len), Some(60));
    assert_eq!(value.as_object().map(|o| o.len()), Some(3));
}

#[test]
fn exports_carry_no_secret() {
    let s = Scenario::default();
    let report = evaluate(&s);
    for text in [
        markdown(&s, &report, LINK),
        sweep_csv(&report),
        json(&s, &report, LINK),
    ] {
        let lower = text.to_lowercase();
        for word in [
            "api_key",
            "apikey",
            "secret",
            "authorization",
            "bearer",
            "sk-",
        ] {
            assert!(!lower.contains(word), "{word}");
        }
    }
}

prop_compose! {
    fn scenario()(rpd in 0.01f64..1e8, input in 0.0f64..50_000.0, output in 1.0f64..10_000.0,
        hours in 0.1f64..=24.0, growth in -50.0f64..=100.0, years in 1u32..=20,
        bill in prop::option::of(0.0f64..1e7), cm in select(CLOUD_MODELS),
        hw in select(HARDWARE), lm in select(LOCAL_MODELS), quant in select(&Quant::ALL[..]),
        mode in prop::option::of(prop_oneof![Just(Mode::Own), Just(Mode::Rent)]),
        units in prop::option::of(1u32..50), slots in 1u32..16, peak in 1u32..500,
        tps in prop::option::of(0.1f64..5000.0), cin in prop::option::of(0.0f64..100.0),
        cache in 0.0f64..=100.0, maint in 0.0f64..1e5, engine in select(&Engine::ALL[..]),
        kv in select(&KvQuant::ALL[..]), slo_ttft in prop::option::of(1.0f64..1e5),
        slo_tpot in prop::option::of(1.0f64..1e3),
        agg in prop::option::of((1.0f64..1e5, 1u32..512)))
        -> Scenario {
        Scenario {
            requests_per_day: rpd,
            input_tokens: input,
            output_tokens: output,
            active_hours: hours,
            growth_pct: growth,
            horizon_years: years,
            cloud_bill: bill,
            cloud_model: cm.id.into(),
            hardware: hw.id.into(),
            local_model: lm.id.into(),
            quant,
            mode,
            fixed_units: units,
            slots: Some(slots),
            peak_concurrency: peak,
            decode_tps: tps,
            cloud_input_price: cin,
            cached_pct: cache,
            maintenance: maint,
            engine,
            kv_quant: kv,
            slo_ttft_ms: slo_ttft,
            slo_tpot_ms: slo_tpot,
            measured_aggregate: agg
                .map(|(tps, concurrency)| AggregatePoint { tps, concurrency })
                .into_iter()
                .collect(),
            ..Scenario::default()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    // Whatever the scenario, every export and every working is written without a panic, the
    // CSV has a row per sweep point and the JSON parses.
    #[test]
    fn any_scenario_exports(s in scenario()) {
        let report = evaluate(&s);
        let md = markdown(&s, &report, LINK);
        prop_assert!(md.contains("A month is 30 days"));
        prop_assert_eq!(sweep_csv(&report).lines().count(), report.sweep.len() + 1);
        prop_assert!(serde_json::from_str::<serde_json::Value>(&json(&s, &report, LINK)).is_ok());
        let all = working(&report, &s);
        prop_assert_eq!(all.len(), 10);
        for w in all {
            prop_assert!(!w.result.is_empty() && !w.substituted.is_empty(), "{:?}", w);
        }
    }
}

// A measured 120 output tok/s at 4 requests in flight with 4 slots and prefill at 1,000 tok/s:
// the curve passes through the point, 4 × 400 / (4 × 0.8 s + 400 × step) = 120 tok/s, so a
// step is (13.333 − 3.2) / 400 = 25.33 ms and a stream's time per token (13.333 − 0.8) / 400 =
// 31.33 ms.
#[test]
fn markdown_serving_with_a_measured_point() {
    let s = link::decode("v=1&slots=4&ptps=1000&agg=120@4").scenario;
    check(
        &markdown(&s, &evaluate(&s), LINK),
        &[
            "| Measured throughput | 120 output tok/s at 4 requests in flight (`agg`)",
            "- Serving: 4 streams per replica on Ollama / llama.cpp server, set by the engine's \
             parallel slots; 120.0 output tok/s per replica with every stream busy, 31.33 ms per \
             output token; p95 time to first token ",
        ],
    );
}

// NVIDIA publishes no H200 list price: the catalog's $32,000 is a typical quote and the report
// says so; a price the user typed is theirs and gets no such note.
#[test]
fn markdown_says_a_price_is_a_quote() {
    let report = |link: &str| {
        let s = link::decode(link).scenario;
        markdown(&s, &evaluate(&s), LINK)
    };
    check(
        &report("v=1&hw=h200"),
        &["owned: $32,000.00 per unit (a typical quote: no list price is published), "],
    );
    assert!(!report("v=1&hw=h200&price=30000").contains("typical quote"));
}
