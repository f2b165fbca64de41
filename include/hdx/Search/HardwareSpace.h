//===- HardwareSpace.h - The relaxed accelerator space ----------*- C++ -*-===//
//
// Hardware parameters beta: one logit per value of every searchable hardware
// dimension (pe_rows, pe_cols, rf_bytes, glb_kib, dataflow). The dimensions
// are relaxed independently, so the relaxed accelerator is a product
// distribution over the space.
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

  /// beta of `dim`: a 1-D parameter with one logit per value.
  const torch::Tensor &logits(HardwareDim dim) const;
  /// All beta parameters, in HardwareDim order.
  std::vector<torch::Tensor> logits() const { return beta_; }

  /// softmax(beta / tau) per dimension: the hardware distribution (tau = 1),
  /// or a sharpened one (tau < 1) for the expected cost.
  std::vector<torch::Tensor> probabilities(double tau = 1.0) const;

  /// The most likely value of every dimension.
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
