//! Memory a local model needs (weights, GQA-aware KV cache, runtime overhead) and whether it fits.

use crate::catalog::{Hardware, LocalModel, HARDWARE};
use crate::scenario::Quant;
use serde::Serialize;

/// Runtime overhead per replica, GB: CUDA/Metal context plus compute buffers as llama.cpp
/// allocates them for an 8B model at batch 512 (about 0.5 GB each).
pub const OVERHEAD_GB: f64 = 1.0;

/// Bytes per KV-cache element: llama.cpp and Ollama keep the cache in f16.
const KV_BYTES: f64 = 2.0;

/// What a replica of the model needs, and how many units hold it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Memory {
    /// `params_b * bits_per_weight / 8`, GB.
    pub weights_gb: f64,
    /// `2 * layers * kv_heads * head_dim * ctx * 2 bytes * slots / 1e9`, GB.
    pub kv_gb: f64,
    /// [`OVERHEAD_GB`].
    pub overhead_gb: f64,
    /// `weights_gb + kv_gb + overhead_gb`.
    pub total_gb: f64,
    /// Memory of one unit, GB.
    pub unit_memory_gb: f64,
    /// `ceil(total_gb / unit_memory_gb)`, at least 1.
    pub units_per_replica: u32,
}

impl Memory {
    /// Sizes `model` at `quant` with `ctx` tokens of cache for each of `slots` streams.
    pub fn new(
        model: &LocalModel,
        quant: Quant,
        ctx: u32,
        slots: u32,
        unit_memory_gb: f64,
    ) -> Memory {
        let weights_gb = weights_gb(model.params_b, quant);
        let kv_gb = kv_gb(model, ctx, slots);
        let total_gb = weights_gb + kv_gb + OVERHEAD_GB;
        Memory {
            weights_gb,
            kv_gb,
            overhead_gb: OVERHEAD_GB,
            total_gb,
            unit_memory_gb,
            units_per_replica: units_to_hold(total_gb, unit_memory_gb),
        }
    }

    /// Whether one unit holds a replica.
    pub fn fits_one_unit(&self) -> bool {
        self.units_per_replica == 1
    }
}

/// Weights of `params_b` billion parameters at `quant`, GB: `params_b * bits / 8`.
pub fn weights_gb(params_b: f64, quant: Quant) -> f64 {
    params_b * quant.bits_per_weight() / 8.0
}

/// KV cache, GB: keys and values (2) for every layer, KV head and head dimension, `ctx`
/// positions, 2 bytes each, for each of `slots` streams.
pub fn kv_gb(model: &LocalModel, ctx: u32, slots: u32) -> f64 {
    2.0 * f64::from(model.layers)
        * f64::from(model.kv_heads)
        * f64::from(model.head_dim)
        * f64::from(ctx)
        * KV_BYTES
        * f64::from(slots)
        / 1e9
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
    /// Memory of one unit, GB.
    pub memory_gb: f64,
    /// Units per replica at the scenario's quantization.
    pub units_at_quant: u32,
    /// The most precise quantization that fits in one unit, if any.
    pub best_quant_in_one_unit: Option<Quant>,
}

/// The fit of the model on every catalog hardware, at `quant` and at its best single-unit quant.
pub fn hardware_fits(model: &LocalModel, quant: Quant, ctx: u32, slots: u32) -> Vec<HardwareFit> {
    HARDWARE
        .iter()
        .map(|hw: &Hardware| HardwareFit {
            hardware_id: hw.id,
            name: hw.name,
            memory_gb: hw.memory_gb,
            units_at_quant: Memory::new(model, quant, ctx, slots, hw.memory_gb).units_per_replica,
            best_quant_in_one_unit: Quant::ALL
                .into_iter()
                .rev()
                .find(|q| Memory::new(model, *q, ctx, slots, hw.memory_gb).fits_one_unit()),
        })
        .collect()
}
