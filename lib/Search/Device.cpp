//===- Device.cpp - where LibTorch trains ---------------------------------===//
#include "hdx/Search/Device.h"

#include <torch/cuda.h>

namespace hdx::search {

Expected<torch::Device> resolveDevice(DeviceKind kind) {
  bool cuda = torch::cuda::is_available();
  switch (kind) {
  case DeviceKind::Cpu:
    return torch::Device(torch::kCPU);
  case DeviceKind::Auto:
    // The same device as `cuda` picks, so result.json names it the same way.
    return cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
  case DeviceKind::Cuda:
    if (!cuda)
      return Error{"device cuda: this LibTorch build has no CUDA support or "
                   "sees no GPU (use device auto or cpu)"};
    return torch::Device(torch::kCUDA, 0);
  }
  return torch::Device(torch::kCPU);
}

torch::Device deviceOf(const torch::nn::Module &module) {
  for (const torch::Tensor &p : module.parameters())
    return p.device();
  return torch::Device(torch::kCPU);
}

} // namespace hdx::search
