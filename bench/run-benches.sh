#!/usr/bin/env bash
# Builds and runs the cost-model benchmarks and prints their figures:
#   1. cost evaluations per second on one core,
#   2. time to map MobileNetV2's conv + fc layers onto 16 x 16 arrays,
#   3. the mapper's worst gap to exhaustive search,
# then the Google Benchmark timings and the network sanity table.
#
#   bench/run-benches.sh [build-dir]      (default: build)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"

if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" -DHDX_BUILD_BENCHMARKS=ON
fi
ninja -C "$build" hdx-cost-figures hdx-bench-cost hdx-cost-sanity

echo "== Figures =="
status=0
"$build/bin/hdx-cost-figures" || status=$?

echo
echo "== Google Benchmark =="
"$build/bin/hdx-bench-cost" --benchmark_min_time=0.2

echo
echo "== Networks (objective edp) =="
"$build/bin/hdx-cost-sanity"
exit "$status"
