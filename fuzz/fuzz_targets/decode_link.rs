//! Fuzz target: any link query decodes without panicking into a scenario that evaluates without
//! panicking and round-trips through its own link with no note, and into a measurement setup
//! that round-trips the same way.

#![no_main]

use crossover_core::evaluate;
use crossover_core::measure::setup::Setup;
use crossover_core::codec::link::{decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let decoded = decode(&query);
    evaluate(&decoded.scenario);
    let link = encode(&decoded.scenario);
    let again = decode(&link);
    assert_eq!(again.notes, [], "{link}");
    assert_eq!(again.scenario, decoded.scenario, "{link}");

    let (setup, _) = Setup::decode(&query);
    let written = setup.rewrite("");
    let (read, notes) = Setup::decode(&written);
    assert_eq!(notes, [], "{written}");
    assert_eq!(read, setup, "{written}");
});
