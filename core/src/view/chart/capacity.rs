//! A replica's capacity curves: output tokens/s of the replica and of each stream against the
//! requests in flight, the operating point, the memory cap and the latency target marked.

use super::axes::{count_axis, frame, y_axis};
use super::*;
use crate::view::format::count_compact;

/// Points of the capacity curves: every concurrency up to 48, else 48 spread evenly from 1 to
/// the end, with `also` (the operating point) among them.
const CAPACITY_POINTS: u32 = 48;

/// A replica's output tokens/s and each stream's tokens/s against the requests in flight,
/// from 1 to the larger of the memory cap and the operating point, from the plan's serving
/// curve: `(replica, per stream)`. The operating point is a vertical line on both, the memory
/// cap another where it is inside the range, and a `slo_tpot` target a dashed level on the
/// per-stream chart (`1000 / slo_tpot` tokens/s).
pub fn capacity_curves(
    plan: &crate::engine::plan::Plan,
    width: f64,
    height: f64,
) -> (Chart, Chart) {
    let (width, height, plot) = frame(width, height);
    let load = &plan.load;
    let curve = &load.curve;
    let cap = plan.memory.max_streams.max(1);
    let end = cap.max(load.streams).clamp(1, 4096);
    let mut batches: Vec<u32> = if end <= CAPACITY_POINTS {
        (1..=end).collect()
    } else {
        (0..CAPACITY_POINTS)
            .map(|k| {
                1 + ((end - 1) as f64 * f64::from(k) / f64::from(CAPACITY_POINTS - 1)).round()
                    as u32
            })
            .collect()
    };
    batches.push(load.streams.clamp(1, end));
    batches.sort_unstable();
    batches.dedup();

    let (xs, x_ticks) = count_axis(f64::from(end), &plot);
    let rows: Vec<(u32, f64, f64, f64)> = batches
        .iter()
        .map(|&b| {
            (
                b,
                curve.aggregate_tps(b),
                curve.per_stream_tps(b),
                curve.tpot_ms(b),
            )
        })
        .filter(|p| p.1.is_finite() && p.2.is_finite() && p.3.is_finite())
        .collect();
    let table = Table {
        caption: "Output tokens/s against requests in flight".into(),
        headers: vec![
            "requests in flight".into(),
            "replica, tok/s".into(),
            "each stream, tok/s".into(),
            "ms per output token".into(),
        ],
        rows: rows
            .iter()
            .map(|&(b, a, s, t)| {
                vec![
                    number(f64::from(b), 0),
                    number(a, 0),
                    number(s, 1),
                    number(t, 1),
                ]
            })
            .collect(),
    };
    let readouts: Vec<Readout> = rows
        .iter()
        .map(|&(b, a, s, t)| Readout {
            x_px: xs.at(f64::from(b)),
            y_px: plot.top,
            label: format!(
                "{} in flight: the replica puts out {} tok/s, each stream {} tok/s ({} ms per token)",
                number(f64::from(b), 0),
                number(a, 0),
                number(s, 1),
                number(t, 1)
            ),
        })
        .collect();
    let initial = rows.iter().position(|r| r.0 == load.streams.clamp(1, end));
    let at = |b: u32| rows.iter().find(|r| r.0 == b).copied();
    let operating = at(load.streams.clamp(1, end));
    let summary = match operating {
        Some((b, a, s, t)) => format!(
            "At its operating point of {} streams a replica puts out {} tok/s, {} tok/s per stream \
             ({} ms per token); memory holds {} streams.",
            number(f64::from(b), 0),
            number(a, 0),
            number(s, 1),
            number(t, 1),
            number(f64::from(cap), 0)
        ),
        None => "No speed could be estimated for this scenario.".into(),
    };

    let chart = |title: &str,
                 y_title: &str,
                 value: fn(&(u32, f64, f64, f64)) -> f64,
                 class: &'static str,
                 name: &str,
                 level: Option<f64>| {
        let (ys, y_ticks) = y_axis(rows.iter().map(value).chain(level), &plot, count_compact);
        let xy: Vec<(f64, f64)> = rows
            .iter()
            .map(|r| (xs.at(f64::from(r.0)), ys.at(value(r))))
            .collect();
        let labels = rows
            .iter()
            .map(|r| format!("{} tok/s", number(value(r), 1)));
        let mut series = vec![solid_line(name, class, &xy, labels)];
        if let Some(level) = level {
            let y = ys.at(level);
            series.push(Series {
                name: format!("target {}", number(level, 1)),
                class: "series-target",
                dashed: true,
                path: line_path(&[(plot.left, y), (plot.right, y)]),
                points: xy
                    .iter()
                    .map(|&(x, _)| Readout {
                        x_px: x,
                        y_px: y,
                        label: format!("target {} tok/s", number(level, 1)),
                    })
                    .collect(),
            });
        }
        let mut markers = Vec::new();
        let mut line = |b: u32, class: &'static str, label: String, row: f64| {
            let x = xs.at(f64::from(b));
            let (label_x, anchor) = beside(x, &plot, 6.0);
            markers.push(Marker {
                kind: MarkerKind::Line,
                class,
                x,
                y: plot.top,
                label,
                label_x: px(label_x),
                label_y: px(plot.top + FONT_SIZE * row),
                anchor,
            });
        };
        line(
            load.streams.clamp(1, end),
            "marker-volume",
            format!("{} streams", number(f64::from(load.streams), 0)),
            1.0,
        );
        if cap < end || cap == end && cap != load.streams {
            line(
                cap,
                "marker-crossover",
                format!("memory: {}", number(f64::from(cap), 0)),
                2.2,
            );
        }
        Chart {
            title: title.into(),
            width,
            height,
            plot,
            x_title: "requests in flight".into(),
            y_title: y_title.into(),
            x_ticks: x_ticks.clone(),
            y_ticks,
            series,
            markers,
            readouts: readouts.clone(),
            initial,
            table: table.clone(),
            summary: summary.clone(),
        }
    };
    let target = plan
        .inputs
        .slo_tpot_ms
        .filter(|t| *t > 0.0)
        .map(|t| 1000.0 / t);
    (
        chart(
            "Output of one replica",
            "tok/s",
            |r| r.1,
            "series-aggregate",
            "all streams",
            None,
        ),
        chart(
            "Speed each stream sees",
            "tok/s",
            |r| r.2,
            "series-stream",
            "one stream",
            target,
        ),
    )
}
