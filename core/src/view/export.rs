//! Exports of a scenario and its report: the Markdown comparison report, the volume sweep as
//! CSV and the whole scenario and report as JSON.
//!
//! None of them carries a secret: they take no key, and a [`Scenario`] has no field for one.
//! Keep it that way.

use crate::engine::decision::Side;
use crate::engine::inputs::Inputs;
use crate::engine::report::Report;
use crate::scenario::{Mode, Scenario};
use crate::view::format::{count, months, number, plain, points, price, usd};
use serde::Serialize;
use std::fmt::Write;

/// Rows of the sensitivity table in the Markdown report.
pub const SENSITIVITY_ROWS: usize = 5;

/// Header of [`sweep_csv`].
pub const SWEEP_CSV_HEADER: &str =
    "requests_per_day,cloud_usd_per_month,local_usd_per_month,local_units";

/// The comparison report in Markdown: scenario, costs, capacity and memory, break-even, TCO,
/// decision with the guide's reasons, hybrid mixes, sensitivity and warnings, every number
/// with its unit. `link` is the scenario's address, written as given.
pub fn markdown(scenario: &Scenario, report: &Report, link: &str) -> String {
    let (inputs, _) = Inputs::resolve(scenario);
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_markdown(&mut out, scenario, report, &inputs, link);
    out
}

fn write_markdown(
    out: &mut String,
    scenario: &Scenario,
    report: &Report,
    i: &Inputs,
    link: &str,
) -> std::fmt::Result {
    writeln!(out, "# Crossover comparison report: local or cloud LLM")?;
    writeln!(out)?;
    if !link.trim().is_empty() {
        writeln!(out, "Scenario link: {}", link_text(link.trim()))?;
        writeln!(out)?;
    }
    writeln!(
        out,
        "Amounts are US dollars. A month is 30 days and a year 12 months. Token prices are per \
         1,000,000 tokens. GB are 10^9 bytes."
    )?;
    writeln!(out)?;
    scenario_section(out, scenario, report, i)?;
    costs_section(out, report)?;
    capacity_section(out, report, i)?;
    break_even_section(out, report)?;
    tco_section(out, report)?;
    decision_section(out, report)?;
    hybrid_section(out, report)?;
    sensitivity_section(out, report)?;
    warnings_section(out, report)
}

/// A link as Markdown: an autolink when it is a plain address, code otherwise.
fn link_text(link: &str) -> String {
    if link.chars().any(|c| c.is_whitespace() || "<>`".contains(c)) {
        format!("`{}`", link.replace('`', "'"))
    } else {
        format!("<{link}>")
    }
}

/// Escapes a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn scenario_section(
    out: &mut String,
    scenario: &Scenario,
    report: &Report,
    i: &Inputs,
) -> std::fmt::Result {
    let cm = report.cloud_model;
    let hw = report.hardware;
    let lm = report.local_model;
    writeln!(out, "## Scenario")?;
    writeln!(out)?;
    writeln!(out, "| | |")?;
    writeln!(out, "|---|---|")?;
    writeln!(
        out,
        "| Workload | {} requests/day, {} input + {} output tokens per request, over {} active \
         hours/day; peak {} concurrent; growth {}% a month |",
        plain(i.rpd),
        plain(i.input_tokens),
        plain(i.output_tokens),
        plain(i.hours),
        i.peak,
        plain(i.growth * 100.0)
    )?;
    let overridden = scenario.cloud_input_price.is_some()
        || scenario.cloud_output_price.is_some()
        || scenario.cloud_cached_price.is_some();
    let source = if overridden {
        format!(
            "prices set in the scenario (catalog as of {}: {})",
            cm.as_of, cm.source
        )
    } else {
        format!("catalog prices as of {}: {}", cm.as_of, cm.source)
    };
    writeln!(
        out,
        "| Cloud model | {} ({}, `{}`): {} input, {} output, {} cached input per 1M tokens; {} |",
        cell(cm.name),
        cell(cm.provider),
        cm.id,
        price(i.prices.input),
        price(i.prices.output),
        price(i.prices.cached),
        cell(&source)
    )?;
    writeln!(
        out,
        "| Cached share of input | {}% |",
        plain(i.cache_share * 100.0)
    )?;
    if let Some(bill) = i.bill {
        writeln!(
            out,
            "| Known cloud bill | {}/month, replacing the token estimate and scaling with volume |",
            usd(bill)
        )?;
    }
    let mode = match i.mode {
        Mode::Own => format!(
            "owned: {} per unit{}, {} W, {}-year life, electricity {}/kWh",
            usd(i.unit.price),
            if hw.price_quoted && hw.price_usd == Some(i.unit.price) {
                " (a typical quote: no list price is published)"
            } else {
                ""
            },
            plain(i.unit.watts),
            plain(i.unit.life_years),
            price(i.kwh)
        ),
        Mode::Rent => format!("rented at {}/hour per unit", price(i.unit.rent_per_hour)),
    };
    writeln!(
        out,
        "| Hardware | {}, {} GiB, {} GB/s; {}; prices as of {}: {} |",
        cell(hw.name),
        plain(hw.memory_gb),
        plain(hw.bandwidth_gbps),
        mode,
        hw.as_of,
        cell(hw.source)
    )?;
    if let Some(units) = i.fixed_units {
        writeln!(out, "| Units | fixed at {units} |")?;
    }
    writeln!(
        out,
        "| Local model | {} (`{}`) at {}, KV cache {}, {}-token context per stream, {} {} per replica on {} |",
        cell(lm.name),
        lm.id,
        i.quant.as_str(),
        i.kv_quant.as_str(),
        number(f64::from(i.ctx), 0),
        report.capacity.streams_per_replica,
        if report.capacity.streams_per_replica == 1 { "stream" } else { "streams" },
        i.engine.label()
    )?;
    if i.slo_ttft_ms.is_some() || i.slo_tpot_ms.is_some() {
        let target =
            |v: Option<f64>| v.map_or("none".to_string(), |ms| format!("{} ms", plain(ms)));
        writeln!(
            out,
            "| Latency targets | p95 time to first token {}, time per output token {} |",
            target(i.slo_ttft_ms),
            target(i.slo_tpot_ms)
        )?;
    }
    if !i.measured_aggregate.is_empty() {
        let points: Vec<String> = i
            .measured_aggregate
            .iter()
            .map(|p| format!("{} output tok/s at {}", plain(p.tps), p.concurrency))
            .collect();
        writeln!(
            out,
            "| Measured throughput | {} requests in flight (`agg`), which the batching curve is \
             scaled to pass through |",
            points.join(", ")
        )?;
    }
    writeln!(
        out,
        "| Maintenance, operations | {}/month, {}/month |",
        usd(i.maint),
        usd(i.ops)
    )?;
    if !i.upgrades.is_empty() {
        let list: Vec<String> = i
            .upgrades
            .iter()
            .map(|u| format!("{} in year {}", usd(u.amount_usd), u.year))
            .collect();
        writeln!(out, "| Upgrades | {} |", list.join(", "))?;
    }
    writeln!(
        out,
        "| Horizon | {} months ({} years) |",
        report.tco.months,
        plain(f64::from(report.tco.months) / 12.0)
    )?;
    writeln!(out)
}

fn costs_section(out: &mut String, report: &Report) -> std::fmt::Result {
    let c = &report.cloud;
    let l = &report.local;
    writeln!(out, "## Costs")?;
    writeln!(out)?;
    writeln!(
        out,
        "A month is 30 days; per 1,000 requests = monthly / (requests/day × 30) × 1,000."
    )?;
    writeln!(out)?;
    writeln!(out, "| | per month | per year | per 1,000 requests |")?;
    writeln!(out, "|---|---:|---:|---:|")?;
    let cloud_label = if c.from_bill {
        "Cloud (known bill)".to_string()
    } else {
        format!("Cloud ({})", cell(report.cloud_model.name))
    };
    let row = |label: &str, monthly: f64, yearly: f64, per_1k: f64| {
        format!(
            "| {label} | {}/month | {}/year | {} |",
            usd(monthly),
            usd(yearly),
            price_per_1k(per_1k)
        )
    };
    writeln!(
        out,
        "{}",
        row(
            &cloud_label,
            c.monthly_usd,
            c.yearly_usd,
            c.per_1k_requests_usd
        )
    )?;
    let local_label = |mode: Mode, units: u32, this: bool| {
        format!(
            "Local, {} ({} × {}){}",
            match mode {
                Mode::Own => "owned",
                Mode::Rent => "rented",
            },
            units,
            cell(report.hardware.name),
            if this { ", this scenario" } else { "" }
        )
    };
    writeln!(
        out,
        "{}",
        row(
            &local_label(l.mode, l.units, true),
            l.monthly_usd,
            l.yearly_usd,
            l.per_1k_requests_usd
        )
    )?;
    let other = match l.mode {
        Mode::Own => report.rented.as_ref(),
        Mode::Rent => report.owned.as_ref(),
    };
    if let Some(o) = other {
        writeln!(
            out,
            "{}",
            row(
                &local_label(o.mode, o.units, false),
                o.monthly_usd,
                o.yearly_usd,
                o.per_1k_requests_usd
            )
        )?;
    }
    writeln!(out)?;
    match l.mode {
        Mode::Own => writeln!(
            out,
            "Local parts: depreciation {}/month, power {}/month, maintenance {}/month, \
             operations {}/month; cash cost (no depreciation) {}/month; upfront {}.",
            usd(l.depreciation_monthly_usd),
            usd(l.power_monthly_usd),
            usd(l.maintenance_monthly_usd),
            usd(l.operations_monthly_usd),
            usd(l.opex_monthly_usd),
            usd(l.upfront_usd)
        )?,
        Mode::Rent => writeln!(
            out,
            "Local parts: rent {}/month, maintenance {}/month, operations {}/month; nothing \
             upfront.",
            usd(l.rent_monthly_usd),
            usd(l.maintenance_monthly_usd),
            usd(l.operations_monthly_usd)
        )?,
    }
    writeln!(out)
}

/// Cost per 1,000 requests: cents, or more digits below a cent.
fn price_per_1k(value: f64) -> String {
    if value.abs() < 0.01 && value != 0.0 {
        format!("${}", number(value, 4))
    } else {
        usd(value)
    }
}

fn capacity_section(out: &mut String, report: &Report, i: &Inputs) -> std::fmt::Result {
    let c = &report.capacity;
    let s = &report.speed;
    let m = &report.memory;
    writeln!(out, "## Capacity and memory")?;
    writeln!(out)?;
    let bound = c.bound.describe();
    writeln!(
        out,
        "- Units: {} ({} {} of {} {} each, {} {} per replica), {bound}",
        c.units,
        c.replicas,
        if c.replicas == 1 {
            "replica"
        } else {
            "replicas"
        },
        c.units_per_replica,
        if c.units_per_replica == 1 {
            "unit"
        } else {
            "units"
        },
        c.slots_per_replica,
        if c.slots_per_replica == 1 {
            "stream"
        } else {
            "streams"
        },
    )?;
    let utilization = c
        .utilization
        .map_or("none (no replica fits)".to_string(), |u| {
            format!("{}%", number(u * 100.0, 0))
        });
    writeln!(
        out,
        "- Utilization: {utilization}; average concurrency {} streams (Little's law), a request \
         holds a stream {} s",
        number(c.avg_concurrency, 2),
        number(c.service_s, 2)
    )?;
    writeln!(
        out,
        "- Serving: {} per replica on {}, set by {}; {} output tok/s per replica with every \
         stream busy, {} ms per output token; p95 time to first token {}",
        count(c.streams_per_replica as usize, "stream"),
        c.engine.label(),
        c.streams_limit.describe(),
        number(c.aggregate_tps, 1),
        number(c.tpot_ms, 2),
        c.p95_ttft_ms
            .map_or("unbounded (the streams cannot keep up)".to_string(), |ms| {
                format!("{} ms (prefill plus the Erlang C wait)", number(ms, 0))
            })
    )?;
    let source = |measured: bool| if measured { "measured" } else { "estimated" };
    writeln!(
        out,
        "- Speed per stream: decode {} tok/s ({}), prefill {} tok/s ({})",
        number(s.decode_tps, 1),
        source(s.decode_source == crate::engine::capacity::Source::Measured),
        number(s.prefill_tps, 1),
        source(s.prefill_source == crate::engine::capacity::Source::Measured)
    )?;
    writeln!(
        out,
        "- Memory per replica: {} GB (weights {} GB + KV cache {} GB + overhead {} GB) against \
         {} GB per unit: {}",
        number(m.total_gb, 2),
        number(m.weights_gb, 2),
        number(m.kv_gb, 2),
        number(m.overhead_gb, 2),
        plain(m.unit_memory_gb),
        if m.units_per_replica == 1 {
            "fits one unit".to_string()
        } else {
            format!("takes {} units", m.units_per_replica)
        }
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Which hardware holds {} ({} context, {} {}):",
        cell(report.local_model.name),
        number(f64::from(i.ctx), 0),
        c.streams_per_replica,
        if c.streams_per_replica == 1 {
            "stream"
        } else {
            "streams"
        }
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| hardware | memory | units at {} | most precise quantization in one unit |",
        i.quant.as_str()
    )?;
    writeln!(out, "|---|---:|---:|---|")?;
    for f in &report.hardware_fit {
        writeln!(
            out,
            "| {} | {} GB | {} | {} |",
            cell(f.name),
            plain(f.memory_gb),
            f.units_at_quant,
            f.best_quant_in_one_unit.map_or("none", |q| q.as_str())
        )?;
    }
    writeln!(out)
}

fn break_even_section(out: &mut String, report: &Report) -> std::fmt::Result {
    let b = &report.break_even;
    let l = &report.local;
    writeln!(out, "## Break-even")?;
    writeln!(out)?;
    let payback = match b.payback_months {
        Some(m) => format!(
            "{} ({} upfront against cloud {}/month and local cash cost {}/month{})",
            months(Some(m)),
            usd(l.upfront_usd),
            usd(report.cloud.monthly_usd),
            usd(l.opex_monthly_usd),
            if b.payback_simulated {
                ", simulated month by month with growth"
            } else {
                ""
            }
        ),
        None => crate::view::working::NEVER.to_string(),
    };
    writeln!(out, "- Payback: {payback}")?;
    match (b.volume_rpd, b.volume_tokens_month) {
        (Some(v), tokens) => writeln!(
            out,
            "- Break-even volume: {} requests/day ({} tokens/month)",
            number(v, 0),
            number(tokens.unwrap_or(0.0), 0)
        )?,
        (None, _) => writeln!(
            out,
            "- Break-even volume: none; local costs more than cloud at every volume searched"
        )?,
    }
    writeln!(
        out,
        "- Requests until payback: {}",
        b.requests_to_payback
            .map_or("never".to_string(), |r| number(r, 0))
    )?;
    writeln!(
        out,
        "- Monthly savings with local at this volume: {}/month",
        usd(b.monthly_savings_usd)
    )?;
    writeln!(out)
}

fn tco_section(out: &mut String, report: &Report) -> std::fmt::Result {
    let t = &report.tco;
    let years = plain(f64::from(t.months) / 12.0);
    writeln!(out, "## Total cost of ownership over {years} years")?;
    writeln!(out)?;
    writeln!(out, "| | total over {} months |", t.months)?;
    writeln!(out, "|---|---:|")?;
    writeln!(out, "| Cloud | {} |", usd(t.cloud_usd))?;
    writeln!(
        out,
        "| Local | {} (hardware {}, running {}) |",
        usd(t.local_usd),
        usd(t.local_purchases_usd),
        usd(t.local_usd - t.local_purchases_usd)
    )?;
    writeln!(
        out,
        "| Savings with local | {} ({}% of cloud) |",
        usd(t.savings_usd),
        number(t.savings_pct, 1)
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Most units in service at once: {}; volume in the last month: {} requests/day.",
        t.max_units,
        number(t.final_rpd, 0)
    )?;
    writeln!(out)
}

fn side(s: Side) -> &'static str {
    s.as_str()
}

fn decision_section(out: &mut String, report: &Report) -> std::fmt::Result {
    let d = &report.decision;
    writeln!(out, "## Decision")?;
    writeln!(out)?;
    writeln!(
        out,
        "| criterion | weight | local (1-10) | cloud (1-10) | why |"
    )?;
    writeln!(out, "|---|---:|---:|---:|---|")?;
    for c in &d.criteria {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            c.criterion.as_str(),
            plain(c.weight),
            plain(c.local),
            plain(c.cloud),
            cell(&c.note)
        )?;
    }
    writeln!(
        out,
        "| **weighted total** | | **{}** | **{}** | |",
        plain(d.local_score),
        plain(d.cloud_score)
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Recommendation: **{}**, by a margin of {} (local only when its total is higher; a tie \
         recommends cloud).",
        side(d.recommendation),
        points(d.margin)
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Rule-based guide: **{}**, because",
        side(report.guide.recommendation)
    )?;
    writeln!(out)?;
    for reason in &report.guide.reasons {
        writeln!(out, "- {reason}")?;
    }
    writeln!(out)
}

fn hybrid_section(out: &mut String, report: &Report) -> std::fmt::Result {
    let h = &report.hybrid;
    writeln!(out, "## Hybrid")?;
    writeln!(out)?;
    writeln!(
        out,
        "| local share | escalated to cloud | local units | local | cloud | total |"
    )?;
    writeln!(out, "|---:|---:|---:|---:|---:|---:|")?;
    for (k, m) in h.ladder.iter().enumerate() {
        writeln!(
            out,
            "| {}% | {}% | {} | {}/month | {}/month | {}/month{} |",
            plain(m.local_pct),
            plain(m.escalation_pct),
            m.units,
            usd(m.local_monthly_usd),
            usd(m.cloud_monthly_usd),
            usd(m.monthly_usd),
            if k == h.cheapest { " (cheapest)" } else { "" }
        )?;
    }
    writeln!(out)?;
    let c = &h.chosen;
    writeln!(
        out,
        "This scenario's mix: {}% local, {}% of it escalated: {}/month.",
        plain(c.local_pct),
        plain(c.escalation_pct),
        usd(c.monthly_usd)
    )?;
    writeln!(out)
}

fn sensitivity_section(out: &mut String, report: &Report) -> std::fmt::Result {
    let s = &report.sensitivity;
    writeln!(out, "## Sensitivity")?;
    writeln!(out)?;
    writeln!(
        out,
        "Each input moved 25% down and up (counts in whole steps, within the link's limits); \
         monthly savings = cloud − local. Largest swing first (top {SENSITIVITY_ROWS})."
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| input | low → high | savings at low | savings at high | payback at low | payback at high |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|")?;
    for r in s.rows.iter().take(SENSITIVITY_ROWS) {
        writeln!(
            out,
            "| {} (`{}`) | {} → {} | {}/month | {}/month | {} | {} |",
            r.label,
            r.key,
            r.low.shown(r.key),
            r.high.shown(r.key),
            usd(r.savings_low_usd),
            usd(r.savings_high_usd),
            months(r.payback_low_months),
            months(r.payback_high_months)
        )?;
    }
    writeln!(out)
}

fn warnings_section(out: &mut String, report: &Report) -> std::fmt::Result {
    writeln!(out, "## Warnings")?;
    writeln!(out)?;
    if report.warnings.is_empty() {
        writeln!(out, "None.")?;
    }
    for w in &report.warnings {
        writeln!(out, "- {w}")?;
    }
    Ok(())
}

/// The volume sweep as CSV: [`SWEEP_CSV_HEADER`], then one row per sweep point with plain
/// numbers (dot decimal, no thousands separators, at most four decimals; an empty field for
/// a value that is not finite).
pub fn sweep_csv(report: &Report) -> String {
    let mut out = String::from(SWEEP_CSV_HEADER);
    out.push('\n');
    for p in &report.sweep {
        out.push_str(&csv_number(p.rpd));
        out.push(',');
        out.push_str(&csv_number(p.cloud_usd));
        out.push(',');
        out.push_str(&csv_number(p.local_usd));
        out.push(',');
        out.push_str(&p.units.to_string());
        out.push('\n');
    }
    out
}

/// A number for CSV: four decimals at most, trailing zeros dropped, empty when not finite.
fn csv_number(value: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// What [`json`] writes: the link, the scenario and its report.
#[derive(Serialize)]
pub struct Export<'a> {
    /// The scenario's link.
    pub link: &'a str,
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Its report.
    pub report: &'a Report,
}

/// The scenario and its report as pretty-printed JSON: `{"link", "scenario", "report"}`.
/// Numbers that are not finite are written as `null`.
pub fn json(scenario: &Scenario, report: &Report, link: &str) -> String {
    let export = Export {
        link,
        scenario,
        report,
    };
    serde_json::to_string_pretty(&export)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate;

    fn check(actual: &str, expected: &str) {
        assert_eq!(actual, expected);
    }

    #[test]
    fn csv_numbers_are_plain() {
        check(&csv_number(333.333_333_333), "333.3333");
        check(&csv_number(3.6), "3.6");
        check(&csv_number(20000.0), "20000");
        check(&csv_number(1_234_567.891_23), "1234567.8912");
        check(&csv_number(-0.00001), "0");
        check(&csv_number(f64::NAN), "");
    }

    #[test]
    fn links_are_written_safely() {
        check(
            &link_text("https://x.test/?v=1&rpd=5000"),
            "<https://x.test/?v=1&rpd=5000>",
        );
        check(&link_text("a b`c"), "`a b'c`");
    }

    #[test]
    fn cells_escape_pipes() {
        check(&cell("a|b\nc"), "a\\|b c");
    }

    #[test]
    fn markdown_names_its_mode_rows() {
        let s = Scenario {
            mode: Some(Mode::Rent),
            ..Scenario::default()
        };
        let md = markdown(&s, &evaluate(&s), "");
        assert!(md.contains("| Local, rented (1 × NVIDIA GeForce RTX 4090), this scenario | $81.60/month | $979.20/year | $0.54 |"), "{md}");
        assert!(
            md.contains("| Local, owned (1 × NVIDIA GeForce RTX 4090) | $57.40/month"),
            "{md}"
        );
        assert!(!md.contains("Scenario link"), "{md}");
    }
}
