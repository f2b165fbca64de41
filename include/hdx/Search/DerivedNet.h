//===- DerivedNet.h - The network of one discrete architecture --*- C++ -*-===//
//
// The stand-alone network of one choice per searchable layer: the same blocks
// as the supernet, without the unchosen candidates. It is trained from scratch
// after the search, evaluated on the test set and exported to ONNX.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_DERIVEDNET_H
#define HDX_SEARCH_DERIVEDNET_H

#include "hdx/Search/Blocks.h"
#include "hdx/Search/NetworkSpace.h"
#include "hdx/Support/Expected.h"

#include <torch/nn/modules/linear.h>

#include <vector>

namespace hdx::search {

class DerivedNetImpl : public torch::nn::Module {
public:
  /// `choice` must pass `space.checkChoice` (use makeDerivedNet).
  DerivedNetImpl(const NetworkSpace &space, std::vector<int> choice);

  torch::Tensor forward(const torch::Tensor &x);

  const NetworkSpace &space() const { return space_; }
  const std::vector<int> &choice() const { return choice_; }

  ConvBn stem{nullptr};
  /// One block per searchable layer; null where the choice is skip.
  std::vector<MBConv> layers;
  ConvBn head{nullptr}; // null when the space has no head
  torch::nn::Linear classifier{nullptr};

private:
  NetworkSpace space_;
  std::vector<int> choice_;
};
TORCH_MODULE(DerivedNet);

/// Builds the network of `choice`, or says which layer's choice is invalid.
Expected<DerivedNet> makeDerivedNet(const NetworkSpace &space,
                                    const std::vector<int> &choice);

} // namespace hdx::search

#endif // HDX_SEARCH_DERIVEDNET_H
