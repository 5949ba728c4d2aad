#!/usr/bin/env bash
# How long `.ci/run` takes from a fresh clone with nothing of its own installed: clones the
# repository's HEAD into a new directory and runs `.ci/run` there with a new CARGO_HOME (no crate
# registry, no cargo-installed tools), empty npm, pip and llama.cpp caches, and a PATH that holds
# only rustup's proxies and the system's own programs. The Rust toolchain (RUSTUP_HOME) and the
# Debian packages are the machine's. Prints the exit status and the seconds taken; the run's
# output is in WORK/log.
#
#   tests/bench/fresh-clone.sh [WORK]    (WORK defaults to a new directory under /tmp)

set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-$(mktemp -d /tmp/crossover-fresh.XXXXXX)}"
mkdir -p "$work/rust" "$work/cargo" "$work/cache" "$work/npm"
rustup_bin="$(dirname "$(command -v rustup)")"
for tool in cargo rustc rustdoc rustfmt cargo-fmt cargo-clippy clippy-driver rustup; do
  ln -sf "$rustup_bin/$tool" "$work/rust/$tool"
done
git clone --quiet "$repo" "$work/repo"
cd "$work/repo"
export CARGO_HOME="$work/cargo" XDG_CACHE_HOME="$work/cache" npm_config_cache="$work/npm"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export PATH="$work/cargo/bin:$work/rust:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
start=$(date +%s)
status=0
.ci/run >"$work/log" 2>&1 || status=$?
echo "fresh clone: .ci/run exited $status after $(($(date +%s) - start)) s (log: $work/log)"
exit "$status"
