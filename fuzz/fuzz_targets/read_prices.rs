//! Fuzz target: any bytes given as a LiteLLM price file are read without panicking, either
//! refused with a reason or kept as text that reads back to the same prices.

#![no_main]

use crossover_core::codec::prices::{parse_litellm, read_price_file, LoadedPrices};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let json = String::from_utf8_lossy(data);
    let kept = read_price_file(&json);
    match parse_litellm(&json) {
        Ok(table) => {
            let expected = LoadedPrices::of(&table);
            let read = LoadedPrices::decode(&kept).expect("a file that parses is kept");
            assert_eq!(read.models, expected.models);
            let prices = |p: &LoadedPrices| -> Vec<_> {
                p.catalog.iter().map(|r| (r.model.id, r.file)).collect()
            };
            assert_eq!(prices(&read), prices(&expected));
        }
        Err(reason) => {
            let reason = reason.to_string();
            assert!(!reason.is_empty());
            assert_eq!(
                LoadedPrices::decode(&kept).map_err(|e| e.to_string()),
                Err(reason)
            );
        }
    }
});
