//! `evaluate`: one call from a scenario to everything the page shows, as serializable data.

use crate::catalog::{CloudModel, Hardware, LocalModel};
use crate::engine::break_even::{break_even, BreakEven};
use crate::engine::capacity::{Bound, Capacity, Speed};
use crate::engine::cost::{CloudCost, LocalCost};
use crate::engine::decision::{cost_scores, decide, Decision};
use crate::engine::guide::{guide, Guide};
use crate::engine::hybrid::{hybrid, Hybrid};
use crate::engine::inputs::Inputs;
use crate::engine::memory::{hardware_fits, HardwareFit, Memory};
use crate::engine::plan::Plan;
use crate::engine::sensitivity::{sensitivity, Sensitivity};
use crate::engine::sweep::{chart_max_rpd, volume_sweep, Point};
use crate::engine::tco::{tco, Tco};
use crate::scenario::{Criterion, Mode, Scenario};
use serde::Serialize;

/// Points in the report's volume sweep.
pub const SWEEP_POINTS: u32 = 60;

/// Everything computed for one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Cloud cost at the scenario's volume.
    pub cloud: CloudCost,
    /// Local cost in the scenario's mode.
    pub local: LocalCost,
    /// Local cost if the units were bought; `None` without a purchase price.
    pub owned: Option<LocalCost>,
    /// Local cost if the units were rented; `None` without a rental rate.
    pub rented: Option<LocalCost>,
    /// Units needed and why.
    pub capacity: Capacity,
    /// Per-stream speeds used.
    pub speed: Speed,
    /// Memory of one replica.
    pub memory: Memory,
    /// How the model fits on each catalog hardware.
    pub hardware_fit: Vec<HardwareFit>,
    /// Payback and break-even volume.
    pub break_even: BreakEven,
    /// Total cost of ownership over the horizon.
    pub tco: Tco,
    /// The weighted decision matrix.
    pub decision: Decision,
    /// The rule-based guide.
    pub guide: Guide,
    /// Hybrid mixes.
    pub hybrid: Hybrid,
    /// The tornado table.
    pub sensitivity: Sensitivity,
    /// Monthly cost of both sides across volumes.
    pub sweep: Vec<Point>,
    /// The cloud model priced, with its source and date.
    pub cloud_model: &'static CloudModel,
    /// The local model sized.
    pub local_model: &'static LocalModel,
    /// The hardware priced, with its source and date.
    pub hardware: &'static Hardware,
    /// What the user should know: fall-backs, memory, binding constraints, payback past life.
    pub warnings: Vec<String>,
}

/// Evaluates a scenario. Never panics: invalid fields are reset to defaults with a warning.
pub fn evaluate(scenario: &Scenario) -> Report {
    let (inputs, mut warnings) = Inputs::resolve(scenario);
    let plan = Plan::new(inputs);
    let i = &plan.inputs;
    let rpd = i.rpd;
    let cloud = plan.cloud_cost();
    let capacity = plan.capacity(rpd);
    let local = plan.local_cost(i.mode, rpd);
    let priced = |mode: Mode| plan.can_price(mode).then(|| plan.local_cost(mode, rpd));
    let break_even = break_even(&plan);
    let derived_cost = i.derive_cost_score.then(|| {
        let (l, c) = cost_scores(local.monthly_usd, cloud.monthly_usd);
        let note = format!(
            "derived: local ${:.2}/month against cloud ${:.2}/month",
            local.monthly_usd, cloud.monthly_usd
        );
        (Criterion::Cost, (l, c, note))
    });
    // Measured latency always wins over the default scores, as a measured speed does.
    let derived_latency = match i.measured_ttft_ms {
        (Some(local_ms), Some(cloud_ms)) => {
            let (l, c) = cost_scores(local_ms, cloud_ms);
            let note = format!(
                "derived: measured time to first token, local {local_ms:.1} ms against cloud {cloud_ms:.1} ms"
            );
            Some((Criterion::Latency, (l, c, note)))
        }
        _ => None,
    };
    warnings.extend(capacity_warnings(&plan, &capacity));
    if let (Some(months), Mode::Own) = (break_even.payback_months, i.mode) {
        let life = i.unit.life_years * 12.0;
        if months > life {
            warnings.push(format!(
                "payback takes {months:.1} months, longer than the hardware's {life:.0}-month life"
            ));
        }
    }
    Report {
        cloud,
        local,
        owned: priced(Mode::Own),
        rented: priced(Mode::Rent),
        capacity,
        speed: plan.speed,
        memory: plan.memory,
        hardware_fit: hardware_fits(i.model, i.quant, &plan.sizing),
        tco: tco(&plan),
        decision: decide(
            &i.priorities,
            &i.weights,
            &[derived_cost, derived_latency]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>(),
        ),
        guide: guide(&i.flags, cloud.monthly_usd, local.monthly_usd),
        hybrid: hybrid(&plan),
        sensitivity: sensitivity(&plan),
        sweep: volume_sweep(
            &plan,
            chart_max_rpd(rpd, break_even.volume_rpd),
            SWEEP_POINTS,
        ),
        break_even,
        cloud_model: i.cloud_model,
        local_model: i.model,
        hardware: i.hardware,
        warnings,
    }
}

/// Warnings about memory, context, the binding constraint and fixed units.
fn capacity_warnings(plan: &Plan, capacity: &Capacity) -> Vec<String> {
    let i = &plan.inputs;
    let m = &plan.memory;
    let mut out = Vec::new();
    if !m.fits_one_unit() {
        out.push(format!(
            "model does not fit in one unit: {} at {} needs {:.1} GB, one {} has {:.0} GB, so each replica takes {} units",
            i.model.name,
            i.quant.as_str(),
            m.total_gb,
            i.hardware.name,
            m.unit_memory_gb,
            m.units_per_replica
        ));
    }
    let request = i.input_tokens + i.output_tokens;
    if request > f64::from(i.ctx) {
        out.push(format!(
            "a request of {request:.0} tokens does not fit the {}-token context per stream",
            i.ctx
        ));
    }
    if i.ctx > i.model.context_tokens {
        out.push(format!(
            "context of {} tokens is more than {} supports ({})",
            i.ctx, i.model.name, i.model.context_tokens
        ));
    }
    if let Some(target) = i.slo_tpot_ms {
        let one = plan.load.curve.tpot_ms(1);
        if one > target {
            out.push(format!(
                "the time-per-output-token target of {target} ms cannot be met: one stream alone takes {one:.1} ms per token"
            ));
        }
    }
    if let Some(target) = i.slo_ttft_ms {
        let prefill = plan.load.curve.prefill_s() * 1e3;
        if prefill > target {
            out.push(format!(
                "the time-to-first-token target of {target} ms cannot be met: the prompt's prefill alone takes {prefill:.0} ms"
            ));
        }
    }
    match capacity.bound {
        Bound::Peak => out.push(format!(
            "capacity bound by peak concurrency: {} concurrent requests need {} streams while the average load needs {:.2}",
            i.peak, capacity.needed_slots, capacity.avg_concurrency
        )),
        Bound::Fixed => match capacity.utilization {
            None => out.push(format!(
                "the fixed {} units cannot hold one replica, which takes {} units",
                capacity.units, capacity.units_per_replica
            )),
            Some(u) if u > 1.0 => out.push(format!(
                "the fixed {} units run at {:.0}% of capacity: requests will queue",
                capacity.units,
                u * 100.0
            )),
            Some(_) => {}
        },
        _ => {}
    }
    out
}
