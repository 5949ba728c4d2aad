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

/// An input that can be moved: key, label, when it applies, read, write, upper limit.
struct Knob {
    key: &'static str,
    label: &'static str,
    applies: fn(&Inputs) -> bool,
    get: fn(&Plan) -> f64,
    set: fn(&mut Inputs, f64),
    max: f64,
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
fn owned(i: &Inputs) -> bool {
    i.mode == Mode::Own
}
fn rented(i: &Inputs) -> bool {
    i.mode == Mode::Rent
}

const KNOBS: [Knob; 15] = [
    Knob {
        key: "rpd",
        label: "requests per day",
        applies: always,
        get: |p| p.inputs.rpd,
        set: |i, v| i.rpd = v,
        max: f64::MAX,
    },
    Knob {
        key: "in",
        label: "input tokens",
        applies: always,
        get: |p| p.inputs.input_tokens,
        set: |i, v| i.input_tokens = v,
        max: f64::MAX,
    },
    Knob {
        key: "out",
        label: "output tokens",
        applies: always,
        get: |p| p.inputs.output_tokens,
        set: |i, v| i.output_tokens = v,
        max: f64::MAX,
    },
    Knob {
        key: "cin",
        label: "cloud input price",
        applies: token_priced,
        get: |p| p.inputs.prices.input,
        set: |i, v| i.prices.input = v,
        max: f64::MAX,
    },
    Knob {
        key: "cout",
        label: "cloud output price",
        applies: token_priced,
        get: |p| p.inputs.prices.output,
        set: |i, v| i.prices.output = v,
        max: f64::MAX,
    },
    Knob {
        key: "bill",
        label: "cloud bill",
        applies: billed,
        get: |p| p.inputs.bill.unwrap_or(0.0),
        set: |i, v| i.bill = Some(v),
        max: f64::MAX,
    },
    Knob {
        key: "hrs",
        label: "active hours",
        applies: always,
        get: |p| p.inputs.hours,
        set: |i, v| i.hours = v,
        max: 24.0,
    },
    Knob {
        key: "price",
        label: "hardware price",
        applies: owned,
        get: |p| p.inputs.unit.price,
        set: |i, v| i.unit.price = v,
        max: f64::MAX,
    },
    Knob {
        key: "watts",
        label: "power per unit",
        applies: owned,
        get: |p| p.inputs.unit.watts,
        set: |i, v| i.unit.watts = v,
        max: f64::MAX,
    },
    Knob {
        key: "kwh",
        label: "electricity price",
        applies: owned,
        get: |p| p.inputs.kwh,
        set: |i, v| i.kwh = v,
        max: f64::MAX,
    },
    Knob {
        key: "life",
        label: "hardware lifespan",
        applies: owned,
        get: |p| p.inputs.unit.life_years,
        set: |i, v| i.unit.life_years = v,
        max: f64::MAX,
    },
    Knob {
        key: "rent",
        label: "rental price",
        applies: rented,
        get: |p| p.inputs.unit.rent_per_hour,
        set: |i, v| i.unit.rent_per_hour = v,
        max: f64::MAX,
    },
    Knob {
        key: "maint",
        label: "maintenance",
        applies: always,
        get: |p| p.inputs.maint,
        set: |i, v| i.maint = v,
        max: f64::MAX,
    },
    Knob {
        key: "ops",
        label: "operations staff",
        applies: always,
        get: |p| p.inputs.ops,
        set: |i, v| i.ops = v,
        max: f64::MAX,
    },
    Knob {
        key: "tps",
        label: "decode speed",
        applies: always,
        get: |p| p.speed.decode_tps,
        set: |i, v| i.measured_decode_tps = Some(v),
        max: f64::MAX,
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

/// Moves each applicable input of `plan` by ±[`STEP`] and sorts by swing in savings.
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
            let (low, high) = (base * (1.0 - STEP), (base * (1.0 + STEP)).min(knob.max));
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
    rows.sort_by(|a, b| b.swing_usd.total_cmp(&a.swing_usd));
    Sensitivity {
        base_savings_usd,
        base_payback_months,
        rows,
    }
}
