//===- Supernet.h - The over-parameterized search network -------*- C++ -*-===//
//
// Stem, then every searchable layer with all its candidates side by side,
// then head, global average pooling and the classifier. Architecture
// parameters alpha ([layers, candidates]) weight the candidates; candidates a
// layer does not allow are masked out (weight 0).
//
// Two execution modes match the relaxations:
//   mixture:     each layer outputs sum_k w_k * op_k(x) (softmax relaxation);
//   single path: each layer runs only its argmax candidate k and outputs
//                w_k * op_k(x). With straight-through Gumbel samples w_k is 1
//                in value but carries the gradient to every logit, so one
//                path per step trains alpha at the cost of one network.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_SUPERNET_H
#define HDX_SEARCH_SUPERNET_H

#include "hdx/Search/Blocks.h"
#include "hdx/Search/NetworkSpace.h"

#include <torch/nn/modules/linear.h>

#include <vector>

namespace hdx::search {

class SupernetImpl : public torch::nn::Module {
public:
  explicit SupernetImpl(const NetworkSpace &space);

  const NetworkSpace &space() const { return space_; }

  /// alpha: [layers, candidates], initialized to zero (uniform).
  const torch::Tensor &alpha() const { return alpha_; }
  /// Boolean [layers, candidates]: the candidates each layer allows.
  const torch::Tensor &allowed() const { return allowed_; }
  /// alpha with disallowed entries at -inf.
  torch::Tensor maskedAlpha() const;
  /// softmax of the masked alpha / `tau` per layer: the architecture
  /// distribution (tau = 1), or a sharpened one (tau < 1).
  torch::Tensor probabilities(double tau = 1.0) const;
  /// Relaxed weights [layers, candidates] for one step (see Relaxation.h).
  torch::Tensor sample(Relaxation relaxation, double tau) const;

  /// Logits for `x` with per-layer candidate weights `weights`
  /// ([layers, candidates]).
  torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &weights,
                        bool singlePath);

  /// The most likely candidate of every layer.
  std::vector<int> argmax() const;
  /// All parameters except alpha (the network weights).
  std::vector<torch::Tensor> weightParameters();

private:
  NetworkSpace space_;
  torch::Tensor alpha_;
  torch::Tensor allowed_;
  ConvBn stem_{nullptr};
  /// candidates_[l][k]; null for skip and for disallowed candidates.
  std::vector<std::vector<MBConv>> candidates_;
  ConvBn head_{nullptr};
  torch::nn::Linear classifier_{nullptr};
};
TORCH_MODULE(Supernet);

} // namespace hdx::search

#endif // HDX_SEARCH_SUPERNET_H
