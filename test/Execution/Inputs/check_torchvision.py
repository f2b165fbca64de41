#!/usr/bin/env python3
"""Checks that a torchvision CNN compiled by HDX computes what PyTorch does.

  check_torchvision.py TOOLS_DIR WORK_DIR SIZE MODEL ACCEL.yaml [ACCEL.yaml ...]

Exports MODEL with PyTorch's exporter (export_torchvision.py, with PyTorch's
output as the reference), imports it with hdx-translate, and for each
accelerator compiles it with hdx-opt --hdx-compile, runs the compiled
schedule tiled by its mappings with hdx-run and compares the logits with
PyTorch's (compare_tensors.py: tolerance and same top-1). Prints one line per
accelerator; exits 1 at the first failure.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(args):
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"FAILED: {' '.join(args)}\n{proc.stdout}{proc.stderr}")
        sys.exit(1)
    return proc.stdout


def main():
    tools, work, size, model = sys.argv[1:5]
    accels = sys.argv[5:]
    run([sys.executable, os.path.join(HERE, "export_torchvision.py"), work,
         size, model])
    data = os.path.join(work, model, "test_data_set_0")
    imported = os.path.join(work, model + ".mlir")
    run([os.path.join(tools, "hdx-translate"), "--import-onnx",
         os.path.join(work, model, "model.onnx"), "-o", imported])
    for accel in accels:
        name = os.path.splitext(os.path.basename(accel))[0]
        compiled = os.path.join(work, f"{model}.{name}.mlir")
        run([os.path.join(tools, "hdx-opt"), imported,
             f"--hdx-compile=accel={accel}", "-o", compiled])
        out = os.path.join(work, f"{model}.{name}.out")
        run([os.path.join(tools, "hdx-run"), compiled, "-i",
             os.path.join(data, "input_0.pb"), "-o", out])
        verdict = run([sys.executable, os.path.join(HERE, "compare_tensors.py"),
                       os.path.join(out, "output_0.pb"),
                       os.path.join(data, "output_0.pb"), "--top1"])
        print(f"{model} on {name}: {verdict.strip()}")


if __name__ == "__main__":
    main()
