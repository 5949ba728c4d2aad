//! Price refresh from LiteLLM's `model_prices_and_context_window.json`, without a new release.
//!
//! The file maps model keys (`gpt-4o-mini`, `anthropic/claude-3-5-sonnet-20241022`, ...) to
//! objects with `input_cost_per_token`, `output_cost_per_token`, optional
//! `cache_read_input_token_cost`, `litellm_provider` and `mode`. [`parse_litellm`] keeps the
//! chat models priced per token and converts them to $ per 1,000,000 tokens; [`PriceTable::find`]
//! matches them to catalog ids; [`LoadedPrices`] is what the page keeps of a file and writes
//! into the scenario as `cin`/`cout`/`ccache`. Parsing never panics, whatever the input.

use crate::catalog::{self, CloudModel};
use crate::codec::json::{self, Json, JsonError};
use crate::scenario::Scenario;
use serde::Serialize;

/// Tokens per price unit: prices are per 1,000,000 tokens.
const PER_MTOK: f64 = 1e6;

/// Decimal places kept in a converted price, $ per 1M tokens: enough for any real price, and
/// it turns `1.5e-07 × 1e6` into `0.15` rather than `0.15000000000000002`.
const PRICE_DECIMALS: i32 = 9;

/// One model's prices from the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceEntry {
    /// The key in the file, e.g. `gpt-4o-mini` or `anthropic/claude-3-5-sonnet-20241022`.
    pub id: String,
    /// Input, $ per 1M tokens (`input_cost_per_token × 1e6`).
    pub input_per_mtok: f64,
    /// Output, $ per 1M tokens (`output_cost_per_token × 1e6`).
    pub output_per_mtok: f64,
    /// Cached input, $ per 1M tokens (`cache_read_input_token_cost × 1e6`), when given.
    pub cached_input_per_mtok: Option<f64>,
    /// `litellm_provider`, e.g. `openai`, when given.
    pub provider: Option<String>,
}

/// Every usable entry of a price file, sorted by id.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PriceTable {
    /// The entries, sorted by id.
    pub entries: Vec<PriceEntry>,
}

/// Why a price file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceFileError {
    /// The text is not JSON.
    NotJson(JsonError),
    /// The JSON is not an object of models.
    NotAnObject,
    /// No entry is a chat model with both per-token prices.
    NoChatModel,
    /// A refusal as the module that read the file wrote it ([`LoadedPrices::decode`]).
    Refused(String),
}

impl std::fmt::Display for PriceFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PriceFileError::NotJson(e) => write!(f, "not a valid price file: {e}"),
            PriceFileError::NotAnObject => {
                f.write_str("not a valid price file: expected a JSON object of models")
            }
            PriceFileError::NoChatModel => f.write_str(
                "no chat model in the file has both input_cost_per_token and \
                 output_cost_per_token",
            ),
            PriceFileError::Refused(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for PriceFileError {}

/// Reads a LiteLLM price file. Keeps entries whose `mode` is `chat` or absent and that have
/// both `input_cost_per_token` and `output_cost_per_token` as non-negative numbers; skips
/// `sample_spec` and everything else. Errors when the text is not a JSON object or when no
/// entry is usable. Never panics.
pub fn parse_litellm(json: &str) -> Result<PriceTable, PriceFileError> {
    let value = json::parse(json).map_err(PriceFileError::NotJson)?;
    let Json::Object(models) = value else {
        return Err(PriceFileError::NotAnObject);
    };
    let mut entries: Vec<PriceEntry> = models
        .iter()
        .filter(|(key, _)| key.as_str() != "sample_spec")
        .filter_map(|(key, spec)| entry(key, spec))
        .collect();
    if entries.is_empty() {
        return Err(PriceFileError::NoChatModel);
    }
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(PriceTable { entries })
}

/// The entry for one model of the file, if it is a chat model priced per token.
fn entry(key: &str, spec: &Json) -> Option<PriceEntry> {
    if !matches!(spec, Json::Object(_)) {
        return None;
    }
    match spec.get("mode") {
        None | Some(Json::Null) => {}
        Some(Json::String(mode)) if mode == "chat" => {}
        Some(_) => return None,
    }
    let cost = |field: &str| -> Option<f64> {
        let price = per_mtok(spec.get(field)?.as_f64()?);
        (price.is_finite() && price >= 0.0).then_some(price)
    };
    Some(PriceEntry {
        id: key.to_string(),
        input_per_mtok: cost("input_cost_per_token")?,
        output_per_mtok: cost("output_cost_per_token")?,
        cached_input_per_mtok: cost("cache_read_input_token_cost"),
        provider: spec
            .get("litellm_provider")
            .and_then(Json::as_str)
            .map(str::to_string),
    })
}

/// `per_token × 1e6`, rounded to [`PRICE_DECIMALS`] places.
fn per_mtok(per_token: f64) -> f64 {
    let scale = 10f64.powi(PRICE_DECIMALS);
    let value = per_token * PER_MTOK;
    let rounded = (value * scale).round() / scale;
    if rounded.is_finite() {
        rounded
    } else {
        value
    }
}

/// How well a key matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Match {
    /// The key is the id.
    Exact,
    /// The key is the id once a provider prefix (`openai/`) is dropped from either.
    Prefixed,
    /// The key without a date or `-latest` suffix is the id, dots read as dashes.
    Versioned,
}

impl PriceTable {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry for `id`: the exact key, else the key and id with any provider prefix
    /// dropped (`openai/gpt-4o` and `gpt-4o` match), else a dated variant: the key with a
    /// trailing `-YYYYMMDD`, `-YYYY-MM-DD` or `-latest` removed equals the id, reading `.` as
    /// `-` (`claude-3.5-sonnet` finds `claude-3-5-sonnet-20241022`). Among several keys of the
    /// same kind, the one whose provider is the catalog model's wins, then the newest version
    /// (`-latest` newest of all), then the key with fewer prefixes, then the first by key.
    pub fn find(&self, id: &str) -> Option<&PriceEntry> {
        let wanted = strip_prefix(id);
        let wanted_versioned = wanted.replace('.', "-");
        let provider = catalog::cloud_model(id)
            .or_else(|| catalog::cloud_model(wanted))
            .map(litellm_provider);
        self.entries
            .iter()
            .filter_map(|e| {
                let key = e.id.as_str();
                let bare = strip_prefix(key);
                let (unversioned, version) = strip_version(bare);
                let kind = if key == id {
                    Match::Exact
                } else if bare == wanted {
                    Match::Prefixed
                } else if unversioned.replace('.', "-") == wanted_versioned {
                    Match::Versioned
                } else {
                    return None;
                };
                let other_provider = match (provider, e.provider.as_deref()) {
                    (Some(p), Some(q)) => !q.eq_ignore_ascii_case(p),
                    (Some(_), None) => true,
                    (None, _) => false,
                };
                let prefixes = key.matches('/').count();
                Some((
                    (kind, other_provider, std::cmp::Reverse(version), prefixes),
                    e,
                ))
            })
            .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)))
            .map(|(_, e)| e)
    }
}

/// The `litellm_provider` LiteLLM uses for a catalog model's provider.
fn litellm_provider(model: &CloudModel) -> &'static str {
    match model.provider {
        "OpenAI" => "openai",
        "Anthropic" => "anthropic",
        "Google" => "gemini",
        "DeepSeek" => "deepseek",
        _ => "",
    }
}

/// The id without provider prefixes: everything after the last `/`.
fn strip_prefix(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// Splits a trailing `-latest`, `-YYYYMMDD` or `-YYYY-MM-DD` off `id`, giving the rest and a
/// version to order by (`-latest` highest, no suffix lowest).
fn strip_version(id: &str) -> (&str, u32) {
    if let Some(rest) = id.strip_suffix("-latest") {
        return (rest, u32::MAX);
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((rest, date)) = id.rsplit_once('-') {
        if date.len() == 8 && digits(date) {
            return (rest, date.parse().unwrap_or(0));
        }
    }
    // -YYYY-MM-DD: the last eleven bytes, all ASCII when they match.
    let bytes = id.as_bytes();
    if bytes.len() > 11 {
        let tail = &bytes[bytes.len() - 11..];
        let shape = tail[0] == b'-'
            && tail[5] == b'-'
            && tail[8] == b'-'
            && [1, 2, 3, 4, 6, 7, 9, 10]
                .iter()
                .all(|&k| tail[k].is_ascii_digit());
        if shape {
            let (rest, date) = id.split_at(id.len() - 11);
            let version = date.replace('-', "").parse().unwrap_or(0);
            return (rest, version);
        }
    }
    (id, 0)
}

/// Switches `scenario` to the cloud model `id`. Price overrides (`cin`, `cout`, `ccache`)
/// were set for the model being left, so they go with it; when a price file is loaded and
/// prices the new model, its prices take their place. Choosing the same model changes nothing.
pub fn switch_cloud_model(scenario: &mut Scenario, id: &str, file: Option<&LoadedPrices>) {
    if scenario.cloud_model == id {
        return;
    }
    scenario.cloud_model = id.to_owned();
    scenario.cloud_input_price = None;
    scenario.cloud_output_price = None;
    scenario.cloud_cached_price = None;
    if let Some(file) = file {
        file.apply(scenario);
    }
}

/// A catalog model's prices next to the file's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refresh {
    /// The catalog model.
    pub model: &'static CloudModel,
    /// The key it matched in the file.
    pub key: String,
    /// File (input, output, cached input), $ per 1M tokens.
    pub file: (f64, f64, Option<f64>),
}

impl Refresh {
    /// Catalog (input, output, cached input), $ per 1M tokens.
    pub fn catalog(&self) -> (f64, f64, f64) {
        let m = self.model;
        (m.input_per_mtok, m.output_per_mtok, m.cached_input_per_mtok)
    }

    /// Whether the file's prices differ from the catalog's (a cached price only when the file
    /// gives one).
    pub fn changed(&self) -> bool {
        let (catalog, file) = (self.catalog(), self.file);
        let differs = |a: f64, b: f64| (a - b).abs() > 1e-9;
        differs(catalog.0, file.0)
            || differs(catalog.1, file.1)
            || file.2.is_some_and(|c| differs(catalog.2, c))
    }
}

/// Every catalog cloud model the file prices, in catalog order, with what changed.
pub fn refresh_catalog(table: &PriceTable) -> Vec<Refresh> {
    catalog::CLOUD_MODELS
        .iter()
        .filter_map(|m| {
            let e = table.find(m.id)?;
            let file = (e.input_per_mtok, e.output_per_mtok, e.cached_input_per_mtok);
            Some(Refresh {
                model: m,
                key: e.id.clone(),
                file,
            })
        })
        .collect()
}

/// A price file as the page keeps it: how many models it prices, and its prices for the
/// catalog's models (the only ones a scenario can choose). The page reads the file in the
/// module it loads on demand and receives this as text ([`read_price_file`],
/// [`LoadedPrices::decode`]), so its first load carries no JSON reader.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedPrices {
    /// Chat models the file prices.
    pub models: usize,
    /// Its prices for the catalog's models, in catalog order.
    pub catalog: Vec<Refresh>,
}

impl LoadedPrices {
    /// What the page keeps of `table`.
    pub fn of(table: &PriceTable) -> LoadedPrices {
        LoadedPrices {
            models: table.len(),
            catalog: refresh_catalog(table),
        }
    }

    /// Writes the file's prices for the scenario's cloud model into it as overrides (`cin`,
    /// `cout`, and `ccache` when the file gives one). Returns them, or `None` when the file
    /// does not price the model, which leaves the scenario as it was.
    pub fn apply(&self, scenario: &mut Scenario) -> Option<(f64, f64)> {
        let r = self
            .catalog
            .iter()
            .find(|r| r.model.id == scenario.cloud_model)?;
        let (cin, cout, ccache) = r.file;
        scenario.cloud_input_price = Some(cin);
        scenario.cloud_output_price = Some(cout);
        scenario.cloud_cached_price = ccache;
        Some((cin, cout))
    }

    /// As text: `prices N`, then a line per catalog model: id, key, input, output and cached
    /// input (empty for none), separated by tabs. Numbers are written to round-trip exactly.
    fn encode(&self) -> String {
        let mut out = format!("prices {}", self.models);
        for r in &self.catalog {
            let key: String = r
                .key
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            let (input, output, cached) = r.file;
            let cached = cached.map(|c| c.to_string()).unwrap_or_default();
            out.push_str(&format!(
                "\n{}\t{key}\t{input}\t{output}\t{cached}",
                r.model.id
            ));
        }
        out
    }

    /// Reads what [`read_price_file`] wrote: the prices, or the reason the file was refused.
    /// Lines naming no catalog model or holding a bad number are left out.
    pub fn decode(text: &str) -> Result<LoadedPrices, PriceFileError> {
        let mut lines = text.lines();
        let head = lines.next().unwrap_or_default();
        let Some(models) = head.strip_prefix("prices ").and_then(|n| n.parse().ok()) else {
            return Err(PriceFileError::Refused(
                text.strip_prefix("refused ").unwrap_or(text).to_owned(),
            ));
        };
        let line = |line: &str| {
            let mut fields = line.split('\t');
            let model = catalog::cloud_model(fields.next()?)?;
            let key = fields.next()?.to_owned();
            let price = |text: Option<&str>| text?.parse::<f64>().ok().filter(|p| p.is_finite());
            let (input, output) = (price(fields.next())?, price(fields.next())?);
            let cached = match fields.next()? {
                "" => None,
                text => Some(price(Some(text))?),
            };
            Some(Refresh {
                model,
                key,
                file: (input, output, cached),
            })
        };
        Ok(LoadedPrices {
            models,
            catalog: lines.filter_map(line).collect(),
        })
    }
}

/// Reads a LiteLLM price file into what the page keeps, as the text [`LoadedPrices::decode`]
/// reads back: `prices N` and the catalog's prices, or `refused ` and the reason.
pub fn read_price_file(json: &str) -> String {
    match parse_litellm(json) {
        Ok(table) => LoadedPrices::of(&table).encode(),
        Err(reason) => format!("refused {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `json` and compares what `find(id)` gives as (key, input, output, cached).
    fn check(json: &str, id: &str, expected: Option<(&str, f64, f64, Option<f64>)>) {
        let table = parse_litellm(json).expect("parses");
        let found = table.find(id).map(|e| {
            (
                e.id.as_str(),
                e.input_per_mtok,
                e.output_per_mtok,
                e.cached_input_per_mtok,
            )
        });
        assert_eq!(found, expected, "{id}");
    }

    const SMALL: &str = r#"{
        "sample_spec": {"input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "mode": "chat"},
        "gpt-4o-mini": {"input_cost_per_token": 1.5e-07, "output_cost_per_token": 6e-07,
            "cache_read_input_token_cost": 7.5e-08, "litellm_provider": "openai", "mode": "chat"},
        "azure/gpt-4o": {"input_cost_per_token": 2.75e-06, "output_cost_per_token": 1.1e-05,
            "litellm_provider": "azure", "mode": "chat"},
        "openai/gpt-4o": {"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05,
            "litellm_provider": "openai", "mode": "chat"},
        "claude-3-5-sonnet-20240620": {"input_cost_per_token": 3e-06,
            "output_cost_per_token": 1.5e-05, "litellm_provider": "anthropic", "mode": "chat"},
        "claude-3-5-sonnet-20241022": {"input_cost_per_token": 3e-06,
            "output_cost_per_token": 1.5e-05, "cache_read_input_token_cost": 3e-07,
            "litellm_provider": "anthropic", "mode": "chat"},
        "text-embedding-3-small": {"input_cost_per_token": 2e-08, "output_cost_per_token": 0.0,
            "litellm_provider": "openai", "mode": "embedding"},
        "no-output": {"input_cost_per_token": 1e-06},
        "negative": {"input_cost_per_token": -1e-06, "output_cost_per_token": 1e-06},
        "text": {"input_cost_per_token": "1e-06", "output_cost_per_token": 1e-06},
        "not-an-object": 3
    }"#;

    #[test]
    fn converts_per_token_to_per_million() {
        check(
            SMALL,
            "gpt-4o-mini",
            Some(("gpt-4o-mini", 0.15, 0.6, Some(0.075))),
        );
    }

    #[test]
    fn keeps_only_chat_models_with_both_prices() {
        let table = parse_litellm(SMALL).unwrap();
        let ids: Vec<&str> = table.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "azure/gpt-4o",
                "claude-3-5-sonnet-20240620",
                "claude-3-5-sonnet-20241022",
                "gpt-4o-mini",
                "openai/gpt-4o"
            ]
        );
    }

    // Both azure/ and openai/ strip to gpt-4o; the catalog says OpenAI, so openai/ wins.
    #[test]
    fn provider_prefix_prefers_the_catalog_provider() {
        check(SMALL, "gpt-4o", Some(("openai/gpt-4o", 2.5, 10.0, None)));
        check(
            SMALL,
            "openai/gpt-4o-mini",
            Some(("gpt-4o-mini", 0.15, 0.6, Some(0.075))),
        );
    }

    #[test]
    fn anthropic_dots_and_dates() {
        check(
            SMALL,
            "claude-3.5-sonnet",
            Some(("claude-3-5-sonnet-20241022", 3.0, 15.0, Some(0.3))),
        );
        check(SMALL, "claude-3-haiku", None);
    }

    #[test]
    fn version_suffixes() {
        assert_eq!(
            strip_version("claude-3-5-sonnet-20241022"),
            ("claude-3-5-sonnet", 20241022)
        );
        assert_eq!(
            strip_version("claude-3-5-sonnet-latest"),
            ("claude-3-5-sonnet", u32::MAX)
        );
        assert_eq!(strip_version("gpt-4o-2024-08-06"), ("gpt-4o", 20240806));
        assert_eq!(strip_version("gpt-4o"), ("gpt-4o", 0));
        assert_eq!(strip_version("gpt-4-0613"), ("gpt-4-0613", 0));
        assert_eq!(strip_version("é-2024-08-06"), ("é", 20240806));
        assert_eq!(strip_version("éééééé"), ("éééééé", 0));
    }

    #[test]
    fn a_loaded_file_gives_the_scenario_its_prices() {
        let kept = LoadedPrices::of(&parse_litellm(SMALL).unwrap());
        let mut scenario = Scenario::default();
        assert_eq!(kept.apply(&mut scenario), Some((0.15, 0.6)));
        let set = (
            scenario.cloud_input_price,
            scenario.cloud_output_price,
            scenario.cloud_cached_price,
        );
        assert_eq!(set, (Some(0.15), Some(0.6), Some(0.075)));
        let mut gemini = Scenario {
            cloud_model: "gemini-2.5-pro".into(),
            ..Scenario::default()
        };
        assert_eq!(kept.apply(&mut gemini), None);
        assert_eq!(gemini.cloud_input_price, None);
    }

    #[test]
    fn errors_are_lowercase_without_a_period() {
        for bad in ["", "[1, 2]", "{\"a\": 1}", "{", "null"] {
            let e = parse_litellm(bad).unwrap_err().to_string();
            assert!(e.starts_with(|c: char| c.is_lowercase()), "{e}");
            assert!(!e.ends_with('.'), "{e}");
        }
    }
}
