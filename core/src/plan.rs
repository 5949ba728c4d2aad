//! A resolved scenario with its sizing: the one place costs at any volume come from.

use crate::capacity::{Capacity, Load, Speed};
use crate::cost::{self, CloudCost, LocalCost, UnitMonthly};
use crate::inputs::Inputs;
use crate::memory::Memory;
use crate::scenario::Mode;

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
}

impl Plan {
    /// Sizes `inputs`.
    pub fn new(inputs: Inputs) -> Plan {
        let memory = Memory::new(
            inputs.model,
            inputs.quant,
            inputs.ctx,
            inputs.slots,
            inputs.unit.memory_gb,
        );
        let speed = Speed::new(
            inputs.measured_decode_tps,
            inputs.measured_prefill_tps,
            inputs.unit.bandwidth_gbps,
            inputs.unit.fp16_tflops,
            memory.weights_gb,
            inputs.model.params_b,
        );
        let load = Load::new(&inputs, &speed, &memory);
        Plan {
            inputs,
            memory,
            speed,
            load,
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
        self.local_cost_of(mode, self.capacity(rpd).units, rpd)
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
