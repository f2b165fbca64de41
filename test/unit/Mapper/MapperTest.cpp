//===- MapperTest.cpp - Mapping layers and networks -----------------------===//
#include "hdx/Mapper/Mapper.h"

#include "../Cost/CostTestUtil.h"

#include <gtest/gtest.h>

#include <random>

using namespace hdx;
using namespace hdx::cost;
using namespace hdx::cost::testing;
using namespace hdx::mapper;

namespace {

CostModel modelOf(Dataflow df, int64_t rows = 16, int64_t cols = 16) {
  return CostModel(arrayOf(df, rows, cols), Technology::builtin45nm());
}

const Dataflow kDataflows[] = {Dataflow::WS, Dataflow::OS, Dataflow::RS};
const Objective kObjectives[] = {Objective::Latency, Objective::Energy,
                                 Objective::EDP};

} // namespace

TEST(Mapper, ResultIsLegalAndCostIsExact) {
  const char *layers[] = {
      "conv k=32 c=16 r=3 s=3 p=56 q=56 pad=1",
      "conv k=96 c=96 groups=96 r=3 s=3 p=56 q=56 stride=2 pad=1",
      "conv k=1001 c=7 r=1 s=1 p=14 q=14",
      "fc n=1 k=1000 c=1280",
      "conv k=64 c=3 r=7 s=7 p=112 q=112 stride=2 pad=3",
      "conv k=32 c=64 groups=4 r=3 s=3 p=14 q=14 pad=1"};
  for (Dataflow df : kDataflows) {
    CostModel model = modelOf(df);
    for (const char *text : layers) {
      Layer layer = layerOf(text);
      auto nest = makeLoopNest(layer);
      auto result = mapLayer(model, layer, Objective::EDP);
      ASSERT_TRUE(result.ok()) << text << ": " << result.error();
      EXPECT_TRUE(result->mapped);
      Status legal = checkMapping(model.accelerator(), *nest, result->mapping);
      EXPECT_TRUE(legal.ok())
          << toString(df) << " " << text << ": " << legal.error();
      LayerCost again = model.evaluate(*nest, result->mapping);
      EXPECT_EQ(again.cycles, result->cost.cycles);
      EXPECT_DOUBLE_EQ(again.energy_mj, result->cost.energy_mj);
      EXPECT_EQ(result->cost.macs, layer.macs());
      EXPECT_GT(result->cost.utilization, 0.0);
      EXPECT_LE(result->cost.utilization, 1.0);
    }
  }
}

TEST(Mapper, Deterministic) {
  CostModel model = modelOf(Dataflow::OS);
  Layer layer = layerOf("conv k=144 c=24 r=1 s=1 p=56 q=56");
  auto a = mapLayer(model, layer, Objective::EDP);
  auto b = mapLayer(model, layer, Objective::EDP);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->mapping, b->mapping);
  EXPECT_EQ(a->evaluations, b->evaluations);
}

TEST(Mapper, ObjectivesPullTheirWay) {
  for (Dataflow df : kDataflows) {
    CostModel model = modelOf(df);
    Layer layer = layerOf("conv k=64 c=64 r=3 s=3 p=28 q=28 pad=1");
    auto latency = mapLayer(model, layer, Objective::Latency);
    auto energy = mapLayer(model, layer, Objective::Energy);
    auto edp = mapLayer(model, layer, Objective::EDP);
    ASSERT_TRUE(latency.ok() && energy.ok() && edp.ok());
    EXPECT_LE(latency->cost.cycles, energy->cost.cycles);
    EXPECT_LE(latency->cost.cycles, edp->cost.cycles);
    EXPECT_LE(energy->cost.energy_mj, latency->cost.energy_mj);
    EXPECT_LE(energy->cost.energy_mj, edp->cost.energy_mj);
  }
}

// The search lands within 1% of the brute-force optimum of the mapspace on
// small layers (the benchmark checks a larger set).
TEST(Mapper, NearExhaustiveOptimum) {
  const char *layers[] = {"conv k=16 c=8 r=3 s=3 p=8 q=8 pad=1",
                          "conv k=12 c=12 groups=12 r=3 s=3 p=8 q=8 pad=1",
                          "fc n=4 k=24 c=32", "conv k=7 c=5 r=3 s=3 p=7 q=7"};
  for (Dataflow df : kDataflows) {
    Accelerator a;
    a.dataflow = df;
    a.pe_rows = a.pe_cols = 4;
    a.rf_bytes = 64;
    a.glb_kib = 4;
    a.dram_bw_bytes_per_cycle = 4;
    CostModel model(a, Technology::builtin45nm());
    for (const char *text : layers) {
      auto nest = makeLoopNest(layerOf(text));
      for (Objective o : kObjectives) {
        MapperOptions options;
        options.objective = o;
        auto mapped = mapLoopNest(model, *nest, options);
        auto best = exhaustiveSearch(model, *nest, o);
        ASSERT_TRUE(mapped.ok() && best.ok());
        EXPECT_LE(score(mapped->cost, o), score(best->cost, o) * 1.01)
            << toString(df) << " " << text << " " << toString(o);
        EXPECT_GE(score(mapped->cost, o), score(best->cost, o));
      }
    }
  }
}

// No mapping in the mapspace beats the mapper by much: random samples of
// legal mappings are all worse or within the mapper's 1%.
TEST(Mapper, BeatsRandomMappings) {
  CostModel model = modelOf(Dataflow::WS);
  Layer layer = layerOf("conv k=64 c=32 r=3 s=3 p=28 q=28 pad=1");
  auto nest = makeLoopNest(layer);
  auto mapped = mapLayer(model, layer, Objective::EDP);
  ASSERT_TRUE(mapped.ok());
  std::mt19937_64 rng(1);
  std::vector<SpatialChoice> spatial =
      spatialChoices(model.accelerator(), *nest);
  int legal = 0;
  for (int i = 0; i < 2000; ++i) {
    const SpatialChoice &s = spatial[rng() % spatial.size()];
    PerDim<TemporalChoice> pick;
    for (int d = 0; d < kNumDims; ++d) {
      auto choices = temporalChoices(model.accelerator(), *nest, Dim(d),
                                     s.rows[d] * s.cols[d]);
      pick[d] = choices[rng() % choices.size()];
    }
    const auto &orders = candidateOrders();
    Mapping m = assemble(s, pick, orders[rng() % 3], orders[rng() % 3],
                         rfOrder(Dataflow::WS));
    if (!checkMapping(model.accelerator(), *nest, m).ok())
      continue;
    ++legal;
    LayerCost c = model.evaluate(*nest, m);
    EXPECT_GE(score(c, Objective::EDP) * 1.01,
              score(mapped->cost, Objective::EDP))
        << toString(m);
  }
  EXPECT_GT(legal, 100);
}

TEST(Mapper, StreamingLayers) {
  CostModel model = modelOf(Dataflow::WS);
  auto pool = mapLayer(model, layerOf("pool c=64 r=3 s=3 p=28 q=28 stride=2 "
                                      "pad=1"));
  ASSERT_TRUE(pool.ok());
  EXPECT_FALSE(pool->mapped);
  EXPECT_EQ(pool->cost.macs, 0);
  EXPECT_GT(pool->cost.cycles, 0);
}

TEST(Mapper, ErrorsAreValues) {
  Accelerator tiny;
  tiny.glb_kib = 1;
  tiny.pe_rows = tiny.pe_cols = 64; // one block of 64 x 64 PEs overflows 1 KiB
  CostModel model(tiny, Technology::builtin45nm());
  auto r = mapLayer(model, layerOf("conv k=4096 c=4096 r=3 s=3 p=3 q=3"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("no mapping fits"), std::string::npos) << r.error();

  Accelerator bad;
  bad.technology = "3nm";
  auto r2 = mapLayer(bad, layerOf("fc k=10 c=10"));
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.error().find("unknown built-in technology '3nm'"),
            std::string::npos);
}

TEST(Mapper, NetworkCachesIdenticalShapes) {
  CostModel model = modelOf(Dataflow::WS);
  std::vector<Layer> layers = {
      layerOf("conv name=a k=32 c=32 r=3 s=3 p=14 q=14 pad=1"),
      layerOf("conv name=b k=32 c=32 r=3 s=3 p=14 q=14 pad=1"),
      layerOf("pool name=p c=32 r=2 s=2 p=7 q=7 stride=2"),
      layerOf("fc name=fc k=10 c=1568")};
  NetworkMapper mapper(model);
  auto results = mapper.map(layers);
  ASSERT_TRUE(results.ok()) << results.error();
  ASSERT_EQ(results->size(), 4u);
  EXPECT_EQ(mapper.cacheHits(), 1);
  EXPECT_EQ(mapper.cacheSize(), 3u);
  EXPECT_EQ((*results)[0].mapping, (*results)[1].mapping);
  EXPECT_FALSE((*results)[2].mapped);
  auto single = mapLayer(model, layers[3]);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->mapping, (*results)[3].mapping);
  auto viaFunction = mapNetwork(model, layers);
  ASSERT_TRUE(viaFunction.ok());
  EXPECT_EQ((*viaFunction)[3].mapping, (*results)[3].mapping);
}
