//! The root view: reads the scenario from the link and shows its headline figures.

use crossover_core::format::{months, number, usd};
use crossover_core::scenario::query;
use crossover_core::{evaluate, Report};
use leptos::prelude::*;

/// The page: a banner for whatever the link could not apply, then the headline figures.
#[component]
pub fn App() -> impl IntoView {
    let search = window().location().search().unwrap_or_default();
    let decoded = query::decode(&search);
    let report = evaluate(&decoded.scenario);
    view! {
        <header>
            <h1>"Crossover"</h1>
            <p class="lede">"Local LLM or cloud API: what each costs, and when the answer flips."</p>
        </header>
        <main>
            <Notes notes=decoded.notes />
            <Headline report />
        </main>
    }
}

/// What the link asked for that was ignored, by key and reason.
#[component]
fn Notes(notes: Vec<query::Note>) -> impl IntoView {
    (!notes.is_empty()).then(|| {
        view! {
            <section class="notes" role="status" data-testid="link-notes">
                <p>"Parts of this link were ignored; the rest applies:"</p>
                <ul>
                    {notes
                        .into_iter()
                        .map(|n| view! { <li><code>{n.key}</code>": "{n.message}</li> })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

/// One labelled figure with a stable test hook.
#[component]
fn Figure(
    testid: &'static str,
    label: &'static str,
    value: String,
    detail: String,
) -> impl IntoView {
    view! {
        <div class="figure">
            <dt>{label}</dt>
            <dd data-testid=testid>{value}</dd>
            <dd class="detail">{detail}</dd>
        </div>
    }
}

/// The figures a reader looks for first.
#[component]
fn Headline(report: Report) -> impl IntoView {
    let r = report;
    let mode = if r.local.mode == crossover_core::scenario::Mode::Own {
        "owned"
    } else {
        "rented"
    };
    view! {
        <dl class="figures">
            <Figure
                testid="cloud-monthly"
                label="Cloud per month"
                value=usd(r.cloud.monthly_usd)
                detail=format!("{}, prices as of {}", r.cloud_model.name, r.cloud_model.as_of)
            />
            <Figure
                testid="local-monthly"
                label="Local per month"
                value=usd(r.local.monthly_usd)
                detail=format!("{} {}, {} with depreciation", number(f64::from(r.local.units), 0), r.hardware.name, mode)
            />
            <Figure
                testid="local-units"
                label="Units needed"
                value=number(f64::from(r.local.units), 0)
                detail=format!("{:.0}% utilized", r.capacity.utilization.unwrap_or(0.0) * 100.0)
            />
            <Figure
                testid="payback-months"
                label="Payback"
                value=months(r.break_even.payback_months)
                detail=format!("upfront {}", usd(r.local.upfront_usd))
            />
            <Figure
                testid="breakeven-rpd"
                label="Break-even volume"
                value=r.break_even.volume_rpd.map_or("none".to_string(), |v| format!("{} requests/day", number(v, 0)))
                detail="where local costs no more than cloud".to_string()
            />
            <Figure
                testid="tco-savings"
                label="TCO savings"
                value=usd(r.tco.savings_usd)
                detail=format!("over {} months, {:.1}% of cloud", r.tco.months, r.tco.savings_pct)
            />
            <Figure
                testid="recommendation"
                label="Recommendation"
                value=r.decision.recommendation.as_str().to_string()
                detail=format!("local {} against cloud {} points", r.decision.local_score, r.decision.cloud_score)
            />
            <Figure
                testid="decision-margin"
                label="Margin"
                value=format!("{} points", r.decision.margin)
                detail="a tie recommends cloud".to_string()
            />
        </dl>
    }
}
