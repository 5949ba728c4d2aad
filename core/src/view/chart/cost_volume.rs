//! Monthly cost against requests per day: cloud, local with its steps as units are added,
//! the break-even and the scenario's volume marked.

use super::axes::{count_axis, frame, money_axis};
use super::*;

/// Monthly cost of both sides against requests/day, from `report.sweep`.
///
/// Cloud is a line; local is a step function, rising vertically where its unit count
/// changes (at the first swept volume that needs the new count). The scenario's volume
/// `scenario_rpd` is a vertical line; the break-even volume a labelled dot on the cloud line
/// when it lies within the swept range.
pub fn cost_vs_volume(report: &Report, scenario_rpd: f64, width: f64, height: f64) -> Chart {
    let (width, height, plot) = frame(width, height);
    let points: Vec<_> = report
        .sweep
        .iter()
        .filter(|p| p.rpd.is_finite() && p.cloud_usd.is_finite() && p.local_usd.is_finite())
        .collect();
    let top_rpd = points
        .iter()
        .map(|p| p.rpd)
        .chain(scenario_rpd.is_finite().then_some(scenario_rpd))
        .fold(0.0f64, f64::max);
    let (xs, x_ticks) = count_axis(top_rpd, &plot);
    let (ys, y_ticks) = money_axis(
        points.iter().flat_map(|p| [p.cloud_usd, p.local_usd]),
        &plot,
    );

    let cloud_xy: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (xs.at(p.rpd), ys.at(p.cloud_usd)))
        .collect();
    let local_xy: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (xs.at(p.rpd), ys.at(p.local_usd)))
        .collect();
    let mut local_path = String::new();
    for (k, (x, y)) in local_xy.iter().enumerate() {
        if k == 0 {
            local_path.push_str(&format!("M{x},{y}"));
            continue;
        }
        if points[k].units != points[k - 1].units {
            local_path.push_str(&format!("L{x},{}", local_xy[k - 1].1));
        }
        local_path.push_str(&format!("L{x},{y}"));
    }

    let mut readouts = Vec::with_capacity(points.len());
    let mut cloud_points = Vec::with_capacity(points.len());
    let mut local_points = Vec::with_capacity(points.len());
    let mut rows = Vec::with_capacity(points.len());
    for (k, p) in points.iter().enumerate() {
        let (x, cy) = cloud_xy[k];
        let ly = local_xy[k].1;
        let (rpd, cloud, local) = (number(p.rpd, 0), usd(p.cloud_usd), usd(p.local_usd));
        readouts.push(Readout {
            x_px: x,
            y_px: cy.min(ly),
            label: format!(
                "{rpd} requests/day: cloud {cloud}/month, local {local}/month ({})",
                units(p.units)
            ),
        });
        cloud_points.push(Readout {
            x_px: x,
            y_px: cy,
            label: format!("cloud {cloud}/month"),
        });
        local_points.push(Readout {
            x_px: x,
            y_px: ly,
            label: format!("local {local}/month ({})", units(p.units)),
        });
        rows.push(vec![rpd, cloud, local, number(f64::from(p.units), 0)]);
    }

    let last_rpd = points.last().map_or(0.0, |p| p.rpd);
    let mut markers = Vec::new();
    if xs.contains(scenario_rpd) {
        let x = xs.at(scenario_rpd);
        let (label_x, anchor) = beside(x, &plot, 5.0);
        markers.push(Marker {
            kind: MarkerKind::Line,
            class: "marker-volume",
            x,
            y: plot.top,
            label: "your volume".into(),
            label_x: px(label_x),
            label_y: px(plot.top + FONT_SIZE),
            anchor,
        });
    }
    let break_even = report.break_even.volume_rpd.filter(|v| v.is_finite());
    let crossover_y = break_even
        .filter(|&v| v >= 0.0 && v <= last_rpd)
        .and_then(|v| {
            let cloud: Vec<_> = points.iter().map(|p| (p.rpd, p.cloud_usd)).collect();
            interpolate(&cloud, v).map(|c| (v, c))
        });
    if let Some((v, cost)) = crossover_y {
        let (x, y) = (xs.at(v), ys.at(cost));
        let (label_x, anchor) = beside(x, &plot, 8.0);
        markers.push(Marker {
            kind: MarkerKind::Dot,
            class: "marker-crossover",
            x,
            y,
            label: format!("break-even {}/day", number(v, 0)),
            label_x: px(label_x),
            label_y: px((y - 8.0).max(plot.top + FONT_SIZE)),
            anchor,
        });
    }

    let summary = match (points.first(), points.last()) {
        (Some(first), Some(last)) => {
            let fleet = if first.units == last.units {
                format!("{} throughout", units(first.units))
            } else {
                format!(
                    "{} to {}",
                    number(f64::from(first.units), 0),
                    units(last.units)
                )
            };
            let crossing = match break_even {
                Some(v) if crossover_y.is_some() => format!(
                    "Local costs no more than cloud from {} requests/day.",
                    number(v, 0)
                ),
                Some(v) => format!(
                    "Local costs no more than cloud only from {} requests/day, beyond this chart.",
                    number(v, 0)
                ),
                None => "Local never costs less than cloud at any volume.".into(),
            };
            // A volume off the chart is not the one the figures were computed for (the
            // scenario's own was invalid and replaced), so it is not quoted.
            let at_volume = if xs.contains(scenario_rpd) {
                format!(
                    " At your {} requests/day, cloud costs {} and local {} a month.",
                    number(scenario_rpd, 0),
                    usd(report.cloud.monthly_usd),
                    usd(report.local.monthly_usd)
                )
            } else {
                String::new()
            };
            format!(
                "Monthly cost from {} to {} requests/day: cloud goes from {} to {} a month, \
                 local from {} to {} ({fleet}). {crossing}{at_volume}",
                number(first.rpd, 0),
                number(last.rpd, 0),
                usd(first.cloud_usd),
                usd(last.cloud_usd),
                usd(first.local_usd),
                usd(last.local_usd),
            )
        }
        _ => "No volumes to chart.".into(),
    };

    let initial = xs
        .contains(scenario_rpd)
        .then(|| xs.at(scenario_rpd))
        .and_then(|x| nearest_index(&readouts, x))
        .or_else(|| readouts.len().checked_sub(1));
    Chart {
        title: "Monthly cost against volume".into(),
        width,
        height,
        plot,
        x_title: "requests/day".into(),
        y_title: "$/month".into(),
        x_ticks,
        y_ticks,
        series: cloud_and_local(
            report,
            line_path(&cloud_xy),
            cloud_points,
            local_path,
            local_points,
        ),
        markers,
        readouts,
        initial,
        table: Table {
            caption: "Monthly cost by volume".into(),
            headers: vec![
                "Requests/day".into(),
                "Cloud, $/month".into(),
                "Local, $/month".into(),
                "Units".into(),
            ],
            rows,
        },
        summary,
    }
}
