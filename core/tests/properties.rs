//! Properties that hold for every scenario: links round-trip, decoding never panics, costs grow
//! with volume, units cover memory, and the break-even volume is the smallest that breaks even.

use crossover_core::catalog::{CLOUD_MODELS, HARDWARE, LOCAL_MODELS};
use crossover_core::inputs::Inputs;
use crossover_core::plan::Plan;
use crossover_core::scenario::query::{decode, encode};
use crossover_core::scenario::{Criterion, Flag, Mode, Quant, Scenario, Upgrade};
use crossover_core::{break_even, evaluate};
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
        slots in 1u32..=16, tps in opt(1.0..=500.0), ptps in opt(10.0..=20_000.0),
        lttft in opt(1.0..=60_000.0), cttft in opt(1.0..=60_000.0))
        -> (String, Quant, u32, u32, Option<f64>, Option<f64>, (Option<f64>, Option<f64>)) {
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
    fn scenario()(w in workload(), c in cloud(), l in local(), m in model(), d in decision()) -> Scenario {
        Scenario {
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

    #[test]
    fn costs_never_fall_as_volume_grows(s in scenario(), a in 0.1f64..1e6, b in 0.1f64..1e6) {
        let plan = Plan::new(Inputs::resolve(&s).0);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(plan.cloud_monthly(lo) <= plan.cloud_monthly(hi) * (1.0 + 1e-12) + 1e-12);
        prop_assert!(plan.local_monthly(lo) <= plan.local_monthly(hi) * (1.0 + 1e-12) + 1e-12);
        prop_assert!(plan.capacity(lo).units <= plan.capacity(hi).units);
    }

    #[test]
    fn units_cover_the_memory_a_replica_needs(s in scenario()) {
        let plan = Plan::new(Inputs::resolve(&s).0);
        let c = plan.capacity(plan.inputs.rpd);
        let per_replica = plan.memory.units_per_replica;
        prop_assert_eq!(per_replica, ((plan.memory.total_gb / plan.memory.unit_memory_gb).ceil() as u32).max(1));
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
}
