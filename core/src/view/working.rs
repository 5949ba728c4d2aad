//! "Show the math": each headline figure's formula, with the scenario's own numbers put in.
//!
//! [`working`] reads the [`Report`] (every intermediate is there) and the resolved inputs of the
//! [`Scenario`] (prices, watts, hours), and writes one [`Working`] per figure the page shows,
//! keyed by the figure's `data-testid`. It computes no figure itself: each number it shows is
//! an input, a field of the report or what an engine function returns, so a formula changed
//! in the engine changes its working too (the property test `every_working_ends_in_the_figure_
//! the_page_shows` holds each result to the page's figure). A month is 30 days and a year 12
//! months.

use crate::engine::break_even::{NoVolume, MAX_RPD, PAYBACK_SEARCH_MONTHS};
use crate::engine::capacity::StreamsLimit;
use crate::engine::capacity::{Bound, Source};
use crate::engine::decision::Side;
use crate::engine::inputs::Inputs;
use crate::engine::plan::Plan;
use crate::engine::report::Report;
use crate::engine::serving::Serving;
use crate::scenario::{Mode, Scenario};
use crate::view::format::{count, months, number, plain, points, price, usd};
use serde::Serialize;

/// The result of payback when local never pays back.
pub const NEVER: &str = "never: cloud costs no more than running local";

/// One figure explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Working {
    /// The figure's id, the page's `data-testid` (e.g. `cloud-monthly`).
    pub figure: &'static str,
    /// What the figure is, for a heading.
    pub title: String,
    /// The general formula in words and symbols.
    pub formula: String,
    /// The formula with this scenario's numbers put in.
    pub substituted: String,
    /// The figure with its unit.
    pub result: String,
}

/// The working of every headline figure of `report`, computed from `scenario`, in page order:
/// `cloud-monthly`, `local-monthly`, `local-units`, `memory`, `serving`, `payback-months`,
/// `breakeven-rpd`, `tco-savings`, `recommendation`, `decision-margin`.
pub fn working(report: &Report, scenario: &Scenario) -> Vec<Working> {
    let (inputs, _) = Inputs::resolve(scenario);
    let plan = Plan::new(inputs);
    let i = &plan.inputs;
    vec![
        cloud_monthly(report, i),
        local_monthly(report, i),
        local_units(report, &plan),
        memory(report, i),
        serving(report, &plan),
        payback(report, i),
        break_even_volume(report, i),
        tco_savings(report, i),
        recommendation(report),
        margin(report),
    ]
}

fn entry(
    figure: &'static str,
    title: &str,
    formula: &str,
    substituted: String,
    result: String,
) -> Working {
    Working {
        figure,
        title: title.to_string(),
        formula: formula.to_string(),
        substituted,
        result,
    }
}

/// The token-priced cloud formula with numbers in.
fn token_estimate(report: &Report) -> String {
    let c = &report.cloud;
    let in_tok = c.input_tokens_month;
    let out_tok = c.output_tokens_month;
    let share = c.cache_share;
    let uncached = 1.0 - share;
    let first = if uncached == 0.0 {
        "0".to_string()
    } else {
        format!(
            "{} × {} × {}",
            number(in_tok, 0),
            plain(uncached),
            price(c.input_per_mtok)
        )
    };
    let cached = if share == 0.0 {
        "0".to_string()
    } else {
        format!(
            "{} × {} × {}",
            number(in_tok, 0),
            plain(share),
            price(c.cached_per_mtok)
        )
    };
    format!(
        "({first} + {cached} + {} × {}) / 1,000,000",
        number(out_tok, 0),
        price(c.output_per_mtok)
    )
}

fn cloud_monthly(report: &Report, i: &Inputs) -> Working {
    let c = &report.cloud;
    let estimate = token_estimate(report);
    if c.from_bill {
        return entry(
            "cloud-monthly",
            "Cloud cost per month",
            "the known monthly bill, as given, replaces the token estimate; a month is 30 days",
            format!(
                "known bill: {}/month (token prices would give {estimate} = {})",
                usd(c.monthly_usd),
                usd(c.token_estimate_usd)
            ),
            format!("{}/month", usd(c.monthly_usd)),
        );
    }
    entry(
        "cloud-monthly",
        "Cloud cost per month",
        "(in_tok × (1 − cache) × p_in + in_tok × cache × p_cache + out_tok × p_out) / 1,000,000, \
         where in_tok = requests/day × input tokens × 30 and out_tok = requests/day × output \
         tokens × 30; a month is 30 days",
        format!(
            "in_tok = {rpd} × {input} × 30 = {in_tok}; out_tok = {rpd} × {output} × 30 = {out_tok}; \
             {estimate} = {monthly}",
            rpd = plain(i.rpd),
            input = plain(i.input_tokens),
            output = plain(i.output_tokens),
            in_tok = number(c.input_tokens_month, 0),
            out_tok = number(c.output_tokens_month, 0),
            monthly = usd(c.monthly_usd),
        ),
        format!("{}/month", usd(c.monthly_usd)),
    )
}

fn local_monthly(report: &Report, i: &Inputs) -> Working {
    let l = &report.local;
    let fixed = format!(
        "{} + {}",
        usd(l.maintenance_monthly_usd),
        usd(l.operations_monthly_usd)
    );
    let result = format!("{}/month", usd(l.monthly_usd));
    match l.mode {
        Mode::Own => entry(
            "local-monthly",
            "Local cost per month (owned)",
            "units × (price / (life × 12) + watts × hours/day × 30 / 1000 × $/kWh) + maintenance \
             + operations; a month is 30 days",
            format!(
                "{units} × ({price} / ({life} × 12) + {watts} W × {hours} h × 30 / 1000 × {kwh}/kWh) \
                 + {fixed} = {units} × ({dep} + {power}) + {fixed} = {total}",
                units = l.units,
                price = usd(i.unit.price),
                life = plain(i.unit.life_years),
                watts = plain(i.unit.watts),
                hours = plain(i.hours),
                kwh = price(i.kwh),
                dep = usd(l.per_unit.depreciation),
                power = usd(l.per_unit.power),
                total = usd(l.monthly_usd),
            ),
            result,
        ),
        Mode::Rent => entry(
            "local-monthly",
            "Local cost per month (rented)",
            "units × rent per hour × hours/day × 30 + maintenance + operations; a month is 30 days",
            format!(
                "{} × {}/hour × {} h × 30 + {fixed} = {}",
                l.units,
                price(i.unit.rent_per_hour),
                plain(i.hours),
                usd(l.monthly_usd)
            ),
            result,
        ),
    }
}

/// ` ÷ s` where the device reads the weights at share `s` of its effective bandwidth (block
/// formats dequantized on the fly), else nothing.
fn read_share(unit: &Serving) -> String {
    let share = unit.weight_read_share();
    if share == 1.0 {
        String::new()
    } else {
        format!(" ÷ {}", number(share, 2))
    }
}

/// How the per-stream speeds were obtained, with the serving model's own figures.
fn speed_notes(report: &Report, plan: &Plan) -> String {
    let s = &report.speed;
    let curve = plan.load.curve;
    let unit = &curve.serving;
    let decode = match s.decode_source {
        Source::Measured => format!("decode {} tok/s measured", number(s.decode_tps, 1)),
        Source::Estimated => format!(
            "decode {} tok/s estimated as 1 / (({} GB of weights{} + {} GB of cache) / ({} × {} \
             GB/s) + {} ms), range {}–{} tok/s over the measured rows of its memory class, each estimated \
             without itself",
            number(s.decode_tps, 1),
            number(unit.weight_bytes_read(1.0) / 1e9, 2),
            read_share(unit),
            number(unit.shape.kv_bytes(curve.depth(), unit.kv) / 1e9, 3),
            number(unit.fit.bandwidth_eff, 3),
            plain(unit.device.bandwidth_gbps),
            number(unit.fit.overhead_ms, 2),
            number(s.decode_tps_low, 1),
            number(s.decode_tps_high, 1)
        ),
    };
    let prefill = match s.prefill_source {
        Source::Measured => format!("prefill {} tok/s measured", number(s.prefill_tps, 1)),
        Source::Estimated => format!(
            "prefill {} tok/s estimated as {} × {} × {} TFLOPS / (2 × {} B parameters per prompt \
             token + attention)",
            number(s.prefill_tps, 1),
            number(unit.fit.compute_eff, 3),
            number(unit.kernels.share(unit), 3),
            plain(unit.device.fp16_tflops),
            number(unit.shape.prompt_params_b(), 2)
        ),
    };
    format!("{decode}; {prefill}")
}

fn local_units(report: &Report, plan: &Plan) -> Working {
    let i = &plan.inputs;
    let c = &report.capacity;
    let s = &report.speed;
    let load = format!(
        "service = {streams} × {input} / {prefill} + {output} × {tpot} ms = {service} s; average \
         = {rpd} / ({hours} × 3600) × {service} s = {avg}",
        streams = c.streams_per_replica,
        input = plain(i.input_tokens),
        prefill = number(s.prefill_tps, 1),
        output = plain(i.output_tokens),
        tpot = number(c.decode_step_ms, 2),
        service = number(c.service_s, 2),
        rpd = plain(i.rpd),
        hours = plain(i.hours),
        avg = number(c.avg_concurrency, 2),
    );
    let notes = speed_notes(report, plan);
    let units = count(c.units as usize, "unit");
    let utilized = c
        .utilization
        .map(|u| format!("{}% utilized", number(u * 100.0, 0)))
        .unwrap_or_default();
    if c.bound == Bound::Fixed {
        let (step, result) = match c.utilization {
            Some(u) => (
                format!(
                    "replicas = floor({} / {}) = {}; utilization = {} / ({} × {}) = {}%",
                    c.units,
                    c.units_per_replica,
                    c.replicas,
                    number(c.avg_concurrency, 2),
                    c.replicas,
                    c.slots_per_replica,
                    number(u * 100.0, 0)
                ),
                format!("{units}, fixed by you, {utilized}"),
            ),
            None => (
                format!(
                    "replicas = floor({} / {}) = 0: no replica fits",
                    c.units, c.units_per_replica
                ),
                format!("{units}, fixed by you: too few to hold one replica"),
            ),
        };
        return entry(
            "local-units",
            "Units",
            "units fixed by you; replicas = floor(units / units per replica); utilization = \
             average concurrency / (replicas × streams per replica), where average concurrency = \
             requests/day / (hours/day × 3600) × service seconds (Little's law)",
            format!("{load}; {step}; {notes}"),
            result,
        );
    }
    let bound = c.bound.describe();
    let load_replicas = c.load_replicas;
    let replicas = if c.replicas > load_replicas {
        format!(
            "replicas = ceil({needed} / {slots}) = {load_replicas}, raised to {r} to meet the p95 \
             time-to-first-token target of {target} ms",
            needed = c.needed_slots,
            slots = c.slots_per_replica,
            r = c.replicas,
            target = plain(i.slo_ttft_ms.unwrap_or_default()),
        )
    } else {
        format!(
            "replicas = ceil({} / {}) = {}",
            c.needed_slots, c.slots_per_replica, c.replicas
        )
    };
    entry(
        "local-units",
        "Units needed",
        "service = streams × input tokens / prefill tok/s + output tokens × decode step at that \
         many streams; average concurrency = requests/day / (hours/day × 3600) × service (Little's \
         law); streams = max(peak, ceil(average)); replicas = ceil(streams / streams per \
         replica), more if the p95 time-to-first-token target needs them; units = replicas × \
         units per replica",
        format!(
            "{load}; streams = max({peak}, ceil({avg})) = {needed}; {replicas}; units = {r} × {upr} \
             = {units}; {notes}",
            peak = i.peak,
            avg = number(c.avg_concurrency, 2),
            needed = c.needed_slots,
            r = c.replicas,
            upr = c.units_per_replica,
            units = c.units,
        ),
        format!("{units}, {bound}, {utilized}"),
    )
}

/// Why a replica runs `streams` at once.
fn streams_reason(plan: &Plan) -> String {
    let load = &plan.load;
    match load.streams_limit {
        StreamsLimit::Engine => format!(
            "the engine's {} ({}, {})",
            count(load.engine_streams as usize, "parallel slot"),
            load.engine.label(),
            if plan.inputs.slots.is_some() {
                "set in the scenario"
            } else {
                "its default"
            }
        ),
        StreamsLimit::Memory => format!(
            "the KV cache of {} streams fits beside the weights, fewer than the engine's {}",
            load.streams, load.engine_streams
        ),
        StreamsLimit::Tpot => format!(
            "the most streams whose time per output token meets the {} ms target",
            plain(plan.inputs.slo_tpot_ms.unwrap_or_default())
        ),
    }
}

/// One replica's serving curve at its concurrency, and the queueing behind the p95 time to
/// first token.
fn serving(report: &Report, plan: &Plan) -> Working {
    let c = &report.capacity;
    let curve = &plan.load.curve;
    let unit = &curve.serving;
    let b = c.streams_per_replica;
    let batch = f64::from(b);
    let depth = curve.depth();
    let ms = |s: f64| number(s * 1e3, 2);
    let spread = if unit.parallel() > 1.0 {
        format!(" × {} units", plain(unit.parallel()))
    } else {
        String::new()
    };
    let scaled = if curve.decode_scale.is_identity() {
        String::new()
    } else {
        let source = match plan.inputs.measured_aggregate.len() {
            0 | 1 => "to pass through the measured speed".to_owned(),
            n => format!("from the measured curve of {n} points"),
        };
        format!(
            " × {} {source} = {} ms",
            number(curve.decode_factor(b), 3),
            ms(curve.step_s(b))
        )
    };
    let step = format!(
        "step({b}) = max(({weights} GB{share} + {b} × {kv} GB) / ({beff} × {bw} GB/s{spread}) = {memory} \
         ms, {b} × {gflop} GFLOP / ({ceff} × {tflops} TFLOPS{spread}) = {compute} ms) + {overhead} \
         ms = {raw} ms{scaled}",
        weights = number(unit.weight_bytes_read(batch) / 1e9, 2),
        share = read_share(unit),
        kv = number(unit.shape.kv_bytes(depth, unit.kv) / 1e9, 3),
        beff = number(unit.fit.bandwidth_eff, 3),
        bw = plain(unit.device.bandwidth_gbps),
        memory = ms(unit.memory_s(batch, depth)),
        gflop = number(unit.token_flops(depth) / 1e9, 2),
        ceff = number(unit.fit.compute_eff, 3),
        tflops = plain(unit.device.fp16_tflops),
        compute = ms(unit.compute_s(batch, depth)),
        overhead = number(unit.fit.overhead_ms, 2),
        raw = ms(unit.step_s(batch, depth)),
    );
    let rates = format!(
        "per stream 1 / {step} ms = {per_stream} tok/s; aggregate = {b} × {out} / ({b} × {prefill} \
         ms + {out} × {step} ms) = {aggregate} tok/s; time per output token = ({b} − 1) × {prefill} \
         ms / {out} + {step} ms = {tpot} ms",
        step = ms(curve.step_s(b)),
        per_stream = number(curve.per_stream_tps(b), 1),
        out = plain(curve.output_tokens),
        prefill = ms(curve.prefill_s()),
        aggregate = number(c.aggregate_tps, 1),
        tpot = number(c.tpot_ms, 2),
    );
    let servers = f64::from(c.streams_total);
    let queue = match (c.wait_chance, c.p95_wait_ms, c.p95_ttft_ms) {
        (Some(chance), Some(wait), Some(ttft)) => format!(
            "λ = {rpd} / ({hours} × 3600) = {lambda} requests/s; c = {replicas} × {b} = {servers} \
             streams; a = λ × {service} s = {offered} erlangs; P(wait) = {chance}%; p95 wait = \
             {wait} ms; p95 time to first token = {prefill} + {wait} = {ttft} ms",
            rpd = plain(plan.inputs.rpd),
            hours = plain(plan.inputs.hours),
            lambda = number(c.arrivals_per_s, 4),
            replicas = c.replicas,
            servers = plain(servers),
            service = number(c.service_s, 2),
            offered = number(c.avg_concurrency, 3),
            chance = number(chance * 100.0, 1),
            wait = number(wait, 1),
            prefill = number(c.prefill_s * 1e3, 1),
            ttft = number(ttft, 1),
        ),
        _ => format!(
            "a = {} erlangs on c = {} streams: the queue grows without bound",
            number(c.avg_concurrency, 3),
            plain(servers)
        ),
    };
    let result = format!(
        "{} per replica at {} tok/s, {} ms per output token, p95 time to first token {}",
        count(b as usize, "stream"),
        number(c.aggregate_tps, 1),
        number(c.tpot_ms, 2),
        c.p95_ttft_ms
            .map_or("unbounded".to_string(), |t| format!("{} ms", number(t, 0)))
    );
    entry(
        "serving",
        "One replica serving",
        "streams B = the engine's slots, fewer where the KV cache that fits or the time-per-output-\
         token target caps them; step(B) = max((weights read + B × KV cache at the mean depth) / \
         effective bandwidth, B × FLOPs per token / effective FLOPS) + overhead; per-stream tok/s \
         = 1 / step(B); aggregate tok/s = B × output / (B × prefill + output × step(B)); time per \
         output token = (B − 1) × prefill / output + step(B), the others' prompts included; p95 time \
         to first token = prefill + the p95 wait of an M/M/c queue (Erlang C) with c = replicas × \
         B streams, λ = requests/day / (hours/day × 3600) and S = service seconds",
        format!(
            "B = {b}: {why}; mean depth = {input} + {output} / 2 = {depth} tokens; {step}; {rates}; \
             {queue}",
            why = streams_reason(plan),
            input = plain(curve.input_tokens),
            output = plain(curve.output_tokens),
            depth = plain(depth),
        ),
        result,
    )
}

fn memory(report: &Report, i: &Inputs) -> Working {
    let m = &report.memory;
    let model = report.local_model;
    let fit = if m.units_per_replica == 1 {
        "fits one unit".to_string()
    } else {
        m.spread_text()
    };
    entry(
        "memory",
        "Memory per replica",
        "weights = parameters × bits per weight / 8; KV cache = 2 × layers × KV heads × head \
         dim × tokens × bytes per element × streams / 10^9 (sliding layers hold only their \
         window); total = weights + KV cache + overhead; units per replica = ceil(total / unit \
         memory), or under vLLM the tensor-parallel degree (up to 8) that needs the fewest units \
         in all; GB are 10^9 bytes, a unit's GiB 1.074 GB",
        format!(
            "weights = {params} B × {bits} / 8 = {weights} GB; KV cache = 2 × {layers} × {kv} × \
             {dim} × {ctx} × {bytes} B × {slots} / 10^9 = {kv_gb} GB; total = {weights} + {kv_gb} + \
             {overhead} GB overhead = {total} GB; ceil({total} / {unit}) = {upr}{spread}",
            params = plain(model.shape.params_b),
            bits = plain(i.quant.bits_per_weight()),
            weights = number(m.weights_gb, 2),
            layers = model.shape.layers,
            kv = model.shape.kv_heads,
            dim = model.shape.head_dim,
            ctx = number(f64::from(m.kv_tokens), 0),
            bytes = plain(i.kv_quant.bytes()),
            slots = report.capacity.streams_per_replica,
            kv_gb = number(m.kv_gb, 2),
            overhead = number(m.overhead_gb, 2),
            total = number(m.total_gb, 2),
            unit = number(m.unit_memory_gb * m.usable_share, 2),
            upr = m.units_to_hold,
            spread = if m.units_per_replica > m.units_to_hold {
                format!(
                    "; spread over {} by tensor parallelism, the degree that needs the fewest \
                     units at this volume",
                    m.units_per_replica
                )
            } else {
                String::new()
            },
        ),
        format!(
            "{} GB of {} GB per unit: {fit}",
            number(m.total_gb, 2),
            plain(m.unit_memory_gb)
        ),
    )
}

fn payback(report: &Report, i: &Inputs) -> Working {
    let b = &report.break_even;
    let l = &report.local;
    let cloud = report.cloud.monthly_usd;
    let result = match b.payback_months {
        Some(m) => months(Some(m)),
        None => NEVER.to_string(),
    };
    if b.payback_simulated {
        let end = match b.payback_months {
            Some(m) => format!(
                "cumulative local falls to cumulative cloud during month {}",
                number(m.floor() + 1.0, 0)
            ),
            None => format!(
                "cumulative local stays above cumulative cloud for {PAYBACK_SEARCH_MONTHS} months"
            ),
        };
        return entry(
            "payback-months",
            "Payback",
            "month by month with volume growing each month: the first month where cumulative \
             local cost (purchases + running costs) is no more than cumulative cloud cost, \
             interpolated within the month; searched up to 240 months",
            format!(
                "{} upfront; at first cloud {}/month against local running {}/month, volume × {} \
                 each month (growth {}% a month); {end}",
                usd(l.upfront_usd),
                usd(cloud),
                usd(l.opex_monthly_usd),
                plain(1.0 + i.growth),
                plain(i.growth * 100.0),
            ),
            result,
        );
    }
    let diff = b.cash_saving_monthly_usd;
    let substituted = match b.payback_months {
        Some(m) => format!(
            "{up} / ({cloud} − {opex}) = {up} / {diff} = {m}",
            up = usd(l.upfront_usd),
            cloud = usd(cloud),
            opex = usd(l.opex_monthly_usd),
            diff = usd(diff),
            m = months(Some(m)),
        ),
        None => format!(
            "{} − {} = {}: not positive",
            usd(cloud),
            usd(l.opex_monthly_usd),
            usd(diff)
        ),
    };
    entry(
        "payback-months",
        "Payback",
        "upfront / (cloud per month − local cash cost per month), where cash cost = units × \
         (power or rent) + maintenance + operations, depreciation excluded; never when the \
         difference is not positive",
        substituted,
        result,
    )
}

fn break_even_volume(report: &Report, i: &Inputs) -> Working {
    let b = &report.break_even;
    let a = b.cloud_per_rpd_usd;
    let per_rpd = format!(
        "cloud per request/day = {} / {} = {} a month",
        usd(report.cloud.monthly_usd),
        plain(i.rpd),
        price(a)
    );
    let formula = "the smallest requests/day at which local per month ≤ cloud per month: local \
                   cost with the units that volume needs / cloud cost per month of one request a \
                   day (cloud grows in a line, local in steps of one replica)";
    if let Some(v) = b.volume_rpd {
        let tokens = b.volume_tokens_month.unwrap_or(0.0);
        return entry(
            "breakeven-rpd",
            "Break-even volume",
            formula,
            format!(
                "{per_rpd}; {} / {} = {} requests/day, which is {} × ({} + {}) × 30 = {} \
                 tokens/month",
                usd(b.volume_monthly_usd.unwrap_or_default()),
                price(a),
                number(v, 0),
                number(v, 0),
                plain(i.input_tokens),
                plain(i.output_tokens),
                number(tokens, 0)
            ),
            format!("{} requests/day", number(v, 0)),
        );
    }
    let served = b.replica_max_rpd;
    let (substituted, result) = match b.no_volume {
        Some(NoVolume::CloudFree) | None => (
            format!("{per_rpd}: cloud costs nothing per request"),
            "none: local never costs less than cloud".to_string(),
        ),
        Some(NoVolume::ReplicaNeverPays) => (
            format!(
                "{per_rpd}; one replica serves at most {} requests/day, saving at most {} × {} = \
                 {} a month against the {} it costs",
                number(served, 0),
                number(served, 0),
                price(a),
                usd(b.replica_saving_monthly_usd),
                usd(b.replica_monthly_usd)
            ),
            "none: local never costs less than cloud".to_string(),
        ),
        Some(NoVolume::BeyondSearch) => (
            format!(
                "{per_rpd}; local stays above cloud up to {} requests/day",
                number(MAX_RPD, 0)
            ),
            format!("none up to {} requests/day", number(MAX_RPD, 0)),
        ),
    };
    entry(
        "breakeven-rpd",
        "Break-even volume",
        formula,
        substituted,
        result,
    )
}

fn tco_savings(report: &Report, i: &Inputs) -> Working {
    let t = &report.tco;
    let years = f64::from(t.months) / 12.0;
    let growth = if i.growth != 0.0 {
        format!(
            "; volume grows {}% a month, from {} to {} requests/day",
            plain(i.growth * 100.0),
            plain(i.rpd),
            number(t.final_rpd, 0)
        )
    } else {
        String::new()
    };
    entry(
        "tco-savings",
        "Savings over the horizon",
        "Σ monthly cloud bills − Σ (hardware purchases + local running costs) over the horizon; \
         purchases include replacements at the end of life, upgrades and units added for growth; \
         savings % = savings / cloud total",
        format!(
            "{cloud} − ({purchases} + {running}) = {savings}, {pct}% of {cloud} over {months} \
             months{growth}",
            cloud = usd(t.cloud_usd),
            purchases = usd(t.local_purchases_usd),
            running = usd(t.local_running_usd),
            savings = usd(t.savings_usd),
            pct = number(t.savings_pct, 1),
            months = t.months,
        ),
        format!(
            "{} over {} {}",
            usd(t.savings_usd),
            plain(years),
            if years == 1.0 { "year" } else { "years" }
        ),
    )
}

fn recommendation(report: &Report) -> Working {
    let d = &report.decision;
    let side = |score: fn(&crate::engine::decision::CriterionScore) -> f64| {
        d.criteria
            .iter()
            .map(|c| format!("{} × {}", plain(c.weight), plain(score(c))))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let result = if d.margin == 0.0 {
        "cloud: a tie recommends cloud".to_string()
    } else {
        let side = match d.recommendation {
            Side::Local => "local",
            Side::Cloud => "cloud",
        };
        format!("{side}, by {}", points(d.margin))
    };
    entry(
        "recommendation",
        "Recommendation",
        "total = Σ weight × score for each side over cost, latency, quality, privacy, \
         scalability and simplicity; local only when its total is higher (a tie recommends \
         cloud); margin = |local − cloud|",
        format!(
            "local = {} = {local}; cloud = {} = {cloud}; margin = |{local} − {cloud}| = {margin}",
            side(|c| c.local),
            side(|c| c.cloud),
            local = plain(d.local_score),
            cloud = plain(d.cloud_score),
            margin = plain(d.margin),
        ),
        result,
    )
}

fn margin(report: &Report) -> Working {
    let d = &report.decision;
    entry(
        "decision-margin",
        "Margin",
        "margin = |local total − cloud total|, in weighted points",
        format!(
            "|{} − {}| = {}",
            plain(d.local_score),
            plain(d.cloud_score),
            plain(d.margin)
        ),
        points(d.margin),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate;
    use crate::scenario::Criterion;

    /// Evaluates `scenario` and compares one figure's substituted formula and result.
    fn check(scenario: Scenario, figure: &str, substituted: &str, result: &str) {
        let report = evaluate(&scenario);
        let all = working(&report, &scenario);
        let w = all
            .iter()
            .find(|w| w.figure == figure)
            .unwrap_or_else(|| panic!("no working for {figure}"));
        assert_eq!(
            (w.substituted.as_str(), w.result.as_str()),
            (substituted, result),
            "{figure}"
        );
    }

    fn with(f: impl FnOnce(&mut Scenario)) -> Scenario {
        let mut s = Scenario::default();
        f(&mut s);
        s
    }

    #[test]
    fn margin_of_the_trading_priorities() {
        // local 45 + 9 + 10 = 64, cloud 48 + 6 + 5 = 59
        let s = with(|s| s.priorities = vec![Criterion::Latency, Criterion::Privacy]);
        let w = working(&evaluate(&s), &s);
        let m = w
            .iter()
            .find(|w| w.figure == "decision-margin")
            .expect("margin entry");
        assert_eq!(
            (m.substituted.as_str(), m.result.as_str()),
            ("|64 − 59| = 5", "5.0 points")
        );
    }

    #[test]
    fn every_headline_figure_in_page_order() {
        let s = Scenario::default();
        let ids: Vec<&str> = working(&evaluate(&s), &s)
            .iter()
            .map(|w| w.figure)
            .collect();
        assert_eq!(
            ids,
            [
                "cloud-monthly",
                "local-monthly",
                "local-units",
                "memory",
                "serving",
                "payback-months",
                "breakeven-rpd",
                "tco-savings",
                "recommendation",
                "decision-margin"
            ]
        );
    }

    #[test]
    fn monthly_figures_say_a_month_is_30_days() {
        let s = Scenario::default();
        for w in working(&evaluate(&s), &s) {
            if w.figure.ends_with("-monthly") {
                assert!(w.formula.contains("a month is 30 days"), "{}", w.formula);
            }
        }
    }

    // in_tok = 5000 * 800 * 30 = 120,000,000 at $0.15; out_tok = 5000 * 400 * 30 = 60,000,000
    // at $0.60: 18 + 36 = $54.00.
    #[test]
    fn default_cloud() {
        check(
            Scenario::default(),
            "cloud-monthly",
            "in_tok = 5,000 × 800 × 30 = 120,000,000; out_tok = 5,000 × 400 × 30 = 60,000,000; (120,000,000 × 1 × $0.15 + 0 + 60,000,000 × $0.60) / 1,000,000 = $54.00",
            "$54.00/month",
        );
    }

    // A quarter cached at $0.075: 90,000,000 × 0.15 + 30,000,000 × 0.075 + 36 = 13.5 + 2.25 + 36.
    #[test]
    fn cached_input() {
        check(
            with(|s| s.cached_pct = 25.0),
            "cloud-monthly",
            "in_tok = 5,000 × 800 × 30 = 120,000,000; out_tok = 5,000 × 400 × 30 = 60,000,000; (120,000,000 × 0.75 × $0.15 + 120,000,000 × 0.25 × $0.075 + 60,000,000 × $0.60) / 1,000,000 = $51.75",
            "$51.75/month",
        );
    }

    #[test]
    fn known_bill() {
        check(
            with(|s| s.cloud_bill = Some(1200.0)),
            "cloud-monthly",
            "known bill: $1,200.00/month (token prices would give (120,000,000 × 1 × $0.15 + 0 + 60,000,000 × $0.60) / 1,000,000 = $54.00)",
            "$1,200.00/month",
        );
    }

    // Payback against a $1,200 bill: 1600 / (1200 - 12.96) = 1600 / 1187.04 = 1.35 months.
    #[test]
    fn known_bill_payback() {
        check(
            with(|s| s.cloud_bill = Some(1200.0)),
            "payback-months",
            "$1,600.00 / ($1,200.00 − $12.96) = $1,600.00 / $1,187.04 = 1.3 months",
            "1.3 months",
        );
    }

    // $0.24 a month per request/day (1200 / 5000); 57.4044 / 0.24 = 239.19 requests/day;
    // tokens: 239.185 * 1200 * 30 = 8,610,667.
    #[test]
    fn known_bill_break_even() {
        check(
            with(|s| s.cloud_bill = Some(1200.0)),
            "breakeven-rpd",
            "cloud per request/day = $1,200.00 / 5,000 = $0.24 a month; $57.40 / $0.24 = 239 requests/day, which is 239 × (800 + 400) × 30 = 8,610,667 tokens/month",
            "239 requests/day",
        );
    }

    // depreciation 1600 / 36 = 44.44; power 450 * 8 * 30 / 1000 * 0.12 = 12.96.
    #[test]
    fn default_local() {
        check(
            Scenario::default(),
            "local-monthly",
            "1 × ($1,600.00 / (3 × 12) + 450 W × 8 h × 30 / 1000 × $0.12/kWh) + $0.00 + $0.00 = 1 × ($44.44 + $12.96) + $0.00 + $0.00 = $57.40",
            "$57.40/month",
        );
    }

    // Rented: 1 × 0.34 × 8 × 30 = $81.60.
    #[test]
    fn rented_local() {
        check(
            with(|s| s.mode = Some(Mode::Rent)),
            "local-monthly",
            "1 × $0.34/hour × 8 h × 30 + $0.00 + $0.00 = $81.60",
            "$81.60/month",
        );
    }

    // Rented, cash cost $81.60 against $54.00: never pays back.
    #[test]
    fn rented_never_pays_back() {
        check(
            with(|s| s.mode = Some(Mode::Rent)),
            "payback-months",
            "$54.00 − $81.60 = -$27.60: not positive",
            NEVER,
        );
    }

    // 81.6 / 0.0108 = 7,555.6 requests/day; * 1200 * 30 = 272,000,000 tokens/month.
    #[test]
    fn rented_break_even() {
        check(
            with(|s| s.mode = Some(Mode::Rent)),
            "breakeven-rpd",
            "cloud per request/day = $54.00 / 5,000 = $0.0108 a month; $81.60 / $0.0108 = 7,556 requests/day, which is 7,556 × (800 + 400) × 30 = 272,000,000 tokens/month",
            "7,556 requests/day",
        );
    }

    // TCO rented: cloud 36 × 54 = 1944; local 36 × 81.6 = 2937.60; savings -993.60 = -51.1%.
    #[test]
    fn rented_tco() {
        check(
            with(|s| s.mode = Some(Mode::Rent)),
            "tco-savings",
            "$1,944.00 − ($0.00 + $2,937.60) = -$993.60, -51.1% of $1,944.00 over 36 months",
            "-$993.60 over 3 years",
        );
    }

    // decode 0.65 × 1008 / (8.03 × 4.85 / 8 = 4.868) = 134.6 tok/s; prefill
    // 0.5 × 165.2e12 / (2 × 8.03e9) = 5,143.2 tok/s; service 800 / 5143.2 + 400 / 134.6 =
    // 0.156 + 2.972 = 3.13 s; average 5000 / 28,800 × 3.128 = 0.54.
    #[test]
    fn default_units() {
        check(
            Scenario::default(),
            "local-units",
            "service = 1 × 800 / 7,732.6 + 400 × 7.76 ms = 3.21 s; average = 5,000 / (8 × 3600) × 3.21 s = 0.56; streams = max(1, ceil(0.56)) = 1; replicas = ceil(1 / 1) = 1; units = 1 × 1 = 1; decode 128.9 tok/s estimated as 1 / ((4.55 GB of weights ÷ 0.99 + 0.131 GB of cache) / (0.978 × 1,008 GB/s) + 2.96 ms), range 102.6–141.5 tok/s over the measured rows of its memory class, each estimated without itself; prefill 7,732.6 tok/s estimated as 0.384 × 0.862 × 330.3 TFLOPS / (2 × 6.98 B parameters per prompt token + attention)",
            "1 unit, bound by the average load, 56% utilized",
        );
    }

    // Measured speeds, two streams per replica: a round prefills both prompts (2 × 800 / 1000 =
    // 1.6 s), then decodes 400 steps of two streams; the curve is scaled so one stream steps in
    // 20 ms (1 / 50 tok/s), and two read one more KV cache, 20.33 ms: service 1.6 + 8.13 =
    // 9.73 s; average 5000 / 28,800 × 9.73 = 1.69; peak 4 needs 4 streams: 2 units; 1.69 / 4.
    #[test]
    fn measured_speeds_and_peak() {
        check(
            with(|s| {
                s.decode_tps = Some(50.0);
                s.prefill_tps = Some(1000.0);
                s.peak_concurrency = 4;
                s.slots = Some(2);
            }),
            "local-units",
            "service = 2 × 800 / 1,000.0 + 400 × 20.34 ms = 9.74 s; average = 5,000 / (8 × 3600) × 9.74 s = 1.69; streams = max(4, ceil(1.69)) = 4; replicas = ceil(4 / 2) = 2; units = 2 × 1 = 2; decode 50.0 tok/s measured; prefill 1,000.0 tok/s measured",
            "2 units, bound by peak concurrency, 42% utilized",
        );
    }

    // Two fixed units hold two replicas: utilization 0.543 / 2 = 27%.
    #[test]
    fn fixed_units() {
        check(
            with(|s| {
                s.fixed_units = Some(2);
                s.decode_tps = Some(100.0);
                s.prefill_tps = Some(5000.0);
            }),
            "local-units",
            "service = 1 × 800 / 5,000.0 + 400 × 10.00 ms = 4.16 s; average = 5,000 / (8 × 3600) × 4.16 s = 0.72; replicas = floor(2 / 1) = 2; utilization = 0.72 / (2 × 1) = 36%; decode 100.0 tok/s measured; prefill 5,000.0 tok/s measured",
            "2 units, fixed by you, 36% utilized",
        );
    }

    // Measured 50 tok/s and 1,000 tok/s, one slot: step 20 ms, prefill 0.8 s, service 0.8 +
    // 400 × 0.02 = 8.8 s; 5,000 requests over 8 hours arrive at λ = 0.173611/s, a = 1.527778
    // erlangs, so 2 streams on 2 replicas. Erlang B: B(1) = a / (1 + a) = 0.604396, B(2) =
    // a·B(1) / (2 + a·B(1)) = 0.315861; C = 2·B(2) / (2 − a·(1 − B(2))) = 0.661636; p95 wait =
    // ln(0.661636 / 0.05) / (2 / 8.8 − 0.173611) = 48.129 s; TTFT 0.8 + 48.129 s.
    #[test]
    fn serving_and_queueing() {
        let s = with(|s| {
            s.decode_tps = Some(50.0);
            s.prefill_tps = Some(1000.0);
            s.slots = Some(1);
        });
        let report = evaluate(&s);
        let all = working(&report, &s);
        let w = all.iter().find(|w| w.figure == "serving").expect("serving");
        assert_eq!(
            w.result,
            "1 stream per replica at 45.5 tok/s, 20.00 ms per output token, p95 time to first \
             token 48,929 ms"
        );
        let queue = "per stream 1 / 20.00 ms = 50.0 tok/s; aggregate = 1 × 400 / (1 × 800.00 ms \
             + 400 × 20.00 ms) = 45.5 tok/s; time per output token = (1 − 1) × 800.00 ms / 400 + \
             20.00 ms = 20.00 ms; λ = 5,000 / (8 × 3600) = 0.1736 requests/s; c = 2 × 1 = 2 \
             streams; a = λ × 8.80 s = 1.528 erlangs; P(wait) = 66.2%; p95 wait = 48,129.2 ms; \
             p95 time to first token = 800.0 + 48,129.2 = 48,929.2 ms";
        assert!(w.substituted.ends_with(queue), "{}", w.substituted);
        assert!(
            w.substituted
                .starts_with("B = 1: the engine's 1 parallel slot (Ollama / llama.cpp server, set in the scenario)"),
            "{}",
            w.substituted
        );
    }

    // weights 8.03 × 4.85 / 8 = 4.868 GB; KV 2 × 32 × 8 × 128 × 4096 × 2 / 1e9 = 0.537 GB;
    // total 4.868 + 0.537 + 1 = 6.405 GB.
    #[test]
    fn default_memory() {
        check(
            Scenario::default(),
            "memory",
            "weights = 8.03 B × 4.85 / 8 = 4.87 GB; KV cache = 2 × 32 × 8 × 128 × 4,096 × 2 B × 1 / 10^9 = 0.54 GB; total = 4.87 + 0.54 + 1.00 GB overhead = 6.41 GB; ceil(6.41 / 25.77) = 1",
            "6.41 GB of 25.77 GB per unit: fits one unit",
        );
    }

    // 70.6 B at f16 = 141.2 GB; KV 2 × 80 × 8 × 128 × 4096 × 2 / 1e9 = 1.342 GB; total
    // 143.54 GB on 24 GB cards: ceil(5.98) = 6 units.
    #[test]
    fn memory_over_several_units() {
        check(
            with(|s| {
                s.local_model = "llama3.1:70b".into();
                s.quant = crate::scenario::Quant::F16;
            }),
            "memory",
            "weights = 70.55 B × 16 / 8 = 141.10 GB; KV cache = 2 × 80 × 8 × 128 × 4,096 × 2 B × 1 / 10^9 = 1.34 GB; total = 141.10 + 1.34 + 1.00 GB overhead = 143.44 GB; ceil(143.44 / 25.77) = 6",
            "143.44 GB of 25.77 GB per unit: 6 units per replica",
        );
    }

    // 1600 / (54 - 12.96) = 1600 / 41.04 = 38.99 months.
    #[test]
    fn default_payback() {
        check(
            Scenario::default(),
            "payback-months",
            "$1,600.00 / ($54.00 − $12.96) = $1,600.00 / $41.04 = 39.0 months",
            "39.0 months",
        );
    }

    // 100 requests/day: cloud (2.4M × 0.15 + 1.2M × 0.60) / 1e6 = 0.36 + 0.72 = $1.08 against
    // $12.96 of power.
    #[test]
    fn low_volume_never_pays_back() {
        check(
            with(|s| s.requests_per_day = 100.0),
            "payback-months",
            "$1.08 − $12.96 = -$11.88: not positive",
            NEVER,
        );
    }

    // Volume doubles monthly on one fixed unit: cloud 54, 108, 216, 432, 864; local $1,600 up
    // front plus 12.96 a month. After four months local 1651.84, cloud 810; in the fifth the
    // gap of 841.84 closes at 864 - 12.96 = 851.04 a month: 4 + 841.84 / 851.04 = 4.99.
    #[test]
    fn simulated_payback_with_growth() {
        check(
            with(|s| {
                s.growth_pct = 100.0;
                s.fixed_units = Some(1);
            }),
            "payback-months",
            "$1,600.00 upfront; at first cloud $54.00/month against local running $12.96/month, volume × 2 each month (growth 100% a month); cumulative local falls to cumulative cloud during month 5",
            "5.0 months",
        );
    }

    // a = 54 / 5000 = 0.0108; L = 1600 / 36 + 12.96 = 57.4044; 57.4044 / 0.0108 = 5,315.2;
    // tokens 5315.23 × 1200 × 30 = 191,348,148.
    #[test]
    fn default_break_even() {
        check(
            Scenario::default(),
            "breakeven-rpd",
            "cloud per request/day = $54.00 / 5,000 = $0.0108 a month; $57.40 / $0.0108 = 5,315 requests/day, which is 5,315 × (800 + 400) × 30 = 191,348,148 tokens/month",
            "5,315 requests/day",
        );
    }

    // At $0.001 per 1M both ways a request a day costs (24,000 + 12,000) × 0.001 / 1e6 =
    // $0.000036 a month; a replica serves 28,800 / 3.1276 = 9,208 requests/day, worth $0.33.
    #[test]
    fn no_break_even_volume() {
        check(
            with(|s| {
                s.cloud_input_price = Some(0.001);
                s.cloud_output_price = Some(0.001);
            }),
            "breakeven-rpd",
            "cloud per request/day = $0.18 / 5,000 = $0.000036 a month; one replica serves at most 8,983 requests/day, saving at most 8,983 × $0.000036 = $0.32 a month against the $57.40 it costs",
            "none: local never costs less than cloud",
        );
    }

    // Cloud 36 × 54 = 1,944; local 1,600 + 36 × 12.96 = 1,600 + 466.56; savings -122.56,
    // -6.3% of cloud.
    #[test]
    fn default_tco() {
        check(
            Scenario::default(),
            "tco-savings",
            "$1,944.00 − ($1,600.00 + $466.56) = -$122.56, -6.3% of $1,944.00 over 36 months",
            "-$122.56 over 3 years",
        );
    }

    #[test]
    fn default_recommendation() {
        check(
            Scenario::default(),
            "recommendation",
            "local = 1 × 8 + 1 × 9 + 1 × 7 + 1 × 10 + 1 × 5 + 1 × 6 = 45; cloud = 1 × 8 + 1 × 6 + 1 × 10 + 1 × 5 + 1 × 10 + 1 × 9 = 48; margin = |45 − 48| = 3",
            "cloud, by 3.0 points",
        );
    }

    // Privacy and latency doubled: local 45 + 10 + 9 = 64, cloud 48 + 5 + 6 = 59.
    #[test]
    fn priorities_recommend_local() {
        use crate::scenario::Criterion::{Latency, Privacy};
        check(
            with(|s| s.priorities = vec![Latency, Privacy]),
            "recommendation",
            "local = 1 × 8 + 2 × 9 + 1 × 7 + 2 × 10 + 1 × 5 + 1 × 6 = 64; cloud = 1 × 8 + 2 × 6 + 1 × 10 + 2 × 5 + 1 × 10 + 1 × 9 = 59; margin = |64 − 59| = 5",
            "local, by 5.0 points",
        );
    }

    #[test]
    fn prices_keep_their_significant_digits() {
        assert_eq!(price(0.075), "$0.075");
        assert_eq!(price(0.6), "$0.60");
        assert_eq!(price(0.000036), "$0.000036");
        assert_eq!(plain(8.03), "8.03");
        assert_eq!(plain(5000.0), "5,000");
        assert_eq!(plain(0.25), "0.25");
    }
}
