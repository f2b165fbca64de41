#!/usr/bin/env bash
# Throughput of the data-parallel search (docs/distributed.md): the default
# example (examples/fashion-mnist.yaml) shortened to one warm-up and two
# search epochs and one derived epoch, run as
#   - one process, 2 threads;  - one process, 1 thread;
#   - two ranks (--nproc 2), 1 thread each;
# then killed after search epoch 2 and resumed, for the checkpoint's read
# time. Prints images/s per epoch (as each run notes it), the bytes
# all-reduced per step, checkpoint write/read times and wall times.
#   bench/distributed.sh [build-dir] [out-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out=${2:-$root/out-distributed}
search=$build/bin/hdx-search
mkdir -p "$out"
cd "$out"
# Search epochs 6 -> 3 (warm-up 2 -> 1), derived epochs 6 -> 1.
awk '/^optimizer:/ {s = "opt"} /^derived:/ {s = "der"}
     s == "opt" && /^  epochs:/ {$0 = "  epochs: 3"}
     s == "opt" && /^  warmup_epochs:/ {$0 = "  warmup_epochs: 1"}
     s == "der" && /^  epochs:/ {$0 = "  epochs: 1"}
     {print}' "$root/examples/fashion-mnist.yaml" > short.yaml

run() { # name, arguments...
  local name=$1; shift
  rm -rf "$name" ".$name.checkpoint"
  local start=$(date +%s.%N)
  "$search" short.yaml -o "$name" "$@" > "$name.log" 2>&1
  python3 -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" \
    "$(date +%s.%N)" "$start" > "$name.wall_s"
}
run one-2t --threads 2
run one-1t --threads 1
run nproc2 --nproc 2
rm -rf killed .killed.checkpoint
HDX_TEST_KILL_AFTER_EPOCH=2 "$search" short.yaml -o killed --threads 2 \
  > killed.log 2>&1 || true
stat -c %s .killed.checkpoint > checkpoint.bytes
"$search" short.yaml -o killed --threads 2 --resume > resumed.log 2>&1

python3 - <<'PY'
import csv, re
# Steps per epoch: the alpha/beta steps of one search epoch (as many as
# the weight steps of any epoch).
rows = list(csv.DictReader(open("nproc2/search_log.csv")))
steps = sum(1 for r in rows if r["epoch"] == rows[0]["epoch"])
def epochs(log):
    return [(float(m.group(1)), m.group(2) and float(m.group(2)))
            for m in re.finditer(r"epoch \d+: .*?; ([0-9.e+]+) images/s"
                                 r"(?: on \d+ ranks, ([0-9.e+]+) MB)?",
                                 open(log).read())]
print("| run | warm-up epoch images/s | search epochs images/s | wall_s |")
print("|---|---|---|---|")
for name, label in [("one-2t", "1 process, 2 threads"),
                    ("one-1t", "1 process, 1 thread"),
                    ("nproc2", "2 ranks (--nproc 2), 1 thread each")]:
    e = epochs(name + ".log")
    wall = float(open(name + ".wall_s").read())
    print("| %s | %.0f | %s | %.1f |" % (label, e[0][0],
          ", ".join("%.0f" % x for x, _ in e[1:]), wall))
e = epochs("nproc2.log")
mb = [e[0][1]] + [b - a for (_, a), (_, b) in zip(e, e[1:])]
print()
print("all-reduced per rank: warm-up epoch %.1f MB (%.2f MB per weight step); "
      "search epochs %s MB (%s MB per weight + alpha/beta step pair)"
      % (mb[0], mb[0] / steps, ", ".join("%.1f" % x for x in mb[1:]),
         ", ".join("%.2f" % (x / steps) for x in mb[1:])))
log = open("one-2t.log").read() + open("killed.log").read()
written = [float(x) for x in re.findall(r"checkpoint \S+ written in ([0-9.e-]+) s", log)]
read = re.findall(r"resumed from \S+ after search epoch \d+ \(read in ([0-9.e-]+) s\)",
                  open("resumed.log").read())
print("checkpoint: %.1f MB, written in %.3f-%.3f s (%d writes), read in %s s"
      % (int(open("checkpoint.bytes").read()) / 1e6, min(written),
         max(written), len(written), ", ".join(read)))
PY
