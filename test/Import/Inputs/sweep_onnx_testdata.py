#!/usr/bin/env python3
"""Imports every model of Debian's libonnx-testdata with hdx-translate.

Each model must either import (exit 0) or be rejected with an error message
(exit 1); a crash, a hang or a silent failure is reported. Prints a summary
per corpus folder. An optional third argument is the least number of models
that must import: fewer is reported as lost coverage.

With --compile ACCEL.yaml LEAST (after the positional arguments), every
imported model is also compiled with hdx-opt --hdx-compile for ACCEL; a
compiled module must read back (hdx-opt prints the same text again) and
every emitter must accept it. Compiling may fail only with an error
message; at least LEAST models must compile.
"""
import concurrent.futures
import os
import subprocess
import sys
import tempfile

TIMEOUT_S = 30


EMITTERS = ["--emit-schedule", "--emit-report", "--emit-rtl-params",
            "--emit-rtl-header", "--emit-accel-config"]


def outcome_of(proc):
    """'ok', 'rejected' (exit 1 with an error), 'silent' or 'crashed'."""
    if proc.returncode == 0:
        return "ok"
    if proc.returncode == 1 and "error:" in proc.stderr:
        return "rejected"
    return "silent" if proc.returncode == 1 else "crashed"


def imported_path(model, scratch):
    """Where the import of `model` is kept for compiling, or os.devnull."""
    if scratch is None:
        return os.devnull
    return os.path.join(scratch, os.path.relpath(model, "/").replace(os.sep, "_")
                        + ".mlir")


def run(translate, model, scratch):
    try:
        proc = subprocess.run([translate, "--import-onnx", model,
                               "-o", imported_path(model, scratch)],
                              capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return model, "hung", ""
    outcome = outcome_of(proc)
    return model, "imported" if outcome == "ok" else outcome, proc.stderr


def compile_and_reread(translate, opt, accel, model, scratch):
    """'compiled', 'rejected' or a problem: (outcome, details)."""
    imported = imported_path(model, scratch)
    base = imported[:-len(".mlir")]
    def call(args):
        return subprocess.run(args, capture_output=True, text=True,
                              timeout=TIMEOUT_S)
    try:
        proc = call([opt, imported, f"--hdx-compile=accel={accel}",
                     "-o", base + ".compiled.mlir"])
        state = outcome_of(proc)
        if state != "ok":
            return state, proc.stderr
        proc = call([opt, base + ".compiled.mlir", "-o", base + ".again.mlir"])
        if proc.returncode != 0:
            return "unreadable", proc.stderr
        with open(base + ".compiled.mlir") as a, open(base + ".again.mlir") as b:
            if a.read() != b.read():
                return "changed on re-read", ""
        for emitter in EMITTERS:
            proc = call([translate, emitter, base + ".compiled.mlir",
                         "-o", os.devnull])
            if proc.returncode != 0:
                return f"{emitter} failed", proc.stderr
        return "compiled", ""
    except subprocess.TimeoutExpired:
        return "hung", ""


def main():
    args = sys.argv[1:]
    compile_args = None
    if "--compile" in args:
        at = args.index("--compile")
        compile_args = args[at + 1:at + 3]
        args = args[:at]
    translate, root = args[0], args[1]
    least = int(args[2]) if len(args) > 2 else 0
    # With --compile, each import is kept here and compiled from there.
    with tempfile.TemporaryDirectory() as scratch:
        sweep(translate, root, least, compile_args,
              scratch if compile_args else None)


def sweep(translate, root, least, compile_args, scratch):
    models = sorted(os.path.join(dirpath, name)
                    for dirpath, _, names in os.walk(root)
                    for name in names if name.endswith(".onnx"))
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda m: run(translate, m, scratch), models))
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
    if compile_args is None:
        return
    accel, least_compiled = compile_args[0], int(compile_args[1])
    opt = os.path.join(os.path.dirname(translate), "hdx-opt")
    imported_models = [m for m, o, _ in results if o == "imported"]
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        compiled = list(pool.map(
            lambda m: (m,) + compile_and_reread(translate, opt, accel, m, scratch),
            imported_models))
    problems = [(m, o, e) for m, o, e in compiled
                if o not in ("compiled", "rejected")]
    for model, outcome, stderr in problems:
        print(f"{outcome}: {model}\n{stderr}")
    count = sum(1 for _, o, _ in compiled if o == "compiled")
    print(f"compiled and re-read by every emitter: {count} of {len(compiled)}")
    print(f"compile or re-read problems: {len(problems)}")
    if count < least_compiled:
        print(f"lost coverage: {count} compiled, at least {least_compiled} expected")
        sys.exit(1)


if __name__ == "__main__":
    main()
