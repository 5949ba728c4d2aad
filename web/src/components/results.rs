//! Result panels: headline figures, costs, capacity and memory, TCO, decision, hybrid mixes
//! and sensitivity, all read from the report memo.

use super::chart::{CostChart, CumulativeChart};
use crate::state::AppState;
use crossover_core::capacity::{Bound, Source};
use crossover_core::cost::LocalCost;
use crossover_core::format::{months, number, usd};
use crossover_core::scenario::Mode;
use crossover_core::Report;
use leptos::prelude::*;

fn report() -> Memo<Report> {
    expect_context::<AppState>().report
}

/// "Show the math" for the figure `id`: the formula, this scenario's numbers, the result.
#[component]
pub fn Math(id: &'static str) -> impl IntoView {
    let state = expect_context::<AppState>();
    let entry = move || {
        state
            .working
            .with(|w| w.iter().find(|e| e.figure == id).cloned())
    };
    view! {
        <details class="math" data-testid=format!("math-{id}")>
            <summary>"Show the math"</summary>
            {move || entry().map(|w| view! {
                <p><strong>{w.title}</strong></p>
                <p><code>{w.formula}</code></p>
                <p><code>{w.substituted}</code></p>
                <p>"= " {w.result}</p>
            })}
        </details>
    }
}

/// One labelled headline figure with a stable test hook and its working.
#[component]
fn Figure(
    testid: &'static str,
    label: &'static str,
    value: Signal<String>,
    detail: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="figure">
            <dt>{label}</dt>
            <dd class="value" data-testid=testid>{value}</dd>
            <dd class="detail">{detail}</dd>
            <dd class="math"><Math id=testid /></dd>
        </div>
    }
}

/// Derives a string from the report.
fn derive(f: impl Fn(&Report) -> String + Send + Sync + 'static) -> Signal<String> {
    let report = report();
    Signal::derive(move || report.with(&f))
}

/// The figures a reader looks for first.
#[component]
pub fn Headline() -> impl IntoView {
    view! {
        <dl class="figures" aria-label="Headline figures">
            <Figure
                testid="cloud-monthly"
                label="Cloud per month"
                value=derive(|r| usd(r.cloud.monthly_usd))
                detail=derive(|r| if r.cloud.from_bill {
                    "your known bill".to_string()
                } else {
                    format!("{}, prices as of {}", r.cloud_model.name, r.cloud_model.as_of)
                })
            />
            <Figure
                testid="local-monthly"
                label="Local per month"
                value=derive(|r| usd(r.local.monthly_usd))
                detail=derive(|r| format!(
                    "{} × {}, {}",
                    r.local.units,
                    r.hardware.name,
                    if r.local.mode == Mode::Own { "owned, depreciation included" } else { "rented by the hour" },
                ))
            />
            <Figure
                testid="local-units"
                label="Units needed"
                value=derive(|r| number(f64::from(r.local.units), 0))
                detail=derive(bound_text)
            />
            <Figure
                testid="payback-months"
                label="Payback"
                value=derive(|r| months(r.break_even.payback_months))
                detail=derive(|r| format!("{} upfront", usd(r.local.upfront_usd)))
            />
            <Figure
                testid="breakeven-rpd"
                label="Break-even volume"
                value=derive(|r| r.break_even.volume_rpd.map_or("none".to_string(), |v| format!("{} requests/day", number(v, 0))))
                detail=derive(|r| r.break_even.volume_tokens_month.map_or(
                    "local never costs less at any volume".to_string(),
                    |t| format!("{} tokens/month", number(t, 0)),
                ))
            />
            <Figure
                testid="tco-savings"
                label="TCO savings with local"
                value=derive(|r| usd(r.tco.savings_usd))
                detail=derive(|r| format!("over {} years, {}% of cloud", r.tco.months / 12, number(r.tco.savings_pct, 1)))
            />
            <Figure
                testid="recommendation"
                label="Recommendation"
                value=derive(|r| r.decision.recommendation.as_str().to_string())
                detail=derive(|r| format!(
                    "local {} against cloud {} points",
                    number(r.decision.local_score, 1),
                    number(r.decision.cloud_score, 1),
                ))
            />
            <Figure
                testid="decision-margin"
                label="Margin"
                value=derive(|r| format!("{} points", number(r.decision.margin, 1)))
                detail=derive(|_| "a tie recommends cloud".to_string())
            />
        </dl>
    }
}

/// Which constraint set the units, in words.
fn bound_text(r: &Report) -> String {
    let c = &r.capacity;
    let util = c.utilization.map_or("no replica fits".to_string(), |u| {
        format!("{}% used", number(u * 100.0, 0))
    });
    let why = match c.bound {
        Bound::Peak => "bound by peak concurrency",
        Bound::Load => "bound by the average load",
        Bound::Fixed => "fixed by you",
    };
    format!("{why}; {util}")
}

/// One row of the costs table.
fn cost_row(
    name: &'static str,
    testid: &'static str,
    monthly: f64,
    per_1k: f64,
    upfront: f64,
) -> impl IntoView {
    view! {
        <tr data-testid=testid>
            <th scope="row">{name}</th>
            <td>{usd(monthly)}</td>
            <td>{usd(12.0 * monthly)}</td>
            <td>{usd(per_1k)}</td>
            <td>{usd(upfront)}</td>
        </tr>
    }
}

fn local_row(name: &'static str, testid: &'static str, cost: Option<LocalCost>) -> impl IntoView {
    cost.map(|c| {
        cost_row(
            name,
            testid,
            c.monthly_usd,
            c.per_1k_requests_usd,
            c.upfront_usd,
        )
    })
}

/// Monthly, yearly and per-request cost of every way to serve the load.
#[component]
pub fn Costs() -> impl IntoView {
    let report = report();
    view! {
        <section class="panel" aria-labelledby="costs-title">
            <h2 id="costs-title">"Costs"</h2>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Option"</th>
                            <th scope="col">"Per month"</th>
                            <th scope="col">"Per year"</th>
                            <th scope="col">"Per 1,000 requests"</th>
                            <th scope="col">"Upfront"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || report.with(|r| {
                            let h = &r.hybrid.chosen;
                            view! {
                                {cost_row("Cloud", "cost-row-cloud", r.cloud.monthly_usd, r.cloud.per_1k_requests_usd, 0.0)}
                                {local_row("Local, owned", "cost-row-owned", r.owned)}
                                {local_row("Local, rented", "cost-row-rented", r.rented)}
                                {(h.local_pct > 0.0).then(|| cost_row(
                                    "Hybrid",
                                    "cost-row-hybrid",
                                    h.monthly_usd,
                                    h.per_1k_requests_usd,
                                    0.0,
                                ))}
                            }
                        })}
                    </tbody>
                </table>
            </div>
            <p class="note">"A month is 30 days and a year 12 months. Owned hardware is depreciated over its life; upfront is the purchase."</p>
        </section>
    }
}

/// Units, the binding constraint, speeds and memory, and how the model fits each GPU.
#[component]
pub fn Capacity() -> impl IntoView {
    let state = expect_context::<AppState>();
    let report = state.report;
    view! {
        <section class="panel" aria-labelledby="capacity-title">
            <h2 id="capacity-title">"Capacity and memory"</h2>
            {move || report.with(|r| {
                let tokens = state.scenario.with(|s| (s.input_tokens, s.output_tokens));
                let c = &r.capacity;
                let m = &r.memory;
                let source = |s: Source| if s == Source::Measured { "measured" } else { "estimated" };
                view! {
                    <dl class="facts">
                        <dt>"Per request"</dt>
                        <dd data-testid="service-seconds">{format!(
                            "{} s: {} tokens in at {} tok/s ({}), {} out at {} tok/s ({})",
                            number(c.service_s, 2),
                            number(tokens.0, 0),
                            number(r.speed.prefill_tps, 0),
                            source(r.speed.prefill_source),
                            number(tokens.1, 0),
                            number(r.speed.decode_tps, 1),
                            source(r.speed.decode_source),
                        )}</dd>
                        <dt>"Average concurrency"</dt>
                        <dd>{format!("{} streams (Little's law)", number(c.avg_concurrency, 2))}</dd>
                        <dt>"Streams needed"</dt>
                        <dd>{format!("{} on {} replica(s) of {} stream(s)", c.needed_slots, c.replicas, c.slots_per_replica)}</dd>
                        <dt>"Units"</dt>
                        <dd>{format!("{} ({})", c.units, bound_text(r))}</dd>
                        <dt>"Memory per replica"</dt>
                        <dd data-testid="memory-total">{format!(
                            "{} GB = {} weights + {} KV cache + {} overhead; {} has {} GB, so {} unit(s) per replica",
                            number(m.total_gb, 1),
                            number(m.weights_gb, 1),
                            number(m.kv_gb, 2),
                            number(m.overhead_gb, 1),
                            r.hardware.name,
                            number(m.unit_memory_gb, 0),
                            m.units_per_replica,
                        )}</dd>
                    </dl>
                }
            })}
            <Math id="memory" />
            <h3>"Which GPUs hold the model"</h3>
            <div class="table-wrap">
                <table data-testid="fit-table">
                    <thead>
                        <tr>
                            <th scope="col">"Hardware"</th>
                            <th scope="col">"Memory"</th>
                            <th scope="col">"Units at this quantization"</th>
                            <th scope="col">"Best quantization on one unit"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || report.with(|r| {
                            r.hardware_fit
                                .iter()
                                .map(|f| view! {
                                    <tr>
                                        <th scope="row">{f.name}</th>
                                        <td>{format!("{} GB", number(f.memory_gb, 0))}</td>
                                        <td>{f.units_at_quant}</td>
                                        <td>{f.best_quant_in_one_unit.map_or("does not fit", |q| q.as_str())}</td>
                                    </tr>
                                })
                                .collect_view()
                        })}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The two charts: monthly cost against volume, and cumulative cost over the horizon.
#[component]
pub fn Charts() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rpd = Memo::new(move |_| state.scenario.with(|s| s.requests_per_day));
    view! {
        <section class="panel chart" aria-labelledby="charts-title">
            <h2 id="charts-title">"Charts"</h2>
            <h3>"Monthly cost by volume"</h3>
            <CostChart report=state.report scenario_rpd=rpd />
            <h3>"Cumulative cost over the horizon"</h3>
            <CumulativeChart report=state.report />
        </section>
    }
}

/// Total cost of ownership over the horizon.
#[component]
pub fn Tco() -> impl IntoView {
    let report = report();
    view! {
        <section class="panel" aria-labelledby="tco-title">
            <h2 id="tco-title">"Total cost of ownership"</h2>
            {move || report.with(|r| {
                let t = &r.tco;
                view! {
                    <dl class="facts">
                        <dt>"Horizon"</dt>
                        <dd>{format!("{} months", t.months)}</dd>
                        <dt>"Cloud"</dt>
                        <dd data-testid="tco-cloud">{usd(t.cloud_usd)}</dd>
                        <dt>"Local"</dt>
                        <dd data-testid="tco-local">{format!(
                            "{} ({} on hardware: initial, added, replacements, upgrades)",
                            usd(t.local_usd),
                            usd(t.local_purchases_usd),
                        )}</dd>
                        <dt>"Savings with local"</dt>
                        <dd>{format!("{} ({}% of cloud)", usd(t.savings_usd), number(t.savings_pct, 1))}</dd>
                        <dt>"Most units at once"</dt>
                        <dd>{format!("{} (volume ends at {} requests/day)", t.max_units, number(t.final_rpd, 0))}</dd>
                    </dl>
                }
            })}
        </section>
    }
}

/// The weighted matrix as paired bars, the totals, and the guide's reasons.
#[component]
pub fn Decision() -> impl IntoView {
    let report = report();
    view! {
        <section class="panel" aria-labelledby="decision-title">
            <h2 id="decision-title">"Trade-offs"</h2>
            <div class="table-wrap">
                <table class="matrix" data-testid="decision-table">
                    <thead>
                        <tr>
                            <th scope="col">"Criterion"</th>
                            <th scope="col">"Weight"</th>
                            <th scope="col">"Local"</th>
                            <th scope="col">"Cloud"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || report.with(|r| {
                            r.decision
                                .criteria
                                .iter()
                                .map(|c| {
                                    let bar = |score: f64, class: &'static str| view! {
                                        <span class="bar-cell">
                                            <span class=format!("bar {class}") style=format!("width:{}%", score * 10.0)></span>
                                            <span class="bar-label">{number(score, 0)}</span>
                                        </span>
                                    };
                                    view! {
                                        <tr title=c.note.clone()>
                                            <th scope="row">{c.criterion.as_str()}</th>
                                            <td>{number(c.weight, 1)}</td>
                                            <td>{bar(c.local, "local")}</td>
                                            <td>{bar(c.cloud, "cloud")}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        })}
                    </tbody>
                    <tfoot>
                        {move || report.with(|r| view! {
                            <tr>
                                <th scope="row">"Weighted total"</th>
                                <td></td>
                                <td>{number(r.decision.local_score, 1)}</td>
                                <td>{number(r.decision.cloud_score, 1)}</td>
                            </tr>
                        })}
                    </tfoot>
                </table>
            </div>
            <p class="note">"Total = Σ weight × score; a listed priority weighs 2, explicit weights override. Local is recommended only when its total is higher."</p>
            <h3>"The guide"</h3>
            {move || report.with(|r| view! {
                <p data-testid="guide-recommendation">
                    "Rules say: " <strong>{r.guide.recommendation.as_str()}</strong>
                </p>
                <ul class="reasons" data-testid="guide-reasons">
                    {r.guide.reasons.iter().map(|reason| view! { <li>{reason.clone()}</li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// The hybrid mix chosen and the ladder of shares.
#[component]
pub fn Hybrid() -> impl IntoView {
    let report = report();
    view! {
        <section class="panel" aria-labelledby="hybrid-title">
            <h2 id="hybrid-title">"Hybrid mixes"</h2>
            <div class="table-wrap">
                <table data-testid="hybrid-table">
                    <thead>
                        <tr>
                            <th scope="col">"Local share"</th>
                            <th scope="col">"Escalated"</th>
                            <th scope="col">"Units"</th>
                            <th scope="col">"Local"</th>
                            <th scope="col">"Cloud"</th>
                            <th scope="col">"Total per month"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || report.with(|r| {
                            let h = &r.hybrid;
                            std::iter::once((&h.chosen, true, false))
                                .chain(h.ladder.iter().enumerate().map(|(i, m)| (m, false, i == h.cheapest)))
                                .map(|(m, chosen, cheapest)| view! {
                                    <tr class:chosen=chosen class:cheapest=cheapest>
                                        <th scope="row">
                                            {format!("{}%", number(m.local_pct, 0))}
                                            {chosen.then_some(" (yours)")}
                                            {cheapest.then_some(" (cheapest)")}
                                        </th>
                                        <td>{format!("{}%", number(m.escalation_pct, 0))}</td>
                                        <td>{m.units}</td>
                                        <td>{usd(m.local_monthly_usd)}</td>
                                        <td>{usd(m.cloud_monthly_usd)}</td>
                                        <td>{usd(m.monthly_usd)}</td>
                                    </tr>
                                })
                                .collect_view()
                        })}
                    </tbody>
                </table>
            </div>
            <p class="note">"Escalated requests run locally first and are sent to the cloud again; the sensitive share is always local."</p>
        </section>
    }
}

/// The tornado: each input moved ±25%, largest swing in savings first.
#[component]
pub fn Sensitivity() -> impl IntoView {
    let report = report();
    view! {
        <section class="panel" aria-labelledby="sensitivity-title">
            <h2 id="sensitivity-title">"Sensitivity"</h2>
            <p class="note">{move || report.with(|r| format!(
                "Monthly savings with local: {}; payback {}. Each input moved 25% down and up:",
                usd(r.sensitivity.base_savings_usd),
                months(r.sensitivity.base_payback_months),
            ))}</p>
            <div class="table-wrap">
                <table data-testid="sensitivity-table">
                    <thead>
                        <tr>
                            <th scope="col">"Input"</th>
                            <th scope="col">"−25%"</th>
                            <th scope="col">"+25%"</th>
                            <th scope="col">"Savings at −25% / +25%"</th>
                            <th scope="col">"Payback at −25% / +25%"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || report.with(|r| {
                            let widest = r.sensitivity.rows.first().map_or(1.0, |row| row.swing_usd.max(1e-9));
                            r.sensitivity
                                .rows
                                .iter()
                                .map(|row| view! {
                                    <tr>
                                        <th scope="row">{row.label}</th>
                                        <td>{number(row.low, 2)}</td>
                                        <td>{number(row.high, 2)}</td>
                                        <td>
                                            <span class="bar-cell">
                                                <span class="bar swing" style=format!("width:{}%", row.swing_usd / widest * 100.0)></span>
                                                <span class="bar-label">{format!("{} / {}", usd(row.savings_low_usd), usd(row.savings_high_usd))}</span>
                                            </span>
                                        </td>
                                        <td>{format!("{} / {}", months(row.payback_low_months), months(row.payback_high_months))}</td>
                                    </tr>
                                })
                                .collect_view()
                        })}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// What the user should know about this scenario.
#[component]
pub fn Warnings() -> impl IntoView {
    let report = report();
    view! {
        {move || report.with(|r| (!r.warnings.is_empty()).then(|| view! {
            <section class="warnings" role="status" data-testid="warnings">
                <h2>"Worth knowing"</h2>
                <ul>{r.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}</ul>
            </section>
        }))}
    }
}
