//! Cumulative cost over the horizon, month by month: where local pays back.

use super::axes::{frame, money_axis, time_ticks, Scale};
use super::*;

/// Cumulative cost of both sides month by month over the horizon, from `report.tco`.
///
/// The value of month `k` (0-based) is drawn at `k + 1` months, the end of that month. The
/// payback is a labelled dot on the cloud line when it falls within the horizon.
pub fn cumulative_cost(report: &Report, width: f64, height: f64) -> Chart {
    let (width, height, plot) = frame(width, height);
    let tco = &report.tco;
    let points: Vec<(f64, f64, f64)> = tco
        .cumulative_cloud
        .iter()
        .zip(&tco.cumulative_local)
        .enumerate()
        .map(|(k, (&c, &l))| (k as f64 + 1.0, c, l))
        .filter(|(_, c, l)| c.is_finite() && l.is_finite())
        .collect();
    let horizon = points.last().map_or(0.0, |p| p.0);
    let span = if horizon > 0.0 { horizon } else { 12.0 };
    let (ticks, x_title) = time_ticks(span);
    let xs = Scale {
        d0: 0.0,
        d1: span,
        p0: plot.left,
        p1: plot.right,
    };
    let (ys, y_ticks) = money_axis(points.iter().flat_map(|p| [p.1, p.2]), &plot);

    let cloud_xy: Vec<(f64, f64)> = points.iter().map(|p| (xs.at(p.0), ys.at(p.1))).collect();
    let local_xy: Vec<(f64, f64)> = points.iter().map(|p| (xs.at(p.0), ys.at(p.2))).collect();
    let mut readouts = Vec::with_capacity(points.len());
    let mut cloud_points = Vec::with_capacity(points.len());
    let mut local_points = Vec::with_capacity(points.len());
    let mut rows = Vec::with_capacity(points.len());
    for (k, &(m, c, l)) in points.iter().enumerate() {
        let (x, cy) = cloud_xy[k];
        let ly = local_xy[k].1;
        let when = if m == 1.0 {
            "after 1 month".to_string()
        } else {
            format!("after {} months", number(m, 0))
        };
        readouts.push(Readout {
            x_px: x,
            y_px: cy.min(ly),
            label: format!("{when}: cloud {}, local {} in total", usd(c), usd(l)),
        });
        cloud_points.push(Readout {
            x_px: x,
            y_px: cy,
            label: format!("cloud {}", usd(c)),
        });
        local_points.push(Readout {
            x_px: x,
            y_px: ly,
            label: format!("local {}", usd(l)),
        });
        rows.push(vec![number(m, 0), usd(c), usd(l)]);
    }

    let payback = report.break_even.payback_months.filter(|p| p.is_finite());
    let payback_in = payback.filter(|&p| p >= 0.0 && p <= horizon);
    let mut markers = Vec::new();
    if let Some(p) = payback_in {
        let cloud: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
            .chain(points.iter().map(|q| (q.0, q.1)))
            .collect();
        if let Some(cost) = interpolate(&cloud, p) {
            let (x, y) = (xs.at(p), ys.at(cost));
            let (label_x, anchor) = beside(x, &plot, 8.0);
            markers.push(Marker {
                kind: MarkerKind::Dot,
                class: "marker-payback",
                x,
                y,
                label: format!("payback {}", months(Some(p))),
                label_x: px(label_x),
                label_y: px((y - 8.0).max(plot.top + FONT_SIZE)),
                anchor,
            });
        }
    }

    let summary = match points.last() {
        Some(&(m, c, l)) => {
            let length = if m >= 24.0 && m % 12.0 == 0.0 {
                format!("{} months ({} years)", number(m, 0), number(m / 12.0, 0))
            } else {
                format!("{} months", number(m, 0))
            };
            let verdict = if l < c {
                format!("local saves {}", usd(c - l))
            } else if l > c {
                format!("local costs {} more", usd(l - c))
            } else {
                "both cost the same".into()
            };
            let paid = match payback {
                Some(p) if p <= 0.0 => "Local costs less from the first month.".to_string(),
                Some(p) if payback_in.is_some() => {
                    format!("Local pays back after {}.", months(Some(p)))
                }
                Some(p) => format!(
                    "Local pays back only after {}, beyond the {}-month horizon.",
                    months(Some(p)),
                    number(m, 0)
                ),
                None => "Local never pays back.".into(),
            };
            format!(
                "Cumulative cost over {length}: cloud reaches {} and local {}, so {verdict}. {paid}",
                usd(c),
                usd(l)
            )
        }
        None => "No months to chart.".into(),
    };

    let initial = readouts.len().checked_sub(1);
    Chart {
        title: "Cumulative cost over the horizon".into(),
        width,
        height,
        plot,
        x_title: x_title.into(),
        y_title: "$ total".into(),
        x_ticks: ticks
            .into_iter()
            .map(|(m, label)| Tick {
                pos: xs.at(m),
                label,
            })
            .collect(),
        y_ticks,
        series: cloud_and_local(
            report,
            line_path(&cloud_xy),
            cloud_points,
            line_path(&local_xy),
            local_points,
        ),
        markers,
        readouts,
        initial,
        table: Table {
            caption: "Cumulative cost by month".into(),
            headers: vec![
                "Month".into(),
                "Cloud, cumulative".into(),
                "Local, cumulative".into(),
            ],
            rows,
        },
        summary,
    }
}
