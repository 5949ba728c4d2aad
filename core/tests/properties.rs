//! Properties that hold for every scenario: links round-trip, decoding never panics, costs grow
//! with volume, units cover memory, and the break-even volume is the smallest that breaks even.

use crossover_core::catalog::{CLOUD_MODELS, HARDWARE, LOCAL_MODELS};
use crossover_core::codec::link::{decode, encode};
use crossover_core::engine::break_even;
use crossover_core::engine::inputs::Inputs;
use crossover_core::engine::plan::Plan;
use crossover_core::evaluate;
use crossover_core::scenario::{
    AggregatePoint, Criterion, Engine, Flag, KvQuant, Mode, Quant, Scenario, Upgrade,
};
use crossover_core::view::format::number;
use crossover_core::view::table::{headline, HEADLINE_IDS};
use crossover_core::view::working::{working, NEVER};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

fn opt(range: std::ops::RangeInclusive<f64>) -> impl Strategy<Value = Option<f64>> {
    prop::option::of(range)
}

prop_compose! {
    fn workload()(rpd in 0.1f64..2e6, input in 0.0f64..20_000.0, output in 1.0f64..8_000.0,
        peak in 1u32..200, hours in 0.5f64..=24.0, growth in -20.0f64..20.0, years in 1u32..=10)
        -> (f64, f64, f64, u32, f64, f64, u32) {
        (rpd, input, output, peak, hours, growth, years)
    }
}

prop_compose! {
    fn cloud()(bill in opt(0.0..=1e6), model in select(CLOUD_MODELS), cin in opt(0.0..=100.0),
        cout in opt(0.0..=200.0), ccache in opt(0.0..=50.0), cache in 0.0f64..=100.0)
        -> (Option<f64>, String, Option<f64>, Option<f64>, Option<f64>, f64) {
        (bill, model.id.to_string(), cin, cout, ccache, cache)
    }
}

prop_compose! {
    fn local()(hw in select(HARDWARE), mode in prop::option::of(select(vec![Mode::Own, Mode::Rent])),
        price in opt(0.0..=1e5), watts in opt(0.0..=2000.0), kwh in 0.0f64..=1.0,
        life in opt(0.5..=10.0), maint in 0.0f64..=5000.0, ops in 0.0f64..=50_000.0,
        rent in opt(0.0..=20.0), units in prop::option::of(1u32..64),
        upgrades in prop::collection::vec((0.0f64..1e5, 1u32..=10), 0..3))
        -> (String, Option<Mode>, Option<f64>, Option<f64>, f64, Option<f64>, f64, f64, Option<f64>, Option<u32>, Vec<Upgrade>) {
        let upgrades = upgrades.into_iter().map(|(amount_usd, year)| Upgrade { amount_usd, year }).collect();
        (hw.id.to_string(), mode, price, watts, kwh, life, maint, ops, rent, units, upgrades)
    }
}

prop_compose! {
    fn model()(lm in select(LOCAL_MODELS), quant in select(Quant::ALL.to_vec()), ctx in 512u32..=131_072,
        slots in prop::option::of(1u32..=16), tps in opt(1.0..=500.0), ptps in opt(10.0..=20_000.0),
        lttft in opt(1.0..=60_000.0), cttft in opt(1.0..=60_000.0))
        -> (String, Quant, u32, Option<u32>, Option<f64>, Option<f64>, (Option<f64>, Option<f64>)) {
        (lm.id.to_string(), quant, ctx, slots, tps, ptps, (lttft, cttft))
    }
}

prop_compose! {
    fn decision()(priorities in subsequence(Criterion::ALL.to_vec(), 0..=6),
        weighted in subsequence(Criterion::ALL.to_vec(), 0..=6), weight in 0.0f64..=10.0,
        flags in subsequence(Flag::ALL.to_vec(), 0..=4), derive in any::<bool>(),
        hyb in 0.0f64..=100.0, esc in 0.0f64..=100.0, sens in 0.0f64..=100.0)
        -> (Vec<Criterion>, Vec<(Criterion, f64)>, Vec<Flag>, bool, f64, f64, f64) {
        let weights = weighted.into_iter().map(|c| (c, weight)).collect();
        (priorities, weights, flags, derive, hyb, esc, sens)
    }
}

prop_compose! {
    fn serving()(engine in select(Engine::ALL.to_vec()), kv in select(KvQuant::ALL.to_vec()),
        ttft in opt(50.0..=60_000.0), tpot in opt(2.0..=500.0),
        agg in prop::collection::btree_map(1u32..=256, 1.0f64..=20_000.0, 0..=4))
        -> (Engine, KvQuant, Option<f64>, Option<f64>, Vec<AggregatePoint>) {
        let curve = agg.into_iter().map(|(concurrency, tps)| AggregatePoint { tps, concurrency });
        (engine, kv, ttft, tpot, curve.collect())
    }
}

prop_compose! {
    fn scenario()(w in workload(), c in cloud(), l in local(), m in model(), d in decision(),
        e in serving()) -> Scenario {
        Scenario {
            engine: e.0, kv_quant: e.1, slo_ttft_ms: e.2, slo_tpot_ms: e.3, measured_aggregate: e.4,
            requests_per_day: w.0, input_tokens: w.1, output_tokens: w.2, peak_concurrency: w.3,
            active_hours: w.4, growth_pct: w.5, horizon_years: w.6,
            cloud_bill: c.0, cloud_model: c.1, cloud_input_price: c.2, cloud_output_price: c.3,
            cloud_cached_price: c.4, cached_pct: c.5,
            hardware: l.0, mode: l.1, unit_price: l.2, unit_watts: l.3, kwh_price: l.4,
            life_years: l.5, maintenance: l.6, operations: l.7, rent_per_hour: l.8,
            fixed_units: l.9, upgrades: l.10,
            local_model: m.0, quant: m.1, context_tokens: m.2, slots: m.3, decode_tps: m.4,
            prefill_tps: m.5, local_ttft_ms: m.6.0, cloud_ttft_ms: m.6.1,
            priorities: d.0, weights: d.1, flags: d.2, derive_cost_score: d.3,
            hybrid_local_pct: d.4, escalation_pct: d.5, sensitive_pct: d.6,
        }
    }
}

/// Link-shaped noise: real keys with arbitrary values, arbitrary keys, stray separators.
fn link_noise() -> impl Strategy<Value = String> {
    let keys = select(vec![
        "v", "rpd", "in", "out", "hw", "cm", "lm", "q", "upg", "w", "prio", "units", "bill", "x",
    ]);
    prop::collection::vec((keys, "[^&]{0,12}"), 0..12).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn links_round_trip(s in scenario()) {
        let link = encode(&s);
        let decoded = decode(&link);
        prop_assert!(decoded.notes.is_empty(), "{link}: {:?}", decoded.notes);
        prop_assert_eq!(decoded.scenario, s);
    }

    #[test]
    fn decoding_any_string_never_panics(text in any::<String>(), noise in link_noise()) {
        let _ = decode(&text);
        let decoded = decode(&noise);
        // Whatever was read is itself a valid scenario that round-trips.
        prop_assert_eq!(decode(&encode(&decoded.scenario)).scenario, decoded.scenario);
    }

    #[test]
    fn evaluate_gives_finite_headline_figures(s in scenario()) {
        let r = evaluate(&s);
        for (name, v) in [("cloud", r.cloud.monthly_usd), ("local", r.local.monthly_usd),
            ("tco cloud", r.tco.cloud_usd), ("tco local", r.tco.local_usd),
            ("local score", r.decision.local_score)] {
            prop_assert!(v.is_finite() && v >= 0.0, "{name} = {v} for {}", encode(&s));
        }
    }

    // "Show the math" reads its results from the report: each working's result is the figure
    // the page shows for it, in the working's own words around it, and the memory and serving
    // workings end in the report's own numbers.
    #[test]
    fn every_working_ends_in_the_figure_the_page_shows(s in scenario()) {
        let r = evaluate(&s);
        let all = working(&r, &s);
        let of = |id: &str| all.iter().find(|w| w.figure == id).map(|w| w.result.clone());
        for id in HEADLINE_IDS {
            let shown = headline(&r, id).expect("a headline id").value;
            let result = of(id);
            prop_assert!(result.is_some(), "no working for {id}");
            let result = result.expect("checked");
            let agrees = match id {
                "cloud-monthly" | "local-monthly" => result == format!("{shown}/month"),
                "local-units" => result.starts_with(&format!("{shown} unit")),
                "payback-months" => result == shown || (shown == "never" && result == NEVER),
                "breakeven-rpd" => result == shown || (shown == "none" && result.starts_with("none")),
                "tco-savings" => result.starts_with(&format!("{shown} over ")),
                "recommendation" => result.starts_with(&format!("{shown}, by "))
                    || result.starts_with(&format!("{shown}: a tie")),
                _ => result == shown,
            };
            prop_assert!(agrees, "{id}: working says {result:?}, the page shows {shown:?} for {}",
                encode(&s));
        }
        let memory = of("memory").expect("a memory working");
        let total = format!("{} GB of ", number(r.memory.total_gb, 2));
        prop_assert!(memory.starts_with(&total), "memory: {memory:?}, report {total:?}");
        let serving = of("serving").expect("a serving working");
        let rate = format!(" at {} tok/s, ", number(r.capacity.aggregate_tps, 1));
        prop_assert!(serving.contains(&rate), "serving: {serving:?}, report {rate:?}");
    }

    #[test]
    fn costs_never_fall_as_volume_grows(s in scenario(), a in 0.1f64..1e6, b in 0.1f64..1e6) {
        let plan = Plan::new(Inputs::resolve(&s).0);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(plan.cloud_monthly(lo) <= plan.cloud_monthly(hi) * (1.0 + 1e-12) + 1e-12);
        prop_assert!(plan.local_monthly(lo) <= plan.local_monthly(hi) * (1.0 + 1e-12) + 1e-12);
        prop_assert!(plan.capacity(lo).units <= plan.capacity(hi).units);
    }

    #[test]
    fn the_sizing_alone_gives_the_capacitys_units(s in scenario(), rpd in 0.1f64..1e7, share in 0.0f64..=1.0) {
        let plan = Plan::new(Inputs::resolve(&s).0);
        prop_assert_eq!(plan.units(rpd), plan.capacity(rpd).units);
        prop_assert_eq!(plan.load.units(rpd, share), plan.load.capacity(rpd, share).units);
    }

    #[test]
    fn units_cover_the_memory_a_replica_needs(s in scenario()) {
        let plan = Plan::new(Inputs::resolve(&s).0);
        let c = plan.capacity(plan.inputs.rpd);
        let m = &plan.memory;
        let per_replica = m.units_per_replica;
        let usable = m.unit_memory_gb * m.usable_share;
        match plan.inputs.engine {
            Engine::Llamacpp => {
                // Sized for the configured slots, of which a TPOT target may run fewer.
                let configured = plan.inputs.slots.unwrap_or(Engine::Llamacpp.default_streams());
                let total = m.weights_gb + m.kv_gb_per_stream * f64::from(configured) + m.overhead_gb;
                prop_assert_eq!(per_replica, ((total / usable).ceil() as u32).max(1));
                prop_assert!(f64::from(per_replica) * usable >= m.total_gb * (1.0 - 1e-12));
            }
            // vLLM: the weights and at least one request fit, and the streams' cache fits.
            Engine::Vllm => {
                prop_assert!(m.weights_gb + m.overhead_gb + m.kv_gb_per_stream <= f64::from(per_replica) * usable * (1.0 + 1e-12)
                    || per_replica == ((m.weights_gb + m.overhead_gb + m.kv_gb_per_stream) / usable).ceil() as u32);
                if plan.load.streams_limit != crossover_core::engine::capacity::StreamsLimit::Engine || m.max_streams >= plan.load.streams {
                    prop_assert!(plan.load.streams <= m.max_streams.max(1));
                }
            }
        }
        if plan.inputs.fixed_units.is_none() {
            prop_assert!(c.units >= per_replica);
            prop_assert_eq!(c.units % per_replica, 0);
            prop_assert!(f64::from(c.replicas * c.slots_per_replica) >= c.avg_concurrency);
            prop_assert!(c.replicas * c.slots_per_replica >= plan.inputs.peak);
        }
    }

    #[test]
    fn break_even_volume_is_the_smallest_that_breaks_even(s in scenario()) {
        let plan = Plan::new(Inputs::resolve(&s).0);
        let gap = |r: f64| plan.local_monthly(r) - plan.cloud_monthly(r);
        match break_even::break_even_volume(&plan) {
            Some(v) => {
                prop_assert!(gap(v) <= 1e-9 * plan.cloud_monthly(v).max(1.0), "at {v}: {}", gap(v));
                for k in 1..=50 {
                    let r = v * f64::from(k) / 51.0;
                    prop_assert!(gap(r) > 0.0, "{r} below {v} already breaks even");
                }
            }
            None => {
                for k in 0..=60 {
                    let r = 10f64.powf(f64::from(k) / 6.0 - 1.0);
                    prop_assert!(gap(r) > -1e-9 * plan.cloud_monthly(r).max(1.0), "{r} breaks even");
                }
            }
        }
    }

    #[test]
    fn batching_respects_physics(s in scenario()) {
        let plan = Plan::new(Inputs::resolve(&s).0);
        let curve = plan.load.curve;
        let cap = plan.memory.max_streams.clamp(1, 512);
        let unit = curve.serving;
        let parallel = match unit.engine { Engine::Vllm => f64::from(unit.units), Engine::Llamacpp => 1.0 };
        let mut last_aggregate = 0.0;
        let mut last_per_stream = f64::INFINITY;
        for b in 1..=cap {
            let aggregate = curve.aggregate_tps(b);
            let per_stream = curve.per_stream_tps(b);
            prop_assert!(aggregate >= last_aggregate * (1.0 - 1e-12), "aggregate fell at {b}");
            prop_assert!(per_stream <= last_per_stream * (1.0 + 1e-12), "per-stream rose at {b}");
            if plan.inputs.measured_decode_tps.is_none() && plan.inputs.measured_aggregate.is_empty() {
                // Never beyond either roofline: peak FLOPS over 2 FLOPs per active parameter,
                // peak bandwidth over the bytes a step must read.
                let compute_roof = unit.device.fp16_tflops * 1e12 * parallel
                    / (2.0 * unit.shape.active_params_b * 1e9);
                let bytes = unit.weight_bytes_read(f64::from(b))
                    + f64::from(b) * unit.shape.kv_bytes(curve.depth(), unit.kv);
                let memory_roof = f64::from(b) * unit.device.bandwidth_gbps * 1e9 * parallel / bytes;
                let decode_rate = f64::from(b) * per_stream;
                prop_assert!(decode_rate <= compute_roof * (1.0 + 1e-9), "{decode_rate} over compute roof {compute_roof}");
                prop_assert!(decode_rate <= memory_roof * (1.0 + 1e-9), "{decode_rate} over memory roof {memory_roof}");
            }
            last_aggregate = aggregate;
            last_per_stream = per_stream;
        }
    }

    #[test]
    fn a_tighter_tpot_target_never_needs_fewer_units(s in scenario(), a in 2.0f64..500.0, b in 2.0f64..500.0) {
        let (tight, loose) = if a <= b { (a, b) } else { (b, a) };
        let units = |target: f64| {
            let plan = Plan::new(Inputs::resolve(&Scenario { slo_tpot_ms: Some(target), fixed_units: None, ..s.clone() }).0);
            plan.capacity(plan.inputs.rpd).units
        };
        prop_assert!(units(tight) >= units(loose));
    }

    #[test]
    fn more_kv_quantization_never_needs_more_memory(s in scenario()) {
        let memory = |kv: KvQuant| Plan::new(Inputs::resolve(&Scenario { kv_quant: kv, slo_tpot_ms: None, ..s.clone() }).0).memory;
        let [f16, q8, q4] = KvQuant::ALL.map(memory);
        prop_assert!(q8.kv_gb_per_stream <= f16.kv_gb_per_stream && q4.kv_gb_per_stream <= q8.kv_gb_per_stream);
        // The fewest units that hold a replica (vLLM may spread one wider for throughput).
        prop_assert!(q8.units_to_hold <= f16.units_to_hold && q4.units_to_hold <= q8.units_to_hold);
    }

    #[test]
    fn moe_decode_reads_only_active_weights(s in scenario()) {
        let plan = Plan::new(Inputs::resolve(&s).0);
        let unit = plan.load.curve.serving;
        if unit.shape.is_moe() {
            let bits = unit.bits;
            let shared = unit.shape.shared_params_b();
            // The active parameters, less the untied input table a token reads one row of.
            let expected = ((shared - unit.shape.lookup_only_b()) * bits.shared
                + (unit.shape.active_params_b - shared) * bits.quantized)
                * 1e9
                / 8.0;
            prop_assert!((unit.weight_bytes_read(1.0) - expected).abs() <= 1e-6 * expected);
            prop_assert!(unit.weight_bytes_read(1.0) < unit.weight_bytes());
        }
    }
}
