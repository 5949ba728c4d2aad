//! A resolved scenario with its sizing: the one place costs at any volume come from.

use crate::engine::calibration;
use crate::engine::capacity::{Capacity, Curve, DecodeScale, Load, Source, Speed, StreamsLimit};
use crate::engine::cost::{self, CloudCost, LocalCost, UnitMonthly};
use crate::engine::inputs::Inputs;
use crate::engine::memory::{Memory, Sizing};
use crate::engine::serving::{Engine, Serving};
use crate::scenario::{AggregatePoint, Mode};

/// Tensor-parallel degrees tried beyond the fewest units that hold a replica: vLLM splits
/// attention heads evenly, so powers of two, up to the 8 GPUs of one server.
const TENSOR_PARALLEL: [u32; 3] = [2, 4, 8];

/// Inputs plus memory, speed and load, computed once.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The resolved inputs.
    pub inputs: Inputs,
    /// Memory of one replica.
    pub memory: Memory,
    /// Per-stream speeds.
    pub speed: Speed,
    /// The load model.
    pub load: Load,
    /// How the memory was sized (shared by the hardware comparison).
    pub sizing: Sizing,
}

impl Plan {
    /// Sizes `inputs`: the memory of a replica, the serving curve (measured figures applied),
    /// the streams per replica (engine slots, then the KV cache that fits, then the TPOT
    /// target) and the load. Under vLLM with units not fixed, a replica is spread over the
    /// tensor-parallel degree (the fewest units that hold it, or 2, 4 or 8) that needs the
    /// fewest units in all at the scenario's volume, the smaller degree on a tie.
    pub fn new(inputs: Inputs) -> Plan {
        let first = Plan::spread(inputs, 1);
        if first.inputs.engine != Engine::Vllm || first.inputs.fixed_units.is_some() {
            return first;
        }
        let rpd = first.inputs.rpd;
        let mut best_units = first.units(rpd);
        let mut best = first;
        for degree in TENSOR_PARALLEL {
            if degree <= best.memory.units_per_replica {
                continue;
            }
            let wider = Plan::spread(best.inputs.clone(), degree);
            let units = wider.units(rpd);
            if units < best_units {
                best_units = units;
                best = wider;
            }
        }
        best
    }

    /// [`Plan::new`] with a vLLM replica spread over at least `units` units.
    fn spread(inputs: Inputs, units: u32) -> Plan {
        let i = &inputs;
        let engine_streams = i.slots.unwrap_or(i.engine.default_streams()).max(1);
        let sizing = Sizing {
            kv: i.kv_quant,
            engine: i.engine,
            ctx: i.ctx,
            request_tokens: saturate(i.input_tokens + i.output_tokens),
            streams: engine_streams,
        };
        let mut base = Memory::new(&i.model.shape, i.quant, &sizing, i.unit.memory_gb);
        if i.engine == Engine::Vllm {
            base = base.spread_over(units);
        }
        let serving = Serving {
            shape: i.model.shape,
            bits: i.quant.weight_bits(),
            kv: i.kv_quant,
            device: i.unit.device,
            units: base.units_per_replica,
            engine: i.engine,
            fit: calibration::fit_for(i.engine, i.hardware.id, i.unit.device.class),
            kernels: calibration::FITTED_KERNELS,
        };
        let mut curve = Curve {
            serving,
            input_tokens: i.input_tokens,
            output_tokens: i.output_tokens,
            measured_prefill_tps: i.measured_prefill_tps,
            decode_scale: DecodeScale::uniform(1.0),
        };
        // A measured point (B, tps) fixes the step time at B: the round `B · out / tps` less
        // the batch's prompts leaves `out` decode steps. A batch never makes a stream faster
        // nor the total smaller, so each step is held between the last point's step `s` and
        // `s · B / B_last` (a noisy point cannot bend the curve the wrong way).
        let mut last: Option<(u32, f64)> = None;
        let fit = |point: &AggregatePoint| {
            let c = point.concurrency.max(1);
            let batch = f64::from(c);
            let out = curve.output_tokens.max(1.0);
            let estimate = curve.estimated_step_s(c);
            let measured = (batch * out / point.tps - batch * curve.prefill_s()) / out;
            let mut step_s = measured.max(1e-3 * estimate);
            if let Some((c0, s0)) = last {
                step_s = step_s.clamp(s0, s0 * batch / f64::from(c0));
            }
            last = Some((c, step_s));
            (c, step_s / estimate)
        };
        curve.decode_scale = match (i.measured_aggregate.as_slice(), i.measured_decode_tps) {
            ([], Some(tps)) => DecodeScale::uniform(1.0 / (tps * curve.step_s(1))),
            ([], None) => DecodeScale::uniform(1.0),
            (points, _) => {
                let fitted: Vec<(u32, f64)> = points.iter().map(fit).collect();
                DecodeScale::fitted(&fitted)
            }
        };
        let (mut streams, mut limit) = (engine_streams, StreamsLimit::Engine);
        if base.max_streams < streams {
            streams = base.max_streams.max(1);
            limit = StreamsLimit::Memory;
        }
        if let Some(target) = i.slo_tpot_ms {
            let within = curve
                .largest_batch_within_tpot(streams, target)
                .unwrap_or(1);
            if within < streams || curve.tpot_ms(1) > target {
                streams = within;
                limit = StreamsLimit::Tpot;
            }
        }
        // The replica's units hold the engine's configured slots; a TPOT target runs fewer.
        let memory = base.with_streams(streams);
        let measured_decode = !i.measured_aggregate.is_empty() || i.measured_decode_tps.is_some();
        let decode_tps = curve.per_stream_tps(1);
        let (low, high) = if measured_decode {
            (1.0, 1.0)
        } else {
            calibration::decode_spread(i.engine, i.unit.device.class)
        };
        let speed = Speed {
            decode_tps,
            decode_source: if measured_decode {
                Source::Measured
            } else {
                Source::Estimated
            },
            decode_tps_low: decode_tps * low,
            decode_tps_high: decode_tps * high,
            prefill_tps: match i.measured_prefill_tps {
                Some(tps) => tps,
                None if i.input_tokens > 0.0 => i.input_tokens / curve.prefill_s(),
                None => serving.prefill_tps(512.0),
            },
            prefill_source: if i.measured_prefill_tps.is_some() {
                Source::Measured
            } else {
                Source::Estimated
            },
        };
        let load = Load {
            curve,
            streams,
            served: curve.at(streams),
            streams_limit: limit,
            engine_streams,
            hours: i.hours,
            peak: i.peak,
            units_per_replica: memory.units_per_replica,
            fixed_units: i.fixed_units,
            slo_ttft_ms: i.slo_ttft_ms,
            slo_tpot_ms: i.slo_tpot_ms,
            engine: i.engine,
        };
        Plan {
            inputs,
            memory,
            speed,
            load,
            sizing: Sizing { streams, ..sizing },
        }
    }

    /// Cloud $/month at `rpd`. A known bill is scaled with volume: `bill * rpd / scenario_rpd`.
    pub fn cloud_monthly(&self, rpd: f64) -> f64 {
        let i = &self.inputs;
        match i.bill {
            Some(bill) => bill * rpd / i.rpd,
            None => cost::cloud_monthly(
                &i.prices,
                i.cache_share,
                rpd,
                i.input_tokens,
                i.output_tokens,
            ),
        }
    }

    /// The cloud cost record at the scenario's volume.
    pub fn cloud_cost(&self) -> CloudCost {
        let i = &self.inputs;
        cost::cloud_cost(
            &i.prices,
            i.cache_share,
            i.rpd,
            i.input_tokens,
            i.output_tokens,
            self.cloud_monthly(i.rpd),
            i.bill.is_some(),
        )
    }

    /// Sizing at `rpd` for the whole load.
    pub fn capacity(&self, rpd: f64) -> Capacity {
        self.load.capacity(rpd, 1.0)
    }

    /// Units running at `rpd` for the whole load, as [`Plan::capacity`] sizes them.
    pub fn units(&self, rpd: f64) -> u32 {
        self.load.units(rpd, 1.0)
    }

    /// Monthly parts of one unit in `mode`.
    pub fn unit_monthly(&self, mode: Mode) -> UnitMonthly {
        UnitMonthly::new(&self.inputs.unit, mode, self.inputs.hours, self.inputs.kwh)
    }

    /// Local cost of `units` units in `mode` at `rpd`.
    pub fn local_cost_of(&self, mode: Mode, units: u32, rpd: f64) -> LocalCost {
        let i = &self.inputs;
        cost::local_cost(
            mode,
            &i.unit,
            &self.unit_monthly(mode),
            units,
            i.maint,
            i.ops,
            rpd,
        )
    }

    /// Local cost in `mode` at `rpd`, with the units that volume needs.
    pub fn local_cost(&self, mode: Mode, rpd: f64) -> LocalCost {
        self.local_cost_of(mode, self.units(rpd), rpd)
    }

    /// Local $/month in the scenario's mode at `rpd`.
    pub fn local_monthly(&self, rpd: f64) -> f64 {
        self.local_cost(self.inputs.mode, rpd).monthly_usd
    }

    /// Whether `mode` can be priced: own needs a price, rent a rate.
    pub fn can_price(&self, mode: Mode) -> bool {
        match mode {
            Mode::Own => self.inputs.can_own,
            Mode::Rent => self.inputs.can_rent,
        }
    }
}

/// A token count as `u32`, saturating.
fn saturate(n: f64) -> u32 {
    if n >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        n.max(0.0).ceil() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::link::decode;

    fn of(link: &str) -> Plan {
        Plan::new(Inputs::resolve(&decode(link).scenario).0)
    }

    /// Units per replica, the fewest that hold one, streams whose cache fits, and units at the
    /// scenario's volume.
    fn check(plan: &Plan, expected: (u32, u32, u32, u32)) {
        let m = &plan.memory;
        assert_eq!(
            (
                m.units_per_replica,
                m.units_to_hold,
                m.max_streams,
                plan.units(plan.inputs.rpd)
            ),
            expected
        );
    }

    // Llama 3.3 70B at FP8 is 70.55 GB; an H100's 80 GiB are 85.899 GB, of which vLLM uses 0.9.
    // One H100 holds it with 77.309 − 70.55 − 1 = 5.759 GB of cache: 14 requests of 1,200
    // tokens at 0.393216 GB each. Two hold 154.619 − 71.55 = 83.069 GB: 211 of them. Two
    // million requests a day over 8 hours keep 69.444/s × 23.86 s = 1,657 in flight: 8
    // replicas of two H100s.
    const SEVENTY_B: &str = "v=1&rpd=2000000&hw=h100-80gb&lm=llama3.3:70b&q=fp8&eng=vllm";

    #[test]
    fn vllm_spreads_a_replica_where_that_needs_fewer_units() {
        let plan = of(SEVENTY_B);
        check(&plan, (2, 1, 211, 16));
        let one = Plan::spread(plan.inputs.clone(), 1);
        assert_eq!(
            (one.memory.units_per_replica, one.memory.max_streams),
            (1, 14)
        );
        assert!(one.units(one.inputs.rpd) > 16);
        // Fixed units keep the fewest that hold a replica.
        check(&of(&format!("{SEVENTY_B}&units=4")), (1, 1, 14, 4));
        // At 20,000 requests a day one H100 serves the load: no wider replica needs fewer.
        check(
            &of("v=1&rpd=20000&hw=h100-80gb&lm=llama3.3:70b&q=fp8&eng=vllm"),
            (1, 1, 14, 1),
        );
    }

    // A measured curve: the replica's output at each measured concurrency is the measured
    // figure, and between two points the step time moves linearly with the batch: at 2, a
    // third of the way from the step at 1 to the step at 4; at 8, a third from 4 to 16.
    #[test]
    fn a_measured_curve_passes_through_every_point() {
        let plan = of("v=1&hw=rtx-4090&lm=llama3.1:8b&eng=vllm&agg=60@1,200@4,500@16");
        let curve = &plan.load.curve;
        for (c, tps) in [(1, 60.0), (4, 200.0), (16, 500.0)] {
            let served = curve.aggregate_tps(c);
            assert!((served / tps - 1.0).abs() < 1e-9, "{served} tok/s at {c}");
        }
        let close = |a: f64, b: f64| (a / b - 1.0).abs() < 1e-12;
        let third = |a: f64, b: f64| a + (b - a) / 3.0;
        assert!(close(
            curve.step_s(2),
            third(curve.step_s(1), curve.step_s(4))
        ));
        assert!(close(
            curve.step_s(8),
            third(curve.step_s(4), curve.step_s(16))
        ));
        assert!(close(curve.decode_factor(64), curve.decode_factor(16)));
        assert_eq!(plan.speed.decode_source, Source::Measured);
        // One point scales the whole curve by one factor, as before.
        let one = of("v=1&hw=rtx-4090&lm=llama3.1:8b&eng=vllm&agg=500@16");
        let curve = one.load.curve;
        assert!(close(curve.decode_factor(1), curve.decode_factor(256)));
        // A point whose streams ran faster than at a lower concurrency is held at its speed:
        // the step at 4 is the step at 1, 1 / 60 s less the prompt's share.
        let odd = of("v=1&hw=rtx-4090&lm=llama3.1:8b&eng=vllm&agg=60@1,1000@4");
        let curve = odd.load.curve;
        assert!(close(curve.step_s(4), curve.step_s(1)), "{curve:?}");
        // A point whose total fell is held at the total of the lower one: its step is 4 times
        // the step at 1, so 4 streams put out what one did (the prompts' share aside).
        let fell = of("v=1&hw=rtx-4090&lm=llama3.1:8b&eng=vllm&agg=60@1,10@4");
        let curve = fell.load.curve;
        assert!(close(curve.step_s(4), 4.0 * curve.step_s(1)), "{curve:?}");
    }
}
