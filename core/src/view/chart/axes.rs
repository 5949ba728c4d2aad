//! Axes: round tick values, the plot frame, and the scales from data to pixels.

use super::{
    px, Plot, Tick, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, X_TICKS, Y_TICKS,
};
use crate::view::format::{count_compact, money_compact, number};

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
pub(super) fn sanitize_range(min: f64, max: f64) -> (f64, f64) {
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

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scale {
    pub(super) d0: f64,
    pub(super) d1: f64,
    pub(super) p0: f64,
    pub(super) p1: f64,
}

impl Scale {
    pub(super) fn at(&self, v: f64) -> f64 {
        if self.d1 == self.d0 {
            return px(self.p0);
        }
        px(self.p0 + (v - self.d0) / (self.d1 - self.d0) * (self.p1 - self.p0))
    }

    pub(super) fn contains(&self, v: f64) -> bool {
        v.is_finite() && v >= self.d0.min(self.d1) && v <= self.d0.max(self.d1)
    }
}

/// Width, height and plot area, with sizes too small or not finite replaced.
pub(super) fn frame(width: f64, height: f64) -> (f64, f64, Plot) {
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
pub(super) fn money_axis(values: impl Iterator<Item = f64>, plot: &Plot) -> (Scale, Vec<Tick>) {
    y_axis(values, plot, money_compact)
}

/// The y axis from 0 (or the lowest value when negative) to the highest value, each tick
/// written by `label`.
pub(super) fn y_axis(
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
pub(super) fn count_axis(top: f64, plot: &Plot) -> (Scale, Vec<Tick>) {
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

/// Month ticks for a horizon of `months` months: years (whole, 1-2-5 steps) from 24 months,
/// else steps of 1, 2, 3 or 6 months; never past the horizon. Returns (month, label) pairs.
pub(super) fn time_ticks(months: f64) -> (Vec<(f64, String)>, &'static str) {
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
