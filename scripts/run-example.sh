#!/usr/bin/env bash
# The main job on the default example: builds HDX (installing dependencies if
# needed), then runs hdx-codesign on examples/fashion-mnist.yaml: searches a
# Fashion-MNIST network and its accelerator together under a latency target
# and an area budget, compiles the result and writes every output into out/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HDX_BUILD_DIR:-$root/build}
out=${HDX_OUT_DIR:-$root/out}

"$root/scripts/build.sh"
"$build/bin/hdx-codesign" "$root/examples/fashion-mnist.yaml" -o "$out"
