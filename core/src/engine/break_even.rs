//! When local pays back and at what volume it starts to win.

use crate::engine::cost::DAYS_PER_MONTH;
use crate::engine::plan::Plan;
use crate::engine::tco::Simulation;
use serde::Serialize;

/// The largest volume searched, requests/day (the `rpd` field's own limit).
pub const MAX_RPD: f64 = 1e9;

/// How far a payback with growth is searched, months (20 years).
pub const PAYBACK_SEARCH_MONTHS: u32 = 240;

/// Break-even figures of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BreakEven {
    /// Months until local has paid back; `None` when it never does.
    pub payback_months: Option<f64>,
    /// Whether the payback comes from month-by-month simulation (growth) rather than the
    /// closed form `upfront / (cloud_monthly - opex_monthly)`.
    pub payback_simulated: bool,
    /// Requests served until payback: `payback_months * rpd * 30`.
    pub requests_to_payback: Option<f64>,
    /// Smallest requests/day at which local costs no more than cloud; `None` when none.
    pub volume_rpd: Option<f64>,
    /// The same volume in tokens a month: `volume_rpd * (in + out) * 30`.
    pub volume_tokens_month: Option<f64>,
    /// What local costs a month at that volume, which cloud equals there: `volume_rpd * a`.
    pub volume_monthly_usd: Option<f64>,
    /// Why there is no break-even volume; `None` when there is one.
    pub no_volume: Option<NoVolume>,
    /// `cloud_monthly - local_monthly` at the scenario's volume.
    pub monthly_savings_usd: f64,
    /// What each month of local saves in cash at the scenario's volume, the closed-form
    /// payback's divisor: `cloud_monthly - local opex_monthly`.
    pub cash_saving_monthly_usd: f64,
    /// What one request a day costs in cloud a month, `a = cloud_monthly(1)`.
    pub cloud_per_rpd_usd: f64,
    /// What one replica costs a month: `units_per_replica * unit_monthly`.
    pub replica_monthly_usd: f64,
    /// Requests a day one replica serves at full use, `R`.
    pub replica_max_rpd: f64,
    /// The most one full replica saves in cloud bills a month, `a * R`.
    pub replica_saving_monthly_usd: f64,
}

/// Why no volume breaks even.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NoVolume {
    /// Cloud costs nothing per request.
    CloudFree,
    /// A full replica saves less in cloud bills than it costs (`a * R <= u * c`): local never
    /// costs less at any volume.
    ReplicaNeverPays,
    /// Local stays above cloud up to [`MAX_RPD`].
    BeyondSearch,
}

/// Computes every break-even figure of `plan`.
pub fn break_even(plan: &Plan) -> BreakEven {
    let i = &plan.inputs;
    let (payback_months, payback_simulated) = if i.growth == 0.0 {
        (payback_steady(plan), false)
    } else {
        (payback_simulated(plan, PAYBACK_SEARCH_MONTHS), true)
    };
    let volume_rpd = break_even_volume(plan);
    let a = cloud_per_rpd(plan);
    let replica_monthly_usd = replica_monthly(plan);
    let replica_max_rpd = plan.load.rpd_per_replica();
    let replica_saving = a * replica_max_rpd;
    let no_volume = match volume_rpd {
        Some(_) => None,
        None if a <= 0.0 => Some(NoVolume::CloudFree),
        None if i.fixed_units.is_none() && replica_saving <= replica_monthly_usd => {
            Some(NoVolume::ReplicaNeverPays)
        }
        None => Some(NoVolume::BeyondSearch),
    };
    BreakEven {
        payback_months,
        payback_simulated,
        requests_to_payback: payback_months.map(|m| m * i.rpd * DAYS_PER_MONTH),
        volume_rpd,
        volume_tokens_month: volume_rpd
            .map(|r| r * (i.input_tokens + i.output_tokens) * DAYS_PER_MONTH),
        no_volume,
        monthly_savings_usd: plan.cloud_monthly(i.rpd) - plan.local_monthly(i.rpd),
        cash_saving_monthly_usd: cash_saving(plan).0,
        volume_monthly_usd: volume_rpd.map(|v| v * a),
        cloud_per_rpd_usd: a,
        replica_monthly_usd,
        replica_max_rpd,
        replica_saving_monthly_usd: replica_saving,
    }
}

/// What one request a day costs in cloud a month, `cloud_monthly(1)`; 0 when that is not a
/// finite number (a known bill at no volume).
fn cloud_per_rpd(plan: &Plan) -> f64 {
    let a = plan.cloud_monthly(1.0);
    if a.is_finite() {
        a
    } else {
        0.0
    }
}

/// What one replica costs a month: `units_per_replica * unit_monthly`.
fn replica_monthly(plan: &Plan) -> f64 {
    f64::from(plan.load.units_per_replica.max(1)) * plan.unit_monthly(plan.inputs.mode).total()
}

/// Closed-form payback: `upfront / (cloud_monthly - opex_monthly)` months; `None` when the
/// difference is not positive.
pub fn payback_steady(plan: &Plan) -> Option<f64> {
    let (saving, upfront) = cash_saving(plan);
    (saving > 0.0).then(|| upfront / saving)
}

/// What local saves in cash each month at the scenario's volume, `cloud_monthly - opex_monthly`,
/// and what it costs upfront.
fn cash_saving(plan: &Plan) -> (f64, f64) {
    let rpd = plan.inputs.rpd;
    let local = plan.local_cost(plan.inputs.mode, rpd);
    (
        plan.cloud_monthly(rpd) - local.opex_monthly_usd,
        local.upfront_usd,
    )
}

/// Payback found by simulating month by month up to `limit` months: purchases fall at the
/// start of a month, running costs and the cloud bill accrue evenly through it, and the
/// crossing is interpolated inside the month. With no growth and no replacement inside the
/// payback period this equals [`payback_steady`].
pub fn payback_simulated(plan: &Plan, limit: u32) -> Option<f64> {
    let (mut local, mut cloud) = (0.0, 0.0);
    for step in Simulation::new(plan).take(limit as usize) {
        let start = local + step.purchases_usd;
        let running = step.running_usd;
        let gain = step.cloud_usd - running;
        if gain > 0.0 && start - cloud <= gain {
            return Some(f64::from(step.month) + (start - cloud) / gain);
        }
        local = start + running;
        cloud += step.cloud_usd;
    }
    None
}

/// The smallest requests/day at which local costs no more than cloud, honoring capacity steps.
///
/// Cloud is linear in volume, `a * r`. Local is a step function: with `R` requests/day per
/// replica at full use, `n` replicas serve `r <= n * R` and cost `L(n) = n * u * c + F`
/// (`u` units per replica at `c` $/month each, `F` maintenance plus operations). The answer is
/// `L(n) / a` for the first `n` (from the peak's minimum) where it lies within that step, which
/// exists only when a full replica earns more in cloud savings than it costs (`a * R > u * c`).
pub fn break_even_volume(plan: &Plan) -> Option<f64> {
    /// Replica counts tried one by one under a time-to-first-token target.
    const LINEAR_STEPS: u32 = 4096;
    let i = &plan.inputs;
    let a = cloud_per_rpd(plan);
    if a <= 0.0 {
        return None;
    }
    let unit = plan.unit_monthly(i.mode).total();
    let fixed = i.maint + i.ops;
    let load = &plan.load;
    let answer = match i.fixed_units {
        Some(units) => (f64::from(units) * unit + fixed) / a,
        None => {
            let per_replica = replica_monthly(plan);
            let cost = |n: f64| n * per_replica + fixed;
            let r = load.rpd_per_replica();
            let n0 = f64::from(load.peak_replicas().max(1));
            if load.reachable_ttft_target().is_some() {
                // Queueing makes the replicas a volume needs grow faster than the load: the
                // first n whose break-even volume cost(n) / a needs at most n replicas. Over the
                // first steps queueing's share of the replicas can rise and fall, so they are
                // tried one by one; beyond them it only falls, so the search gallops, then
                // bisects.
                let upr = f64::from(load.units_per_replica.max(1));
                let volume = |n: f64| cost(n) / a;
                let holds = |n: f64| f64::from(plan.units(volume(n))) <= n * upr;
                let mut n = n0;
                for _ in 0..LINEAR_STEPS {
                    if volume(n) > MAX_RPD {
                        return None;
                    }
                    if holds(n) {
                        return Some(volume(n));
                    }
                    n += 1.0;
                }
                let (mut lo, mut hi) = (n - 1.0, n);
                while !holds(hi) {
                    if volume(hi) > MAX_RPD {
                        return None;
                    }
                    lo = hi;
                    hi *= 2.0;
                }
                while hi - lo > 1.0 {
                    let mid = ((lo + hi) / 2.0).floor();
                    if holds(mid) {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                return (volume(hi) <= MAX_RPD).then(|| volume(hi));
            }
            if cost(n0) / a <= n0 * r {
                cost(n0) / a
            } else {
                let margin = a * r - per_replica;
                if margin <= 0.0 {
                    return None;
                }
                let n = (n0 + 1.0).max((fixed / margin).ceil());
                cost(n) / a
            }
        }
    };
    (answer <= MAX_RPD).then_some(answer)
}
