//! Sensitivity: how monthly savings and payback move when each input moves ±25% (a tornado).

use crate::break_even::{payback_simulated, payback_steady, PAYBACK_SEARCH_MONTHS};
use crate::inputs::Inputs;
use crate::plan::Plan;
use crate::scenario::Mode;
use serde::Serialize;

/// The relative step applied down and up.
pub const STEP: f64 = 0.25;

/// One input moved down and up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Link key of the input.
    pub key: &'static str,
    /// What it is.
    pub label: &'static str,
    /// Its value in the scenario.
    pub base: f64,
    /// `base * 0.75`.
    pub low: f64,
    /// `base * 1.25`, within the input's limit.
    pub high: f64,
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

/// An input that can be moved: key, label, when it applies, read and write (in the link's
/// units), upper limit, and whether it takes whole numbers only.
struct Knob {
    key: &'static str,
    label: &'static str,
    applies: fn(&Inputs) -> bool,
    get: fn(&Plan) -> f64,
    set: fn(&mut Inputs, f64),
    max: f64,
    whole: bool,
}

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
fn owned(i: &Inputs) -> bool {
    i.mode == Mode::Own
}
fn rented(i: &Inputs) -> bool {
    i.mode == Mode::Rent
}

const KNOBS: [Knob; 22] = [
    Knob {
        key: "rpd",
        label: "requests per day",
        applies: always,
        get: |p| p.inputs.rpd,
        set: |i, v| i.rpd = v,
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "in",
        label: "input tokens",
        applies: always,
        get: |p| p.inputs.input_tokens,
        set: |i, v| i.input_tokens = v,
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "out",
        label: "output tokens",
        applies: always,
        get: |p| p.inputs.output_tokens,
        set: |i, v| i.output_tokens = v,
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "cin",
        label: "cloud input price",
        applies: token_priced,
        get: |p| p.inputs.prices.input,
        set: |i, v| i.prices.input = v,
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "cout",
        label: "cloud output price",
        applies: token_priced,
        get: |p| p.inputs.prices.output,
        set: |i, v| i.prices.output = v,
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "bill",
        label: "cloud bill",
        applies: billed,
        get: |p| p.inputs.bill.unwrap_or(0.0),
        set: |i, v| i.bill = Some(v),
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "hrs",
        label: "active hours",
        applies: always,
        get: |p| p.inputs.hours,
        set: |i, v| i.hours = v,
        max: 24.0,
        whole: false,
    },
    Knob {
        key: "price",
        label: "hardware price",
        applies: owned,
        get: |p| p.inputs.unit.price,
        set: |i, v| i.unit.price = v,
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "watts",
        label: "power per unit",
        applies: owned,
        get: |p| p.inputs.unit.watts,
        set: |i, v| i.unit.watts = v,
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "kwh",
        label: "electricity price",
        applies: owned,
        get: |p| p.inputs.kwh,
        set: |i, v| i.kwh = v,
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "life",
        label: "hardware lifespan",
        applies: owned,
        get: |p| p.inputs.unit.life_years,
        set: |i, v| i.unit.life_years = v,
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "rent",
        label: "rental price",
        applies: rented,
        get: |p| p.inputs.unit.rent_per_hour,
        set: |i, v| i.unit.rent_per_hour = v,
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "maint",
        label: "maintenance",
        applies: always,
        get: |p| p.inputs.maint,
        set: |i, v| i.maint = v,
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "ops",
        label: "operations staff",
        applies: always,
        get: |p| p.inputs.ops,
        set: |i, v| i.ops = v,
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "tps",
        label: "decode speed",
        applies: always,
        get: |p| p.speed.decode_tps,
        set: |i, v| i.measured_decode_tps = Some(v),
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "ptps",
        label: "prefill speed",
        applies: always,
        get: |p| p.speed.prefill_tps,
        set: |i, v| i.measured_prefill_tps = Some(v),
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "cache",
        label: "cached share of input",
        applies: token_priced,
        get: |p| p.inputs.cache_share * 100.0,
        set: |i, v| i.cache_share = v / 100.0,
        max: 100.0,
        whole: false,
    },
    Knob {
        key: "ccache",
        label: "cached input price",
        applies: cached,
        get: |p| p.inputs.prices.cached,
        set: |i, v| i.prices.cached = v,
        max: f64::MAX,
        whole: false,
    },
    Knob {
        key: "peak",
        label: "peak concurrent requests",
        applies: always,
        get: |p| f64::from(p.inputs.peak),
        set: |i, v| i.peak = v as u32,
        max: 100_000.0,
        whole: true,
    },
    Knob {
        key: "slots",
        label: "parallel streams per replica",
        applies: always,
        get: |p| f64::from(p.inputs.slots),
        set: |i, v| i.slots = v as u32,
        max: 1024.0,
        whole: true,
    },
    Knob {
        key: "ctx",
        label: "context per stream",
        applies: always,
        get: |p| f64::from(p.inputs.ctx),
        set: |i, v| i.ctx = v as u32,
        max: 10_000_000.0,
        whole: true,
    },
    Knob {
        key: "growth",
        label: "volume growth",
        applies: growing,
        get: |p| p.inputs.growth * 100.0,
        set: |i, v| i.growth = v / 100.0,
        max: 100.0,
        whole: false,
    },
];

/// Monthly savings and payback of `plan`, payback as [`crate::break_even::break_even`] computes it.
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
    let moved = |knob: &Knob, value: f64| {
        let mut inputs = plan.inputs.clone();
        (knob.set)(&mut inputs, value);
        outcome(&Plan::new(inputs))
    };
    let mut rows: Vec<Row> = KNOBS
        .iter()
        .filter(|k| (k.applies)(&plan.inputs))
        .filter_map(|knob| {
            let base = (knob.get)(plan);
            if base <= 0.0 {
                return None;
            }
            let (mut low, mut high) = (base * (1.0 - STEP), (base * (1.0 + STEP)).min(knob.max));
            if knob.whole {
                (low, high) = (low.round().max(1.0), high.round());
                if low == base && high == base {
                    return None;
                }
            }
            let (savings_low_usd, payback_low_months) = moved(knob, low);
            let (savings_high_usd, payback_high_months) = moved(knob, high);
            Some(Row {
                key: knob.key,
                label: knob.label,
                base,
                low,
                high,
                savings_low_usd,
                savings_high_usd,
                payback_low_months,
                payback_high_months,
                swing_usd: (savings_high_usd - savings_low_usd).abs(),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.swing_usd
            .total_cmp(&a.swing_usd)
            .then(payback_swing(b).total_cmp(&payback_swing(a)))
    });
    Sensitivity {
        base_savings_usd,
        base_payback_months,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::query::decode;

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
        let actual = (row.low, row.high, row.savings_low_usd, row.savings_high_usd);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-4;
        assert!(
            close(actual.0, expected.0)
                && close(actual.1, expected.1)
                && close(actual.2, expected.2)
                && close(actual.3, expected.3),
            "{key}: {actual:?}, expected {expected:?}"
        );
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
        // Context 4,096 tokens: 3,072 and 5,120; the model fits one unit either way.
        check(
            "v=1&tps=100&ptps=5000",
            "ctx",
            (3072.0, 5120.0, -3.404444, -3.404444),
        );
        // A peak of 1 stays 1 (0.75 and 1.25 round to 1): no row.
        assert!(of("v=1&tps=100&ptps=5000")
            .rows
            .iter()
            .all(|r| r.key != "peak"));
    }

    #[test]
    fn growth_moves_payback_only() {
        // 10,000 requests a day at 200 tok/s: one unit; cloud 108 $/month.
        let s = of("v=1&rpd=10000&tps=200&ptps=5000&growth=4");
        let row = s.rows.iter().find(|r| r.key == "growth").expect("growth");
        assert_eq!((row.low, row.high), (3.0, 5.0));
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
        let after = s.rows.iter().skip_while(|r| r.key != "growth");
        assert!(after.skip(1).all(|r| r.swing_usd == 0.0));
    }
}
