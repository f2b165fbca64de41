//===- CostBench.cpp - Google Benchmark timings of the cost model ---------===//
#include "Networks.h"

#include "hdx/Mapper/Mapper.h"

#include <benchmark/benchmark.h>

using namespace hdx;
using namespace hdx::cost;
using namespace hdx::mapper;

namespace {

Accelerator array16(Dataflow df) {
  Accelerator a;
  a.dataflow = df;
  return a;
}

struct MappedLayer {
  LoopNest nest;
  Mapping mapping;
};

// MobileNetV2's conv and fc layers with the mapper's mappings, mapped once.
const std::vector<MappedLayer> &mobileNetMappings() {
  static const std::vector<MappedLayer> layers = [] {
    CostModel model(array16(Dataflow::WS), Technology::builtin45nm());
    std::vector<MappedLayer> out;
    NetworkMapper mapper(model);
    for (const Layer &l : hdx::bench::arrayLayers(hdx::bench::mobileNetV2())) {
      auto r = mapper.map(l);
      out.push_back({*makeLoopNest(l), r->mapping});
    }
    return out;
  }();
  return layers;
}

/// Runs `step` on one mapped layer per iteration, cycling through the
/// network.
template <typename Step>
void cycleThroughNetwork(benchmark::State &state, Step step) {
  CostModel model(array16(Dataflow::WS), Technology::builtin45nm());
  const auto &layers = mobileNetMappings();
  size_t i = 0;
  for (auto _ : state) {
    step(model, layers[i]);
    i = i + 1 == layers.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}

// One cost evaluation (layer + mapping).
void BM_Evaluate(benchmark::State &state) {
  cycleThroughNetwork(state, [](const CostModel &model, const MappedLayer &l) {
    benchmark::DoNotOptimize(model.evaluate(l.nest, l.mapping));
  });
}
BENCHMARK(BM_Evaluate);

// The same with the full legality check first.
void BM_CheckAndEvaluate(benchmark::State &state) {
  cycleThroughNetwork(state, [](const CostModel &model, const MappedLayer &l) {
    benchmark::DoNotOptimize(
        checkMapping(model.accelerator(), l.nest, l.mapping));
    benchmark::DoNotOptimize(model.evaluate(l.nest, l.mapping));
  });
}
BENCHMARK(BM_CheckAndEvaluate);

// Mapping one 3x3 convolution (56 x 56, 64 -> 64 channels) per dataflow.
void BM_MapConv3x3(benchmark::State &state) {
  CostModel model(array16(Dataflow(state.range(0))),
                  Technology::builtin45nm());
  Layer layer = *parseLayer("conv k=64 c=64 r=3 s=3 p=56 q=56 pad=1");
  for (auto _ : state)
    benchmark::DoNotOptimize(mapLayer(model, layer));
  state.SetLabel(toString(Dataflow(state.range(0))));
}
BENCHMARK(BM_MapConv3x3)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

// All conv and fc layers of MobileNetV2 on a 16 x 16 array, cache cold.
void BM_MapMobileNetV2(benchmark::State &state) {
  CostModel model(array16(Dataflow(state.range(0))),
                  Technology::builtin45nm());
  std::vector<Layer> layers =
      hdx::bench::arrayLayers(hdx::bench::mobileNetV2());
  for (auto _ : state) {
    NetworkMapper mapper(model);
    benchmark::DoNotOptimize(mapper.map(layers));
  }
  state.SetLabel(toString(Dataflow(state.range(0))));
}
BENCHMARK(BM_MapMobileNetV2)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
