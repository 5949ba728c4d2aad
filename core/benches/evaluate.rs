//! Native speed of the engine: a full `evaluate` and a 1,000-point volume sweep.

use crossover_core::codec::link::decode;
use crossover_core::engine::inputs::Inputs;
use crossover_core::engine::plan::Plan;
use crossover_core::engine::sweep::volume_sweep;
use crossover_core::evaluate;
use divan::{black_box, Bencher};

/// Every section in play: owned hardware with maintenance and staff, a prompt cache, a planned
/// upgrade, priorities, hybrid routing with escalation, flags.
const FULL: &str = "v=1&rpd=20000&in=1200&out=350&peak=8&hrs=12&yrs=5&cm=gpt-4o&cache=30\
&hw=a100-80gb&lm=llama3.1:70b&ctx=8192&slots=4&maint=200&ops=3000&upg=20000@3\
&prio=privacy,cost&flags=no-ops&hyb=60&esc=10&sens=20";

/// The same with 3% monthly growth, which simulates payback month by month.
const GROWING: &str = "v=1&rpd=20000&in=1200&out=350&peak=8&hrs=12&yrs=5&cm=gpt-4o&cache=30\
&hw=a100-80gb&lm=llama3.1:70b&ctx=8192&slots=4&maint=200&ops=3000&upg=20000@3\
&prio=privacy,cost&flags=no-ops&hyb=60&esc=10&sens=20&growth=3";

/// The same served by vLLM with both latency targets, which size replicas by Erlang C.
const TARGETS: &str = "v=1&rpd=20000&in=1200&out=350&peak=8&hrs=12&yrs=5&cm=gpt-4o&cache=30\
&hw=a100-80gb&lm=llama3.1:70b&ctx=8192&slots=4&maint=200&ops=3000&upg=20000@3\
&prio=privacy,cost&flags=no-ops&hyb=60&esc=10&sens=20&eng=vllm&slo_ttft=2000&slo_tpot=50";

fn main() {
    divan::main();
}

#[divan::bench(args = ["full", "full-with-growth", "full-with-targets"])]
fn evaluate_scenario(bencher: Bencher, name: &str) {
    let link = match name {
        "full" => FULL,
        "full-with-growth" => GROWING,
        _ => TARGETS,
    };
    let scenario = decode(link).scenario;
    bencher.bench(|| evaluate(black_box(&scenario)));
}

#[divan::bench]
fn decode_link(bencher: Bencher) {
    bencher.bench(|| decode(black_box(FULL)));
}

#[divan::bench]
fn volume_sweep_1000_points(bencher: Bencher) {
    let plan = Plan::new(Inputs::resolve(&decode(FULL).scenario).0);
    bencher.bench(|| volume_sweep(black_box(&plan), 200_000.0, 1000));
}
