//===- OnnxWriterTest.cpp - The ONNX writer -------------------------------===//
//
// Writes a small derived network, reads the file back with protobuf, checks
// names, shapes and weights, and runs the graph with a small reference
// interpreter (LibTorch ops per ONNX node) to compare with the module's own
// forward pass.
//
//===----------------------------------------------------------------------===//

#include "hdx/Search/OnnxWriter.h"
#include "hdx/Search/DerivedNet.h"
#include "hdx/Support/AtomicFile.h"

#include "SearchTestUtil.h"

#include <gtest/gtest.h>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace hdx;
using namespace hdx::search;
using namespace hdx::search::test;
namespace fs = std::filesystem;

namespace {

/// 2 input channels, 10x10, 5 classes; one block per kind: MBConv with
/// expansion (stride 2), skip, MBConv without expansion (residual).
NetworkSpace smallSpace() {
  SearchSpaceConfig config;
  config.stem = {6, 3, 1};
  config.stages = {{8, 2, 2}, {8, 1, 1}};
  config.candidates.kernels = {3, 5};
  config.candidates.expansions = {1, 3};
  config.head_channels = 12;
  return spaceOf(config, {2, 10, 10}, 5);
}

/// A derived net with non-trivial batch-norm statistics, in eval mode.
DerivedNet trainedNet() {
  torch::manual_seed(7);
  // k5e3, skip, k3e1
  auto net = makeDerivedNet(smallSpace(), {3, 4, 0});
  EXPECT_TRUE(net) << net.error();
  torch::NoGradGuard noGrad;
  for (auto &m : (*net)->modules(false))
    if (auto *bn = m->as<torch::nn::BatchNorm2dImpl>()) {
      bn->weight.uniform_(0.5, 1.5);
      bn->bias.uniform_(-0.2, 0.2);
      bn->running_mean.uniform_(-0.3, 0.3);
      bn->running_var.uniform_(0.5, 2.0);
    }
  (*net)->eval();
  return *net;
}

onnx::ModelProto readModel(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  onnx::ModelProto model;
  EXPECT_TRUE(model.ParseFromString(bytes));
  return model;
}

torch::Tensor fromInitializer(const onnx::TensorProto &t) {
  std::vector<int64_t> dims(t.dims().begin(), t.dims().end());
  EXPECT_EQ(t.data_type(), onnx::TensorProto::FLOAT);
  torch::Tensor out = torch::empty(dims, torch::kFloat);
  EXPECT_EQ(t.raw_data().size(), out.numel() * sizeof(float)) << t.name();
  std::memcpy(out.data_ptr<float>(), t.raw_data().data(), t.raw_data().size());
  return out;
}

const onnx::AttributeProto *attribute(const onnx::NodeProto &n,
                                      const std::string &name) {
  for (const auto &a : n.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

/// Runs the ONNX graph on `input` with LibTorch ops, node by node.
torch::Tensor interpret(const onnx::ModelProto &model, torch::Tensor input) {
  std::map<std::string, torch::Tensor> values;
  for (const auto &init : model.graph().initializer())
    values[init.name()] = fromInitializer(init);
  values[model.graph().input(0).name()] = input;
  for (const onnx::NodeProto &n : model.graph().node()) {
    auto in = [&](int i) { return values.at(n.input(i)); };
    torch::Tensor out;
    const std::string &op = n.op_type();
    if (op == "Conv") {
      const auto *strides = attribute(n, "strides");
      const auto *pads = attribute(n, "pads");
      EXPECT_EQ(pads->ints(0), pads->ints(2)); // symmetric
      out = torch::conv2d(
          in(0), in(1), n.input_size() > 2 ? in(2) : torch::Tensor(),
          {strides->ints(0), strides->ints(1)}, {pads->ints(0), pads->ints(1)},
          {1, 1}, attribute(n, "group")->i());
    } else if (op == "BatchNormalization") {
      out = torch::batch_norm(in(0), in(1), in(2), in(3), in(4), false, 0.0,
                              attribute(n, "epsilon")->f(), false);
    } else if (op == "Clip") {
      out = torch::clamp(in(0), in(1).item<float>(), in(2).item<float>());
    } else if (op == "Add") {
      out = in(0) + in(1);
    } else if (op == "GlobalAveragePool") {
      out = in(0).mean({2, 3}, /*keepdim=*/true);
    } else if (op == "Flatten") {
      out = in(0).flatten(attribute(n, "axis")->i());
    } else if (op == "Gemm") {
      EXPECT_EQ(attribute(n, "transB")->i(), 1);
      out = torch::addmm(in(2), in(0), in(1).t());
    } else {
      ADD_FAILURE() << "unexpected op " << op;
    }
    values[n.output(0)] = out;
  }
  return values.at(model.graph().output(0).name());
}

void expectFaithful(bool fold) {
  DerivedNet net = trainedNet();
  fs::path path = scratchDir(fold ? "folded" : "bn") / "network.onnx";
  OnnxExportOptions options;
  options.foldBatchNorm = fold;
  options.batchSize = 2;
  options.docString = "test network";
  Status written = writeOnnx(*net, path.string(), options);
  ASSERT_TRUE(written) << written.error();

  onnx::ModelProto model = readModel(path);
  EXPECT_NO_THROW(onnx::checker::check_model(model));
  EXPECT_EQ(model.opset_import(0).version(), 13);
  EXPECT_EQ(model.doc_string(), "test network");

  // Unique, structured node names.
  std::vector<std::string> names;
  std::set<std::string> unique;
  for (const auto &n : model.graph().node()) {
    names.push_back(n.name());
    unique.insert(n.name());
  }
  EXPECT_EQ(unique.size(), names.size());
  for (const char *expected :
       {"stem.conv", "stem.relu6", "stage0.layer0.expand.conv",
        "stage0.layer0.expand.relu6", "stage0.layer0.dw.conv",
        "stage0.layer0.project.conv", "stage1.layer0.dw.conv",
        "stage1.layer0.add", "head.conv", "pool", "flatten", "classifier.gemm"})
    EXPECT_TRUE(unique.count(expected)) << expected;
  EXPECT_FALSE(unique.count("stage0.layer1.add"));         // skip: no nodes
  EXPECT_FALSE(unique.count("stage1.layer0.expand.conv")); // expansion 1
  EXPECT_EQ(unique.count("stage0.layer0.project.bn"), fold ? 0u : 1u);
  EXPECT_EQ(unique.count("stage0.layer0.add"), 0u); // 6 -> 8 channels

  // Shapes and weights.
  std::map<std::string, torch::Tensor> inits;
  for (const auto &init : model.graph().initializer())
    inits[init.name()] = fromInitializer(init);
  EXPECT_EQ(inits.at("stage0.layer0.expand.conv.weight").sizes(),
            (std::vector<int64_t>{18, 6, 1, 1}));
  EXPECT_EQ(inits.at("stage0.layer0.dw.conv.weight").sizes(),
            (std::vector<int64_t>{18, 1, 5, 5}));
  EXPECT_TRUE(torch::equal(inits.at("classifier.gemm.weight"),
                           net->classifier->weight));
  if (!fold) {
    EXPECT_TRUE(
        torch::equal(inits.at("stem.conv.weight"), net->stem->conv->weight));
  }
  for (const auto &n : model.graph().node())
    if (n.name() == "stage0.layer0.dw.conv") {
      EXPECT_EQ(attribute(n, "group")->i(), 18);
      EXPECT_EQ(attribute(n, "strides")->ints(0), 2);
      EXPECT_EQ(attribute(n, "pads")->ints(0), 2);
    }
  const auto &in = model.graph().input(0).type().tensor_type().shape();
  ASSERT_EQ(in.dim_size(), 4);
  EXPECT_EQ(in.dim(0).dim_value(), 2);
  EXPECT_EQ(in.dim(1).dim_value(), 2);
  EXPECT_EQ(in.dim(3).dim_value(), 10);
  EXPECT_EQ(model.graph().output(0).name(), "logits");

  // The exported graph computes what the module computes.
  torch::Tensor x = torch::rand({2, 2, 10, 10});
  torch::NoGradGuard noGrad;
  torch::Tensor expected = net->forward(x);
  torch::Tensor actual = interpret(model, x);
  EXPECT_TRUE(torch::allclose(actual, expected, 1e-4, 1e-5))
      << (actual - expected).abs().max().item<float>();
}

TEST(SearchOnnxWriter, FoldedBatchNormReproducesTheModule) {
  expectFaithful(true);
}

TEST(SearchOnnxWriter, BatchNormNodesReproduceTheModule) {
  expectFaithful(false);
}

TEST(SearchOnnxWriter, FailedWritesLeaveNoFile) {
  DerivedNet net = trainedNet();
  fs::path dir = scratchDir("atomic");
  Status s = writeOnnx(*net, (dir / "missing" / "network.onnx").string());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("missing/network.onnx"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(dir));

  // A successful write replaces the old file and leaves no temporary file.
  fs::path path = dir / "out.bin";
  ASSERT_EQ(hdx::writeFileAtomically(path.string(), "old"), "");
  ASSERT_EQ(hdx::writeFileAtomically(path.string(), "new contents"), "");
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "new contents");
  EXPECT_EQ(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

} // namespace
