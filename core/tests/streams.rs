//! Recorded streaming bodies of each API (tests/fixtures/streams/), decoded whole, cut at every
//! point and fed byte by byte; corrupted, overlong and cut-short bodies; arbitrary bytes in
//! arbitrary chunks.

use crossover_core::measure::decode::{DecodeError, Event, StreamDecoder, Usage};
use crossover_core::measure::frame::{FrameError, MAX_LINE_BYTES};
use crossover_core::measure::Api;

const OLLAMA: &[u8] = include_bytes!("fixtures/streams/ollama.ndjson");
const OLLAMA_ERROR: &[u8] = include_bytes!("fixtures/streams/ollama-error.ndjson");
const OPENAI: &[u8] = include_bytes!("fixtures/streams/openai.sse");
const OPENAI_ERROR: &[u8] = include_bytes!("fixtures/streams/openai-error.sse");
const ANTHROPIC: &[u8] = include_bytes!("fixtures/streams/anthropic.sse");
const ANTHROPIC_ERROR: &[u8] = include_bytes!("fixtures/streams/anthropic-error.sse");
const OPENROUTER: &[u8] = include_bytes!("fixtures/streams/openrouter.sse");
/// llama.cpp's server, written after its source (tools/server: the usage chunk carries its
/// `timings`).
const LLAMA_CPP: &[u8] = include_bytes!("fixtures/streams/llama-cpp.sse");

/// Every recorded body with the API that sent it.
const RECORDED: [(Api, &[u8]); 8] = [
    (Api::Ollama, OLLAMA),
    (Api::Ollama, OLLAMA_ERROR),
    (Api::OpenAi, OPENAI),
    (Api::OpenAi, OPENAI_ERROR),
    (Api::Anthropic, ANTHROPIC),
    (Api::Anthropic, ANTHROPIC_ERROR),
    (Api::OpenAi, OPENROUTER),
    (Api::OpenAi, LLAMA_CPP),
];

/// What decoding a body gives: its events and how it ended.
type Outcome = (Vec<Event>, Result<(), DecodeError>);

/// Decodes `body` in the chunks that the ascending offsets `cuts` make, stopping at the first
/// error as a caller would.
fn decode(api: Api, body: &[u8], cuts: &[usize]) -> Outcome {
    let mut decoder = StreamDecoder::new(api);
    let mut events = Vec::new();
    let mut start = 0;
    let result = cuts
        .iter()
        .chain([&body.len()])
        .try_for_each(|&end| {
            let chunk = &body[start..end];
            start = end;
            decoder.push(chunk, &mut events)
        })
        .and_then(|()| decoder.finish(&mut events));
    (events, result)
}

fn text(parts: &[&str]) -> Vec<Event> {
    parts.iter().map(|&t| Event::Text(t.into())).collect()
}

fn thinking(parts: &[&str]) -> Vec<Event> {
    parts.iter().map(|&t| Event::Thinking(t.into())).collect()
}

fn usage(prompt: Option<f64>, output: Option<f64>) -> Event {
    Event::Usage(Usage {
        prompt_tokens: prompt,
        output_tokens: output,
        ..Usage::default()
    })
}

/// What the recorded Ollama body says before its final line.
fn ollama_answer() -> Vec<Event> {
    let mut events = thinking(&[
        "Okay", ",", " the", " user", " asked", " for", " a", " café", " order", " in", " French",
        ".", " Keep", " it", " short", " &", " warm", ".\n",
    ]);
    events.extend(text(&[
        "Un", " café", ",", " s", "'il", " vous", " plaît", " !", " 🙂",
    ]));
    events
}

/// `body` with the byte at `at` replaced by `byte`.
fn with_byte(body: &[u8], at: usize, byte: u8) -> Vec<u8> {
    let mut body = body.to_vec();
    body[at] = byte;
    body
}

/// The offset just past the `n`th occurrence of `separator` in `body`.
fn after(body: &[u8], separator: &str, n: usize) -> usize {
    (0..n).fold(0, |end, _| {
        end + find(&body[end..], separator) + separator.len()
    })
}

/// Where `needle` first occurs in `body`.
fn find(body: &[u8], needle: &str) -> usize {
    body.windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .unwrap_or_else(|| panic!("{needle:?} is not in the body"))
}

mod recorded {
    use super::*;

    /// Pairs of cut points are tried within this many first bytes of each body.
    const PAIR_SPAN: usize = 200;

    /// Decodes `body` whole, cut once at every point, cut twice at every pair of points in its
    /// first [`PAIR_SPAN`] bytes, and byte by byte; each must give `expected`.
    fn check((api, body): (Api, &[u8]), expected: (&[Event], Result<(), DecodeError>)) {
        let expected = (expected.0.to_vec(), expected.1);
        assert_eq!(decode(api, body, &[]), expected, "decoded whole");
        for cut in 1..body.len() {
            assert_eq!(decode(api, body, &[cut]), expected, "cut at {cut}");
        }
        let span = body.len().min(PAIR_SPAN);
        for first in 1..span {
            for second in first + 1..span {
                let cuts = [first, second];
                assert_eq!(decode(api, body, &cuts), expected, "cut at {cuts:?}");
            }
        }
        let bytes: Vec<usize> = (1..body.len()).collect();
        assert_eq!(decode(api, body, &bytes), expected, "fed byte by byte");
    }

    #[test]
    fn ollama_thinking_text_and_counts() {
        let mut events = ollama_answer();
        events.push(Event::Usage(Usage {
            prompt_tokens: Some(14.0),
            output_tokens: Some(29.0),
            prompt_eval_ns: Some(98_173_000.0),
            eval_ns: Some(765_011_862.0),
            load_ns: Some(1_021_387_912.0),
        }));
        events.push(Event::End);
        check((Api::Ollama, OLLAMA), (&events, Ok(())));
    }

    #[test]
    fn ollama_error_line() {
        let error = "an error was encountered while running the model: unexpected EOF";
        check(
            (Api::Ollama, OLLAMA_ERROR),
            (
                &text(&["Le", " café", " est"]),
                Err(DecodeError::Server(error.into())),
            ),
        );
    }

    #[test]
    fn openai_chunks_usage_and_done() {
        let mut events = text(&["Voilà", " un", " café", " crème", " 🙂", "."]);
        events.push(usage(Some(19.0), Some(8.0)));
        events.push(Event::End);
        check((Api::OpenAi, OPENAI), (&events, Ok(())));
    }

    #[test]
    fn openai_error_object() {
        let error = "The server had an error while processing your request. Sorry about that! \
                     (server_error)";
        check(
            (Api::OpenAi, OPENAI_ERROR),
            (
                &text(&["Bonjour", " à"]),
                Err(DecodeError::Server(error.into())),
            ),
        );
    }

    #[test]
    fn anthropic_blocks_usage_and_stop() {
        let mut events = vec![usage(Some(38.0), None)];
        events.extend(thinking(&[
            "The user wants a short French greeting.",
            " Something like \"Bonne journée\".",
        ]));
        events.extend(text(&["Bonne journée", " ! ☀️🙂"]));
        events.push(usage(None, Some(61.0)));
        events.push(Event::End);
        check((Api::Anthropic, ANTHROPIC), (&events, Ok(())));
    }

    #[test]
    fn anthropic_error_event() {
        let mut events = vec![usage(Some(38.0), None)];
        events.extend(text(&["Bonjour, ça"]));
        let error = DecodeError::Server("Overloaded (overloaded_error)".into());
        check((Api::Anthropic, ANTHROPIC_ERROR), (&events, Err(error)));
    }

    #[test]
    fn openrouter_comments_reasoning_and_crlf() {
        let mut events = thinking(&["Okay", ", greet", " in Français."]);
        events.extend(text(&["Salut", " 👋", " à toi !"]));
        events.push(usage(Some(11.0), Some(47.0)));
        events.push(Event::End);
        check((Api::OpenAi, OPENROUTER), (&events, Ok(())));
    }

    #[test]
    fn llama_cpp_timings_after_the_usage() {
        let mut events = text(&["Bonjour", " à", " vous", " 🙂"]);
        events.push(usage(Some(21.0), Some(4.0)));
        // 18 of the 21 prompt tokens were not cached: 18 in 38.5 ms; 4 tokens in 52.25 ms.
        events.push(Event::Usage(Usage {
            prompt_tokens: Some(18.0),
            output_tokens: Some(4.0),
            prompt_eval_ns: Some(38_500_000.0),
            eval_ns: Some(52_250_000.0),
            load_ns: None,
        }));
        events.push(Event::End);
        check((Api::OpenAi, LLAMA_CPP), (&events, Ok(())));
    }
}

mod damaged {
    use super::*;

    /// Decodes `body` whole, cut once at every point, and byte by byte; each must give
    /// `expected`.
    fn check((api, body): (Api, &[u8]), expected: (&[Event], Result<(), DecodeError>)) {
        let expected = (expected.0.to_vec(), expected.1);
        assert_eq!(decode(api, body, &[]), expected, "decoded whole");
        for cut in 1..body.len() {
            assert_eq!(decode(api, body, &[cut]), expected, "cut at {cut}");
        }
        let bytes: Vec<usize> = (1..body.len()).collect();
        assert_eq!(decode(api, body, &bytes), expected, "fed byte by byte");
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        // The second byte of "é" in " café" (line 8) becomes ASCII: 0xC3 'x' is not UTF-8.
        let ollama = with_byte(OLLAMA, find(OLLAMA, "caf\u{e9}") + 4, b'x');
        let before = thinking(&["Okay", ",", " the", " user", " asked", " for", " a"]);
        let error = DecodeError::Frame(FrameError::InvalidUtf8 { line: 8 });
        check((Api::Ollama, &ollama), (&before, Err(error)));

        // A lone 0xFF in "Bonne journée", line 26 counting event and blank lines.
        let anthropic = with_byte(ANTHROPIC, find(ANTHROPIC, "Bonne journ\u{e9}e\"}"), 0xFF);
        let mut before = vec![usage(Some(38.0), None)];
        before.extend(thinking(&[
            "The user wants a short French greeting.",
            " Something like \"Bonne journée\".",
        ]));
        let error = DecodeError::Frame(FrameError::InvalidUtf8 { line: 26 });
        check((Api::Anthropic, &anthropic), (&before, Err(error)));

        // The emoji's first byte (0xF0) dropped: its three continuation bytes stand alone.
        let at = find(OPENROUTER, "\u{1f44b}");
        let openrouter = [&OPENROUTER[..at], &OPENROUTER[at + 1..]].concat();
        let mut before = thinking(&["Okay", ", greet", " in Français."]);
        before.extend(text(&["Salut"]));
        let error = DecodeError::Frame(FrameError::InvalidUtf8 { line: 15 });
        check((Api::OpenAi, &openrouter), (&before, Err(error)));
    }

    #[test]
    fn a_body_cut_before_its_final_message_is_truncated() {
        check(
            (Api::Ollama, &OLLAMA[..after(OLLAMA, "\n", 27)]),
            (&ollama_answer(), Err(DecodeError::Truncated)),
        );

        let mut events = text(&["Voilà", " un", " café", " crème", " 🙂", "."]);
        events.push(usage(Some(19.0), Some(8.0)));
        check(
            (Api::OpenAi, &OPENAI[..after(OPENAI, "\n\n", 9)]),
            (&events, Err(DecodeError::Truncated)),
        );

        // message_start, content_block_start, ping and the first thinking delta.
        let mut events = vec![usage(Some(38.0), None)];
        events.extend(thinking(&["The user wants a short French greeting."]));
        check(
            (Api::Anthropic, &ANTHROPIC[..after(ANTHROPIC, "\n\n", 4)]),
            (&events, Err(DecodeError::Truncated)),
        );

        // Two comments, three reasoning chunks and a comment.
        check(
            (Api::OpenAi, &OPENROUTER[..after(OPENROUTER, "\r\n\r\n", 6)]),
            (
                &thinking(&["Okay", ", greet", " in Français."]),
                Err(DecodeError::Truncated),
            ),
        );
    }

    #[test]
    fn every_line_end_before_the_final_message_is_truncated() {
        let complete: [(Api, &[u8], &str); 4] = [
            (Api::Ollama, OLLAMA, "\"done\":true"),
            (Api::OpenAi, OPENAI, "data: [DONE]"),
            (Api::Anthropic, ANTHROPIC, "event: message_stop"),
            (Api::OpenAi, OPENROUTER, "data: [DONE]"),
        ];
        for (api, body, last) in complete {
            let (all, result) = decode(api, body, &[]);
            assert_eq!(result, Ok(()));
            let last_line = body[..find(body, last)]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |end| end + 1);
            let line_ends = (0..last_line).filter(|&end| end == 0 || body[end - 1] == b'\n');
            for end in line_ends {
                let (events, result) = decode(api, &body[..end], &[]);
                assert_eq!(result, Err(DecodeError::Truncated), "cut at {end}");
                assert!(all.starts_with(&events), "cut at {end}: {events:?}");
                assert!(!events.contains(&Event::End), "cut at {end}");
            }
        }
    }
}

mod limits {
    use super::*;

    /// Decodes `body` whole, in 64 KiB and in 4097-byte chunks, cut once near the line limit,
    /// and byte by byte; each must give `expected`.
    fn check((api, body): (Api, &[u8]), expected: (&[Event], Result<(), DecodeError>)) {
        let expected = (expected.0.to_vec(), expected.1);
        let every = |size: usize| (size..body.len()).step_by(size).collect::<Vec<_>>();
        let near_limit = MAX_LINE_BYTES..(MAX_LINE_BYTES + 80).min(body.len());
        let mut chunkings = vec![Vec::new(), every(1 << 16), every(4097), every(1)];
        chunkings.extend(near_limit.map(|cut| vec![cut]));
        for cuts in chunkings {
            let described = match cuts.len() {
                0 => "whole".to_owned(),
                1 => format!("cut at {}", cuts[0]),
                n => format!("in {} chunks", n + 1),
            };
            assert_eq!(decode(api, body, &cuts), expected, "{described}");
        }
    }

    #[test]
    fn a_line_past_the_limit_is_refused() {
        let mut body = b"{\"message\":{\"content\":\"a\"}}\n".to_vec();
        body.extend(vec![b' '; MAX_LINE_BYTES + 1]);
        body.extend(b"\n{\"done\":true}\n");
        let error = DecodeError::Frame(FrameError::LineTooLong { line: 2 });
        check((Api::Ollama, &body), (&text(&["a"]), Err(error)));

        let mut body = b"data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: ".to_vec();
        body.extend(vec![b'x'; MAX_LINE_BYTES]);
        let error = DecodeError::Frame(FrameError::LineTooLong { line: 3 });
        check((Api::OpenAi, &body), (&text(&["a"]), Err(error)));
    }

    #[test]
    fn a_line_at_the_limit_is_read() {
        // Line 2 is exactly the limit: 13 bytes of JSON around the padding.
        let mut body = b"{\"message\":{\"content\":\"a\"}}\n{\"done\":true".to_vec();
        body.extend(vec![b' '; MAX_LINE_BYTES - 13]);
        body.extend(b"}\n");
        let events = [
            text(&["a"]),
            vec![Event::Usage(Usage::default()), Event::End],
        ]
        .concat();
        check((Api::Ollama, &body), (&events, Ok(())));
    }
}

mod empty_chunks {
    use super::*;

    /// Decodes `chunks` in order, empty ones included; must give `expected`.
    fn check((api, chunks): (Api, &[&[u8]]), expected: Outcome) {
        let body = chunks.concat();
        let mut cuts = Vec::new();
        let mut end = 0;
        for chunk in &chunks[..chunks.len() - 1] {
            end += chunk.len();
            cuts.push(end);
        }
        assert_eq!(decode(api, &body, &cuts), expected, "chunks {chunks:?}");
    }

    #[test]
    fn empty_chunks_between_whole_lines_change_nothing() {
        let line = b"{\"message\":{\"content\":\"a\"}}\n";
        let done = b"{\"done\":true}\n";
        let events = vec![
            Event::Text("a".into()),
            Event::Usage(Usage::default()),
            Event::End,
        ];
        let chunks: [&[u8]; 6] = [b"", line, b"", b"", done, b""];
        check((Api::Ollama, &chunks), (events, Ok(())));
    }

    #[test]
    fn an_empty_chunk_after_a_carriage_return_keeps_line_numbers() {
        // "\r\n" ends line 1 and line 2 is the malformed one, even with an empty chunk between
        // "\r" and "\n" (were it taken for a blank line 2, line 3 would be blamed).
        let malformed = DecodeError::Malformed {
            line: 2,
            excerpt: "{".into(),
        };
        let chunks: [&[u8]; 3] = [b"{\"done\":false}\r", b"", b"\n{\n"];
        check((Api::Ollama, &chunks), (Vec::new(), Err(malformed)));
    }

    #[test]
    fn an_empty_chunk_after_a_carriage_return_keeps_an_event_whole() {
        // The two data lines join into one event; a blank line invented at the empty chunk
        // would dispatch the first half alone, which is not JSON.
        let chunks: [&[u8]; 3] = [
            b"data: {\"choices\":[{\"delta\":\r",
            b"",
            b"\ndata: {\"content\":\"x\"}}]}\r\n\r\ndata: [DONE]\r\n\r\n",
        ];
        check(
            (Api::OpenAi, &chunks),
            (vec![Event::Text("x".into()), Event::End], Ok(())),
        );
    }
}

mod arbitrary {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::{select, Index};

    /// Pieces that make bodies near `api`'s format: separators, field names, and the lines of
    /// its recorded bodies, whole and halved at a character boundary.
    fn pieces(api: Api) -> Vec<Vec<u8>> {
        let mut pieces: Vec<Vec<u8>> = [
            "\n",
            "\r",
            "\r\n",
            "\n\n",
            ":",
            "data:",
            "data: ",
            "event: ",
            "event: error\n",
            "event: message_stop\n",
            ": OPENROUTER PROCESSING",
            "[DONE]",
            "{\"done\":true}",
            "{\"error\":\"x\"}",
            "é",
            "🙂",
        ]
        .iter()
        .map(|p| p.as_bytes().to_vec())
        .collect();
        for (_, body) in RECORDED.into_iter().filter(|(sent_by, _)| *sent_by == api) {
            let body = std::str::from_utf8(body).expect("the recorded bodies are UTF-8");
            for line in body.split_inclusive('\n') {
                let half = (0..=line.len() / 2)
                    .rev()
                    .find(|&at| line.is_char_boundary(at))
                    .unwrap_or(0);
                let (head, tail) = line.as_bytes().split_at(half);
                pieces.extend([line.as_bytes().to_vec(), head.to_vec(), tail.to_vec()]);
            }
        }
        pieces
    }

    /// An API and a body made of pieces near its format, some text and now and then raw bytes.
    fn api_and_body() -> impl Strategy<Value = (Api, Vec<u8>)> {
        select(Api::ALL.to_vec()).prop_flat_map(|api| {
            let piece = prop_oneof![
                24 => select(pieces(api)),
                4 => "[ -~]{0,8}".prop_map(String::into_bytes),
                2 => "\\PC{0,4}".prop_map(String::into_bytes),
                1 => prop::collection::vec(any::<u8>(), 1..4),
            ];
            let body = prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat());
            (Just(api), body)
        })
    }

    /// Ascending cut points anywhere in the body, ends and repeats included: chunks may be empty.
    fn cuts(len: usize, at: &[Index]) -> Vec<usize> {
        let mut cuts: Vec<usize> = at.iter().map(|i| i.index(len + 1)).collect();
        cuts.sort_unstable();
        cuts
    }

    /// Decodes `body` in the chunks `cuts` makes; must not panic and must give `expected`.
    fn check((api, body, cuts): (Api, &[u8], &[usize]), expected: &Outcome) {
        assert_eq!(&decode(api, body, cuts), expected, "cut at {cuts:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn chunking_never_changes_the_outcome(
            (api, body) in api_and_body(),
            at in prop::collection::vec(any::<Index>(), 0..16),
        ) {
            let whole = decode(api, &body, &[]);
            check((api, &body, &cuts(body.len(), &at)), &whole);
            let bytes: Vec<usize> = (1..body.len()).collect();
            check((api, &body, &bytes), &whole);
        }

        #[test]
        fn arbitrary_bytes_never_panic(
            api in select(Api::ALL.to_vec()),
            body in prop::collection::vec(any::<u8>(), 0..512),
            at in prop::collection::vec(any::<Index>(), 0..16),
        ) {
            let whole = decode(api, &body, &[]);
            check((api, &body, &cuts(body.len(), &at)), &whole);
        }
    }
}
