#!/usr/bin/env bash
# The main job on the default example: builds HDX (installing dependencies if
# needed) and runs the longest pipeline available today on examples/:
# the hdx verifier over a network + accelerator module.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HDX_BUILD_DIR:-$root/build}

"$root/scripts/build.sh"
bin="$build/bin"
echo "== verifying examples/edge16.mlir (network, accelerator, constraints)"
"$bin/hdx-opt" "$root/examples/edge16.mlir"
