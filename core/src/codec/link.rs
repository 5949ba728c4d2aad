//! The versioned link codec (schema v1): one query string holds a whole scenario.
//!
//! Every link key is one [`Field`] of [`FIELDS`], which reads it from a scenario, parses and
//! checks it, and names it for people; the same checks serve the page's inline validation.
//! [`encode`] omits every field equal to its default. [`decode`] never panics: a bad value is
//! reported by key and reason and leaves that field at its default, the rest still applies.

use crate::catalog;
use crate::scenario::{
    AggregatePoint, Criterion, Engine, Flag, KvQuant, Mode, Quant, Scenario, Upgrade,
    MAX_CURVE_POINTS,
};
use crate::view::format::{plain, price};
use serde::Serialize;

/// The schema version this codec writes and reads.
pub const VERSION: &str = "1";

/// The link keys of a measurement setup (read by `measure::setup`); the scenario codec
/// passes over them.
pub const SETUP_KEYS: &[&str] = &[
    "lapi", "lurl", "lmod", "capi", "curl", "cmod", "prompt", "maxt", "runs", "warm", "reqs",
    "conc", "tmo", "smax", "sreq", "slim", "dmax",
];

/// Keys that belong to the page, not the scenario (embed mode and its panels, the theme):
/// decoding passes over them without a note.
pub const VIEW_KEYS: &[&str] = &["embed", "panels", "theme"];

/// At most this many notes are kept, so a hostile link cannot grow the page without bound.
const MAX_NOTES: usize = 32;

/// Something in a link that was not applied as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The key as it appeared (shortened when long).
    pub key: String,
    /// Why it was ignored, lowercase, no final period.
    pub message: String,
}

/// A decoded link: the scenario and what of the link was ignored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decoded {
    /// The scenario, with defaults wherever the link was silent or wrong.
    pub scenario: Scenario,
    /// Bad values, unknown keys, duplicates and version mismatches, in link order.
    pub notes: Vec<Note>,
}

/// Why a value of a link key or form field was refused: its text follows the field's name in
/// the page's messages ("requests per day must be at least 0").
#[derive(Debug, Clone, PartialEq)]
pub enum ValueError {
    /// Nothing was given where a value is required.
    Empty,
    /// Not of the form the field takes: `{value} is not {expected}`, the value quoted only when
    /// short and plain, so that a pasted secret is never echoed back.
    Not {
        /// The value as quoted, or "the value".
        value: String,
        /// What the field takes, e.g. "a number", "own or rent".
        expected: String,
    },
    /// Infinite or not a number.
    NotFinite,
    /// At or below the exclusive minimum.
    NotAbove(f64),
    /// Below the minimum.
    BelowMin(f64),
    /// Above the maximum.
    AboveMax(f64),
    /// Has a fraction where a whole number is required.
    NotWhole,
    /// A comma list with an empty item.
    EmptyItem,
    /// A `%` not followed by two hex digits.
    BrokenEscape,
    /// Escapes that do not decode to UTF-8.
    NotUtf8,
    /// Refused in one part of a compound value: `{part} {error}`, e.g. "amount must be at
    /// least 0".
    InPart {
        /// The part, e.g. "amount", "weight of cost:".
        part: String,
        /// What is wrong with it.
        error: Box<ValueError>,
    },
}

impl ValueError {
    /// `value` is not `expected`.
    fn not(value: &str, expected: &str) -> ValueError {
        ValueError::Not {
            value: shown(value),
            expected: expected.to_owned(),
        }
    }

    /// This error, in part `part` of a compound value.
    fn in_part(self, part: &str) -> ValueError {
        ValueError::InPart {
            part: part.to_owned(),
            error: Box::new(self),
        }
    }
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValueError::Empty => f.write_str("is empty"),
            ValueError::Not { value, expected } => write!(f, "{value} is not {expected}"),
            ValueError::NotFinite => f.write_str("must be a finite number"),
            ValueError::NotAbove(min) => write!(f, "must be more than {min}"),
            ValueError::BelowMin(min) => write!(f, "must be at least {min}"),
            ValueError::AboveMax(max) => write!(f, "must be at most {max}"),
            ValueError::NotWhole => f.write_str("must be a whole number"),
            ValueError::EmptyItem => f.write_str("has an empty item"),
            ValueError::BrokenEscape => f.write_str("has a broken %-escape"),
            ValueError::NotUtf8 => f.write_str("is not valid UTF-8"),
            ValueError::InPart { part, error } => write!(f, "{part} {error}"),
        }
    }
}

impl std::error::Error for ValueError {}

/// One link key: how to read it from a scenario and how to check and apply a value.
pub struct Field {
    /// The key in links, e.g. `rpd`.
    pub key: &'static str,
    /// What the field means, for labels and messages.
    pub label: &'static str,
    /// Unit shown next to the value, empty when it has none.
    pub unit: &'static str,
    get: fn(&Scenario) -> Option<String>,
    set: fn(&mut Scenario, &str) -> Result<(), ValueError>,
}

impl Field {
    /// The field's value as written in links; `None` when it is unset (an empty override).
    pub fn get(&self, scenario: &Scenario) -> Option<String> {
        (self.get)(scenario)
    }

    /// Parses and checks `value` and stores it; on error the scenario is left unchanged.
    /// For an optional field an empty value clears the override.
    pub fn set(&self, scenario: &mut Scenario, value: &str) -> Result<(), ValueError> {
        (self.set)(scenario, value.trim())
    }
}

impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Field").field("key", &self.key).finish()
    }
}

/// Allowed values of a number: `min..=max`, or `min` excluded when `above` is set.
struct Range {
    min: f64,
    max: f64,
    above: bool,
}

const fn at_least(min: f64, max: f64) -> Range {
    Range {
        min,
        max,
        above: false,
    }
}

const fn above(min: f64, max: f64) -> Range {
    Range {
        min,
        max,
        above: true,
    }
}

/// Parses a number as people type it (`5000`, `5,000`, `5e3`) and checks its range.
fn number(value: &str, range: Range) -> Result<f64, ValueError> {
    if value.is_empty() {
        return Err(ValueError::Empty);
    }
    let cleaned: String = value.chars().filter(|c| !matches!(c, ',' | '_')).collect();
    let n: f64 = cleaned
        .parse()
        .map_err(|_| ValueError::not(value, "a number"))?;
    if !n.is_finite() {
        return Err(ValueError::NotFinite);
    }
    if range.above && n <= range.min {
        return Err(ValueError::NotAbove(range.min));
    }
    if n < range.min {
        return Err(ValueError::BelowMin(range.min));
    }
    if n > range.max {
        return Err(ValueError::AboveMax(range.max));
    }
    Ok(n)
}

/// Parses a whole number in `min..=max`.
fn whole(value: &str, min: u32, max: u32) -> Result<u32, ValueError> {
    let n = number(value, at_least(f64::from(min), f64::from(max)))?;
    if n.fract() != 0.0 {
        return Err(ValueError::NotWhole);
    }
    // In range and whole, so the conversion is exact.
    Ok(n as u32)
}

/// A user's value quoted in a message: short plain values only, so a pasted secret or a
/// long string is never echoed back.
fn shown(value: &str) -> String {
    let plain = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | ',' | '@'));
    if plain && value.len() <= 24 {
        format!("\"{value}\"")
    } else {
        "the value".into()
    }
}

/// A measured curve `TPS@C,TPS@C…`: each point's output tokens/s and concurrency, at most
/// [`MAX_CURVE_POINTS`], no concurrency twice; returned by concurrency.
fn aggregate_curve(value: &str) -> Result<Vec<AggregatePoint>, ValueError> {
    let items = items(value)?;
    if items.len() > MAX_CURVE_POINTS {
        return Err(ValueError::not(
            value,
            &format!("at most {MAX_CURVE_POINTS} points"),
        ));
    }
    let mut points = items
        .into_iter()
        .map(|item| {
            let (tps, concurrency) = item
                .split_once('@')
                .ok_or_else(|| ValueError::not(item, "TOKENS_PER_S@CONCURRENCY"))?;
            Ok(AggregatePoint {
                tps: number(tps.trim(), above(0.0, 1e7)).map_err(|e| e.in_part("tokens/s"))?,
                concurrency: whole(concurrency.trim(), 1, 4096)
                    .map_err(|e| e.in_part("concurrency"))?,
            })
        })
        .collect::<Result<Vec<_>, ValueError>>()?;
    points.sort_by_key(|p| p.concurrency);
    if let Some(twice) = points
        .windows(2)
        .find(|w| w[0].concurrency == w[1].concurrency)
    {
        return Err(ValueError::not(
            value,
            &format!(
                "a curve that names each concurrency once ({} is twice)",
                twice[0].concurrency
            ),
        ));
    }
    Ok(points)
}

/// Splits a comma list, rejecting empty items.
fn items(value: &str) -> Result<Vec<&str>, ValueError> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    value
        .split(',')
        .map(|item| {
            let item = item.trim();
            if item.is_empty() {
                Err(ValueError::EmptyItem)
            } else {
                Ok(item)
            }
        })
        .collect()
}

fn list<T: PartialEq>(
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    what: &str,
) -> Result<Vec<T>, ValueError> {
    let mut out = Vec::new();
    for item in items(value)? {
        let parsed = parse(item).ok_or_else(|| ValueError::not(item, &format!("a {what}")))?;
        if !out.contains(&parsed) {
            out.push(parsed);
        }
    }
    Ok(out)
}

fn criteria_list(value: &str) -> Result<Vec<Criterion>, ValueError> {
    list(
        value,
        Criterion::parse,
        "criterion (cost, latency, quality, privacy, scalability, simplicity)",
    )
}

fn weights_list(value: &str) -> Result<Vec<(Criterion, f64)>, ValueError> {
    let mut out: Vec<(Criterion, f64)> = Vec::new();
    for item in items(value)? {
        let (name, weight) = item
            .split_once(':')
            .ok_or_else(|| ValueError::not(item, "CRITERION:WEIGHT"))?;
        let criterion =
            Criterion::parse(name.trim()).ok_or_else(|| ValueError::not(name, "a criterion"))?;
        let weight = number(weight.trim(), at_least(0.0, 100.0))
            .map_err(|e| e.in_part(&format!("weight of {}:", criterion.as_str())))?;
        out.retain(|(c, _)| *c != criterion);
        out.push((criterion, weight));
    }
    Ok(out)
}

fn upgrades_list(value: &str) -> Result<Vec<Upgrade>, ValueError> {
    items(value)?
        .into_iter()
        .map(|item| {
            let (amount, year) = item
                .split_once('@')
                .ok_or_else(|| ValueError::not(item, "AMOUNT@YEAR"))?;
            Ok(Upgrade {
                amount_usd: number(amount.trim(), at_least(0.0, 1e9))
                    .map_err(|e| e.in_part("amount"))?,
                year: whole(year.trim(), 1, 50).map_err(|e| e.in_part("year"))?,
            })
        })
        .collect()
}

fn join<T>(values: &[T], show: impl Fn(&T) -> String) -> Option<String> {
    (!values.is_empty()).then(|| values.iter().map(show).collect::<Vec<_>>().join(","))
}

fn catalog_id(value: &str, known: bool, what: &str) -> Result<String, ValueError> {
    if known {
        Ok(value.to_string())
    } else {
        Err(ValueError::not(value, &format!("a known {what}")))
    }
}

/// A required number field.
macro_rules! num {
    ($key:literal, $label:literal, $unit:literal, $field:ident, $range:expr) => {
        Field {
            key: $key,
            label: $label,
            unit: $unit,
            get: |s| Some(s.$field.to_string()),
            set: |s, v| {
                s.$field = number(v, $range)?;
                Ok(())
            },
        }
    };
}

/// An optional number field: empty clears it.
macro_rules! opt {
    ($key:literal, $label:literal, $unit:literal, $field:ident, $range:expr) => {
        Field {
            key: $key,
            label: $label,
            unit: $unit,
            get: |s| s.$field.map(|n| n.to_string()),
            set: |s, v| {
                s.$field = if v.is_empty() {
                    None
                } else {
                    Some(number(v, $range)?)
                };
                Ok(())
            },
        }
    };
}

/// A required whole-number field.
macro_rules! int {
    ($key:literal, $label:literal, $unit:literal, $field:ident, $min:expr, $max:expr) => {
        Field {
            key: $key,
            label: $label,
            unit: $unit,
            get: |s| Some(s.$field.to_string()),
            set: |s, v| {
                s.$field = whole(v, $min, $max)?;
                Ok(())
            },
        }
    };
}

/// A catalog id field: the value must name an entry of the catalog `lookup` searches.
macro_rules! id {
    ($key:literal, $label:literal, $field:ident, $lookup:path) => {
        Field {
            key: $key,
            label: $label,
            unit: "",
            get: |s| Some(s.$field.clone()),
            set: |s, v| {
                s.$field = catalog_id(v, $lookup(v).is_some(), $label)?;
                Ok(())
            },
        }
    };
}

/// Every key of schema v1 except `v`, in the order links are written.
pub const FIELDS: &[Field] = &[
    num!(
        "rpd",
        "requests per day",
        "requests/day",
        requests_per_day,
        above(0.0, 1e9)
    ),
    num!(
        "in",
        "input tokens per request",
        "tokens",
        input_tokens,
        at_least(0.0, 1e7)
    ),
    num!(
        "out",
        "output tokens per request",
        "tokens",
        output_tokens,
        above(0.0, 1e7)
    ),
    int!(
        "peak",
        "peak concurrent requests",
        "requests",
        peak_concurrency,
        1,
        100_000
    ),
    num!(
        "hrs",
        "active hours per day",
        "h/day",
        active_hours,
        above(0.0, 24.0)
    ),
    num!(
        "growth",
        "volume growth",
        "%/month",
        growth_pct,
        at_least(-50.0, 100.0)
    ),
    int!("yrs", "TCO horizon", "years", horizon_years, 1, 20),
    opt!(
        "bill",
        "known cloud bill",
        "$/month",
        cloud_bill,
        at_least(0.0, 1e9)
    ),
    id!("cm", "cloud model", cloud_model, catalog::cloud_model),
    opt!(
        "cin",
        "cloud input price",
        "$/1M tokens",
        cloud_input_price,
        at_least(0.0, 1000.0)
    ),
    opt!(
        "cout",
        "cloud output price",
        "$/1M tokens",
        cloud_output_price,
        at_least(0.0, 1000.0)
    ),
    opt!(
        "ccache",
        "cached input price",
        "$/1M tokens",
        cloud_cached_price,
        at_least(0.0, 1000.0)
    ),
    num!(
        "cache",
        "cached share of input",
        "%",
        cached_pct,
        at_least(0.0, 100.0)
    ),
    id!("hw", "hardware", hardware, catalog::hardware),
    Field {
        key: "mode",
        label: "own or rent",
        unit: "",
        get: |s| s.mode.map(|m| m.as_str().to_string()),
        set: |s, v| {
            s.mode = match v {
                "" => None,
                "own" => Some(Mode::Own),
                "rent" => Some(Mode::Rent),
                _ => return Err(ValueError::not(v, "own or rent")),
            };
            Ok(())
        },
    },
    opt!(
        "price",
        "hardware price per unit",
        "$",
        unit_price,
        at_least(0.0, 1e7)
    ),
    opt!(
        "watts",
        "power per unit",
        "W",
        unit_watts,
        at_least(0.0, 1e5)
    ),
    num!(
        "kwh",
        "electricity price",
        "$/kWh",
        kwh_price,
        at_least(0.0, 10.0)
    ),
    opt!(
        "life",
        "hardware lifespan",
        "years",
        life_years,
        above(0.0, 50.0)
    ),
    num!(
        "maint",
        "maintenance",
        "$/month",
        maintenance,
        at_least(0.0, 1e8)
    ),
    num!(
        "ops",
        "operations staff",
        "$/month",
        operations,
        at_least(0.0, 1e8)
    ),
    opt!(
        "rent",
        "rental price per unit",
        "$/hour",
        rent_per_hour,
        at_least(0.0, 1000.0)
    ),
    Field {
        key: "units",
        label: "fixed number of units",
        unit: "units",
        get: |s| s.fixed_units.map(|n| n.to_string()),
        set: |s, v| {
            s.fixed_units = if v.is_empty() {
                None
            } else {
                Some(whole(v, 1, 100_000)?)
            };
            Ok(())
        },
    },
    Field {
        key: "upg",
        label: "upgrades",
        unit: "$@year",
        get: |s| join(&s.upgrades, |u| format!("{}@{}", u.amount_usd, u.year)),
        set: |s, v| {
            s.upgrades = upgrades_list(v)?;
            Ok(())
        },
    },
    id!("lm", "local model", local_model, catalog::local_model),
    Field {
        key: "q",
        label: "quantization",
        unit: "",
        get: |s| Some(s.quant.as_str().to_string()),
        set: |s, v| {
            s.quant = Quant::parse(v).ok_or_else(|| {
                ValueError::not(
                    v,
                    "one of mxfp4, q4_0, q4_k_m, q5_k_m, q6_k, fp8, q8_0, f16",
                )
            })?;
            Ok(())
        },
    },
    int!(
        "ctx",
        "context per stream",
        "tokens",
        context_tokens,
        128,
        10_000_000
    ),
    Field {
        key: "slots",
        label: "parallel streams per replica",
        unit: "streams",
        get: |s| s.slots.map(|n| n.to_string()),
        set: |s, v| {
            s.slots = if v.is_empty() {
                None
            } else {
                Some(whole(v, 1, 4096)?)
            };
            Ok(())
        },
    },
    Field {
        key: "eng",
        label: "serving engine",
        unit: "",
        get: |s| Some(s.engine.as_str().to_string()),
        set: |s, v| {
            s.engine = Engine::parse(v).ok_or_else(|| ValueError::not(v, "llamacpp or vllm"))?;
            Ok(())
        },
    },
    Field {
        key: "kvq",
        label: "KV-cache type",
        unit: "",
        get: |s| Some(s.kv_quant.as_str().to_string()),
        set: |s, v| {
            s.kv_quant =
                KvQuant::parse(v).ok_or_else(|| ValueError::not(v, "one of f16, q8_0, q4_0"))?;
            Ok(())
        },
    },
    opt!(
        "slo_ttft",
        "target p95 time to first token",
        "ms",
        slo_ttft_ms,
        above(0.0, 1e7)
    ),
    opt!(
        "slo_tpot",
        "target time per output token",
        "ms",
        slo_tpot_ms,
        above(0.0, 1e5)
    ),
    opt!(
        "tps",
        "decode speed per stream",
        "tokens/s",
        decode_tps,
        above(0.0, 1e6)
    ),
    opt!(
        "ptps",
        "prefill speed per stream",
        "tokens/s",
        prefill_tps,
        above(0.0, 1e7)
    ),
    Field {
        key: "agg",
        label: "measured output tokens/s at each concurrency",
        unit: "tokens/s",
        get: |s| {
            (!s.measured_aggregate.is_empty()).then(|| {
                let points: Vec<String> = s
                    .measured_aggregate
                    .iter()
                    .map(|p| format!("{}@{}", p.tps, p.concurrency))
                    .collect();
                points.join(",")
            })
        },
        set: |s, v| {
            s.measured_aggregate = aggregate_curve(v)?;
            Ok(())
        },
    },
    opt!(
        "lttft",
        "measured local time to first token",
        "ms",
        local_ttft_ms,
        above(0.0, 1e7)
    ),
    opt!(
        "cttft",
        "measured cloud time to first token",
        "ms",
        cloud_ttft_ms,
        above(0.0, 1e7)
    ),
    Field {
        key: "prio",
        label: "priorities",
        unit: "",
        get: |s| join(&s.priorities, |c| c.as_str().to_string()),
        set: |s, v| {
            s.priorities = criteria_list(v)?;
            Ok(())
        },
    },
    Field {
        key: "w",
        label: "weights",
        unit: "",
        get: |s| join(&s.weights, |(c, w)| format!("{}:{w}", c.as_str())),
        set: |s, v| {
            s.weights = weights_list(v)?;
            Ok(())
        },
    },
    Field {
        key: "flags",
        label: "facts for the guide",
        unit: "",
        get: |s| join(&s.flags, |f| f.as_str().to_string()),
        set: |s, v| {
            s.flags = list(
                v,
                Flag::parse,
                "flag (regulated, frontier, offline, no-ops)",
            )?;
            Ok(())
        },
    },
    Field {
        key: "derive",
        label: "derive the cost score",
        unit: "",
        get: |s| Some(if s.derive_cost_score { "1" } else { "0" }.to_string()),
        set: |s, v| {
            s.derive_cost_score = match v {
                "1" | "true" => true,
                "0" | "false" => false,
                _ => return Err(ValueError::not(v, "0 or 1")),
            };
            Ok(())
        },
    },
    num!(
        "hyb",
        "share routed locally",
        "%",
        hybrid_local_pct,
        at_least(0.0, 100.0)
    ),
    num!(
        "esc",
        "escalated to the cloud",
        "% of local",
        escalation_pct,
        at_least(0.0, 100.0)
    ),
    num!(
        "sens",
        "sensitive share, always local",
        "%",
        sensitive_pct,
        at_least(0.0, 100.0)
    ),
];

/// The field for a link key.
pub fn field(key: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.key == key)
}

/// Writes the scenario as a link query (no leading `?`), `v=1` first, defaults omitted.
pub fn encode(scenario: &Scenario) -> String {
    let defaults = Scenario::default();
    let mut out = format!("v={VERSION}");
    for field in FIELDS {
        let value = field.get(scenario);
        if value != field.get(&defaults) {
            out.push('&');
            out.push_str(field.key);
            out.push('=');
            out.push_str(&escape(value.as_deref().unwrap_or("")));
        }
    }
    out
}

/// Reads a link query (with or without a leading `?`). Never panics.
pub fn decode(query: &str) -> Decoded {
    let mut scenario = Scenario::default();
    let mut notes = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut note = |key: &str, message: String| {
        if notes.len() < MAX_NOTES {
            notes.push(Note {
                key: short_key(key),
                message,
            });
        }
    };
    for pair in unescaped(query) {
        let (key, value) = match pair {
            Ok(pair) => pair,
            Err((key, reason)) => {
                note(&key, reason.to_string());
                continue;
            }
        };
        if key == "v" {
            if value != VERSION {
                note(
                    "v",
                    format!(
                        "link version {} is not supported; read as version {VERSION}",
                        shown(&value)
                    ),
                );
            }
            continue;
        }
        let Some(field) = field(&key) else {
            if !is_page_key(&key) {
                note(&key, "unknown key, ignored".into());
            }
            continue;
        };
        if seen.contains(&field.key) {
            note(&key, "given more than once; the last value is used".into());
        } else {
            seen.push(field.key);
        }
        if let Err(reason) = field.set(&mut scenario, &value) {
            note(&key, reason.to_string());
        }
    }
    Decoded { scenario, notes }
}

/// Checks every field of a scenario built in code, resetting each bad one to its default.
/// Returns the clean scenario and a note per field that was reset.
pub fn sanitize(scenario: &Scenario) -> (Scenario, Vec<Note>) {
    let mut clean = Scenario::default();
    let mut notes = Vec::new();
    for field in FIELDS {
        let value = field.get(scenario).unwrap_or_default();
        if let Err(error) = field.set(&mut clean, &value) {
            notes.push(Note {
                key: field.key.into(),
                message: error.to_string(),
            });
        }
    }
    (clean, notes)
}

fn short_key(key: &str) -> String {
    if key.chars().count() <= 16 {
        key.to_string()
    } else {
        key.chars().take(16).chain(['…']).collect()
    }
}

/// The pairs of a link query with their escapes decoded, in order; pairs that do not decode
/// are left out (the scenario codec reports them).
pub fn pairs(query: &str) -> Vec<(String, String)> {
    unescaped(query).filter_map(Result::ok).collect()
}

/// Each pair of a link query with its escapes decoded, or the key to name (as far as it
/// decodes) and why it does not.
fn unescaped(
    query: &str,
) -> impl Iterator<Item = Result<(String, String), (String, ValueError)>> + '_ {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = unescape(raw_key).map_err(|e| (raw_key.to_string(), e))?;
            let value = unescape(raw_value).map_err(|e| (key.clone(), e))?;
            Ok((key, value))
        })
}

/// Whether `key` belongs to the page rather than the scenario: a view key or a key of the
/// measurement setup.
pub fn is_page_key(key: &str) -> bool {
    VIEW_KEYS.contains(&key) || SETUP_KEYS.contains(&key)
}

/// `scenario_query` followed by the page keys of `query` as they are written there, in
/// order: what an address keeps of the page when its scenario changes.
pub fn with_page_keys(mut scenario_query: String, query: &str) -> String {
    for pair in pairs_whose_key(query, is_page_key) {
        scenario_query.push('&');
        scenario_query.push_str(pair);
    }
    scenario_query
}

/// The `key=value` pairs of `query` (with or without `?`) whose key passes `keep`, as written.
fn pairs_whose_key(query: &str, keep: fn(&str) -> bool) -> impl Iterator<Item = &str> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(move |pair| keep(pair.split('=').next().unwrap_or_default()))
}

/// A value of the link key `key` with the key's unit: `$1,200.00`, `$0.45/1M tokens`, `6 h/day`.
pub fn with_unit(value: f64, key: &str) -> String {
    let unit = field(key).map_or("", |f| f.unit);
    match unit.strip_prefix('$') {
        Some(rest) => format!("{}{rest}", price(value)),
        None if unit.is_empty() => plain(value),
        None => format!("{} {unit}", plain(value)),
    }
}

/// `query` without its view keys (`embed`, `panels`, `theme`), as written otherwise: the
/// scenario and the measurement setup, a link that opens the full page as it is set up.
pub fn without_view_keys(query: &str) -> String {
    pairs_whose_key(query, |key| !VIEW_KEYS.contains(&key))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but unreserved characters and `,` `:` `@` `/`, which stay
/// readable (all are allowed in a query).
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~,:@/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` as space; rejects bad escapes and invalid UTF-8.
fn unescape(value: &str) -> Result<String, ValueError> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or(ValueError::BrokenEscape)?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| ValueError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_can_match_what_was_wrong() {
        let mut s = Scenario::default();
        let set = |key: &str, s: &mut Scenario, v: &str| field(key).map(|f| f.set(s, v));
        assert_eq!(
            set("rpd", &mut s, "0"),
            Some(Err(ValueError::NotAbove(0.0)))
        );
        assert_eq!(
            set("agg", &mut s, "812@0"),
            Some(Err(ValueError::InPart {
                part: "concurrency".into(),
                error: Box::new(ValueError::BelowMin(1.0)),
            }))
        );
        assert_eq!(
            set("eng", &mut s, "tgi"),
            Some(Err(ValueError::Not {
                value: "\"tgi\"".into(),
                expected: "llamacpp or vllm".into(),
            }))
        );
        assert_eq!(s, Scenario::default(), "nothing refused was applied");
    }

    /// Decodes `query` and compares the re-encoded scenario and the notes as text.
    fn check(query: &str, expected_link: &str, expected_notes: &[&str]) {
        let decoded = decode(query);
        assert_eq!(
            encode(&decoded.scenario),
            expected_link,
            "scenario of {query}"
        );
        let notes: Vec<String> = decoded
            .notes
            .iter()
            .map(|n| format!("{}: {}", n.key, n.message))
            .collect();
        assert_eq!(notes, expected_notes, "notes of {query}");
    }

    #[test]
    fn values_carry_their_units() {
        assert_eq!(with_unit(0.45, "cout"), "$0.45/1M tokens");
        assert_eq!(with_unit(1200.0, "price"), "$1,200.00");
        assert_eq!(with_unit(6.0, "hrs"), "6 h/day");
        assert_eq!(with_unit(2.25, "life"), "2.25 years");
        assert_eq!(with_unit(37.5, "cache"), "37.5 %");
        assert_eq!(with_unit(3.0, "nope"), "3");
    }

    #[test]
    fn a_setup_link_keeps_the_scenario_and_setup_but_not_the_view() {
        assert_eq!(
            without_view_keys("?v=1&rpd=9000&theme=dark&lurl=http%3A%2F%2Fgpu%3A8000%2Fv1&embed=1&panels=charts&prompt=Hi&&runs=3"),
            "v=1&rpd=9000&lurl=http%3A%2F%2Fgpu%3A8000%2Fv1&prompt=Hi&runs=3"
        );
        assert_eq!(without_view_keys(""), "");
    }

    #[test]
    fn default_scenario_is_just_the_version() {
        check("", "v=1", &[]);
        check("?v=1", "v=1", &[]);
    }

    #[test]
    fn values_round_trip_in_schema_order() {
        check(
            "?v=1&out=200&rpd=10000&cm=claude-3-haiku&prio=privacy,cost&upg=30000@3",
            "v=1&rpd=10000&out=200&cm=claude-3-haiku&upg=30000@3&prio=privacy,cost",
            &[],
        );
    }

    #[test]
    fn a_measured_curve_keeps_its_points_by_concurrency() {
        check(
            "v=1&agg=350@4,100.5@1,1200@16",
            "v=1&agg=100.5@1,350@4,1200@16",
            &[],
        );
        check("v=1&agg=512@8", "v=1&agg=512@8", &[]);
        let seventeen: Vec<String> = (1..=17).map(|c| format!("10@{c}")).collect();
        check(
            &format!("v=1&agg={}", seventeen.join(",")),
            "v=1",
            &["agg: the value is not at most 16 points"],
        );
        check(
            "v=1&agg=100@4,200@4",
            "v=1",
            &["agg: \"100@4,200@4\" is not a curve that names each concurrency once (4 is twice)"],
        );
        check("v=1&agg=100@1,,200@2", "v=1", &["agg: has an empty item"]);
        check(
            "v=1&agg=100@1,200",
            "v=1",
            &["agg: \"200\" is not TOKENS_PER_S@CONCURRENCY"],
        );
    }

    #[test]
    fn default_values_are_omitted() {
        check("v=1&rpd=5000&in=800&hw=rtx-4090", "v=1", &[]);
    }

    #[test]
    fn bad_values_are_reported_by_key_and_the_rest_applies() {
        check(
            "v=1&rpd=-3&in=abc&out=300&hrs=25&yrs=2.5&q=q3&cm=gpt-9",
            "v=1&out=300",
            &[
                "rpd: must be more than 0",
                "in: \"abc\" is not a number",
                "hrs: must be at most 24",
                "yrs: must be a whole number",
                "q: \"q3\" is not one of mxfp4, q4_0, q4_k_m, q5_k_m, q6_k, fp8, q8_0, f16",
                "cm: \"gpt-9\" is not a known cloud model",
            ],
        );
    }

    #[test]
    fn unknown_keys_duplicates_and_versions_are_noted() {
        check(
            "v=2&zzz=1&embed=1&rpd=100&rpd=200",
            "v=1&rpd=200",
            &[
                "v: link version \"2\" is not supported; read as version 1",
                "zzz: unknown key, ignored",
                "rpd: given more than once; the last value is used",
            ],
        );
    }

    #[test]
    fn secrets_and_long_values_are_never_echoed() {
        // Built at run time so the repository holds nothing shaped like a real key.
        let key = format!("sk-proj-{}", "abcdefghij".repeat(4));
        let decoded = decode(&format!("v=1&cm={key}&{key}=1"));
        for note in &decoded.notes {
            assert!(!note.message.contains("abcdefghij"), "{note:?}");
            assert!(!note.key.contains("abcdefghij"), "{note:?}");
        }
        assert_eq!(decoded.notes.len(), 2);
    }

    #[test]
    fn numbers_accept_separators_and_reject_non_finite() {
        check("rpd=5,000&in=1e3", "v=1&in=1000", &[]);
        check(
            "rpd=inf&in=NaN",
            "v=1",
            &[
                "rpd: must be a finite number",
                "in: must be a finite number",
            ],
        );
    }

    #[test]
    fn escapes_are_decoded_and_broken_ones_reported() {
        check(
            "prio=cost%2Cprivacy&w=cost%3A3",
            "v=1&prio=cost,privacy&w=cost:3",
            &[],
        );
        check(
            "rpd=%zz&in=%FF",
            "v=1",
            &["rpd: has a broken %-escape", "in: is not valid UTF-8"],
        );
    }

    #[test]
    fn lists_reject_bad_items_whole() {
        check(
            "prio=cost,speed&w=cost:3,privacy&upg=5000@0&flags=offline,,no-ops",
            "v=1",
            &[
                "prio: \"speed\" is not a criterion (cost, latency, quality, privacy, scalability, simplicity)",
                "w: \"privacy\" is not CRITERION:WEIGHT",
                "upg: year must be at least 1",
                "flags: has an empty item",
            ],
        );
    }

    #[test]
    fn sanitize_resets_bad_fields_of_a_scenario_built_in_code() {
        let scenario = Scenario {
            requests_per_day: f64::NAN,
            active_hours: 12.0,
            hardware: "nope".into(),
            ..Scenario::default()
        };
        let (clean, notes) = sanitize(&scenario);
        assert_eq!(encode(&clean), "v=1&hrs=12");
        let keys: Vec<&str> = notes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["rpd", "hw"]);
    }
}
