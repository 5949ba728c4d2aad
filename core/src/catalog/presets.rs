//! Ready-made scenarios: the decision scenarios, the volume ladder and the use cases of the
//! source texts, each written as a link fragment applied over the current scenario.

use crate::codec::link::field;
use crate::scenario::Scenario;
use serde::Serialize;

/// Which row of presets a preset belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// Priority profiles of the decision matrix.
    Decision,
    /// Requests per day.
    Volume,
    /// Typical workloads.
    UseCase,
}

/// A named change to a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Preset {
    /// Stable identifier.
    pub id: &'static str,
    /// Button text.
    pub name: &'static str,
    /// Its row.
    pub group: Group,
    /// The fields it sets, as a link fragment.
    pub link: &'static str,
}

/// Every preset, by group.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "startup",
        name: "Startup",
        group: Group::Decision,
        link: "prio=cost,simplicity&flags=",
    },
    Preset {
        id: "healthcare",
        name: "Healthcare",
        group: Group::Decision,
        link: "prio=privacy,quality&flags=regulated",
    },
    Preset {
        id: "high-traffic",
        name: "High-traffic app",
        group: Group::Decision,
        link: "prio=scalability,latency&flags=",
    },
    Preset {
        id: "trading",
        name: "Financial trading",
        group: Group::Decision,
        link: "prio=latency,privacy&flags=",
    },
    Preset {
        id: "rpd-100",
        name: "100/day",
        group: Group::Volume,
        link: "rpd=100",
    },
    Preset {
        id: "rpd-1000",
        name: "1,000/day",
        group: Group::Volume,
        link: "rpd=1000",
    },
    Preset {
        id: "rpd-5000",
        name: "5,000/day",
        group: Group::Volume,
        link: "rpd=5000",
    },
    Preset {
        id: "rpd-10000",
        name: "10,000/day",
        group: Group::Volume,
        link: "rpd=10000",
    },
    Preset {
        id: "rpd-50000",
        name: "50,000/day",
        group: Group::Volume,
        link: "rpd=50000",
    },
    Preset {
        id: "dev-testing",
        name: "Dev testing",
        group: Group::UseCase,
        link: "rpd=200&peak=1&hrs=8&prio=simplicity,cost&flags=",
    },
    Preset {
        id: "low-volume",
        name: "Low volume",
        group: Group::UseCase,
        link: "rpd=500&peak=1&prio=cost&flags=",
    },
    Preset {
        id: "high-volume",
        name: "High volume",
        group: Group::UseCase,
        link: "rpd=50000&peak=8&hrs=12&prio=cost,scalability&flags=",
    },
    Preset {
        id: "latency-critical",
        name: "Latency critical",
        group: Group::UseCase,
        link: "peak=4&prio=latency&flags=",
    },
    Preset {
        id: "privacy-required",
        name: "Privacy required",
        group: Group::UseCase,
        link: "prio=privacy&flags=regulated",
    },
];

/// The preset with `id`.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// Applies `preset` over `scenario`: only the fields it names change.
pub fn apply(preset: &Preset, scenario: &mut Scenario) {
    for (key, value) in preset
        .link
        .split('&')
        .filter_map(|pair| pair.split_once('='))
    {
        if let Some(f) = field(key) {
            // Presets are constants checked by the tests below; a failure leaves the field as is.
            let _ = f.set(scenario, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::link::{decode, encode};

    fn check(id: &str, start: &str, expected: &str) {
        let mut scenario = decode(start).scenario;
        apply(preset(id).expect("preset exists"), &mut scenario);
        assert_eq!(encode(&scenario), expected);
    }

    #[test]
    fn every_preset_is_a_valid_link() {
        for p in PRESETS {
            let decoded = decode(p.link);
            assert!(decoded.notes.is_empty(), "{}: {:?}", p.id, decoded.notes);
        }
    }

    #[test]
    fn presets_change_only_their_fields() {
        check(
            "rpd-50000",
            "v=1&hw=a100-80gb&prio=cost",
            "v=1&rpd=50000&hw=a100-80gb&prio=cost",
        );
        check(
            "healthcare",
            "v=1&rpd=100&flags=no-ops",
            "v=1&rpd=100&prio=privacy,quality&flags=regulated",
        );
        check("startup", "v=1&flags=regulated", "v=1&prio=cost,simplicity");
    }
}
