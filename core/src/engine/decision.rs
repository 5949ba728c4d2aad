//! The trade-off decision matrix: weighted scores of local and cloud on six criteria.

use crate::scenario::Criterion;
use serde::Serialize;

/// Local or cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Run the model on your own or rented hardware.
    Local,
    /// Call a cloud API.
    Cloud,
}

impl Side {
    /// `local` or `cloud`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Local => "local",
            Side::Cloud => "cloud",
        }
    }
}

/// Default scores (local, cloud, why) per criterion, from the trade-off decision matrix.
pub const DEFAULT_SCORES: [(Criterion, f64, f64, &str); 6] = [
    (
        Criterion::Cost,
        8.0,
        8.0,
        "local wins at high volume, cloud at low volume",
    ),
    (
        Criterion::Latency,
        9.0,
        6.0,
        "local has no network round trip or provider queue",
    ),
    (
        Criterion::Quality,
        7.0,
        10.0,
        "frontier models are cloud-only",
    ),
    (
        Criterion::Privacy,
        10.0,
        5.0,
        "with local inference data never leaves",
    ),
    (
        Criterion::Scalability,
        5.0,
        10.0,
        "cloud scales without buying hardware",
    ),
    (
        Criterion::Simplicity,
        6.0,
        9.0,
        "cloud needs only an API key",
    ),
];

/// One row of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionScore {
    /// The criterion.
    pub criterion: Criterion,
    /// Its weight: explicit, else 2 when a priority, else 1.
    pub weight: f64,
    /// Local score, 1-10.
    pub local: f64,
    /// Cloud score, 1-10.
    pub cloud: f64,
    /// Why the scores are what they are.
    pub note: String,
}

/// The weighted outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// Local only when its total is strictly higher; a tie recommends cloud.
    pub recommendation: Side,
    /// `sum(weight * local)`.
    pub local_score: f64,
    /// `sum(weight * cloud)`.
    pub cloud_score: f64,
    /// `|local_score - cloud_score|`.
    pub margin: f64,
    /// Every criterion with its weight and scores.
    pub criteria: Vec<CriterionScore>,
}

/// The weight of `criterion`: an explicit weight wins, else 2 for a priority, else 1.
pub fn weight(criterion: Criterion, priorities: &[Criterion], weights: &[(Criterion, f64)]) -> f64 {
    match weights.iter().find(|(c, _)| *c == criterion) {
        Some((_, w)) => *w,
        None if priorities.contains(&criterion) => 2.0,
        None => 1.0,
    }
}

/// Scores derived from a figure where lower is better (monthly cost, time to first token):
/// the lower side scores 10, the other `10 * lower / higher`, rounded and kept within 1..=10.
pub fn cost_scores(local_monthly: f64, cloud_monthly: f64) -> (f64, f64) {
    let cheaper = local_monthly.min(cloud_monthly);
    let score = |own: f64| {
        if own <= cheaper || own <= 0.0 {
            10.0
        } else {
            (10.0 * cheaper / own).round().clamp(1.0, 10.0)
        }
    };
    (score(local_monthly), score(cloud_monthly))
}

/// A criterion's scores worked out from the scenario: local, cloud and the note saying how.
pub type Derived = (Criterion, (f64, f64, String));

/// Scores the matrix; each of `derived` replaces the default scores and note of its criterion.
pub fn decide(
    priorities: &[Criterion],
    weights: &[(Criterion, f64)],
    derived: &[Derived],
) -> Decision {
    let criteria: Vec<CriterionScore> = DEFAULT_SCORES
        .iter()
        .map(|&(criterion, local, cloud, note)| {
            let (local, cloud, note) = match derived.iter().find(|(c, _)| *c == criterion) {
                Some((_, (l, c, n))) => (*l, *c, n.clone()),
                None => (local, cloud, note.to_string()),
            };
            CriterionScore {
                criterion,
                weight: weight(criterion, priorities, weights),
                local,
                cloud,
                note,
            }
        })
        .collect();
    let local_score: f64 = criteria.iter().map(|c| c.weight * c.local).sum();
    let cloud_score: f64 = criteria.iter().map(|c| c.weight * c.cloud).sum();
    Decision {
        recommendation: if local_score > cloud_score {
            Side::Local
        } else {
            Side::Cloud
        },
        local_score,
        cloud_score,
        margin: (local_score - cloud_score).abs(),
        criteria,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Criterion::*;

    /// Scores `priorities` with default weights and compares (recommendation, local, cloud, margin).
    fn check(priorities: &[Criterion], expected: (Side, f64, f64, f64)) {
        let d = decide(priorities, &[], &[]);
        assert_eq!(
            (d.recommendation, d.local_score, d.cloud_score, d.margin),
            expected
        );
    }

    // Unweighted totals: local 8+9+7+10+5+6 = 45, cloud 8+6+10+5+10+9 = 48.
    #[test]
    fn no_priority_favours_cloud_by_three() {
        check(&[], (Side::Cloud, 45.0, 48.0, 3.0));
    }

    // Startup: cost and simplicity doubled: local 45+8+6 = 59, cloud 48+8+9 = 65.
    #[test]
    fn startup_goes_cloud() {
        check(&[Cost, Simplicity], (Side::Cloud, 59.0, 65.0, 6.0));
    }

    // Healthcare: privacy and quality doubled: local 45+10+7 = 62, cloud 48+5+10 = 63.
    #[test]
    fn healthcare_goes_cloud_by_one() {
        check(&[Privacy, Quality], (Side::Cloud, 62.0, 63.0, 1.0));
    }

    // High traffic: scalability and latency: local 45+5+9 = 59, cloud 48+10+6 = 64.
    #[test]
    fn high_traffic_goes_cloud() {
        check(&[Scalability, Latency], (Side::Cloud, 59.0, 64.0, 5.0));
    }

    // Trading: latency and privacy: local 45+9+10 = 64, cloud 48+6+5 = 59.
    #[test]
    fn trading_goes_local() {
        check(&[Latency, Privacy], (Side::Local, 64.0, 59.0, 5.0));
    }

    // Explicit weights override priorities: privacy 3 adds 2*10 and 2*5: 65 against 58.
    #[test]
    fn explicit_weights_override_priorities() {
        let d = decide(&[Privacy], &[(Privacy, 3.0)], &[]);
        assert_eq!(
            (d.recommendation, d.local_score, d.cloud_score),
            (Side::Local, 65.0, 58.0)
        );
    }

    // A tie recommends cloud: privacy weight 1.6 gives local 45+6 = 51, cloud 48+3 = 51.
    #[test]
    fn a_tie_recommends_cloud() {
        let d = decide(&[], &[(Privacy, 1.6)], &[]);
        assert!((d.local_score - d.cloud_score).abs() < 1e-9);
        assert_eq!(d.recommendation, Side::Cloud);
    }

    #[test]
    fn cost_scores_reward_the_cheaper_side() {
        assert_eq!(cost_scores(57.4, 54.0), (9.0, 10.0));
        assert_eq!(cost_scores(100.0, 400.0), (10.0, 3.0));
        assert_eq!(cost_scores(1.0, 1000.0), (10.0, 1.0));
        assert_eq!(cost_scores(0.0, 0.0), (10.0, 10.0));
    }
}
