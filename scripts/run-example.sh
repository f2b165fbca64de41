#!/usr/bin/env bash
# The main job on the default example: builds HDX (installing dependencies if
# needed), then compiles MobileNetV2 (ImageNet, 224x224, written by hdx-zoo
# in the shape PyTorch exports it) onto the 16x16 edge accelerator of
# examples/edge16.yaml under a 60 fps latency limit, and writes every output
# into out/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HDX_BUILD_DIR:-$root/build}
out=${HDX_OUT_DIR:-$root/out}

"$root/scripts/build.sh"
bin="$build/bin"
mkdir -p "$out"
"$bin/hdx-zoo" mobilenetv2 -o "$out/network.onnx"
"$bin/hdx-translate" --import-onnx "$out/network.onnx" -mlir-print-debuginfo \
  -o "$out/network.mlir"
"$bin/hdx-opt" "$out/network.mlir" -mlir-print-debuginfo \
  --hdx-compile="accel=$root/examples/edge16.yaml latency-ms=16.6" \
  -o "$out/compiled.mlir"
"$bin/hdx-translate" --emit-schedule "$out/compiled.mlir" -o "$out/schedule.yaml"
"$bin/hdx-translate" --emit-rtl-params "$out/compiled.mlir" -o "$out/accelerator_pkg.sv"
"$bin/hdx-translate" --emit-rtl-header "$out/compiled.mlir" -o "$out/accelerator.h"
"$bin/hdx-translate" --emit-accel-config "$out/compiled.mlir" -o "$out/accelerator.yaml"
"$bin/hdx-translate" --emit-report "$out/compiled.mlir" -o "$out/report.json"
echo "wrote $out: network.onnx network.mlir compiled.mlir schedule.yaml" \
     "accelerator_pkg.sv accelerator.h accelerator.yaml report.json"
