//! Percentiles by linear interpolation, as numpy's default: the one statistic both a run's
//! gaps and a series of runs need.

/// The `p`th percentile (0 to 100) of `values` by linear interpolation between closest
/// ranks (rank `p / 100 * (n - 1)`, as numpy's default); sorts `values` in place; `None`
/// when empty. Non-finite values are ignored.
pub fn percentile(values: &mut Vec<f64>, p: f64) -> Option<f64> {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let rank = p.clamp(0.0, 100.0) / 100.0 * (values.len() - 1) as f64;
    let low = rank.floor() as usize;
    let high = rank.ceil() as usize;
    Some(values[low] + (values[high] - values[low]) * (rank - low as f64))
}
