#!/usr/bin/env bash
# Compiling your own ONNX model onto a given accelerator, without a search:
#   examples/compile-onnx/run.sh [model.onnx] [accelerator.yaml] [out-dir]
# Without a model it compiles MobileNetV2 (written by hdx-zoo in the shape
# PyTorch exports it) onto examples/edge16.yaml under a 60 fps limit.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${HDX_BUILD_DIR:-$root/build}/bin
out=${3:-$root/out-compile}
accel=${2:-$root/examples/edge16.yaml}
mkdir -p "$out"
model=${1:-}
if [ -z "$model" ]; then
  model="$out/mobilenetv2.onnx"
  "$bin/hdx-zoo" mobilenetv2 -o "$model"
fi
"$bin/hdx-translate" --import-onnx "$model" -mlir-print-debuginfo -o "$out/network.mlir"
"$bin/hdx-opt" "$out/network.mlir" -mlir-print-debuginfo \
  --hdx-compile="accel=$accel latency-ms=16.6" -o "$out/compiled.mlir"
for emit in schedule:schedule.yaml rtl-params:accelerator_pkg.sv \
            rtl-header:accelerator.h accel-config:accelerator.yaml report:report.json; do
  "$bin/hdx-translate" --emit-"${emit%%:*}" "$out/compiled.mlir" -o "$out/${emit#*:}"
done
echo "wrote $out"
