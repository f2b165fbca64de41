#!/usr/bin/env bash
# Installs the Debian packages HDX needs (idempotent), configures and builds.
#   HDX_BUILD_DIR   build directory (default: build)
#   HDX_CMAKE_ARGS  extra CMake arguments, e.g. -DHDX_ENABLE_SANITIZERS=ON
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HDX_BUILD_DIR:-$root/build}

"$root/scripts/install-deps.sh"
# shellcheck disable=SC2086
cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release ${HDX_CMAKE_ARGS:-}
cmake --build "$build"
