//! Hybrid mixes: a share of requests served locally, the rest (and escalations) by the cloud.

use crate::engine::cost::per_1k_requests;
use crate::engine::plan::Plan;
use crate::scenario::Scenario;
use serde::Serialize;

/// The cost of one mix.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mix {
    /// Share of requests routed locally, %.
    pub local_pct: f64,
    /// Share of local requests escalated to the cloud, %.
    pub escalation_pct: f64,
    /// `rpd * share`: every routed request runs locally first.
    pub local_rpd: f64,
    /// `rpd * (1 - share) + rpd * share * escalation`.
    pub cloud_rpd: f64,
    /// Units the local part needs (its peak scaled by the share).
    pub units: u32,
    /// What those units cost to buy, $ (0 when rented or with no local share).
    pub upfront_usd: f64,
    /// Local cost of the local part, $/month (0 with no local share).
    pub local_monthly_usd: f64,
    /// Cloud cost of the cloud part, $/month.
    pub cloud_monthly_usd: f64,
    /// `local + cloud`.
    pub monthly_usd: f64,
    /// `monthly / (rpd * 30) * 1000` over all requests.
    pub per_1k_requests_usd: f64,
}

/// Prices a mix: `share` and `escalation` are fractions.
pub fn mix(plan: &Plan, share: f64, escalation: f64) -> Mix {
    let rpd = plan.inputs.rpd;
    let local_rpd = rpd * share;
    let cloud_rpd = rpd * (1.0 - share) + local_rpd * escalation;
    let (units, upfront, local) = if share > 0.0 {
        let units = plan.load.units(local_rpd, share);
        let cost = plan.local_cost_of(plan.inputs.mode, units, local_rpd);
        (units, cost.upfront_usd, cost.monthly_usd)
    } else {
        (0, 0.0, 0.0)
    };
    let cloud = plan.cloud_monthly(cloud_rpd);
    Mix {
        local_pct: share * 100.0,
        escalation_pct: escalation * 100.0,
        local_rpd,
        cloud_rpd,
        units,
        upfront_usd: upfront,
        local_monthly_usd: local,
        cloud_monthly_usd: cloud,
        monthly_usd: local + cloud,
        per_1k_requests_usd: per_1k_requests(local + cloud, rpd),
    }
}

/// The chosen mix and a ladder of shares to compare it with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hybrid {
    /// The scenario's mix (its share, at least the sensitive share).
    pub chosen: Mix,
    /// Local shares 0, 25, 50, 75 and 100% (never below the sensitive share) at the
    /// scenario's escalation.
    pub ladder: Vec<Mix>,
    /// Index in `ladder` of the cheapest mix.
    pub cheapest: usize,
}

/// Prices the scenario's mix and the ladder.
pub fn hybrid(plan: &Plan) -> Hybrid {
    let i = &plan.inputs;
    let ladder: Vec<Mix> = [0.0, 0.25, 0.5, 0.75, 1.0]
        .into_iter()
        .map(|share: f64| mix(plan, share.max(i.sensitive), i.escalation))
        .collect();
    let cheapest = ladder
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.monthly_usd.total_cmp(&b.1.monthly_usd))
        .map_or(0, |(index, _)| index);
    Hybrid {
        chosen: mix(plan, i.hybrid_local, i.escalation),
        ladder,
        cheapest,
    }
}

/// How demanding a prompt is, by the routing rules of the source texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Complexity {
    /// A factual lookup or short answer: run locally.
    Simple,
    /// Neither: a small cloud model.
    Medium,
    /// Multi-step reasoning, code or comparison: a frontier model.
    Complex,
}

const SIMPLE_PATTERNS: [&str; 5] = ["what is", "define", "when did", "how many", "list the"];
const COMPLEX_PATTERNS: [&str; 8] = [
    "compare",
    "analyze",
    "explain why",
    "design",
    "implement",
    "debug",
    "optimize",
    "write a program",
];

/// Simple when it contains a simple pattern and is under 100 characters; else complex when it
/// contains a complex pattern; else medium. Case-insensitive.
pub fn classify(prompt: &str) -> Complexity {
    let lower = prompt.to_lowercase();
    if SIMPLE_PATTERNS.iter().any(|p| lower.contains(p)) && prompt.chars().count() < 100 {
        Complexity::Simple
    } else if COMPLEX_PATTERNS.iter().any(|p| lower.contains(p)) {
        Complexity::Complex
    } else {
        Complexity::Medium
    }
}

/// Counts of pasted sample prompts by complexity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PromptMix {
    /// Simple prompts.
    pub simple: u32,
    /// Medium prompts.
    pub medium: u32,
    /// Complex prompts.
    pub complex: u32,
    /// `simple / total * 100`: the share a complexity router would keep local.
    pub local_pct: f64,
}

impl PromptMix {
    /// Routes this mix's simple share locally: the scenario's `hyb` becomes `local_pct`,
    /// rounded to 0.01 % so that the link stays short.
    pub fn route(&self, scenario: &mut Scenario) {
        scenario.hybrid_local_pct = (self.local_pct * 100.0).round() / 100.0;
    }
}

/// Classifies one prompt per non-blank line of `text`.
pub fn classify_prompts(text: &str) -> PromptMix {
    let mut counts = [0u32; 3];
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        counts[classify(line) as usize] += 1;
    }
    let total: u32 = counts.iter().sum();
    PromptMix {
        simple: counts[0],
        medium: counts[1],
        complex: counts[2],
        local_pct: if total > 0 {
            f64::from(counts[0]) / f64::from(total) * 100.0
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(prompt: &str, expected: Complexity) {
        assert_eq!(classify(prompt), expected, "{prompt}");
    }

    #[test]
    fn classifies_the_source_examples() {
        check("What is RAG?", Complexity::Simple);
        check(
            "Explain the tradeoffs between HNSW and IVF-PQ index types.",
            Complexity::Medium,
        );
        check(
            "Write a Python class implementing a full RAG pipeline with ChromaDB and GPT-4o-mini.",
            Complexity::Complex,
        );
    }

    #[test]
    fn a_long_simple_question_is_not_simple() {
        let long = format!("What is {}?", "x".repeat(100));
        check(&long, Complexity::Medium);
        check(
            &format!("What is the best way to optimize {}", "y".repeat(90)),
            Complexity::Complex,
        );
    }

    #[test]
    fn pasted_prompts_give_the_local_share() {
        let mix = classify_prompts(
            "What is RAG?\n\n  Define latency \nCompare A and B\nTell me a story\n",
        );
        assert_eq!(
            (mix.simple, mix.medium, mix.complex, mix.local_pct),
            (2, 1, 1, 50.0)
        );
    }

    #[test]
    fn a_mix_routes_its_simple_share_to_a_hundredth_of_a_percent() {
        // 1 simple of 3: 33.333...% -> 33.33
        let mix = classify_prompts("What is RAG?\nCompare A and B\nTell me a story");
        let mut scenario = Scenario::default();
        mix.route(&mut scenario);
        assert_eq!(scenario.hybrid_local_pct, 33.33);
    }
}
