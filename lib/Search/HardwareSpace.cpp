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

std::vector<torch::Tensor> HardwareSpaceImpl::probabilities() const {
  std::vector<torch::Tensor> probs;
  for (const torch::Tensor &b : beta_)
    probs.push_back(at::softmax(b, 0));
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
  return "pe_rows=" + std::to_string(config_.pe_rows.at(c.pe_rows)) +
         " pe_cols=" + std::to_string(config_.pe_cols.at(c.pe_cols)) +
         " rf_bytes=" + std::to_string(config_.rf_bytes.at(c.rf_bytes)) +
         " glb_kib=" + std::to_string(config_.glb_kib.at(c.glb_kib)) +
         " dataflow=" + cost::toString(config_.dataflow.at(c.dataflow));
}
