//! The curves of a context-depth sweep, one point per depth: prefill speed against the prompt's
//! length, and decode speed against the depth the answer was generated at.

use super::axes::{count_axis, frame, y_axis};
use super::*;
use crate::measure::depth::{curve, DepthPoint};
use crate::view::format::count_compact;

/// One line through `points` (`(depth, tok/s)`, by depth), each readout `{depth} tokens deep:
/// {value} tok/s {what}`.
fn speed_chart(title: &str, what: &str, points: &[(f64, f64)], width: f64, height: f64) -> Chart {
    let (width, height, plot) = frame(width, height);
    let top = points.iter().map(|p| p.0).fold(0.0, f64::max);
    let (xs, x_ticks) = count_axis(top, &plot);
    let (ys, y_ticks) = y_axis(points.iter().map(|p| p.1), &plot, count_compact);
    let xy: Vec<(f64, f64)> = points.iter().map(|&(d, v)| (xs.at(d), ys.at(v))).collect();
    let line = solid_line(
        what,
        "series-local",
        &xy,
        points.iter().map(|&(d, v)| {
            format!(
                "{} tokens deep: {} tok/s {what}",
                number(d, 0),
                number(v, 1)
            )
        }),
    );
    let readouts = line.points.clone();
    let summary = match (points.first(), points.last()) {
        (Some(low), Some(high)) => format!(
            "{} goes from {} tok/s at {} tokens to {} tok/s at {} tokens.",
            capitalised(what),
            number(low.1, 1),
            number(low.0, 0),
            number(high.1, 1),
            number(high.0, 0)
        ),
        _ => format!("No depth has a {what} speed to plot."),
    };
    Chart {
        title: title.into(),
        width,
        height,
        plot,
        x_title: "tokens of context".into(),
        y_title: format!("tok/s, {what}"),
        x_ticks,
        y_ticks,
        series: vec![line],
        markers: Vec::new(),
        initial: (!readouts.is_empty()).then_some(0),
        readouts,
        table: Table {
            caption: format!("{title}, per depth"),
            headers: vec!["tokens of context".into(), format!("{what}, tok/s")],
            rows: points
                .iter()
                .map(|&(d, v)| vec![number(d, 0), number(v, 1)])
                .collect(),
        },
        summary,
    }
}

/// `prefill` → `Prefill`.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The two charts of a depth sweep, `(prefill, decode)`: prefill tok/s against the prompt's
/// tokens (the server's count, else the depth asked), and decode tok/s against the same.
pub fn depth_curves(points: &[DepthPoint], width: f64, height: f64) -> (Chart, Chart) {
    (
        speed_chart(
            "Prefill speed against depth",
            "prefill",
            &curve(points, |p| p.prefill_tps),
            width,
            height,
        ),
        speed_chart(
            "Decode speed against depth",
            "decode",
            &curve(points, |p| p.decode_tps),
            width,
            height,
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(depth: u32, prompt: f64, prefill: Option<f64>, decode: f64) -> DepthPoint {
        DepthPoint {
            depth,
            prompt_tokens: Some(prompt),
            ttft_ms: Some(100.0),
            prefill_tps: prefill,
            prefill_from_server: true,
            decode_tps: Some(decode),
            load_ms: None,
        }
    }

    // Three depths; the middle one has no prefill figure and is left off that chart only.
    #[test]
    fn each_depth_is_a_point_of_the_speed_it_has() {
        let points = [
            point(4096, 4100.0, Some(1500.0), 40.0),
            point(128, 130.0, Some(2000.0), 60.0),
            point(1024, 1030.0, None, 55.0),
        ];
        let (prefill, decode) = depth_curves(&points, 480.0, 300.0);
        assert_eq!(
            prefill.table.rows,
            [["130", "2,000.0"], ["4,100", "1,500.0"]]
        );
        assert_eq!(decode.readouts.len(), 3);
        assert_eq!(
            decode.readouts[0].label,
            "130 tokens deep: 60.0 tok/s decode"
        );
        assert_eq!(
            decode.summary,
            "Decode goes from 60.0 tok/s at 130 tokens to 40.0 tok/s at 4,100 tokens."
        );
        let (empty, _) = depth_curves(&[], f64::NAN, 0.0);
        assert_eq!(empty.summary, "No depth has a prefill speed to plot.");
    }
}
