//! The rule-based guide: a recommendation with its reasons, from facts a score cannot weigh.

use crate::engine::decision::Side;
use crate::scenario::Flag;
use serde::Serialize;

/// Above this cloud bill, $/month, local inference is worth evaluating.
pub const BILL_THRESHOLD_USD: f64 = 500.0;

/// The guide's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guide {
    /// What the rules conclude.
    pub recommendation: Side,
    /// Each rule that fired, in the order they were applied.
    pub reasons: Vec<String>,
}

/// Walks the rules in order: regulated data and offline operation require local; a need for
/// frontier quality means cloud; a bill above [`BILL_THRESHOLD_USD`] means evaluating local,
/// viable only with an ops team and when local is cheaper; otherwise the API is cheaper all-in.
pub fn guide(flags: &[Flag], cloud_monthly: f64, local_monthly: f64) -> Guide {
    let has = |f: Flag| flags.contains(&f);
    let mut reasons = Vec::new();
    let local_required = has(Flag::Regulated) || has(Flag::Offline);
    if has(Flag::Regulated) {
        reasons.push("the data is regulated and must not leave your infrastructure: local inference is required".to_string());
    }
    if has(Flag::Offline) {
        reasons.push("the system must work offline: only local inference can".to_string());
    }
    if local_required {
        if has(Flag::Frontier) {
            reasons.push("frontier quality is not available locally: choose the largest open model your hardware holds".to_string());
        }
        if has(Flag::NoOps) {
            reasons.push("with no one to run the infrastructure, budget for training or managed on-premises support".to_string());
        }
        return Guide {
            recommendation: Side::Local,
            reasons,
        };
    }
    if has(Flag::Frontier) {
        reasons.push("frontier-model quality is needed: use the API".to_string());
        return Guide {
            recommendation: Side::Cloud,
            reasons,
        };
    }
    if cloud_monthly <= BILL_THRESHOLD_USD {
        reasons.push(format!(
            "the API bill of ${cloud_monthly:.2}/month is at most ${BILL_THRESHOLD_USD:.0}: the API is cheaper all-in"
        ));
        return Guide {
            recommendation: Side::Cloud,
            reasons,
        };
    }
    reasons.push(format!(
        "the API bill of ${cloud_monthly:.2}/month is above ${BILL_THRESHOLD_USD:.0}: local inference is worth evaluating"
    ));
    if has(Flag::NoOps) {
        reasons.push("no one can run inference infrastructure: stick with the API".to_string());
        return Guide {
            recommendation: Side::Cloud,
            reasons,
        };
    }
    if local_monthly < cloud_monthly {
        reasons.push(format!(
            "local costs ${local_monthly:.2}/month against ${cloud_monthly:.2}: local inference is viable"
        ));
        Guide {
            recommendation: Side::Local,
            reasons,
        }
    } else {
        reasons.push(format!(
            "local costs ${local_monthly:.2}/month, no less than the API's ${cloud_monthly:.2}: stay with the API"
        ));
        Guide {
            recommendation: Side::Cloud,
            reasons,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Flag::*;

    /// Runs the guide and compares the recommendation and the reasons' leading words.
    fn check(flags: &[Flag], cloud: f64, local: f64, expected: Side, starts: &[&str]) {
        let g = guide(flags, cloud, local);
        assert_eq!(g.recommendation, expected, "{:?}", g.reasons);
        assert_eq!(g.reasons.len(), starts.len(), "{:?}", g.reasons);
        for (reason, start) in g.reasons.iter().zip(starts) {
            assert!(
                reason.starts_with(start),
                "{reason:?} should start with {start:?}"
            );
        }
    }

    #[test]
    fn regulated_data_means_local_whatever_the_cost() {
        check(
            &[Regulated, Frontier],
            10.0,
            1000.0,
            Side::Local,
            &["the data is regulated", "frontier quality is not available"],
        );
    }

    #[test]
    fn offline_means_local() {
        check(
            &[Offline],
            10.0,
            1000.0,
            Side::Local,
            &["the system must work offline"],
        );
    }

    #[test]
    fn frontier_quality_means_cloud() {
        check(
            &[Frontier],
            5000.0,
            100.0,
            Side::Cloud,
            &["frontier-model quality is needed"],
        );
    }

    #[test]
    fn a_small_bill_stays_with_the_api() {
        check(
            &[],
            500.0,
            57.4,
            Side::Cloud,
            &["the API bill of $500.00/month is at most $500"],
        );
    }

    #[test]
    fn a_large_bill_with_cheaper_local_goes_local() {
        check(
            &[],
            1575.0,
            57.4,
            Side::Local,
            &[
                "the API bill of $1575.00/month is above $500",
                "local costs $57.40/month against $1575.00",
            ],
        );
    }

    #[test]
    fn no_ops_team_stays_with_the_api() {
        check(
            &[NoOps],
            1575.0,
            57.4,
            Side::Cloud,
            &["the API bill", "no one can run inference infrastructure"],
        );
    }

    #[test]
    fn a_large_bill_with_dearer_local_stays() {
        check(
            &[],
            600.0,
            900.0,
            Side::Cloud,
            &["the API bill", "local costs $900.00/month, no less"],
        );
    }
}
