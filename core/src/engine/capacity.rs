//! How many units a load really needs: the serving curve of one replica, the streams it runs
//! at once (engine, memory, latency targets), Little's law, peaks and Erlang C queueing.

use crate::engine::serving::{Engine, Serving};
use crate::scenario::MAX_CURVE_POINTS;
use serde::Serialize;

/// Seconds in an hour.
const HOUR_S: f64 = 3600.0;

/// The share of requests allowed to wait longer than the p95 figure.
const P95_TAIL: f64 = 0.05;

/// Where a speed figure came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Given by the user or measured live.
    Measured,
    /// Estimated by the serving model.
    Estimated,
}

/// Speeds of one stream, for the scenario's request.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Speed {
    /// Decode tokens/s of one stream alone, at the request's mean depth `in + out / 2`.
    pub decode_tps: f64,
    /// Where `decode_tps` came from.
    pub decode_source: Source,
    /// The estimate's range over its fit's measured rows: `decode_tps` times the smallest and
    /// largest measured ÷ estimated ratio of the memory class (the measured figure itself when
    /// measured).
    pub decode_tps_low: f64,
    /// See `decode_tps_low`.
    pub decode_tps_high: f64,
    /// Prefill tokens/s of the scenario's prompt.
    pub prefill_tps: f64,
    /// Where `prefill_tps` came from.
    pub prefill_source: Source,
}

/// What limits the streams one replica runs at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StreamsLimit {
    /// The engine's parallel slots (`slots`, or the engine's default).
    Engine,
    /// The KV cache that fits beside the weights.
    Memory,
    /// The time-per-output-token target.
    Tpot,
}

/// The constraint that set the number of units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    /// The average load (Little's law) needs the streams.
    Load,
    /// Peak concurrent requests exceed the average load.
    Peak,
    /// The KV cache caps the streams per replica, so more replicas are needed.
    Memory,
    /// The p95 time-to-first-token target needs more replicas than the load.
    Ttft,
    /// The time-per-output-token target caps the streams per replica.
    Tpot,
    /// The user fixed the number of units.
    Fixed,
}

impl StreamsLimit {
    /// Says what limits the streams, for tables and reports.
    pub fn describe(self) -> &'static str {
        match self {
            StreamsLimit::Engine => "the engine's parallel slots",
            StreamsLimit::Memory => "the KV cache that fits",
            StreamsLimit::Tpot => "the time-per-output-token target",
        }
    }
}

impl Bound {
    /// Says what bound the units, for tables and reports.
    pub fn describe(self) -> &'static str {
        match self {
            Bound::Load => "bound by the average load",
            Bound::Peak => "bound by peak concurrency",
            Bound::Memory => "bound by the KV cache that fits per replica",
            Bound::Ttft => "bound by the time-to-first-token target",
            Bound::Tpot => "bound by the time-per-output-token target",
            Bound::Fixed => "fixed in the scenario",
        }
    }
}

/// The serving curve of one replica for the scenario's request, measured figures applied.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Curve {
    /// The serving model.
    pub serving: Serving,
    /// Input tokens per request.
    pub input_tokens: f64,
    /// Output tokens per request.
    pub output_tokens: f64,
    /// Measured prefill tokens/s, replacing the estimate.
    pub measured_prefill_tps: Option<f64>,
    /// Factor on every decode step, 1 for the estimate; a measured decode speed or measured
    /// aggregates set it so that the curve passes through every measured point.
    pub decode_scale: DecodeScale,
}

/// A factor on the decode step that may differ by batch, fitted at each measured concurrency.
/// Between two measured concurrencies the step time itself moves linearly with the batch, so
/// that where the measured steps never shorten and never grow faster than the batch, neither
/// does any step between them (a stream never speeds up, the total never falls); below the
/// first and above the last, the nearest point's factor applies to the estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DecodeScale {
    /// `(concurrency, factor)`, by concurrency; the first `len` hold.
    points: [(u32, f64); MAX_CURVE_POINTS],
    len: usize,
}

impl DecodeScale {
    /// The same factor at every batch.
    pub fn uniform(factor: f64) -> DecodeScale {
        DecodeScale::fitted(&[(1, factor)])
    }

    /// The factors fitted at `points` (`(concurrency, factor)`, by concurrency); the first
    /// [`MAX_CURVE_POINTS`] are kept, and none is 1 throughout.
    pub fn fitted(points: &[(u32, f64)]) -> DecodeScale {
        let mut scale = DecodeScale {
            points: [(1, 1.0); MAX_CURVE_POINTS],
            len: 0,
        };
        for (slot, point) in scale.points.iter_mut().zip(points) {
            *slot = *point;
            scale.len += 1;
        }
        scale.len = scale.len.max(1);
        scale
    }

    /// The points it was fitted at.
    pub fn points(&self) -> &[(u32, f64)] {
        &self.points[..self.len]
    }

    /// Whether it leaves the estimate as it is (1 at every batch).
    pub fn is_identity(&self) -> bool {
        self.points().iter().all(|p| p.1 == 1.0)
    }

    /// Seconds of a decode step of `batch` streams, `base(B)` being the estimate's: `factor ·
    /// base(B)` at or beyond the measured ends, and between two measured concurrencies
    /// `c0 < B < c1` from the step times there, `s0 + (B − c0) / (c1 − c0) · (s1 − s0)`.
    pub fn step_s(&self, batch: u32, base: impl Fn(u32) -> f64) -> f64 {
        let points = self.points();
        let batch = batch.max(1);
        match points.iter().position(|p| p.0 >= batch) {
            None => points[points.len() - 1].1 * base(batch),
            Some(0) => points[0].1 * base(batch),
            Some(k) => {
                let ((c0, f0), (c1, f1)) = (points[k - 1], points[k]);
                let (s0, s1) = (f0 * base(c0), f1 * base(c1));
                let t = f64::from(batch - c0) / f64::from(c1 - c0);
                s0 + t * (s1 - s0)
            }
        }
    }
}

impl Curve {
    /// Mean depth of the request's decode: `in + out / 2`.
    pub fn depth(&self) -> f64 {
        self.input_tokens + self.output_tokens / 2.0
    }

    /// Seconds to prefill the prompt: `in / measured` or the serving model's estimate.
    pub fn prefill_s(&self) -> f64 {
        match self.measured_prefill_tps {
            Some(tps) => self.input_tokens / tps,
            None => self.serving.prefill_s(self.input_tokens, 0.0),
        }
    }

    /// Seconds of one decode step of `batch` streams: the estimate `step(B, depth)` with the
    /// measured factors applied ([`DecodeScale::step_s`]).
    pub fn step_s(&self, batch: u32) -> f64 {
        self.decode_scale
            .step_s(batch, |b| self.estimated_step_s(b))
    }

    /// Seconds of one decode step of `batch` streams as the serving model estimates it:
    /// `step(B, depth)`.
    pub fn estimated_step_s(&self, batch: u32) -> f64 {
        self.serving.step_s(f64::from(batch.max(1)), self.depth())
    }

    /// The factor the measured figures put on the estimate's decode step at `batch`.
    pub fn decode_factor(&self, batch: u32) -> f64 {
        self.step_s(batch) / self.estimated_step_s(batch)
    }

    /// Seconds each request holds a stream with `batch` busy: the batch's prompts, then its
    /// answers, `B · prefill + out · step(B)`.
    pub fn service_s(&self, batch: u32) -> f64 {
        f64::from(batch.max(1)) * self.prefill_s() + self.output_tokens * self.step_s(batch)
    }

    /// Output tokens/s of the replica with `batch` busy: `B · out / service(B)`.
    pub fn aggregate_tps(&self, batch: u32) -> f64 {
        f64::from(batch.max(1)) * self.output_tokens / self.service_s(batch)
    }

    /// Milliseconds per output token a stream sees with `batch` busy, the other prompts'
    /// prefill included: `(service(B) − prefill) / out`.
    pub fn tpot_ms(&self, batch: u32) -> f64 {
        (self.service_s(batch) - self.prefill_s()) / self.output_tokens.max(1.0) * 1e3
    }

    /// Decode tokens/s of one stream with `batch` busy: `1 / step(B)`.
    pub fn per_stream_tps(&self, batch: u32) -> f64 {
        1.0 / self.step_s(batch)
    }

    /// The largest batch up to `limit` whose time per output token is at most `target_ms`;
    /// `None` when even one stream misses it. TPOT never falls as the batch grows, so a
    /// binary search finds it.
    pub fn largest_batch_within_tpot(&self, limit: u32, target_ms: f64) -> Option<u32> {
        if self.tpot_ms(1) > target_ms {
            return None;
        }
        let (mut lo, mut hi) = (1u32, limit.max(1));
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if self.tpot_ms(mid) <= target_ms {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        Some(lo)
    }
}

/// Chance that a request waits in an M/M/c queue (Erlang C): `c` servers at an offered load
/// of `a = λ·S` erlangs, `C = c·B / (c − a·(1 − B))` with Erlang B from
/// `B(n) = a·B(n−1) / (n + a·B(n−1))`; the Halfin–Whitt limit above 500 erlangs. `None`
/// when `a ≥ c` (the queue grows without bound); 0 without load.
pub fn wait_chance(servers: f64, a: f64) -> Option<f64> {
    if a <= 0.0 {
        return Some(0.0);
    }
    if a >= servers || servers < 1.0 {
        return None;
    }
    if a > LARGE_LOAD {
        return Some(halfin_whitt(servers, a));
    }
    let mut erlang_b = 1.0;
    let mut n = 1.0;
    while n <= servers {
        erlang_b = a * erlang_b / (n + a * erlang_b);
        n += 1.0;
    }
    Some(servers * erlang_b / (servers - a * (1.0 - erlang_b)))
}

/// The serving curve at one concurrency, computed once for the sizing at every volume.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Served {
    /// Seconds to prefill one prompt.
    pub prefill_s: f64,
    /// Seconds each request holds a stream.
    pub service_s: f64,
    /// Output tokens/s of the replica.
    pub aggregate_tps: f64,
    /// Milliseconds per output token a stream sees.
    pub tpot_ms: f64,
    /// Seconds of one decode step of the batch.
    pub step_s: f64,
}

impl Curve {
    /// The curve at `batch` streams busy.
    pub fn at(&self, batch: u32) -> Served {
        Served {
            prefill_s: self.prefill_s(),
            service_s: self.service_s(batch),
            aggregate_tps: self.aggregate_tps(batch),
            tpot_ms: self.tpot_ms(batch),
            step_s: self.step_s(batch),
        }
    }
}

/// p95 wait in queue of an M/M/c system, seconds: `c` servers each taking `service_s` per
/// request, `arrivals` requests/s. Past the [`wait_chance`] `C`, waits are exponential,
/// `P(W > t) = C · e^(−(c/S − λ)·t)`, so the p95 wait is `ln(C / 0.05) / (c/S − λ)`, 0 when
/// `C ≤ 0.05`. `None` when `a ≥ c`.
pub fn p95_wait_s(servers: f64, service_s: f64, arrivals: f64) -> Option<f64> {
    let chance = wait_chance(servers, arrivals * service_s)?;
    Some(p95_wait_given(chance, servers, service_s, arrivals))
}

/// The p95 wait of [`p95_wait_s`] once the chance to wait is known.
fn p95_wait_given(chance: f64, servers: f64, service_s: f64, arrivals: f64) -> f64 {
    if chance <= P95_TAIL {
        return 0.0;
    }
    ln(chance / P95_TAIL) / (servers / service_s - arrivals)
}

/// Offered load (erlangs) above which Erlang C is taken from its Halfin–Whitt limit instead of
/// the exact recursion, whose cost grows with the servers.
const LARGE_LOAD: f64 = 500.0;

/// Chance to wait in M/M/c for large loads: `1 / (1 + β·Φ(β)/φ(β))` with `β = (c − a)/√a`
/// (Halfin and Whitt, 1981).
fn halfin_whitt(servers: f64, a: f64) -> f64 {
    let beta = (servers - a) / a.sqrt();
    let density = exp(-beta * beta / 2.0) / (2.0 * std::f64::consts::PI).sqrt();
    let cumulative = 1.0 - 0.5 * erfc(beta / std::f64::consts::SQRT_2);
    1.0 / (1.0 + beta * cumulative / density)
}

/// `e^x` through `powf`, which the page already carries for its chart scales, so that the
/// first load needs no second exponential.
fn exp(x: f64) -> f64 {
    std::f64::consts::E.powf(x)
}

/// Natural logarithm of a positive `x` without the platform's `log`, which the page's first
/// load would otherwise carry for this one use: `x = m · 2^k` with `m` in [1, 2), then
/// `ln x = k · ln 2 + 2 · atanh((m − 1) / (m + 1))`, whose series in `z ≤ 1/3` converges to
/// within 1e-12 in 12 terms.
fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let k = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let z = (m - 1.0) / (m + 1.0);
    let (mut term, mut sum) = (z, 0.0);
    for n in 0..12 {
        sum += term / f64::from(2 * n + 1);
        term *= z * z;
    }
    k as f64 * std::f64::consts::LN_2 + 2.0 * sum
}

/// Complementary error function, Abramowitz and Stegun 7.1.26 (error below 1.5e-7).
fn erfc(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let value = poly * exp(-x * x);
    if x >= 0.0 {
        value
    } else {
        2.0 - value
    }
}

/// The sizing of the local side at one volume.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Capacity {
    /// The engine.
    pub engine: Engine,
    /// Seconds one request holds a stream at the replica's concurrency.
    pub service_s: f64,
    /// `rpd / (hrs * 3600) * service_s` (Little's law).
    pub avg_concurrency: f64,
    /// `max(peak, ceil(avg_concurrency))`.
    pub needed_slots: u32,
    /// Streams one replica serves at once.
    pub slots_per_replica: u32,
    /// Same as `slots_per_replica`, under the name serving engineers use.
    pub streams_per_replica: u32,
    /// What limits the streams per replica.
    pub streams_limit: StreamsLimit,
    /// Output tokens/s of one replica with every stream busy.
    pub aggregate_tps: f64,
    /// Milliseconds per output token with every stream busy.
    pub tpot_ms: f64,
    /// Milliseconds of one decode step with every stream busy, `step(streams)`.
    pub decode_step_ms: f64,
    /// Requests/s arriving during the active hours: `rpd / (hrs · 3600)`.
    pub arrivals_per_s: f64,
    /// Chance a request waits for a stream, Erlang C over every replica's streams at an
    /// offered load of `avg_concurrency` erlangs; `None` when the streams cannot keep up.
    pub wait_chance: Option<f64>,
    /// p95 time to first token at the active hours' arrival rate over every stream, ms:
    /// prefill plus the Erlang C wait; `None` when the streams cannot keep up.
    pub p95_ttft_ms: Option<f64>,
    /// The Erlang C p95 wait in that time, ms; `None` when the streams cannot keep up.
    pub p95_wait_ms: Option<f64>,
    /// Seconds to prefill one prompt.
    pub prefill_s: f64,
    /// Streams over every replica, the queue's servers: `replicas * streams_per_replica`.
    pub streams_total: u32,
    /// Units that hold one replica (memory).
    pub units_per_replica: u32,
    /// Replicas the streams fill: `ceil(needed_slots / slots_per_replica)`.
    pub load_replicas: u32,
    /// Replicas running: `load_replicas`, more where the p95 TTFT target needs them.
    pub replicas: u32,
    /// `replicas * units_per_replica`, or the fixed number.
    pub units: u32,
    /// Units the load needs, fixed or not.
    pub needed_units: u32,
    /// `avg_concurrency / (replicas * slots)`; `None` when no replica fits in the fixed units.
    pub utilization: Option<f64>,
    /// Which constraint bound the units.
    pub bound: Bound,
    /// The p95 time-to-first-token target sized for, ms.
    pub slo_ttft_ms: Option<f64>,
    /// The time-per-output-token target sized for, ms.
    pub slo_tpot_ms: Option<f64>,
}

/// What a volume needs, before a fixed number of units overrides it.
struct Needs {
    /// Average concurrent requests (Little's law).
    avg: f64,
    /// Peak concurrent requests, scaled.
    peak: f64,
    /// Streams: `max(peak, ceil(avg))`.
    streams: u32,
    /// Replicas the streams fill.
    load_replicas: u32,
    /// Replicas the p95 time-to-first-token target needs; `None` without one or out of reach.
    ttft_replicas: Option<u32>,
    /// The larger of the two.
    replicas: u32,
}

/// The load a scenario puts on replicas, ready to size at any volume.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    /// The serving curve.
    pub curve: Curve,
    /// Streams per replica.
    pub streams: u32,
    /// The curve at `streams`.
    pub served: Served,
    /// What limits them.
    pub streams_limit: StreamsLimit,
    /// Streams per replica without a latency target or memory cap.
    pub engine_streams: u32,
    /// Active hours per day.
    pub hours: f64,
    /// Peak concurrent requests.
    pub peak: u32,
    /// Units per replica.
    pub units_per_replica: u32,
    /// Units fixed by the user.
    pub fixed_units: Option<u32>,
    /// Target p95 time to first token, ms.
    pub slo_ttft_ms: Option<f64>,
    /// Target time per output token, ms (it set `streams` already).
    pub slo_tpot_ms: Option<f64>,
    /// The engine.
    pub engine: Engine,
}

impl Load {
    /// Seconds one request holds a stream at the replica's concurrency.
    pub fn service_s(&self) -> f64 {
        self.served.service_s
    }

    /// Requests per second arriving at `rpd` during the active hours.
    pub fn arrivals(&self, rpd: f64) -> f64 {
        rpd / (self.hours * HOUR_S)
    }

    /// Average concurrent requests at `rpd` requests a day: `rpd / (hrs * 3600) * service_s`.
    pub fn avg_concurrency(&self, rpd: f64) -> f64 {
        self.arrivals(rpd) * self.service_s()
    }

    /// Requests a day one replica serves at full use: `streams * hrs * 3600 / service_s`.
    pub fn rpd_per_replica(&self) -> f64 {
        f64::from(self.streams) * self.hours * HOUR_S / self.service_s()
    }

    /// Replicas the peak alone needs: `ceil(peak / streams)`.
    pub fn peak_replicas(&self) -> u32 {
        self.peak.div_ceil(self.streams.max(1))
    }

    /// p95 time to first token with `replicas` at `arrivals` requests/s, ms.
    pub fn p95_ttft_ms(&self, replicas: u32, arrivals: f64) -> Option<f64> {
        let servers = f64::from(replicas) * f64::from(self.streams);
        p95_wait_s(servers, self.service_s(), arrivals)
            .map(|wait| (self.served.prefill_s + wait) * 1e3)
    }

    /// The p95 time-to-first-token target, ms, where one is set and the prompt's prefill alone
    /// meets it: only such a target adds replicas (one out of reach is reported, not sized for).
    pub fn reachable_ttft_target(&self) -> Option<f64> {
        self.slo_ttft_ms
            .filter(|target| self.served.prefill_s * 1e3 <= *target)
    }

    /// The fewest replicas, from `from` up, whose p95 time to first token meets `target_ms` (a
    /// [`Load::reachable_ttft_target`]); `None` when 4096 times `from` still miss it.
    fn ttft_replicas(&self, from: u32, arrivals: f64, target_ms: f64) -> Option<u32> {
        let meets = |r: u32| {
            self.p95_ttft_ms(r, arrivals)
                .is_some_and(|t| t <= target_ms)
        };
        let mut lo = from.max(1);
        if meets(lo) {
            return Some(lo);
        }
        // The wait falls fast once the streams outnumber the load; a target still missed at
        // 4096 times the load's replicas is taken as out of reach.
        let ceiling = lo.saturating_mul(4096);
        let mut hi = lo.saturating_mul(2).min(ceiling);
        while !meets(hi) {
            if hi >= ceiling {
                return None;
            }
            lo = hi;
            hi = hi.saturating_mul(2).min(ceiling);
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if meets(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Some(hi)
    }

    /// Streams and replicas the load at `rpd` needs, the peak scaled by `peak_share`.
    fn needs(&self, rpd: f64, peak_share: f64) -> Needs {
        let avg = self.avg_concurrency(rpd);
        let peak = (f64::from(self.peak) * peak_share).ceil();
        let streams = saturate(peak.max(avg.ceil()));
        let load_replicas = streams.div_ceil(self.streams.max(1));
        let ttft_replicas = self
            .reachable_ttft_target()
            .and_then(|target| self.ttft_replicas(load_replicas, self.arrivals(rpd), target));
        Needs {
            avg,
            peak,
            streams,
            load_replicas,
            ttft_replicas,
            replicas: ttft_replicas.unwrap_or(load_replicas).max(load_replicas),
        }
    }

    /// Units running at `rpd` requests a day, the peak scaled by `peak_share`: the fixed
    /// number, or the replicas needed (see [`Load::capacity`]) times the units per replica.
    /// The sizing alone, without the p95 time to first token a full [`Capacity`] reports.
    pub fn units(&self, rpd: f64, peak_share: f64) -> u32 {
        self.fixed_units.unwrap_or_else(|| {
            self.needs(rpd, peak_share)
                .replicas
                .saturating_mul(self.units_per_replica.max(1))
        })
    }

    /// Sizes the local side for `rpd` requests a day, with the peak scaled by `peak_share`
    /// (1 for the whole load; a hybrid's local share otherwise).
    pub fn capacity(&self, rpd: f64, peak_share: f64) -> Capacity {
        let Needs {
            avg,
            peak,
            streams: needed,
            load_replicas,
            ttft_replicas,
            replicas: needed_replicas,
        } = self.needs(rpd, peak_share);
        let avg_slots = avg.ceil();
        let streams = self.streams.max(1);
        let upr = self.units_per_replica.max(1);
        let arrivals = self.arrivals(rpd);
        let needed_units = needed_replicas.saturating_mul(upr);
        let (replicas, units, bound) = match self.fixed_units {
            Some(units) => (units / upr, units, Bound::Fixed),
            None => {
                let uncapped = needed.div_ceil(self.engine_streams.max(1));
                let bound = if needed_replicas > load_replicas
                    || (self.slo_ttft_ms.is_some() && ttft_replicas.is_none())
                {
                    Bound::Ttft
                } else if self.streams_limit != StreamsLimit::Engine && load_replicas > uncapped {
                    match self.streams_limit {
                        StreamsLimit::Tpot => Bound::Tpot,
                        _ => Bound::Memory,
                    }
                } else if peak > avg_slots {
                    Bound::Peak
                } else {
                    Bound::Load
                };
                (needed_replicas, needed_units, bound)
            }
        };
        let streams_total = replicas.saturating_mul(streams);
        let servers = f64::from(streams_total);
        let chance = wait_chance(servers, avg);
        let wait_s =
            chance.map(|chance| p95_wait_given(chance, servers, self.service_s(), arrivals));
        Capacity {
            engine: self.engine,
            service_s: self.service_s(),
            avg_concurrency: avg,
            needed_slots: needed,
            slots_per_replica: streams,
            streams_per_replica: streams,
            streams_limit: self.streams_limit,
            aggregate_tps: self.served.aggregate_tps,
            tpot_ms: self.served.tpot_ms,
            decode_step_ms: self.served.step_s * 1e3,
            arrivals_per_s: arrivals,
            wait_chance: chance,
            p95_ttft_ms: wait_s.map(|wait| (self.served.prefill_s + wait) * 1e3),
            p95_wait_ms: wait_s.map(|wait| wait * 1e3),
            prefill_s: self.served.prefill_s,
            streams_total,
            units_per_replica: upr,
            load_replicas,
            replicas,
            units,
            needed_units,
            utilization: (servers > 0.0).then(|| avg / servers),
            bound,
            slo_ttft_ms: self.slo_ttft_ms,
            slo_tpot_ms: self.slo_tpot_ms,
        }
    }
}

/// Converts a non-negative count to `u32`, saturating.
fn saturate(n: f64) -> u32 {
    if n >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        n.max(0.0) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(actual: Option<f64>, expected: Option<f64>) {
        match (actual, expected) {
            (Some(a), Some(e)) => assert!((a - e).abs() <= 1e-9 * e.abs().max(1.0), "{a} != {e}"),
            _ => assert_eq!(actual, expected),
        }
    }

    #[test]
    fn erlang_c_one_server_is_m_m_1() {
        // M/M/1 with S = 1 s, λ = 0.5/s: C = ρ = 0.5; p95 wait = ln(0.5/0.05) / (1 − 0.5).
        check(p95_wait_s(1.0, 1.0, 0.5), Some(10f64.ln() / 0.5));
    }

    #[test]
    fn erlang_c_two_servers() {
        // a = 1.5 erlangs on 2 servers: B(1) = 1.5/2.5 = 0.6, B(2) = 0.9/2.9 = 0.310345;
        // C = 2·0.310345 / (2 − 1.5·0.689655) = 0.642857; rate 2/1 − 1.5 = 0.5 /s.
        let b2 = 0.9 / 2.9;
        let c: f64 = 2.0 * b2 / (2.0 - 1.5 * (1.0 - b2));
        check(p95_wait_s(2.0, 1.0, 1.5), Some((c / 0.05_f64).ln() / 0.5));
    }

    #[test]
    fn halfin_whitt_is_close_to_the_exact_recursion() {
        // 520 servers at 480 erlangs: the approximation and the exact C within 10%.
        let (c, a) = (520.0, 480.0);
        let mut b = 1.0;
        for n in 1..=520 {
            b = a * b / (f64::from(n) + a * b);
        }
        let exact = c * b / (c - a * (1.0 - b));
        let approx = halfin_whitt(c, a);
        assert!(
            (approx / exact - 1.0).abs() < 0.1,
            "{approx} against {exact}"
        );
    }

    #[test]
    fn ln_matches_the_platform() {
        for x in [1e-6, 0.05, 0.5, 1.0, 2.0, 3.7, 19.99, 1e4, 1e12] {
            let (ours, std) = (ln(x), x.ln());
            assert!(
                (ours - std).abs() <= 1e-12 * std.abs().max(1.0),
                "{x}: {ours} != {std}"
            );
        }
    }

    #[test]
    fn erlang_c_light_load_and_overload() {
        // a = 0.1 on 4 servers: waiting is rarer than 5%, so the p95 wait is 0.
        check(p95_wait_s(4.0, 1.0, 0.1), Some(0.0));
        check(p95_wait_s(2.0, 1.0, 2.0), None);
    }
}
