#!/usr/bin/env python3
"""Writes and prints ONNX TensorProto files for the hdx-run tests.

  tensor_file.py write PATH NAME DTYPE D0xD1x... VALUE   (every element VALUE)
  tensor_file.py print PATH INDEX...                      (elements, row-major)
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def main():
    if sys.argv[1] == "write":
        path, name, dtype, shape, value = sys.argv[2:7]
        dims = [int(d) for d in shape.split("x")]
        array = np.full(dims, float(value)).astype(dtype)
        with open(path, "wb") as f:
            f.write(numpy_helper.from_array(array, name).SerializeToString())
    else:
        tensor = onnx.TensorProto()
        with open(sys.argv[2], "rb") as f:
            tensor.ParseFromString(f.read())
        flat = numpy_helper.to_array(tensor).reshape(-1)
        print("shape", "x".join(str(d) for d in tensor.dims))
        for index in sys.argv[3:]:
            print(f"[{index}] {flat[int(index)]:.4f}")


if __name__ == "__main__":
    main()
