//! Fuzz target: a streamed body decodes to the same events and result however it is chunked.
//!
//! Input layout: byte 0 picks the API, byte 1 says how many chunk lengths follow (up to 15),
//! then come the lengths (1 to 256 bytes each, used in turn until the body is consumed) and
//! the body itself.

#![no_main]

use crossover_core::measure::decode::{DecodeError, Event, StreamDecoder};
use crossover_core::measure::Api;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let api = Api::ALL[usize::from(pick) % Api::ALL.len()];
    let Some((&count, rest)) = rest.split_first() else {
        return;
    };
    let (lengths, body) = rest.split_at(usize::from(count % 16).min(rest.len()));
    let whole = decode(api, [body]);
    let chunked = decode(api, chunks(body, lengths));
    assert_eq!(chunked, whole, "{api:?} body cut by lengths {lengths:?}");
});

/// `body` in pieces of the given lengths, taken in turn; every piece holds at least one byte.
fn chunks<'a>(mut body: &'a [u8], lengths: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut lengths = lengths.iter().map(|&n| usize::from(n) + 1).cycle();
    std::iter::from_fn(move || {
        if body.is_empty() {
            return None;
        }
        let (chunk, rest) = body.split_at(lengths.next().unwrap_or(body.len()).min(body.len()));
        body = rest;
        Some(chunk)
    })
}

/// The events of `chunks` fed in order, and the result: the first error, or that of finishing.
fn decode<'a>(
    api: Api,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> (Vec<Event>, Result<(), DecodeError>) {
    let mut decoder = StreamDecoder::new(api);
    let mut events = Vec::new();
    let result = chunks
        .into_iter()
        .try_for_each(|chunk| decoder.push(chunk, &mut events))
        .and_then(|()| decoder.finish(&mut events));
    (events, result)
}
