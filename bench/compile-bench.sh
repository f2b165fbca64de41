#!/usr/bin/env bash
# Times the compiler end to end on three real CNNs: for MobileNetV2,
# ResNet-18 and SqueezeNet 1.1 (hdx-zoo, ImageNet 224 x 224, batch 1) it runs
# the ONNX import, --hdx-compile and every emitter, pinned to one core, and
# prints per stage the wall time (best of REPEAT runs), the CPU time of the
# whole run and the peak resident memory of any stage. Builds nothing.
#
#   bench/compile-bench.sh [build-dir]           (default: build)
#
# Environment: ACCEL (accelerator YAML, default the edge16 test array),
# LATENCY_MS (constraint, default 1000), OPSET (13 or 18, default 13),
# REPEAT (default 3), TARGET_MS (MobileNetV2 wall-time target, default 1000),
# BYTECODE=1 (the stages pass MLIR bytecode instead of text: the import and
# hdx-opt write .mlirbc, and one hdx-translate --emit-all call writes every
# emitter's file from one parse). Exits 1 when MobileNetV2 misses the target.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
bin="$build/bin"
accel="${ACCEL:-$root/test/Transforms/Inputs/edge16.yaml}"
latency_ms="${LATENCY_MS:-1000}"
opset="${OPSET:-13}"
repeat="${REPEAT:-3}"
target_ms="${TARGET_MS:-1000}"
emitters=(schedule rtl-params rtl-header accel-config report)
bytecode="${BYTECODE:-0}"
format=(-mlir-print-debuginfo)
imported="net.mlir"
compiled="compiled.mlir"
if [ "$bytecode" = 1 ]; then
  format=(--emit-bytecode)
  imported="net.mlirbc"
  compiled="compiled.mlirbc"
fi

for tool in hdx-zoo hdx-translate hdx-opt; do
  if [ ! -x "$bin/$tool" ]; then
    echo "compile-bench: $bin/$tool is missing; build it first:" >&2
    echo "  ninja -C $build hdx-zoo hdx-translate hdx-opt" >&2
    exit 1
  fi
done
if [ ! -x /usr/bin/time ]; then
  echo "compile-bench: needs /usr/bin/time for peak memory (Debian package 'time')" >&2
  exit 1
fi
# One core, as the target is stated: the first CPU this shell may use.
pin=()
if command -v taskset > /dev/null; then
  pin=(taskset -c "$(taskset -pc $$ | sed 's/.*: //; s/[-,].*//')")
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# ms SECONDS: "0.123" -> 123 (no newline)
ms() { awk -v s="$1" 'BEGIN { printf "%d", s * 1000 + 0.5 }'; }

# run NAME CMD...: runs CMD pinned; appends its wall ms to $work/NAME.ms and
# $work/wall.$round, its CPU ms (user + system) to $work/cpu.$round and its
# peak RSS (KiB) to $work/rss.
run() {
  local name="$1"
  shift
  local TIMEFORMAT='%3R %3U %3S'
  if ! { time "${pin[@]}" /usr/bin/time -f %M -o "$work/rss.out" "$@" \
           > "$work/$name.log" 2>&1; } 2> "$work/time.out"; then
    echo "compile-bench: '$*' failed:" >&2
    cat "$work/$name.log" >&2
    exit 1
  fi
  local wall user sys
  read -r wall user sys < "$work/time.out"
  ms "$wall" > "$work/one.ms"
  echo >> "$work/one.ms"
  cat "$work/one.ms" >> "$work/$name.ms"
  cat "$work/one.ms" >> "$work/wall.$round"
  echo "$(( $(ms "$user") + $(ms "$sys") ))" >> "$work/cpu.$round"
  tail -n 1 "$work/rss.out" >> "$work/rss"
}

sum() { awk '{ s += $1 } END { print s }' "$@"; }
best() { sort -n "$work/$1.ms" | head -n 1; }
# fastest PREFIX: the smallest per-round sum of $work/PREFIX.<round>.
fastest() { for f in "$work/$1".*; do sum "$f"; done | sort -n | head -n 1; }

printf '%-12s %6s %11s %9s %10s %7s %8s %7s %12s\n' \
  model layers MACs "import ms" "compile ms" "emit ms" "total ms" "CPU ms" \
  "peak RSS MiB"
status=0
for model in mobilenetv2 resnet18 squeezenet; do
  rm -f "$work"/*.ms "$work"/cpu.* "$work"/wall.* "$work/rss"
  onnx="$work/$model.onnx"
  "$bin/hdx-zoo" "$model" --opset "$opset" -o "$onnx"
  for ((round = 0; round < repeat; ++round)); do
    run import "$bin/hdx-translate" --import-onnx "$onnx" "${format[@]}" \
      -o "$work/$imported"
    run compile "$bin/hdx-opt" "$work/$imported" \
      --hdx-compile="accel=$accel latency-ms=$latency_ms" "${format[@]}" \
      -o "$work/$compiled"
    if [ "$bytecode" = 1 ]; then
      run emit-all "$bin/hdx-translate" --emit-all "$work/$compiled" \
        --emit-dir="$work/all"
      cp "$work/all/report.json" "$work/out.report"
    else
      for emitter in "${emitters[@]}"; do
        run "emit-$emitter" "$bin/hdx-translate" "--emit-$emitter" \
          "$work/$compiled" -o "$work/out.$emitter"
      done
    fi
  done
  emit=0
  if [ "$bytecode" = 1 ]; then
    emit=$(best emit-all)
  else
    for emitter in "${emitters[@]}"; do
      emit=$(( emit + $(best "emit-$emitter") ))
    done
  fi
  total=$(fastest wall)
  cpu=$(fastest cpu)
  # Layer count and MACs from the report, which states what the IR holds.
  report="$work/out.report"
  layers=$(grep -cE '"op": "(conv|fc)"' "$report")
  macs=$(grep -m 1 -oE '"macs": [0-9]+' "$report" | grep -oE '[0-9]+$')
  peak_kib=$(sort -n "$work/rss" | tail -n 1)
  printf '%-12s %6s %11s %9s %10s %7s %8s %7s %12s\n' "$model" "$layers" \
    "$macs" "$(best import)" "$(best compile)" "$emit" "$total" "$cpu" \
    "$(awk -v k="$peak_kib" 'BEGIN { printf "%.1f", k / 1024 }')"
  if [ "$model" = mobilenetv2 ] && [ "$total" -gt "$target_ms" ]; then
    status=1
  fi
done
echo
echo "Stages: the best of $repeat runs each (emit: ${emitters[*]})."
echo "Total: wall time of the fastest whole run; CPU: its user + system time."
echo "Opset $opset, ${pin[*]:-unpinned}, accelerator $(basename "$accel"),"
echo "stages pass $imported, $compiled; load average $(cut -d' ' -f1-3 /proc/loadavg)."
if [ "$status" -ne 0 ]; then
  echo "MobileNetV2 misses the target of $target_ms ms." >&2
fi
exit "$status"
