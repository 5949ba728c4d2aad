//! Installs the tools the site build, the browser suite and the fuzz step need, announcing
//! each install.

use crate::llama;
use crate::workspace::{Result, Workspace};
use std::fs;
use std::path::Path;

/// The Trunk release this project builds with (0.22 needs a newer rustc).
const TRUNK_VERSION: &str = "0.21.14";
/// The cargo-fuzz release that runs the fuzz target.
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// Debian's `chromium` package: the headless browser the suite drives unless
/// `CROSSOVER_CHROMIUM` names another.
const DEBIAN_CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's `chromium-driver`: the WebDriver that runs the web crate's wasm tests unless
/// `CROSSOVER_CHROMEDRIVER` names another.
const DEBIAN_CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The oldest Node.js that runs the suite (playwright-core's requirement).
const NODE_MAJOR: u32 = 20;

/// What the caller is about to do, and so which tools it needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Build the site with Trunk: wasm target, trunk, wasm-bindgen, wasm-opt.
    Site,
    /// Every check of `cargo xtask test`: also chromium and playwright-core for the browser
    /// suite, cargo-fuzz, and what builds the suite's llama.cpp server and writes its model.
    Everything,
}

/// Installs whatever is missing for `need`; prints one line per install and nothing otherwise.
pub fn ensure(ws: &Workspace, need: Need) -> Result {
    ensure_wasm_target(ws)?;
    ensure_trunk(ws)?;
    ensure_wasm_bindgen(ws)?;
    ensure_npm_packages(ws)?;
    if need == Need::Everything {
        ensure_chromium(ws)?;
        ensure_cargo_fuzz(ws)?;
        ensure_llama_build_tools(ws)?;
    }
    Ok(())
}

fn ensure_wasm_target(ws: &Workspace) -> Result {
    const TARGET: &str = "wasm32-unknown-unknown";
    let installed = ws
        .output(ws.command("rustup").args(["target", "list", "--installed"]))
        .ok_or(format!(
            "rustup not found: install rustup (https://rustup.rs) and run `rustup target add {TARGET}`"
        ))?;
    if installed.lines().any(|line| line.trim() == TARGET) {
        return Ok(());
    }
    announce(&format!("the {TARGET} target"));
    ws.run(ws.command("rustup").args(["target", "add", TARGET]))
}

fn ensure_trunk(ws: &Workspace) -> Result {
    let minor = minor(TRUNK_VERSION);
    let found = ws.output(ws.command("trunk").arg("--version"));
    if found.is_some_and(|v| v.starts_with(&format!("trunk {minor}."))) {
        return Ok(());
    }
    announce(&format!("trunk {TRUNK_VERSION}"));
    ws.run(
        ws.cargo()
            .args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]),
    )
}

fn ensure_cargo_fuzz(ws: &Workspace) -> Result {
    let minor = minor(CARGO_FUZZ_VERSION);
    let found = ws.output(ws.cargo().args(["fuzz", "--version"]));
    if found.is_some_and(|v| v.starts_with(&format!("cargo-fuzz {minor}."))) {
        return Ok(());
    }
    announce(&format!("cargo-fuzz {CARGO_FUZZ_VERSION}"));
    ws.run(ws.cargo().args([
        "install",
        "cargo-fuzz",
        "--version",
        CARGO_FUZZ_VERSION,
        "--locked",
    ]))
}

/// `0.21` of `0.21.14`: any patch release of the pinned minor one will do.
fn minor(version: &str) -> &str {
    version.rsplit_once('.').map_or(version, |(minor, _)| minor)
}

fn ensure_wasm_bindgen(ws: &Workspace) -> Result {
    let lock = fs::read_to_string(ws.root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let version = locked_version(&lock, "wasm-bindgen")
        .ok_or("Cargo.lock has no wasm-bindgen package: is web/ a Leptos app?")?;
    let found = ws.output(ws.command("wasm-bindgen").arg("--version"));
    if found.as_deref() == Some(&format!("wasm-bindgen {version}")) {
        return Ok(());
    }
    announce(&format!(
        "wasm-bindgen-cli {version} (the wasm-bindgen of Cargo.lock)"
    ));
    // Not `--locked`: the lock file of some wasm-bindgen-cli releases pins a yanked crate.
    ws.run(
        ws.cargo()
            .args(["install", "wasm-bindgen-cli", "--version", &version]),
    )
}

/// The version of `package` in a Cargo.lock (the first one if several are locked).
fn locked_version(lock: &str, package: &str) -> Option<String> {
    let wanted = format!("name = \"{package}\"");
    lock.split("[[package]]").find_map(|block| {
        let mut lines = block.lines().map(str::trim);
        if !lines.any(|line| line == wanted) {
            return None;
        }
        lines
            .find_map(|line| line.strip_prefix("version = \""))
            .map(|v| v.trim_end_matches('"').to_owned())
    })
}

/// `npm ci` in tests/ when node_modules is missing or older than package-lock.json; this
/// brings wasm-opt (npm `binaryen`) and playwright-core.
fn ensure_npm_packages(ws: &Workspace) -> Result {
    let node = ws
        .output(ws.command("node").arg("--version"))
        .ok_or(format!(
            "node not found: install Node.js {NODE_MAJOR} or newer with npm"
        ))?;
    let major: u32 = node
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < NODE_MAJOR {
        return Err(format!(
            "Node.js {node} is too old: install Node.js {NODE_MAJOR} or newer"
        ));
    }
    let tests = ws.tests();
    if !is_newer(
        &tests.join("package-lock.json"),
        &tests.join("node_modules/.package-lock.json"),
    ) {
        return Ok(());
    }
    ws.output(ws.command("npm").arg("--version"))
        .ok_or(format!(
            "npm not found: install npm (Node.js {NODE_MAJOR} or newer)"
        ))?;
    announce(
        "the npm packages of tests/ (binaryen for wasm-opt, playwright-core, axe-core, lighthouse)",
    );
    ws.run(
        ws.command("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&tests),
    )
}

/// Whether `source` was modified after `installed`, or `installed` is missing.
fn is_newer(source: &Path, installed: &Path) -> bool {
    let modified = |path: &Path| fs::metadata(path).and_then(|m| m.modified()).ok();
    match (modified(source), modified(installed)) {
        (Some(source), Some(installed)) => source > installed,
        _ => true,
    }
}

/// Where the load test's fake server gets a throwaway TLS certificate (HTTP/2 needs TLS).
const OPENSSL: &str = "/usr/bin/openssl";

/// The Debian packages that bring [`DEBIAN_CHROMIUM`], [`DEBIAN_CHROMEDRIVER`] and [`OPENSSL`].
const BROWSER_PACKAGES: [&str; 3] = ["chromium", "chromium-driver", "openssl"];

/// The browser the suite drives: `CROSSOVER_CHROMIUM` (a CI runner's own Chrome, say), else
/// Debian's chromium.
pub fn chromium() -> String {
    std::env::var("CROSSOVER_CHROMIUM").unwrap_or_else(|_| DEBIAN_CHROMIUM.to_owned())
}

/// The WebDriver for the wasm tests, matching [`chromium`]: `CROSSOVER_CHROMEDRIVER`, else
/// Debian's chromium-driver.
pub fn chromedriver() -> String {
    std::env::var("CROSSOVER_CHROMEDRIVER").unwrap_or_else(|_| DEBIAN_CHROMEDRIVER.to_owned())
}

/// The browser, its driver and openssl: Debian's packages through apt-get when we are root, or
/// those the environment names, which must exist.
fn ensure_chromium(ws: &Workspace) -> Result {
    let Some(missing) = [chromium(), chromedriver(), OPENSSL.to_owned()]
        .into_iter()
        .find(|p| !Path::new(p).exists())
    else {
        return Ok(());
    };
    if ![DEBIAN_CHROMIUM, DEBIAN_CHROMEDRIVER, OPENSSL].contains(&missing.as_str()) {
        return Err(format!(
            "{missing} not found: CROSSOVER_CHROMIUM and CROSSOVER_CHROMEDRIVER must name an \
             installed browser and its driver"
        ));
    }
    apt_install(ws, &missing, &BROWSER_PACKAGES)
}

/// What the llama.cpp server's build and its model's script need: a command that works when
/// the tool is there, and the Debian package that brings it. cmake and a C++ compiler only
/// build the server, which `CROSSOVER_LLAMA_SERVER` may name instead.
const LLAMA_BUILD_TOOLS: [(&str, &[&str], &str); 3] = [
    ("cmake", &["--version"], "cmake"),
    ("c++", &["--version"], "g++"),
    ("python3", &["-c", "import ensurepip, venv"], "python3-venv"),
];

/// cmake, a C++ compiler and Python with its `venv` module, through apt-get when we are root.
pub fn ensure_llama_build_tools(ws: &Workspace) -> Result {
    let server_given = llama::server_is_given();
    let missing: Vec<_> = LLAMA_BUILD_TOOLS
        .iter()
        .filter(|(program, ..)| !server_given || *program == "python3")
        .filter(|(program, args, _)| ws.output(ws.command(program).args(*args)).is_none())
        .collect();
    let Some((program, ..)) = missing.first() else {
        return Ok(());
    };
    let packages: Vec<_> = missing.iter().map(|(.., package)| *package).collect();
    apt_install(
        ws,
        &format!("{program} (for the llama.cpp server)"),
        &packages,
    )
}

/// Installs Debian `packages` with apt-get, announced, when we are root and have apt-get;
/// otherwise says that `missing` was not found and how to install it.
fn apt_install(ws: &Workspace, missing: &str, packages: &[&str]) -> Result {
    let install = format!("apt-get install -y {}", packages.join(" "));
    let is_root = ws.output(ws.command("id").arg("-u")).as_deref() == Some("0");
    let has_apt = ws.output(ws.command("apt-get").arg("--version")).is_some();
    if !has_apt {
        return Err(format!(
            "{missing} not found: install it (Debian: `{install}`)"
        ));
    }
    if !is_root {
        return Err(format!(
            "{missing} not found: run `sudo apt-get update && sudo {install}`"
        ));
    }
    announce(&format!("{} (apt-get)", packages.join(", ")));
    ws.run(ws.command("apt-get").arg("update"))?;
    ws.run(ws.command("apt-get").args(["install", "-y"]).args(packages))
}

fn announce(what: &str) {
    println!("xtask: installing {what}");
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
[[package]]
name = "wasm-bindgen-backend"
version = "0.2.130"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

    #[test]
    fn finds_the_exact_package_in_the_lock_file() {
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(LOCK, "wasm-bindgen-cli"), None);
    }

    #[test]
    fn any_patch_release_of_the_pinned_minor_will_do() {
        assert_eq!(minor("0.21.14"), "0.21");
        assert_eq!(minor("0.13.2"), "0.13");
        assert_eq!(minor("1"), "1");
    }

    #[test]
    fn a_missing_install_is_out_of_date() {
        let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        assert!(is_newer(
            &lock,
            Path::new("/nonexistent/.package-lock.json")
        ));
        assert!(!is_newer(&lock, &lock));
    }
}
