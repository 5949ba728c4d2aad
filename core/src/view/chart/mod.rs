//! Charts as plain data: ticks, SVG paths, markers, readouts and a text alternative, in pixels of a fixed viewBox.
//!
//! The view draws what is here and adds nothing but styling, so every coordinate and every
//! word of a chart is tested natively. Points with a non-finite value are left out, so no
//! coordinate is ever NaN, and no input makes a constructor panic.

mod axes;
mod capacity;
mod cost_volume;
mod cumulative;
mod depth;
mod load;

pub use axes::nice_ticks;
pub use capacity::capacity_curves;
pub use cost_volume::cost_vs_volume;
pub use cumulative::cumulative_cost;
pub use depth::depth_curves;
pub use load::load_curves;

use crate::engine::report::Report;
use crate::scenario::Mode;
use crate::view::format::{months, number, usd};

/// Font size of tick and marker labels, in viewBox units; the margins are sized for it.
pub const FONT_SIZE: f64 = 14.0;
/// Space left of the plot for the y tick labels.
pub const MARGIN_LEFT: f64 = 60.0;
/// Space right of the plot, for half of the last x tick label.
pub const MARGIN_RIGHT: f64 = 24.0;
/// Space above the plot, for the y axis title.
pub const MARGIN_TOP: f64 = 32.0;
/// Space below the plot, for the x tick labels and the x axis title.
pub const MARGIN_BOTTOM: f64 = 48.0;
/// Ticks asked of [`nice_ticks`] on the x axis.
const X_TICKS: usize = 5;
/// Ticks asked of [`nice_ticks`] on the y axis.
const Y_TICKS: usize = 6;

/// One tick on an axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Pixel position along its axis (x for the x axis, y for the y axis).
    pub pos: f64,
    /// Text under or beside the tick.
    pub label: String,
}

/// The plot area inside the chart's margins, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plot {
    /// Left edge (the y axis).
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge (the x axis).
    pub bottom: f64,
}

/// A point a reader can step to, with what to say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Readout {
    /// Horizontal position, pixels.
    pub x_px: f64,
    /// Vertical position, pixels. For a chart-level readout, the topmost series point there.
    pub y_px: f64,
    /// The values there in words.
    pub label: String,
}

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Name shown in the legend.
    pub name: String,
    /// CSS class of the line and its points: `series-cloud` or `series-local`.
    pub class: &'static str,
    /// Whether the line is drawn dashed, so it is told apart without colour.
    pub dashed: bool,
    /// SVG path data (`d`).
    pub path: String,
    /// The series' value at each of the chart's readouts, same index.
    pub points: Vec<Readout>,
}

/// How a marker is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// A vertical line across the plot at `x`.
    Line,
    /// A dot at (`x`, `y`).
    Dot,
}

/// Which end of a label sits at its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The label starts there and runs right.
    Start,
    /// The label ends there.
    End,
}

impl Anchor {
    /// The SVG `text-anchor` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::End => "end",
        }
    }
}

/// A marked place on the chart: the scenario's volume, the crossover, the payback.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Line or dot.
    pub kind: MarkerKind,
    /// CSS class: `marker-volume`, `marker-crossover` or `marker-payback`.
    pub class: &'static str,
    /// Horizontal position, pixels.
    pub x: f64,
    /// Vertical position, pixels (the plot's top for a line).
    pub y: f64,
    /// Short label drawn beside it.
    pub label: String,
    /// Where the label goes, pixels.
    pub label_x: f64,
    /// Baseline of the label, pixels.
    pub label_y: f64,
    /// Which end of the label is at `label_x`, so it stays inside the chart.
    pub anchor: Anchor,
}

/// The chart's data as a table, for screen readers.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// What the table holds.
    pub caption: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// One row per readout, one cell per header; the first cell heads the row.
    pub rows: Vec<Vec<String>>,
}

/// A whole chart, ready to draw in a `0 0 width height` viewBox.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Short title.
    pub title: String,
    /// viewBox width.
    pub width: f64,
    /// viewBox height.
    pub height: f64,
    /// The plot area.
    pub plot: Plot,
    /// Title of the x axis, drawn under its ticks.
    pub x_title: String,
    /// Title of the y axis, drawn above it.
    pub y_title: String,
    /// Ticks along the bottom.
    pub x_ticks: Vec<Tick>,
    /// Ticks up the left side, bottom first.
    pub y_ticks: Vec<Tick>,
    /// The lines, cloud first.
    pub series: Vec<Series>,
    /// Marked places.
    pub markers: Vec<Marker>,
    /// The points a reader steps through, left to right, with all series' values in words.
    pub readouts: Vec<Readout>,
    /// The readout to show first on keyboard focus.
    pub initial: Option<usize>,
    /// The data as a table.
    pub table: Table,
    /// Text alternative: the crossover (or its absence) and the end values in words.
    pub summary: String,
}

/// A move of the keyboard readout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// One point left.
    Prev,
    /// One point right.
    Next,
    /// The first point.
    First,
    /// The last point.
    Last,
}

/// One entry of a chart's legend: the series' swatch and its name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegendEntry {
    /// Index of the series in [`Chart::series`].
    pub series: usize,
    /// Left end of the swatch, a [`LEGEND_SWATCH`]-long line.
    pub swatch_x: f64,
    /// Where the name starts.
    pub text_x: f64,
}

/// Length of a legend swatch, viewBox units.
pub const LEGEND_SWATCH: f64 = 22.0;
/// Space between a swatch and its name.
const LEGEND_LABEL_GAP: f64 = 5.0;
/// Space between two entries.
const LEGEND_ENTRY_GAP: f64 = 14.0;
/// Estimated width of one character of the chart font: 0.56 × [`FONT_SIZE`].
const CHAR_WIDTH: f64 = FONT_SIZE * 0.56;

impl Chart {
    /// The legend, right-aligned to the plot's right edge above it: each entry a swatch,
    /// `LEGEND_LABEL_GAP`, then the name (its width estimated at `CHAR_WIDTH` a character),
    /// `LEGEND_ENTRY_GAP` between entries.
    pub fn legend(&self) -> Vec<LegendEntry> {
        let widths: Vec<f64> = self
            .series
            .iter()
            .map(|s| LEGEND_SWATCH + LEGEND_LABEL_GAP + s.name.chars().count() as f64 * CHAR_WIDTH)
            .collect();
        let total =
            widths.iter().sum::<f64>() + LEGEND_ENTRY_GAP * widths.len().saturating_sub(1) as f64;
        let mut x = self.plot.right - total;
        widths
            .iter()
            .enumerate()
            .map(|(series, width)| {
                let entry = LegendEntry {
                    series,
                    swatch_x: x,
                    text_x: x + LEGEND_SWATCH + LEGEND_LABEL_GAP,
                };
                x += width + LEGEND_ENTRY_GAP;
                entry
            })
            .collect()
    }

    /// The readout nearest to `x_px` horizontally; `None` without readouts or for NaN.
    pub fn nearest(&self, x_px: f64) -> Option<usize> {
        if x_px.is_nan() {
            return None;
        }
        self.readouts
            .iter()
            .enumerate()
            .min_by(|(_, a), (_, b)| (a.x_px - x_px).abs().total_cmp(&(b.x_px - x_px).abs()))
            .map(|(i, _)| i)
    }

    /// The readout after a key press from `current`. With nothing selected yet, Left and
    /// Right go to [`Chart::initial`]; an out-of-range `current` counts as the last point.
    pub fn navigate(&self, current: Option<usize>, nav: Nav) -> Option<usize> {
        let last = self.readouts.len().checked_sub(1)?;
        let at = match (current, nav) {
            (_, Nav::First) => 0,
            (_, Nav::Last) => last,
            (None, _) => self.initial.unwrap_or(0),
            (Some(i), Nav::Prev) => i.min(last).saturating_sub(1),
            (Some(i), Nav::Next) => (i + 1).min(last),
        };
        Some(at.min(last))
    }
}

/// Rounds a pixel coordinate to a tenth, which keeps paths short and tests exact.
fn px(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// SVG path data through `points`; an empty string for none.
fn line_path(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (k, (x, y)) in points.iter().enumerate() {
        d.push(if k == 0 { 'M' } else { 'L' });
        d.push_str(&format!("{x},{y}"));
    }
    d
}

/// A solid line named `name` in `class` through `xy` (pixels), with a readout at each point
/// labelled from `labels`, in order.
fn solid_line(
    name: impl Into<String>,
    class: &'static str,
    xy: &[(f64, f64)],
    labels: impl IntoIterator<Item = String>,
) -> Series {
    Series {
        name: name.into(),
        class,
        dashed: false,
        path: line_path(xy),
        points: xy
            .iter()
            .zip(labels)
            .map(|(&(x_px, y_px), label)| Readout { x_px, y_px, label })
            .collect(),
    }
}

/// A label beside `x`, on the side with more room.
fn beside(x: f64, plot: &Plot, gap: f64) -> (f64, Anchor) {
    if x > (plot.left + plot.right) / 2.0 {
        (x - gap, Anchor::End)
    } else {
        (x + gap, Anchor::Start)
    }
}

/// Linear interpolation in `(x, y)` points sorted by x, extending the end segments.
fn interpolate(points: &[(f64, f64)], x: f64) -> Option<f64> {
    match points {
        [] => None,
        [(_, y)] => Some(*y),
        _ => {
            let k = points
                .windows(2)
                .position(|w| x <= w[1].0)
                .unwrap_or(points.len() - 2);
            let ((x0, y0), (x1, y1)) = (points[k], points[k + 1]);
            if x1 == x0 {
                Some(y1)
            } else {
                Some(y0 + (x - x0) / (x1 - x0) * (y1 - y0))
            }
        }
    }
}

/// `1 unit`, `3 units`.
fn units(n: u32) -> String {
    if n == 1 {
        "1 unit".into()
    } else {
        format!("{} units", number(f64::from(n), 0))
    }
}

/// The local series' name in the scenario's mode.
fn local_name(report: &Report) -> String {
    match report.local.mode {
        Mode::Own => "Local (owned)".into(),
        Mode::Rent => "Local (rented)".into(),
    }
}

/// Index of the readout nearest to `x`.
fn nearest_index(readouts: &[Readout], x: f64) -> Option<usize> {
    readouts
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| (a.x_px - x).abs().total_cmp(&(b.x_px - x).abs()))
        .map(|(i, _)| i)
}

/// The two series every chart draws: cloud solid, local dashed (told apart without colour).
fn cloud_and_local(
    report: &Report,
    cloud_path: String,
    cloud_points: Vec<Readout>,
    local_path: String,
    local_points: Vec<Readout>,
) -> Vec<Series> {
    vec![
        Series {
            name: "Cloud".into(),
            class: "series-cloud",
            dashed: false,
            path: cloud_path,
            points: cloud_points,
        },
        Series {
            name: local_name(report),
            class: "series-local",
            dashed: true,
            path: local_path,
            points: local_points,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::report::evaluate;
    use crate::engine::sweep::Point;
    use crate::scenario::Scenario;
    use crate::view::format::{count_compact, money_compact};

    // "Cloud" (5 characters) and "Local (owned)" (13) at 0.56 × 14 = 7.84 a character:
    // 22 + 5 + 39.2 = 66.2 and 22 + 5 + 101.92 = 128.92 wide, 14 apart, 209.12 in all, ending
    // at the plot's right edge, 640 − 24 = 616.
    #[test]
    fn the_legend_sits_right_aligned_above_the_plot() {
        let c = cost_vs_volume(&crate::evaluate(&Scenario::default()), 5000.0, 640.0, 300.0);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        let legend = c.legend();
        assert_eq!(legend.len(), 2);
        assert_eq!((legend[0].series, legend[1].series), (0, 1));
        assert!(close(legend[0].swatch_x, 616.0 - 209.12), "{legend:?}");
        assert!(close(legend[0].text_x, 616.0 - 209.12 + 27.0), "{legend:?}");
        assert!(close(legend[1].swatch_x, 616.0 - 128.92), "{legend:?}");
        assert!(close(legend[1].text_x, 616.0 - 101.92), "{legend:?}");
    }

    fn check<T: std::fmt::Debug + PartialEq>(actual: T, expected: T) {
        assert_eq!(actual, expected);
    }

    fn point(rpd: f64, cloud_usd: f64, local_usd: f64, units: u32) -> Point {
        Point {
            rpd,
            cloud_usd,
            local_usd,
            units,
        }
    }

    /// The default scenario's report with a hand-made sweep, horizon and break-even.
    fn tiny() -> Report {
        let mut r = evaluate(&Scenario::default());
        r.sweep = vec![
            point(1000.0, 10.0, 50.0, 1),
            point(2000.0, 20.0, 50.0, 1),
            point(3000.0, 30.0, 100.0, 2),
            point(4000.0, 40.0, 100.0, 2),
        ];
        r.break_even.volume_rpd = Some(2500.0);
        r.break_even.payback_months = Some(2.5);
        r.tco.cumulative_cloud = vec![100.0, 200.0, 300.0, 400.0];
        r.tco.cumulative_local = vec![250.0, 260.0, 270.0, 280.0];
        r.local.mode = Mode::Own;
        r.cloud.monthly_usd = 15.0;
        r.local.monthly_usd = 50.0;
        r
    }

    fn positions(ticks: &[Tick]) -> Vec<(f64, &str)> {
        ticks.iter().map(|t| (t.pos, t.label.as_str())).collect()
    }

    #[test]
    fn ticks_by_hand() {
        check(nice_ticks(0.0, 1234.0, 4), vec![0.0, 500.0, 1000.0, 1500.0]);
        check(
            nice_ticks(0.0, 100.0, 6),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0],
        );
        check(
            nice_ticks(0.0, 4000.0, 5),
            vec![0.0, 1000.0, 2000.0, 3000.0, 4000.0],
        );
        // 9.7 / 4 = 2.4 -> 5: the range is covered, not cut at 8.
        check(nice_ticks(0.0, 9.7, 5), vec![0.0, 5.0, 10.0]);
        check(nice_ticks(0.3, 0.7, 5), vec![0.3, 0.4, 0.5, 0.6, 0.7]);
        check(nice_ticks(-35.0, 12.0, 5), vec![-40.0, -20.0, 0.0, 20.0]);
        check(nice_ticks(1e6, 3.2e6, 3), vec![0.0, 2e6, 4e6]);
        check(nice_ticks(0.0, 0.012, 4), vec![0.0, 0.005, 0.01, 0.015]);
    }

    #[test]
    fn ticks_odd_input() {
        check(nice_ticks(1234.0, 0.0, 4), vec![0.0, 500.0, 1000.0, 1500.0]);
        check(nice_ticks(50.0, 50.0, 4), vec![0.0, 20.0, 40.0, 60.0]);
        check(nice_ticks(-8.0, -8.0, 3), vec![-10.0, -5.0, 0.0]);
        check(nice_ticks(0.0, 0.0, 3), vec![0.0, 0.5, 1.0]);
        check(nice_ticks(f64::NAN, f64::NAN, 3), vec![0.0, 0.5, 1.0]);
        check(nice_ticks(f64::NAN, 10.0, 3), vec![0.0, 5.0, 10.0]);
        check(nice_ticks(0.0, f64::INFINITY, 3), vec![0.0, 0.5, 1.0]);
        check(nice_ticks(0.0, 10.0, 0), vec![0.0, 10.0]);
        check(
            nice_ticks(-f64::MAX, f64::MAX, 5),
            vec![-f64::MAX, f64::MAX],
        );
        for (lo, hi, n) in [
            (0.0, f64::MAX, 5),
            (0.0, 1e-320, 5),
            (1e15, 1e15 + 1.0, 4),
            (0.0, 1.0, usize::MAX),
            (-1e300, 1e300, 7),
        ] {
            let t = nice_ticks(lo, hi, n);
            assert!(t.len() >= 2 && t.len() <= 1001, "{lo}..{hi}: {t:?}");
            assert!(t.iter().all(|v| v.is_finite()), "{lo}..{hi}: {t:?}");
            assert!(t[0] <= lo && t[t.len() - 1] >= hi, "{lo}..{hi}: {t:?}");
        }
    }

    #[test]
    fn compact_labels() {
        let money: Vec<String> = [0.0, 0.5, 950.0, 1200.0, 1000.0, 12_500.0, 999_999.0]
            .into_iter()
            .chain([3.4e6, 1.25e9, -2000.0, f64::NAN])
            .map(money_compact)
            .collect();
        check(
            money,
            [
                "$0", "$0.50", "$950", "$1.2k", "$1k", "$12.5k", "$1M", "$3.4M", "$1.25B", "-$2k",
                "n/a",
            ]
            .map(String::from)
            .to_vec(),
        );
        check(count_compact(15_000.0), "15k".to_string());
        check(count_compact(500.0), "500".to_string());
        check(count_compact(1.5e6), "1.5M".to_string());
    }

    #[test]
    fn cost_chart_geometry() {
        let c = cost_vs_volume(&tiny(), 1500.0, 480.0, 300.0);
        // Plot 60..456 across (396 px for 0..4000), 252..32 up (220 px for $0..$100).
        check(
            c.plot,
            Plot {
                left: 60.0,
                top: 32.0,
                right: 456.0,
                bottom: 252.0,
            },
        );
        check(
            positions(&c.x_ticks),
            vec![
                (60.0, "0"),
                (159.0, "1k"),
                (258.0, "2k"),
                (357.0, "3k"),
                (456.0, "4k"),
            ],
        );
        check(
            positions(&c.y_ticks),
            vec![
                (252.0, "$0"),
                (208.0, "$20"),
                (164.0, "$40"),
                (120.0, "$60"),
                (76.0, "$80"),
                (32.0, "$100"),
            ],
        );
        check(
            c.series[0].path.as_str(),
            "M159,230L258,208L357,186L456,164",
        );
        // Local steps up at 3,000 requests/day, where it needs a second unit.
        check(
            c.series[1].path.as_str(),
            "M159,142L258,142L357,142L357,32L456,32",
        );
        check(c.series[1].name.as_str(), "Local (owned)");
        check(
            c.readouts[2].label.as_str(),
            "3,000 requests/day: cloud $30.00/month, local $100.00/month (2 units)",
        );
        check((c.readouts[2].x_px, c.readouts[2].y_px), (357.0, 32.0));
        check(c.series[0].points[0].label.as_str(), "cloud $10.00/month");
        check(
            c.series[1].points[0].label.as_str(),
            "local $50.00/month (1 unit)",
        );
        let markers: Vec<_> = c
            .markers
            .iter()
            .map(|m| (m.kind, m.x, m.y, m.label.as_str(), m.anchor))
            .collect();
        check(
            markers,
            vec![
                (MarkerKind::Line, 208.5, 32.0, "your volume", Anchor::Start),
                // $25 on the cloud line at 2,500 requests/day.
                (
                    MarkerKind::Dot,
                    307.5,
                    197.0,
                    "break-even 2,500/day",
                    Anchor::End,
                ),
            ],
        );
        check(c.initial, Some(0));
        check(
            c.table.rows[3].clone(),
            vec![
                "4,000".into(),
                "$40.00".into(),
                "$100.00".into(),
                "2".into(),
            ],
        );
    }

    #[test]
    fn cost_chart_summary() {
        let mut r = tiny();
        check(
            cost_vs_volume(&r, 1500.0, 480.0, 300.0).summary,
            "Monthly cost from 1,000 to 4,000 requests/day: cloud goes from $10.00 to $40.00 a \
             month, local from $50.00 to $100.00 (1 to 2 units). Local costs no more than \
             cloud from 2,500 requests/day. At your 1,500 requests/day, cloud costs $15.00 \
             and local $50.00 a month."
                .to_string(),
        );
        r.break_even.volume_rpd = Some(9000.0);
        let c = cost_vs_volume(&r, 1500.0, 480.0, 300.0);
        assert!(c.summary.contains(
            "Local costs no more than cloud only from 9,000 requests/day, beyond this chart."
        ));
        check(c.markers.len(), 1);
        r.break_even.volume_rpd = None;
        let c = cost_vs_volume(&r, -5.0, 480.0, 300.0);
        assert!(c
            .summary
            .ends_with("Local never costs less than cloud at any volume."));
        check(c.markers.len(), 0);
    }

    #[test]
    fn cumulative_chart() {
        let c = cumulative_cost(&tiny(), 480.0, 300.0);
        // 4 months across 396 px: 99 px a month; $0..$400 in steps of $100, 55 px each.
        check(
            positions(&c.x_ticks),
            vec![
                (60.0, "0"),
                (159.0, "1"),
                (258.0, "2"),
                (357.0, "3"),
                (456.0, "4"),
            ],
        );
        check(c.x_title.as_str(), "months");
        check(c.y_ticks.last().map(|t| t.label.as_str()), Some("$400"));
        check(c.series[0].path.as_str(), "M159,197L258,142L357,87L456,32");
        check(
            c.series[1].path.as_str(),
            "M159,114.5L258,109L357,103.5L456,98",
        );
        check(
            c.readouts[0].label.as_str(),
            "after 1 month: cloud $100.00, local $250.00 in total",
        );
        check(c.initial, Some(3));
        let m = &c.markers[0];
        check(
            (m.kind, m.x, m.y, m.label.as_str()),
            (MarkerKind::Dot, 307.5, 114.5, "payback 2.5 months"),
        );
        check(
            c.summary,
            "Cumulative cost over 4 months: cloud reaches $400.00 and local $280.00, so local \
             saves $120.00. Local pays back after 2.5 months."
                .to_string(),
        );
    }

    #[test]
    fn cumulative_ticks_in_years() {
        let mut r = tiny();
        r.tco.cumulative_cloud = (1..=36).map(f64::from).collect();
        r.tco.cumulative_local = (1..=36).map(|m| 20.0 + f64::from(m) / 2.0).collect();
        r.break_even.payback_months = Some(50.0);
        let c = cumulative_cost(&r, 480.0, 300.0);
        check(c.x_title.as_str(), "years");
        check(
            positions(&c.x_ticks),
            vec![(60.0, "0"), (192.0, "1"), (324.0, "2"), (456.0, "3")],
        );
        check(c.markers.len(), 0);
        assert!(c
            .summary
            .starts_with("Cumulative cost over 36 months (3 years):"));
        assert!(c
            .summary
            .ends_with("Local pays back only after 50.0 months, beyond the 36-month horizon."));
    }

    #[test]
    fn degenerate_reports_do_not_panic() {
        let mut r = tiny();
        r.sweep.clear();
        r.tco.cumulative_cloud.clear();
        r.tco.cumulative_local.clear();
        let c = cost_vs_volume(&r, f64::NAN, f64::NAN, -1.0);
        check(c.summary.as_str(), "No volumes to chart.");
        check((c.series[0].path.as_str(), c.markers.len()), ("", 0));
        check(c.navigate(None, Nav::Next), None);
        check(c.nearest(100.0), None);
        check(
            cumulative_cost(&r, 0.0, 0.0).summary,
            "No months to chart.".into(),
        );

        r.sweep = vec![
            point(0.0, 0.0, 0.0, 0),
            point(f64::NAN, 1.0, 1.0, 1),
            point(5.0, f64::INFINITY, 0.0, 1),
        ];
        r.tco.cumulative_cloud = vec![0.0, f64::NAN];
        r.tco.cumulative_local = vec![0.0];
        r.break_even.volume_rpd = Some(f64::NAN);
        r.break_even.payback_months = Some(f64::INFINITY);
        for c in [
            cost_vs_volume(&r, 0.0, 480.0, 300.0),
            cumulative_cost(&r, 480.0, 300.0),
        ] {
            check(c.readouts.len(), 1);
            let numbers = c
                .readouts
                .iter()
                .chain(c.series.iter().flat_map(|s| &s.points))
                .flat_map(|p| [p.x_px, p.y_px])
                .chain(c.x_ticks.iter().chain(&c.y_ticks).map(|t| t.pos))
                .chain(c.markers.iter().flat_map(|m| [m.x, m.y]));
            for v in numbers {
                assert!(v.is_finite(), "{c:?}");
            }
        }
    }

    #[test]
    fn readout_navigation() {
        let c = cost_vs_volume(&tiny(), 3900.0, 480.0, 300.0);
        check(c.initial, Some(3));
        check(c.navigate(None, Nav::Prev), Some(3));
        check(c.navigate(Some(3), Nav::Prev), Some(2));
        check(c.navigate(Some(0), Nav::Prev), Some(0));
        check(c.navigate(Some(3), Nav::Next), Some(3));
        check(c.navigate(Some(9), Nav::Next), Some(3));
        check(c.navigate(Some(2), Nav::First), Some(0));
        check(c.navigate(None, Nav::Last), Some(3));
        check(c.nearest(200.0), Some(0));
        check(c.nearest(320.0), Some(2));
        check(c.nearest(f64::NAN), None);
    }

    #[test]
    fn capacity_curves_follow_the_serving_curve() {
        use crate::codec::link;
        use crate::engine::inputs::Inputs;
        use crate::engine::plan::Plan;
        let link = "v=1&rpd=20000&hw=h100-80gb&lm=llama3.1:8b&eng=vllm&slo_tpot=40";
        let scenario = link::decode(link).scenario;
        let plan = Plan::new(Inputs::resolve(&scenario).0);
        let report = evaluate(&scenario);
        let (replica, stream) = capacity_curves(&plan, 420.0, 270.0);
        let rows = &replica.table.rows;
        let value = |row: &Vec<String>, k: usize| row[k].replace(',', "").parse::<f64>().unwrap();
        // From one stream to the memory cap, the replica's output never falls and a stream's
        // speed never rises.
        check(rows[0][0].as_str(), "1");
        check(
            value(rows.last().unwrap(), 0),
            f64::from(plan.memory.max_streams),
        );
        for pair in rows.windows(2) {
            assert!(value(&pair[1], 1) >= value(&pair[0], 1), "{pair:?}");
            assert!(value(&pair[1], 2) <= value(&pair[0], 2), "{pair:?}");
        }
        // The operating point is the report's, within the table's rounding.
        let c = &report.capacity;
        let at = &rows[replica.initial.unwrap()];
        check(value(at, 0), f64::from(c.streams_per_replica));
        assert!((value(at, 1) - c.aggregate_tps).abs() <= 0.5);
        assert!((value(at, 3) - c.tpot_ms).abs() <= 0.05);
        assert!(c.tpot_ms <= 40.0);
        // The 40 ms target is a level of 25 tok/s on the per-stream chart.
        check(stream.series[1].name.as_str(), "target 25.0");
        check(replica.series.len(), 1);
    }
}
