//! The real llama.cpp server of the browser suite: ggml-org's `llama-server`, built once per
//! machine from the llama.cpp tree that PyPI's `llama-cpp-python` sdist vendors, and a tiny
//! random-weight GGUF model for it, both cached outside the workspace and keyed by version.

use crate::tools;
use crate::workspace::{format_duration, Result, Workspace};
use sha2::{Digest, Sha256};
use std::ffi::OsString;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The `llama-cpp-python` sdist whose vendored llama.cpp is built.
const LLAMA_CPP_PYTHON: &str = "0.3.36";
/// ggml-org's GGUF writer on PyPI, and the numpy it writes with: pinned, so that the model's
/// bytes stay the same.
const MODEL_PACKAGES: [&str; 2] = ["gguf==0.19.0", "numpy==2.3.5"];
/// The script that writes the model, relative to the workspace root.
const MODEL_SCRIPT: &str = "tests/support/tiny_gguf.py";
/// Names a `llama-server` binary to use instead of building one.
pub const SERVER_ENV: &str = "CROSSOVER_LLAMA_SERVER";
/// The environment variable that tells the browser suite where the model is.
pub const MODEL_ENV: &str = "CROSSOVER_LLAMA_MODEL";
/// The configuration: only the server (no web UI to download, no curl, no OpenMP), static so
/// that the binary works once moved out of its build tree, and for any x86-64 or ARM CPU
/// rather than this one's.
const CMAKE_FLAGS: [&str; 8] = [
    "-DCMAKE_BUILD_TYPE=Release",
    "-DBUILD_SHARED_LIBS=OFF",
    "-DLLAMA_BUILD_TOOLS=ON",
    "-DLLAMA_BUILD_SERVER=ON",
    "-DLLAMA_USE_PREBUILT_UI=OFF",
    "-DLLAMA_CURL=OFF",
    "-DGGML_NATIVE=OFF",
    "-DGGML_OPENMP=OFF",
];

/// The server binary and the model the browser suite runs it with.
pub struct LlamaServer {
    /// The `llama-server` binary.
    pub server: PathBuf,
    /// The GGUF model.
    pub model: PathBuf,
}

/// `cargo xtask llama-server`: the tools, then the server and the model, their paths printed
/// as the browser suite's environment variables, for running `llama-server.test.js` by hand.
pub fn command(ws: &Workspace) -> Result {
    tools::ensure_llama_build_tools(ws)?;
    let llama = ensure(ws)?;
    println!("{SERVER_ENV}={}", llama.server.display());
    println!("{MODEL_ENV}={}", llama.model.display());
    Ok(())
}

/// Whether `CROSSOVER_LLAMA_SERVER` names a server to use instead of building one.
pub fn server_is_given() -> bool {
    std::env::var_os(SERVER_ENV).is_some()
}

/// The server and the model, building or writing whichever the cache lacks (announced, and
/// timed); nothing is printed when both are there.
pub fn ensure(ws: &Workspace) -> Result<LlamaServer> {
    let cache = cache_dir(std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME"))
        .ok_or("cannot find a cache directory: set HOME or XDG_CACHE_HOME")?;
    let server = match std::env::var_os(SERVER_ENV) {
        Some(given) => {
            let given = PathBuf::from(given);
            if !given.is_file() {
                return Err(format!(
                    "{SERVER_ENV} names {}, which is not a file",
                    given.display()
                ));
            }
            given
        }
        None => ensure_server(ws, &cache)?,
    };
    let model = ensure_model(ws, &cache)?;
    Ok(LlamaServer { server, model })
}

/// `$XDG_CACHE_HOME/crossover/llama-cpp-python-VERSION`, or under `~/.cache` when
/// `XDG_CACHE_HOME` is unset or not absolute (as the XDG specification says to treat it).
fn cache_dir(xdg_cache_home: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let root = xdg_cache_home
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| home.map(|home| Path::new(&home).join(".cache")))?;
    Some(
        root.join("crossover")
            .join(format!("llama-cpp-python-{LLAMA_CPP_PYTHON}")),
    )
}

/// The cached `llama-server`, built first when it is missing. The build happens in
/// `partial/` (emptied first, left behind with its log when a step fails) and the binary is
/// renamed into place only once it is complete, so an interrupted build is never taken for a
/// finished one.
fn ensure_server(ws: &Workspace, cache: &Path) -> Result<PathBuf> {
    let server = cache.join("llama-server");
    if server.is_file() {
        return Ok(server);
    }
    let venv = ensure_venv(ws, cache)?;
    let partial = cache.join("partial");
    remove_dir(&partial)?;
    create_dir(&partial)?;
    let log = partial.join("build.log");
    println!(
        "xtask: building llama-server from the llama.cpp that llama-cpp-python \
         {LLAMA_CPP_PYTHON} vendors, once (about 5 minutes on 2 cores; log: {})",
        log.display()
    );
    let started = Instant::now();
    let logged = |command: &mut Command| -> Result {
        let out = File::options()
            .create(true)
            .append(true)
            .open(&log)
            .map_err(|e| format!("cannot write {}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("cannot write {}: {e}", log.display()))?;
        ws.run(command.stdout(out).stderr(err))
            .map_err(|e| format!("{e}: see {}", log.display()))
    };
    // The sdist only: `--no-binary :all:` would also build pip's metadata step's own tools
    // (cmake among them) from source, for longer than the server takes.
    logged(
        Command::new(python(&venv))
            .args(["-m", "pip", "download", "--no-deps", "--no-binary"])
            .args(["llama-cpp-python", "--dest"])
            .arg(&partial)
            .arg(format!("llama-cpp-python=={LLAMA_CPP_PYTHON}")),
    )?;
    let sdist = format!("llama_cpp_python-{LLAMA_CPP_PYTHON}");
    logged(
        ws.command("tar")
            .arg("-xzf")
            .arg(partial.join(format!("{sdist}.tar.gz")))
            .arg("-C")
            .arg(&partial),
    )?;
    let source = partial.join(&sdist).join("vendor/llama.cpp");
    let build = partial.join("build");
    logged(
        ws.command("cmake")
            .arg("-S")
            .arg(&source)
            .arg("-B")
            .arg(&build)
            .args(CMAKE_FLAGS),
    )?;
    let jobs = std::thread::available_parallelism().map_or(2, usize::from);
    logged(
        ws.command("cmake")
            .arg("--build")
            .arg(&build)
            .args(["--target", "llama-server", "-j"])
            .arg(jobs.to_string()),
    )?;
    let built = build.join("bin/llama-server");
    rename(&built, &server)?;
    remove_dir(&partial)?;
    println!(
        "xtask: built {} in {}",
        server.display(),
        format_duration(started.elapsed())
    );
    Ok(server)
}

/// The cached model, written first when it is missing. Its name holds a hash of the script
/// and the pinned packages, so a change to either writes a new one.
fn ensure_model(ws: &Workspace, cache: &Path) -> Result<PathBuf> {
    let script = ws.root().join(MODEL_SCRIPT);
    let source = fs::read(&script).map_err(|e| format!("cannot read {}: {e}", script.display()))?;
    let model = cache.join(model_name(&source));
    if model.is_file() {
        return Ok(model);
    }
    let venv = ensure_venv(ws, cache)?;
    let started = Instant::now();
    let partial = with_suffix(&model, ".partial");
    ws.run(
        Command::new(python(&venv))
            .arg(&script)
            .arg(&partial)
            .current_dir(ws.root()),
    )?;
    rename(&partial, &model)?;
    println!(
        "xtask: wrote the test model {} in {}",
        model.display(),
        format_duration(started.elapsed())
    );
    Ok(model)
}

/// `tiny-HASH.gguf`: the first 16 hex digits of the SHA-256 of the script and the pinned
/// packages.
fn model_name(script: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(script);
    for package in MODEL_PACKAGES {
        hash.update(b"\n");
        hash.update(package.as_bytes());
    }
    let digest = hash.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("tiny-{hex}.gguf")
}

/// A Python virtual environment in the cache with [`MODEL_PACKAGES`] (and, through its pip,
/// the sdist's download), named after them. It is made under another name and renamed once
/// complete.
fn ensure_venv(ws: &Workspace, cache: &Path) -> Result<PathBuf> {
    let venv = cache.join(format!(
        "venv-{}",
        MODEL_PACKAGES.join("-").replace("==", "-")
    ));
    if python(&venv).is_file() {
        return Ok(venv);
    }
    let partial = with_suffix(&venv, ".partial");
    remove_dir(&partial)?;
    create_dir(cache)?;
    println!(
        "xtask: installing {} into a Python environment in {}",
        MODEL_PACKAGES.join(" "),
        cache.display()
    );
    ws.run(ws.command("python3").args(["-m", "venv"]).arg(&partial))?;
    ws.run(
        Command::new(python(&partial))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(MODEL_PACKAGES),
    )?;
    rename(&partial, &venv)?;
    Ok(venv)
}

/// The Python interpreter of the virtual environment `venv`.
fn python(venv: &Path) -> PathBuf {
    venv.join("bin/python")
}

/// `path` with `suffix` added to its last component.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Creates `dir` and its parents.
fn create_dir(dir: &Path) -> Result {
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Removes `dir` and everything in it, if it exists.
fn remove_dir(dir: &Path) -> Result {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("cannot remove {}: {e}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// Moves `from` to `to` in one step.
fn rename(from: &Path, to: &Path) -> Result {
    fs::rename(from, to)
        .map_err(|e| format!("cannot move {} to {}: {e}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_is_keyed_by_the_sdist_version() {
        let dir = cache_dir(None, Some("/home/me".into()));
        assert_eq!(
            dir.as_deref(),
            Some(Path::new(
                "/home/me/.cache/crossover/llama-cpp-python-0.3.36"
            ))
        );
    }

    #[test]
    fn an_absolute_xdg_cache_home_wins_and_a_relative_one_is_ignored() {
        let home = Some(OsString::from("/home/me"));
        assert_eq!(
            cache_dir(Some("/var/cache".into()), home.clone()),
            Some(PathBuf::from(
                "/var/cache/crossover/llama-cpp-python-0.3.36"
            ))
        );
        assert_eq!(
            cache_dir(Some("cache".into()), home),
            Some(PathBuf::from(
                "/home/me/.cache/crossover/llama-cpp-python-0.3.36"
            ))
        );
        assert_eq!(cache_dir(None, None), None);
    }

    #[test]
    fn the_model_is_named_after_its_script() {
        let name = model_name(b"print()");
        assert!(
            name.starts_with("tiny-") && name.ends_with(".gguf"),
            "{name}"
        );
        assert_eq!(name.len(), "tiny-.gguf".len() + 16);
        assert_eq!(name, model_name(b"print()"));
        assert_ne!(name, model_name(b"print(1)"));
    }

    #[test]
    fn partial_names_keep_the_directory() {
        assert_eq!(
            with_suffix(Path::new("/c/tiny.gguf"), ".partial"),
            Path::new("/c/tiny.gguf.partial")
        );
    }
}
