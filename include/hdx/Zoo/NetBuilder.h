//===- NetBuilder.h - CNN layers in the shapes PyTorch exports --*- C++ -*-===//
//
// Layers over onnxlib::GraphBuilder that track activation shapes, create
// seeded random weights and follow one of PyTorch's two ONNX exporters:
//
// - TorchScript (opset <= 17): Clip bounds as Constant nodes, adaptive
//   average pooling as GlobalAveragePool, `flatten` as Flatten,
//   `x.view(x.size(0), -1)` as Shape -> Gather -> Unsqueeze -> Concat ->
//   Reshape.
// - torch.export (opset >= 18): constants lifted to initializers, adaptive
//   average pooling as ReduceMean with its axes as an input, `flatten` and
//   `view` as Reshape with a constant shape.
//
// Weights: convolutions Kaiming-uniform (bound sqrt(6 / fan_in), the ReLU
// gain), linear layers and biases PyTorch's default U(+-1/sqrt(fan_in)),
// batch-norm parameters and statistics spread around identity as after
// training, so folding them is not a no-op.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_ZOO_NETBUILDER_H
#define HDX_ZOO_NETBUILDER_H

#include "hdx/Onnx/GraphBuilder.h"
#include "hdx/Support/Random.h"
#include "hdx/Zoo/Scope.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hdx::zoo {

/// A value in the graph and its static shape (NCHW, or NC after the head).
struct Activation {
  std::string name;
  std::vector<int64_t> shape;

  int64_t channels() const { return shape.at(1); }
};

class NetBuilder {
public:
  NetBuilder(onnxlib::GraphBuilder &graph, uint64_t seed);

  /// Whether nodes follow the torch.export exporter (opset >= 18).
  bool torchExport() const { return torchExport_; }

  Activation input(const std::string &name, std::vector<int64_t> shape);
  /// Declares `x` a graph output; `x.name` must be the name it should carry.
  void output(const Activation &x);

  Activation conv(const Scope &scope, const Activation &x, int64_t outChannels,
                  int64_t kernel, int64_t stride, int64_t pad,
                  int64_t groups = 1, bool bias = false);
  Activation batchNorm(const Scope &scope, const Activation &x);
  Activation relu(const Scope &scope, const Activation &x);
  /// ReLU6 as PyTorch exports it: Clip with min/max as inputs.
  Activation relu6(const Scope &scope, const Activation &x);
  Activation add(const Scope &scope, const Activation &a, const Activation &b);
  /// Max pooling; `ceilMode` rounds the output size up as PyTorch does.
  Activation maxPool(const Scope &scope, const Activation &x, int64_t kernel,
                     int64_t stride, int64_t pad, bool ceilMode);
  Activation concatChannels(const Scope &scope,
                            const std::vector<Activation> &xs);
  /// `adaptive_avg_pool2d(x, 1)`, keeping the 1x1 spatial dimensions.
  Activation adaptiveAvgPool(const Scope &scope, const Activation &x);
  /// `torch.flatten(x, 1)`; `outputName` names the result ("" for the
  /// exporter's default).
  Activation flatten(const Scope &scope, const Activation &x,
                     const std::string &outputName = "");
  /// `x.view(x.size(0), -1)`.
  Activation view(const Scope &scope, const Activation &x,
                  const std::string &outputName = "");
  /// `nn.Linear` as Gemm with transB = 1.
  Activation linearGemm(const Scope &scope, const Activation &x,
                        int64_t outFeatures, const std::string &outputName = "");
  /// `nn.Linear` as MatMul with the transposed weight, then Add of the bias.
  Activation linearMatMul(const Scope &scope, const Activation &x,
                          int64_t outFeatures,
                          const std::string &outputName = "");

  /// The first shape error (a layer whose output would be empty), if any.
  const std::string &error() const { return error_; }

private:
  /// Output size of a window over `size` (PyTorch's formula); records an
  /// error when it is below 1.
  int64_t windowOutput(const std::string &node, int64_t size, int64_t kernel,
                       int64_t stride, int64_t pad, bool ceilMode);
  std::string floatConstant(const Scope &scope, float value);
  std::string int64Constant(const Scope &scope, const std::vector<int64_t> &dims,
                            const std::vector<int64_t> &values);
  std::vector<int64_t> flatShape(const Activation &x) const;

  onnxlib::GraphBuilder &graph_;
  Rng random_;
  bool torchExport_;
  int constants_ = 0;
  std::string error_;
};

} // namespace hdx::zoo

#endif // HDX_ZOO_NETBUILDER_H
