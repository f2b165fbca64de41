//===- ReferenceTest.cpp - Analytical counts vs. the loop-nest executor ---===//
//
// For many random small layers and random mappings, the analytical model's
// access counts equal the counts of an executor that runs the mapped loop
// nest on real numbers, exactly; and the executor's result equals a direct
// convolution, so it moved the data correctly.
//
//===----------------------------------------------------------------------===//
#include "Reference.h"
#include "hdx/Cost/CostModel.h"

#include "RandomMappings.h"

#include <gtest/gtest.h>

using namespace hdx;
using namespace hdx::cost;
using namespace hdx::cost::testing;

namespace {

std::vector<int64_t> randomTensor(int64_t size, std::mt19937_64 &rng) {
  std::vector<int64_t> values(static_cast<size_t>(size));
  for (int64_t &v : values)
    v = uniform(rng, -3, 3);
  return values;
}

std::string describe(const Layer &l, const Mapping &m) {
  return toString(l) + "\n  " + toString(m);
}

// Runs both and compares everything; returns false on the first mismatch.
void expectReferenceAgrees(const CostModel &model, const Layer &layer,
                           const Mapping &m, std::mt19937_64 &rng) {
  auto nest = makeLoopNest(layer);
  ASSERT_TRUE(nest.ok()) << nest.error();
  ASSERT_TRUE(checkStructure(model.accelerator(), *nest, m).ok())
      << checkStructure(model.accelerator(), *nest, m).error() << "\n"
      << describe(layer, m);
  std::vector<int64_t> weights = randomTensor(nest->tensorSize(Weights), rng);
  std::vector<int64_t> inputs = randomTensor(nest->tensorSize(Inputs), rng);
  ReferenceResult ref = runReference(*nest, m, weights, inputs);
  ASSERT_EQ(ref.error, "") << describe(layer, m);
  ASSERT_EQ(ref.outputs, naiveConvolution(*nest, weights, inputs))
      << describe(layer, m);

  // The reference runs one copy of a grouped convolution.
  LoopNest one = *nest;
  one.copies = 1;
  LayerCost cost = model.evaluate(one, m);
  EXPECT_EQ(ref.macs, one.macsPerCopy()) << describe(layer, m);
  EXPECT_EQ(ref.compute_cycles, cost.compute_cycles) << describe(layer, m);
  EXPECT_EQ(ref.noc_words, cost.noc_words) << describe(layer, m);
  for (int l = 0; l < kNumLevels; ++l)
    for (int t = 0; t < kNumDataTypes; ++t) {
      EXPECT_EQ(ref.accesses[l][t].reads, cost.accesses[l][t].reads)
          << levelName(Level(l)) << " " << dataTypeName(DataType(t))
          << " reads\n  " << describe(layer, m);
      EXPECT_EQ(ref.accesses[l][t].writes, cost.accesses[l][t].writes)
          << levelName(Level(l)) << " " << dataTypeName(DataType(t))
          << " writes\n  " << describe(layer, m);
    }
}

CostModel model(Dataflow dataflow = Dataflow::WS) {
  Accelerator a;
  a.pe_rows = 4;
  a.pe_cols = 4;
  a.dataflow = dataflow;
  return CostModel(a, Technology::builtin45nm());
}

/// expectReferenceAgrees on the default 4 x 4 model for a layer and mapping
/// given as text.
void expectReferenceAgreesOn(const char *layerText, const char *mappingText,
                             std::mt19937_64 &rng) {
  auto layer = parseLayer(layerText);
  ASSERT_TRUE(layer.ok()) << layer.error();
  auto m = parseMapping(mappingText);
  ASSERT_TRUE(m.ok()) << m.error();
  expectReferenceAgrees(model(), *layer, *m, rng);
}

} // namespace

TEST(Reference, RandomLayersAndMappings) {
  std::mt19937_64 rng(20240501);
  CostModel cm = model();
  for (int i = 0; i < 400; ++i) {
    Layer layer = randomLayer(rng);
    auto nest = makeLoopNest(layer);
    ASSERT_TRUE(nest.ok());
    Mapping m = randomMapping(*nest, 4, 4, rng);
    SCOPED_TRACE("case " + std::to_string(i));
    expectReferenceAgrees(cm, layer, m, rng);
    if (::testing::Test::HasFailure())
      return;
  }
}

TEST(Reference, EachDataflow) {
  for (Dataflow df : {Dataflow::WS, Dataflow::OS, Dataflow::RS}) {
    std::mt19937_64 rng(7 + int(df));
    CostModel cm = model(df);
    for (int i = 0; i < 120; ++i) {
      Layer layer = randomLayer(rng);
      auto nest = makeLoopNest(layer);
      Mapping m = conformToDataflow(cm.accelerator(), *nest,
                                    randomMapping(*nest, 4, 4, rng));
      ASSERT_TRUE(checkDataflow(cm.accelerator(), *nest, m).ok())
          << checkDataflow(cm.accelerator(), *nest, m).error() << "\n"
          << describe(layer, m);
      SCOPED_TRACE(std::string(toString(df)) + " case " + std::to_string(i));
      expectReferenceAgrees(cm, layer, m, rng);
      if (::testing::Test::HasFailure())
        return;
    }
  }
}

// Sizes that do not factor: 7 as 4 x 2 (last tile partial) and a spatial
// block that overhangs the bound.
TEST(Reference, NonDividingSizes) {
  std::mt19937_64 rng(3);
  expectReferenceAgreesOn("conv k=7 c=5 r=3 s=3 p=7 q=5 stride=2 pad=1",
                          "dram=[1,4,1,1,1,4,1] glb=[1,1,3,1,3,1,3] "
                          "rf=[1,1,1,3,1,2,1] rows=[1,1,2,1,1,1,1] "
                          "cols=[1,2,1,1,1,1,2] dram_order=PKNCRSQ "
                          "glb_order=QCNKRSP rf_order=RPNKCSQ",
                          rng);
}

TEST(Reference, DepthwiseAndGaps) {
  std::mt19937_64 rng(4);
  // Depthwise: each output channel reads its own input channel.
  expectReferenceAgreesOn("conv k=6 c=6 groups=6 r=3 s=3 p=4 q=4 pad=1",
                          "dram=[1,2,1,1,1,2,1] glb=[1,1,1,1,3,1,2] "
                          "rf=[1,3,1,3,1,2,2] rows=[1,1,1,1,1,1,1] "
                          "cols=[1,1,1,1,1,1,1] dram_order=NKCRSPQ "
                          "glb_order=SQNKCRP rf_order=KRPQNCS",
                          rng);
  // A 1x1 filter with stride 3 reads rows with gaps between them.
  expectReferenceAgreesOn("conv k=2 c=2 r=1 s=1 p=4 q=3 stride=3",
                          "dram=[1,1,1,1,1,2,1] glb=[1,1,2,1,1,1,3] "
                          "rf=[1,2,1,1,1,2,1] rows=[1,1,1,1,1,1,1] "
                          "cols=[1,1,1,1,1,1,1] dram_order=NKCRSPQ "
                          "glb_order=NKCRSPQ rf_order=NKCRSPQ",
                          rng);
}
