//! Resolution of a scenario against the catalogs into the plain numbers every formula uses.
//!
//! A user's override always wins over the catalog; where the catalog has nothing (a rental-only
//! offer has no purchase price) the resolution falls back and says so in a warning.

use crate::catalog::{self, CloudModel, Hardware, LocalModel};
use crate::codec::link;
use crate::engine::serving::Device;
use crate::scenario::{
    AggregatePoint, Criterion, Engine, Flag, KvQuant, Mode, Quant, Scenario, Upgrade,
};

/// Cloud token prices, $ per 1,000,000 tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CloudPrices {
    /// Input tokens.
    pub input: f64,
    /// Output tokens.
    pub output: f64,
    /// Input tokens served from the prompt cache.
    pub cached: f64,
}

/// What one unit of hardware costs and can do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// Purchase price, $ (0 when only rented).
    pub price: f64,
    /// Power under load, W.
    pub watts: f64,
    /// Lifespan, years.
    pub life_years: f64,
    /// Rental price, $/hour (0 when unknown).
    pub rent_per_hour: f64,
    /// Memory as the vendor states it, GiB.
    pub memory_gb: f64,
    /// Bandwidth, throughput and memory class.
    pub device: Device,
}

/// A scenario resolved into numbers, ready for the formulas.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// Requests per day.
    pub rpd: f64,
    /// Input tokens per request.
    pub input_tokens: f64,
    /// Output tokens per request.
    pub output_tokens: f64,
    /// Peak concurrent requests.
    pub peak: u32,
    /// Active hours per day.
    pub hours: f64,
    /// Growth per month as a fraction (0.05 for 5%).
    pub growth: f64,
    /// TCO horizon, months.
    pub months: u32,
    /// Known cloud bill, $/month.
    pub bill: Option<f64>,
    /// Cloud prices.
    pub prices: CloudPrices,
    /// Cached share of input as a fraction.
    pub cache_share: f64,
    /// Own or rent, as resolved.
    pub mode: Mode,
    /// Whether a purchase price is known (catalog or override), so owning can be priced.
    pub can_own: bool,
    /// Whether a rental rate is known, so renting can be priced.
    pub can_rent: bool,
    /// One unit of the hardware.
    pub unit: Unit,
    /// Electricity, $/kWh.
    pub kwh: f64,
    /// Maintenance, $/month.
    pub maint: f64,
    /// Operations staff, $/month.
    pub ops: f64,
    /// Units fixed by the user.
    pub fixed_units: Option<u32>,
    /// Planned upgrades.
    pub upgrades: Vec<Upgrade>,
    /// The local model.
    pub model: &'static LocalModel,
    /// Quantization.
    pub quant: Quant,
    /// Context per stream, tokens.
    pub ctx: u32,
    /// Streams per replica; `None` takes the engine's default.
    pub slots: Option<u32>,
    /// Serving engine.
    pub engine: Engine,
    /// KV-cache type.
    pub kv_quant: KvQuant,
    /// Target p95 time to first token, ms.
    pub slo_ttft_ms: Option<f64>,
    /// Target time per output token, ms.
    pub slo_tpot_ms: Option<f64>,
    /// Measured output tokens/s of one replica at each concurrency measured, by concurrency.
    pub measured_aggregate: Vec<AggregatePoint>,
    /// Measured decode speed, tokens/s per stream.
    pub measured_decode_tps: Option<f64>,
    /// Measured prefill speed, tokens/s per stream.
    pub measured_prefill_tps: Option<f64>,
    /// Measured times to first token, ms: local and cloud.
    pub measured_ttft_ms: (Option<f64>, Option<f64>),
    /// The cloud model.
    pub cloud_model: &'static CloudModel,
    /// The hardware.
    pub hardware: &'static Hardware,
    /// Criteria weighing double.
    pub priorities: Vec<Criterion>,
    /// Explicit weights.
    pub weights: Vec<(Criterion, f64)>,
    /// Facts for the guide.
    pub flags: Vec<Flag>,
    /// Derive the cost score from the costs.
    pub derive_cost_score: bool,
    /// Local share of requests as a fraction, sensitive share included.
    pub hybrid_local: f64,
    /// Escalated share of local requests as a fraction.
    pub escalation: f64,
    /// Sensitive share as a fraction.
    pub sensitive: f64,
}

impl Inputs {
    /// Resolves `scenario`; every field that fails its check is reset to its default and
    /// reported, as are the fall-backs taken. Never panics.
    pub fn resolve(scenario: &Scenario) -> (Inputs, Vec<String>) {
        let (s, notes) = link::sanitize(scenario);
        let mut warnings: Vec<String> = notes
            .into_iter()
            .map(|n| format!("{}: {}; the default is used", n.key, n.message))
            .collect();
        let defaults = Scenario::default();
        let cloud_model = catalog::cloud_model(&s.cloud_model)
            .or_else(|| catalog::cloud_model(&defaults.cloud_model))
            .unwrap_or(&catalog::CLOUD_MODELS[0]);
        let hardware = catalog::hardware(&s.hardware)
            .or_else(|| catalog::hardware(&defaults.hardware))
            .unwrap_or(&catalog::HARDWARE[0]);
        let model = catalog::local_model(&s.local_model)
            .or_else(|| catalog::local_model(&defaults.local_model))
            .unwrap_or(&catalog::LOCAL_MODELS[0]);

        let price = s.unit_price.or(hardware.price_usd);
        let rent = s.rent_per_hour.or(hardware.rent_per_hour_usd);
        let wanted = s.mode.unwrap_or(if price.is_some() {
            Mode::Own
        } else {
            Mode::Rent
        });
        let mode = match (wanted, price, rent) {
            (Mode::Own, None, _) => {
                warnings.push(format!(
                    "{} has no purchase price; priced as rented (set price to own it)",
                    hardware.name
                ));
                Mode::Rent
            }
            (Mode::Rent, _, None) => {
                warnings.push(format!(
                    "{} has no rental price; priced as owned (set rent to rent it)",
                    hardware.name
                ));
                Mode::Own
            }
            (mode, _, _) => mode,
        };

        let inputs = Inputs {
            rpd: s.requests_per_day,
            input_tokens: s.input_tokens,
            output_tokens: s.output_tokens,
            peak: s.peak_concurrency,
            hours: s.active_hours,
            growth: s.growth_pct / 100.0,
            months: s.horizon_years * 12,
            bill: s.cloud_bill,
            prices: CloudPrices {
                input: s.cloud_input_price.unwrap_or(cloud_model.input_per_mtok),
                output: s.cloud_output_price.unwrap_or(cloud_model.output_per_mtok),
                cached: s
                    .cloud_cached_price
                    .unwrap_or(cloud_model.cached_input_per_mtok),
            },
            cache_share: s.cached_pct / 100.0,
            mode,
            can_own: price.is_some(),
            can_rent: rent.is_some(),
            unit: Unit {
                price: price.unwrap_or(0.0),
                watts: s.unit_watts.unwrap_or(hardware.watts),
                life_years: s.life_years.unwrap_or(hardware.life_years),
                rent_per_hour: rent.unwrap_or(0.0),
                memory_gb: hardware.memory_gb,
                device: hardware.device(),
            },
            kwh: s.kwh_price,
            maint: s.maintenance,
            ops: s.operations,
            fixed_units: s.fixed_units,
            upgrades: s.upgrades.clone(),
            model,
            quant: s.quant,
            ctx: s.context_tokens,
            slots: s.slots,
            engine: s.engine,
            kv_quant: s.kv_quant,
            slo_ttft_ms: s.slo_ttft_ms,
            slo_tpot_ms: s.slo_tpot_ms,
            measured_aggregate: s.measured_aggregate.clone(),
            measured_decode_tps: s.decode_tps,
            measured_prefill_tps: s.prefill_tps,
            measured_ttft_ms: (s.local_ttft_ms, s.cloud_ttft_ms),
            cloud_model,
            hardware,
            priorities: s.priorities.clone(),
            weights: s.weights.clone(),
            flags: s.flags.clone(),
            derive_cost_score: s.derive_cost_score,
            hybrid_local: s.hybrid_local_pct.max(s.sensitive_pct) / 100.0,
            escalation: s.escalation_pct / 100.0,
            sensitive: s.sensitive_pct / 100.0,
        };
        (inputs, warnings)
    }
}
