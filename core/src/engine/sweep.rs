//! Series for charts: monthly cost of both sides across volumes.

use crate::engine::plan::Plan;
use serde::Serialize;

/// Both sides' monthly cost at one volume.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    /// Requests per day.
    pub rpd: f64,
    /// Cloud, $/month.
    pub cloud_usd: f64,
    /// Local in the scenario's mode, $/month.
    pub local_usd: f64,
    /// Units local needs there.
    pub units: u32,
}

/// `points` volumes evenly spaced from `max_rpd / points` to `max_rpd`.
pub fn volume_sweep(plan: &Plan, max_rpd: f64, points: u32) -> Vec<Point> {
    let mode = plan.inputs.mode;
    (1..=points)
        .map(|k| {
            let rpd = max_rpd * f64::from(k) / f64::from(points);
            let local = plan.local_cost(mode, rpd);
            Point {
                rpd,
                cloud_usd: plan.cloud_monthly(rpd),
                local_usd: local.monthly_usd,
                units: local.units,
            }
        })
        .collect()
}

/// The range a chart should show: four times the scenario's volume, or twice the break-even
/// volume when that is larger, so the crossover is on the chart.
pub fn chart_max_rpd(rpd: f64, break_even_rpd: Option<f64>) -> f64 {
    (4.0 * rpd).max(break_even_rpd.map_or(0.0, |b| 2.0 * b))
}
