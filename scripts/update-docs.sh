#!/usr/bin/env bash
# Regenerates the ODS reference (dialect, attributes, passes) and copies it
# into docs/reference/, where the docs-up-to-date test expects it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HDX_BUILD_DIR:-$root/build}
cmake --build "$build" --target hdx-doc
mkdir -p "$root/docs/reference"
for f in "$build"/docs/HDX/*.md; do
  cp "$f" "$root/docs/reference/"
done
