//! Building the site with Trunk and weighing what it ships.

use crate::csp;
use crate::tools::{self, Need};
use crate::workspace::{format_duration, Result, Workspace};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `cargo xtask build`: tools, release build, sizes.
pub fn command(ws: &Workspace) -> Result {
    tools::ensure(ws, Need::Site)?;
    let started = Instant::now();
    build(ws)?;
    let weight = Weight::of(&ws.dist())?;
    println!(
        "xtask: built dist/ in {}: {} files, {}; a first visit loads {} with gzip -9",
        format_duration(started.elapsed()),
        weight.files,
        format_kb(weight.raw_bytes),
        format_kb(weight.gzip_bytes()),
    );
    Ok(())
}

/// `trunk build --release --offline` into dist/, then its Content-Security-Policy.
pub fn build(ws: &Workspace) -> Result {
    // Trunk passes `--offline` on to cargo: download the crates first (silent when present).
    ws.run(ws.cargo().arg("fetch"))?;
    ws.run(
        ws.command("trunk")
            .args(["build", "--release", "--offline"]),
    )?;
    let index = ws.dist().join("index.html");
    let html =
        fs::read_to_string(&index).map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    fs::write(&index, csp::with_policy(&html)?)
        .map_err(|e| format!("cannot write {}: {e}", index.display()))
}

/// What dist/ weighs.
pub struct Weight {
    /// Every file of dist/.
    pub files: usize,
    /// Their total size, uncompressed.
    pub raw_bytes: u64,
    /// What a first visit loads (index.html, every file it names and what those scripts
    /// import) with its `gzip -9` size.
    pub gzipped: Vec<(PathBuf, u64)>,
}

impl Weight {
    /// Weighs every file under `dist`, and compresses what a first visit loads: index.html,
    /// the files it names, and the files those scripts import (wasm-bindgen's snippets).
    pub fn of(dist: &Path) -> Result<Weight> {
        let index = dist.join("index.html");
        let mut files = Vec::new();
        let mut dirs = vec![dist.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            let entries =
                fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            for entry in entries {
                let path = entry
                    .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
                    .path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        let relative = |path: &Path| {
            path.strip_prefix(dist)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default()
        };
        let read = |path: &Path| {
            fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
        };
        let page = read(&index)?;
        let mut first: Vec<&PathBuf> = files
            .iter()
            .filter(|path| **path == index || page.contains(&relative(path)))
            .collect();
        let mut scripts = String::new();
        for path in first
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "js"))
        {
            scripts.push_str(&read(path)?);
        }
        let imported: Vec<&PathBuf> = files
            .iter()
            .filter(|path| !first.contains(path) && scripts.contains(&relative(path)))
            .collect();
        first.extend(imported);
        let mut gzipped = first
            .into_iter()
            .map(|path| Ok((path.clone(), gzip_size(path)?)))
            .collect::<Result<Vec<_>>>()?;
        gzipped.sort_by_key(|(_, size)| std::cmp::Reverse(*size));
        Ok(Weight {
            files: files.len(),
            raw_bytes: files
                .iter()
                .map(|p| fs::metadata(p).map_or(0, |m| m.len()))
                .sum(),
            gzipped,
        })
    }

    /// The sum of the `gzip -9` sizes.
    pub fn gzip_bytes(&self) -> u64 {
        self.gzipped.iter().map(|(_, size)| size).sum()
    }
}

/// The modules the page loads on demand (see web/src/loader.rs): binary and what it holds.
pub const ON_DEMAND: [(&str, &str); 2] = [
    ("crossover-extras", "the panels below the figures"),
    ("crossover-measure", "the live measurement"),
];

/// The `gzip -9` size of the module the page loads on demand from the binary `bin`: its
/// script and its wasm.
pub fn on_demand_gzip_bytes(dist: &Path, bin: &str) -> Result<u64> {
    [format!("{bin}.js"), format!("{bin}_bg.wasm")]
        .iter()
        .map(|name| gzip_size(&dist.join(name)))
        .sum()
}

fn gzip_size(path: &Path) -> Result<u64> {
    let output = std::process::Command::new("gzip")
        .args(["-9", "--stdout", "--no-name"])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run gzip ({e}): install gzip"))?;
    if !output.status.success() {
        return Err(format!("gzip failed on {}", path.display()));
    }
    Ok(output.stdout.len() as u64)
}

/// Kilobytes of 1,000 bytes, one decimal: `38.6 KB`.
pub fn format_kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_visit_loads_the_page_what_it_names_and_what_its_scripts_import() {
        let dist = std::env::temp_dir().join(format!("crossover-weight-{}", std::process::id()));
        let snippets = dist.join("snippets/crate-1");
        fs::create_dir_all(&snippets).unwrap();
        let write = |path: PathBuf, text: &str| fs::write(path, text).unwrap();
        write(
            dist.join("index.html"),
            "<script type=module src=app.js></script>",
        );
        write(
            dist.join("app.js"),
            "import { f } from './snippets/crate-1/inline0.js';",
        );
        write(snippets.join("inline0.js"), "export function f() {}");
        write(dist.join("later.js"), "loaded on demand");
        let weight = Weight::of(&dist).unwrap();
        let mut loaded: Vec<String> = weight
            .gzipped
            .iter()
            .map(|(path, _)| path.strip_prefix(&dist).unwrap().display().to_string())
            .collect();
        loaded.sort();
        fs::remove_dir_all(&dist).unwrap();
        assert_eq!(
            loaded,
            ["app.js", "index.html", "snippets/crate-1/inline0.js"]
        );
        assert_eq!(weight.files, 4);
    }

    #[test]
    fn kilobytes_are_decimal() {
        assert_eq!(format_kb(38_612), "38.6 KB");
        assert_eq!(format_kb(250_000), "250.0 KB");
    }
}
