//! Prints every measured row of the serving model's table against its estimate, then the
//! error summary BENCHMARKS.md records: `cargo run -q -p crossover-core --example accuracy`.
//! With `--held-out`, each row is estimated with the fits of the table without it (seconds in release), and the summary is of those errors.

use crossover_core::catalog::measured::MEASURED;
use crossover_core::engine::calibration::{accuracy_of, fit, held_out_all, summary_of};

fn main() {
    let fits = fit(MEASURED);
    println!("kernels: {:?}", fits.kernels);
    for (engine, class, fit) in &fits.classes {
        println!(
            "fit {:?} {:?}: bandwidth {:.3} (block formats × {:.2}), overhead {:.2} ms, compute {:.3}",
            engine, class, fit.bandwidth_eff, fit.dequant_read, fit.overhead_ms, fit.compute_eff
        );
    }
    for (id, fit) in &fits.hardware {
        println!(
            "own fit {id}: bandwidth {:.3} (block formats × {:.2}), overhead {:.2} ms, compute {:.3}",
            fit.bandwidth_eff, fit.dequant_read, fit.overhead_ms, fit.compute_eff
        );
    }
    let rows = if std::env::args().any(|a| a == "--held-out") {
        held_out_all()
    } else {
        accuracy_of(&fits)
    };
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
