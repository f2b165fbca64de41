#!/usr/bin/env bash
# Builds the libFuzzer targets of test/fuzz (clang-19, AddressSanitizer +
# UndefinedBehaviorSanitizer) into build-fuzz/ and runs each for SECONDS
# (default 60) on a corpus seeded from the repository's test inputs, the
# examples and Debian's ONNX test models. A crash, sanitizer report, leak,
# timeout or out-of-memory fails the script; the input that caused it is
# kept in build-fuzz/crashes/TARGET/. The corpora grow in
# build-fuzz/corpus/TARGET/, so a later, longer run starts where this one
# stopped.
#   scripts/fuzz.sh [SECONDS] [TARGET...]   (targets: onnx-import accelerator
#                                            search-config attributes)
#   HDX_FUZZ_BUILD_DIR  build directory (default: build-fuzz)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HDX_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(onnx-import accelerator search-config attributes)

"$root/scripts/install-deps.sh"
cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
  -DHDX_BUILD_FUZZERS=ON -DHDX_ENABLE_SEARCH=OFF -DHDX_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" --target hdx-fuzzers

# Seeds: every file of its kind the repository and Debian's test data hold.
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{onnx-import,accelerator,search-config,attributes}
n=0
while IFS= read -r f; do
  n=$((n + 1)); cp "$f" "$seeds/onnx-import/model-$n.onnx"
done < <(find /usr/share/libonnx-testdata/data/node -name model.onnx -size -8k | sort | head -300)
find "$root/test" -name '*.onnxtxt' -exec cp -t "$seeds/onnx-import" {} +
# The `#--- name.onnxtxt` sections of split-file tests, one file each.
for t in "$root"/test/Import/*.test; do
  awk -v dir="$seeds/onnx-import" -v base="$(basename "$t" .test)" '
    /^#--- .*\.onnxtxt$/ { out = dir "/" base "-" $2; next }
    /^#--- / { out = ""; next }
    out != "" { print > out }' "$t"
done
find "$root/test" -path '*Inputs*' -name '*.yaml' -exec cp -t "$seeds/accelerator" {} +
cp "$root"/examples/*.yaml "$root"/bench/*.yaml "$seeds/search-config/"
cp "$root"/test/fuzz/seeds/attributes/* "$seeds/attributes/"

# LLVM's headers see ASan through __has_feature and poison allocator slabs
# inline, which the uninstrumented MLIR archives then touch (a false
# use-after-poison): user poisoning is off, every other check stays on.
export ASAN_OPTIONS=allow_user_poisoning=0:detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

failed=()
for t in "${targets[@]}"; do
  bin=$build/bin/hdx-fuzz-$t
  [ -x "$bin" ] || { echo "fuzz: no target '$t'" >&2; exit 2; }
  mkdir -p "$build/corpus/$t" "$build/crashes/$t"
  echo "== hdx-fuzz-$t: ${seconds}s"
  if ! "$bin" "$build/corpus/$t" "$seeds/$t" -max_total_time="$seconds" \
      -timeout=25 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$build/crashes/$t/" 2>"$build/fuzz-$t.log"; then
    tail -n 60 "$build/fuzz-$t.log" >&2
    failed+=("$t")
  else
    grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' \
      "$build/fuzz-$t.log" | tr '\n' ' '
    echo
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failures in: ${failed[*]} (inputs in $build/crashes/)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a finding"
