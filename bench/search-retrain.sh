#!/usr/bin/env bash
# Trains every design a sweep searched (bench/search-sweep.sh) again, longer,
# so that the accuracies compare designs rather than short trainings:
#   bench/search-retrain.sh [build-dir] [from-dir] [out-dir]
# Each run's derived network is trained from its seed (derived.init
# from_seed: a design found by two methods on the same seed trains to one
# accuracy) on TRAIN_IMAGES training images (0 = every image not held out)
# for EPOCHS epochs, with CONFIG's other derived settings, once per (seed,
# design) across the parts (they share OUT/trained). Two processes
# share the designs, one thread each; trained designs are kept, so rerunning
# resumes. PARTS names the parts of FROM to retrain (default: tune, report
# and forms, those FROM has). Prints the summary tables of each part, as
# bench/search-sweep.sh does for the search's own accuracies, the settings
# the retrained tuning runs pick, and the wall and CPU time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
from=${2:-$root/out-sweep}
out=${3:-$root/out-retrain}
config=${CONFIG:-$root/bench/sweep-fashion-mnist-short.yaml}
train_images=${TRAIN_IMAGES:-0}
epochs=${EPOCHS:-2}
sweep=${SWEEP:-$build/bin/hdx-search-sweep}
if [ -z "${SWEEP:-}" ]; then
  cmake --build "$build" --target hdx-search-sweep >/dev/null
fi
# Sums round differently in another vector ISA, and a search its limits do
# not pin can then derive another design: ATen's and oneDNN's kernels are
# capped to AVX2 (unless set otherwise), so that machines with and without
# AVX-512 run the same kernels (docs/search.md, "Devices").
export ATEN_CPU_CAPABILITY=${ATEN_CPU_CAPABILITY:-avx2}
export DNNL_MAX_CPU_ISA=${DNNL_MAX_CPU_ISA:-AVX2}
TIMEFORMAT='retrain: wall %R s, CPU %U s user + %S s system'
parts=${PARTS:-$(cd "$from" && ls -d tune report forms 2>/dev/null)}
mkdir -p "$out/trained"
for part in $parts; do
  mkdir -p "$out/$part"
  [ -e "$out/$part/trained" ] || ln -s ../trained "$out/$part/trained"
done
time {
  for part in $parts; do
    pids=()
    for shard in 0/2 1/2; do
      "$sweep" "$config" --retrain "$from/$part" -o "$out/$part" \
        --train-images "$train_images" --epochs "$epochs" --shard "$shard" \
        --threads 1 2>> "$out/retrain.log" &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do
      wait "$pid" || { echo "retrain failed: see $out/retrain.log" >&2; exit 1; }
    done
  done
}
for part in $parts; do
  echo "## $part, retrained ($train_images training images, $epochs epochs)"
  if [ "$part" = forms ]; then
    "$sweep" --summarize "$out/forms" --against "$out/report" |
      tee "$out/forms/summary.md"
  else
    "$sweep" --summarize "$out/$part" | tee "$out/$part/summary.md"
  fi
done
if [ -d "$out/tune" ]; then
  echo "## Settings the retrained tuning runs pick"
  "$sweep" --tuned "$out/tune"
fi
