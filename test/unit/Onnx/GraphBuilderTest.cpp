//===- GraphBuilderTest.cpp - building ONNX graphs ------------------------===//
#include "hdx/Onnx/GraphBuilder.h"
#include "hdx/Onnx/ModelFile.h"

#include "TempDir.h"

#include <onnx/onnx_pb.h>

#include <cstring>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>

using namespace hdx;
using namespace hdx::onnxlib;

namespace {

/// input [batch, 2, 4, 4] -> Conv (3 x 3, pads 1) -> Relu -> output.
void buildConvRelu(GraphBuilder &g, std::vector<float> weights) {
  std::string x = g.addInput("input", DataType::Float, {"batch", 2, 4, 4});
  std::string w = g.addInitializer("conv.weight", {1, 2, 3, 3}, weights);
  Node conv = g.addNode("Conv", "/conv/Conv", {x, w});
  conv.setInts("kernel_shape", {3, 3}).setInts("pads", {1, 1, 1, 1});
  g.addNode("Relu", "/relu/Relu", {conv.output()}, {"output"});
  g.addOutput("output", DataType::Float, {"batch", 1, 4, 4});
}

std::vector<float> ramp(size_t n) {
  std::vector<float> values(n);
  for (size_t i = 0; i < n; ++i)
    values[i] = 0.5f * static_cast<float>(i) - 3.0f;
  return values;
}

/// The error that finishing `g` reports; finishing must fail.
std::string finishError(GraphBuilder &g) {
  onnx::ModelProto model;
  Status s = g.finish(model);
  EXPECT_FALSE(s.ok()) << "finished without an error";
  return s.error();
}

const onnx::AttributeProto *attribute(const onnx::NodeProto &node,
                                      const std::string &name) {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

TEST(GraphBuilder, FinishedModelRoundTripsThroughProtobuf) {
  GraphBuilder g;
  std::vector<float> weights = ramp(18);
  buildConvRelu(g, weights);
  onnx::ModelProto built;
  Status s = g.finish(built);
  ASSERT_TRUE(s.ok()) << s.error();

  onnx::ModelProto parsed;
  ASSERT_TRUE(parsed.ParseFromString(built.SerializeAsString()));
  EXPECT_EQ(parsed.ir_version(), 7); // released with opset 13
  ASSERT_EQ(parsed.opset_import_size(), 1);
  EXPECT_EQ(parsed.opset_import(0).domain(), "");
  EXPECT_EQ(parsed.opset_import(0).version(), 13);
  EXPECT_EQ(parsed.producer_name(), "hdx");

  const onnx::GraphProto &graph = parsed.graph();
  EXPECT_EQ(graph.name(), "main_graph");
  ASSERT_EQ(graph.input_size(), 1);
  const auto &inShape = graph.input(0).type().tensor_type().shape();
  ASSERT_EQ(inShape.dim_size(), 4);
  EXPECT_EQ(inShape.dim(0).dim_param(), "batch");
  EXPECT_EQ(inShape.dim(1).dim_value(), 2);
  EXPECT_EQ(graph.input(0).type().tensor_type().elem_type(),
            onnx::TensorProto::FLOAT);

  ASSERT_EQ(graph.node_size(), 2);
  const onnx::NodeProto &conv = graph.node(0);
  EXPECT_EQ(conv.op_type(), "Conv");
  EXPECT_EQ(conv.name(), "/conv/Conv");
  ASSERT_EQ(conv.output_size(), 1);
  EXPECT_EQ(conv.output(0), "/conv/Conv_output_0");
  const onnx::AttributeProto *pads = attribute(conv, "pads");
  ASSERT_NE(pads, nullptr);
  EXPECT_EQ(pads->type(), onnx::AttributeProto::INTS);
  EXPECT_EQ(std::vector<int64_t>(pads->ints().begin(), pads->ints().end()),
            (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(graph.node(1).input(0), "/conv/Conv_output_0");
  EXPECT_EQ(graph.node(1).output(0), "output");

  ASSERT_EQ(graph.initializer_size(), 1);
  const onnx::TensorProto &w = graph.initializer(0);
  EXPECT_EQ(w.name(), "conv.weight");
  EXPECT_EQ(w.data_type(), onnx::TensorProto::FLOAT);
  EXPECT_EQ(std::vector<int64_t>(w.dims().begin(), w.dims().end()),
            (std::vector<int64_t>{1, 2, 3, 3}));
  ASSERT_EQ(w.raw_data().size(), weights.size() * sizeof(float));
  std::vector<float> stored(weights.size());
  std::memcpy(stored.data(), w.raw_data().data(), w.raw_data().size());
  EXPECT_EQ(stored, weights);
}

TEST(GraphBuilder, WrittenFileReadsBackIdentical) {
  test::TempDir dir;
  GraphBuilder g;
  buildConvRelu(g, ramp(18));
  Status s = g.write(dir.file("net.onnx"));
  ASSERT_TRUE(s.ok()) << s.error();

  GraphBuilder same;
  buildConvRelu(same, ramp(18));
  onnx::ModelProto expected;
  ASSERT_TRUE(same.finish(expected).ok());
  onnx::ModelProto read;
  s = readModelFile(dir.file("net.onnx"), read);
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(read.SerializeAsString(), expected.SerializeAsString());
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"net.onnx"});
}

TEST(GraphBuilder, NodeNamesAreMadeUniqueLikePyTorch) {
  GraphBuilder g;
  std::string x = g.addInput("x", DataType::Float, {1, 4});
  Node a = g.addNode("Relu", "/act/Relu", {x});
  Node b = g.addNode("Relu", "/act/Relu", {a.output()});
  Node c = g.addNode("Relu", "/act/Relu", {b.output()});
  Node d = g.addNode("Relu", "", {c.output()});
  Node e = g.addNode("Relu", "", {d.output()});
  EXPECT_EQ(a.name(), "/act/Relu");
  EXPECT_EQ(b.name(), "/act/Relu_1");
  EXPECT_EQ(c.name(), "/act/Relu_2");
  EXPECT_EQ(d.name(), "Relu");
  EXPECT_EQ(e.name(), "Relu_1");
  EXPECT_EQ(c.output(), "/act/Relu_2_output_0");
  EXPECT_EQ(g.uniqueNodeName("/act/Relu"), "/act/Relu_3");
  EXPECT_EQ(g.uniqueNodeName("/other"), "/other");
  g.addOutput(e.output(), DataType::Float, {1, 4});
  onnx::ModelProto model;
  Status s = g.finish(model);
  EXPECT_TRUE(s.ok()) << s.error();
}

TEST(GraphBuilder, AttributesOfEveryKind) {
  GraphBuilder g;
  Node n = g.addNode("Constant", "/Constant", {});
  n.setInt64Tensor("value", {2}, {3, -1});
  Node m = g.addNode("Constant", "/Constant", {});
  m.setFloatTensor("value", {}, {6.0f});
  g.addOutput(n.output(), DataType::Int64, {2});
  g.addOutput(m.output(), DataType::Float, {});
  onnx::ModelProto model;
  Status s = g.finish(model);
  ASSERT_TRUE(s.ok()) << s.error();
  const onnx::TensorProto &ints = model.graph().node(0).attribute(0).t();
  EXPECT_EQ(ints.data_type(), onnx::TensorProto::INT64);
  ASSERT_EQ(ints.raw_data().size(), 2 * sizeof(int64_t));
  int64_t values[2];
  std::memcpy(values, ints.raw_data().data(), sizeof(values));
  EXPECT_EQ(values[0], 3);
  EXPECT_EQ(values[1], -1);
  const onnx::TensorProto &scalar = model.graph().node(1).attribute(0).t();
  EXPECT_EQ(scalar.dims_size(), 0);
  EXPECT_EQ(model.graph().node(1).name(), "/Constant_1");

  GraphBuilder h;
  std::string x = h.addInput("x", DataType::Float, {2});
  h.addNode("LeakyRelu", "leaky", {x}, {"y"}).setFloat("alpha", 0.25f);
  h.addNode("Constant", "floats", {}).setFloats("value_floats", {1.5f, 2.5f});
  h.addNode("Constant", "text", {}).setString("value_string", "hdx");
  h.addOutput("y", DataType::Float, {2});
  onnx::ModelProto other;
  s = h.finish(other);
  ASSERT_TRUE(s.ok()) << s.error();
  const onnx::AttributeProto &alpha = other.graph().node(0).attribute(0);
  EXPECT_EQ(alpha.type(), onnx::AttributeProto::FLOAT);
  EXPECT_EQ(alpha.f(), 0.25f);
  const onnx::AttributeProto &floats = other.graph().node(1).attribute(0);
  EXPECT_EQ(floats.type(), onnx::AttributeProto::FLOATS);
  EXPECT_EQ(std::vector<float>(floats.floats().begin(), floats.floats().end()),
            (std::vector<float>{1.5f, 2.5f}));
  const onnx::AttributeProto &text = other.graph().node(2).attribute(0);
  EXPECT_EQ(text.type(), onnx::AttributeProto::STRING);
  EXPECT_EQ(text.s(), "hdx");
}

TEST(GraphBuilder, CheckerFailureIsAnErrorValue) {
  // Relu takes one input; libonnx's checker throws, the builder reports.
  GraphBuilder g;
  std::string x = g.addInput("x", DataType::Float, {1, 4});
  g.addNode("Relu", "/bad/Relu", {x, x});
  g.addOutput("/bad/Relu_output_0", DataType::Float, {1, 4});
  std::string error = finishError(g);
  EXPECT_NE(error.find("ONNX checker"), std::string::npos) << error;
  EXPECT_NE(error.find("/bad/Relu"), std::string::npos) << error;
}

TEST(GraphBuilder, UndefinedInputIsReported) {
  GraphBuilder g;
  g.addInput("x", DataType::Float, {1, 4});
  g.addNode("Relu", "/r/Relu", {"nowhere"}, {"y"});
  g.addOutput("y", DataType::Float, {1, 4});
  EXPECT_EQ(finishError(g),
            "node '/r/Relu' (Relu) reads 'nowhere', which no earlier "
            "node, input or initializer defines");
}

TEST(GraphBuilder, OutputNobodyProducesIsReported) {
  GraphBuilder g;
  std::string x = g.addInput("x", DataType::Float, {1, 4});
  g.addNode("Relu", "/r/Relu", {x});
  g.addOutput("y", DataType::Float, {1, 4});
  EXPECT_EQ(finishError(g), "graph output 'y' is not produced by any node");
}

TEST(GraphBuilder, InitializerThatDoesNotFillItsShapeIsReported) {
  GraphBuilder g;
  g.addInitializer("w", {2, 3}, {1, 2, 3});
  EXPECT_EQ(finishError(g),
            "initializer 'w' has 3 values for a shape of 6 elements");
}

TEST(GraphBuilder, BadTensorAttributeIsReported) {
  GraphBuilder g;
  g.addNode("Constant", "/c", {}).setFloatTensor("value", {2}, {1, 2, 3});
  EXPECT_EQ(
      finishError(g),
      "node '/c': attribute 'value' has 3 values for a shape of 2 elements");
}

TEST(GraphBuilder, UnknownOpsetNeedsAnIrVersion) {
  ModelOptions options;
  options.opset = 3;
  GraphBuilder g(options);
  std::string error = finishError(g);
  EXPECT_NE(error.find("no IR version is known for opset 3"),
            std::string::npos);
}

TEST(GraphBuilder, IsSpentAfterFinish) {
  GraphBuilder g;
  buildConvRelu(g, ramp(18));
  onnx::ModelProto model;
  ASSERT_TRUE(g.finish(model).ok());
  // Adding to a spent builder is harmless and finishing again fails.
  g.addNode("Relu", "late", {"input"}).setInt("ignored", 1);
  Status again = g.finish(model);
  EXPECT_FALSE(again.ok());
  EXPECT_EQ(again.error(), "the model was already finished");
  EXPECT_EQ(model.graph().node_size(), 2);
}

TEST(GraphBuilder, FailedWriteLeavesNoFileAndKeepsAnOldOne) {
  test::TempDir dir;
  std::string path = dir.file("net.onnx");
  {
    std::ofstream old(path);
    old << "old";
  }
  GraphBuilder g;
  std::string x = g.addInput("x", DataType::Float, {1});
  g.addNode("Relu", "r", {x, x}); // rejected by the checker
  Status s = g.write(path);
  ASSERT_FALSE(s.ok());
  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "old");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"net.onnx"});

  GraphBuilder h;
  h.addInitializer("w", {2}, {1});
  EXPECT_FALSE(h.write(dir.file("fresh.onnx")).ok());
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"net.onnx"});
}

} // namespace
