#!/usr/bin/env bash
# Installs every Debian 12 package HDX needs to build, test and run. Idempotent:
# packages already present are left alone. Run as root or with sudo available.
set -euo pipefail

packages=(
  # build tools
  cmake ninja-build ccache g++ pkg-config python3
  # MLIR/LLVM 19 (mlir-19-tools is required by libmlir-19-dev's CMake config;
  # llvm-19-tools ships lit and FileCheck)
  llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools
  # ONNX + protobuf, LibTorch, YAML, zlib (gzipped IDX data sets)
  libonnx-dev libprotobuf-dev protobuf-compiler libtorch-dev libyaml-cpp-dev zlib1g-dev
  # Gloo headers for the c10d process group of distributed searches (LibTorch
  # includes them but does not depend on the package)
  libgloo-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev verilator libonnx-testdata
  # reading and comparing TensorProto files (ONNX test data, hdx-run outputs)
  python3-onnx python3-numpy
  # real CNNs exported by PyTorch's exporter, with PyTorch's outputs
  python3-torch python3-torchvision
  # the libFuzzer targets (scripts/fuzz.sh)
  clang-19 libclang-rt-19-dev
  # the default search data set
  dataset-fashion-mnist
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
