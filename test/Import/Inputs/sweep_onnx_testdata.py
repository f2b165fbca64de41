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

With --run RAN MATCHED (after --compile), every imported model is also run
with hdx-run on each of its test_data_set_* inputs, untiled from the import
and tiled by its mappings from the compiled module, and every output is
compared with the shipped output_N.pb (ONNX's expected outputs): a run
matches when max |out - ref| <= 1e-3 * max |ref| + 1e-5 for every output.
Any mismatch or crash fails the sweep; at least RAN models must run and
MATCHED must match.
"""
import concurrent.futures
import glob
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "Execution", "Inputs"))

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


def run_model(runner, module, model, scratch, tiled):
    """'matched', 'rejected', 'no data', or a problem: (outcome, details)."""
    sets = sorted(glob.glob(os.path.join(os.path.dirname(model),
                                         "test_data_set_*")))
    if not sets:
        return "no data", ""
    for data in sets:
        inputs = sorted(glob.glob(os.path.join(data, "input_*.pb")),
                        key=lambda p: int(p.rsplit("_", 1)[1][:-3]))
        refs = sorted(glob.glob(os.path.join(data, "output_*.pb")),
                      key=lambda p: int(p.rsplit("_", 1)[1][:-3]))
        out_dir = os.path.join(scratch, os.path.relpath(data, "/").replace(
            os.sep, "_") + (".tiled" if tiled else ".untiled"))
        args = [runner, module, "-o", out_dir]
        for path in inputs:
            args += ["-i", path]
        try:
            proc = subprocess.run(args, capture_output=True, text=True,
                                  timeout=TIMEOUT_S * 4)
        except subprocess.TimeoutExpired:
            return "hung", ""
        state = outcome_of(proc)
        if state != "ok":
            return state, proc.stderr
        for i, ref_path in enumerate(refs):
            out_path = os.path.join(out_dir, f"output_{i}.pb")
            if not os.path.exists(out_path):
                return "mismatch", f"no output_{i}.pb"
            from compare_tensors import compare, read_tensor
            ok, why = compare(read_tensor(out_path), read_tensor(ref_path))
            if not ok:
                return "mismatch", f"{os.path.basename(data)} output {i}: {why}"
    return "matched", ""


def report_runs(label, runs):
    """Prints the counts of one run sweep; returns (ran, matched, problems)."""
    problems = [(m, o, e) for m, o, e in runs
                if o not in ("matched", "rejected", "no data")]
    for model, outcome, details in problems:
        print(f"{label} {outcome}: {model}\n{details}")
    ran = sum(1 for _, o, _ in runs if o not in ("rejected", "no data"))
    matched = sum(1 for _, o, _ in runs if o == "matched")
    print(f"{label}: ran {ran} of {len(runs)}, matched {matched}, "
          f"mismatched or crashed {len(problems)}")
    return ran, matched, problems


def main():
    args = sys.argv[1:]
    compile_args = None
    run_args = None
    if "--run" in args:
        at = args.index("--run")
        run_args = [int(a) for a in args[at + 1:at + 3]]
        args = args[:at] + args[at + 3:]
    if "--compile" in args:
        at = args.index("--compile")
        compile_args = args[at + 1:at + 3]
        args = args[:at]
    translate, root = args[0], args[1]
    least = int(args[2]) if len(args) > 2 else 0
    # With --compile, each import is kept here and compiled from there.
    with tempfile.TemporaryDirectory() as scratch:
        sweep(translate, root, least, compile_args,
              scratch if compile_args else None, run_args)


def check_outcomes(results, is_problem, good, count_line, problems_line, least):
    """Prints every problem with its stderr, then how many results are `good`
    and how many are problems; fails when fewer than `least` are good."""
    problems = [(m, o, e) for m, o, e in results if is_problem(o)]
    for model, outcome, stderr in problems:
        print(f"{outcome}: {model}\n{stderr}")
    count = sum(1 for _, o, _ in results if o == good)
    print(count_line.format(count=count, total=len(results)))
    print(problems_line.format(problems=len(problems)))
    if count < least:
        print(f"lost coverage: {count} {good}, at least {least} expected")
        sys.exit(1)


def sweep(translate, root, least, compile_args, scratch, run_args=None):
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
    check_outcomes(results, lambda o: o in ("hung", "crashed", "silent"),
                   "imported", "total: imported {count} of {total}",
                   "crashed, hung or silent: {problems}", least)
    if compile_args is None:
        return
    accel, least_compiled = compile_args[0], int(compile_args[1])
    opt = os.path.join(os.path.dirname(translate), "hdx-opt")
    imported_models = [m for m, o, _ in results if o == "imported"]
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        compiled = list(pool.map(
            lambda m: (m,) + compile_and_reread(translate, opt, accel, m, scratch),
            imported_models))
    check_outcomes(compiled, lambda o: o not in ("compiled", "rejected"),
                   "compiled",
                   "compiled and re-read by every emitter: {count} of {total}",
                   "compile or re-read problems: {problems}", least_compiled)
    if run_args is not None:
        run_sweep(translate, imported_models,
                  {m for m, o, _ in compiled if o == "compiled"}, scratch,
                  run_args)


def run_sweep(translate, imported_models, compiled_models, scratch, run_args):
    runner = os.path.join(os.path.dirname(translate), "hdx-run")
    least_ran, least_matched = run_args
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        untiled = list(pool.map(
            lambda m: (m,) + run_model(runner, imported_path(m, scratch), m,
                                       scratch, False),
            imported_models))
        tiled = list(pool.map(
            lambda m: (m,) + run_model(
                runner, imported_path(m, scratch)[:-len(".mlir")] +
                ".compiled.mlir", m, scratch, True),
            sorted(compiled_models)))
    ran, matched, problems = report_runs("untiled", untiled)
    tiled_ran, tiled_matched, tiled_problems = report_runs("tiled", tiled)
    if problems or tiled_problems:
        sys.exit(1)
    if min(ran, tiled_ran) < least_ran or min(matched, tiled_matched) < least_matched:
        print(f"lost coverage: ran {ran}/{tiled_ran}, matched "
              f"{matched}/{tiled_matched}; at least {least_ran} and "
              f"{least_matched} expected")
        sys.exit(1)


if __name__ == "__main__":
    main()
