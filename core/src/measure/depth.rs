//! A context-depth sweep, as llama-bench's depth option runs one: prompts of growing length,
//! made of varied text so that no prefix cache serves them, and at each depth the request's
//! prefill speed (the server's own prompt timing where it reports one, else prompt tokens ÷
//! time to first token) and decode speed.

use super::results::{Adopted, Asked};
use super::run::Run;
use crate::scenario::Scenario;
use crate::view::format::number;

/// The shortest depth a sweep starts at, tokens.
pub const MIN_DEPTH: u32 = 128;
/// The longest depth a sweep may ask for, tokens.
pub const MAX_DEPTH: u32 = 131_072;

/// The depths a sweep up to `max` asks for: 128, 256, 512, … doubling while below `max`, then
/// `max` itself (at least 128).
pub fn ladder(max: u32) -> Vec<u32> {
    let top = max.clamp(MIN_DEPTH, MAX_DEPTH);
    let mut depths: Vec<u32> = std::iter::successors(Some(MIN_DEPTH), |d| d.checked_mul(2))
        .take_while(|d| *d < top)
        .collect();
    depths.push(top);
    depths
}

/// Tokens of context a request at `depth` needs beyond its prompt and answer: the chat
/// template's own tokens and a tokenizer that counts the words a little differently.
const CONTEXT_MARGIN: u32 = 64;

/// The context a request at `depth` with answers of `max_tokens` needs (what Ollama is told
/// as `num_ctx`): `depth + max_tokens + 64`.
pub fn context(depth: u32, max_tokens: u32) -> u32 {
    depth
        .saturating_add(max_tokens)
        .saturating_add(CONTEXT_MARGIN)
}

/// Short common words, each about one token to the usual tokenizers.
const WORDS: [&str; 64] = [
    "time",
    "year",
    "people",
    "way",
    "day",
    "man",
    "thing",
    "woman",
    "life",
    "child",
    "world",
    "school",
    "state",
    "family",
    "student",
    "group",
    "country",
    "problem",
    "hand",
    "part",
    "place",
    "case",
    "week",
    "company",
    "system",
    "program",
    "question",
    "work",
    "government",
    "number",
    "night",
    "point",
    "home",
    "water",
    "room",
    "mother",
    "area",
    "money",
    "story",
    "fact",
    "month",
    "lot",
    "right",
    "study",
    "book",
    "eye",
    "job",
    "word",
    "business",
    "issue",
    "side",
    "kind",
    "head",
    "house",
    "service",
    "friend",
    "father",
    "power",
    "hour",
    "game",
    "line",
    "end",
    "member",
    "law",
];

/// What the model is asked about the text, after it.
const QUESTION: &str = "\n\nIn one sentence, which of these words comes up most often?";

/// A prompt of about `tokens` tokens: common words drawn by a generator seeded with `tokens`
/// and `salt`, then a question about them. The words come first, so two prompts differ from
/// their first token and no prefix cache can serve one from another.
pub fn prompt(tokens: u32, salt: u32) -> String {
    // xorshift32, never seeded with 0.
    let mut state = (tokens.wrapping_mul(2_654_435_761) ^ salt.wrapping_mul(40_503)) | 1;
    let count = tokens.saturating_sub(16).max(1);
    let mut text = String::with_capacity(count as usize * 6 + QUESTION.len());
    for i in 0..count {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        if i > 0 {
            text.push(' ');
        }
        text.push_str(WORDS[state as usize % WORDS.len()]);
    }
    text.push_str(QUESTION);
    text
}

/// What one depth measured.
#[derive(Debug, Clone, PartialEq)]
pub struct DepthPoint {
    /// The depth asked for, tokens.
    pub depth: u32,
    /// Prompt tokens as the server counted them.
    pub prompt_tokens: Option<f64>,
    /// Time to first token, ms.
    pub ttft_ms: Option<f64>,
    /// Prefill speed, tok/s.
    pub prefill_tps: Option<f64>,
    /// `prefill_tps` is the server's own prompt timing; otherwise prompt tokens ÷ TTFT, which
    /// counts the request's way there and back too.
    pub prefill_from_server: bool,
    /// Decode speed at this depth, tok/s.
    pub decode_tps: Option<f64>,
    /// How long the server took to load the model first, ms, when this request loaded it.
    pub load_ms: Option<f64>,
}

impl DepthPoint {
    /// The figures of `run`, asked at `depth`: prefill from the server's prompt timing where
    /// it gave one, else `prompt tokens ÷ TTFT` (the server's count, else the depth asked).
    pub fn of(depth: u32, run: &Run) -> DepthPoint {
        let tokens = run.prompt_tokens.unwrap_or(f64::from(depth));
        let (prefill_tps, prefill_from_server) = match run.prompt_tps {
            Some(tps) => (Some(tps), true),
            None => (
                run.ttft_ms
                    .filter(|ms| *ms > 0.0)
                    .map(|ms| tokens / (ms / 1e3)),
                false,
            ),
        };
        DepthPoint {
            depth,
            prompt_tokens: run.prompt_tokens,
            ttft_ms: run.ttft_ms,
            prefill_tps,
            prefill_from_server,
            decode_tps: run.decode_tps,
            load_ms: run.load_ms.filter(|_| run.cold),
        }
    }

    /// The depth the point stands at: the server's prompt count, else the depth asked.
    pub fn tokens(&self) -> f64 {
        self.prompt_tokens.unwrap_or(f64::from(self.depth))
    }
}

/// A finished depth sweep of one side.
#[derive(Debug, Clone, PartialEq)]
pub struct DepthSweep {
    /// Where it ran and what it asked (the prompt is the first depth's).
    pub asked: Asked,
    /// One point per depth that answered, shallowest first.
    pub points: Vec<DepthPoint>,
}

impl DepthSweep {
    /// What a reader should know before trusting the curve: where each prefill speed came
    /// from, depths the server gave no prompt count for, and a model load in a request's TTFT.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let from_server = self.points.iter().filter(|p| p.prefill_from_server).count();
        let measured = self
            .points
            .iter()
            .filter(|p| p.prefill_tps.is_some())
            .count();
        notes.push(match (from_server, measured) {
            (_, 0) => "no depth gave a prefill speed".to_string(),
            (s, m) if s == m => "prefill is the server's own prompt timing at every depth".into(),
            (0, _) => "prefill is prompt tokens ÷ time to first token (the server reported no prompt timing): it counts the request's way there and back too".into(),
            (s, m) => format!(
                "prefill is the server's own prompt timing at {s} of {m} depths, prompt tokens ÷ time to first token at the others"
            ),
        });
        let uncounted: Vec<String> = self
            .points
            .iter()
            .filter(|p| p.prompt_tokens.is_none())
            .map(|p| number(f64::from(p.depth), 0))
            .collect();
        if !uncounted.is_empty() {
            notes.push(format!(
                "the server counted no prompt tokens at {}: the depth asked stands in for it",
                uncounted.join(", ")
            ));
        }
        for point in &self.points {
            if let Some(load) = point.load_ms {
                notes.push(format!(
                    "the request at {} tokens loaded the model first ({} ms): its time to first token includes the load",
                    number(f64::from(point.depth), 0),
                    number(load, 0)
                ));
            }
        }
        notes.push(
            "each depth is one request: run the sweep again to see how much a figure moves".into(),
        );
        notes
    }
}

/// `(tokens, value)` of the points that have a finite `value`, shallowest first.
pub fn curve(points: &[DepthPoint], value: fn(&DepthPoint) -> Option<f64>) -> Vec<(f64, f64)> {
    let mut known: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|p| Some((p.tokens(), value(p)?)))
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    known.sort_by(|a, b| a.0.total_cmp(&b.0));
    known
}

/// `value` of `points` at `depth` tokens: linear between the two measured depths around it,
/// the nearest one's beyond them; `None` when no point has it.
pub fn at_depth(
    points: &[DepthPoint],
    depth: f64,
    value: fn(&DepthPoint) -> Option<f64>,
) -> Option<f64> {
    let known = curve(points, value);
    let first = *known.first()?;
    let last = *known.last()?;
    if depth <= first.0 {
        return Some(first.1);
    }
    if depth >= last.0 {
        return Some(last.1);
    }
    let k = known.windows(2).position(|w| depth <= w[1].0)?;
    let ((x0, y0), (x1, y1)) = (known[k], known[k + 1]);
    Some(if x1 > x0 {
        y0 + (depth - x0) / (x1 - x0) * (y1 - y0)
    } else {
        y1
    })
}

/// The speeds a depth sweep gives `scenario`: prefill at its prompt length and decode at its
/// mean decode depth (`in + out / 2`, where the serving model reads its decode speed),
/// `(ptps, tps)`.
pub fn speeds_for(points: &[DepthPoint], scenario: &Scenario) -> (Option<f64>, Option<f64>) {
    let decode_depth = scenario.input_tokens + scenario.output_tokens / 2.0;
    (
        at_depth(points, scenario.input_tokens, |p| p.prefill_tps),
        at_depth(points, decode_depth, |p| p.decode_tps),
    )
}

/// `adopted` with a depth sweep's speeds for `scenario` in place of the local prefill and
/// decode speeds ([`speeds_for`]); a speed the sweep lacks keeps the one `adopted` had.
pub fn with_depth(adopted: Adopted, points: &[DepthPoint], scenario: &Scenario) -> Adopted {
    let (prefill, decode) = speeds_for(points, scenario);
    Adopted {
        prefill_tps: prefill.or(adopted.prefill_tps),
        decode_tps: decode.or(adopted.decode_tps),
        ..adopted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_doubles_from_128() {
        assert_eq!(ladder(4096), [128, 256, 512, 1024, 2048, 4096]);
        assert_eq!(ladder(3000), [128, 256, 512, 1024, 2048, 3000]);
        assert_eq!(ladder(10), [128]);
        assert_eq!(ladder(u32::MAX).last(), Some(&MAX_DEPTH));
    }

    #[test]
    fn the_context_holds_the_prompt_the_answer_and_a_margin() {
        assert_eq!(context(2048, 16), 2048 + 16 + 64);
        assert_eq!(context(u32::MAX, 16), u32::MAX);
    }

    #[test]
    fn prompts_differ_from_their_first_word_and_hold_about_the_tokens_asked() {
        let a = prompt(1024, 1);
        let b = prompt(1024, 2);
        let c = prompt(2048, 1);
        let first = |p: &str| p.split(' ').next().map(str::to_owned);
        // Three prompts: at least two different first words, and never one a prefix of another.
        assert!(
            first(&a) != first(&b) || first(&a) != first(&c),
            "{:?}",
            [first(&a), first(&b), first(&c)]
        );
        assert!(!c.starts_with(&a[..a.len() - QUESTION.len()]));
        // 1,024 − 16 words, then the question (11 words).
        assert_eq!(a.split_whitespace().count(), 1008 + 11);
        assert_eq!(prompt(1024, 1), a, "the same seed gives the same prompt");
    }

    // Ollama timed 1,000 prompt tokens at 2,000 tok/s; a cloud API gave 1,000 prompt tokens
    // and a 400 ms TTFT: 1,000 / 0.4 = 2,500 tok/s, not the server's.
    #[test]
    fn prefill_is_the_servers_timing_else_tokens_over_ttft() {
        let server = DepthPoint::of(1024, &Run::timed(Some(1000.0), 600.0, Some(2000.0), 50.0));
        assert_eq!(
            (server.prefill_tps, server.prefill_from_server),
            (Some(2000.0), true)
        );
        let client = DepthPoint::of(1024, &Run::timed(Some(1000.0), 400.0, None, 50.0));
        assert_eq!(
            (client.prefill_tps, client.prefill_from_server),
            (Some(2500.0), false)
        );
        let uncounted = DepthPoint::of(512, &Run::timed(None, 256.0, None, 50.0));
        assert_eq!(uncounted.prefill_tps, Some(2000.0));
    }

    // Two depths, the server's prompt timing at one; no prompt count at 512; 128 loaded the
    // model in 2,400 ms.
    #[test]
    fn notes_say_where_prefill_came_from_and_what_a_ttft_holds() {
        let mut cold = Run::timed(Some(133.0), 2500.0, Some(1800.0), 50.0);
        (cold.cold, cold.load_ms) = (true, Some(2400.0));
        let sweep = DepthSweep {
            asked: Asked::local_ollama(),
            points: vec![
                DepthPoint::of(128, &cold),
                DepthPoint::of(512, &Run::timed(None, 256.0, None, 50.0)),
            ],
        };
        assert_eq!(
            sweep.notes(),
            [
                "prefill is the server's own prompt timing at 1 of 2 depths, prompt tokens ÷ time to first token at the others",
                "the server counted no prompt tokens at 512: the depth asked stands in for it",
                "the request at 128 tokens loaded the model first (2,400 ms): its time to first token includes the load",
                "each depth is one request: run the sweep again to see how much a figure moves",
            ]
        );
        let timed = DepthSweep {
            points: vec![DepthPoint::of(
                128,
                &Run::timed(Some(133.0), 40.0, Some(1800.0), 50.0),
            )],
            ..sweep
        };
        assert_eq!(
            timed.notes()[0],
            "prefill is the server's own prompt timing at every depth"
        );
    }

    // Points at 1,000 and 3,000 tokens: prefill 3,000 and 2,000 tok/s, decode 60 and 40 tok/s.
    // The scenario's 1,500-token prompt: 3,000 − 500 / 2,000 × 1,000 = 2,750 tok/s; its decode
    // depth 1,500 + 1,000 / 2 = 2,000: halfway, 50 tok/s. Past the ends, the nearest point.
    #[test]
    fn a_scenario_reads_its_speeds_between_the_depths() {
        let points = [
            DepthPoint::of(1024, &Run::timed(Some(1000.0), 300.0, Some(3000.0), 60.0)),
            DepthPoint::of(4096, &Run::timed(Some(3000.0), 900.0, Some(2000.0), 40.0)),
        ];
        let scenario = Scenario {
            input_tokens: 1500.0,
            output_tokens: 1000.0,
            ..Scenario::default()
        };
        assert_eq!(speeds_for(&points, &scenario), (Some(2750.0), Some(50.0)));
        let series = Adopted {
            decode_tps: Some(70.0),
            local_ttft_ms: Some(90.0),
            ..Adopted::default()
        };
        assert_eq!(
            with_depth(series, &points, &scenario).pairs(),
            [
                ("tps", "50.0".to_string()),
                ("ptps", "2750.0".into()),
                ("lttft", "90.0".into())
            ]
        );
        assert_eq!(at_depth(&points, 100.0, |p| p.decode_tps), Some(60.0));
        assert_eq!(at_depth(&points, 9e9, |p| p.decode_tps), Some(40.0));
        assert_eq!(at_depth(&[], 100.0, |p| p.decode_tps), None);
    }
}
