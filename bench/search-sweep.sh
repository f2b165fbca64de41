#!/usr/bin/env bash
# Constraint satisfaction of the search: latency targets from tight to loose
# x 3 seeds x the methods hdx, soft and adaptive on Fashion-MNIST
# (bench/sweep-fashion-mnist.yaml). TARGETS, SEEDS and BASELINE_SEEDS (the
# seeds of soft and adaptive) override the lists. Prints the per-run table and the
# per-method summary, and writes the accuracy-latency plane as SVG.
#   bench/search-sweep.sh [build-dir] [out-dir]
# Two halves of the target list run side by side (one thread each) on a
# two-core machine. Finished runs are kept, so rerunning resumes a sweep.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=${2:-$root/out-sweep}
targets=${TARGETS:-0.05,0.06,0.075,0.09}
seeds=${SEEDS:-1,2,3}
# The baselines may run fewer seeds than hdx to save time.
baseline_seeds=${BASELINE_SEEDS:-$seeds}
mkdir -p "$out"
cmake --build "$build" --target hdx-search-sweep >/dev/null
IFS=, read -ra all <<< "$targets"
half=$(( (${#all[@]} + 1) / 2 ))
first=$(IFS=,; echo "${all[*]:0:half}")
second=$(IFS=,; echo "${all[*]:half}")
sweep() { # METHOD TARGETS LOG
  [ -n "$2" ] || return 0
  local runSeeds=$seeds
  [ "$1" = hdx ] || runSeeds=$baseline_seeds
  "$build/bin/hdx-search-sweep" "$root/bench/sweep-fashion-mnist.yaml" \
    -o "$out/$1" --metric latency_ms --targets "$2" --methods "$1" \
    --seeds "$runSeeds" --threads 1 > /dev/null 2>> "$out/$3.log"
}
for method in hdx soft adaptive; do sweep $method "$first" a; done &
for method in hdx soft adaptive; do sweep $method "$second" b; done &
wait
# One table and one accuracy-latency plane over every method and run.
"$build/bin/hdx-search-sweep" --summarize "$out" --metric latency_ms | tee "$out/summary.md"
