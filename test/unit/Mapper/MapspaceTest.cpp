//===- MapspaceTest.cpp - Spatial and temporal candidates -----------------===//
#include "hdx/Mapper/Mapspace.h"

#include "../Cost/CostTestUtil.h"

#include <gtest/gtest.h>

using namespace hdx;
using namespace hdx::cost;
using namespace hdx::cost::testing;
using namespace hdx::mapper;

TEST(Mapspace, ObjectiveNames) {
  ASSERT_NO_FATAL_FAILURE(expectNamesRoundTrip(
      {Objective::Latency, Objective::Energy, Objective::EDP}, parseObjective));
  Objective o;
  EXPECT_FALSE(parseObjective("power", o));
}

TEST(Mapspace, ScoreAndTieBreaks) {
  LayerCost a, b;
  a.cycles = 10;
  a.energy_mj = 2;
  b.cycles = 20;
  b.energy_mj = 1;
  EXPECT_TRUE(better(a, b, Objective::Latency));
  EXPECT_TRUE(better(b, a, Objective::Energy));
  EXPECT_DOUBLE_EQ(score(a, Objective::EDP), 20);
  EXPECT_DOUBLE_EQ(score(b, Objective::EDP), 20);
  // Equal edp: fewer cycles wins; identical costs: neither is better.
  EXPECT_TRUE(better(a, b, Objective::EDP));
  EXPECT_FALSE(better(a, a, Objective::EDP));
}

TEST(Mapspace, SpatialChoicesFollowTheDataflow) {
  LoopNest nest = nestOf("conv k=64 c=32 r=3 s=3 p=28 q=28 pad=1");
  for (Dataflow df : {Dataflow::WS, Dataflow::OS, Dataflow::RS}) {
    Accelerator a = arrayOf(df);
    DataflowRules rules = dataflowRules(df);
    std::vector<SpatialChoice> choices = spatialChoices(a, nest);
    ASSERT_FALSE(choices.empty()) << toString(df);
    int64_t previous = 0;
    for (const SpatialChoice &s : choices) {
      int64_t rows = 1, cols = 1;
      for (int i = 0; i < kNumDims; ++i) {
        Dim d = static_cast<Dim>(i);
        if (s.rows[d] > 1) {
          EXPECT_TRUE(rules.allowsRow(d)) << toString(df) << dimLetter(d);
        }
        if (s.cols[d] > 1) {
          EXPECT_TRUE(rules.allowsCol(d)) << toString(df) << dimLetter(d);
        }
        EXPECT_LE(s.rows[d] * s.cols[d], nest.bound[d]);
        rows *= s.rows[d];
        cols *= s.cols[d];
      }
      EXPECT_LE(rows, a.pe_rows);
      EXPECT_LE(cols, a.pe_cols);
      EXPECT_GE(s.steps, previous); // fewest steps first
      previous = s.steps;
      if (df == Dataflow::RS) {
        EXPECT_EQ(s.rows[R], 3); // filter rows spread over PE rows
      }
    }
  }
  // ws: 32 input channels over 16 rows, 64 output channels over 16 columns.
  std::vector<SpatialChoice> ws = spatialChoices(arrayOf(Dataflow::WS), nest);
  EXPECT_EQ(ws.front().steps, (64 / 16) * (32 / 16) * 9 * 28 * 28);
}

TEST(Mapspace, OnlyMaximalUnrollings) {
  // K = 10 over 16 columns: unrolling 5 (2 steps) is never offered when 10
  // (1 step) fits.
  LoopNest nest = nestOf("fc k=10 c=64");
  for (const SpatialChoice &s : spatialChoices(arrayOf(Dataflow::WS), nest)) {
    EXPECT_EQ(s.cols[K], 10);
    EXPECT_EQ(s.rows[C], 16);
  }
}

TEST(Mapspace, TemporalChoicesFactorTheSteps) {
  Accelerator a = arrayOf(Dataflow::WS);
  LoopNest nest = nestOf("conv k=100 c=8 p=7 q=7");
  // K = 100 over 16 PEs: ceil(100 / 16) = 7 steps, prime: its factorings
  // plus those of 8 (the next 7-smooth count) where padding stays legal.
  std::vector<TemporalChoice> k = temporalChoices(a, nest, K, 16);
  bool saw7 = false, saw8 = false;
  for (const TemporalChoice &t : k) {
    int64_t steps = t.rf * t.glb * t.dram;
    EXPECT_TRUE(steps == 7 || steps == 8) << steps;
    saw7 = saw7 || steps == 7;
    saw8 = saw8 || steps == 8;
  }
  EXPECT_TRUE(saw7);
  EXPECT_FALSE(saw8); // 7 is 7-smooth already
  std::vector<TemporalChoice> p = temporalChoices(a, nest, P, 1);
  EXPECT_EQ(p.size(), 3u); // (7,1,1) (1,7,1) (1,1,7)
  LoopNest big = nestOf("fc k=1009 c=8");
  std::vector<TemporalChoice> prime = temporalChoices(a, big, K, 1);
  // A prime bound also gets the tilings of 1024 = 2^10 (last tile partial).
  bool padded = false;
  for (const TemporalChoice &t : prime) {
    int64_t steps = t.rf * t.glb * t.dram;
    EXPECT_TRUE(steps == 1009 || steps == 1024) << steps;
    padded = padded || steps == 1024;
  }
  EXPECT_TRUE(padded);

  Accelerator rs = arrayOf(Dataflow::RS);
  LoopNest conv = nestOf("conv k=8 c=8 r=3 s=5 p=7 q=7");
  std::vector<TemporalChoice> s = temporalChoices(rs, conv, S, 1);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].rf, 5);
}

TEST(Mapspace, StationaryOrders) {
  EXPECT_EQ(toString(stationaryOrder(Weights)), "KCRSNPQ");
  EXPECT_EQ(toString(stationaryOrder(Inputs)), "CRSNPQK");
  EXPECT_EQ(toString(stationaryOrder(Outputs)), "KNPQCRS");
  EXPECT_EQ(rfOrder(Dataflow::WS), stationaryOrder(Weights));
  EXPECT_EQ(rfOrder(Dataflow::OS), stationaryOrder(Outputs));
  EXPECT_EQ(candidateOrders().size(), 3u);
}
