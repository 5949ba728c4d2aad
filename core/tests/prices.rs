//! Price refresh against a real-shaped LiteLLM file: conversion, matching to catalog ids,
//! overrides written into a scenario, and parsing that never panics.

use crossover_core::codec::prices::{
    parse_litellm, read_price_file, refresh_catalog, switch_cloud_model, LoadedPrices,
    PriceFileError, PriceTable,
};
use crossover_core::{evaluate, Scenario};
use proptest::prelude::*;

/// Entries copied in shape from BerriAI/litellm's `model_prices_and_context_window.json`.
const FIXTURE: &str = include_str!("fixtures/prices_litellm.json");

fn table() -> PriceTable {
    parse_litellm(FIXTURE).expect("the fixture parses")
}

/// Compares what `find(id)` gives as (key, input, output, cached), $ per 1M tokens.
fn check(id: &str, expected: Option<(&str, f64, f64, Option<f64>)>) {
    let table = table();
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

// Skipped: sample_spec, an image model, a completion model, a realtime model, a transcription
// model and an entry without prices. Zero prices (a local server) are kept.
#[test]
fn keeps_the_chat_models_priced_per_token() {
    let table = table();
    let ids: Vec<&str> = table.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "ai21.jamba-1-5-mini-v1:0",
            "cerebras/llama3.1-8b",
            "claude-3-5-sonnet-20240620",
            "claude-3-5-sonnet-20241022",
            "claude-3-haiku-20240307",
            "claude-haiku-4-5",
            "claude-haiku-4-5-20251001",
            "claude-sonnet-4-5",
            "gpt-4.1",
            "gpt-4o",
            "gpt-4o-2024-05-13",
            "gpt-4o-mini",
            "gpt-5",
            "groq/llama-3.1-8b-instant",
            "lemonade/gpt-oss-20b-mxfp4-GGUF",
        ]
    );
    assert_eq!(table.len(), 15);
    let gpt = table.find("gpt-4o").unwrap();
    assert_eq!(gpt.provider.as_deref(), Some("openai"));
}

// 1.5e-07 $/token = $0.15 per 1M; 6e-07 = $0.60; 7.5e-08 = $0.075.
#[test]
fn exact_ids() {
    check("gpt-4o-mini", Some(("gpt-4o-mini", 0.15, 0.6, Some(0.075))));
    check("gpt-4o", Some(("gpt-4o", 2.5, 10.0, Some(1.25))));
    check("gpt-4.1", Some(("gpt-4.1", 2.0, 8.0, Some(0.5))));
    check("gpt-5", Some(("gpt-5", 1.25, 10.0, Some(0.125))));
    check(
        "claude-haiku-4-5",
        Some(("claude-haiku-4-5", 1.0, 5.0, Some(0.1))),
    );
    check(
        "ai21.jamba-1-5-mini-v1:0",
        Some(("ai21.jamba-1-5-mini-v1:0", 0.2, 0.4, None)),
    );
}

#[test]
fn provider_prefixes() {
    check("openai/gpt-4o", Some(("gpt-4o", 2.5, 10.0, Some(1.25))));
    check(
        "llama3.1-8b",
        Some(("cerebras/llama3.1-8b", 0.1, 0.1, None)),
    );
    check(
        "gpt-oss-20b-mxfp4-GGUF",
        Some(("lemonade/gpt-oss-20b-mxfp4-GGUF", 0.0, 0.0, None)),
    );
}

// The newest dated key wins: 20241022 over 20240620.
#[test]
fn anthropic_catalog_ids() {
    check(
        "claude-3.5-sonnet",
        Some(("claude-3-5-sonnet-20241022", 3.0, 15.0, Some(0.3))),
    );
    check(
        "claude-3-haiku",
        Some(("claude-3-haiku-20240307", 0.25, 1.25, Some(0.03))),
    );
    check(
        "claude-sonnet-4-5",
        Some(("claude-sonnet-4-5", 3.0, 15.0, Some(0.3))),
    );
}

#[test]
fn models_the_file_does_not_price() {
    check("gemini-2.5-pro", None);
    check("gpt-4o-mini-transcribe", None);
    check("gpt-4o-mini-realtime-preview", None);
    check("openai-gpt-4o-mini", None);
    check("sample_spec", None);
    check("", None);
}

// Claude 3.5 Sonnet from the file: 120,000,000 × $3 + 60,000,000 × $15 = 360 + 900 = $1,260.
#[test]
fn overrides_reprice_the_scenario() {
    let mut scenario = Scenario {
        cloud_model: "claude-3.5-sonnet".into(),
        ..Scenario::default()
    };
    assert_eq!(
        LoadedPrices::of(&table()).apply(&mut scenario),
        Some((3.0, 15.0))
    );
    let report = evaluate(&scenario);
    assert!((report.cloud.monthly_usd - 1260.0).abs() < 1e-9);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

/// The scenario's cloud model and its price overrides (`cin`, `cout`, `ccache`).
fn pricing(s: &Scenario) -> (&str, Option<f64>, Option<f64>, Option<f64>) {
    (
        s.cloud_model.as_str(),
        s.cloud_input_price,
        s.cloud_output_price,
        s.cloud_cached_price,
    )
}

// Overrides belong to the model they were set for; a loaded file prices the next one.
#[test]
fn switching_the_cloud_model_drops_or_refreshes_its_prices() {
    let file = LoadedPrices::of(&table());
    let mut scenario = Scenario {
        cloud_input_price: Some(0.3),
        cloud_output_price: Some(1.2),
        cloud_cached_price: Some(0.1),
        ..Scenario::default()
    };
    // The file has no price for Gemini 2.5 Pro: the catalog's prices apply.
    switch_cloud_model(&mut scenario, "gemini-2.5-pro", Some(&file));
    assert_eq!(pricing(&scenario), ("gemini-2.5-pro", None, None, None));
    // 3e-06, 1.5e-05 and 3e-07 $/token in the file: $3, $15 and $0.30 per 1M.
    switch_cloud_model(&mut scenario, "claude-3.5-sonnet", Some(&file));
    let sonnet = ("claude-3.5-sonnet", Some(3.0), Some(15.0), Some(0.3));
    assert_eq!(pricing(&scenario), sonnet);
    // Choosing the model already chosen keeps what is set.
    switch_cloud_model(&mut scenario, "claude-3.5-sonnet", None);
    assert_eq!(pricing(&scenario), sonnet);
    // With no file, a new model starts from the catalog.
    switch_cloud_model(&mut scenario, "gpt-4o", None);
    assert_eq!(pricing(&scenario), ("gpt-4o", None, None, None));
}

// The page reads the file in its on-demand module and keeps the text it gets back.
#[test]
fn what_the_page_keeps_survives_the_trip_as_text() {
    let kept = LoadedPrices::decode(&read_price_file(FIXTURE)).expect("read");
    assert_eq!(kept, LoadedPrices::of(&table()));
    assert_eq!(kept.models, 15);
    assert_eq!(kept.catalog.len(), 8);
    assert_eq!(
        LoadedPrices::decode(&read_price_file("[]")),
        Err(PriceFileError::Refused(
            "not a valid price file: expected a JSON object of models".to_string()
        ))
    );
    // Prices come back exact.
    let odd = r#"{"gpt-4o-mini": {"input_cost_per_token": 1.23456789e-7, "output_cost_per_token": 6e-7}}"#;
    let kept = LoadedPrices::decode(&read_price_file(odd)).expect("read");
    assert_eq!(kept.catalog[0].file, (0.123456789, 0.6, None));
}

// The catalog was read from the same file: every model the fixture prices is unchanged.
#[test]
fn the_catalog_agrees_with_the_file() {
    let refreshed = refresh_catalog(&table());
    let matched: Vec<(&str, &str, bool)> = refreshed
        .iter()
        .map(|r| (r.model.id, r.key.as_str(), r.changed()))
        .collect();
    assert_eq!(
        matched,
        [
            ("gpt-4o", "gpt-4o", false),
            ("gpt-4o-mini", "gpt-4o-mini", false),
            ("gpt-4.1", "gpt-4.1", false),
            ("gpt-5", "gpt-5", false),
            ("claude-3.5-sonnet", "claude-3-5-sonnet-20241022", false),
            ("claude-3-haiku", "claude-3-haiku-20240307", false),
            ("claude-sonnet-4-5", "claude-sonnet-4-5", false),
            ("claude-haiku-4-5", "claude-haiku-4-5", false),
        ]
    );
}

#[test]
fn a_price_change_is_reported() {
    let json = r#"{"gpt-4o-mini": {"input_cost_per_token": 1e-07,
        "output_cost_per_token": 6e-07, "litellm_provider": "openai", "mode": "chat"}}"#;
    let refreshed = refresh_catalog(&parse_litellm(json).unwrap());
    assert_eq!(refreshed.len(), 1);
    assert_eq!(refreshed[0].file, (0.1, 0.6, None));
    assert!(refreshed[0].changed());
}

#[test]
fn bad_files_are_errors() {
    for (text, start) in [
        ("", "not a valid price file: unexpected end at byte 0"),
        ("[]", "not a valid price file: expected a JSON object"),
        ("{\"sample_spec\": {}}", "no chat model"),
        ("{\"a\": {\"mode\": \"embedding\", \"input_cost_per_token\": 1, \"output_cost_per_token\": 1}}", "no chat model"),
        (&"[".repeat(10_000), "not a valid price file: nested too deeply"),
    ] {
        let e = parse_litellm(text).unwrap_err().to_string();
        assert!(e.starts_with(start), "{e}");
        assert!(!e.ends_with('.'), "{e}");
    }
}

fn cost() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|x| format!("{x:e}")),
        (0.0f64..1e-3).prop_map(|x| format!("{x:e}")),
        Just("null".to_string()),
        Just("\"1e-06\"".to_string()),
        Just("-1".to_string()),
        Just("1e400".to_string()),
        Just("{}".to_string()),
    ]
}

fn model() -> impl Strategy<Value = String> {
    (
        prop::option::of(cost()),
        prop::option::of(cost()),
        prop::option::of(cost()),
        prop::option::of(prop_oneof![
            Just("\"chat\""),
            Just("\"embedding\""),
            Just("null"),
            Just("7"),
        ]),
    )
        .prop_map(|(input, output, cached, mode)| {
            let mut fields = Vec::new();
            if let Some(v) = input {
                fields.push(format!("\"input_cost_per_token\": {v}"));
            }
            if let Some(v) = output {
                fields.push(format!("\"output_cost_per_token\": {v}"));
            }
            if let Some(v) = cached {
                fields.push(format!("\"cache_read_input_token_cost\": {v}"));
            }
            if let Some(m) = mode {
                fields.push(format!("\"mode\": {m}"));
            }
            format!("{{{}}}", fields.join(", "))
        })
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse_litellm(&text);
        let _ = LoadedPrices::decode(&text);
    }

    #[test]
    fn kept_text_never_panics(text in "(prices [0-9]{1,3}|refused x)(\n[a-z0-9.:-]{0,12}(\t[-0-9.e]{0,8}){0,5}){0,4}") {
        let _ = LoadedPrices::decode(&text);
    }

    #[test]
    fn json_like_text_never_panics(text in "[{}\\[\\]\":,0-9a-z_. e+-]{0,200}") {
        let _ = parse_litellm(&text);
    }

    #[test]
    fn kept_prices_are_finite_and_not_negative(
        models in prop::collection::vec(("[a-z0-9./-]{0,24}", model()), 0..12),
        lookup in "[a-z0-9./-]{0,24}",
    ) {
        let body: Vec<String> = models
            .iter()
            .map(|(k, v)| format!("{}: {v}", serde_json::to_string(k).unwrap()))
            .collect();
        let text = format!("{{{}}}", body.join(", "));
        if let Ok(table) = parse_litellm(&text) {
            prop_assert!(!table.is_empty());
            for e in &table.entries {
                prop_assert!(e.input_per_mtok.is_finite() && e.input_per_mtok >= 0.0);
                prop_assert!(e.output_per_mtok.is_finite() && e.output_per_mtok >= 0.0);
                if let Some(c) = e.cached_input_per_mtok {
                    prop_assert!(c.is_finite() && c >= 0.0);
                }
            }
            let _ = table.find(&lookup);
            // What the page keeps comes back whole from its text.
            let kept = LoadedPrices::of(&table);
            prop_assert_eq!(LoadedPrices::decode(&read_price_file(&text)), Ok(kept));
        }
    }
}

/// LiteLLM's entries for the catalog's models at commit 00035b69 (see the file's `sample_spec`).
const LITELLM_00035B69: &str = include_str!("fixtures/litellm_00035b69.json");

/// Retired models priced from the provider's own page as it stood before they were retired.
const RETIRED: [&str; 2] = ["claude-3.5-sonnet", "claude-3-haiku"];

#[test]
fn every_current_catalog_price_is_litellms() {
    let table = parse_litellm(LITELLM_00035B69).expect("the extract parses");
    for model in crossover_core::catalog::CLOUD_MODELS {
        if RETIRED.contains(&model.id) {
            continue;
        }
        let entry = table
            .find(model.id)
            .unwrap_or_else(|| panic!("{} has no LiteLLM entry", model.id));
        assert_eq!(
            (
                entry.input_per_mtok,
                entry.output_per_mtok,
                entry.cached_input_per_mtok
            ),
            (
                model.input_per_mtok,
                model.output_per_mtok,
                Some(model.cached_input_per_mtok)
            ),
            "{} against LiteLLM's {}",
            model.id,
            entry.id
        );
    }
}
