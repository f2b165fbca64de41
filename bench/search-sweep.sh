#!/usr/bin/env bash
# Constraint satisfaction of the search: latency targets from tight to loose
# x 3 seeds x the methods hdx, soft and adaptive on Fashion-MNIST
# (bench/sweep-fashion-mnist.yaml). Prints the per-run table and the
# per-method summary, and writes the accuracy-latency plane as SVG.
#   bench/search-sweep.sh [build-dir] [out-dir]
# Two methods run side by side (one thread each) on a two-core machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=${2:-$root/out-sweep}
targets=${TARGETS:-0.05,0.06,0.075,0.09}
seeds=${SEEDS:-1,2,3}
mkdir -p "$out"
cmake --build "$build" --target hdx-search-sweep >/dev/null
sweep() {
  "$build/bin/hdx-search-sweep" "$root/bench/sweep-fashion-mnist.yaml" \
    -o "$out/$1" --metric latency_ms --targets "$targets" --methods "$1" \
    --seeds "$seeds" --threads 1 > "$out/$1.md" 2> "$out/$1.log"
}
sweep hdx & sweep soft & wait
sweep adaptive
# One table and one accuracy-latency plane over every method and run.
"$build/bin/hdx-search-sweep" --summarize "$out" --metric latency_ms | tee "$out/summary.md"
