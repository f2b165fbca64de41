//===- NetBuilder.cpp - CNN layers in the shapes PyTorch exports ----------===//
#include "hdx/Zoo/NetBuilder.h"
#include "hdx/Support/WindowSize.h"

#include <cmath>

namespace hdx::zoo {

using onnxlib::DataType;
using onnxlib::Dim;

NetBuilder::NetBuilder(onnxlib::GraphBuilder &graph, uint64_t seed)
    : graph_(graph), random_(seed),
      torchExport_(graph.options().opset >= 18) {}

Activation NetBuilder::input(const std::string &name,
                             std::vector<int64_t> shape) {
  graph_.addInput(name, DataType::Float,
                  std::vector<Dim>(shape.begin(), shape.end()));
  return {name, std::move(shape)};
}

void NetBuilder::output(const Activation &x) {
  graph_.addOutput(x.name, DataType::Float,
                   std::vector<Dim>(x.shape.begin(), x.shape.end()));
}

int64_t NetBuilder::windowOutput(const std::string &node, int64_t size,
                                 int64_t kernel, int64_t stride, int64_t pad,
                                 bool ceilMode) {
  int64_t out = windowOutputSize(size, pad, pad, kernel, stride,
                                 /*dilation=*/1, ceilMode);
  if (out < 1) {
    if (error_.empty())
      error_ = "the input is too small: '" + node + "' would have no output "
               "(input size " + std::to_string(size) + ", kernel " +
               std::to_string(kernel) + ")";
    return 1;
  }
  return out;
}

std::string NetBuilder::floatConstant(const Scope &scope, float value) {
  if (torchExport_)
    return graph_.addInitializer("val_" + std::to_string(constants_++), {},
                                 {value});
  onnxlib::Node node = graph_.addNode("Constant", scope.node("Constant"), {});
  node.setFloatTensor("value", {}, {value});
  return node.output();
}

std::string NetBuilder::int64Constant(const Scope &scope,
                                      const std::vector<int64_t> &dims,
                                      const std::vector<int64_t> &values) {
  if (torchExport_)
    return graph_.addInt64Initializer("val_" + std::to_string(constants_++),
                                      dims, values);
  onnxlib::Node node = graph_.addNode("Constant", scope.node("Constant"), {});
  node.setInt64Tensor("value", dims, values);
  return node.output();
}

Activation NetBuilder::conv(const Scope &scope, const Activation &x,
                            int64_t outChannels, int64_t kernel, int64_t stride,
                            int64_t pad, int64_t groups, bool bias) {
  std::string name = scope.node("Conv");
  int64_t inPerGroup = x.channels() / groups;
  int64_t fanIn = inPerGroup * kernel * kernel;
  float bound = std::sqrt(6.0f / static_cast<float>(fanIn));
  std::vector<std::string> inputs = {
      x.name, graph_.addInitializer(
                  scope.param("weight"), {outChannels, inPerGroup, kernel, kernel},
                  random_.uniformFloats(outChannels * fanIn, -bound, bound))};
  if (bias) {
    float b = 1.0f / std::sqrt(static_cast<float>(fanIn));
    inputs.push_back(graph_.addInitializer(scope.param("bias"), {outChannels},
                                           random_.uniformFloats(outChannels, -b, b)));
  }
  onnxlib::Node node = graph_.addNode("Conv", name, inputs);
  node.setInts("dilations", {1, 1})
      .setInt("group", groups)
      .setInts("kernel_shape", {kernel, kernel})
      .setInts("pads", {pad, pad, pad, pad})
      .setInts("strides", {stride, stride});
  int64_t h = windowOutput(name, x.shape[2], kernel, stride, pad, false);
  int64_t w = windowOutput(name, x.shape[3], kernel, stride, pad, false);
  return {node.output(), {x.shape[0], outChannels, h, w}};
}

Activation NetBuilder::batchNorm(const Scope &scope, const Activation &x) {
  int64_t c = x.channels();
  std::vector<std::string> inputs = {
      x.name,
      graph_.addInitializer(scope.param("weight"), {c}, random_.uniformFloats(c, 0.5f, 1.5f)),
      graph_.addInitializer(scope.param("bias"), {c}, random_.uniformFloats(c, -0.1f, 0.1f)),
      graph_.addInitializer(scope.param("running_mean"), {c},
                            random_.uniformFloats(c, -0.1f, 0.1f)),
      graph_.addInitializer(scope.param("running_var"), {c},
                            random_.uniformFloats(c, 0.5f, 1.5f))};
  onnxlib::Node node =
      graph_.addNode("BatchNormalization", scope.node("BatchNormalization"), inputs);
  node.setFloat("epsilon", 1e-5f).setFloat("momentum", 0.9f);
  return {node.output(), x.shape};
}

Activation NetBuilder::relu(const Scope &scope, const Activation &x) {
  return {graph_.addNode("Relu", scope.node("Relu"), {x.name}).output(), x.shape};
}

Activation NetBuilder::relu6(const Scope &scope, const Activation &x) {
  std::string lo = floatConstant(scope, 0.0f);
  std::string hi = floatConstant(scope, 6.0f);
  return {graph_.addNode("Clip", scope.node("Clip"), {x.name, lo, hi}).output(),
          x.shape};
}

Activation NetBuilder::add(const Scope &scope, const Activation &a,
                           const Activation &b) {
  if (a.shape != b.shape && error_.empty())
    error_ = "'" + scope.node("Add") + "' adds tensors of different shapes";
  return {graph_.addNode("Add", scope.node("Add"), {a.name, b.name}).output(),
          a.shape};
}

Activation NetBuilder::maxPool(const Scope &scope, const Activation &x,
                               int64_t kernel, int64_t stride, int64_t pad,
                               bool ceilMode) {
  std::string name = scope.node("MaxPool");
  onnxlib::Node node = graph_.addNode("MaxPool", name, {x.name});
  node.setInt("ceil_mode", ceilMode ? 1 : 0)
      .setInts("kernel_shape", {kernel, kernel})
      .setInts("pads", {pad, pad, pad, pad})
      .setInts("strides", {stride, stride});
  int64_t h = windowOutput(name, x.shape[2], kernel, stride, pad, ceilMode);
  int64_t w = windowOutput(name, x.shape[3], kernel, stride, pad, ceilMode);
  return {node.output(), {x.shape[0], x.channels(), h, w}};
}

Activation NetBuilder::concatChannels(const Scope &scope,
                                      const std::vector<Activation> &xs) {
  std::vector<std::string> names;
  std::vector<int64_t> shape = xs.at(0).shape;
  shape[1] = 0;
  for (const Activation &x : xs) {
    names.push_back(x.name);
    shape[1] += x.channels();
  }
  onnxlib::Node node = graph_.addNode("Concat", scope.node("Concat"), names);
  node.setInt("axis", 1);
  return {node.output(), shape};
}

Activation NetBuilder::adaptiveAvgPool(const Scope &scope, const Activation &x) {
  std::vector<int64_t> shape = {x.shape[0], x.channels(), 1, 1};
  if (!torchExport_)
    return {graph_.addNode("GlobalAveragePool", scope.node("GlobalAveragePool"),
                           {x.name})
                .output(),
            shape};
  std::string axes = int64Constant(scope, {2}, {-1, -2});
  onnxlib::Node node =
      graph_.addNode("ReduceMean", scope.node("ReduceMean"), {x.name, axes});
  node.setInt("keepdims", 1);
  return {node.output(), shape};
}

std::vector<int64_t> NetBuilder::flatShape(const Activation &x) const {
  int64_t features = 1;
  for (size_t i = 1; i < x.shape.size(); ++i)
    features *= x.shape[i];
  return {x.shape[0], features};
}

static std::vector<std::string> named(const std::string &outputName) {
  if (outputName.empty())
    return {};
  return {outputName};
}

Activation NetBuilder::flatten(const Scope &scope, const Activation &x,
                               const std::string &outputName) {
  std::vector<int64_t> shape = flatShape(x);
  if (torchExport_) {
    std::string target = int64Constant(scope, {2}, shape);
    return {graph_.addNode("Reshape", scope.node("Reshape"), {x.name, target},
                           named(outputName))
                .output(),
            shape};
  }
  onnxlib::Node node =
      graph_.addNode("Flatten", scope.node("Flatten"), {x.name}, named(outputName));
  node.setInt("axis", 1);
  return {node.output(), shape};
}

Activation NetBuilder::view(const Scope &scope, const Activation &x,
                            const std::string &outputName) {
  std::vector<int64_t> shape = flatShape(x);
  if (torchExport_) {
    // torch.export traces the sizes: the target shape is a constant.
    std::string target = int64Constant(scope, {2}, {shape[0], -1});
    return {graph_.addNode("Reshape", scope.node("Reshape"), {x.name, target},
                           named(outputName))
                .output(),
            shape};
  }
  // x.size(0) at run time, then concatenated with -1 (opset 13: Unsqueeze
  // takes its axes as an input).
  std::string dims = graph_.addNode("Shape", scope.node("Shape"), {x.name}).output();
  std::string zero = int64Constant(scope, {}, {0});
  onnxlib::Node gather = graph_.addNode("Gather", scope.node("Gather"), {dims, zero});
  gather.setInt("axis", 0);
  std::string axes = int64Constant(scope, {1}, {0});
  std::string batch =
      graph_.addNode("Unsqueeze", scope.node("Unsqueeze"), {gather.output(), axes})
          .output();
  std::string rest = int64Constant(scope, {1}, {-1});
  onnxlib::Node concat =
      graph_.addNode("Concat", scope.node("Concat"), {batch, rest});
  concat.setInt("axis", 0);
  return {graph_.addNode("Reshape", scope.node("Reshape"),
                         {x.name, concat.output()}, named(outputName))
              .output(),
          shape};
}

Activation NetBuilder::linearGemm(const Scope &scope, const Activation &x,
                                  int64_t outFeatures,
                                  const std::string &outputName) {
  int64_t in = x.shape.at(1);
  float bound = 1.0f / std::sqrt(static_cast<float>(in));
  std::string weight = graph_.addInitializer(
      scope.param("weight"), {outFeatures, in},
      random_.uniformFloats(outFeatures * in, -bound, bound));
  std::string bias = graph_.addInitializer(
      scope.param("bias"), {outFeatures},
      random_.uniformFloats(outFeatures, -bound, bound));
  onnxlib::Node node = graph_.addNode("Gemm", scope.node("Gemm"),
                                      {x.name, weight, bias}, named(outputName));
  node.setFloat("alpha", 1.0f).setFloat("beta", 1.0f).setInt("transB", 1);
  return {node.output(), {x.shape[0], outFeatures}};
}

Activation NetBuilder::linearMatMul(const Scope &scope, const Activation &x,
                                    int64_t outFeatures,
                                    const std::string &outputName) {
  int64_t in = x.shape.at(1);
  float bound = 1.0f / std::sqrt(static_cast<float>(in));
  // Drawn in nn.Linear's [out, in] order so a seed gives the same weights as
  // the Gemm form, then stored transposed for MatMul.
  std::vector<float> weight = random_.uniformFloats(outFeatures * in, -bound, bound);
  std::vector<float> transposed(weight.size());
  for (int64_t o = 0; o < outFeatures; ++o)
    for (int64_t i = 0; i < in; ++i)
      transposed[i * outFeatures + o] = weight[o * in + i];
  std::string weightName = graph_.addInitializer(scope.param("weight_transposed"),
                                                 {in, outFeatures}, transposed);
  std::string bias = graph_.addInitializer(
      scope.param("bias"), {outFeatures},
      random_.uniformFloats(outFeatures, -bound, bound));
  std::string product =
      graph_.addNode("MatMul", scope.node("MatMul"), {x.name, weightName}).output();
  return {graph_.addNode("Add", scope.node("Add"), {product, bias}, named(outputName))
              .output(),
          {x.shape[0], outFeatures}};
}

} // namespace hdx::zoo
