//! The serving model's constants, fitted on [`crate::catalog::measured`], and how far each measured row
//! is from its estimate.
//!
//! llama.cpp, per memory class: a decode step of one stream takes `a · x(s) + o` seconds, `x(s)`
//! the seconds it would read for at full bandwidth with weights in block formats read at share
//! `s` of it, fitted by least squares on the relative error (weights `1 / t²`, each device
//! counting once) over the class's decode rows, giving `bandwidth_eff = 1 / a`, `overhead = o`
//! and `dequant_read = s` (1 unless the rows hold both plain and block-format weights); prefill's
//! compute efficiency is the geometric mean of measured ÷ estimated-at-full-throughput over the
//! class's prefill rows (each device counting once), after two kernel shares the same on every
//! device (block formats dequantized on the fly; a mixture of experts' per-expert products),
//! fitted by alternating the two. A hardware with at least [`OWN_DECODE_ROWS`] decode rows (of
//! at least two weight sizes) or [`OWN_PREFILL_ROWS`] prefill rows gets its own fit of that part.
//! Continuous batching, per memory class with batched rows: the three constants minimise the
//! sum of squared log errors of output tokens/s over a grid; a class without batched rows takes
//! its llama.cpp fit.

use crate::catalog::measured::{Measured, MEASURED};
use crate::engine::serving::{Engine, Fit, Kernels, MemoryClass, Serving};
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
    /// Prefill's kernel shares, the same on every device.
    pub kernels: Kernels,
}

/// Rounds of the alternating prefill fit: each hardware's (or class's) efficiency given the
/// kernel shares, then the shares given the efficiencies; the change is below 1e-9 well
/// before the last round.
const KERNEL_ROUNDS: usize = 60;

/// The constants in use, per engine and memory class with the class's decode spread
/// (see [`decode_spread`]): [`fit`] of [`MEASURED`], as `cargo run -p crossover-core --example
/// fits` prints it, which a test checks. Kept as constants so that the page's first load carries
/// neither the table nor the fitting.
pub const FITTED_CLASSES: &[(Engine, MemoryClass, Fit, (f64, f64))] = &[
    (
        Engine::Llamacpp,
        MemoryClass::Gddr,
        Fit {
            bandwidth_eff: 0.9166114316952413,
            dequant_read: 0.98,
            overhead_ms: 2.8613688195713967,
            compute_eff: 0.3944085246484213,
        },
        (0.7958223770634906, 1.0978491949038092),
    ),
    (
        Engine::Vllm,
        MemoryClass::Gddr,
        Fit {
            bandwidth_eff: 0.84,
            dequant_read: 1.0,
            overhead_ms: 0.5,
            compute_eff: 0.2,
        },
        (0.989800099243375, 1.016919255737002),
    ),
    (
        Engine::Llamacpp,
        MemoryClass::Hbm,
        Fit {
            bandwidth_eff: 0.5457767585570117,
            dequant_read: 1.0,
            overhead_ms: 2.901759802117524,
            compute_eff: 0.2829076918299204,
        },
        (0.8418207625156833, 1.1520336806234424),
    ),
    (
        Engine::Vllm,
        MemoryClass::Hbm,
        Fit {
            bandwidth_eff: 0.58,
            dequant_read: 1.0,
            overhead_ms: 0.25,
            compute_eff: 0.62,
        },
        (0.8750769531810265, 1.219473720640324),
    ),
    (
        Engine::Llamacpp,
        MemoryClass::Unified,
        Fit {
            bandwidth_eff: 0.8166399428576501,
            dequant_read: 0.93,
            overhead_ms: 2.67413156034648,
            compute_eff: 0.6076794412776594,
        },
        (0.5981221309318149, 1.1147279118968174),
    ),
    (
        Engine::Vllm,
        MemoryClass::Unified,
        Fit {
            bandwidth_eff: 0.8166399428576501,
            dequant_read: 0.93,
            overhead_ms: 2.67413156034648,
            compute_eff: 0.6076794412776594,
        },
        (0.5981221309318149, 1.1147279118968174),
    ),
];

/// Prefill's kernel shares, as [`FITTED_CLASSES`].
pub const FITTED_KERNELS: Kernels = Kernels {
    dequant_prefill: 0.8616410578508263,
    moe_prefill: 0.4547307785600665,
};

/// The hardware with their own fit, as [`FITTED_CLASSES`].
pub const FITTED_HARDWARE: &[(&str, Fit)] = &[
    (
        "rtx-4080",
        Fit {
            bandwidth_eff: 0.9166114316952413,
            dequant_read: 0.98,
            overhead_ms: 2.8613688195713967,
            compute_eff: 0.4865195238848599,
        },
    ),
    (
        "rtx-3090",
        Fit {
            bandwidth_eff: 0.8709410985365877,
            dequant_read: 1.0,
            overhead_ms: 3.4320830056493703,
            compute_eff: 0.42015135461097136,
        },
    ),
    (
        "rtx-4090",
        Fit {
            bandwidth_eff: 0.9782458324142906,
            dequant_read: 0.99,
            overhead_ms: 2.963079841893035,
            compute_eff: 0.3841663646825138,
        },
    ),
    (
        "rtx-4000-ada",
        Fit {
            bandwidth_eff: 0.9166114316952413,
            dequant_read: 0.98,
            overhead_ms: 2.8613688195713967,
            compute_eff: 0.3926628338602635,
        },
    ),
    (
        "rtx-5000-ada",
        Fit {
            bandwidth_eff: 0.9166114316952413,
            dequant_read: 0.98,
            overhead_ms: 2.8613688195713967,
            compute_eff: 0.31611008561645826,
        },
    ),
    (
        "rtx-a6000",
        Fit {
            bandwidth_eff: 0.8820860290220753,
            dequant_read: 0.95,
            overhead_ms: 2.368464709268248,
            compute_eff: 0.4334224070882802,
        },
    ),
    (
        "rtx-6000-ada",
        Fit {
            bandwidth_eff: 0.9065876295021638,
            dequant_read: 0.93,
            overhead_ms: 1.8338163593356809,
            compute_eff: 0.2551266764528671,
        },
    ),
    (
        "a40",
        Fit {
            bandwidth_eff: 0.7893201648867016,
            dequant_read: 0.91,
            overhead_ms: 1.7957631043825981,
            compute_eff: 0.37891441832264333,
        },
    ),
    (
        "l40s",
        Fit {
            bandwidth_eff: 0.8269531442537404,
            dequant_read: 0.94,
            overhead_ms: 1.8331945584898266,
            compute_eff: 0.2843080724899534,
        },
    ),
    (
        "a100-pcie-80gb",
        Fit {
            bandwidth_eff: 0.506972687962523,
            dequant_read: 1.0,
            overhead_ms: 2.484939602571543,
            compute_eff: 0.34667592641527245,
        },
    ),
    (
        "a100-80gb",
        Fit {
            bandwidth_eff: 0.5283717787179983,
            dequant_read: 1.0,
            overhead_ms: 3.311928626190235,
            compute_eff: 0.3608133786602801,
        },
    ),
    (
        "h100-pcie-80gb",
        Fit {
            bandwidth_eff: 0.6328590301458085,
            dequant_read: 0.9,
            overhead_ms: 2.8449594086201575,
            compute_eff: 0.19630916451492098,
        },
    ),
    (
        "m1-max-64",
        Fit {
            bandwidth_eff: 0.7505814139949125,
            dequant_read: 0.62,
            overhead_ms: 3.3943799299472444,
            compute_eff: 0.6223725991055743,
        },
    ),
    (
        "m2-ultra-192",
        Fit {
            bandwidth_eff: 0.8415163616751341,
            dequant_read: 0.83,
            overhead_ms: 4.5410795423522705,
            compute_eff: 0.6594164101538217,
        },
    ),
    (
        "m3-max-64",
        Fit {
            bandwidth_eff: 0.9802032466305174,
            dequant_read: 0.87,
            overhead_ms: 6.998282996835499,
            compute_eff: 0.6782018495144314,
        },
    ),
    (
        "dgx-spark",
        Fit {
            bandwidth_eff: 0.9208304539027425,
            dequant_read: 1.0,
            overhead_ms: 2.909496519738151,
            compute_eff: 0.6700443050541645,
        },
    ),
    (
        "ryzen-ai-max-395",
        Fit {
            bandwidth_eff: 0.8440109828419979,
            dequant_read: 1.0,
            overhead_ms: 2.9349110748655822,
            compute_eff: 0.30412218089663867,
        },
    ),
    (
        "m3-ultra-512",
        Fit {
            bandwidth_eff: 0.8166399428576501,
            dequant_read: 0.93,
            overhead_ms: 2.67413156034648,
            compute_eff: 0.9089374819460946,
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
        kernels: FITTED_KERNELS,
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
    dequant_read: 1.0,
    overhead_ms: 2.0,
    compute_eff: 0.4,
};

/// Fits `rows`.
pub fn fit(rows: &[Measured]) -> Fits {
    let llama: Vec<&Measured> = rows
        .iter()
        .filter(|r| r.engine == Engine::Llamacpp)
        .collect();
    let kernels = kernels_fit(&llama);
    let mut classes = Vec::new();
    for class in MemoryClass::ALL {
        let of_class: Vec<&Measured> = llama
            .iter()
            .copied()
            .filter(|r| r.device.device.class == class)
            .collect();
        let llama_fit = Fit {
            compute_eff: prefill_eff(&of_class, kernels).unwrap_or(NEUTRAL.compute_eff),
            ..decode_fit(&of_class).unwrap_or(NEUTRAL)
        };
        classes.push((Engine::Llamacpp, class, llama_fit));
        let batched: Vec<&Measured> = rows
            .iter()
            .filter(|r| r.device.device.class == class && r.aggregate_tps.is_some())
            .collect();
        classes.push((
            Engine::Vllm,
            class,
            batched_fit(&batched, kernels).unwrap_or(llama_fit),
        ));
    }
    let mut hardware: Vec<(&'static str, Fit)> = Vec::new();
    for row in &llama {
        let id = row.device.id;
        if hardware.iter().any(|(h, _)| *h == id) {
            continue;
        }
        let own = own_rows(&llama, id);
        let base = class_fit(
            &Fits {
                classes: classes.clone(),
                hardware: Vec::new(),
                kernels,
            },
            Engine::Llamacpp,
            row.device.device.class,
        );
        let decode = (decode_rows(&own).len() >= OWN_DECODE_ROWS)
            .then(|| decode_fit(&own))
            .flatten();
        let prefill = has_own_prefill(&own)
            .then(|| prefill_eff(&own, kernels))
            .flatten();
        if decode.is_some() || prefill.is_some() {
            let d = decode.unwrap_or(base);
            hardware.push((
                id,
                Fit {
                    bandwidth_eff: d.bandwidth_eff,
                    dequant_read: d.dequant_read,
                    overhead_ms: d.overhead_ms,
                    compute_eff: prefill.unwrap_or(base.compute_eff),
                },
            ));
        }
    }
    Fits {
        classes,
        hardware,
        kernels,
    }
}

/// The llama.cpp rows of hardware `id`.
fn own_rows<'a>(rows: &[&'a Measured], id: &str) -> Vec<&'a Measured> {
    rows.iter().copied().filter(|r| r.device.id == id).collect()
}

fn has_own_prefill(own: &[&Measured]) -> bool {
    own.iter().filter(|r| r.prefill_tps.is_some()).count() >= OWN_PREFILL_ROWS
}

/// The kernel shares that, with each hardware's (or its class's) prefill efficiency fitted
/// given them, make the geometric mean of measured ÷ estimated 1 over the rows each share
/// applies to: alternating the two fits, each a least squares on log errors.
fn kernels_fit(rows: &[&Measured]) -> Kernels {
    let mut kernels = Kernels::NONE;
    for _ in 0..KERNEL_ROUNDS {
        let ratios: Vec<(&Measured, f64)> = rows
            .iter()
            .filter_map(|r| {
                let own = own_rows(rows, r.device.id);
                let peers: Vec<&Measured> = if has_own_prefill(&own) {
                    own
                } else {
                    rows.iter()
                        .copied()
                        .filter(|p| p.device.device.class == r.device.device.class)
                        .collect()
                };
                let eff = prefill_eff(&peers, kernels)?;
                let fit = Fit {
                    bandwidth_eff: 1.0,
                    dequant_read: 1.0,
                    overhead_ms: 0.0,
                    compute_eff: eff,
                };
                Some((*r, r.prefill_tps? / prefill_estimate(r, fit, kernels)))
            })
            .collect();
        let shift = |applies: &dyn Fn(&Measured) -> bool| {
            let logs: Vec<f64> = ratios
                .iter()
                .filter(|(r, _)| applies(r))
                .map(|(_, ratio)| ratio.ln())
                .collect();
            if logs.is_empty() {
                1.0
            } else {
                (logs.iter().sum::<f64>() / logs.len() as f64).exp()
            }
        };
        kernels = Kernels {
            dequant_prefill: (kernels.dequant_prefill
                * shift(&|r| r.quant.weight_bits().dequantized))
            .min(1.0),
            moe_prefill: (kernels.moe_prefill * shift(&|r| r.shape.is_moe())).min(1.0),
        };
    }
    kernels
}

/// Prefill tokens/s of a row under `fit` and `kernels`.
fn prefill_estimate(row: &Measured, fit: Fit, kernels: Kernels) -> f64 {
    let prompt = f64::from(row.prompt_tokens);
    prompt / serving_of(row, fit, kernels).prefill_s(prompt, f64::from(row.depth))
}

/// The serving model of a row's model and device under `fit`.
pub fn serving_of(row: &Measured, fit: Fit, kernels: Kernels) -> Serving {
    Serving {
        shape: row.shape,
        bits: row.quant.weight_bits(),
        kv: crate::engine::serving::KvQuant::F16,
        device: row.device.device,
        units: row.units,
        engine: row.engine,
        fit,
        kernels,
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

/// Each row's weight in a fit: 1 over its device's rows among `rows`, so that every device
/// counts once in its class.
fn device_weight(rows: &[&Measured], row: &Measured) -> f64 {
    let same = rows.iter().filter(|r| r.device.id == row.device.id).count();
    1.0 / same.max(1) as f64
}

/// The decode constants of `rows`: `t = a · x(s) + o`, with `x(s)` the seconds the step would
/// read for at full bandwidth when block-format weights are read at share `s` of it. Where
/// the rows hold both plain and block-format weights, `s` is the value on a grid of 0.01 from
/// [`LOWEST_DEQUANT_READ`] to 1 whose fit leaves the least loss; elsewhere the rows cannot
/// tell it from the bandwidth and it is 1.
fn decode_fit(rows: &[&Measured]) -> Option<Fit> {
    let rows = decode_rows(rows);
    let dequantized = |r: &&Measured| r.quant.weight_bits().dequantized;
    let mixed = rows.iter().any(dequantized) && !rows.iter().all(dequantized);
    let lowest = if mixed { LOWEST_DEQUANT_READ } else { 100 };
    (lowest..=100)
        .filter_map(|share| linear_decode_fit(&rows, f64::from(share) / 100.0))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, fit)| fit)
}

/// Lowest share of the bandwidth block-format weights are read at, in hundredths.
const LOWEST_DEQUANT_READ: u32 = 30;

/// Weighted least squares of `t = a · x + o` at a given `dequant_read`, weights
/// [`device_weight`] `/ t²` (the relative error), with its loss.
fn linear_decode_fit(rows: &[&Measured], dequant_read: f64) -> Option<(f64, Fit)> {
    let full = Fit {
        bandwidth_eff: 1.0,
        dequant_read,
        overhead_ms: 0.0,
        compute_eff: 1.0,
    };
    let points: Vec<(f64, f64, f64)> = rows
        .iter()
        .filter_map(|r| {
            let unit = serving_of(r, full, Kernels::NONE);
            let t = 1.0 / r.decode_tps?;
            Some((
                unit.memory_s(1.0, decode_depth(r)),
                t,
                device_weight(rows, r) / (t * t),
            ))
        })
        .collect();
    let (mut sw, mut sx, mut st, mut sxx, mut sxt) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(x, t, w) in &points {
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
    let loss = points
        .iter()
        .map(|&(x, t, w)| w * (a * x + o - t).powi(2))
        .sum();
    Some((
        loss,
        Fit {
            bandwidth_eff: 1.0 / a,
            dequant_read,
            overhead_ms: o * 1e3,
            compute_eff: NEUTRAL.compute_eff,
        },
    ))
}

/// Geometric mean of measured over estimated-at-full-throughput prefill, each row weighted
/// by [`device_weight`], at most 1.
fn prefill_eff(rows: &[&Measured], kernels: Kernels) -> Option<f64> {
    let full = Fit {
        bandwidth_eff: 1.0,
        dequant_read: 1.0,
        overhead_ms: 0.0,
        compute_eff: 1.0,
    };
    let (mut weights, mut logs) = (0.0, 0.0);
    for r in rows {
        if let Some(measured) = r.prefill_tps {
            let w = device_weight(rows, r);
            weights += w;
            logs += w * (measured / prefill_estimate(r, full, kernels)).ln();
        }
    }
    (weights > 0.0).then(|| (logs / weights).exp().min(1.0))
}

/// Output tokens/s of a batched row under `fit`.
fn batched_estimate(row: &Measured, fit: Fit, kernels: Kernels) -> f64 {
    serving_of(row, fit, kernels).aggregate_tps(
        f64::from(row.concurrency),
        f64::from(row.prompt_tokens),
        f64::from(row.generated_tokens),
    )
}

/// Grid search of the three constants on batched rows.
fn batched_fit(rows: &[&Measured], kernels: Kernels) -> Option<Fit> {
    if rows.len() < 3 {
        return None;
    }
    let mut best: Option<(f64, Fit)> = None;
    for b in 15..=50 {
        for o in 0..=32 {
            for c in 2..=50 {
                let fit = Fit {
                    bandwidth_eff: f64::from(b) * 0.02,
                    dequant_read: 1.0,
                    overhead_ms: f64::from(o) * 0.25,
                    compute_eff: f64::from(c) * 0.02,
                };
                let loss: f64 = rows
                    .iter()
                    .filter_map(|r| {
                        Some(
                            (batched_estimate(r, fit, kernels) / r.aggregate_tps?)
                                .ln()
                                .powi(2),
                        )
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
    MEASURED
        .iter()
        .enumerate()
        .flat_map(|(index, row)| row_accuracy(index, row, fits))
        .collect()
}

/// Every figure of row `index` of the table against its estimate with the fits of the table
/// without that row: how far the model lands on a measurement it was not fitted on. A row
/// whose hardware falls below its own fit's row count is estimated with its class's fit.
pub fn held_out(index: usize) -> Vec<Accuracy> {
    let others: Vec<Measured> = MEASURED
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, r)| *r)
        .collect();
    row_accuracy(index, &MEASURED[index], &fit(&others))
}

/// The figures of `row` (row `index` of the table) against their estimates under `fits`.
fn row_accuracy(index: usize, row: &Measured, fits: &Fits) -> Vec<Accuracy> {
    let own_fit =
        row.engine == Engine::Llamacpp && fits.hardware.iter().any(|(id, _)| *id == row.device.id);
    let unit = serving_of(
        row,
        fit_in(fits, row.engine, row.device.id, row.device.device.class),
        fits.kernels,
    );
    let prompt = f64::from(row.prompt_tokens);
    [
        (
            Figure::Decode,
            row.decode_tps,
            unit.decode_tps(decode_depth(row)),
        ),
        (
            Figure::Prefill,
            row.prefill_tps,
            prompt / unit.prefill_s(prompt, f64::from(row.depth)),
        ),
        (
            Figure::Aggregate,
            row.aggregate_tps,
            batched_estimate(row, unit.fit, fits.kernels),
        ),
    ]
    .into_iter()
    .filter_map(|(figure, measured, estimate)| {
        measured.map(|measured| Accuracy {
            row: index,
            figure,
            measured,
            estimate,
            error: estimate / measured - 1.0,
            own_fit,
        })
    })
    .collect()
}

/// The spread of a class's estimates: the smallest and largest `measured / estimate` over its
/// rows, each estimated with the fits of the table without it ([`held_out`]): single-stream
/// decode under llama.cpp, batched output under vLLM (its llama.cpp decode spread where the
/// class has no batched rows), `(low, high)`.
pub fn decode_spread(engine: Engine, class: MemoryClass) -> (f64, f64) {
    FITTED_CLASSES
        .iter()
        .find(|(e, c, _, _)| *e == engine && *c == class)
        .map_or((1.0, 1.0), |(_, _, _, spread)| *spread)
}

/// [`held_out`] of every row of the table.
pub fn held_out_all() -> Vec<Accuracy> {
    (0..MEASURED.len()).flat_map(held_out).collect()
}

/// [`decode_spread`] computed from `held_out`, as [`held_out_all`] gives it; `(1, 1)` without
/// rows.
pub fn decode_spread_of(held_out: &[Accuracy], engine: Engine, class: MemoryClass) -> (f64, f64) {
    let spread = |figure: Figure| {
        held_out
            .iter()
            .filter(|a| a.figure == figure && MEASURED[a.row].device.device.class == class)
            .map(|a| a.measured / a.estimate)
            .fold(None, |acc: Option<(f64, f64)>, r| {
                Some(acc.map_or((r, r), |(lo, hi)| (lo.min(r), hi.max(r))))
            })
    };
    match engine {
        Engine::Llamacpp => spread(Figure::Decode),
        Engine::Vllm => spread(Figure::Aggregate).or_else(|| spread(Figure::Decode)),
    }
    .unwrap_or((1.0, 1.0))
}

/// The error summary of the table under the fits in use, as [`summary_of`].
pub fn summary() -> String {
    summary_of(&accuracy())
}

/// [`summary_of`] the [`held_out_all`] errors, as `cargo run -q -p crossover-core --example fits`
/// prints it, which a test checks: kept as a constant for the same reason as
/// [`FITTED_CLASSES`].
pub const HELD_OUT_SUMMARY: &str = "decode 69 rows, median error 5.9%, worst 67.2%; prefill 67 \
     rows, median error 11.8%, worst 44.6%; batched output 17 rows, median error 7.4%, worst 18.0%";

/// The error summary of `rows` in words: per figure, rows, median and worst absolute error,
/// the figures joined by `; `.
pub fn summary_of(rows: &[Accuracy]) -> String {
    [
        (Figure::Decode, "decode"),
        (Figure::Prefill, "prefill"),
        (Figure::Aggregate, "batched output"),
    ]
    .iter()
    .map(|&(figure, name)| {
        let mut errors: Vec<f64> = rows
            .iter()
            .filter(|a| a.figure == figure)
            .map(|a| a.error.abs() * 100.0)
            .collect();
        errors.sort_by(f64::total_cmp);
        let median = match errors.len() {
            0 => 0.0,
            n if n % 2 == 1 => errors[n / 2],
            n => (errors[n / 2 - 1] + errors[n / 2]) / 2.0,
        };
        let worst = errors.last().copied().unwrap_or(0.0);
        format!(
            "{name} {} rows, median error {median:.1}%, worst {worst:.1}%",
            errors.len()
        )
    })
    .collect::<Vec<_>>()
    .join("; ")
}

/// Single-stream figures must land within this share of the measurement.
pub const SINGLE_STREAM_TOLERANCE: f64 = 0.25;
/// Batched figures must land within this share of the measurement.
pub const BATCHED_TOLERANCE: f64 = 0.30;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_is_within_its_tolerance() {
        let missed: Vec<(usize, Figure, f64)> = accuracy()
            .into_iter()
            .filter(|a| {
                let tolerance = match a.figure {
                    Figure::Aggregate => BATCHED_TOLERANCE,
                    _ => SINGLE_STREAM_TOLERANCE,
                };
                a.error.abs() > tolerance
            })
            .map(|a| (a.row, a.figure, a.error))
            .collect();
        assert_eq!(missed, []);
    }

    #[test]
    fn the_decode_fit_recovers_the_constants_behind_its_rows() {
        // The M1 Max's rows (plain and block-format weights, two sizes) with decode speeds
        // made by known constants: the fit finds them again, the block-format share to its grid.
        let truth = Fit {
            bandwidth_eff: 0.7,
            dequant_read: 0.6,
            overhead_ms: 3.0,
            compute_eff: NEUTRAL.compute_eff,
        };
        let rows: Vec<Measured> = MEASURED
            .iter()
            .filter(|r| r.device.id == "m1-max-64" && r.decode_tps.is_some())
            .map(|r| Measured {
                decode_tps: Some(serving_of(r, truth, Kernels::NONE).decode_tps(decode_depth(r))),
                ..*r
            })
            .collect();
        assert_eq!(rows.len(), 3);
        let found = decode_fit(&rows.iter().collect::<Vec<_>>()).expect("three rows fit");
        assert!((found.bandwidth_eff - 0.7).abs() < 1e-9, "{found:?}");
        assert!((found.dequant_read - 0.6).abs() < 1e-9, "{found:?}");
        assert!((found.overhead_ms - 3.0).abs() < 1e-6, "{found:?}");
    }

    #[test]
    fn the_constants_are_the_fit_of_the_table() {
        assert_eq!(fitted(), fit(MEASURED));
        let held_out = held_out_all();
        assert_eq!(summary_of(&held_out), HELD_OUT_SUMMARY);
        for (engine, class, _, spread) in FITTED_CLASSES {
            assert_eq!(decode_spread_of(&held_out, *engine, *class), *spread);
        }
    }
}
