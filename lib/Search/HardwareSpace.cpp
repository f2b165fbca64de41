//===- HardwareSpace.cpp - The relaxed accelerator space ------------------===//

#include "hdx/Search/HardwareSpace.h"

#include <ATen/ATen.h>

using namespace hdx::search;

namespace {
constexpr HardwareDim kDims[kNumHardwareDims] = {
    HardwareDim::PeRows, HardwareDim::PeCols, HardwareDim::RfBytes,
    HardwareDim::GlbKib, HardwareDim::Dataflow};
} // namespace

HardwareSpaceImpl::HardwareSpaceImpl(const HardwareSpaceConfig &config)
    : config_(config) {
  for (HardwareDim dim : kDims)
    beta_.push_back(register_parameter(std::string("beta_") +
                                           hardwareDimName(dim),
                                       torch::zeros({config.size(dim)})));
}

const torch::Tensor &HardwareSpaceImpl::logits(HardwareDim dim) const {
  return beta_[static_cast<int>(dim)];
}

std::vector<torch::Tensor> HardwareSpaceImpl::probabilities(double tau) const {
  std::vector<torch::Tensor> probs;
  for (const torch::Tensor &b : beta_)
    probs.push_back(at::softmax(b / tau, 0));
  return probs;
}

HardwareChoice HardwareSpaceImpl::argmax() const {
  HardwareChoice choice;
  for (HardwareDim dim : kDims)
    choice.setIndex(dim,
                    static_cast<int>(logits(dim).argmax().item<int64_t>()));
  return choice;
}

std::string HardwareSpaceImpl::describe(const HardwareChoice &c) const {
  return describeHardware(config_, c);
}
