//===- Device.h - where LibTorch trains --------------------------*- C++ -*-===//
//
// The search runs on one LibTorch device: the CPU, or the first CUDA GPU
// when the LibTorch build has CUDA. Modules are moved there once; batches
// are built on the CPU and copied over; everything the cost model and the
// writers read back is copied to the CPU first.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_DEVICE_H
#define HDX_SEARCH_DEVICE_H

#include "hdx/Search/Config.h"
#include "hdx/Support/Expected.h"

#include <torch/nn/module.h>

#include <string>

namespace hdx::search {

/// The device `kind` names; `cuda` without a CUDA-enabled LibTorch or a
/// visible GPU is an error.
Expected<torch::Device> resolveDevice(DeviceKind kind);

/// The device of a module's first parameter (the CPU for a module without
/// parameters).
torch::Device deviceOf(const torch::nn::Module &module);

/// What fixes a CPU run's floating-point rounding besides the seed and the
/// thread count: ATen's and oneDNN's kernels take the widest vector ISA the
/// CPU has unless ATEN_CPU_CAPABILITY (default, avx2, avx512) and
/// DNNL_MAX_CPU_ISA (e.g. AVX2) cap it, and sums in another ISA round
/// differently. A search whose limits do not pin its design can then
/// derive another one on another machine; with both capped to an ISA every
/// machine has, runs agree across machines.
struct CpuNumerics {
  std::string model;          // /proc/cpuinfo's "model name"; empty if unknown
  std::string atenCapability; // ATEN_CPU_CAPABILITY; empty when unset
  std::string dnnlMaxIsa;     // DNNL_MAX_CPU_ISA; empty when unset
};
CpuNumerics cpuNumerics();

} // namespace hdx::search

#endif // HDX_SEARCH_DEVICE_H
