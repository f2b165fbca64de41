//===- HardwareSpace.h - The relaxed accelerator space ----------*- C++ -*-===//
//
// Hardware parameters beta. With `hardware.distribution: joint` (the default)
// beta is one logit per point of the space, so the relaxed accelerator can
// be any distribution over whole designs: couplings such as pe_rows x
// pe_cols (area grows with the product, utilization depends on both) are
// seen by the gradient. With `per-dimension` it is one logit per value of
// every searchable dimension (pe_rows, pe_cols, rf_bytes, glb_kib,
// dataflow), relaxed independently: a product distribution.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_HARDWARESPACE_H
#define HDX_SEARCH_HARDWARESPACE_H

#include "hdx/Search/Config.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

namespace hdx::search {

class HardwareSpaceImpl : public torch::nn::Module {
public:
  /// Logits start at zero: every value equally likely.
  explicit HardwareSpaceImpl(const HardwareSpaceConfig &config);

  const HardwareSpaceConfig &config() const { return config_; }

  /// All beta parameters: one over the points (joint) or one per dimension
  /// in HardwareDim order (per-dimension).
  std::vector<torch::Tensor> logits() const { return beta_; }

  /// The distribution over the space's points (in its point order) that
  /// beta / tau defines: the hardware distribution (tau = 1), or a sharpened
  /// one (tau < 1) for the expected cost.
  torch::Tensor probabilities(double tau = 1.0) const;

  /// The most likely point.
  HardwareChoice argmax() const;
  /// "pe_rows=16 pe_cols=16 rf_bytes=64 glb_kib=128 dataflow=ws".
  std::string describe(const HardwareChoice &choice) const;

private:
  HardwareSpaceConfig config_;
  std::vector<torch::Tensor> beta_;
};
TORCH_MODULE(HardwareSpace);

} // namespace hdx::search

#endif // HDX_SEARCH_HARDWARESPACE_H
