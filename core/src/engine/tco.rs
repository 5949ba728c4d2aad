//! Total cost of ownership over the horizon, month by month, with growth, replacements and upgrades.

use crate::engine::plan::Plan;
use crate::scenario::Mode;
use serde::Serialize;

/// The longest life cycle tracked, months; lifespans are at most 50 years.
const MAX_LIFE_MONTHS: u32 = 600;

/// One simulated month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MonthStep {
    /// Month index, 0 for the first.
    pub month: u32,
    /// Volume that month: `rpd * (1 + growth)^month`.
    pub rpd: f64,
    /// Units in service (owned units are kept when volume falls).
    pub units: u32,
    /// Cloud bill that month.
    pub cloud_usd: f64,
    /// Hardware bought at the start of the month: initial units, added units, replacements
    /// at the end of each unit's life, upgrades.
    pub purchases_usd: f64,
    /// Running cost that month: owned `units * power + maint + ops`, rented
    /// `units * rent * hrs * 30 + maint + ops`.
    pub running_usd: f64,
    /// `purchases + running`.
    pub local_usd: f64,
}

/// Month-by-month cash flows of both sides. Endless; `take` what you need.
#[derive(Debug, Clone)]
pub struct Simulation<'a> {
    plan: &'a Plan,
    month: u32,
    rpd: f64,
    /// Units to replace by month of the life cycle: `due[m % life]` units were bought in
    /// earlier months `≡ m (mod life)`, so they wear out at month `m`.
    due: Vec<u32>,
    owned: u32,
    life_months: u32,
    /// Cash cost of one unit a month (power or rent).
    unit_cash: f64,
}

impl<'a> Simulation<'a> {
    /// Starts at month 0 with the scenario's volume.
    pub fn new(plan: &'a Plan) -> Simulation<'a> {
        let life = (plan.inputs.unit.life_years * 12.0).round().max(1.0);
        Simulation {
            plan,
            month: 0,
            rpd: plan.inputs.rpd,
            due: Vec::new(),
            owned: 0,
            life_months: if life >= f64::from(u32::MAX) {
                u32::MAX
            } else {
                life as u32
            },
            unit_cash: plan.unit_monthly(plan.inputs.mode).cash(),
        }
    }
}

impl Iterator for Simulation<'_> {
    type Item = MonthStep;

    fn next(&mut self) -> Option<MonthStep> {
        let plan = self.plan;
        let i = &plan.inputs;
        let m = self.month;
        let needed = plan.units(self.rpd);
        let fixed = i.maint + i.ops;
        let upgrades: f64 = i
            .upgrades
            .iter()
            .filter(|u| u.year.saturating_sub(1).saturating_mul(12) == m)
            .map(|u| u.amount_usd)
            .sum();
        let (units, purchases, running) = match i.mode {
            Mode::Own => {
                if self.due.is_empty() {
                    self.due = vec![0; self.life_months.min(MAX_LIFE_MONTHS) as usize];
                }
                let slot = (m % self.life_months.min(MAX_LIFE_MONTHS)) as usize;
                let replaced = self.due[slot];
                let added = needed.saturating_sub(self.owned);
                self.due[slot] = replaced.saturating_add(added);
                self.owned += added;
                let bought = f64::from(replaced) + f64::from(added);
                let running = f64::from(self.owned) * self.unit_cash + fixed;
                (self.owned, bought * i.unit.price + upgrades, running)
            }
            Mode::Rent => (needed, upgrades, f64::from(needed) * self.unit_cash + fixed),
        };
        let step = MonthStep {
            month: m,
            rpd: self.rpd,
            units,
            cloud_usd: plan.cloud_monthly(self.rpd),
            purchases_usd: purchases,
            running_usd: running,
            local_usd: purchases + running,
        };
        self.month = m.checked_add(1)?;
        self.rpd *= 1.0 + i.growth;
        Some(step)
    }
}

/// TCO of both sides over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tco {
    /// Horizon, months.
    pub months: u32,
    /// Sum of monthly cloud bills.
    pub cloud_usd: f64,
    /// Sum of local purchases and running costs.
    pub local_usd: f64,
    /// `cloud - local`.
    pub savings_usd: f64,
    /// `savings / cloud * 100`; 0 when cloud costs nothing.
    pub savings_pct: f64,
    /// Part of `local_usd` spent on hardware (initial, added, replacements, upgrades).
    pub local_purchases_usd: f64,
    /// The rest of `local_usd`: running costs (power or rent, maintenance, operations).
    pub local_running_usd: f64,
    /// Most units in service at once.
    pub max_units: u32,
    /// Volume in the last month, requests/day.
    pub final_rpd: f64,
    /// Cumulative cloud cost at the end of each month.
    pub cumulative_cloud: Vec<f64>,
    /// Cumulative local cost at the end of each month.
    pub cumulative_local: Vec<f64>,
}

/// Simulates the horizon of `plan`.
pub fn tco(plan: &Plan) -> Tco {
    let months = plan.inputs.months;
    let mut t = Tco {
        months,
        cloud_usd: 0.0,
        local_usd: 0.0,
        savings_usd: 0.0,
        savings_pct: 0.0,
        local_purchases_usd: 0.0,
        local_running_usd: 0.0,
        max_units: 0,
        final_rpd: plan.inputs.rpd,
        cumulative_cloud: Vec::with_capacity(months as usize),
        cumulative_local: Vec::with_capacity(months as usize),
    };
    for step in Simulation::new(plan).take(months as usize) {
        t.cloud_usd += step.cloud_usd;
        t.local_usd += step.local_usd;
        t.local_purchases_usd += step.purchases_usd;
        t.max_units = t.max_units.max(step.units);
        t.final_rpd = step.rpd;
        t.cumulative_cloud.push(t.cloud_usd);
        t.cumulative_local.push(t.local_usd);
    }
    t.local_running_usd = t.local_usd - t.local_purchases_usd;
    t.savings_usd = t.cloud_usd - t.local_usd;
    t.savings_pct = if t.cloud_usd > 0.0 {
        t.savings_usd / t.cloud_usd * 100.0
    } else {
        0.0
    };
    t
}
