#!/usr/bin/env python3
"""Prints case N (0-based) of an MLIR test file split by '// -----'."""
import sys

with open(sys.argv[1]) as f:
    print(f.read().split("// -----")[int(sys.argv[2])])
