//! The curves of a load sweep, measured or imported, one point per step: each stream's speed
//! against the output of all streams (the trade-off vLLM and AIPerf plot), and the 95th
//! percentile time to first token against the requests in flight, with the latency targets
//! drawn as levels and the highest step that met them marked.

use super::axes::{count_axis, frame, y_axis};
use super::*;
use crate::codec::benchmark::ServingStep;
use crate::measure::load::Targets;
use crate::measure::sweep::highest_meeting;
use crate::view::format::count_compact;

/// A horizontal target line at `level` across the plot, dashed, with a readout per x.
fn level_series(level: f64, y: f64, plot: &Plot, xs: &[f64], unit: &str) -> Series {
    Series {
        name: format!("target {} {unit}", number(level, 0)),
        class: "series-target",
        dashed: true,
        path: line_path(&[(plot.left, y), (plot.right, y)]),
        points: xs
            .iter()
            .map(|&x| Readout {
                x_px: x,
                y_px: y,
                label: format!("target {} {unit}", number(level, 1)),
            })
            .collect(),
    }
}

/// A dot at `(x, y)` for the highest step within the targets, labelled on the side with room.
fn best_dot(x: f64, y: f64, plot: &Plot, concurrency: u32) -> Marker {
    let (label_x, anchor) = beside(x, plot, 8.0);
    Marker {
        kind: MarkerKind::Dot,
        class: "marker-crossover",
        x,
        y,
        label: format!("{concurrency} in flight: within targets"),
        label_x: px(label_x),
        label_y: px((y - 10.0).max(plot.top + FONT_SIZE)),
        anchor,
    }
}

/// `(concurrency, output tok/s, per-stream tok/s, TTFT p95 ms)` of each step with a per-stream
/// speed, ordered by output tok/s.
fn points(steps: &[ServingStep]) -> Vec<(Option<u32>, f64, f64, Option<f64>)> {
    let mut rows: Vec<_> = steps
        .iter()
        .filter_map(|s| {
            let each = s.per_stream_tps()?;
            (s.output_tps.is_finite() && each.is_finite()).then_some((
                s.concurrency,
                s.output_tps,
                each,
                s.ttft_ms.p95.filter(|t| t.is_finite()),
            ))
        })
        .collect();
    rows.sort_by(|a, b| a.1.total_cmp(&b.1));
    rows
}

/// `4 in flight` or `no cap`.
fn in_flight(concurrency: Option<u32>) -> String {
    concurrency.map_or("no cap".to_owned(), |c| format!("{c} in flight"))
}

/// The two charts of a sweep's `steps`, `(trade-off, TTFT p95)`. The first plots each
/// stream's tok/s (`1000 / mean TPOT`) over the output tok/s of all streams, one point per
/// step, a `tpot_ms` target as the level `1000 / tpot_ms` tok/s; the second TTFT p95 over the
/// requests in flight, a `ttft_ms` target as a level. The highest step that met every target
/// ([`highest_meeting`]) is a dot on both.
pub fn load_curves(
    steps: &[ServingStep],
    targets: Targets,
    width: f64,
    height: f64,
) -> (Chart, Chart) {
    let (width, height, plot) = frame(width, height);
    let rows = points(steps);
    let best = highest_meeting(steps, targets);
    let stream_level = targets.tpot_ms.filter(|t| *t > 0.0).map(|t| 1000.0 / t);

    // Each stream's speed against the output of all streams.
    let top = rows.iter().map(|r| r.1).fold(0.0, f64::max);
    let (xs, x_ticks) = count_axis(top, &plot);
    let (ys, y_ticks) = y_axis(
        rows.iter().map(|r| r.2).chain(stream_level),
        &plot,
        count_compact,
    );
    let xy: Vec<(f64, f64)> = rows.iter().map(|r| (xs.at(r.1), ys.at(r.2))).collect();
    let label = |r: &(Option<u32>, f64, f64, Option<f64>)| {
        format!(
            "{}: {} tok/s in all, {} tok/s each",
            in_flight(r.0),
            number(r.1, 1),
            number(r.2, 1)
        )
    };
    let measured = solid_line("measured", "series-local", &xy, rows.iter().map(label));
    let readouts = measured.points.clone();
    let mut series = vec![measured];
    if let Some(level) = stream_level {
        let x_px: Vec<f64> = xy.iter().map(|p| p.0).collect();
        series.push(level_series(level, ys.at(level), &plot, &x_px, "tok/s"));
    }
    let markers: Vec<Marker> = rows
        .iter()
        .zip(&xy)
        .filter(|(r, _)| best.is_some() && r.0 == best)
        .map(|(r, &(x, y))| best_dot(x, y, &plot, r.0.unwrap_or(1)))
        .collect();
    let verdict = best.map_or(String::new(), |c| {
        format!(" Up to {c} in flight every target was met.")
    });
    let summary = match (rows.first(), rows.last()) {
        (Some(low), Some(high)) => format!(
            "From {} to {}, the output of all streams goes from {} to {} tok/s and each stream's \
             speed from {} to {} tok/s.{verdict}",
            in_flight(low.0),
            in_flight(high.0),
            number(low.1, 1),
            number(high.1, 1),
            number(low.2, 1),
            number(high.2, 1)
        ),
        _ => "No step has a time per output token to plot.".into(),
    };
    let trade_off = Chart {
        title: "Each stream's speed against the total".into(),
        width,
        height,
        plot,
        x_title: "output tok/s, all streams".into(),
        y_title: "tok/s each stream".into(),
        x_ticks,
        y_ticks,
        series,
        markers,
        initial: (!readouts.is_empty()).then_some(0),
        readouts,
        table: Table {
            caption: "Each stream's speed against the output of all streams, per step".into(),
            headers: vec![
                "step".into(),
                "all streams, tok/s".into(),
                "each stream, tok/s".into(),
            ],
            rows: rows
                .iter()
                .map(|r| vec![in_flight(r.0), number(r.1, 1), number(r.2, 1)])
                .collect(),
        },
        summary,
    };

    // TTFT p95 against the requests in flight.
    let mut ttft: Vec<(u32, f64)> = steps
        .iter()
        .filter_map(|s| Some((s.concurrency?, s.ttft_ms.p95.filter(|t| t.is_finite())?)))
        .collect();
    ttft.sort_by_key(|p| p.0);
    let level = targets.ttft_ms.filter(|t| *t > 0.0);
    let last = ttft.last().map_or(1, |p| p.0);
    let (cs, c_ticks) = count_axis(f64::from(last), &plot);
    let (ms, ms_ticks) = y_axis(ttft.iter().map(|p| p.1).chain(level), &plot, count_compact);
    let cxy: Vec<(f64, f64)> = ttft
        .iter()
        .map(|&(c, t)| (cs.at(f64::from(c)), ms.at(t)))
        .collect();
    let measured = solid_line(
        "TTFT p95",
        "series-local",
        &cxy,
        ttft.iter()
            .map(|&(c, t)| format!("{c} in flight: TTFT p95 {} ms", number(t, 1))),
    );
    let ttft_readouts = measured.points.clone();
    let mut ttft_series = vec![measured];
    if let Some(level) = level {
        let x_px: Vec<f64> = cxy.iter().map(|p| p.0).collect();
        ttft_series.push(level_series(level, ms.at(level), &plot, &x_px, "ms"));
    }
    let ttft_markers: Vec<Marker> = ttft
        .iter()
        .zip(&cxy)
        .filter(|((c, _), _)| Some(*c) == best)
        .map(|(&(c, _), &(x, y))| best_dot(x, y, &plot, c))
        .collect();
    let ttft_summary = match (ttft.first(), ttft.last()) {
        (Some(low), Some(high)) => format!(
            "Time to first token at the 95th percentile goes from {} ms at {} in flight to {} ms \
             at {}.{verdict}",
            number(low.1, 1),
            low.0,
            number(high.1, 1),
            high.0
        ),
        _ => "No step has a 95th percentile time to first token to plot.".into(),
    };
    let ttft_chart = Chart {
        title: "Time to first token under load".into(),
        width,
        height,
        plot,
        x_title: "requests in flight".into(),
        y_title: "ms, TTFT p95".into(),
        x_ticks: c_ticks,
        y_ticks: ms_ticks,
        series: ttft_series,
        markers: ttft_markers,
        initial: (!ttft_readouts.is_empty()).then_some(0),
        readouts: ttft_readouts,
        table: Table {
            caption: "Time to first token at the 95th percentile, per step".into(),
            headers: vec!["requests in flight".into(), "TTFT p95, ms".into()],
            rows: ttft
                .iter()
                .map(|&(c, t)| vec![c.to_string(), number(t, 1)])
                .collect(),
        },
        summary: ttft_summary,
    };
    (trade_off, ttft_chart)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::load::RequestTiming;
    use crate::measure::sweep::{serving_step, StepRecord};

    /// A step at `c` in flight over 1 s of 10 requests, each with a TTFT of `ttft_s` and 11
    /// tokens `gap_s` apart.
    fn step(c: u32, ttft_s: f64, gap_s: f64) -> ServingStep {
        let request = RequestTiming {
            ok: true,
            ttft_s,
            e2e_s: ttft_s + 10.0 * gap_s,
            output_tokens: 11,
            gaps_s: vec![gap_s; 10],
            chunk_tokens: Vec::new(),
        };
        let record = StepRecord {
            concurrency: c,
            requests: vec![request; 10],
            errors: Vec::new(),
            wall_s: 1.0,
        };
        serving_step("m", record, Targets::default())
    }

    // Each step: 10 × 11 = 110 tokens in 1 s = 110 tok/s in all (the same for every step, so
    // the x axis runs 0 to 110 → 0 to 120 in nice ticks); each stream 1000 / (gap in ms).
    // Steps 1, 2, 4 with gaps 10, 20, 40 ms: 100, 50, 25 tok/s each; TTFT 100, 200, 400 ms.
    // Targets TTFT ≤ 250 ms, TPOT ≤ 25 ms (level 40 tok/s): steps 1 and 2 meet both.
    #[test]
    fn a_sweep_drawn_with_its_targets() {
        let steps = [step(1, 0.1, 0.01), step(2, 0.2, 0.02), step(4, 0.4, 0.04)];
        let targets = Targets {
            ttft_ms: Some(250.0),
            tpot_ms: Some(25.0),
        };
        let (trade, ttft) = load_curves(&steps, targets, 480.0, 300.0);
        let labels: Vec<&str> = trade.readouts.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "1 in flight: 110.0 tok/s in all, 100.0 tok/s each",
                "2 in flight: 110.0 tok/s in all, 50.0 tok/s each",
                "4 in flight: 110.0 tok/s in all, 25.0 tok/s each",
            ]
        );
        assert_eq!(trade.series[1].name, "target 40 tok/s");
        assert_eq!(
            trade
                .markers
                .iter()
                .map(|m| m.label.as_str())
                .collect::<Vec<_>>(),
            ["2 in flight: within targets"]
        );
        assert_eq!(
            ttft.table.rows,
            [["1", "100.0"], ["2", "200.0"], ["4", "400.0"]]
        );
        assert_eq!(ttft.series[1].name, "target 250 ms");
        assert_eq!(ttft.markers.len(), 1);
        // The dot sits on the step's point: x of 2 on a 0–4 axis over the plot 60–456 px.
        assert_eq!(ttft.markers[0].x, 258.0);
        assert!(ttft.summary.starts_with(
            "Time to first token at the 95th percentile goes from 100.0 ms at 1 in flight to \
             400.0 ms at 4. Up to 2 in flight every target was met."
        ));
    }

    #[test]
    fn steps_without_figures_draw_empty_charts_with_a_reason() {
        let mut bare = step(1, 0.1, 0.01);
        bare.tpot_ms = Default::default();
        bare.ttft_ms = Default::default();
        let (trade, ttft) = load_curves(&[bare], Targets::default(), f64::NAN, 0.0);
        assert!(trade.readouts.is_empty() && ttft.readouts.is_empty());
        assert_eq!(
            trade.summary,
            "No step has a time per output token to plot."
        );
        assert_eq!((trade.width, trade.height), (480.0, 300.0));
    }
}
