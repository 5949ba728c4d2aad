//! How figures are written for people: dollars, counts and durations with their units.

/// `1234.5` -> `$1,234.50`; negative amounts as `-$12.00`. Whole dollars from $100,000 up.
pub fn usd(amount: f64) -> String {
    if !amount.is_finite() {
        return "n/a".into();
    }
    let sign = if amount < 0.0 { "-" } else { "" };
    let abs = amount.abs();
    if abs >= 100_000.0 {
        format!("{sign}${}", grouped(abs.round(), 0))
    } else {
        format!("{sign}${}", grouped(abs, 2))
    }
}

/// A count with thousands separators and `decimals` places: `9812.7` -> `9,813` at 0.
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "n/a".into();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    format!("{sign}{}", grouped(value.abs(), decimals))
}

/// A price that may need more than cents, e.g. `$0.075` per 1M tokens: two decimals when
/// they are exact, otherwise up to six.
pub fn price(value: f64) -> String {
    let cents = value * 100.0;
    if (cents - cents.round()).abs() < 1e-6 {
        usd(value)
    } else if !value.is_finite() {
        "n/a".into()
    } else {
        let text = trim_zeros(number(value.abs(), 6));
        let sign = if value < 0.0 { "-" } else { "" };
        format!("{sign}${text}")
    }
}

/// Drops trailing zeros after a decimal point, and the point itself when nothing is left.
fn trim_zeros(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A count or factor for people: whole numbers without decimals, others with up to two.
pub fn plain(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        number(value.round(), 0)
    } else {
        trim_zeros(number(value, 2))
    }
}

/// `n` of `thing`, in words: `1 run`, `5 runs` (`thing` takes an `s` for any other count).
pub fn count(n: usize, thing: &str) -> String {
    match n {
        1 => format!("1 {thing}"),
        n => format!("{} {thing}s", number(n as f64, 0)),
    }
}

/// Weighted decision points with one decimal: `3.0 points`.
pub fn points(value: f64) -> String {
    format!("{} points", number(value, 1))
}

/// Months with one decimal, or `never` when there is no payback.
pub fn months(value: Option<f64>) -> String {
    match value {
        Some(m) if m.is_finite() => format!("{m:.1} months"),
        _ => "never".into(),
    }
}

/// Formats a non-negative finite value with `,` between thousands.
fn grouped(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    fn check(actual: String, expected: &str) {
        assert_eq!(actual, expected);
    }

    #[test]
    fn dollars() {
        check(usd(57.404444), "$57.40");
        check(usd(1234.5), "$1,234.50");
        check(usd(-737.6), "-$737.60");
        check(usd(450_000.0), "$450,000");
        check(usd(0.0), "$0.00");
        check(usd(f64::NAN), "n/a");
    }

    #[test]
    fn prices_keep_the_decimals_they_need() {
        check(price(0.15), "$0.15");
        check(price(0.075), "$0.075");
        check(price(0.0375), "$0.0375");
        check(price(10.0), "$10.00");
        check(price(1.25), "$1.25");
        check(price(0.000001), "$0.000001");
        check(price(f64::INFINITY), "n/a");
    }

    #[test]
    fn counted_things() {
        check(count(1, "run"), "1 run");
        check(count(0, "request"), "0 requests");
        check(count(1200, "request"), "1,200 requests");
    }

    #[test]
    fn counts() {
        check(number(9812.7255, 0), "9,813");
        check(number(1_166_666_666.7, 0), "1,166,666,667");
        check(number(999.0, 0), "999");
        check(number(-1500.25, 1), "-1,500.2");
        check(number(35.13394, 1), "35.1");
    }

    #[test]
    fn payback_months() {
        check(months(Some(66.666)), "66.7 months");
        check(months(None), "never");
    }
}
