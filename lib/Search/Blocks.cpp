//===- Blocks.cpp - Network building blocks -------------------------------===//

#include "hdx/Search/Blocks.h"
#include "hdx/Search/Distributed.h"

#include <torch/nn/functional/activation.h>

#include <algorithm>

using namespace hdx;
using namespace hdx::search;
namespace nn = torch::nn;

ConvBnImpl::ConvBnImpl(int inChannels, int outChannels, int kernel, int stride,
                       int groups, bool relu6)
    : relu6(relu6) {
  conv = register_module(
      "conv", nn::Conv2d(nn::Conv2dOptions(inChannels, outChannels, kernel)
                             .stride(stride)
                             .padding(kernel / 2)
                             .groups(groups)
                             .bias(false)));
  bn = register_module("bn", nn::BatchNorm2d(outChannels));
}

torch::Tensor ConvBnImpl::forward(const torch::Tensor &x) {
  // Global-batch statistics in a data-parallel run (Distributed.h).
  torch::Tensor y = batchNorm(*bn, conv(x));
  // hardtanh is ReLU6 with a cheaper backward than clamp.
  return relu6 ? torch::hardtanh(y, 0.0, 6.0) : y;
}

MBConvImpl::MBConvImpl(const SearchableLayer &layer, const Candidate &candidate)
    : residual(layer.residual) {
  const int in = layer.input.channels;
  const int hidden = in * candidate.expansion;
  if (candidate.expansion != 1)
    expand = register_module("expand", ConvBn(in, hidden, 1, 1, 1, true));
  dw = register_module("dw", ConvBn(hidden, hidden, candidate.kernel,
                                    layer.stride, hidden, true));
  project = register_module(
      "project", ConvBn(hidden, layer.output.channels, 1, 1, 1, false));
}

torch::Tensor MBConvImpl::forward(const torch::Tensor &x) {
  torch::Tensor h = expand ? expand(x) : x;
  h = project(dw(h));
  return residual ? x + h : h;
}

std::string hdx::search::moduleName(const std::string &layerName) {
  std::string name = layerName;
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}
