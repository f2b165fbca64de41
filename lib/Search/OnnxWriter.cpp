//===- OnnxWriter.cpp - The derived network as an ONNX model --------------===//

#include "hdx/Search/OnnxWriter.h"
#include "hdx/Onnx/GraphBuilder.h"
#include "hdx/Onnx/ModelFile.h"
#include "hdx/Search/DerivedNet.h"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

using namespace hdx;
using namespace hdx::search;
namespace onnxlib = hdx::onnxlib;

namespace {

constexpr int64_t kOpset = 13;

std::vector<int64_t> dimsOf(const torch::Tensor &t) {
  return std::vector<int64_t>(t.sizes().begin(), t.sizes().end());
}

/// The DerivedNet's modules as ONNX nodes, through the shared GraphBuilder.
/// Every node's output tensor carries the node's (unique) name.
class NetWriter {
public:
  NetWriter(onnxlib::GraphBuilder &graph, bool foldBatchNorm)
      : graph_(graph), fold_(foldBatchNorm) {}

  /// A float32 initializer holding `value` (copied from wherever it lives).
  std::string initializer(const std::string &name, const torch::Tensor &value) {
    torch::Tensor t = value.detach().to(torch::kCPU, torch::kFloat).contiguous();
    const float *data = t.data_ptr<float>();
    return graph_.addInitializer(name, dimsOf(t),
                                 std::vector<float>(data, data + t.numel()));
  }

  onnxlib::Node node(const std::string &op, const std::string &name,
                     const std::vector<std::string> &inputs) {
    std::string unique = graph_.uniqueNodeName(name);
    return graph_.addNode(op, unique, inputs, {unique});
  }

  /// Conv (+ BatchNormalization unless folded) (+ Clip for ReLU6); returns
  /// the output tensor name.
  std::string convBn(ConvBnImpl &m, const std::string &prefix,
                     const std::string &input) {
    torch::nn::Conv2dImpl &conv = *m.conv;
    torch::nn::BatchNorm2dImpl &bn = *m.bn;
    torch::Tensor weight = conv.weight.detach();
    const double eps = bn.options.eps();
    torch::Tensor scale = bn.weight.detach() /
                          torch::sqrt(bn.running_var.detach() + eps);

    std::vector<std::string> inputs{input};
    if (fold_) {
      inputs.push_back(initializer(prefix + ".conv.weight",
                                   weight * scale.view({-1, 1, 1, 1})));
      inputs.push_back(initializer(prefix + ".conv.bias",
                                   bn.bias.detach() -
                                       bn.running_mean.detach() * scale));
    } else {
      inputs.push_back(initializer(prefix + ".conv.weight", weight));
    }
    const auto &opts = conv.options;
    const int64_t k = opts.kernel_size()->at(0);
    const int64_t s = opts.stride()->at(0);
    const int64_t p = k / 2;
    onnxlib::Node c = node("Conv", prefix + ".conv", inputs);
    c.setInts("kernel_shape", {k, k})
        .setInts("strides", {s, s})
        .setInts("pads", {p, p, p, p})
        .setInts("dilations", {1, 1})
        .setInt("group", opts.groups());
    std::string out = c.output();

    if (!fold_) {
      onnxlib::Node b = node(
          "BatchNormalization", prefix + ".bn",
          {out, initializer(prefix + ".bn.scale", bn.weight),
           initializer(prefix + ".bn.bias", bn.bias),
           initializer(prefix + ".bn.mean", bn.running_mean),
           initializer(prefix + ".bn.var", bn.running_var)});
      b.setFloat("epsilon", static_cast<float>(eps));
      out = b.output();
    }
    if (m.relu6)
      out = node("Clip", prefix + ".relu6", {out, relu6Min(), relu6Max()})
                .output();
    return out;
  }

private:
  /// Shared scalar bounds of every ReLU6 (Clip takes them as inputs since
  /// opset 11).
  const std::string &relu6Min() {
    if (min_.empty())
      min_ = graph_.addInitializer("relu6.min", {}, {0.0f});
    return min_;
  }
  const std::string &relu6Max() {
    if (max_.empty())
      max_ = graph_.addInitializer("relu6.max", {}, {6.0f});
    return max_;
  }

  onnxlib::GraphBuilder &graph_;
  bool fold_;
  std::string min_, max_;
};

} // namespace

Status hdx::search::buildOnnxModel(const DerivedNetImpl &constNet,
                                   onnx::ModelProto &model,
                                   const OnnxExportOptions &options) {
  try {
    // Reading weights does not modify the network; the module accessors are
    // just not const.
    auto &net = const_cast<DerivedNetImpl &>(constNet);
    const NetworkSpace &space = net.space();
    torch::NoGradGuard noGrad;

    onnxlib::ModelOptions modelOptions;
    modelOptions.opset = kOpset;
    modelOptions.graphName = "hdx_network";
    modelOptions.producerName = "hdx-search";
    modelOptions.producerVersion = "0.1";
    modelOptions.docString = options.docString;
    onnxlib::GraphBuilder graph(modelOptions);
    FeatureShape in = space.input();
    std::string x = graph.addInput(
        "input", onnxlib::DataType::Float,
        {options.batchSize, in.channels, in.height, in.width});

    NetWriter b(graph, options.foldBatchNorm);
    x = b.convBn(*net.stem, "stem", x);
    for (int l = 0; l < space.numLayers(); ++l) {
      MBConv &block = net.layers[l];
      if (!block)
        continue; // skip: identity
      const std::string name = space.layers()[l].name;
      std::string h = x;
      if (block->expand)
        h = b.convBn(*block->expand, name + ".expand", h);
      h = b.convBn(*block->dw, name + ".dw", h);
      h = b.convBn(*block->project, name + ".project", h);
      x = block->residual ? b.node("Add", name + ".add", {x, h}).output() : h;
    }
    if (net.head)
      x = b.convBn(*net.head, "head", x);
    x = b.node("GlobalAveragePool", "pool", {x}).output();
    x = b.node("Flatten", "flatten", {x}).setInt("axis", 1).output();
    graph
        .addNode("Gemm", "classifier.gemm",
                 {x,
                  b.initializer("classifier.gemm.weight",
                                net.classifier->weight),
                  b.initializer("classifier.gemm.bias", net.classifier->bias)},
                 {"logits"})
        .setInt("transB", 1);
    graph.addOutput("logits", onnxlib::DataType::Float,
                    {options.batchSize, space.numClasses()});

    if (hdx::Status built = graph.finish(model); !built)
      return Error{"ONNX export failed: " + built.error()};
    // Strict shape inference on a copy: every node must infer, and the
    // inferred output shape must agree with the declared one.
    onnx::ModelProto inferred = model;
    onnx::shape_inference::InferShapes(
        inferred, onnx::OpSchemaRegistry::Instance(),
        onnx::ShapeInferenceOptions(/*check_type=*/true, /*strict=*/1));
  } catch (const std::exception &e) {
    return Error{std::string("ONNX export failed: ") + e.what()};
  }
  return Status::success();
}

Status hdx::search::writeOnnx(const DerivedNetImpl &net,
                              const std::string &path,
                              const OnnxExportOptions &options) {
  onnx::ModelProto model;
  if (Status s = buildOnnxModel(net, model, options); !s)
    return s;
  if (hdx::Status written = onnxlib::writeModelFile(model, path); !written)
    return written;
  return Status::success();
}
