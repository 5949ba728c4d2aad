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
use std::sync::OnceLock;

/// Decode rows a hardware needs for its own decode fit.
pub const OWN_DECODE_ROWS: usize = 3;
/// Prefill rows a hardware needs for its own prefill fit.
pub const OWN_PREFILL_ROWS: usize = 2;

/// Every fit, made once.
#[derive(Debug, Clone, PartialEq)]
pub struct Fits {
    /// Per engine and memory class.
    pub classes: Vec<(Engine, MemoryClass, Fit)>,
    /// Per hardware id (llama.cpp rows only).
    pub hardware: Vec<(&'static str, Fit)>,
}

/// The fits of the table, computed on first use.
pub fn fits() -> &'static Fits {
    static FITS: OnceLock<Fits> = OnceLock::new();
    FITS.get_or_init(|| fit(MEASURED))
}

/// The constants for `engine` on a hardware of `class`: the hardware's own fit under
/// llama.cpp where it has one, else its class's.
pub fn fit_for(engine: Engine, hardware_id: &str, class: MemoryClass) -> Fit {
    let fits = fits();
    let own = (engine == Engine::Llamacpp)
        .then(|| fits.hardware.iter().find(|(id, _)| *id == hardware_id))
        .flatten();
    match own {
        Some((_, fit)) => *fit,
        None => class_fit(fits, engine, class),
    }
}

/// The class's constants, without any hardware's own fit.
pub fn class_fit(fits: &Fits, engine: Engine, class: MemoryClass) -> Fit {
    fits.classes
        .iter()
        .find(|(e, c, _)| *e == engine && *c == class)
        .map(|(_, _, f)| *f)
        .unwrap_or(NEUTRAL)
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
    let fits = fits();
    let mut out = Vec::new();
    for (index, row) in MEASURED.iter().enumerate() {
        let own_fit = row.engine == Engine::Llamacpp
            && fits.hardware.iter().any(|(id, _)| *id == row.device.id);
        let unit = serving_of(
            row,
            fit_for(row.engine, row.device.id, row.device.device.class),
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

/// The spread of a class's decode estimates: the smallest and largest `measured / estimate`
/// over its single-stream rows, `(low, high)`; `(1, 1)` without rows.
pub fn decode_spread(engine: Engine, class: MemoryClass) -> (f64, f64) {
    let figure = match engine {
        Engine::Llamacpp => Figure::Decode,
        Engine::Vllm => Figure::Aggregate,
    };
    accuracy()
        .into_iter()
        .filter(|a| a.figure == figure && MEASURED[a.row].device.device.class == class)
        .map(|a| a.measured / a.estimate)
        .fold(None, |acc: Option<(f64, f64)>, r| {
            Some(acc.map_or((r, r), |(lo, hi)| (lo.min(r), hi.max(r))))
        })
        .unwrap_or((1.0, 1.0))
}
