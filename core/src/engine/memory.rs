//! Memory a replica needs (weights, GQA- and window-aware KV cache at its element type,
//! runtime overhead), how many units hold it, and how many streams' cache fits beside it.

use crate::catalog::{Hardware, LocalModel, GIB, HARDWARE};
use crate::engine::serving::{Engine, KvQuant, Shape};
use crate::scenario::Quant;
use crate::view::format::count;
use serde::Serialize;

/// Runtime overhead per replica, GB: CUDA/Metal context plus compute buffers as llama.cpp
/// allocates them for an 8B model at batch 512 (about 0.5 GB each).
pub const OVERHEAD_GB: f64 = 1.0;

/// What a replica of the model needs, and how many units hold it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Memory {
    /// Weights at the quantization, GB: `(shared · shared bits + experts · bits) / 8`.
    pub weights_gb: f64,
    /// KV cache of one stream holding `kv_tokens`, GB.
    pub kv_gb_per_stream: f64,
    /// Tokens of cache each stream holds: the context (`ctx`) under llama.cpp, which reserves
    /// it per slot; the request's `in + out` under vLLM, whose paged cache holds only what is
    /// used.
    pub kv_tokens: u32,
    /// KV cache of every stream, GB.
    pub kv_gb: f64,
    /// [`OVERHEAD_GB`].
    pub overhead_gb: f64,
    /// `weights_gb + kv_gb + overhead_gb`.
    pub total_gb: f64,
    /// Memory of one unit, GB (10^9 bytes): the vendor's GiB times 1.073741824.
    pub unit_memory_gb: f64,
    /// Share of a unit's memory the engine uses (vLLM's `gpu_memory_utilization`).
    pub usable_share: f64,
    /// Units a replica runs on, at least 1: the fewest that hold it, or more under vLLM's
    /// tensor parallelism (see [`Memory::spread_over`]).
    pub units_per_replica: u32,
    /// The fewest units that hold a replica.
    pub units_to_hold: u32,
    /// Streams whose cache fits beside the weights in those units.
    pub max_streams: u32,
}

impl Memory {
    /// Sizes a replica of `shape` at `quant` on units of `unit_memory_gib`. Under llama.cpp the
    /// units hold `streams` slots of `ctx` tokens each; under vLLM they hold the weights and at
    /// least one request of `request_tokens`, and the streams are what fits beside them.
    pub fn new(shape: &Shape, quant: Quant, sizing: &Sizing, unit_memory_gib: f64) -> Memory {
        let Sizing {
            kv,
            engine,
            ctx,
            request_tokens,
            streams,
        } = *sizing;
        let weights_gb = weights_gb(shape, quant);
        let kv_tokens = match engine {
            Engine::Llamacpp => ctx,
            Engine::Vllm => request_tokens.max(1),
        };
        let per_stream = shape.kv_bytes(f64::from(kv_tokens), kv) / 1e9;
        let unit_memory_gb = unit_memory_gib * GIB / 1e9;
        let usable_share = engine.memory_share();
        let usable = unit_memory_gb * usable_share;
        let (units_per_replica, max_streams) = match engine {
            Engine::Llamacpp => {
                let total = weights_gb + per_stream * f64::from(streams) + OVERHEAD_GB;
                (units_to_hold(total, usable), streams)
            }
            Engine::Vllm => {
                let upr = units_to_hold(weights_gb + OVERHEAD_GB + per_stream, usable);
                let free = f64::from(upr) * usable - weights_gb - OVERHEAD_GB;
                let fit = if per_stream > 0.0 {
                    (free / per_stream).floor().clamp(0.0, f64::from(u32::MAX))
                } else {
                    f64::from(u32::MAX)
                };
                (upr, fit as u32)
            }
        };
        Memory {
            weights_gb,
            kv_gb_per_stream: per_stream,
            kv_tokens,
            kv_gb: per_stream * f64::from(streams),
            overhead_gb: OVERHEAD_GB,
            total_gb: weights_gb + per_stream * f64::from(streams) + OVERHEAD_GB,
            unit_memory_gb,
            usable_share,
            units_per_replica,
            units_to_hold: units_per_replica,
            max_streams,
        }
    }

    /// The same vLLM replica split over `units` by tensor parallelism (no fewer than hold it):
    /// the streams whose cache fits are `floor((units · usable − weights − overhead) / cache
    /// per stream)`.
    pub fn spread_over(self, units: u32) -> Memory {
        let units = units.max(self.units_to_hold);
        let free = f64::from(units) * self.unit_memory_gb * self.usable_share
            - self.weights_gb
            - self.overhead_gb;
        let fit = if self.kv_gb_per_stream > 0.0 {
            (free / self.kv_gb_per_stream)
                .floor()
                .clamp(0.0, f64::from(u32::MAX))
        } else {
            f64::from(u32::MAX)
        };
        Memory {
            units_per_replica: units,
            max_streams: fit as u32,
            ..self
        }
    }

    /// The same replica running `streams` streams: their cache and the total.
    pub fn with_streams(self, streams: u32) -> Memory {
        let kv_gb = self.kv_gb_per_stream * f64::from(streams);
        Memory {
            kv_gb,
            total_gb: self.weights_gb + kv_gb + self.overhead_gb,
            ..self
        }
    }

    /// How the units per replica were chosen, in words: the fewest that hold it, or a wider
    /// tensor-parallel split.
    pub fn spread_text(&self) -> String {
        if self.units_per_replica > self.units_to_hold {
            format!(
                "tensor parallel over {} units, which needs fewer units in all at this volume than \
                 the {} that hold it",
                self.units_per_replica, self.units_to_hold
            )
        } else {
            format!(
                "{} per replica",
                count(self.units_per_replica as usize, "unit")
            )
        }
    }

    /// Whether one unit holds a replica.
    pub fn fits_one_unit(&self) -> bool {
        self.units_per_replica == 1
    }
}

/// Weights of `shape` at `quant`, GB.
pub fn weights_gb(shape: &Shape, quant: Quant) -> f64 {
    let bits = quant.weight_bits();
    let shared = shape.shared_params_b();
    let shared_bits = if shape.is_moe() {
        bits.shared
    } else {
        bits.quantized
    };
    (shared * shared_bits + (shape.params_b - shared) * bits.quantized) / 8.0
}

/// `ceil(total / unit)`, at least 1, saturating for absurd sizes.
fn units_to_hold(total_gb: f64, unit_memory_gb: f64) -> u32 {
    if unit_memory_gb <= 0.0 {
        return u32::MAX;
    }
    let units = (total_gb / unit_memory_gb).ceil().max(1.0);
    if units >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        units as u32
    }
}

/// How one catalog hardware holds the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HardwareFit {
    /// Hardware id.
    pub hardware_id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Memory of one unit as the vendor states it, GiB.
    pub memory_gb: f64,
    /// Units per replica at the scenario's quantization.
    pub units_at_quant: u32,
    /// The most precise quantization that fits in one unit, if any.
    pub best_quant_in_one_unit: Option<Quant>,
}

/// The replica's sizing settings, shared by every hardware compared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sizing {
    /// KV-cache type.
    pub kv: KvQuant,
    /// Engine.
    pub engine: Engine,
    /// Context per stream.
    pub ctx: u32,
    /// Tokens of one request.
    pub request_tokens: u32,
    /// Streams per replica.
    pub streams: u32,
}

/// The fit of the model on every catalog hardware, at `quant` and at its best single-unit quant.
pub fn hardware_fits(model: &LocalModel, quant: Quant, sizing: &Sizing) -> Vec<HardwareFit> {
    HARDWARE
        .iter()
        .map(|hw: &Hardware| HardwareFit {
            hardware_id: hw.id,
            name: hw.name,
            memory_gb: hw.memory_gb,
            units_at_quant: Memory::new(&model.shape, quant, sizing, hw.memory_gb)
                .units_per_replica,
            best_quant_in_one_unit: Quant::ALL
                .into_iter()
                .rev()
                .find(|q| Memory::new(&model.shape, *q, sizing, hw.memory_gb).fits_one_unit()),
        })
        .collect()
}
