//===- Device.cpp - where LibTorch trains ---------------------------------===//
#include "hdx/Search/Device.h"

#include <torch/cuda.h>

#include <cstdlib>
#include <fstream>

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

CpuNumerics cpuNumerics() {
  auto env = [](const char *name) {
    const char *value = std::getenv(name);
    return std::string(value ? value : "");
  };
  CpuNumerics cpu{"", env("ATEN_CPU_CAPABILITY"), env("DNNL_MAX_CPU_ISA")};
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);) {
    if (line.rfind("model name", 0) != 0)
      continue;
    size_t colon = line.find(':');
    size_t start = colon == std::string::npos
                       ? colon
                       : line.find_first_not_of(" \t", colon + 1);
    if (start != std::string::npos)
      cpu.model = line.substr(start);
    break;
  }
  return cpu;
}

} // namespace hdx::search
