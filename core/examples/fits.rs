//! Prints the fitted constants of the serving model as the Rust source of
//! `calibration::FITTED_*` and `HELD_OUT_SUMMARY`: `cargo run -q -p crossover-core --example fits`.

use crossover_core::catalog::measured::MEASURED;
use crossover_core::engine::calibration::{decode_spread_of, fit, held_out_all, summary_of, Fits};
use crossover_core::engine::serving::{Engine, Fit, MemoryClass};

fn show(f: &Fit) -> String {
    format!(
        "Fit {{ bandwidth_eff: {:?}, dequant_read: {:?}, overhead_ms: {:?}, compute_eff: {:?} }}",
        f.bandwidth_eff, f.dequant_read, f.overhead_ms, f.compute_eff
    )
}

fn main() {
    let fits: Fits = fit(MEASURED);
    let held_out = held_out_all();
    println!("classes:");
    for (e, c, f) in &fits.classes {
        let (lo, hi) = decode_spread_of(&held_out, *e, *c);
        println!(
            "(Engine::{e:?}, MemoryClass::{c:?}, {}, ({lo:?}, {hi:?})),",
            show(f)
        );
    }
    println!("hardware:");
    for (id, f) in &fits.hardware {
        println!("(\"{id}\", {}),", show(f));
    }
    println!("kernels: {:?}", fits.kernels);
    println!("held out: {}", summary_of(&held_out));
    let _ = (Engine::ALL, MemoryClass::ALL);
}
