//! Prints the fitted constants of the serving model as the Rust source of
//! `calibration::FITTED`: `cargo run -q -p crossover-core --example fits`.

use crossover_core::calibration::{decode_spread_of, fit, Fits};
use crossover_core::measured::MEASURED;
use crossover_core::serving::{Engine, Fit, MemoryClass};

fn show(f: &Fit) -> String {
    format!(
        "Fit {{ bandwidth_eff: {:?}, overhead_ms: {:?}, compute_eff: {:?} }}",
        f.bandwidth_eff, f.overhead_ms, f.compute_eff
    )
}

fn main() {
    let fits: Fits = fit(MEASURED);
    println!("classes:");
    for (e, c, f) in &fits.classes {
        let (lo, hi) = decode_spread_of(&fits, *e, *c);
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
    let _ = (Engine::ALL, MemoryClass::ALL);
}
