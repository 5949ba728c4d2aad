//! Prints the report of a scenario link as JSON: `cargo run -q -p crossover-core --example
//! evaluate -- 'v=1&rpd=5000'`. A link with anything ignored exits 2 with the reasons on stderr.

use crossover_core::codec::link;
use crossover_core::evaluate;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [link] = args.as_slice() else {
        eprintln!("usage: evaluate 'v=1&rpd=5000&in=800&out=400'");
        return ExitCode::from(2);
    };
    let link = link.rsplit_once('?').map_or(link.as_str(), |(_, q)| q);
    let decoded = link::decode(link);
    if !decoded.notes.is_empty() {
        for note in &decoded.notes {
            eprintln!("{}: {}", note.key, note.message);
        }
        return ExitCode::from(2);
    }
    match serde_json::to_string_pretty(&evaluate(&decoded.scenario)) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write the report: {e}");
            ExitCode::FAILURE
        }
    }
}
