//! A concurrency sweep: the ladder of steps, each step's requests made into a load step with
//! the figures of [`crate::measure::load`], and the highest step that met the latency targets.
//!
//! The page sends each step's requests and records their timings; everything it shows of a
//! sweep comes from here, in the same [`ServingStep`] an imported run gives, so both fill the
//! same table, charts and "Use these numbers".

use super::load::{step_figures, RequestTiming, Targets};
use super::results::{Asked, HTTP1_CONNECTIONS};
use super::setup::Setup;
use crate::codec::benchmark::{Reported, ServingStep, Tool};

/// Share of a step's requests that must complete and meet every latency target for the step to
/// meet them: the p95 convention of serving SLOs.
pub const MEETS_SHARE: f64 = 0.95;

/// The concurrencies a sweep up to `max` steps through: 1, 2, 4, … doubling while below
/// `max`, then `max` itself. Over plain `http://` (`plain_http`) a browser streams at most
/// [`HTTP1_CONNECTIONS`] requests to one server at once, so no step goes above that there.
pub fn ladder(max: u32, plain_http: bool) -> Vec<u32> {
    let top = if plain_http {
        max.clamp(1, HTTP1_CONNECTIONS)
    } else {
        max.max(1)
    };
    let mut steps: Vec<u32> = std::iter::successors(Some(1u32), |c| c.checked_mul(2))
        .take_while(|c| *c < top)
        .collect();
    steps.push(top);
    steps
}

/// Requests a step at `concurrency` sends: `per_step`, or one per stream when there are more
/// streams, so that every stream is used.
pub fn step_requests(per_step: u32, concurrency: u32) -> u32 {
    per_step.max(concurrency)
}

/// Requests a sweep with `setup` sends: the warm-up, if any, and every step's.
pub fn planned_requests(setup: &Setup, plain_http: bool) -> u32 {
    let steps: u32 = ladder(setup.sweep_max, plain_http)
        .into_iter()
        .map(|c| step_requests(setup.sweep_requests, c))
        .sum();
    steps + u32::from(setup.warm_up)
}

/// What the page recorded of one step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRecord {
    /// Requests in flight at most.
    pub concurrency: u32,
    /// Every request's timings, in the order they ended.
    pub requests: Vec<RequestTiming>,
    /// The kind of each failed request (the diagnosis' kind), one entry per failure.
    pub errors: Vec<String>,
    /// First request sent to last response ended, s.
    pub wall_s: f64,
}

/// A finished sweep of one side, as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// Where the sweep ran and what it asked.
    pub asked: Asked,
    /// Every step that ran to its end, lowest concurrency first.
    pub steps: Vec<ServingStep>,
    /// The scenario's latency targets when the sweep ran.
    pub targets: Targets,
    /// The highest concurrency asked for (`smax`).
    pub asked_max: u32,
    /// Whether the endpoint is plain `http://`, where the browser caps the streams.
    pub plain_http: bool,
}

impl Sweep {
    /// What the reader must know to read the steps right: a ladder the browser cut short.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.plain_http && self.asked_max > HTTP1_CONNECTIONS {
            notes.push(format!(
                "Asked for up to {} in flight, the sweep stopped at {HTTP1_CONNECTIONS}: over \
                 http:// a browser streams at most {HTTP1_CONNECTIONS} requests to one server at \
                 once. Serve the endpoint over https (HTTP/2 carries every stream on one \
                 connection), or run vllm bench serve and import its files, to go further.",
                self.asked_max
            ));
        }
        notes
    }
}

/// `kinds` counted, in the order each first appears.
fn tally(kinds: &[String]) -> Vec<(String, u32)> {
    let mut counts: Vec<(String, u32)> = Vec::new();
    for kind in kinds {
        match counts.iter_mut().find(|(k, _)| k == kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((kind.clone(), 1)),
        }
    }
    counts
}

/// The step `record` of `model` as a load step, its goodput against `targets`. A request that
/// failed is counted among the failures and left out of every latency and rate.
pub fn serving_step(model: &str, record: StepRecord, targets: Targets) -> ServingStep {
    let figures = step_figures(&record.requests, record.wall_s, targets);
    let timings_failed = figures.failed;
    let failed = timings_failed + record.errors.len() as u32;
    let mut errors = tally(&record.errors);
    if timings_failed > 0 {
        errors.push(("no answer text".to_owned(), timings_failed));
    }
    ServingStep {
        tool: Tool::Sweep,
        model: model.to_owned(),
        concurrency: Some(record.concurrency),
        completed: Some(figures.completed),
        failed: Some(failed),
        request_tps: figures.request_tps,
        output_tps: figures.output_tps,
        ttft_ms: Reported::from(figures.ttft_ms),
        tpot_ms: Reported::from(figures.tpot_ms),
        itl_ms: Reported::from(figures.itl_ms),
        e2e_ms: Reported::from(figures.e2e_ms),
        goodput_rps: figures.goodput_rps,
        duration_s: Some(record.wall_s),
        requests: record.requests,
        errors,
    }
}

/// Whether `step` met `targets`: with every request's timings, when [`MEETS_SHARE`] of its
/// requests, failed ones included, met every target; otherwise from the 95th percentiles the tool wrote
/// (its 99th where it wrote no 95th, which is stricter). `None` without targets, or when the
/// step holds no figure to judge a target by.
pub fn meets(step: &ServingStep, targets: Targets) -> Option<bool> {
    if targets.ttft_ms.is_none() && targets.tpot_ms.is_none() {
        return None;
    }
    if step.requests.iter().any(|r| r.ok) {
        let figures = step_figures(&step.requests, 1.0, targets);
        let good = figures.goodput_rps.unwrap_or(0.0);
        let sent = figures.completed + step.failed.unwrap_or(figures.failed);
        return Some(good >= MEETS_SHARE * f64::from(sent) - 1e-9);
    }
    let within = |target: Option<f64>, reported: &Reported| match target {
        None => Some(true),
        Some(limit) => reported.p95.or(reported.p99).map(|v| v <= limit),
    };
    Some(within(targets.ttft_ms, &step.ttft_ms)? && within(targets.tpot_ms, &step.tpot_ms)?)
}

/// The highest concurrency at which `steps` met `targets`, every lower step having met them
/// too: the load the server sustains within its targets. `None` without targets or when the
/// lowest step already missed them.
pub fn highest_meeting(steps: &[ServingStep], targets: Targets) -> Option<u32> {
    let mut ladder: Vec<(u32, Option<bool>)> = steps
        .iter()
        .filter_map(|s| Some((s.concurrency?, meets(s, targets))))
        .collect();
    ladder.sort_by_key(|(c, _)| *c);
    ladder
        .iter()
        .take_while(|(_, met)| *met == Some(true))
        .last()
        .map(|(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_doubles_to_its_top() {
        let check = |max, plain_http, expected: &[u32]| {
            assert_eq!(ladder(max, plain_http), expected, "max {max}");
        };
        check(1, false, &[1]);
        check(8, false, &[1, 2, 4, 8]);
        check(12, false, &[1, 2, 4, 8, 12]);
        check(64, false, &[1, 2, 4, 8, 16, 32, 64]);
        check(64, true, &[1, 2, 4, 6]);
        check(4, true, &[1, 2, 4]);
        check(0, false, &[1]);
    }

    #[test]
    fn a_sweep_over_http_says_where_the_browser_stopped_it() {
        let sweep = |asked_max, plain_http| Sweep {
            asked: Asked::local_ollama(),
            steps: Vec::new(),
            targets: Targets::default(),
            asked_max,
            plain_http,
        };
        assert!(sweep(64, true).notes()[0].starts_with(
            "Asked for up to 64 in flight, the sweep stopped at 6: over http:// a browser"
        ));
        assert!(sweep(6, true).notes().is_empty() && sweep(64, false).notes().is_empty());
    }

    #[test]
    fn every_stream_sends_at_least_one_request() {
        assert_eq!((step_requests(32, 8), step_requests(32, 64)), (32, 64));
        // Up to 64 over https, 32 a step: 32 × 6 steps (1 to 32) + 64, and the warm-up.
        let setup = Setup {
            sweep_max: 64,
            ..Setup::default()
        };
        assert_eq!(planned_requests(&setup, false), 32 * 6 + 64 + 1);
        // Over http the ladder is 1, 2, 4, 6: 4 steps of 32, and the warm-up.
        assert_eq!(planned_requests(&setup, true), 4 * 32 + 1);
    }

    /// A request of `tokens` tokens with its first at `ttft_s` and one every `gap_s` after.
    fn request(ttft_s: f64, gap_s: f64, tokens: u32) -> RequestTiming {
        RequestTiming {
            ok: true,
            ttft_s,
            e2e_s: ttft_s + gap_s * f64::from(tokens - 1),
            output_tokens: tokens,
            gaps_s: vec![gap_s; tokens as usize - 1],
            chunk_tokens: Vec::new(),
        }
    }

    // Four requests at concurrency 2 in 2 s: TTFTs 0.1, 0.2, 0.3, 0.4 s, 11 tokens each, one
    // every 20 ms (TPOT 20 ms, e2e TTFT + 0.2 s), and a refused request.
    // Output 44 tokens / 2 s = 22 tok/s; 4 completed / 2 s = 2 req/s; each stream
    // 1000 / 20 = 50 tok/s. TTFT p95 = 0.3 + 0.85 × 0.1 = 385 ms (rank 0.95 × 3 = 2.85).
    // Targets TTFT ≤ 250 ms, TPOT ≤ 25 ms: two requests met both, 2 / 2 s = 1 good req/s.
    fn record() -> StepRecord {
        StepRecord {
            concurrency: 2,
            requests: [0.1, 0.2, 0.3, 0.4]
                .iter()
                .map(|&t| request(t, 0.02, 11))
                .collect(),
            errors: vec!["refused".into()],
            wall_s: 2.0,
        }
    }

    const TARGETS: Targets = Targets {
        ttft_ms: Some(250.0),
        tpot_ms: Some(25.0),
    };

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() <= 1e-9 * b.abs().max(1.0))
    }

    #[test]
    fn a_step_worked_by_hand() {
        let step = serving_step("m", record(), TARGETS);
        assert_eq!(
            (step.tool, step.concurrency, step.completed, step.failed),
            (Tool::Sweep, Some(2), Some(4), Some(1))
        );
        assert_eq!(step.errors, [("refused".to_owned(), 1)]);
        assert!(close(Some(step.output_tps), 22.0) && close(Some(step.request_tps), 2.0));
        assert!(close(step.per_stream_tps(), 50.0), "{:?}", step.tpot_ms);
        assert!(close(step.ttft_ms.p95, 385.0), "{:?}", step.ttft_ms);
        assert!(close(step.e2e_ms.p50, 450.0), "{:?}", step.e2e_ms);
        assert!(close(step.goodput_rps, 1.0));
    }

    #[test]
    fn a_step_meets_targets_when_95_percent_of_its_requests_do() {
        let clean = StepRecord {
            errors: Vec::new(),
            ..record()
        };
        let step = serving_step("m", clean, TARGETS);
        let check = |step: &ServingStep, ttft_ms, tpot_ms, expected| {
            let targets = Targets { ttft_ms, tpot_ms };
            assert_eq!(meets(step, targets), expected, "{targets:?}");
        };
        check(&step, Some(250.0), Some(25.0), Some(false));
        check(&step, Some(401.0), Some(25.0), Some(true));
        check(&step, None, Some(19.0), Some(false));
        check(&step, None, None, None);
        // The refused request counts against the step: 4 of 5 sent met the targets.
        let refused = serving_step("m", record(), TARGETS);
        check(&refused, Some(401.0), Some(25.0), Some(false));
    }

    #[test]
    fn an_imported_step_is_judged_by_its_p95_or_p99() {
        let mut step = serving_step("m", record(), TARGETS);
        step.requests.clear();
        step.ttft_ms = Reported {
            p99: Some(300.0),
            ..Reported::default()
        };
        step.tpot_ms = Reported {
            p95: Some(20.0),
            ..Reported::default()
        };
        let targets = |ttft| Targets {
            ttft_ms: Some(ttft),
            tpot_ms: Some(25.0),
        };
        assert_eq!(meets(&step, targets(300.0)), Some(true));
        assert_eq!(meets(&step, targets(299.0)), Some(false));
        step.ttft_ms = Reported::default();
        assert_eq!(meets(&step, targets(300.0)), None);
    }

    #[test]
    fn the_highest_step_meeting_the_targets_has_every_lower_step_meeting_them() {
        // TTFT p95 of each step: 0.1 s × concurrency. Target 450 ms: 1, 2 and 4 meet, 8
        // misses; 16 meets again by chance, yet the sustained load is 4.
        let step = |c: u32, ttft_s: f64| {
            let requests = (0..20).map(|_| request(ttft_s, 0.01, 5)).collect();
            serving_step(
                "m",
                StepRecord {
                    concurrency: c,
                    requests,
                    errors: Vec::new(),
                    wall_s: 1.0,
                },
                Targets::default(),
            )
        };
        let steps = [
            step(4, 0.4),
            step(1, 0.1),
            step(2, 0.2),
            step(8, 0.8),
            step(16, 0.2),
        ];
        let targets = Targets {
            ttft_ms: Some(450.0),
            tpot_ms: None,
        };
        assert_eq!(highest_meeting(&steps, targets), Some(4));
        assert_eq!(highest_meeting(&steps, Targets::default()), None);
        let strict = Targets {
            ttft_ms: Some(50.0),
            tpot_ms: None,
        };
        assert_eq!(highest_meeting(&steps, strict), None);
    }
}
