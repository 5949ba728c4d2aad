//! Tables as plain data: headings and formatted cells for every table the page shows, so the
//! page only lays them out.

use crate::catalog::{Capabilities, CLOUD_MODELS, HARDWARE, LOCAL_MODELS};
use crate::codec::prices::Refresh;
use crate::engine::capacity::{Bound, Source};
use crate::scenario::Mode;
use crate::view::format::{months, number, plain, points, price, usd};
use crate::Report;
use serde::Serialize;

/// A bar drawn behind or beside a cell's text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// Length, 0 to 100 percent of the column.
    pub pct: f64,
    /// Which series it belongs to: `local`, `cloud` or `swing`.
    pub class: &'static str,
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// What it says.
    pub text: String,
    /// A bar beside the text.
    pub bar: Option<Bar>,
    /// A link the text points to (a source).
    pub link: Option<&'static str>,
}

impl Cell {
    pub(crate) fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            bar: None,
            link: None,
        }
    }

    fn bar(text: impl Into<String>, pct: f64, class: &'static str) -> Cell {
        let pct = if pct.is_finite() {
            pct.clamp(0.0, 100.0)
        } else {
            0.0
        };
        Cell {
            text: text.into(),
            bar: Some(Bar { pct, class }),
            link: None,
        }
    }

    fn link(text: impl Into<String>, link: &'static str) -> Cell {
        Cell {
            text: text.into(),
            bar: None,
            link: Some(link),
        }
    }
}

/// One row; its first cell names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The cells, the first being the row's heading.
    pub cells: Vec<Cell>,
    /// A test hook for the row, when it has one.
    pub testid: Option<&'static str>,
    /// Emphasis: `chosen` or `cheapest`.
    pub mark: Option<&'static str>,
}

impl Row {
    /// The cells' texts joined by `separator`.
    pub fn joined(&self, separator: &str) -> String {
        let texts: Vec<&str> = self.cells.iter().map(|c| c.text.as_str()).collect();
        texts.join(separator)
    }

    pub(crate) fn new(cells: Vec<Cell>) -> Row {
        Row {
            cells,
            testid: None,
            mark: None,
        }
    }
}

/// A table: column headings and rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Column headings.
    pub head: Vec<&'static str>,
    /// Rows.
    pub rows: Vec<Row>,
}

/// Cloud, owned, rented and hybrid: per month, per year, per 1,000 requests, upfront.
pub fn costs(r: &Report) -> Table {
    let row = |name: &str, testid, monthly: f64, per_1k: f64, upfront: f64| Row {
        cells: vec![
            Cell::text(name),
            Cell::text(usd(monthly)),
            Cell::text(usd(12.0 * monthly)),
            Cell::text(usd(per_1k)),
            Cell::text(usd(upfront)),
        ],
        testid: Some(testid),
        mark: None,
    };
    let mut rows = vec![row(
        "Cloud",
        "cost-row-cloud",
        r.cloud.monthly_usd,
        r.cloud.per_1k_requests_usd,
        0.0,
    )];
    if let Some(c) = r.owned {
        rows.push(row(
            "Local, owned",
            "cost-row-owned",
            c.monthly_usd,
            c.per_1k_requests_usd,
            c.upfront_usd,
        ));
    }
    if let Some(c) = r.rented {
        rows.push(row(
            "Local, rented",
            "cost-row-rented",
            c.monthly_usd,
            c.per_1k_requests_usd,
            c.upfront_usd,
        ));
    }
    let h = &r.hybrid.chosen;
    if h.local_pct > 0.0 {
        let upfront = r.local.upfront_usd * f64::from(h.units) / f64::from(r.local.units.max(1));
        rows.push(row(
            "Hybrid",
            "cost-row-hybrid",
            h.monthly_usd,
            h.per_1k_requests_usd,
            upfront,
        ));
    }
    Table {
        head: vec![
            "Option",
            "Per month",
            "Per year",
            "Per 1,000 requests",
            "Upfront",
        ],
        rows,
    }
}

/// How the model fits each catalog GPU.
pub fn hardware_fit(r: &Report) -> Table {
    Table {
        head: vec![
            "Hardware",
            "Memory",
            "Units at this quantization",
            "Best quantization on one unit",
        ],
        rows: r
            .hardware_fit
            .iter()
            .map(|f| {
                Row::new(vec![
                    Cell::text(f.name),
                    Cell::text(format!("{} GB", number(f.memory_gb, 0))),
                    Cell::text(f.units_at_quant.to_string()),
                    Cell::text(
                        f.best_quant_in_one_unit
                            .map_or("does not fit", |q| q.as_str()),
                    ),
                ])
            })
            .collect(),
    }
}

/// The decision matrix with paired bars and the weighted totals as the last row.
pub fn decision(r: &Report) -> Table {
    let mut rows: Vec<Row> = r
        .decision
        .criteria
        .iter()
        .map(|c| {
            Row::new(vec![
                Cell::text(c.criterion.as_str()),
                Cell::text(number(c.weight, 1)),
                Cell::bar(number(c.local, 0), c.local * 10.0, "local"),
                Cell::bar(number(c.cloud, 0), c.cloud * 10.0, "cloud"),
                Cell::text(c.note.clone()),
            ])
        })
        .collect();
    rows.push(Row {
        cells: vec![
            Cell::text("Weighted total"),
            Cell::text(""),
            Cell::text(number(r.decision.local_score, 1)),
            Cell::text(number(r.decision.cloud_score, 1)),
            Cell::text(format!(
                "{} by {}",
                r.decision.recommendation.as_str(),
                points(r.decision.margin)
            )),
        ],
        testid: Some("decision-total"),
        mark: Some("chosen"),
    });
    Table {
        head: vec!["Criterion", "Weight", "Local", "Cloud", "Why"],
        rows,
    }
}

/// The chosen hybrid mix, then the ladder of shares with the cheapest marked.
pub fn hybrid(r: &Report) -> Table {
    let h = &r.hybrid;
    let row = |m: &crate::engine::hybrid::Mix, name: String, mark| Row {
        cells: vec![
            Cell::text(name),
            Cell::text(format!("{}%", number(m.escalation_pct, 0))),
            Cell::text(m.units.to_string()),
            Cell::text(usd(m.local_monthly_usd)),
            Cell::text(usd(m.cloud_monthly_usd)),
            Cell::text(usd(m.monthly_usd)),
        ],
        testid: None,
        mark,
    };
    let mut rows = vec![row(
        &h.chosen,
        format!("{}% (yours)", number(h.chosen.local_pct, 0)),
        Some("chosen"),
    )];
    rows.extend(h.ladder.iter().enumerate().map(|(i, m)| {
        let cheapest = i == h.cheapest;
        let name = format!(
            "{}%{}",
            number(m.local_pct, 0),
            if cheapest { " (cheapest)" } else { "" }
        );
        row(m, name, cheapest.then_some("cheapest"))
    }));
    Table {
        head: vec![
            "Local share",
            "Escalated",
            "Units",
            "Local",
            "Cloud",
            "Total per month",
        ],
        rows,
    }
}

/// The tornado: each input at −25% and +25%, with a bar for the swing in savings.
pub fn sensitivity(r: &Report) -> Table {
    let widest = r
        .sensitivity
        .rows
        .first()
        .map_or(1.0, |row| row.swing_usd.max(1e-9));
    Table {
        head: vec![
            "Input",
            "Low",
            "High",
            "Savings at low / high",
            "Payback at low / high",
        ],
        rows: r
            .sensitivity
            .rows
            .iter()
            .map(|row| {
                Row::new(vec![
                    Cell::text(row.label),
                    Cell::text(row.low.shown(row.key)),
                    Cell::text(row.high.shown(row.key)),
                    Cell::bar(
                        format!(
                            "{} / {}",
                            usd(row.savings_low_usd),
                            usd(row.savings_high_usd)
                        ),
                        row.swing_usd / widest * 100.0,
                        "swing",
                    ),
                    Cell::text(format!(
                        "{} / {}",
                        months(row.payback_low_months),
                        months(row.payback_high_months)
                    )),
                ])
            })
            .collect(),
    }
}

/// Tasks of the capability matrix, in the order the page offers them.
pub const TASKS: [&str; 6] = [
    "coding",
    "reasoning",
    "math",
    "creative",
    "instruction",
    "multilingual",
];

fn task_score(c: &Capabilities, task: usize) -> u8 {
    match task {
        0 => c.coding,
        1 => c.reasoning,
        2 => c.math,
        3 => c.creative,
        4 => c.instruction,
        _ => c.multilingual,
    }
}

/// Every catalog model's score on `TASKS[task]`, best first (ties keep catalog order).
pub fn capabilities(task: usize) -> Table {
    let mut rows: Vec<(u8, Row)> = CLOUD_MODELS
        .iter()
        .map(|m| (m.name, "cloud", task_score(&m.capabilities, task)))
        .chain(
            LOCAL_MODELS
                .iter()
                .map(|m| (m.name, "local", task_score(&m.capabilities, task))),
        )
        .map(|(name, side, score)| {
            let cells = vec![
                Cell::text(name),
                Cell::text(side),
                Cell::bar(score.to_string(), f64::from(score) * 10.0, side),
            ];
            (score, Row::new(cells))
        })
        .collect();
    rows.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    Table {
        head: vec!["Model", "Runs", "Score (1-10)"],
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    }
}

fn percent(value: Option<f64>) -> Cell {
    Cell::text(value.map_or("—".to_string(), |v| format!("{}%", number(v, 1))))
}

/// Published benchmark scores of the models that have any.
pub fn benchmarks() -> Table {
    Table {
        head: vec!["Model", "MMLU", "HumanEval", "GSM8K", "MATH"],
        rows: CLOUD_MODELS
            .iter()
            .map(|m| (m.name, m.benchmarks))
            .chain(LOCAL_MODELS.iter().map(|m| (m.name, m.benchmarks)))
            .filter(|(_, b)| b.mmlu.is_some() || b.humaneval.is_some())
            .map(|(name, b)| {
                Row::new(vec![
                    Cell::text(name),
                    percent(b.mmlu),
                    percent(b.humaneval),
                    percent(b.gsm8k),
                    percent(b.math),
                ])
            })
            .collect(),
    }
}

/// Cloud prices with the date each was read, linked to its source.
pub fn cloud_prices() -> Table {
    Table {
        head: vec![
            "Model",
            "Input",
            "Output",
            "Cached input",
            "Context",
            "As of",
        ],
        rows: CLOUD_MODELS
            .iter()
            .map(|m| {
                Row::new(vec![
                    Cell::text(format!("{} ({})", m.name, m.id)),
                    Cell::text(format!("{}/1M", price(m.input_per_mtok))),
                    Cell::text(format!("{}/1M", price(m.output_per_mtok))),
                    Cell::text(format!("{}/1M", price(m.cached_input_per_mtok))),
                    Cell::text(format!("{} tokens", number(f64::from(m.context_tokens), 0))),
                    Cell::link(m.as_of, m.source),
                ])
            })
            .collect(),
    }
}

/// A loaded price file against the catalog: each catalog model the file prices, with the key
/// it matched, both sets of prices ($ per 1M tokens: input / output / cached input) and whether
/// they differ.
pub fn price_refresh(refreshed: &[Refresh]) -> Table {
    let prices = |(input, output, cached): (f64, f64, Option<f64>)| {
        let cached = cached.map_or_else(|| "none".to_owned(), price);
        format!("{} / {} / {cached}", price(input), price(output))
    };
    Table {
        head: vec!["Model (key in the file)", "Catalog", "Your file", "Changed"],
        rows: refreshed
            .iter()
            .map(|r| {
                let (input, output, cached) = r.catalog();
                Row::new(vec![
                    Cell::text(format!("{} ({})", r.model.name, r.key)),
                    Cell::text(prices((input, output, Some(cached)))),
                    Cell::text(prices(r.file)),
                    Cell::text(if r.changed() { "yes" } else { "no" }),
                ])
            })
            .collect(),
    }
}

/// What "(derived)" and "(quote)" mean in [`hardware`].
pub const HARDWARE_NOTE: &str = "derived: worked out from a sparse or FP4 figure, or from clocks \
     and units where the vendor publishes none; quote: a typical quote or street price where no \
     list price is published";

/// Hardware specifications and prices with their date, linked to the source; a derived FP16
/// rate and a quoted price say so.
pub fn hardware() -> Table {
    Table {
        head: vec![
            "Hardware",
            "Memory",
            "Bandwidth",
            "FP16",
            "Power",
            "Price",
            "Rent",
            "As of",
        ],
        rows: HARDWARE
            .iter()
            .map(|h| {
                Row::new(vec![
                    Cell::text(h.name),
                    Cell::text(format!("{} GB", number(h.memory_gb, 0))),
                    Cell::text(format!("{} GB/s", number(h.bandwidth_gbps, 0))),
                    Cell::text(format!(
                        "{} TFLOPS{}",
                        number(h.fp16_tflops, 0),
                        if h.fp16_derived { " (derived)" } else { "" }
                    )),
                    Cell::text(format!("{} W", number(h.watts, 0))),
                    Cell::text(h.price_usd.map_or("—".to_string(), |p| {
                        format!("{}{}", usd(p), if h.price_quoted { " (quote)" } else { "" })
                    })),
                    Cell::text(
                        h.rent_per_hour_usd
                            .map_or("—".to_string(), |r| format!("{}/h", usd(r))),
                    ),
                    Cell::link(h.as_of, h.source),
                ])
            })
            .collect(),
    }
}

/// Local models' architecture, linked to their configuration.
pub fn local_models() -> Table {
    Table {
        head: vec!["Model", "Parameters", "Layers", "KV heads × dim", "Context"],
        rows: LOCAL_MODELS
            .iter()
            .map(|m| {
                Row::new(vec![
                    Cell::link(format!("{} ({})", m.name, m.id), m.source),
                    Cell::text(format!(
                        "{}B, {}B active",
                        number(m.shape.params_b, 2),
                        number(m.shape.active_params_b, 2)
                    )),
                    Cell::text(m.shape.layers.to_string()),
                    Cell::text(format!("{} × {}", m.shape.kv_heads, m.shape.head_dim)),
                    Cell::text(format!("{} tokens", number(f64::from(m.context_tokens), 0))),
                ])
            })
            .collect(),
    }
}

/// A headline figure: what it is, its value, and a line of context.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    /// The figure's test hook and working id.
    pub id: &'static str,
    /// What it is.
    pub label: &'static str,
    /// The value with its unit.
    pub value: String,
    /// Context: the model and date, the binding constraint, the upfront cost.
    pub detail: String,
}

/// The ids of the headline figures, in page order.
pub const HEADLINE_IDS: [&str; 8] = [
    "cloud-monthly",
    "local-monthly",
    "local-units",
    "payback-months",
    "breakeven-rpd",
    "tco-savings",
    "recommendation",
    "decision-margin",
];

/// Which constraint set the units, and how busy they are, in words.
pub fn bound_text(r: &Report) -> String {
    let c = &r.capacity;
    let used = c.utilization.map_or("no replica fits".to_string(), |u| {
        format!("{}% used", number(u * 100.0, 0))
    });
    let why = match c.bound {
        Bound::Fixed => "fixed by you",
        other => other.describe(),
    };
    format!("{why}; {used}")
}

/// The headline figure `id` (one of [`HEADLINE_IDS`]); `None` for an unknown id.
pub fn headline(r: &Report, id: &str) -> Option<Headline> {
    let (id, label, value, detail) = match id {
        "cloud-monthly" => (
            "cloud-monthly",
            "Cloud per month",
            usd(r.cloud.monthly_usd),
            if r.cloud.from_bill {
                "your known bill".to_string()
            } else {
                format!(
                    "{}, prices as of {}",
                    r.cloud_model.name, r.cloud_model.as_of
                )
            },
        ),
        "local-monthly" => (
            "local-monthly",
            "Local per month",
            usd(r.local.monthly_usd),
            format!(
                "{} × {}, {}",
                r.local.units,
                r.hardware.name,
                match r.local.mode {
                    Mode::Own => "owned, depreciation included",
                    Mode::Rent => "rented by the hour",
                }
            ),
        ),
        "local-units" => (
            "local-units",
            "Units needed",
            number(f64::from(r.local.units), 0),
            bound_text(r),
        ),
        "payback-months" => (
            "payback-months",
            "Payback",
            months(r.break_even.payback_months),
            format!("{} upfront", usd(r.local.upfront_usd)),
        ),
        "breakeven-rpd" => (
            "breakeven-rpd",
            "Break-even volume",
            r.break_even.volume_rpd.map_or("none".to_string(), |v| {
                format!("{} requests/day", number(v, 0))
            }),
            r.break_even
                .volume_tokens_month
                .map_or("local never costs less at any volume".to_string(), |t| {
                    format!("{} tokens/month", number(t, 0))
                }),
        ),
        "tco-savings" => (
            "tco-savings",
            "TCO savings with local",
            usd(r.tco.savings_usd),
            format!(
                "over {} months, {}% of cloud",
                r.tco.months,
                number(r.tco.savings_pct, 1)
            ),
        ),
        "recommendation" => (
            "recommendation",
            "Recommendation",
            r.decision.recommendation.as_str().to_string(),
            format!(
                "local {} against cloud {} points",
                number(r.decision.local_score, 1),
                number(r.decision.cloud_score, 1)
            ),
        ),
        "decision-margin" => (
            "decision-margin",
            "Margin",
            points(r.decision.margin),
            "a tie recommends cloud".to_string(),
        ),
        _ => return None,
    };
    Some(Headline {
        id,
        label,
        value,
        detail: detail.clone(),
    })
}

/// A labelled fact of a panel, with a test hook where it has one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// What it is.
    pub label: &'static str,
    /// The value in words and numbers.
    pub value: String,
    /// A test hook.
    pub testid: Option<&'static str>,
}

fn fact(label: &'static str, value: String, testid: Option<&'static str>) -> Fact {
    Fact {
        label,
        value,
        testid,
    }
}

/// `; target N ms`, or nothing without a target.
fn target(ms: Option<f64>) -> String {
    ms.map_or(String::new(), |ms| format!("; target {} ms", plain(ms)))
}

/// Capacity and memory in words: `tokens` are the scenario's (input, output) per request.
pub fn capacity_facts(r: &Report, tokens: (f64, f64)) -> Vec<Fact> {
    let c = &r.capacity;
    let m = &r.memory;
    vec![
        fact(
            "Per request",
            format!(
                "{} s: {} tokens in at {} tok/s ({}), {} out at {} tok/s ({})",
                number(c.service_s, 2),
                number(tokens.0, 0),
                number(r.speed.prefill_tps, 0),
                source(r.speed.prefill_source),
                number(tokens.1, 0),
                number(r.speed.decode_tps, 1),
                source(r.speed.decode_source),
            ),
            Some("service-seconds"),
        ),
        fact(
            "Average concurrency",
            format!("{} streams (Little's law)", number(c.avg_concurrency, 2)),
            None,
        ),
        fact(
            "Streams needed",
            format!(
                "{} on {} replica(s) of {} stream(s)",
                c.needed_slots, c.replicas, c.slots_per_replica
            ),
            None,
        ),
        fact("Units", format!("{} ({})", c.units, bound_text(r)), None),
        fact(
            "Streams per replica",
            format!(
                "{} on {}, set by {}",
                c.streams_per_replica,
                c.engine.label(),
                c.streams_limit.describe()
            ),
            Some("streams-per-replica"),
        ),
        fact(
            "Replica output",
            format!(
                "{} tok/s with every stream busy, {} ms per output token{}",
                number(c.aggregate_tps, 1),
                number(c.tpot_ms, 2),
                target(c.slo_tpot_ms)
            ),
            Some("replica-output"),
        ),
        fact(
            "p95 time to first token",
            match c.p95_ttft_ms {
                Some(ms) => format!(
                    "{} ms, prefill plus the Erlang C wait{}",
                    number(ms, 0),
                    target(c.slo_ttft_ms)
                ),
                None => "unbounded: the streams cannot keep up with the arrivals".to_string(),
            },
            Some("p95-ttft"),
        ),
        fact(
            "Memory per replica",
            format!(
                "{} GB = {} weights + {} KV cache + {} overhead; {} has {} GB, so {}",
                number(m.total_gb, 1),
                number(m.weights_gb, 1),
                number(m.kv_gb, 2),
                number(m.overhead_gb, 1),
                r.hardware.name,
                number(m.unit_memory_gb, 0),
                m.spread_text(),
            ),
            Some("memory-total"),
        ),
    ]
}

/// The TCO in words.
pub fn tco_facts(r: &Report) -> Vec<Fact> {
    let t = &r.tco;
    vec![
        fact("Horizon", format!("{} months", t.months), None),
        fact("Cloud", usd(t.cloud_usd), Some("tco-cloud")),
        fact(
            "Local",
            format!(
                "{} ({} of it on hardware: initial, added, replacements, upgrades)",
                usd(t.local_usd),
                usd(t.local_purchases_usd)
            ),
            Some("tco-local"),
        ),
        fact(
            "Savings with local",
            format!(
                "{} ({}% of cloud)",
                usd(t.savings_usd),
                number(t.savings_pct, 1)
            ),
            None,
        ),
        fact(
            "Most units at once",
            format!(
                "{} (volume ends at {} requests/day)",
                t.max_units,
                number(t.final_rpd, 0)
            ),
            None,
        ),
    ]
}

/// "measured" or "estimated".
pub fn source(s: Source) -> &'static str {
    match s {
        Source::Measured => "measured",
        Source::Estimated => "estimated",
    }
}

/// "How good are our estimates": every measured figure of the serving model's table against
/// the estimate at its own settings, with the error and the source.
pub fn accuracy() -> Table {
    use crate::catalog::measured::MEASURED;
    use crate::engine::calibration::{self, Figure};
    Table {
        head: vec![
            "Model",
            "Weights",
            "Hardware",
            "Engine",
            "In flight",
            "Figure",
            "Measured",
            "Estimate",
            "Error",
            "Source",
        ],
        rows: calibration::accuracy()
            .into_iter()
            .map(|a| {
                let row = &MEASURED[a.row];
                let figure = match a.figure {
                    Figure::Decode => "decode tok/s",
                    Figure::Prefill => "prefill tok/s",
                    Figure::Aggregate => "output tok/s, all streams",
                };
                Row::new(vec![
                    Cell::text(row.model),
                    Cell::text(row.quant.as_str()),
                    Cell::text(row.device.name),
                    Cell::text(row.engine.label()),
                    Cell::text(number(f64::from(row.concurrency), 0)),
                    Cell::text(figure),
                    Cell::text(number(a.measured, 1)),
                    Cell::text(number(a.estimate, 1)),
                    Cell::text(format!("{:+.1}%", a.error * 100.0)),
                    Cell::link(row.version, row.source),
                ])
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::link::decode;
    use crate::evaluate;

    /// Renders a table as `a | b` lines for comparison.
    fn check(table: &Table, expected: &[&str]) {
        let lines: Vec<String> = table.rows.iter().map(|r| r.joined(" | ")).collect();
        assert_eq!(lines, expected);
    }

    #[test]
    fn a_price_file_against_the_catalog() {
        // 1e-07 and 6e-07 $/token: $0.10 and $0.60 per 1M, no cached price; the catalog has
        // $0.15, $0.60 and $0.075. Claude 3 Haiku's dated key matches its catalog id.
        let file = crate::codec::prices::parse_litellm(
            r#"{"gpt-4o-mini": {"input_cost_per_token": 1e-07, "output_cost_per_token": 6e-07},
            "claude-3-haiku-20240307": {"input_cost_per_token": 2.5e-07,
                "output_cost_per_token": 1.25e-06, "cache_read_input_token_cost": 3e-08}}"#,
        )
        .unwrap();
        check(
            &price_refresh(&crate::codec::prices::refresh_catalog(&file)),
            &[
                "GPT-4o mini (gpt-4o-mini) | $0.15 / $0.60 / $0.075 | $0.10 / $0.60 / none | yes",
                "Claude 3 Haiku (claude-3-haiku-20240307) | $0.25 / $1.25 / $0.03 | $0.25 / $1.25 / $0.03 | no",
            ],
        );
    }

    #[test]
    fn hardware_says_which_figures_are_derived_or_quoted() {
        let table = hardware();
        let row = |id: &str| {
            let at = HARDWARE.iter().position(|h| h.id == id).expect(id);
            table.rows[at].joined(" | ")
        };
        // The RTX 4090's launch MSRP and whitepaper figure are read as published.
        assert!(
            row("rtx-4090").contains("| 330 TFLOPS | 450 W | $1,600.00 |"),
            "{}",
            row("rtx-4090")
        );
        // NVIDIA publishes no H200 list price; the DGX Spark's FP16 rate comes from its FP4 one.
        assert!(row("h200").contains("(quote)"), "{}", row("h200"));
        assert!(
            row("dgx-spark").contains("TFLOPS (derived)"),
            "{}",
            row("dgx-spark")
        );
    }

    #[test]
    fn costs_of_the_default_scenario() {
        // cloud 54/month, 648/year, 0.36 per 1k; owned 1600/36 + 12.96 = 57.40, per 1k
        // 57.4044 / 150 = 0.3827; rented 0.34 $/h * 8 h * 30 = 81.60, per 1k 0.544
        let r = evaluate(&decode("v=1&tps=100&ptps=5000").scenario);
        check(
            &costs(&r),
            &[
                "Cloud | $54.00 | $648.00 | $0.36 | $0.00",
                "Local, owned | $57.40 | $688.85 | $0.38 | $1,600.00",
                "Local, rented | $81.60 | $979.20 | $0.54 | $0.00",
            ],
        );
    }

    #[test]
    fn hybrid_row_appears_with_a_local_share() {
        let r = evaluate(&decode("v=1&hyb=50&tps=100&ptps=5000").scenario);
        // local 57.4044 + cloud 2,500 * 0.0108 = 27.00 -> 84.40; per 1k 84.4044/150 = 0.5627
        assert_eq!(costs(&r).rows[3].cells[1].text, "$84.40");
        assert_eq!(costs(&r).rows[3].cells[3].text, "$0.56");
    }

    #[test]
    fn decision_rows_end_with_the_totals() {
        let r = evaluate(&decode("v=1&prio=latency,privacy").scenario);
        let t = decision(&r);
        assert_eq!(t.rows.len(), 7);
        assert_eq!(
            t.rows[1].cells[2].bar,
            Some(Bar {
                pct: 90.0,
                class: "local"
            })
        );
        let last: Vec<&str> = t.rows[6].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            last,
            ["Weighted total", "", "64.0", "59.0", "local by 5.0 points"]
        );
    }

    #[test]
    fn headline_of_the_default_scenario() {
        // payback 1600 / (54 - 12.96) = 38.99 months; break-even 57.4044 / 0.0108 = 5,315
        let r = evaluate(&decode("v=1&tps=100&ptps=5000").scenario);
        let shown: Vec<String> = HEADLINE_IDS
            .iter()
            .filter_map(|id| headline(&r, id))
            .map(|h| format!("{}: {}", h.label, h.value))
            .collect();
        assert_eq!(
            shown,
            [
                "Cloud per month: $54.00",
                "Local per month: $57.40",
                "Units needed: 1",
                "Payback: 39.0 months",
                "Break-even volume: 5,315 requests/day",
                "TCO savings with local: -$122.56",
                "Recommendation: cloud",
                "Margin: 3.0 points",
            ]
        );
        assert_eq!(headline(&r, "nope"), None);
    }

    #[test]
    fn capabilities_sort_best_first() {
        let t = capabilities(0);
        let scores: Vec<u32> = t
            .rows
            .iter()
            .map(|r| r.cells[2].text.parse().unwrap_or(0))
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        assert_eq!(t.rows.len(), CLOUD_MODELS.len() + LOCAL_MODELS.len());
    }

    #[test]
    fn catalog_tables_link_every_source() {
        for t in [cloud_prices(), hardware(), local_models()] {
            assert!(t.rows.iter().all(|r| r
                .cells
                .iter()
                .any(|c| c.link.is_some_and(|l| l.starts_with("https://")))));
        }
    }
}
