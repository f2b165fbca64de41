//===- CostModelTest.cpp - Analytical counts, cycles and energy -----------===//
#include "hdx/Cost/CostModel.h"

#include "CostTestUtil.h"

#include <gtest/gtest.h>

using namespace hdx;
using namespace hdx::cost;
using namespace hdx::cost::testing;

namespace {

CostModel model(Accelerator a = Accelerator()) {
  return CostModel(a, Technology::builtin45nm());
}

/// The default model's cost of one layer under one mapping, both as text.
LayerCost costOf(const char *layer, const char *mapping) {
  return model().evaluate(nestOf(layer), mappingOf(mapping));
}

} // namespace

// Counted by hand: two PEs each own two output channels per DRAM step; in
// a PE the RF loops run n (outer) then c.
TEST(CostModel, HandCountedFullyConnected) {
  LayerCost c =
      costOf("fc n=2 k=4 c=3", "dram=[1,2,1,1,1,1,1] glb=[1,1,1,1,1,1,1] "
                               "rf=[2,1,3,1,1,1,1] rows=[1,1,1,1,1,1,1] "
                               "cols=[1,2,1,1,1,1,1] dram_order=KNCRSPQ "
                               "glb_order=NKCRSPQ rf_order=NCKRSPQ");
  // Weights: each moved once per level, read from the RF at every MAC.
  EXPECT_EQ(c.at(DRAM, Weights), (AccessCounts{12, 0}));
  EXPECT_EQ(c.at(GLB, Weights), (AccessCounts{12, 12}));
  EXPECT_EQ(c.at(RF, Weights), (AccessCounts{24, 12}));
  // Inputs: one GLB read multicast to both PEs.
  EXPECT_EQ(c.at(DRAM, Inputs), (AccessCounts{6, 0}));
  EXPECT_EQ(c.at(GLB, Inputs), (AccessCounts{6, 6}));
  EXPECT_EQ(c.at(RF, Inputs), (AccessCounts{24, 12}));
  // Outputs: accumulated in the MAC register over c, written back once.
  EXPECT_EQ(c.at(DRAM, Outputs), (AccessCounts{0, 8}));
  EXPECT_EQ(c.at(GLB, Outputs), (AccessCounts{8, 8}));
  EXPECT_EQ(c.at(RF, Outputs), (AccessCounts{8, 8}));
  EXPECT_EQ(c.noc_words, 32);
  EXPECT_EQ(c.macs, 24);
  EXPECT_EQ(c.compute_cycles, 12);
}

// The partial sums of two output channels go back to the RF between the
// three passes over c.
TEST(CostModel, HandCountedPartialSums) {
  LayerCost c =
      costOf("fc n=1 k=2 c=3", "dram=[1,1,3,1,1,1,1] glb=[1,1,1,1,1,1,1] "
                               "rf=[1,2,1,1,1,1,1] rows=[1,1,1,1,1,1,1] "
                               "cols=[1,1,1,1,1,1,1] dram_order=NKCRSPQ "
                               "glb_order=NKCRSPQ rf_order=NKCRSPQ");
  EXPECT_EQ(c.at(RF, Outputs), (AccessCounts{2 + 4, 6}));
  EXPECT_EQ(c.at(GLB, Outputs), (AccessCounts{2, 2}));
  EXPECT_EQ(c.at(DRAM, Outputs), (AccessCounts{0, 2}));
  // Weights: a new GLB tile per c; inputs too.
  EXPECT_EQ(c.at(DRAM, Weights), (AccessCounts{6, 0}));
  EXPECT_EQ(c.at(DRAM, Inputs), (AccessCounts{3, 0}));
}

TEST(CostModel, CyclesLatencyEnergyAndUtilization) {
  Accelerator a;
  LoopNest nest = nestOf("conv k=32 c=16 r=3 s=3 p=7 q=7 pad=1");
  Mapping m = mappingOf(
      "dram=[1,2,1,1,1,1,1] glb=[1,1,1,1,1,7,7] rf=[1,1,1,3,3,1,1] "
      "rows=[1,1,16,1,1,1,1] cols=[1,16,1,1,1,1,1] dram_order=NKCRSPQ "
      "glb_order=NKCPQRS rf_order=NKCRSPQ");
  CostModel cm = model(a);
  LayerCost c = cm.evaluate(nest, m);
  EXPECT_EQ(c.macs, 32 * 16 * 9 * 49);
  EXPECT_EQ(c.compute_cycles, 2 * 49 * 9);
  int64_t dramWords = c.levelWords(DRAM);
  EXPECT_EQ(c.dram_cycles, (dramWords * 2 + 15) / 16);
  EXPECT_EQ(c.glb_cycles, (c.levelWords(GLB) + 31) / 32);
  EXPECT_EQ(c.cycles,
            std::max({c.compute_cycles, c.dram_cycles, c.glb_cycles}));
  EXPECT_DOUBLE_EQ(c.latency_ms, c.cycles / (a.clock_mhz * 1e3));
  EXPECT_DOUBLE_EQ(c.utilization, double(c.macs) / (256.0 * c.cycles));
  UnitEnergies u = cm.energies();
  EXPECT_DOUBLE_EQ(c.energy.mac_mj, c.macs * u.mac_pj * 1e-9);
  EXPECT_DOUBLE_EQ(c.energy.dram_mj, dramWords * u.dram_pj * 1e-9);
  EXPECT_DOUBLE_EQ(c.energy_mj, c.energy.mac_mj + c.energy.rf_mj +
                                    c.energy.noc_mj + c.energy.glb_mj +
                                    c.energy.dram_mj);
  // Minimum traffic: every weight and output crosses DRAM at least once.
  EXPECT_GE(c.at(DRAM, Weights).reads, nest.tensorSize(Weights));
  EXPECT_GE(c.at(DRAM, Outputs).writes, nest.tensorSize(Outputs));
  EXPECT_LE(c.utilization, 1.0);
}

TEST(CostModel, PaddingChargesOnlyRealWork) {
  // K = 10 over 4 columns x 3 steps: the last step uses 2 of 4 columns.
  LayerCost c =
      costOf("fc n=1 k=10 c=8", "dram=[1,3,1,1,1,1,1] glb=[1,1,1,1,1,1,1] "
                                "rf=[1,1,8,1,1,1,1] rows=[1,1,1,1,1,1,1] "
                                "cols=[1,4,1,1,1,1,1] dram_order=NKCRSPQ "
                                "glb_order=NKCRSPQ rf_order=NKCRSPQ");
  EXPECT_EQ(c.macs, 80);
  EXPECT_EQ(c.compute_cycles, 3 * 8);
  EXPECT_EQ(c.at(DRAM, Weights).reads, 80); // padded channels move nothing
  EXPECT_EQ(c.at(DRAM, Outputs).writes, 10);
}

TEST(CostModel, GroupedConvolutionRunsCopies) {
  LoopNest one = nestOf("conv k=4 c=6 r=3 s=3 p=5 q=5 pad=1");
  LoopNest grouped = nestOf("conv k=16 c=24 groups=4 r=3 s=3 p=5 q=5 pad=1");
  ASSERT_EQ(grouped.copies, 4);
  Mapping m; // everything at DRAM
  for (int d = 0; d < kNumDims; ++d)
    m.factors[DRAM][d] = one.bound[d];
  CostModel cm = model();
  LayerCost a = cm.evaluate(one, m), b = cm.evaluate(grouped, m);
  EXPECT_EQ(b.macs, 4 * a.macs);
  EXPECT_EQ(b.compute_cycles, 4 * a.compute_cycles);
  for (int l = 0; l < kNumLevels; ++l)
    for (int t = 0; t < kNumDataTypes; ++t)
      EXPECT_EQ(b.accesses[l][t].reads, 4 * a.accesses[l][t].reads);
  EXPECT_NEAR(b.energy_mj, 4 * a.energy_mj, 1e-12);
}

TEST(CostModel, StreamingLayers) {
  Accelerator acc;
  CostModel cm = model(acc);
  auto pool = parseLayer("pool c=64 r=2 s=2 p=28 q=28 stride=2");
  Expected<LayerCost> streamed = cm.evaluateStreaming(*pool);
  ASSERT_TRUE(streamed.ok()) << streamed.error();
  const LayerCost &c = *streamed;
  EXPECT_EQ(c.macs, 0);
  EXPECT_EQ(c.ops, 64 * 28 * 28 * 4);
  EXPECT_EQ(c.at(DRAM, Inputs).reads, 64 * 56 * 56);
  EXPECT_EQ(c.at(DRAM, Outputs).writes, 64 * 28 * 28);
  EXPECT_EQ(c.compute_cycles, (c.ops + 255) / 256);
  // Memory-bound: DRAM time dominates.
  EXPECT_EQ(c.cycles, c.dram_cycles);
  auto add = parseLayer("eltwise c=64 p=28 q=28");
  Expected<LayerCost> added = cm.evaluateStreaming(*add);
  ASSERT_TRUE(added.ok()) << added.error();
  const LayerCost &e = *added;
  EXPECT_EQ(e.at(DRAM, Inputs).reads, 2 * 64 * 28 * 28);
  auto viaLayer = cm.evaluate(*add, Mapping());
  ASSERT_TRUE(viaLayer.ok());
  EXPECT_EQ(viaLayer->cycles, e.cycles);
}

TEST(CostModel, CheckedEvaluateRejectsIllegalMappings) {
  CostModel cm = model();
  auto layer = parseLayer("conv k=32 c=16 r=3 s=3 p=7 q=7 pad=1");
  auto c = cm.evaluate(*layer, Mapping());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), "mapping: factors of K cover 1 < bound 32");
}
