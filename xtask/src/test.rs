//! `cargo xtask test`: every check of the project, in order, stopping at the first failure.

use crate::llama;
use crate::serve::Site;
use crate::site::{self, format_kb, Weight};
use crate::tools::{self, Need};
use crate::workspace::{format_duration, Result, Workspace};
use std::net::TcpListener;
use std::path::PathBuf;
use std::thread;
use std::time::Instant;

/// The budget for the gzip -9 size of what a first visit loads: index.html and every file it names (decimal KB).
const SIZE_LIMIT_BYTES: u64 = 194_600;
/// The second mount of dist/ in the browser suite: relative asset URLs must work under it.
const SUB_PATH: &str = "/sub/dir/";
/// The longest any one browser test may take before it fails instead of hanging the run.
const TEST_TIMEOUT_MS: u32 = 120_000;

/// One check of the project.
enum Check {
    /// `cargo` with these environment variables and arguments.
    Cargo(
        &'static [(&'static str, &'static str)],
        &'static [&'static str],
    ),
    /// Any other step, under its name.
    Step(&'static str, fn(&Workspace) -> Result),
}

const CHECKS: [Check; 11] = [
    Check::Cargo(&[], &["fmt", "--all", "--check"]),
    Check::Cargo(
        &[],
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ),
    Check::Cargo(
        &[],
        &[
            "clippy",
            "-p",
            "crossover-web",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ],
    ),
    Check::Cargo(
        &[("RUSTDOCFLAGS", "-D warnings")],
        &["doc", "--workspace", "--no-deps"],
    ),
    Check::Cargo(&[], &["test", "--workspace"]),
    Check::Step(
        "fuzz: each of FUZZ_TARGETS under libFuzzer for FUZZ_SECONDS (cargo fuzz run)",
        fuzz,
    ),
    Check::Step(
        "web component tests: cargo test -p crossover-web --target wasm32-unknown-unknown \
         (headless Chromium through CHROMEDRIVER)",
        web_tests,
    ),
    Check::Step("trunk build --release --offline", site::build),
    Check::Step(
        "size: gzip -9 of what a first visit loads (index.html and the files it names)",
        check_size,
    ),
    Check::Step(
        "llama.cpp server for the browser suite: built once per machine into the cache, with \
         its tiny model (CROSSOVER_LLAMA_SERVER names one instead)",
        llama_server,
    ),
    Check::Step(
        "browser suite: node --test in tests/ (playwright-core, chromium)",
        browser_suite,
    ),
];

impl Check {
    /// The check as announced: its command line, or its name.
    fn name(&self) -> String {
        match self {
            Check::Cargo(env, args) => {
                let env = env
                    .iter()
                    .map(|(name, value)| format!("{name}=\"{value}\" "));
                format!("{}cargo {}", env.collect::<String>(), args.join(" "))
            }
            Check::Step(name, _) => name.to_string(),
        }
    }

    fn run(&self, ws: &Workspace) -> Result {
        match self {
            Check::Cargo(env, args) => ws.run(ws.cargo().envs(env.iter().copied()).args(*args)),
            Check::Step(_, step) => step(ws),
        }
    }
}

/// Installs missing tools, then runs [`CHECKS`] in order.
pub fn command(ws: &Workspace) -> Result {
    tools::ensure(ws, Need::Everything)?;
    let started = Instant::now();
    let count = CHECKS.len();
    for (number, check) in (1..).zip(&CHECKS) {
        let step = Instant::now();
        let name = check.name();
        println!("xtask: [{number}/{count}] {name}");
        check
            .run(ws)
            .map_err(|e| format!("[{number}/{count}] {name}: {e}"))?;
        println!(
            "xtask: [{number}/{count}] ok in {}",
            format_duration(step.elapsed())
        );
    }
    println!(
        "xtask: all {count} checks passed in {}",
        format_duration(started.elapsed())
    );
    Ok(())
}

/// The fuzz targets in fuzz/fuzz_targets/: the doors that take outside bytes.
const FUZZ_TARGETS: [&str; 4] = [
    "decode_stream",
    "decode_link",
    "read_prices",
    "read_benchmark",
];
/// How long each fuzz target runs.
const FUZZ_SECONDS: u32 = 15;

/// Each of [`FUZZ_TARGETS`] under libFuzzer for [`FUZZ_SECONDS`], from its seeds in
/// fuzz/corpus/; a crash fails the run and leaves its input in fuzz/artifacts/. cargo-fuzz needs
/// nightly flags: RUSTC_BOOTSTRAP lets stable take them. The instrumented build stays in
/// fuzz/target, apart from the workspace's.
fn fuzz(ws: &Workspace) -> Result {
    for target in FUZZ_TARGETS {
        println!("xtask:   cargo fuzz run {target} -- -max_total_time={FUZZ_SECONDS}");
        ws.run(
            ws.cargo()
                .env("RUSTC_BOOTSTRAP", "1")
                .args([
                    "fuzz",
                    "run",
                    "--fuzz-dir",
                    "fuzz",
                    "--target-dir",
                    "fuzz/target",
                ])
                .arg(target)
                .arg("--")
                .arg(format!("-max_total_time={FUZZ_SECONDS}")),
        )?;
    }
    Ok(())
}

/// The web crate's component tests, in headless Chromium (web/webdriver.json has its flags).
fn web_tests(ws: &Workspace) -> Result {
    ws.run(ws.cargo().env("CHROMEDRIVER", tools::chromedriver()).args([
        "test",
        "-p",
        "crossover-web",
        "--target",
        "wasm32-unknown-unknown",
    ]))
}

fn check_size(ws: &Workspace) -> Result {
    let weight = Weight::of(&ws.dist())?;
    let total = weight.gzip_bytes();
    println!(
        "xtask: site weighs {} gzipped, limit {}",
        format_kb(total),
        format_kb(SIZE_LIMIT_BYTES),
    );
    for (bin, holds) in site::ON_DEMAND {
        println!(
            "xtask:   loaded on demand, {holds}: {}",
            format_kb(site::on_demand_gzip_bytes(&ws.dist(), bin)?)
        );
    }
    if total <= SIZE_LIMIT_BYTES {
        return Ok(());
    }
    for (file, size) in &weight.gzipped {
        println!("xtask:   {:>10}  {}", format_kb(*size), file.display());
    }
    Err(format!(
        "the site is over its size budget by {}",
        format_kb(total - SIZE_LIMIT_BYTES)
    ))
}

/// The real llama.cpp server and its model, built or written when the cache lacks them (the
/// first run on a machine).
fn llama_server(ws: &Workspace) -> Result {
    llama::ensure(ws).map(drop)
}

/// Serves dist/ at `/` and at [`SUB_PATH`] on a free port and runs the suite against it, with
/// core's `evaluate` example for the figures to compare and the llama.cpp server and model
/// that the real-server test starts.
fn browser_suite(ws: &Workspace) -> Result {
    let evaluate = evaluate_example(ws)?;
    let llama = llama::ensure(ws)?;
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen: {e}"))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("cannot listen: {e}"))?;
    let site = Site::new(&ws.dist(), &["/", SUB_PATH])?;
    // The server thread ends with the process.
    thread::spawn(move || site.serve(listener));
    ws.run(
        ws.command("node")
            // One test file at a time: the speed tests measure an otherwise idle machine.
            .args(["--test", "--test-concurrency=1"])
            .arg(format!("--test-timeout={TEST_TIMEOUT_MS}"))
            .current_dir(ws.tests())
            .env("CROSSOVER_BASE_URL", format!("http://{address}/"))
            .env("CROSSOVER_SUB_URL", format!("http://{address}{SUB_PATH}"))
            .env("CROSSOVER_CHROMIUM", tools::chromium())
            .env("CROSSOVER_EVALUATE", evaluate)
            .env(llama::SERVER_ENV, llama.server)
            .env(llama::MODEL_ENV, llama.model),
    )
}

/// Builds crossover-core's `evaluate` example (already built by `cargo test`) and returns the
/// path of its binary.
fn evaluate_example(ws: &Workspace) -> Result<PathBuf> {
    ws.run(ws.cargo().args([
        "build",
        "--quiet",
        "--package",
        "crossover-core",
        "--example",
        "evaluate",
    ]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                ws.root().join(dir)
            }
        })
        .unwrap_or_else(|| ws.root().join("target"));
    let binary = target
        .join("debug/examples")
        .join(format!("evaluate{}", std::env::consts::EXE_SUFFIX));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!(
            "cargo built the evaluate example but {} is missing",
            binary.display()
        ))
    }
}
