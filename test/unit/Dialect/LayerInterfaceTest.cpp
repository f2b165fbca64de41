//===- LayerInterfaceTest.cpp - what each op is for the cost model --------===//
//
// The layer shapes below are computed by hand from the op's operand and
// result types (comments), not by another caller of getCostLayer.
//
//===----------------------------------------------------------------------===//
#include "hdx/Dialect/HDX/HDXOps.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace hdx;

namespace {

const char *kNetwork = R"mlir(
func.func @net(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>,
               %f: tensor<10x16xf32>) -> tensor<1x10xf32> {
  %c = hdx.conv2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x8x8xf32>
  %r = hdx.relu %c : tensor<1x16x8x8xf32>
  %p = hdx.max_pool %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : tensor<1x16x8x8xf32> -> tensor<1x16x4x4xf32>
  %g = hdx.global_avg_pool %p : tensor<1x16x4x4xf32> -> tensor<1x16x1x1xf32>
  %v = hdx.reshape %g : tensor<1x16x1x1xf32> -> tensor<1x16xf32>
  %s = hdx.slice %v {axis = 1 : i64, start = 0 : i64} : tensor<1x16xf32> -> tensor<1x8xf32>
  %a = hdx.add %s, %s : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
  %y = hdx.fc %v, %f : (tensor<1x16xf32>, tensor<10x16xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}
)mlir";

class LayerInterfaceTest : public ::testing::Test {
protected:
  LayerInterfaceTest() {
    context.loadDialect<HDXDialect, func::FuncDialect>();
  }
  /// The hdx ops of the function in `text`, in order.
  SmallVector<Operation *> ops(const char *text) {
    module = parseSourceString<ModuleOp>(text, &context);
    EXPECT_TRUE(module);
    SmallVector<Operation *> result;
    module->walk([&](Operation *op) {
      if (op->getDialect() && op->getDialect()->getNamespace() == "hdx")
        result.push_back(op);
    });
    return result;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(LayerInterfaceTest, EveryChargedOpIsALayerAndViewsAreNot) {
  SmallVector<Operation *> all = ops(kNetwork);
  ASSERT_EQ(all.size(), 8u);
  // conv, relu, max_pool, global_avg_pool, reshape, slice, add, fc
  const bool isLayer[] = {true, true, true, true, false, false, true, true};
  const bool onArray[] = {true, false, false, false, false, false, false, true};
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(isa<LayerOpInterface>(all[i]), isLayer[i])
        << all[i]->getName().getStringRef().str();
    EXPECT_EQ(isa<ArrayLayerOpInterface>(all[i]), onArray[i])
        << all[i]->getName().getStringRef().str();
  }
}

TEST_F(LayerInterfaceTest, ShapesComeFromTheTypes) {
  SmallVector<Operation *> all = ops(kNetwork);
  ASSERT_EQ(all.size(), 8u);
  // Conv: N1, C8 -> K16, 3x3 window, 16x16 -> 8x8 at stride 2, pad 1.
  cost::Layer conv = cast<LayerOpInterface>(all[0]).getCostLayer();
  EXPECT_EQ(conv.kind, cost::LayerKind::Conv);
  EXPECT_EQ(std::vector<int64_t>({conv.n, conv.k, conv.c, conv.r, conv.s,
                                  conv.p, conv.q}),
            std::vector<int64_t>({1, 16, 8, 3, 3, 8, 8}));
  EXPECT_EQ(conv.stride_h, 2);
  EXPECT_EQ(conv.pad_w, 1);
  // ReLU over 1x16x8x8: one input streamed, C = 16, P = 8, Q = 8.
  cost::Layer relu = cast<LayerOpInterface>(all[1]).getCostLayer();
  EXPECT_EQ(relu.kind, cost::LayerKind::Eltwise);
  EXPECT_EQ(relu.inputs, 1u);
  EXPECT_EQ(std::vector<int64_t>({relu.c, relu.p, relu.q}),
            std::vector<int64_t>({16, 8, 8}));
  // Max pool: depthwise 2x2 window, 8x8 -> 4x4, one group per channel.
  cost::Layer pool = cast<LayerOpInterface>(all[2]).getCostLayer();
  EXPECT_EQ(pool.kind, cost::LayerKind::Pool);
  EXPECT_EQ(std::vector<int64_t>({pool.k, pool.c, pool.groups, pool.r,
                                  pool.p}),
            std::vector<int64_t>({16, 16, 16, 2, 4}));
  // Global average pool: the whole 4x4 map is the window.
  cost::Layer gap = cast<LayerOpInterface>(all[3]).getCostLayer();
  EXPECT_EQ(std::vector<int64_t>({gap.r, gap.s, gap.p, gap.q}),
            std::vector<int64_t>({4, 4, 1, 1}));
  // Add of two 1x8 tensors: two inputs, C = 8.
  cost::Layer add = cast<LayerOpInterface>(all[6]).getCostLayer();
  EXPECT_EQ(add.inputs, 2u);
  EXPECT_EQ(add.c, 8);
  // FC: N from the input's batch, C = 16 from its second dimension, K = 10.
  cost::Layer fc = cast<LayerOpInterface>(all[7]).getCostLayer();
  EXPECT_EQ(fc.kind, cost::LayerKind::FC);
  EXPECT_EQ(std::vector<int64_t>({fc.n, fc.c, fc.k}),
            std::vector<int64_t>({1, 16, 10}));
}

TEST_F(LayerInterfaceTest, MappingAndCostAreTypedAccessors) {
  SmallVector<Operation *> all = ops(kNetwork);
  ASSERT_EQ(all.size(), 8u);
  auto conv = cast<ArrayLayerOpInterface>(all[0]);
  EXPECT_FALSE(conv.getLayerMapping());
  auto mapping = dyn_cast<MappingAttr>(parseAttribute(
      "#hdx.mapping<dram = [1, 1, 1, 1, 1, 1, 1], glb = [1, 1, 1, 1, 1, 1, 1], "
      "rf = [1, 16, 8, 3, 3, 8, 8], rows = [1, 1, 1, 1, 1, 1, 1], "
      "cols = [1, 1, 1, 1, 1, 1, 1], dram_order = \"NKCRSPQ\", "
      "glb_order = \"NKCRSPQ\", rf_order = \"NKCRSPQ\">",
      &context));
  ASSERT_TRUE(mapping);
  conv.setLayerMapping(mapping);
  EXPECT_EQ(conv.getLayerMapping(), mapping);
  // The same attribute the op's own ODS accessor sees.
  EXPECT_EQ(cast<Conv2DOp>(all[0]).getMappingAttr(), mapping);
  EXPECT_FALSE(cast<LayerOpInterface>(all[1]).getLayerCost());
}

} // namespace
