#!/usr/bin/env python3
"""Compares an output TensorProto with a reference one.

  compare_tensors.py OUT.pb REF.pb [--top1]

Matches when max |out - ref| <= 1e-3 * max |ref| + 1e-5 (docs/compiler.md);
with --top1 the index of the largest element must also agree. Prints the
figures and exits 1 on a mismatch.
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def read_tensor(path):
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


def compare(out, ref):
    """(matches, description) under the tolerance above."""
    if out.shape != ref.shape:
        return False, f"shape {out.shape}, expected {ref.shape}"
    ref = ref.astype(np.float64)
    diff = float(np.max(np.abs(out - ref))) if ref.size else 0.0
    limit = 1e-3 * (float(np.max(np.abs(ref))) if ref.size else 0.0) + 1e-5
    verdict = "<=" if diff <= limit else ">"
    return diff <= limit, f"max |diff| {diff:.3g} {verdict} {limit:.3g}"


def main():
    out, ref = read_tensor(sys.argv[1]), read_tensor(sys.argv[2])
    ok, description = compare(out, ref)
    if ok and "--top1" in sys.argv:
        top_out, top_ref = int(np.argmax(out)), int(np.argmax(ref))
        ok = top_out == top_ref
        description += f", top-1 {top_out} (reference {top_ref})"
    print(("match: " if ok else "MISMATCH: ") + description)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
