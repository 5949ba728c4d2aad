//! The scenario: everything a user says about their workload, as plain data with defaults.
//!
//! A scenario holds what the user typed; catalog defaults (prices, watts, lifespan) stay
//! `None` until the user overrides them, so a link stays short and follows catalog updates.
//! [`crate::engine::inputs::Inputs`] resolves it into numbers.

pub use crate::engine::serving::{Engine, KvQuant};
use serde::Serialize;

/// How the local side is paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Bought: upfront price, depreciation and power.
    Own,
    /// Rented by the hour: no upfront cost.
    Rent,
}

impl Mode {
    /// The value used in links.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Own => "own",
            Mode::Rent => "rent",
        }
    }
}

/// Weight quantization of a local model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Quant {
    /// llama.cpp Q4_0.
    Q4_0,
    /// llama.cpp Q4_K_M, Ollama's default.
    Q4KM,
    /// llama.cpp Q5_K_M.
    Q5KM,
    /// llama.cpp Q6_K.
    Q6K,
    /// llama.cpp Q8_0.
    Q8_0,
    /// 8-bit floating point (vLLM's `--quantization fp8`, NVIDIA's FP8 checkpoints).
    Fp8,
    /// Unquantized 16-bit (FP16 or BF16).
    F16,
    /// OCP microscaling 4-bit floats on the experts, 16-bit elsewhere: how gpt-oss ships.
    Mxfp4,
}

impl Quant {
    /// Every quantization, fewest bits first.
    pub const ALL: [Quant; 8] = [
        Quant::Mxfp4,
        Quant::Q4_0,
        Quant::Q4KM,
        Quant::Q5KM,
        Quant::Q6K,
        Quant::Fp8,
        Quant::Q8_0,
        Quant::F16,
    ];

    /// Average bits stored per weight, block scales included (MXFP4: 4-bit values with an
    /// 8-bit scale per 32).
    pub fn bits_per_weight(self) -> f64 {
        match self {
            Quant::Mxfp4 => 4.25,
            Quant::Q4_0 => 4.5,
            Quant::Q4KM => 4.85,
            Quant::Q5KM => 5.69,
            Quant::Q6K => 6.56,
            Quant::Fp8 => 8.0,
            Quant::Q8_0 => 8.5,
            Quant::F16 => 16.0,
        }
    }

    /// Bits of the quantized tensors and of a mixture's shared tensors: MXFP4 leaves
    /// attention, embeddings and router in 16 bits; every other format quantizes them too.
    pub fn weight_bits(self) -> crate::engine::serving::WeightBits {
        crate::engine::serving::WeightBits {
            quantized: self.bits_per_weight(),
            shared: match self {
                Quant::Mxfp4 => 16.0,
                _ => self.bits_per_weight(),
            },
            dequantized: !matches!(self, Quant::F16 | Quant::Fp8),
            tensor_fp8: self == Quant::Fp8,
        }
    }

    /// The value used in links, as Ollama tags spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Quant::Q4_0 => "q4_0",
            Quant::Q4KM => "q4_k_m",
            Quant::Q5KM => "q5_k_m",
            Quant::Q6K => "q6_k",
            Quant::Q8_0 => "q8_0",
            Quant::Fp8 => "fp8",
            Quant::F16 => "f16",
            Quant::Mxfp4 => "mxfp4",
        }
    }

    /// Parses the link value, ignoring case.
    pub fn parse(value: &str) -> Option<Quant> {
        Quant::ALL
            .into_iter()
            .find(|q| q.as_str().eq_ignore_ascii_case(value))
    }
}

/// A criterion of the trade-off decision matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Criterion {
    /// Running cost.
    Cost,
    /// Response time.
    Latency,
    /// Answer quality.
    Quality,
    /// Data stays in-house.
    Privacy,
    /// Headroom for growth and bursts.
    Scalability,
    /// Effort to set up and run.
    Simplicity,
}

impl Criterion {
    /// Every criterion in the order of the matrix.
    pub const ALL: [Criterion; 6] = [
        Criterion::Cost,
        Criterion::Latency,
        Criterion::Quality,
        Criterion::Privacy,
        Criterion::Scalability,
        Criterion::Simplicity,
    ];

    /// The value used in links.
    pub fn as_str(self) -> &'static str {
        match self {
            Criterion::Cost => "cost",
            Criterion::Latency => "latency",
            Criterion::Quality => "quality",
            Criterion::Privacy => "privacy",
            Criterion::Scalability => "scalability",
            Criterion::Simplicity => "simplicity",
        }
    }

    /// Parses the link value.
    pub fn parse(value: &str) -> Option<Criterion> {
        Criterion::ALL.into_iter().find(|c| c.as_str() == value)
    }
}

/// A fact about the team or the data that the rule-based guide acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// The data is regulated or must not leave the premises (PII, PHI, classified).
    Regulated,
    /// The task needs frontier-model quality.
    Frontier,
    /// The system must work without a network.
    Offline,
    /// Nobody on the team can run inference infrastructure.
    NoOps,
}

impl Flag {
    /// Every flag.
    pub const ALL: [Flag; 4] = [Flag::Regulated, Flag::Frontier, Flag::Offline, Flag::NoOps];

    /// The value used in links.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Regulated => "regulated",
            Flag::Frontier => "frontier",
            Flag::Offline => "offline",
            Flag::NoOps => "no-ops",
        }
    }

    /// Parses the link value.
    pub fn parse(value: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.as_str() == value)
    }
}

/// A hardware purchase planned at the start of a year of the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Upgrade {
    /// Amount spent, $.
    pub amount_usd: f64,
    /// Year of the horizon it is spent in; year 1 starts at month 0.
    pub year: u32,
}

/// Most points a measured curve keeps: a sweep doubling from 1 to 4096 has 13.
pub const MAX_CURVE_POINTS: usize = 16;

/// Output tokens/s one replica served with `concurrency` requests in flight, as a throughput
/// test or one step of a sweep measures it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AggregatePoint {
    /// Output tokens/s, all streams together.
    pub tps: f64,
    /// Requests in flight.
    pub concurrency: u32,
}

/// Everything the user can set; see the README's link table for the key of each field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Requests per day (`rpd`).
    pub requests_per_day: f64,
    /// Input tokens per request (`in`).
    pub input_tokens: f64,
    /// Output tokens per request (`out`).
    pub output_tokens: f64,
    /// Peak concurrent requests (`peak`).
    pub peak_concurrency: u32,
    /// Hours a day the load arrives and the hardware runs (`hrs`).
    pub active_hours: f64,
    /// Volume growth, % per month (`growth`).
    pub growth_pct: f64,
    /// TCO horizon, years (`yrs`).
    pub horizon_years: u32,

    /// Known cloud bill, $/month, replacing the token-priced estimate (`bill`).
    pub cloud_bill: Option<f64>,
    /// Cloud model id (`cm`).
    pub cloud_model: String,
    /// Cloud input price override, $/1M tokens (`cin`).
    pub cloud_input_price: Option<f64>,
    /// Cloud output price override, $/1M tokens (`cout`).
    pub cloud_output_price: Option<f64>,
    /// Cached-input price override, $/1M tokens (`ccache`).
    pub cloud_cached_price: Option<f64>,
    /// Share of input tokens served from the prompt cache, % (`cache`).
    pub cached_pct: f64,

    /// Hardware id (`hw`).
    pub hardware: String,
    /// Own or rent; `None` picks own when the hardware has a purchase price (`mode`).
    pub mode: Option<Mode>,
    /// Price per unit override, $ (`price`).
    pub unit_price: Option<f64>,
    /// Power per unit override, W (`watts`).
    pub unit_watts: Option<f64>,
    /// Electricity price, $/kWh (`kwh`).
    pub kwh_price: f64,
    /// Lifespan override, years (`life`).
    pub life_years: Option<f64>,
    /// Maintenance, $/month (`maint`).
    pub maintenance: f64,
    /// Operations staff, $/month (`ops`).
    pub operations: f64,
    /// Rental price override, $/hour per unit (`rent`).
    pub rent_per_hour: Option<f64>,
    /// Fixed number of units instead of the computed need (`units`).
    pub fixed_units: Option<u32>,
    /// Planned upgrade purchases (`upg`).
    pub upgrades: Vec<Upgrade>,
    /// Local model id, an Ollama tag (`lm`).
    pub local_model: String,
    /// Quantization (`q`).
    pub quant: Quant,
    /// Context reserved per stream, tokens (`ctx`).
    pub context_tokens: u32,
    /// Parallel streams per replica (`slots`); `None` takes the engine's default.
    pub slots: Option<u32>,
    /// Serving engine (`eng`).
    pub engine: Engine,
    /// KV-cache element type (`kvq`).
    pub kv_quant: KvQuant,
    /// Target p95 time to first token, ms (`slo_ttft`).
    pub slo_ttft_ms: Option<f64>,
    /// Target time per output token, ms (`slo_tpot`).
    pub slo_tpot_ms: Option<f64>,
    /// Measured output tokens/s of one replica at one or more concurrencies, a sweep's curve
    /// (`agg=TPS@C,TPS@C…`): at most [`MAX_CURVE_POINTS`], by concurrency, none twice.
    pub measured_aggregate: Vec<AggregatePoint>,
    /// Measured decode speed per stream, tokens/s (`tps`).
    pub decode_tps: Option<f64>,
    /// Measured prefill speed per stream, tokens/s (`ptps`).
    pub prefill_tps: Option<f64>,
    /// Measured local time to first token, ms (`lttft`); with `cttft` it sets the latency
    /// scores.
    pub local_ttft_ms: Option<f64>,
    /// Measured cloud time to first token, ms (`cttft`).
    pub cloud_ttft_ms: Option<f64>,

    /// Criteria that weigh double (`prio`).
    pub priorities: Vec<Criterion>,
    /// Explicit weights, overriding priorities (`w`).
    pub weights: Vec<(Criterion, f64)>,
    /// Facts for the rule-based guide (`flags`).
    pub flags: Vec<Flag>,
    /// Derive the cost score from the computed costs (`derive=1`).
    pub derive_cost_score: bool,

    /// Share of requests routed to the local model, % (`hyb`).
    pub hybrid_local_pct: f64,
    /// Share of locally served requests escalated to the cloud, % (`esc`).
    pub escalation_pct: f64,
    /// Share of requests too sensitive to leave, always local, % (`sens`).
    pub sensitive_pct: f64,
}

impl Default for Scenario {
    /// The worked example of the source texts: 5,000 requests a day of 800 tokens in and 400
    /// out, gpt-4o-mini against Llama 3.1 8B on an RTX 4090 running 8 hours a day.
    fn default() -> Self {
        Scenario {
            requests_per_day: 5000.0,
            input_tokens: 800.0,
            output_tokens: 400.0,
            peak_concurrency: 1,
            active_hours: 8.0,
            growth_pct: 0.0,
            horizon_years: 3,
            cloud_bill: None,
            cloud_model: "gpt-4o-mini".into(),
            cloud_input_price: None,
            cloud_output_price: None,
            cloud_cached_price: None,
            cached_pct: 0.0,
            hardware: "rtx-4090".into(),
            mode: None,
            unit_price: None,
            unit_watts: None,
            kwh_price: 0.12,
            life_years: None,
            maintenance: 0.0,
            operations: 0.0,
            rent_per_hour: None,
            fixed_units: None,
            upgrades: Vec::new(),
            local_model: "llama3.1:8b".into(),
            quant: Quant::Q4KM,
            context_tokens: 4096,
            slots: None,
            engine: Engine::Llamacpp,
            kv_quant: KvQuant::F16,
            slo_ttft_ms: None,
            slo_tpot_ms: None,
            measured_aggregate: Vec::new(),
            decode_tps: None,
            prefill_tps: None,
            local_ttft_ms: None,
            cloud_ttft_ms: None,
            priorities: Vec::new(),
            weights: Vec::new(),
            flags: Vec::new(),
            derive_cost_score: false,
            hybrid_local_pct: 0.0,
            escalation_pct: 0.0,
            sensitive_pct: 0.0,
        }
    }
}
