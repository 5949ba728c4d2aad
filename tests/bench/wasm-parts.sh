#!/usr/bin/env bash
# What each module's wasm is made of, by the crate each item's name starts with, before wasm-opt
# (Trunk's wasm-opt strips the names). Run after `cargo xtask build`; needs wasm-bindgen and
# twiggy (`cargo install twiggy --locked`) on PATH.
#
#   tests/bench/wasm-parts.sh [BIN]    (BIN: crossover-web, the default, crossover-extras or
#                                       crossover-measure)

set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${1:-crossover-web}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
wasm-bindgen "$repo/target/wasm32-unknown-unknown/release/$bin.wasm" --out-dir "$out" --target web
twiggy top -n 1000000 --format csv "$out/${bin}_bg.wasm" >"$out/top.csv"
python3 - "$out/top.csv" <<'EOF'
import csv, sys

parts = {
    "Rust's core, alloc and std": 0,
    "tachys (Leptos's renderer)": 0,
    "reactive_graph (signals, memos, effects)": 0,
    "crossover_web (the components)": 0,
    "crossover_core (the engine)": 0,
    "data: strings and tables": 0,
    "the rest (js_sys, wasm_bindgen, web_sys, dlmalloc, hashbrown, ...)": 0,
}
keys = list(parts)
names = 0
for row in csv.DictReader(open(sys.argv[1])):
    name, size = row["Name"], int(row["ShallowSize"])
    if "function names" in name:
        names += size
        continue
    bare = name.lstrip("<&")
    if name.startswith("data segment"):
        part = keys[5]
    elif "tachys" in name:
        part = keys[1]
    elif "reactive_graph" in name:
        part = keys[2]
    elif "crossover_web" in name:
        part = keys[3]
    elif "crossover_core" in name:
        part = keys[4]
    elif bare.startswith(("core", "alloc", "std", "compiler_builtins", "f64", "f32", "char", "str")):
        part = keys[0]
    else:
        part = keys[6]
    parts[part] += size
total = sum(parts.values())
print(f"{total / 1000:.1f} KB of code and data ({(total + names) / 1000:.1f} KB with the names)")
print("| part | bytes | share |")
print("|---|---|---|")
for part, size in parts.items():
    print(f"| {part} | {size / 1000:.1f} KB | {100 * size / total:.1f}% |")
EOF
