//! Reference-file tests: scenarios worked out by hand in `fixtures/golden.txt`.

use crossover_core::codec::link;
use crossover_core::evaluate;
use serde_json::Value;

/// One expectation: a dotted path and the value written for it.
struct Expect<'a> {
    line: usize,
    path: &'a str,
    contains: bool,
    value: &'a str,
}

/// Looks up `a.b.0.c` in a JSON value.
fn lookup<'v>(root: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.')
        .try_fold(root, |v, part| match part.parse::<usize>() {
            Ok(index) => v.get(index),
            Err(_) => v.get(part),
        })
}

/// Checks one expectation against the report; returns a message when it fails.
fn check(report: &Value, e: &Expect) -> Option<String> {
    let Some(actual) = lookup(report, e.path) else {
        return Some(format!("line {}: no {} in the report", e.line, e.path));
    };
    if e.contains {
        let found = actual.as_array().is_some_and(|items| {
            items
                .iter()
                .any(|i| i.as_str().is_some_and(|s| s.contains(e.value)))
        });
        return (!found).then(|| {
            format!(
                "line {}: no item of {} contains {:?}: {actual}",
                e.line, e.path, e.value
            )
        });
    }
    let ok = match (e.value, actual) {
        ("null", v) => v.is_null(),
        ("true", v) => v == &Value::Bool(true),
        ("false", v) => v == &Value::Bool(false),
        (written, Value::Number(n)) => {
            let expected: f64 = written.parse().unwrap_or(f64::NAN);
            let decimals = written.split_once('.').map_or(0, |(_, d)| d.len());
            let tolerance = if decimals == 0 {
                1e-9
            } else {
                0.5 * 10f64.powi(-(decimals as i32))
            };
            n.as_f64()
                .is_some_and(|a| (a - expected).abs() <= tolerance)
        }
        (written, Value::String(s)) => s == written,
        _ => false,
    };
    (!ok).then(|| {
        format!(
            "line {}: {} is {actual}, expected {}",
            e.line, e.path, e.value
        )
    })
}

#[test]
fn golden_scenarios_match_their_hand_worked_figures() {
    let text = include_str!("fixtures/golden.txt");
    let (mut title, mut report) = ("", None);
    let (mut failures, mut checked) = (Vec::new(), 0);
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(t) = line.strip_prefix("## ") {
            (title, report) = (t, None);
        } else if let Some(q) = line.strip_prefix("query:") {
            let decoded = link::decode(q.trim());
            assert!(decoded.notes.is_empty(), "{title}: {:?}", decoded.notes);
            report =
                Some(serde_json::to_value(evaluate(&decoded.scenario)).expect("report serializes"));
        } else if !line.is_empty() && !line.starts_with('#') {
            let report = report
                .as_ref()
                .unwrap_or_else(|| panic!("{title}: expectation before query"));
            let (path, contains, value) = match (line.split_once(" = "), line.split_once(" ~ ")) {
                (Some((p, v)), _) => (p, false, v),
                (None, Some((p, v))) => (p, true, v),
                _ => panic!("line {}: not an expectation: {line}", index + 1),
            };
            let e = Expect {
                line: index + 1,
                path: path.trim(),
                contains,
                value: value.trim(),
            };
            if let Some(message) = check(report, &e) {
                failures.push(format!("{title}: {message}"));
            }
            checked += 1;
        }
    }
    assert!(checked >= 80, "only {checked} expectations were read");
    assert!(
        failures.is_empty(),
        "{} of {checked} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
