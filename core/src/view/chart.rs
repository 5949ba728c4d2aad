//! Charts as plain data: ticks, SVG paths, markers, readouts and a text alternative, in pixels of a fixed viewBox.
//!
//! The view draws what is here and adds nothing but styling, so every coordinate and every
//! word of a chart is tested natively. Points with a non-finite value are left out, so no
//! coordinate is ever NaN, and no input makes a constructor panic.

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

impl Chart {
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

/// Round numbers covering `min..=max` in steps of 1, 2 or 5 times a power of ten, about
/// `target` of them (at most `target + 1`, at least 2).
///
/// Never panics: the bounds may come in either order; a non-finite bound is replaced by the
/// other, both by `0..1`; a single value `v` gives ticks from 0 to `v`. Ranges too wide or too
/// narrow for a step in `f64` give just the two bounds.
pub fn nice_ticks(min: f64, max: f64, target: usize) -> Vec<f64> {
    let (lo, hi) = sanitize_range(min, max);
    let intervals = target.clamp(2, 1000) - 1;
    let raw = (hi - lo) / intervals as f64;
    if !raw.is_finite() || raw <= 0.0 {
        return vec![lo, hi];
    }
    let mut exp = raw.log10().floor();
    let base = 10f64.powf(exp);
    let mut mantissa = [1.0, 2.0, 5.0]
        .into_iter()
        .find(|m| m * base >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0);
    if mantissa == 10.0 {
        mantissa = 1.0;
        exp += 1.0;
    }
    // Multiplying by a power of ten but dividing by its inverse keeps 0.3 from becoming
    // 0.30000000000000004.
    let value = |i: f64| {
        if exp >= 0.0 {
            i * mantissa * 10f64.powf(exp)
        } else {
            i * mantissa / 10f64.powf(-exp)
        }
    };
    let step = value(1.0);
    let first = (lo / step + 1e-9).floor();
    let last = (hi / step - 1e-9).ceil();
    let count = last - first;
    if !count.is_finite() || !(1.0..=1000.0).contains(&count) {
        return vec![lo, hi];
    }
    let ticks: Vec<f64> = (0..=count as usize)
        .map(|k| value(first + k as f64))
        .collect();
    if ticks.iter().all(|t| t.is_finite()) {
        ticks
    } else {
        vec![lo, hi]
    }
}

/// Ordered, finite, non-empty bounds for [`nice_ticks`].
fn sanitize_range(min: f64, max: f64) -> (f64, f64) {
    let (a, b) = match (min.is_finite(), max.is_finite()) {
        (true, true) => (min, max),
        (true, false) => (min, min),
        (false, true) => (max, max),
        (false, false) => (0.0, 1.0),
    };
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    if lo < hi {
        (lo, hi)
    } else if lo > 0.0 {
        (0.0, lo)
    } else if lo < 0.0 {
        (lo, 0.0)
    } else {
        (0.0, 1.0)
    }
}

/// Dollars for axis ticks: `$0`, `$0.50`, `$950`, `$1.2k`, `$3.4M`, `$1.25B`, `-$2k`.
pub fn money_compact(amount: f64) -> String {
    if !amount.is_finite() {
        return "n/a".into();
    }
    let sign = if amount < 0.0 { "-" } else { "" };
    format!("{sign}${}", compact(amount.abs()))
}

/// Counts for axis ticks: `0`, `500`, `12k`, `1.5M`.
pub fn count_compact(value: f64) -> String {
    if !value.is_finite() {
        return "n/a".into();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    format!("{sign}{}", compact(value.abs()))
}

/// A non-negative finite value with a k/M/B/T suffix and at most two decimals.
fn compact(abs: f64) -> String {
    const SCALES: [(f64, &str); 4] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")];
    let round2 = |v: f64| (v * 100.0).round() / 100.0;
    for (scale, suffix) in SCALES {
        let scaled = round2(abs / scale);
        if scaled >= 1.0 {
            return format!("{}{suffix}", trimmed(scaled));
        }
    }
    let cents = round2(abs);
    if cents.fract() == 0.0 {
        format!("{cents:.0}")
    } else {
        format!("{cents:.2}")
    }
}

/// `1.50` -> `1.5`, `2.00` -> `2`.
fn trimmed(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Rounds a pixel coordinate to a tenth, which keeps paths short and tests exact.
fn px(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy)]
struct Scale {
    d0: f64,
    d1: f64,
    p0: f64,
    p1: f64,
}

impl Scale {
    fn at(&self, v: f64) -> f64 {
        if self.d1 == self.d0 {
            return px(self.p0);
        }
        px(self.p0 + (v - self.d0) / (self.d1 - self.d0) * (self.p1 - self.p0))
    }

    fn contains(&self, v: f64) -> bool {
        v.is_finite() && v >= self.d0.min(self.d1) && v <= self.d0.max(self.d1)
    }
}

/// Width, height and plot area, with sizes too small or not finite replaced.
fn frame(width: f64, height: f64) -> (f64, f64, Plot) {
    let fit = |v: f64, fallback: f64, min: f64| {
        if v.is_finite() && v > 0.0 {
            v.max(min)
        } else {
            fallback
        }
    };
    let width = fit(width, 480.0, MARGIN_LEFT + MARGIN_RIGHT + 1.0);
    let height = fit(height, 300.0, MARGIN_TOP + MARGIN_BOTTOM + 1.0);
    let plot = Plot {
        left: MARGIN_LEFT,
        top: MARGIN_TOP,
        right: width - MARGIN_RIGHT,
        bottom: height - MARGIN_BOTTOM,
    };
    (width, height, plot)
}

/// The y axis from 0 (or the lowest value when negative) to the highest value, in dollars.
fn money_axis(values: impl Iterator<Item = f64>, plot: &Plot) -> (Scale, Vec<Tick>) {
    y_axis(values, plot, money_compact)
}

/// The y axis from 0 (or the lowest value when negative) to the highest value, each tick
/// written by `label`.
fn y_axis(
    values: impl Iterator<Item = f64>,
    plot: &Plot,
    label: fn(f64) -> String,
) -> (Scale, Vec<Tick>) {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let ticks = nice_ticks(lo, hi, Y_TICKS);
    let scale = Scale {
        d0: ticks[0],
        d1: ticks[ticks.len() - 1],
        p0: plot.bottom,
        p1: plot.top,
    };
    let ticks = ticks
        .iter()
        .map(|&t| Tick {
            pos: scale.at(t),
            label: label(t),
        })
        .collect();
    (scale, ticks)
}

/// The x axis from 0 to `top`, ticks written as counts.
fn count_axis(top: f64, plot: &Plot) -> (Scale, Vec<Tick>) {
    let ticks = nice_ticks(0.0, top, X_TICKS);
    let scale = Scale {
        d0: ticks[0],
        d1: ticks[ticks.len() - 1],
        p0: plot.left,
        p1: plot.right,
    };
    let ticks = ticks
        .iter()
        .map(|&t| Tick {
            pos: scale.at(t),
            label: count_compact(t),
        })
        .collect();
    (scale, ticks)
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

/// Index of the readout nearest to `x`.
fn nearest_index(readouts: &[Readout], x: f64) -> Option<usize> {
    readouts
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| (a.x_px - x).abs().total_cmp(&(b.x_px - x).abs()))
        .map(|(i, _)| i)
}

/// Month ticks for a horizon of `months` months: years (whole, 1-2-5 steps) from 24 months,
/// else steps of 1, 2, 3 or 6 months; never past the horizon. Returns (month, label) pairs.
fn time_ticks(months: f64) -> (Vec<(f64, String)>, &'static str) {
    if months >= 24.0 {
        let years = months / 12.0;
        let nice = nice_ticks(0.0, years, X_TICKS);
        let step = (nice[1] - nice[0]).max(1.0).round();
        let ticks = (0..)
            .map(|k| f64::from(k) * step)
            .take_while(|y| *y <= years + 1e-9)
            .map(|y| (y * 12.0, number(y, 0)))
            .collect();
        (ticks, "years")
    } else {
        let step = [1.0, 2.0, 3.0, 6.0]
            .into_iter()
            .find(|s| months / s <= 6.0)
            .unwrap_or(12.0);
        let ticks = (0..)
            .map(|k| f64::from(k) * step)
            .take_while(|m| *m <= months + 1e-9)
            .map(|m| (m, number(m, 0)))
            .collect();
        (ticks, "months")
    }
}

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
        let mut series = vec![Series {
            name: name.into(),
            class,
            dashed: false,
            path: line_path(&xy),
            points: rows
                .iter()
                .zip(&xy)
                .map(|(r, &(x, y))| Readout {
                    x_px: x,
                    y_px: y,
                    label: format!("{} tok/s", number(value(r), 1)),
                })
                .collect(),
        }];
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::report::evaluate;
    use crate::engine::sweep::Point;
    use crate::scenario::Scenario;

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
