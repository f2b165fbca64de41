//===- Blocks.h - Network building blocks (LibTorch) ------------*- C++ -*-===//
//
// The layers shared by the supernet and the derived network: convolution +
// batch norm (+ ReLU6), and the MBConv block (1x1 expand, depthwise k x k,
// 1x1 project, residual when shapes agree). Padding is kernel / 2, so all
// candidates of a layer produce the same shape (see NetworkSpace.h).
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_BLOCKS_H
#define HDX_SEARCH_BLOCKS_H

#include "hdx/Search/NetworkSpace.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace hdx::search {

/// Conv2d (no bias) + BatchNorm2d, followed by ReLU6 if `relu6`.
class ConvBnImpl : public torch::nn::Module {
public:
  ConvBnImpl(int inChannels, int outChannels, int kernel, int stride,
             int groups, bool relu6);
  torch::Tensor forward(const torch::Tensor &x);

  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};
  bool relu6;
};
TORCH_MODULE(ConvBn);

/// MBConv: expand (absent for expansion 1), depthwise, project; adds the
/// input when the layer is residual.
class MBConvImpl : public torch::nn::Module {
public:
  MBConvImpl(const SearchableLayer &layer, const Candidate &candidate);
  torch::Tensor forward(const torch::Tensor &x);

  ConvBn expand{nullptr}; // null when expansion == 1
  ConvBn dw{nullptr};
  ConvBn project{nullptr};
  bool residual;
};
TORCH_MODULE(MBConv);

/// A module name for a layer name: LibTorch does not allow '.' in names.
std::string moduleName(const std::string &layerName);

} // namespace hdx::search

#endif // HDX_SEARCH_BLOCKS_H
