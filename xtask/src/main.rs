//! Project automation: `cargo xtask serve|build|test|bench`, with nothing but std.

mod csp;
mod llama;
mod serve;
mod site;
mod test;
mod tools;
mod workspace;

use std::process::ExitCode;
use workspace::Workspace;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve   install missing tools, build the site and serve it on http://127.0.0.1:8080/
  build   install missing tools and build the site into dist/
  test    run every check: fmt, clippy, doc, cargo test, fuzzing, site build, size,
          the llama.cpp server (built once per machine), browser suite
  bench   run the crossover-core benchmarks
  llama-server
          build (once per machine) the llama.cpp server and the tiny model the browser
          suite runs, and print their paths as the suite's environment variables";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ws = Workspace::locate();
    let outcome = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["serve"] => serve::command(&ws),
        ["build"] => site::command(&ws),
        ["test"] => test::command(&ws),
        ["bench"] => ws.run(ws.cargo().args(["bench", "-p", "crossover-core"])),
        ["llama-server"] => llama::command(&ws),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}
