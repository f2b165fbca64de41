//===- ModelCheckTest.cpp - checking models of known and newer opsets -----===//
#include "hdx/Onnx/GraphBuilder.h"
#include "hdx/Onnx/ModelCheck.h"

#include <onnx/onnx_pb.h>

#include <gtest/gtest.h>

using namespace hdx;
using namespace hdx::onnxlib;

namespace {

/// ReduceMean over H, W in the given opset's form: axes as an attribute up
/// to opset 17, as an input from opset 18.
Status reduceMean(int64_t opset, bool axesAsInput, onnx::ModelProto &model) {
  ModelOptions options;
  options.opset = opset;
  GraphBuilder g(options);
  std::string x = g.addInput("x", DataType::Float, {1, 8, 4, 4});
  std::vector<std::string> inputs = {x};
  if (axesAsInput)
    inputs.push_back(g.addInt64Initializer("axes", {2}, {2, 3}));
  Node mean = g.addNode("ReduceMean", "/ReduceMean", inputs, {"y"});
  mean.setInt("keepdims", 1);
  if (!axesAsInput)
    mean.setInts("axes", {2, 3});
  g.addOutput("y", DataType::Float, {1, 8, 1, 1});
  return g.finish(model);
}

TEST(ModelCheck, IrVersionsFollowOnnxReleases) {
  EXPECT_EQ(irVersionForOpset(11), 6);
  EXPECT_EQ(irVersionForOpset(13), 7);
  EXPECT_EQ(irVersionForOpset(17), 8);
  EXPECT_EQ(irVersionForOpset(18), 8);
  EXPECT_EQ(irVersionForOpset(21), 10);
  EXPECT_EQ(irVersionForOpset(2), 0);
}

TEST(ModelCheck, KnownOpsetsGetTheFullChecker) {
  ASSERT_GE(newestKnownOpset(), 13);
  onnx::ModelProto model;
  Status s = reduceMean(13, /*axesAsInput=*/false, model);
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(checkLevelFor(model), CheckLevel::Full);
  // Opset 13's ReduceMean has no axes input: the schema check rejects it.
  s = reduceMean(13, /*axesAsInput=*/true, model);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.error().find("ONNX checker"), std::string::npos) << s.error();
}

TEST(ModelCheck, NewerOpsetsGetTheStructuralCheck) {
  onnx::ModelProto model;
  int64_t newer = newestKnownOpset() + 1;
  if (irVersionForOpset(newer) == 0)
    GTEST_SKIP() << "libonnx knows every opset this library has an IR "
                    "version for";
  Status s = reduceMean(newer, /*axesAsInput=*/true, model);
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(checkLevelFor(model), CheckLevel::Structural);
}

TEST(ModelCheck, StructuralCheckCatchesRedefinitions) {
  ModelOptions options;
  options.opset = newestKnownOpset() + 1;
  options.irVersion = 8;
  GraphBuilder g(options);
  std::string x = g.addInput("x", DataType::Float, {2});
  g.addNode("Relu", "a", {x}, {"y"});
  g.addNode("Relu", "b", {x}, {"y"});
  g.addOutput("y", DataType::Float, {2});
  onnx::ModelProto model;
  Status s = g.finish(model);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(), "node 'b' (Relu) redefines 'y'");
}

TEST(ModelCheck, StructuralCheckStillChecksTensors) {
  // A tensor attribute with no data type: libonnx's schema-free
  // check_tensor rejects it even where operator schemas are not consulted.
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(newestKnownOpset() + 1);
  onnx::GraphProto *graph = model.mutable_graph();
  graph->set_name("g");
  onnx::TensorProto *bad = graph->add_initializer();
  bad->set_name("w");
  bad->add_dims(1);
  EXPECT_EQ(checkLevelFor(model), CheckLevel::Structural);
  Status s = checkModel(model);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("ONNX checker"), std::string::npos) << s.error();
}

TEST(ModelCheck, ModelWithoutDefaultOpsetIsRejected) {
  onnx::ModelProto model;
  model.set_ir_version(7);
  model.mutable_graph()->set_name("g");
  Status s = checkModel(model);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(),
            "the model imports no version of the default operator set");
}

} // namespace
