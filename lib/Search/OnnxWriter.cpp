//===- OnnxWriter.cpp - The derived network as an ONNX model --------------===//

#include "hdx/Search/OnnxWriter.h"
#include "hdx/Support/AtomicFile.h"
#include "hdx/Search/DerivedNet.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cstring>
#include <set>

using namespace hdx::search;

namespace {

constexpr int64_t kOpset = 13;

/// Appends nodes and initializers to a graph and keeps names unique.
class GraphBuilder {
public:
  GraphBuilder(onnx::GraphProto &graph, bool foldBatchNorm)
      : graph_(graph), fold_(foldBatchNorm) {}

  /// A float32 initializer holding `value` (copied, little-endian raw data).
  const std::string &initializer(const std::string &name,
                                 const torch::Tensor &value) {
    torch::Tensor t = value.detach().to(torch::kCPU, torch::kFloat).contiguous();
    onnx::TensorProto *init = graph_.add_initializer();
    init->set_name(unique(name));
    init->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : t.sizes())
      init->add_dims(d);
    init->set_raw_data(t.data_ptr<float>(), t.numel() * sizeof(float));
    return init->name();
  }

  onnx::NodeProto &node(const std::string &op, const std::string &name,
                        std::vector<std::string> inputs) {
    onnx::NodeProto *n = graph_.add_node();
    n->set_op_type(op);
    n->set_name(unique(name));
    for (const std::string &in : inputs)
      n->add_input(in);
    n->add_output(n->name());
    return *n;
  }

  static void ints(onnx::NodeProto &n, const std::string &name,
                   std::vector<int64_t> values) {
    onnx::AttributeProto *a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t v : values)
      a->add_ints(v);
  }
  static void integer(onnx::NodeProto &n, const std::string &name,
                      int64_t value) {
    onnx::AttributeProto *a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
  }
  static void real(onnx::NodeProto &n, const std::string &name, float value) {
    onnx::AttributeProto *a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(value);
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
    onnx::NodeProto &c = node("Conv", prefix + ".conv", inputs);
    ints(c, "kernel_shape", {k, k});
    ints(c, "strides", {s, s});
    ints(c, "pads", {p, p, p, p});
    ints(c, "dilations", {1, 1});
    integer(c, "group", opts.groups());
    std::string out = c.output(0);

    if (!fold_) {
      onnx::NodeProto &b = node(
          "BatchNormalization", prefix + ".bn",
          {out, initializer(prefix + ".bn.scale", bn.weight),
           initializer(prefix + ".bn.bias", bn.bias),
           initializer(prefix + ".bn.mean", bn.running_mean),
           initializer(prefix + ".bn.var", bn.running_var)});
      real(b, "epsilon", static_cast<float>(eps));
      out = b.output(0);
    }
    if (m.relu6)
      out = node("Clip", prefix + ".relu6", {out, relu6Min(), relu6Max()})
                .output(0);
    return out;
  }

private:
  std::string unique(const std::string &name) {
    std::string candidate = name;
    for (int i = 1; !names_.insert(candidate).second; ++i)
      candidate = name + "_" + std::to_string(i);
    return candidate;
  }

  /// Shared scalar bounds of every ReLU6 (Clip takes them as inputs since
  /// opset 11).
  const std::string &relu6Min() {
    if (min_.empty())
      min_ = initializer("relu6.min", torch::zeros({}));
    return min_;
  }
  const std::string &relu6Max() {
    if (max_.empty())
      max_ = initializer("relu6.max", torch::full({}, 6.0));
    return max_;
  }

  onnx::GraphProto &graph_;
  bool fold_;
  std::set<std::string> names_;
  std::string min_, max_;
};

void setTensorType(onnx::ValueInfoProto &value, const std::string &name,
                   std::vector<int64_t> dims) {
  value.set_name(name);
  onnx::TypeProto_Tensor *t = value.mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims)
    t->mutable_shape()->add_dim()->set_dim_value(d);
}

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

    model.Clear();
    model.set_ir_version(onnx::IR_VERSION);
    model.set_producer_name("hdx-search");
    model.set_producer_version("0.1");
    model.set_doc_string(options.docString);
    onnx::OperatorSetIdProto *opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOpset);
    onnx::GraphProto &graph = *model.mutable_graph();
    graph.set_name("hdx_network");
    FeatureShape in = space.input();
    setTensorType(*graph.add_input(), "input",
                  {options.batchSize, in.channels, in.height, in.width});

    GraphBuilder b(graph, options.foldBatchNorm);
    std::string x = b.convBn(*net.stem, "stem", "input");
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
      x = block->residual ? b.node("Add", name + ".add", {x, h}).output(0) : h;
    }
    if (net.head)
      x = b.convBn(*net.head, "head", x);
    x = b.node("GlobalAveragePool", "pool", {x}).output(0);
    onnx::NodeProto &flatten = b.node("Flatten", "flatten", {x});
    GraphBuilder::integer(flatten, "axis", 1);
    onnx::NodeProto &gemm = b.node(
        "Gemm", "classifier.gemm",
        {flatten.output(0),
         b.initializer("classifier.gemm.weight", net.classifier->weight),
         b.initializer("classifier.gemm.bias", net.classifier->bias)});
    GraphBuilder::integer(gemm, "transB", 1);
    gemm.set_output(0, "logits");
    setTensorType(*graph.add_output(), "logits",
                  {options.batchSize, space.numClasses()});

    onnx::checker::check_model(model);
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
  std::string bytes;
  if (!model.SerializeToString(&bytes))
    return Error{"ONNX export failed: cannot serialize the model for '" +
                 path + "'"};
  if (std::string error = hdx::writeFileAtomically(path, bytes); !error.empty())
    return Error{error};
  return Status::success();
}
