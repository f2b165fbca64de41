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

namespace hdx::search {

/// The device `kind` names; `cuda` without a CUDA-enabled LibTorch or a
/// visible GPU is an error.
Expected<torch::Device> resolveDevice(DeviceKind kind);

/// The device of a module's first parameter (the CPU for a module without
/// parameters).
torch::Device deviceOf(const torch::nn::Module &module);

} // namespace hdx::search

#endif // HDX_SEARCH_DEVICE_H
