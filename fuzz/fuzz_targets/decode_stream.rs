//! Fuzz target: a streamed body decodes to the same events and result however it is chunked.
//!
//! Input layout: byte 0 picks the API, byte 1 says how many chunk lengths follow (up to 15),
//! then come the lengths (0 to 255 bytes each, used in turn until the body is consumed; 0 makes
//! an empty chunk) and the body itself.

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

/// `body` in pieces of the given lengths, taken in turn; when every length is zero, the empty
/// pieces come first and the body follows whole.
fn chunks<'a>(body: &'a [u8], lengths: &[u8]) -> Vec<&'a [u8]> {
    let mut chunks = Vec::new();
    let mut rest = body;
    if lengths.iter().all(|&n| n == 0) {
        chunks.extend(lengths.iter().map(|_| &body[..0]));
        chunks.push(body);
        return chunks;
    }
    for &n in lengths.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (chunk, tail) = rest.split_at(usize::from(n).min(rest.len()));
        chunks.push(chunk);
        rest = tail;
    }
    chunks
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
