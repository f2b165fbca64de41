#!/usr/bin/env python3
"""Imports every model of Debian's libonnx-testdata with hdx-translate.

Each model must either import (exit 0) or be rejected with an error message
(exit 1); a crash, a hang or a silent failure is reported. Prints a summary
per corpus folder. An optional third argument is the least number of models
that must import: fewer is reported as lost coverage.
"""
import concurrent.futures
import os
import subprocess
import sys

TIMEOUT_S = 30


def run(translate, model):
    try:
        proc = subprocess.run([translate, "--import-onnx", model, "-o", os.devnull],
                              capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return model, "hung", ""
    if proc.returncode == 0:
        return model, "imported", ""
    if proc.returncode == 1 and "error:" in proc.stderr:
        return model, "rejected", proc.stderr
    if proc.returncode == 1:
        return model, "silent", proc.stderr
    return model, "crashed", proc.stderr


def main():
    translate, root = sys.argv[1], sys.argv[2]
    least = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    models = sorted(os.path.join(dirpath, name)
                    for dirpath, _, names in os.walk(root)
                    for name in names if name.endswith(".onnx"))
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda m: run(translate, m), models))
    per_folder = {}
    for model, outcome, _ in results:
        folder = os.path.relpath(model, root).split(os.sep)[0]
        per_folder.setdefault(folder, {}).setdefault(outcome, 0)
        per_folder[folder][outcome] += 1
    for folder in sorted(per_folder):
        counts = per_folder[folder]
        total = sum(counts.values())
        print(f"{folder}: imported {counts.get('imported', 0)} of {total}")
    bad = [(m, o, e) for m, o, e in results if o in ("hung", "crashed", "silent")]
    for model, outcome, stderr in bad:
        print(f"{outcome}: {model}\n{stderr}")
    imported = sum(1 for _, o, _ in results if o == "imported")
    print(f"total: imported {imported} of {len(results)}")
    print(f"crashed, hung or silent: {len(bad)}")
    if imported < least:
        print(f"lost coverage: {imported} imported, at least {least} expected")
        sys.exit(1)


if __name__ == "__main__":
    main()
