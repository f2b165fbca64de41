#!/usr/bin/env bash
# Compiling your own ONNX model onto a given accelerator, without a search:
#   examples/compile-onnx/run.sh [model.onnx] [accelerator.yaml] [out-dir]
# Without a model it compiles MobileNetV2 (written by hdx-zoo in the shape
# PyTorch exports it) onto examples/edge16.yaml under a 60 fps limit.
# The stages pass MLIR bytecode (.mlirbc: no hex text for the weights, and
# the ONNX node names kept as locations); one hdx-translate call writes every
# emitter's file. `build/bin/hdx-opt out-compile/compiled.mlirbc` prints the
# compiled module as text.
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
"$bin/hdx-translate" --import-onnx "$model" --emit-bytecode -o "$out/network.mlirbc"
"$bin/hdx-opt" "$out/network.mlirbc" --emit-bytecode \
  --hdx-compile="accel=$accel latency-ms=16.6" -o "$out/compiled.mlirbc"
"$bin/hdx-translate" --emit-all "$out/compiled.mlirbc" --emit-dir="$out" > /dev/null
echo "wrote $out"
