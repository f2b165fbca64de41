#!/usr/bin/env bash
# Builds HDX (installing dependencies if needed) and runs every test: the lit
# regression suites and the GoogleTest unit tests, through CTest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HDX_BUILD_DIR:-$root/build}

"$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
