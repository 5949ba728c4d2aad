//! Load steps, from a sweep run here or a run imported: the verdict on the latency targets,
//! the table and the two charts, all from core.

use crate::components::chart::ChartView;
use crate::components::table::DataTable;
use crossover_core::codec::benchmark::{Imported, ServingStep};
use crossover_core::measure::load::Targets;
use crossover_core::view::chart::load_curves;
use crossover_core::view::load_steps;
use leptos::prelude::*;

/// viewBox of each chart, as the capacity charts'.
const WIDTH: f64 = 420.0;
const HEIGHT: f64 = 270.0;

/// Whose steps these are, which names their test hooks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// A run imported from a file.
    Import,
    /// The local side's sweep.
    Local,
    /// The cloud side's sweep.
    Cloud,
}

impl Owner {
    /// The `data-testid`s of the verdict, the table, each chart and its readout.
    fn hooks(self) -> [&'static str; 6] {
        match self {
            Owner::Import => [
                "import-verdict",
                "import-table",
                "import-chart-tradeoff",
                "import-readout-tradeoff",
                "import-chart-ttft",
                "import-readout-ttft",
            ],
            Owner::Local => [
                "sweep-local-verdict",
                "sweep-local-table",
                "sweep-local-chart-tradeoff",
                "sweep-local-readout-tradeoff",
                "sweep-local-chart-ttft",
                "sweep-local-readout-ttft",
            ],
            Owner::Cloud => [
                "sweep-cloud-verdict",
                "sweep-cloud-table",
                "sweep-cloud-chart-tradeoff",
                "sweep-cloud-readout-tradeoff",
                "sweep-cloud-chart-ttft",
                "sweep-cloud-readout-ttft",
            ],
        }
    }
}

/// The steps' verdict on the targets, table and charts.
#[component]
pub fn LoadSteps(
    /// The steps, lowest concurrency first.
    steps: Vec<ServingStep>,
    /// The latency targets goodput and the verdict are judged by.
    targets: Targets,
    /// Whose steps, for the test hooks.
    owner: Owner,
) -> impl IntoView {
    let [verdict_id, table_id, trade_id, trade_readout, ttft_id, ttft_readout] = owner.hooks();
    let verdict = load_steps::targets_verdict(&steps, targets);
    let (trade, ttft) = load_curves(&steps, targets, WIDTH, HEIGHT);
    let table = load_steps::table(&Imported::Serving(steps), targets);
    let (trade, ttft) = (
        Memo::new(move |_| trade.clone()),
        Memo::new(move |_| ttft.clone()),
    );
    view! {
        {verdict.map(|v| view! { <p class="verdict" data-testid=verdict_id>{v}</p> })}
        <DataTable testid=table_id label="load steps" table=table />
        <div class="capacity-charts">
            <ChartView chart=trade id=trade_id readout_testid=trade_readout />
            <ChartView chart=ttft id=ttft_id readout_testid=ttft_readout />
        </div>
    }
}
