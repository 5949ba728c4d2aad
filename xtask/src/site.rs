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
    /// What a first visit loads (index.html and every file it names) with its `gzip -9` size.
    pub gzipped: Vec<(PathBuf, u64)>,
}

impl Weight {
    /// Weighs every file under `dist`, and compresses what a first visit loads.
    pub fn of(dist: &Path) -> Result<Weight> {
        let index = dist.join("index.html");
        let page = fs::read_to_string(&index)
            .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
        let mut weight = Weight {
            files: 0,
            raw_bytes: 0,
            gzipped: Vec::new(),
        };
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
                    continue;
                }
                weight.files += 1;
                weight.raw_bytes += fs::metadata(&path).map_or(0, |m| m.len());
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                if path == index || page.contains(name) {
                    let size = gzip_size(&path)?;
                    weight.gzipped.push((path, size));
                }
            }
        }
        weight
            .gzipped
            .sort_by_key(|(_, size)| std::cmp::Reverse(*size));
        Ok(weight)
    }

    /// The sum of the `gzip -9` sizes.
    pub fn gzip_bytes(&self) -> u64 {
        self.gzipped.iter().map(|(_, size)| size).sum()
    }
}

/// The `gzip -9` size of the module the page loads on demand (the panels below the figures,
/// measurement, exports).
pub fn on_demand_gzip_bytes(dist: &Path) -> Result<u64> {
    ["crossover-extras.js", "crossover-extras_bg.wasm"]
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
    fn kilobytes_are_decimal() {
        assert_eq!(format_kb(38_612), "38.6 KB");
        assert_eq!(format_kb(250_000), "250.0 KB");
    }
}
