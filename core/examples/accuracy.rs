//! Prints every measured row of the serving model's table against its estimate, then the
//! error summary BENCHMARKS.md records: `cargo run -q -p crossover-core --example accuracy`.

use crossover_core::calibration::{accuracy_of, fit, summary_of};
use crossover_core::measured::MEASURED;

fn main() {
    let fits = fit(MEASURED);
    println!("kernels: {:?}", fits.kernels);
    for (engine, class, fit) in &fits.classes {
        println!(
            "fit {:?} {:?}: bandwidth {:.3}, overhead {:.2} ms, compute {:.3}",
            engine, class, fit.bandwidth_eff, fit.overhead_ms, fit.compute_eff
        );
    }
    for (id, fit) in &fits.hardware {
        println!(
            "own fit {id}: bandwidth {:.3}, overhead {:.2} ms, compute {:.3}",
            fit.bandwidth_eff, fit.overhead_ms, fit.compute_eff
        );
    }
    let rows = accuracy_of(&fits);
    for a in &rows {
        let r = &MEASURED[a.row];
        println!(
            "{:>3} {:<9} {:<32} {:<6} {:<36} c={:<4} measured {:>8.1} estimate {:>8.1} {:+6.1}%{}",
            a.row,
            format!("{:?}", a.figure),
            r.model,
            r.quant.as_str(),
            r.device.name,
            r.concurrency,
            a.measured,
            a.estimate,
            a.error * 100.0,
            if a.own_fit { " (own fit)" } else { "" }
        );
    }
    for line in summary_of(&rows).split("; ") {
        println!("{line}");
    }
}
