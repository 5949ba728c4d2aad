//! Monthly cost formulas of both sides: cloud per token (or a known bill), local owned or rented.
//!
//! A month is 30 days and a year 12 months. Token prices are per 1,000,000 tokens.

use crate::engine::inputs::{CloudPrices, Unit};
use crate::scenario::Mode;
use serde::Serialize;

/// Days in a month, as the source texts count.
pub const DAYS_PER_MONTH: f64 = 30.0;

/// Cloud cost of the scenario's volume.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CloudCost {
    /// `rpd * in * 30`.
    pub input_tokens_month: f64,
    /// `rpd * out * 30`.
    pub output_tokens_month: f64,
    /// Prices used, $/1M tokens.
    pub input_per_mtok: f64,
    /// Output price used, $/1M tokens.
    pub output_per_mtok: f64,
    /// Cached-input price used, $/1M tokens.
    pub cached_per_mtok: f64,
    /// Cached share of input, fraction.
    pub cache_share: f64,
    /// Whether the known bill replaced the token-priced estimate.
    pub from_bill: bool,
    /// The token-priced estimate, $/month ([`cloud_monthly`]), whether or not a known bill
    /// replaced it.
    pub token_estimate_usd: f64,
    /// $/month.
    pub monthly_usd: f64,
    /// `12 * monthly`.
    pub yearly_usd: f64,
    /// `monthly / (rpd * 30) * 1000`.
    pub per_1k_requests_usd: f64,
}

/// Token-priced cloud cost per month:
/// `(in_tok * (1 - cache) * p_in + in_tok * cache * p_cache + out_tok * p_out) / 1e6`
/// with `in_tok = rpd * in * 30` and `out_tok = rpd * out * 30`.
pub fn cloud_monthly(
    prices: &CloudPrices,
    cache_share: f64,
    rpd: f64,
    input: f64,
    output: f64,
) -> f64 {
    let in_tok = rpd * input * DAYS_PER_MONTH;
    let out_tok = rpd * output * DAYS_PER_MONTH;
    (in_tok * (1.0 - cache_share) * prices.input
        + in_tok * cache_share * prices.cached
        + out_tok * prices.output)
        / 1e6
}

/// Cost per 1,000 requests: `monthly / (rpd * 30) * 1000`; 0 when there are no requests.
pub fn per_1k_requests(monthly: f64, rpd: f64) -> f64 {
    if rpd > 0.0 {
        monthly / (rpd * DAYS_PER_MONTH) * 1000.0
    } else {
        0.0
    }
}

/// Builds the cloud cost record for `monthly` dollars at `rpd`.
pub fn cloud_cost(
    prices: &CloudPrices,
    cache_share: f64,
    rpd: f64,
    input: f64,
    output: f64,
    monthly: f64,
    from_bill: bool,
) -> CloudCost {
    CloudCost {
        input_tokens_month: rpd * input * DAYS_PER_MONTH,
        output_tokens_month: rpd * output * DAYS_PER_MONTH,
        input_per_mtok: prices.input,
        output_per_mtok: prices.output,
        cached_per_mtok: prices.cached,
        cache_share,
        from_bill,
        token_estimate_usd: cloud_monthly(prices, cache_share, rpd, input, output),
        monthly_usd: monthly,
        yearly_usd: 12.0 * monthly,
        per_1k_requests_usd: per_1k_requests(monthly, rpd),
    }
}

/// What one unit costs a month, by part.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct UnitMonthly {
    /// Owned: `price / (life * 12)`.
    pub depreciation: f64,
    /// Owned: `watts * hrs * 30 / 1000 * kwh`.
    pub power: f64,
    /// Rented: `rent_per_hour * hrs * 30`.
    pub rent: f64,
}

impl UnitMonthly {
    /// The monthly parts of one unit in `mode`, running `hours` a day.
    pub fn new(unit: &Unit, mode: Mode, hours: f64, kwh: f64) -> UnitMonthly {
        match mode {
            Mode::Own => UnitMonthly {
                depreciation: unit.price / (unit.life_years * 12.0),
                power: unit.watts * hours * DAYS_PER_MONTH / 1000.0 * kwh,
                rent: 0.0,
            },
            Mode::Rent => UnitMonthly {
                depreciation: 0.0,
                power: 0.0,
                rent: unit.rent_per_hour * hours * DAYS_PER_MONTH,
            },
        }
    }

    /// Everything one unit costs a month.
    pub fn total(&self) -> f64 {
        self.depreciation + self.power + self.rent
    }

    /// What one unit costs a month in cash, depreciation excluded.
    pub fn cash(&self) -> f64 {
        self.power + self.rent
    }
}

/// Local cost at one volume.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LocalCost {
    /// Own or rent.
    pub mode: Mode,
    /// Units running.
    pub units: u32,
    /// What one of them costs a month, by part.
    pub per_unit: UnitMonthly,
    /// `units * price` (0 when rented).
    pub upfront_usd: f64,
    /// `units * price / (life * 12)`.
    pub depreciation_monthly_usd: f64,
    /// `units * watts * hrs * 30 / 1000 * kwh`.
    pub power_monthly_usd: f64,
    /// `units * rent * hrs * 30`.
    pub rent_monthly_usd: f64,
    /// Maintenance, $/month.
    pub maintenance_monthly_usd: f64,
    /// Operations staff, $/month.
    pub operations_monthly_usd: f64,
    /// Cash out each month: `units * (power + rent) + maint + ops`.
    pub opex_monthly_usd: f64,
    /// `units * (depreciation + power + rent) + maint + ops`.
    pub monthly_usd: f64,
    /// `12 * monthly`.
    pub yearly_usd: f64,
    /// `monthly / (rpd * 30) * 1000`.
    pub per_1k_requests_usd: f64,
}

/// Local cost of `units` units at `rpd`: `units * unit_monthly + maint + ops`.
pub fn local_cost(
    mode: Mode,
    unit: &Unit,
    per_unit: &UnitMonthly,
    units: u32,
    maint: f64,
    ops: f64,
    rpd: f64,
) -> LocalCost {
    let n = f64::from(units);
    let fixed = maint + ops;
    let monthly = n * per_unit.total() + fixed;
    LocalCost {
        mode,
        units,
        per_unit: *per_unit,
        upfront_usd: match mode {
            Mode::Own => n * unit.price,
            Mode::Rent => 0.0,
        },
        depreciation_monthly_usd: n * per_unit.depreciation,
        power_monthly_usd: n * per_unit.power,
        rent_monthly_usd: n * per_unit.rent,
        maintenance_monthly_usd: maint,
        operations_monthly_usd: ops,
        opex_monthly_usd: n * per_unit.cash() + fixed,
        monthly_usd: monthly,
        yearly_usd: 12.0 * monthly,
        per_1k_requests_usd: per_1k_requests(monthly, rpd),
    }
}
