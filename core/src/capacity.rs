//! How many units a load really needs: per-stream speed, Little's law, peaks and memory.

use crate::inputs::Inputs;
use crate::memory::Memory;
use serde::Serialize;

/// Share of memory bandwidth a single decode stream turns into tokens. Calibrated on
/// llama.cpp's published `tg128` figures for 7B Q4_0 (3.79 GB of weights): RTX 4090 about
/// 187 tok/s of 266 possible at 1008 GB/s (0.70), Apple M2 Max about 66 of 106 at 400 GB/s
/// (0.62), M4 Max about 83 of 144 at 546 GB/s (0.58).
pub const DECODE_EFFICIENCY: f64 = 0.65;

/// Share of dense FP16 throughput prefill reaches, at 2 FLOPs per parameter per token.
/// Calibrated on llama.cpp `pp512`: RTX 4090 with 8B Q4_0 about 10,400 tok/s, near all of its
/// 165 TFLOPS; Apple M2 Max with 7B Q4_0 about 670 tok/s, a third of its ~27 TFLOPS. The
/// middle, 0.5, is used; a measured figure replaces it.
pub const PREFILL_EFFICIENCY: f64 = 0.5;

/// Seconds in an hour.
const HOUR_S: f64 = 3600.0;

/// Where a speed figure came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Given by the user or measured live.
    Measured,
    /// Estimated from the hardware's bandwidth or throughput.
    Estimated,
}

/// Per-stream speeds used for sizing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Speed {
    /// Decode tokens/s per stream.
    pub decode_tps: f64,
    /// Where `decode_tps` came from.
    pub decode_source: Source,
    /// Prefill tokens/s per stream.
    pub prefill_tps: f64,
    /// Where `prefill_tps` came from.
    pub prefill_source: Source,
}

impl Speed {
    /// Measured figures where given, otherwise the estimates of [`estimate_decode_tps`] and
    /// [`estimate_prefill_tps`].
    pub fn new(
        measured_decode: Option<f64>,
        measured_prefill: Option<f64>,
        bandwidth_gbps: f64,
        fp16_tflops: f64,
        weights_gb: f64,
        params_b: f64,
    ) -> Speed {
        let (decode_tps, decode_source) = match measured_decode {
            Some(tps) => (tps, Source::Measured),
            None => (
                estimate_decode_tps(bandwidth_gbps, weights_gb),
                Source::Estimated,
            ),
        };
        let (prefill_tps, prefill_source) = match measured_prefill {
            Some(tps) => (tps, Source::Measured),
            None => (
                estimate_prefill_tps(fp16_tflops, params_b),
                Source::Estimated,
            ),
        };
        Speed {
            decode_tps,
            decode_source,
            prefill_tps,
            prefill_source,
        }
    }

    /// Seconds one request occupies a stream: `in / prefill_tps + out / decode_tps`.
    pub fn service_s(&self, input_tokens: f64, output_tokens: f64) -> f64 {
        input_tokens / self.prefill_tps + output_tokens / self.decode_tps
    }
}

/// Memory-bound decode: `DECODE_EFFICIENCY * bandwidth_gbps / weights_gb` tokens/s.
pub fn estimate_decode_tps(bandwidth_gbps: f64, weights_gb: f64) -> f64 {
    DECODE_EFFICIENCY * bandwidth_gbps / weights_gb
}

/// Compute-bound prefill: `PREFILL_EFFICIENCY * tflops * 1e12 / (2 * params_b * 1e9)` tokens/s.
pub fn estimate_prefill_tps(fp16_tflops: f64, params_b: f64) -> f64 {
    PREFILL_EFFICIENCY * fp16_tflops * 1e12 / (2.0 * params_b * 1e9)
}

/// The constraint that set the number of units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    /// Peak concurrent requests exceed the average load.
    Peak,
    /// The average load (Little's law) needs the streams.
    Load,
    /// The user fixed the number of units.
    Fixed,
}

/// The sizing of the local side at one volume.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Capacity {
    /// Seconds one request occupies a stream.
    pub service_s: f64,
    /// `rpd / (hrs * 3600) * service_s` (Little's law).
    pub avg_concurrency: f64,
    /// `max(peak, ceil(avg_concurrency))`.
    pub needed_slots: u32,
    /// Streams one replica serves in parallel.
    pub slots_per_replica: u32,
    /// Units that hold one replica (memory).
    pub units_per_replica: u32,
    /// Replicas running.
    pub replicas: u32,
    /// `replicas * units_per_replica`, or the fixed number.
    pub units: u32,
    /// Units the load needs, fixed or not: `ceil(needed_slots / slots) * units_per_replica`.
    pub needed_units: u32,
    /// `avg_concurrency / (replicas * slots)`; `None` when no replica fits in the fixed units.
    pub utilization: Option<f64>,
    /// Which constraint bound the units.
    pub bound: Bound,
}

/// The load a scenario puts on streams, ready to size at any volume.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    /// Seconds one request occupies a stream.
    pub service_s: f64,
    /// Active hours per day.
    pub hours: f64,
    /// Peak concurrent requests.
    pub peak: u32,
    /// Streams per replica.
    pub slots: u32,
    /// Units per replica.
    pub units_per_replica: u32,
    /// Units fixed by the user.
    pub fixed_units: Option<u32>,
}

impl Load {
    /// The load of `inputs` at the given speeds and memory.
    pub fn new(inputs: &Inputs, speed: &Speed, memory: &Memory) -> Load {
        Load {
            service_s: speed.service_s(inputs.input_tokens, inputs.output_tokens),
            hours: inputs.hours,
            peak: inputs.peak,
            slots: inputs.slots,
            units_per_replica: memory.units_per_replica,
            fixed_units: inputs.fixed_units,
        }
    }

    /// Average concurrent requests at `rpd` requests a day: `rpd / (hrs * 3600) * service_s`.
    pub fn avg_concurrency(&self, rpd: f64) -> f64 {
        rpd / (self.hours * HOUR_S) * self.service_s
    }

    /// Requests a day one replica serves at full use: `slots * hrs * 3600 / service_s`.
    pub fn rpd_per_replica(&self) -> f64 {
        f64::from(self.slots) * self.hours * HOUR_S / self.service_s
    }

    /// Replicas the peak alone needs: `ceil(peak / slots)`.
    pub fn peak_replicas(&self) -> u32 {
        self.peak.div_ceil(self.slots.max(1))
    }

    /// Sizes the local side for `rpd` requests a day, with the peak scaled by `peak_share`
    /// (1 for the whole load; a hybrid's local share otherwise).
    pub fn capacity(&self, rpd: f64, peak_share: f64) -> Capacity {
        let avg = self.avg_concurrency(rpd);
        let peak = (f64::from(self.peak) * peak_share).ceil();
        let avg_slots = avg.ceil();
        let needed = saturate(peak.max(avg_slots));
        let slots = self.slots.max(1);
        let upr = self.units_per_replica.max(1);
        let needed_replicas = needed.div_ceil(slots);
        let needed_units = needed_replicas.saturating_mul(upr);
        let (replicas, units, bound) = match self.fixed_units {
            Some(units) => (units / upr, units, Bound::Fixed),
            None => {
                let bound = if peak > avg_slots {
                    Bound::Peak
                } else {
                    Bound::Load
                };
                (needed_replicas, needed_units, bound)
            }
        };
        let streams = f64::from(replicas) * f64::from(slots);
        Capacity {
            service_s: self.service_s,
            avg_concurrency: avg,
            needed_slots: needed,
            slots_per_replica: slots,
            units_per_replica: upr,
            replicas,
            units,
            needed_units,
            utilization: (streams > 0.0).then(|| avg / streams),
            bound,
        }
    }
}

/// Converts a non-negative count to `u32`, saturating.
fn saturate(n: f64) -> u32 {
    if n >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        n.max(0.0) as u32
    }
}
