//! The serving model's constants, fitted on [`crate::measured`], and how far each measured row
//! is from its estimate.
//!
//! llama.cpp, per memory class: a decode step of one stream takes `a · bytes / bandwidth + o`
//! seconds, fitted by least squares on the relative error (weights `1 / t²`) over the class's
//! decode rows, giving `bandwidth_eff = 1 / a` and `overhead = o`; prefill's compute
//! efficiency is the geometric mean of measured ÷ estimated-at-full-throughput over the class's
//! prefill rows. A hardware with at least [`OWN_DECODE_ROWS`] decode rows (of at least two
//! weight sizes) or [`OWN_PREFILL_ROWS`] prefill rows gets its own fit of that part.
//! Continuous batching, per memory class with batched rows: the three constants minimise the
//! sum of squared log errors of output tokens/s over a grid; a class without batched rows takes
//! its llama.cpp fit.

use crate::measured::{Measured, MEASURED};
use crate::serving::{Engine, Fit, MemoryClass, Serving};
use serde::Serialize;

/// Decode rows a hardware needs for its own decode fit.
pub const OWN_DECODE_ROWS: usize = 3;
/// Prefill rows a hardware needs for its own prefill fit.
pub const OWN_PREFILL_ROWS: usize = 2;

/// Every fit of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Fits {
    /// Per engine and memory class.
    pub classes: Vec<(Engine, MemoryClass, Fit)>,
    /// Per hardware id (llama.cpp rows only).
    pub hardware: Vec<(&'static str, Fit)>,
}

/// The constants in use, per engine and memory class with the class's decode spread
/// (see [`decode_spread`]): [`fit`] of [`MEASURED`], as `cargo run -p crossover-core --example
/// fits` prints it, which a test checks. Kept as constants so that the page's first load carries
/// neither the table nor the fitting.
pub const FITTED_CLASSES: &[(Engine, MemoryClass, Fit, (f64, f64))] = &[
    (
        Engine::Llamacpp,
        MemoryClass::Gddr,
        Fit {
            bandwidth_eff: 0.9334784455997742,
            overhead_ms: 2.672023062019513,
            compute_eff: 0.3851732638032271,
        },
        (0.8584795952804742, 1.0930795400711821),
    ),
    (
        Engine::Vllm,
        MemoryClass::Gddr,
        Fit {
            bandwidth_eff: 0.98,
            overhead_ms: 2.5,
            compute_eff: 0.2,
        },
        (0.9918105667074198, 1.0034027985755436),
    ),
    (
        Engine::Llamacpp,
        MemoryClass::Hbm,
        Fit {
            bandwidth_eff: 0.560142640734317,
            overhead_ms: 2.6786241764659273,
            compute_eff: 0.27931253374037246,
        },
        (0.940014056649507, 1.0748439139476782),
    ),
    (
        Engine::Vllm,
        MemoryClass::Hbm,
        Fit {
            bandwidth_eff: 0.58,
            overhead_ms: 0.0,
            compute_eff: 1.0,
        },
        (0.8370863330230843, 1.2638799616237628),
    ),
    (
        Engine::Llamacpp,
        MemoryClass::Unified,
        Fit {
            bandwidth_eff: 0.8834630065986294,
            overhead_ms: 1.1047372602436438,
            compute_eff: 0.43445385788634194,
        },
        (0.682590641510304, 1.2333401105197273),
    ),
    (
        Engine::Vllm,
        MemoryClass::Unified,
        Fit {
            bandwidth_eff: 0.8834630065986294,
            overhead_ms: 1.1047372602436438,
            compute_eff: 0.43445385788634194,
        },
        (1.0, 1.0),
    ),
];

/// The hardware with their own fit, as [`FITTED_CLASSES`].
pub const FITTED_HARDWARE: &[(&str, Fit)] = &[
    (
        "rtx-4080",
        Fit {
            bandwidth_eff: 0.9334784455997742,
            overhead_ms: 2.672023062019513,
            compute_eff: 0.5192903764990086,
        },
    ),
    (
        "rtx-3090",
        Fit {
            bandwidth_eff: 0.9230292548619903,
            overhead_ms: 3.5204018341876937,
            compute_eff: 0.4266523993993304,
        },
    ),
    (
        "rtx-4090",
        Fit {
            bandwidth_eff: 1.0,
            overhead_ms: 2.8426480420484666,
            compute_eff: 0.3901106100492688,
        },
    ),
    (
        "rtx-4000-ada",
        Fit {
            bandwidth_eff: 0.9334784455997742,
            overhead_ms: 2.672023062019513,
            compute_eff: 0.4191117125254781,
        },
    ),
    (
        "rtx-5000-ada",
        Fit {
            bandwidth_eff: 0.9334784455997742,
            overhead_ms: 2.672023062019513,
            compute_eff: 0.33590627299773973,
        },
    ),
    (
        "rtx-a6000",
        Fit {
            bandwidth_eff: 0.8855755904525925,
            overhead_ms: 2.1500294008353844,
            compute_eff: 0.43519199386751684,
        },
    ),
    (
        "rtx-6000-ada",
        Fit {
            bandwidth_eff: 0.9016475902981786,
            overhead_ms: 1.7028790503904525,
            compute_eff: 0.2561683134017146,
        },
    ),
    (
        "a40",
        Fit {
            bandwidth_eff: 0.7801466677013201,
            overhead_ms: 1.713994006258627,
            compute_eff: 0.4044372348728911,
        },
    ),
    (
        "l40s",
        Fit {
            bandwidth_eff: 0.8271332722737617,
            overhead_ms: 1.6646315582319342,
            compute_eff: 0.2668475716032636,
        },
    ),
    (
        "a100-pcie-80gb",
        Fit {
            bandwidth_eff: 0.5200634446515712,
            overhead_ms: 2.2406142699879665,
            compute_eff: 0.3480913427067037,
        },
    ),
    (
        "a100-80gb",
        Fit {
            bandwidth_eff: 0.5393176433885979,
            overhead_ms: 3.0585524991992497,
            compute_eff: 0.33865437957575717,
        },
    ),
    (
        "h100-pcie-80gb",
        Fit {
            bandwidth_eff: 0.6150336806634333,
            overhead_ms: 2.7160836785074567,
            compute_eff: 0.19711065999943533,
        },
    ),
    (
        "m1-max-64",
        Fit {
            bandwidth_eff: 0.6958881058376803,
            overhead_ms: 7.961536612319626,
            compute_eff: 0.624913635990435,
        },
    ),
    (
        "m2-ultra-192",
        Fit {
            bandwidth_eff: 0.8261053074622458,
            overhead_ms: 5.003980885141145,
            compute_eff: 0.6664294090686737,
        },
    ),
    (
        "m3-max-64",
        Fit {
            bandwidth_eff: 0.942046594775101,
            overhead_ms: 6.8188587466235475,
            compute_eff: 0.6809708273220559,
        },
    ),
    (
        "dgx-spark",
        Fit {
            bandwidth_eff: 1.0,
            overhead_ms: 0.641002786472583,
            compute_eff: 0.4305254610156789,
        },
    ),
    (
        "ryzen-ai-max-395",
        Fit {
            bandwidth_eff: 0.8866891622505373,
            overhead_ms: 2.8671969562224726,
            compute_eff: 0.2131082032705035,
        },
    ),
];

/// The constants for `engine` on a hardware of `class`: the hardware's own fit under
/// llama.cpp where it has one, else its class's.
pub fn fit_for(engine: Engine, hardware_id: &str, class: MemoryClass) -> Fit {
    let own = (engine == Engine::Llamacpp)
        .then(|| FITTED_HARDWARE.iter().find(|(id, _)| *id == hardware_id))
        .flatten();
    match own {
        Some((_, fit)) => *fit,
        None => FITTED_CLASSES
            .iter()
            .find(|(e, c, _, _)| *e == engine && *c == class)
            .map(|(_, _, f, _)| *f)
            .unwrap_or(NEUTRAL),
    }
}

/// The fits in use, as [`Fits`].
pub fn fitted() -> Fits {
    Fits {
        classes: FITTED_CLASSES
            .iter()
            .map(|(e, c, f, _)| (*e, *c, *f))
            .collect(),
        hardware: FITTED_HARDWARE.to_vec(),
    }
}

/// The class's constants in `fits`, without any hardware's own fit.
pub fn class_fit(fits: &Fits, engine: Engine, class: MemoryClass) -> Fit {
    fits.classes
        .iter()
        .find(|(e, c, _)| *e == engine && *c == class)
        .map(|(_, _, f)| *f)
        .unwrap_or(NEUTRAL)
}

/// `engine`'s constants in `fits` for a hardware: its own under llama.cpp, else its class's.
fn fit_in(fits: &Fits, engine: Engine, hardware_id: &str, class: MemoryClass) -> Fit {
    let own = (engine == Engine::Llamacpp)
        .then(|| fits.hardware.iter().find(|(id, _)| *id == hardware_id))
        .flatten();
    own.map_or_else(|| class_fit(fits, engine, class), |(_, f)| *f)
}

/// Used only when a class has no rows at all: the whole table has rows for every class, which
/// a test checks.
const NEUTRAL: Fit = Fit {
    bandwidth_eff: 0.7,
    overhead_ms: 2.0,
    compute_eff: 0.4,
};

/// Fits `rows`.
pub fn fit(rows: &[Measured]) -> Fits {
    let mut classes = Vec::new();
    for class in MemoryClass::ALL {
        let of_class: Vec<&Measured> = rows
            .iter()
            .filter(|r| r.device.device.class == class && r.engine == Engine::Llamacpp)
            .collect();
        let llama = Fit {
            compute_eff: prefill_eff(&of_class).unwrap_or(NEUTRAL.compute_eff),
            ..decode_fit(&of_class).unwrap_or(NEUTRAL)
        };
        classes.push((Engine::Llamacpp, class, llama));
        let batched: Vec<&Measured> = rows
            .iter()
            .filter(|r| r.device.device.class == class && r.aggregate_tps.is_some())
            .collect();
        classes.push((Engine::Vllm, class, batched_fit(&batched).unwrap_or(llama)));
    }
    let mut hardware: Vec<(&'static str, Fit)> = Vec::new();
    for row in rows.iter().filter(|r| r.engine == Engine::Llamacpp) {
        let id = row.device.id;
        if hardware.iter().any(|(h, _)| *h == id) {
            continue;
        }
        let own: Vec<&Measured> = rows
            .iter()
            .filter(|r| r.device.id == id && r.engine == Engine::Llamacpp)
            .collect();
        let base = class_fit(
            &Fits {
                classes: classes.clone(),
                hardware: Vec::new(),
            },
            Engine::Llamacpp,
            row.device.device.class,
        );
        let decode = (decode_rows(&own).len() >= OWN_DECODE_ROWS)
            .then(|| decode_fit(&own))
            .flatten();
        let prefill = (own.iter().filter(|r| r.prefill_tps.is_some()).count() >= OWN_PREFILL_ROWS)
            .then(|| prefill_eff(&own))
            .flatten();
        if decode.is_some() || prefill.is_some() {
            let d = decode.unwrap_or(base);
            hardware.push((
                id,
                Fit {
                    bandwidth_eff: d.bandwidth_eff,
                    overhead_ms: d.overhead_ms,
                    compute_eff: prefill.unwrap_or(base.compute_eff),
                },
            ));
        }
    }
    Fits { classes, hardware }
}

/// The serving model of a row's model and device under `fit`.
pub fn serving_of(row: &Measured, fit: Fit) -> Serving {
    Serving {
        shape: row.shape,
        bits: row.quant.weight_bits(),
        kv: crate::serving::KvQuant::F16,
        device: row.device.device,
        units: row.units,
        engine: row.engine,
        fit,
    }
}

/// The mean depth of a `tg` run: the cache before it plus half the tokens it generates.
fn decode_depth(row: &Measured) -> f64 {
    f64::from(row.depth) + f64::from(row.generated_tokens) / 2.0
}

fn decode_rows<'a>(rows: &[&'a Measured]) -> Vec<&'a Measured> {
    rows.iter()
        .copied()
        .filter(|r| r.decode_tps.is_some() && r.concurrency == 1)
        .collect()
}

/// Weighted least squares of `t = a · x + o` with `x` the seconds at full bandwidth.
fn decode_fit(rows: &[&Measured]) -> Option<Fit> {
    let points: Vec<(f64, f64)> = decode_rows(rows)
        .into_iter()
        .filter_map(|r| {
            let unit = serving_of(
                r,
                Fit {
                    bandwidth_eff: 1.0,
                    overhead_ms: 0.0,
                    compute_eff: 1.0,
                },
            );
            Some((unit.memory_s(1.0, decode_depth(r)), 1.0 / r.decode_tps?))
        })
        .collect();
    let (mut sw, mut sx, mut st, mut sxx, mut sxt) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(x, t) in &points {
        let w = 1.0 / (t * t);
        sw += w;
        sx += w * x;
        st += w * t;
        sxx += w * x * x;
        sxt += w * x * t;
    }
    let det = sw * sxx - sx * sx;
    if points.len() < 2 || det <= f64::EPSILON * sw * sxx {
        return None;
    }
    let a = (sw * sxt - sx * st) / det;
    let o = (st - a * sx) / sw;
    // Bandwidth above the peak or a negative overhead would be unphysical: clamp and refit
    // the other constant.
    let (a, o) = if o < 0.0 {
        (sxt / sxx, 0.0)
    } else if a < 1.0 {
        (1.0, (st - sx) / sw)
    } else {
        (a, o)
    };
    Some(Fit {
        bandwidth_eff: 1.0 / a,
        overhead_ms: o * 1e3,
        compute_eff: NEUTRAL.compute_eff,
    })
}

/// Geometric mean of measured over estimated-at-full-throughput prefill.
fn prefill_eff(rows: &[&Measured]) -> Option<f64> {
    let logs: Vec<f64> = rows
        .iter()
        .filter_map(|r| {
            let full = serving_of(
                r,
                Fit {
                    bandwidth_eff: 1.0,
                    overhead_ms: 0.0,
                    compute_eff: 1.0,
                },
            );
            let estimate = f64::from(r.prompt_tokens)
                / full.prefill_s(f64::from(r.prompt_tokens), f64::from(r.depth));
            Some((r.prefill_tps? / estimate).ln())
        })
        .collect();
    (!logs.is_empty()).then(|| {
        (logs.iter().sum::<f64>() / logs.len() as f64)
            .exp()
            .min(1.0)
    })
}

/// Output tokens/s of a batched row under `fit`.
fn batched_estimate(row: &Measured, fit: Fit) -> f64 {
    serving_of(row, fit).aggregate_tps(
        f64::from(row.concurrency),
        f64::from(row.prompt_tokens),
        f64::from(row.generated_tokens),
    )
}

/// Grid search of the three constants on batched rows.
fn batched_fit(rows: &[&Measured]) -> Option<Fit> {
    if rows.len() < 3 {
        return None;
    }
    let mut best: Option<(f64, Fit)> = None;
    for b in 15..=50 {
        for o in 0..=32 {
            for c in 2..=50 {
                let fit = Fit {
                    bandwidth_eff: f64::from(b) * 0.02,
                    overhead_ms: f64::from(o) * 0.25,
                    compute_eff: f64::from(c) * 0.02,
                };
                let loss: f64 = rows
                    .iter()
                    .filter_map(|r| {
                        Some((batched_estimate(r, fit) / r.aggregate_tps?).ln().powi(2))
                    })
                    .sum();
                if best.is_none_or(|(l, _)| loss < l) {
                    best = Some((loss, fit));
                }
            }
        }
    }
    best.map(|(_, fit)| fit)
}

/// What a row's figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Figure {
    /// Single-stream decode tokens/s.
    Decode,
    /// Prefill tokens/s.
    Prefill,
    /// Output tokens/s of every stream at the row's concurrency.
    Aggregate,
}

/// One measured figure against its estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Accuracy {
    /// Index of the row in [`MEASURED`].
    pub row: usize,
    /// Which figure.
    pub figure: Figure,
    /// The published figure, tokens/s.
    pub measured: f64,
    /// The serving model's estimate at the row's settings, tokens/s.
    pub estimate: f64,
    /// `estimate / measured − 1`.
    pub error: f64,
    /// Whether the estimate used the hardware's own fit.
    pub own_fit: bool,
}

/// Every figure of the table against the model's estimate with the fits in use.
pub fn accuracy() -> Vec<Accuracy> {
    accuracy_of(&fitted())
}

/// Every figure of the table against the model's estimate under `fits`.
pub fn accuracy_of(fits: &Fits) -> Vec<Accuracy> {
    let mut out = Vec::new();
    for (index, row) in MEASURED.iter().enumerate() {
        let own_fit = row.engine == Engine::Llamacpp
            && fits.hardware.iter().any(|(id, _)| *id == row.device.id);
        let unit = serving_of(
            row,
            fit_in(fits, row.engine, row.device.id, row.device.device.class),
        );
        let mut push = |figure, measured: Option<f64>, estimate: f64| {
            if let Some(measured) = measured {
                out.push(Accuracy {
                    row: index,
                    figure,
                    measured,
                    estimate,
                    error: estimate / measured - 1.0,
                    own_fit,
                });
            }
        };
        push(
            Figure::Decode,
            row.decode_tps,
            unit.decode_tps(decode_depth(row)),
        );
        push(
            Figure::Prefill,
            row.prefill_tps,
            f64::from(row.prompt_tokens)
                / unit.prefill_s(f64::from(row.prompt_tokens), f64::from(row.depth)),
        );
        push(
            Figure::Aggregate,
            row.aggregate_tps,
            batched_estimate(row, unit.fit),
        );
    }
    out
}

/// The spread of a class's estimates: the smallest and largest `measured / estimate` over its
/// rows (single-stream decode under llama.cpp, batched output under vLLM), `(low, high)`.
pub fn decode_spread(engine: Engine, class: MemoryClass) -> (f64, f64) {
    FITTED_CLASSES
        .iter()
        .find(|(e, c, _, _)| *e == engine && *c == class)
        .map_or((1.0, 1.0), |(_, _, _, spread)| *spread)
}

/// [`decode_spread`] computed from the table under `fits`; `(1, 1)` without rows.
pub fn decode_spread_of(fits: &Fits, engine: Engine, class: MemoryClass) -> (f64, f64) {
    let figure = match engine {
        Engine::Llamacpp => Figure::Decode,
        Engine::Vllm => Figure::Aggregate,
    };
    accuracy_of(fits)
        .into_iter()
        .filter(|a| a.figure == figure && MEASURED[a.row].device.device.class == class)
        .map(|a| a.measured / a.estimate)
        .fold(None, |acc: Option<(f64, f64)>, r| {
            Some(acc.map_or((r, r), |(lo, hi)| (lo.min(r), hi.max(r))))
        })
        .unwrap_or((1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constants_are_the_fit_of_the_table() {
        let fits = fit(MEASURED);
        assert_eq!(fitted(), fits);
        for (engine, class, _, spread) in FITTED_CLASSES {
            assert_eq!(decode_spread_of(&fits, *engine, *class), *spread);
        }
    }
}
