#!/usr/bin/env bash
# The DANCE-style cost evaluator on the default search space: the default
# example (examples/fashion-mnist.yaml) with `cost_proxy.kind: evaluator`.
# Prints the evaluator's held-out accuracy per metric (1 - mean relative
# error against the exact cost model), its training time, and the derived
# design's exact metrics against the limits.
#   bench/evaluator-bench.sh [build-dir] [out-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=${2:-$root/out-evaluator}
cmake --build "$build" --target hdx-search >/dev/null
mkdir -p "$out"
config="$out/fashion-mnist-evaluator.yaml"
sed 's/^  kind: tables$/  kind: evaluator/' "$root/examples/fashion-mnist.yaml" > "$config"
grep -q '^  kind: evaluator$' "$config" || { echo "cost_proxy.kind not found in the example" >&2; exit 1; }
"$build/bin/hdx-search" "$config" -o "$out/run" 2> "$out/log.txt"
grep -E 'cost evaluator|cost tables|repair' "$out/log.txt" || true
python3 - "$out/run/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["search"]
print("| metric | evaluator held-out accuracy |")
print("|---|---|")
for k, v in s["evaluator_accuracy"].items():
    print(f"| {k} | {v:.4f} |")
print()
print("| constraint | exact value | limit | met |")
print("|---|---|---|---|")
for c in r["constraints"]:
    print(f"| {c['metric']} | {c['value']:.4g} | {c['limit']} | {c['met']} |")
print(f"\nevaluator: {s['evaluator_samples']} designs (80% train, 20% held out), "
      f"trained in {s['evaluator_train_s']:.1f} s")
print(f"test accuracy {r['test_accuracy']:.4f}, search {s['search_s']:.0f} s, "
      f"wall {r['wall_time_s']:.0f} s, repairs {len(s['repairs'])}")
PY
