//! Sensitivity: how monthly savings and payback move when each input moves ±25% (a tornado).

use crate::codec::link;
use crate::engine::break_even::{payback_simulated, payback_steady, PAYBACK_SEARCH_MONTHS};
use crate::engine::inputs::Inputs;
use crate::engine::plan::Plan;
use crate::engine::serving::{Engine, KvQuant};
use crate::scenario::Mode;
use serde::Serialize;
use std::cmp::Ordering;

/// The relative step applied down and up.
pub const STEP: f64 = 0.25;

/// A setting of an input: a number in the link's units, or a choice by its link value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Level {
    /// An amount or a count.
    Number(f64),
    /// One of the input's choices, as the link writes it.
    Choice(&'static str),
}

impl Level {
    /// The setting as the page shows it: a number with the unit of link key `key`.
    pub fn shown(self, key: &str) -> String {
        match self {
            Level::Number(value) => link::with_unit(value, key),
            Level::Choice(name) => name.to_string(),
        }
    }
}

/// One input moved down and up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Link key of the input.
    pub key: &'static str,
    /// What it is.
    pub label: &'static str,
    /// Its value in the scenario, in the link's units.
    pub base: Level,
    /// `base * 0.75`, rounded for a count, within the link's limits; a choice's first end.
    pub low: Level,
    /// `base * 1.25`, rounded for a count, within the link's limits; a choice's other end.
    pub high: Level,
    /// Monthly savings (cloud - local) with the input at `low`.
    pub savings_low_usd: f64,
    /// Monthly savings with the input at `high`.
    pub savings_high_usd: f64,
    /// Payback months at `low`.
    pub payback_low_months: Option<f64>,
    /// Payback months at `high`.
    pub payback_high_months: Option<f64>,
    /// `|savings_high - savings_low|`, the length of the bar.
    pub swing_usd: f64,
}

/// The tornado table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// Monthly savings of the scenario itself.
    pub base_savings_usd: f64,
    /// Payback of the scenario itself.
    pub base_payback_months: Option<f64>,
    /// Inputs that affect the result, largest swing first.
    pub rows: Vec<Row>,
}

/// An input that can be moved: its link key (whose field names it), when it applies, read
/// and write (in the link's units), the limits the link allows, and whether it takes whole
/// numbers only.
struct Knob {
    key: &'static str,
    applies: fn(&Inputs) -> bool,
    get: fn(&Plan) -> f64,
    set: fn(&mut Inputs, f64),
    min: f64,
    max: f64,
    whole: bool,
}

impl Knob {
    /// An amount, from 0 up.
    const fn amount(
        key: &'static str,
        applies: fn(&Inputs) -> bool,
        get: fn(&Plan) -> f64,
        set: fn(&mut Inputs, f64),
    ) -> Knob {
        Knob {
            key,
            applies,
            get,
            set,
            min: 0.0,
            max: f64::MAX,
            whole: false,
        }
    }

    /// The same input within `min..=max`, the link's limits.
    const fn within(self, min: f64, max: f64) -> Knob {
        Knob { min, max, ..self }
    }

    /// A count: whole numbers within `min..=max`, the link's limits; it always applies.
    const fn count(
        key: &'static str,
        get: fn(&Plan) -> f64,
        set: fn(&mut Inputs, f64),
        min: f64,
        max: f64,
    ) -> Knob {
        Knob {
            whole: true,
            ..Knob::amount(key, always, get, set).within(min, max)
        }
    }
}

/// An input with a few choices, moved to its two ends: each end's link value and how to set
/// it.
struct Switch {
    key: &'static str,
    base: fn(&Inputs) -> &'static str,
    low: (&'static str, fn(&mut Inputs)),
    high: (&'static str, fn(&mut Inputs)),
}

/// The engine (one end each) and the KV-cache type (the smallest and the largest).
const SWITCHES: [Switch; 2] = [
    Switch {
        key: "eng",
        base: |i| i.engine.as_str(),
        low: (Engine::Llamacpp.as_str(), |i| i.engine = Engine::Llamacpp),
        high: (Engine::Vllm.as_str(), |i| i.engine = Engine::Vllm),
    },
    Switch {
        key: "kvq",
        base: |i| i.kv_quant.as_str(),
        low: (KvQuant::Q4_0.as_str(), |i| i.kv_quant = KvQuant::Q4_0),
        high: (KvQuant::F16.as_str(), |i| i.kv_quant = KvQuant::F16),
    },
];

fn always(_: &Inputs) -> bool {
    true
}
fn token_priced(i: &Inputs) -> bool {
    i.bill.is_none()
}
fn billed(i: &Inputs) -> bool {
    i.bill.is_some()
}
fn cached(i: &Inputs) -> bool {
    i.bill.is_none() && i.cache_share > 0.0
}
fn growing(i: &Inputs) -> bool {
    i.growth != 0.0
}
fn ttft_target(i: &Inputs) -> bool {
    i.slo_ttft_ms.is_some()
}
fn tpot_target(i: &Inputs) -> bool {
    i.slo_tpot_ms.is_some()
}
fn aggregate_measured(i: &Inputs) -> bool {
    !i.measured_aggregate.is_empty()
}
fn owned(i: &Inputs) -> bool {
    i.mode == Mode::Own
}
fn rented(i: &Inputs) -> bool {
    i.mode == Mode::Rent
}

const KNOBS: [Knob; 25] = [
    Knob::amount("rpd", always, |p| p.inputs.rpd, |i, v| i.rpd = v),
    Knob::amount(
        "in",
        always,
        |p| p.inputs.input_tokens,
        |i, v| i.input_tokens = v,
    ),
    Knob::amount(
        "out",
        always,
        |p| p.inputs.output_tokens,
        |i, v| i.output_tokens = v,
    ),
    Knob::amount(
        "cin",
        token_priced,
        |p| p.inputs.prices.input,
        |i, v| i.prices.input = v,
    ),
    Knob::amount(
        "cout",
        token_priced,
        |p| p.inputs.prices.output,
        |i, v| i.prices.output = v,
    ),
    Knob::amount(
        "bill",
        billed,
        |p| p.inputs.bill.unwrap_or(0.0),
        |i, v| i.bill = Some(v),
    ),
    Knob::amount("hrs", always, |p| p.inputs.hours, |i, v| i.hours = v).within(0.0, 24.0),
    Knob::amount(
        "price",
        owned,
        |p| p.inputs.unit.price,
        |i, v| i.unit.price = v,
    ),
    Knob::amount(
        "watts",
        owned,
        |p| p.inputs.unit.watts,
        |i, v| i.unit.watts = v,
    ),
    Knob::amount("kwh", owned, |p| p.inputs.kwh, |i, v| i.kwh = v),
    Knob::amount(
        "life",
        owned,
        |p| p.inputs.unit.life_years,
        |i, v| i.unit.life_years = v,
    ),
    Knob::amount(
        "rent",
        rented,
        |p| p.inputs.unit.rent_per_hour,
        |i, v| i.unit.rent_per_hour = v,
    ),
    Knob::amount("maint", always, |p| p.inputs.maint, |i, v| i.maint = v),
    Knob::amount("ops", always, |p| p.inputs.ops, |i, v| i.ops = v),
    Knob::amount(
        "tps",
        always,
        |p| p.speed.decode_tps,
        |i, v| i.measured_decode_tps = Some(v),
    ),
    Knob::amount(
        "ptps",
        always,
        |p| p.speed.prefill_tps,
        |i, v| i.measured_prefill_tps = Some(v),
    ),
    Knob::amount(
        "agg",
        aggregate_measured,
        |p| p.inputs.measured_aggregate.last().map_or(0.0, |a| a.tps),
        // The whole measured curve moves with its widest point.
        |i, v| {
            let widest = i.measured_aggregate.last().map_or(0.0, |a| a.tps);
            if widest > 0.0 {
                for point in &mut i.measured_aggregate {
                    point.tps *= v / widest;
                }
            }
        },
    ),
    Knob::amount(
        "slo_ttft",
        ttft_target,
        |p| p.inputs.slo_ttft_ms.unwrap_or(0.0),
        |i, v| i.slo_ttft_ms = Some(v),
    ),
    Knob::amount(
        "slo_tpot",
        tpot_target,
        |p| p.inputs.slo_tpot_ms.unwrap_or(0.0),
        |i, v| i.slo_tpot_ms = Some(v),
    ),
    Knob::amount(
        "cache",
        token_priced,
        |p| p.inputs.cache_share * 100.0,
        |i, v| i.cache_share = v / 100.0,
    )
    .within(0.0, 100.0),
    Knob::amount(
        "ccache",
        cached,
        |p| p.inputs.prices.cached,
        |i, v| i.prices.cached = v,
    ),
    Knob::count(
        "peak",
        |p| f64::from(p.inputs.peak),
        |i, v| i.peak = v.round() as u32,
        1.0,
        100_000.0,
    ),
    Knob::count(
        "slots",
        |p| f64::from(p.load.streams),
        |i, v| i.slots = Some(v.round() as u32),
        1.0,
        1024.0,
    ),
    Knob::count(
        "ctx",
        |p| f64::from(p.inputs.ctx),
        |i, v| i.ctx = v.round() as u32,
        128.0,
        10_000_000.0,
    ),
    Knob::amount(
        "growth",
        growing,
        |p| p.inputs.growth * 100.0,
        |i, v| i.growth = v / 100.0,
    )
    .within(-50.0, 100.0),
];

/// Monthly savings and payback of `plan`, payback as [`crate::engine::break_even::break_even`] computes it.
fn outcome(plan: &Plan) -> (f64, Option<f64>) {
    let rpd = plan.inputs.rpd;
    let savings = plan.cloud_monthly(rpd) - plan.local_monthly(rpd);
    let payback = if plan.inputs.growth == 0.0 {
        payback_steady(plan)
    } else {
        payback_simulated(plan, PAYBACK_SEARCH_MONTHS)
    };
    (savings, payback)
}

/// Largest effect first: by swing in savings, then by swing in payback.
fn by_effect(a: &Row, b: &Row) -> Ordering {
    b.swing_usd
        .total_cmp(&a.swing_usd)
        .then(payback_swing(b).total_cmp(&payback_swing(a)))
}

/// How far payback moves between `row`'s low and high, months: infinite when one end has
/// a payback and the other has none.
fn payback_swing(row: &Row) -> f64 {
    match (row.payback_low_months, row.payback_high_months) {
        (Some(low), Some(high)) => (high - low).abs(),
        (None, None) => 0.0,
        _ => f64::INFINITY,
    }
}

/// Moves each applicable input of `plan` by ±[`STEP`] (to whole numbers for counts) and sorts
/// by swing in savings, then by swing in payback.
pub fn sensitivity(plan: &Plan) -> Sensitivity {
    let (base_savings_usd, base_payback_months) = outcome(plan);
    let row = |key: &'static str, base, (low, low_outcome), (high, high_outcome)| {
        let (savings_low_usd, payback_low_months) = low_outcome;
        let (savings_high_usd, payback_high_months) = high_outcome;
        let row = Row {
            key,
            label: link::field(key).map_or(key, |f| f.label),
            base,
            low,
            high,
            savings_low_usd,
            savings_high_usd,
            payback_low_months,
            payback_high_months,
            swing_usd: (savings_high_usd - savings_low_usd).abs(),
        };
        // An input that moves neither savings nor payback here (a count on fixed units, a
        // count too small to move in whole steps, a choice already at both ends) is left out.
        (row.swing_usd > 0.0 || payback_swing(&row) > 0.0).then_some(row)
    };
    let numbers = KNOBS
        .iter()
        .filter(|k| (k.applies)(&plan.inputs))
        .filter_map(|knob| {
            let base = (knob.get)(plan);
            if base == 0.0 {
                return None;
            }
            // Below zero (a decline) `low` is nearer zero and `high` further from it.
            let step = |factor: f64| {
                let value = base * factor;
                let value = if knob.whole { value.round() } else { value };
                value.clamp(knob.min, knob.max)
            };
            let moved = |value: f64| {
                let mut inputs = plan.inputs.clone();
                (knob.set)(&mut inputs, value);
                (Level::Number(value), outcome(&Plan::new(inputs)))
            };
            row(
                knob.key,
                Level::Number(base),
                moved(step(1.0 - STEP)),
                moved(step(1.0 + STEP)),
            )
        });
    let choices = SWITCHES.iter().filter_map(|switch| {
        let moved = |(name, set): (&'static str, fn(&mut Inputs))| {
            let mut inputs = plan.inputs.clone();
            set(&mut inputs);
            (Level::Choice(name), outcome(&Plan::new(inputs)))
        };
        row(
            switch.key,
            Level::Choice((switch.base)(&plan.inputs)),
            moved(switch.low),
            moved(switch.high),
        )
    });
    let mut rows: Vec<Row> = numbers.chain(choices).collect();
    rows.sort_by(by_effect);
    Sensitivity {
        base_savings_usd,
        base_payback_months,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::link::decode;

    /// The sensitivity of the scenario in `query`.
    fn of(query: &str) -> Sensitivity {
        let (inputs, _) = Inputs::resolve(&decode(query).scenario);
        sensitivity(&Plan::new(inputs))
    }

    /// The row of `key` in `query`'s sensitivity: (low, high, savings at low, savings at high),
    /// each checked to 1e-4.
    fn check(query: &str, key: &str, expected: (f64, f64, f64, f64)) {
        let s = of(query);
        let row = s.rows.iter().find(|r| r.key == key).expect(key);
        let actual = (
            amount(row.low),
            amount(row.high),
            row.savings_low_usd,
            row.savings_high_usd,
        );
        let close = |a: f64, b: f64| (a - b).abs() < 1e-4;
        assert!(
            close(actual.0, expected.0)
                && close(actual.1, expected.1)
                && close(actual.2, expected.2)
                && close(actual.3, expected.3),
            "{key}: {actual:?}, expected {expected:?}"
        );
    }

    /// The number of a level that must be one.
    fn amount(level: Level) -> f64 {
        match level {
            Level::Number(value) => value,
            Level::Choice(name) => panic!("a choice, {name}, where a number was expected"),
        }
    }

    // One owned RTX 4090 serves 5,000 requests a day at 100 tok/s: 1600/36 + 12.96 =
    // 57.404444 $/month. The cloud's 120M input tokens a month are 40% cached.
    const CACHED: &str = "v=1&tps=100&ptps=5000&cache=40";

    #[test]
    fn the_cached_share() {
        // 30%: 84M × 0.15 + 36M × 0.075 = 12.6 + 2.7, + 36 out = 51.30 -> -6.104444
        // 50%: 60M × 0.15 + 60M × 0.075 = 9.0 + 4.5, + 36 out = 49.50 -> -7.904444
        check(CACHED, "cache", (30.0, 50.0, -6.104444, -7.904444));
    }

    #[test]
    fn the_cached_price() {
        // 48M cached tokens at $0.05625 = 2.70 or at $0.09375 = 4.50, + 10.8 + 36
        check(CACHED, "ccache", (0.05625, 0.09375, -7.904444, -6.104444));
        assert!(of("v=1&tps=100&ptps=5000")
            .rows
            .iter()
            .all(|r| r.key != "ccache"));
    }

    #[test]
    fn counts_move_in_whole_steps() {
        // Peak 4 at one stream per unit: 3 or 5 units of 57.404444 against the cloud's 54.
        check(
            "v=1&tps=100&ptps=5000&peak=4",
            "peak",
            (3.0, 5.0, 54.0 - 172.213333, 54.0 - 287.022222),
        );
        // Peak 6 at 2 streams: 1.5 rounds to 2 (3 units, as now); 2.5 rounds to 3 (2 units).
        check(
            "v=1&tps=100&ptps=5000&peak=6&slots=2",
            "slots",
            (2.0, 3.0, 54.0 - 172.213333, 54.0 - 114.808889),
        );
        // Context 131,072 tokens: a token's KV cache is 2 × 32 layers × 8 heads × 128 × 2 bytes
        // = 131,072 bytes, 17.18 GB in all; with 4.87 GB of weights and 1 GB of overhead,
        // 23.05 GB fits one 24 GB unit. At 98,304 one still does; at 163,840 the cache is
        // 21.47 GB and a replica needs two units, 114.808889 $/month.
        check(
            "v=1&tps=100&ptps=5000&ctx=131072",
            "ctx",
            (98304.0, 163840.0, -3.404444, 54.0 - 114.808889),
        );
        // Inputs that move nothing are left out: a peak of 1 stays 1 (0.75 and 1.25 round to
        // 1); a context of 4,096 fits one unit either way; fixed units ignore the peak.
        let default = of("v=1&tps=100&ptps=5000");
        assert!(default
            .rows
            .iter()
            .all(|r| r.key != "peak" && r.key != "ctx"));
        let fixed = of("v=1&tps=100&ptps=5000&peak=4&units=2");
        assert!(fixed.rows.iter().all(|r| r.key != "peak"));
        assert!(fixed.rows.iter().any(|r| r.key == "price"));
    }

    #[test]
    fn growth_moves_payback_only() {
        // 10,000 requests a day at 200 tok/s: one unit; cloud 108 $/month.
        let s = of("v=1&rpd=10000&tps=200&ptps=5000&growth=4");
        let row = s.rows.iter().find(|r| r.key == "growth").expect("growth");
        assert_eq!(
            (row.low, row.high),
            (Level::Number(3.0), Level::Number(5.0))
        );
        assert_eq!(row.savings_low_usd, s.base_savings_usd);
        assert_eq!(row.savings_high_usd, s.base_savings_usd);
        let (Some(slow), Some(fast)) = (row.payback_low_months, row.payback_high_months) else {
            panic!("payback either way: {row:?}");
        };
        assert!(
            fast < slow,
            "faster growth pays back sooner: {fast} against {slow}"
        );
        // No swing in savings: it sorts after every input that has one.
        let growth = s.rows.iter().position(|r| r.key == "growth");
        let swinging = s.rows.iter().rposition(|r| r.swing_usd > 0.0);
        assert!(swinging < growth, "{:?}", s.rows);
    }

    #[test]
    fn a_decline_moves_within_the_links_limits() {
        // -45%/month: -33.75 and -56.25, which the link's floor of -50 stops at -50. At
        // 100,000 requests a day one replica of 4 streams saves about $1,000 in the first
        // month, so the $1,600 card pays back within months however fast the decline.
        let s = of("v=1&rpd=100000&tps=2000&ptps=5000&slots=4&growth=-45");
        let row = s.rows.iter().find(|r| r.key == "growth").expect("growth");
        assert_eq!(
            (row.low, row.high),
            (Level::Number(-33.75), Level::Number(-50.0))
        );
    }

    #[test]
    fn choices_move_to_their_ends() {
        // A 131,072-token context at two streams: 2 × 17.18 GB of f16 cache + 4.87 GB of
        // weights + 1 GB take two 24 GB cards, 54 − 2 × 57.404444 = −60.808889 a month. At q4_0
        // a stream's cache is 17.18 × 4.5 / 16 = 4.83 GB: one card, 54 − 57.404444. vLLM
        // pages the cache by the 1,200 tokens a request holds, so one card serves both.
        let s = of("v=1&tps=100&ptps=5000&ctx=131072&slots=2&peak=2");
        let row = |key| s.rows.iter().find(|r| r.key == key).expect(key);
        let ends = |r: &Row| (r.low, r.high, r.savings_low_usd, r.savings_high_usd);
        let (one, two) = (54.0 - 57.404444, 54.0 - 2.0 * 57.404444);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-4;
        let (low, high, at_low, at_high) = ends(row("kvq"));
        assert_eq!((low, high), (Level::Choice("q4_0"), Level::Choice("f16")));
        assert!(
            close(at_low, one) && close(at_high, two),
            "{at_low} {at_high}"
        );
        let (low, high, at_low, at_high) = ends(row("eng"));
        assert_eq!(
            (low, high),
            (Level::Choice("llamacpp"), Level::Choice("vllm"))
        );
        assert!(
            close(at_low, two) && close(at_high, one),
            "{at_low} {at_high}"
        );
        // A choice whose ends cost the same is left out: one card either way by default.
        assert!(of("v=1&tps=100&ptps=5000")
            .rows
            .iter()
            .all(|r| r.key != "kvq" && r.key != "eng"));
    }

    #[test]
    fn latency_targets_and_the_measured_point_move_when_set() {
        // A million requests a day on vLLM, H100s, a 10 ms target moved to 7.5 and 12.5 ms: at
        // 7.5 ms a replica runs so few streams that the load needs a third H100 (even spread
        // over two, no fewer); at 12.5 ms it still needs two.
        let link = "v=1&eng=vllm&hw=h100-80gb&rpd=1000000&slo_tpot=10";
        let s = of(link);
        let (inputs, _) = Inputs::resolve(&decode(link).scenario);
        let plan = Plan::new(inputs);
        assert_eq!(plan.units(plan.inputs.rpd), 2);
        let unit_monthly = plan.local_monthly(plan.inputs.rpd) / 2.0;
        let tpot = s
            .rows
            .iter()
            .find(|r| r.key == "slo_tpot")
            .expect("slo_tpot");
        assert_eq!(
            (tpot.low, tpot.high),
            (Level::Number(7.5), Level::Number(12.5))
        );
        assert!(
            (tpot.savings_high_usd - tpot.savings_low_usd - unit_monthly).abs() < 1e-6,
            "{tpot:?} against one unit's {unit_monthly}"
        );
        // Measured 50 and 1,000 tok/s at 4 slots: a request holds a stream 11.609 s; 20,000
        // requests over 8 hours offer a = 0.694444 × 11.609 = 8.0616 erlangs. On 3 replicas (12
        // streams) Erlang C waits 14.6% of requests, p95 wait ln(0.1461 / 0.05) / (12 / 11.609
        // − 0.694444) = 3.1605 s, TTFT 3,960.5 ms: a 4,000 ms target holds with 3 units, its
        // 3,000 ms end needs a fourth (16 streams wait 0.97%: p95 800 ms), 5,000 ms keeps 3.
        let s = of("v=1&tps=50&ptps=1000&slots=4&rpd=20000&slo_ttft=4000");
        let ttft = s
            .rows
            .iter()
            .find(|r| r.key == "slo_ttft")
            .expect("slo_ttft");
        assert_eq!(
            (ttft.low, ttft.high),
            (Level::Number(3000.0), Level::Number(5000.0))
        );
        assert!(
            (ttft.savings_high_usd - ttft.savings_low_usd - 57.404444).abs() < 1e-4,
            "{ttft:?}"
        );
        // More measured throughput at the same concurrency never costs more.
        let agg = of("v=1&rpd=200000&slots=8&ptps=5000&agg=400@8");
        let row = agg.rows.iter().find(|r| r.key == "agg").expect("agg");
        assert_eq!(
            (row.low, row.high),
            (Level::Number(300.0), Level::Number(500.0))
        );
        assert!(row.savings_low_usd < row.savings_high_usd, "{row:?}");
        assert_eq!(row.low.shown(row.key), "300 tokens/s");
        // Without the keys there are no rows for them.
        assert!(of("v=1")
            .rows
            .iter()
            .all(|r| !r.key.starts_with("slo") && r.key != "agg"));
    }

    #[test]
    fn ties_in_savings_sort_by_payback() {
        let row = |key, swing_usd, payback_low_months, payback_high_months| Row {
            key,
            label: key,
            base: Level::Number(1.0),
            low: Level::Number(0.75),
            high: Level::Number(1.25),
            savings_low_usd: 0.0,
            savings_high_usd: swing_usd,
            payback_low_months,
            payback_high_months,
            swing_usd,
        };
        let mut rows = [
            row("a", 0.0, Some(10.0), Some(12.0)),
            row("b", 5.0, Some(10.0), Some(10.0)),
            row("c", 0.0, Some(10.0), None),
            row("d", 0.0, Some(10.0), Some(30.0)),
        ];
        rows.sort_by(by_effect);
        // b swings savings; then payback: c gains or loses it (infinite), d by 20, a by 2.
        let keys: Vec<&str> = rows.iter().map(|r| r.key).collect();
        assert_eq!(keys, ["b", "c", "d", "a"]);
    }
}
