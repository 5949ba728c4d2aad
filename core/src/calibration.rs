//! The serving model's constants, fitted on [`crate::measured`], and how far each measured row
//! is from its estimate.
//!
//! llama.cpp, per memory class: a decode step of one stream takes `a · bytes / bandwidth + o`
//! seconds, fitted by least squares on the relative error (weights `1 / t²`) over the class's
//! decode rows, giving `bandwidth_eff = 1 / a` and `overhead = o`; prefill's compute
//! efficiency is the geometric mean of measured ÷ estimated-at-full-throughput over the class's
//! prefill rows, after two kernel shares the same on every device (block formats dequantized
//! on the fly; a mixture of experts' per-expert products), fitted by alternating the two. A hardware with at least [`OWN_DECODE_ROWS`] decode rows (of at least two
//! weight sizes) or [`OWN_PREFILL_ROWS`] prefill rows gets its own fit of that part.
//! Continuous batching, per memory class with batched rows: the three constants minimise the
//! sum of squared log errors of output tokens/s over a grid; a class without batched rows takes
//! its llama.cpp fit.

use crate::measured::{Measured, MEASURED};
use crate::serving::{Engine, Fit, Kernels, MemoryClass, Serving};
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
            bandwidth_eff: 0.8865270503334172,
            overhead_ms: 2.7166625553931887,
            compute_eff: 0.37343286603507986,
        },
        (0.8810873576587979, 1.0833625356732854),
    ),
    (
        Engine::Vllm,
        MemoryClass::Gddr,
        Fit {
            bandwidth_eff: 0.84,
            overhead_ms: 0.5,
            compute_eff: 0.2,
        },
        (0.989800099243375, 1.0082682553498552),
    ),
    (
        Engine::Llamacpp,
        MemoryClass::Hbm,
        Fit {
            bandwidth_eff: 0.5457767585570118,
            overhead_ms: 2.901759802117524,
            compute_eff: 0.27729102003439315,
        },
        (0.9240281092658559, 1.0551390372425278),
    ),
    (
        Engine::Vllm,
        MemoryClass::Hbm,
        Fit {
            bandwidth_eff: 0.58,
            overhead_ms: 0.25,
            compute_eff: 0.62,
        },
        (0.8890090943995683, 1.1319871830494608),
    ),
    (
        Engine::Llamacpp,
        MemoryClass::Unified,
        Fit {
            bandwidth_eff: 0.8060142908777392,
            overhead_ms: 2.3701179737252125,
            compute_eff: 0.5350772276307968,
        },
        (0.7307929826648129, 1.224205362807096),
    ),
    (
        Engine::Vllm,
        MemoryClass::Unified,
        Fit {
            bandwidth_eff: 0.8060142908777392,
            overhead_ms: 2.3701179737252125,
            compute_eff: 0.5350772276307968,
        },
        (1.0, 1.0),
    ),
];

/// Prefill's kernel shares, as [`FITTED_CLASSES`].
pub const FITTED_KERNELS: Kernels = Kernels {
    dequant_prefill: 0.8851398259676737,
    moe_prefill: 0.4702721597790665,
};

/// The hardware with their own fit, as [`FITTED_CLASSES`].
pub const FITTED_HARDWARE: &[(&str, Fit)] = &[
    (
        "rtx-4080",
        Fit {
            bandwidth_eff: 0.8865270503334172,
            overhead_ms: 2.7166625553931887,
            compute_eff: 0.4800717831388723,
        },
    ),
    (
        "rtx-3090",
        Fit {
            bandwidth_eff: 0.8709410985365877,
            overhead_ms: 3.4320830056493703,
            compute_eff: 0.41458495892960134,
        },
    ),
    (
        "rtx-4090",
        Fit {
            bandwidth_eff: 0.983078691859209,
            overhead_ms: 3.043506944794343,
            compute_eff: 0.37907671789254593,
        },
    ),
    (
        "rtx-4000-ada",
        Fit {
            bandwidth_eff: 0.8865270503334172,
            overhead_ms: 2.7166625553931887,
            compute_eff: 0.3874589560526487,
        },
    ),
    (
        "rtx-5000-ada",
        Fit {
            bandwidth_eff: 0.8865270503334172,
            overhead_ms: 2.7166625553931887,
            compute_eff: 0.3119207452525365,
        },
    ),
    (
        "rtx-a6000",
        Fit {
            bandwidth_eff: 0.8587655967178663,
            overhead_ms: 2.46308151246787,
            compute_eff: 0.42576511114464766,
        },
    ),
    (
        "rtx-6000-ada",
        Fit {
            bandwidth_eff: 0.873478967048125,
            overhead_ms: 1.9428713907285042,
            compute_eff: 0.2506193403466443,
        },
    ),
    (
        "a40",
        Fit {
            bandwidth_eff: 0.7543063910616166,
            overhead_ms: 2.0702730664100657,
            compute_eff: 0.3738927453695158,
        },
    ),
    (
        "l40s",
        Fit {
            bandwidth_eff: 0.8013692089924784,
            overhead_ms: 1.9530884984573433,
            compute_eff: 0.27680712047544437,
        },
    ),
    (
        "a100-pcie-80gb",
        Fit {
            bandwidth_eff: 0.5069726879625236,
            overhead_ms: 2.4849396025715516,
            compute_eff: 0.34055118500439746,
        },
    ),
    (
        "a100-80gb",
        Fit {
            bandwidth_eff: 0.5283717787179987,
            overhead_ms: 3.3119286261902396,
            compute_eff: 0.3512939731231079,
        },
    ),
    (
        "h100-pcie-80gb",
        Fit {
            bandwidth_eff: 0.5965153830880003,
            overhead_ms: 2.9009445293263365,
            compute_eff: 0.19284096041528426,
        },
    ),
    (
        "m1-max-64",
        Fit {
            bandwidth_eff: 0.6589819178897325,
            overhead_ms: 8.222310617068418,
            compute_eff: 0.6113771104076666,
        },
    ),
    (
        "m2-ultra-192",
        Fit {
            bandwidth_eff: 0.8080640740957273,
            overhead_ms: 5.442341177297182,
            compute_eff: 0.6506595133373136,
        },
    ),
    (
        "m3-max-64",
        Fit {
            bandwidth_eff: 0.9113057928596926,
            overhead_ms: 7.3697687618456005,
            compute_eff: 0.6662200225799665,
        },
    ),
    (
        "dgx-spark",
        Fit {
            bandwidth_eff: 0.9208304539027458,
            overhead_ms: 2.9094965197381946,
            compute_eff: 0.6382822817350617,
        },
    ),
    (
        "ryzen-ai-max-395",
        Fit {
            bandwidth_eff: 0.8440109828419979,
            overhead_ms: 2.9349110748655813,
            compute_eff: 0.273901225581571,
        },
    ),
    (
        "m3-ultra-512",
        Fit {
            bandwidth_eff: 0.8060142908777392,
            overhead_ms: 2.3701179737252125,
            compute_eff: 0.8852519845976496,
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
        kv: crate::serving::KvQuant::F16,
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
                Kernels::NONE,
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

/// Geometric mean of measured over estimated-at-full-throughput prefill, at most 1.
fn prefill_eff(rows: &[&Measured], kernels: Kernels) -> Option<f64> {
    let full = Fit {
        bandwidth_eff: 1.0,
        overhead_ms: 0.0,
        compute_eff: 1.0,
    };
    let logs: Vec<f64> = rows
        .iter()
        .filter_map(|r| Some((r.prefill_tps? / prefill_estimate(r, full, kernels)).ln()))
        .collect();
    (!logs.is_empty()).then(|| {
        (logs.iter().sum::<f64>() / logs.len() as f64)
            .exp()
            .min(1.0)
    })
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
    let mut out = Vec::new();
    for (index, row) in MEASURED.iter().enumerate() {
        let own_fit = row.engine == Engine::Llamacpp
            && fits.hardware.iter().any(|(id, _)| *id == row.device.id);
        let unit = serving_of(
            row,
            fit_in(fits, row.engine, row.device.id, row.device.device.class),
            fits.kernels,
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
            batched_estimate(row, unit.fit, fits.kernels),
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

/// The error summary of the table under the fits in use, as [`summary_of`].
pub fn summary() -> String {
    summary_of(&accuracy())
}

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

/// The figures the model misses by more than the tolerance, `(row, figure)`, each for a reason
/// the model does not capture:
/// - row 1, RTX 3080 10GB prefill (−25.1%): the source measures the 3080 as fast as the 3080 Ti
///   (3,729 against 3,690 tok/s) although it has 12% fewer tensor FLOPS;
/// - row 38, M1 Max Llama 3 70B Q4_K_M decode (+36.8%): on the M1's GPU, dequantizing k-quants
///   rather than reading memory limits decode (the same machine reads F16 weights at 75% of
///   its bandwidth and Q4_K_M at 45%), and its three rows cannot fit one bandwidth;
/// - row 60, Ryzen AI Max+ 395 Llama 3.1 70B prefill (+28.3%): 11 TFLOPS effective where the
///   machine's 7B–32B rows reach 14–16.
pub const MISSED: &[(usize, Figure)] = &[
    (1, Figure::Prefill),
    (38, Figure::Decode),
    (60, Figure::Prefill),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_is_within_its_tolerance_but_the_named_misses() {
        let missed: Vec<(usize, Figure)> = accuracy()
            .into_iter()
            .filter(|a| {
                let tolerance = match a.figure {
                    Figure::Aggregate => BATCHED_TOLERANCE,
                    _ => SINGLE_STREAM_TOLERANCE,
                };
                a.error.abs() > tolerance
            })
            .map(|a| (a.row, a.figure))
            .collect();
        assert_eq!(missed, MISSED);
    }

    #[test]
    fn the_constants_are_the_fit_of_the_table() {
        let fits = fit(MEASURED);
        assert_eq!(fitted(), fits);
        for (engine, class, _, spread) in FITTED_CLASSES {
            assert_eq!(decode_spread_of(&fits, *engine, *class), *spread);
        }
    }
}
