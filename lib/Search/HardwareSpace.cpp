//===- HardwareSpace.cpp - The relaxed accelerator space ------------------===//

#include "hdx/Search/HardwareSpace.h"
#include "hdx/Search/DifferentiableCost.h"

#include <ATen/ATen.h>

using namespace hdx;
using namespace hdx::search;

HardwareSpaceImpl::HardwareSpaceImpl(const HardwareSpaceConfig &config)
    : config_(config) {
  if (config.distribution == HardwareDistribution::Joint) {
    beta_.push_back(
        register_parameter("beta", torch::zeros({config.numPoints()})));
    return;
  }
  for (int d = 0; d < kNumHardwareDims; ++d) {
    auto dim = static_cast<HardwareDim>(d);
    beta_.push_back(register_parameter(std::string("beta_") +
                                           hardwareDimName(dim),
                                       torch::zeros({config.size(dim)})));
  }
}

torch::Tensor HardwareSpaceImpl::probabilities(double tau) const {
  std::vector<torch::Tensor> factors;
  for (const torch::Tensor &b : beta_)
    factors.push_back(at::softmax(b / tau, 0));
  return factors.size() == 1 ? factors.front() : productDistribution(factors);
}

HardwareChoice HardwareSpaceImpl::argmax() const {
  if (config_.distribution == HardwareDistribution::Joint)
    return config_.point(static_cast<int>(beta_.front().argmax().item<int64_t>()));
  HardwareChoice choice;
  for (int d = 0; d < kNumHardwareDims; ++d)
    choice.setIndex(static_cast<HardwareDim>(d),
                    static_cast<int>(beta_[d].argmax().item<int64_t>()));
  return choice;
}

std::string HardwareSpaceImpl::describe(const HardwareChoice &c) const {
  return describeHardware(config_, c);
}
