"""Compares the first N rows' task_loss of two search_log.csv files.

usage: compare_task_loss.py REF.csv RUN.csv ROWS REL_TOL
Exits 1 and names the first row that differs by more than REL_TOL (relative).
Runs with different numbers of ranks reassociate float sums, so they agree
within a tolerance, not bit for bit.
"""
import csv
import sys

ref_path, run_path, rows, tol = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])


def losses(path):
    with open(path, newline="") as f:
        return [float(r["task_loss"]) for r in csv.DictReader(f)][:rows]


ref, run = losses(ref_path), losses(run_path)
if len(ref) < rows or len(run) < rows:
    sys.exit("fewer than %d rows: %s has %d, %s has %d"
             % (rows, ref_path, len(ref), run_path, len(run)))
for i, (a, b) in enumerate(zip(ref, run)):
    rel = abs(a - b) / max(abs(a), 1e-12)
    if rel > tol:
        sys.exit("row %d: task_loss %.9g vs %.9g (relative difference %.3g > %g)"
                 % (i, a, b, rel, tol))
print("task_loss of the first %d rows agrees within %g" % (rows, tol))
