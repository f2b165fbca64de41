//===- Sanity.cpp - Per-layer costs of reference networks -----------------===//
//
//   hdx-cost-sanity [--layers]
//
// Maps MobileNetV2 and ResNet-18 (224 x 224, batch 1) onto a few arrays and
// prints each network's totals per array; with --layers also every layer's
// latency, energy, utilization and what bounds it, as Markdown tables (the
// sanity tables of docs/cost-model.md).
//
//===----------------------------------------------------------------------===//
#include "Networks.h"

#include "hdx/Mapper/Mapper.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace hdx;
using namespace hdx::cost;
using namespace hdx::mapper;

namespace {

struct Array {
  const char *label;
  Accelerator accel;
};

Accelerator make(const char *name, Dataflow df, int64_t rows, int64_t cols,
                 int64_t rfBytes, int64_t glbKib, double dramBw) {
  Accelerator a;
  a.name = name;
  a.dataflow = df;
  a.pe_rows = rows;
  a.pe_cols = cols;
  a.rf_bytes = rfBytes;
  a.glb_kib = glbKib;
  a.dram_bw_bytes_per_cycle = dramBw;
  return a;
}

const char *bound(const LayerCost &c) {
  if (c.cycles == c.compute_cycles)
    return "compute";
  return c.cycles == c.dram_cycles ? "DRAM" : "GLB";
}

std::string spatialText(const Mapping &m) {
  std::string rows, cols;
  for (int d = 0; d < kNumDims; ++d) {
    if (m.spatial_rows[d] > 1)
      rows += std::string(1, dimLetter(Dim(d))) +
              std::to_string(m.spatial_rows[d]);
    if (m.spatial_cols[d] > 1)
      cols += std::string(1, dimLetter(Dim(d))) +
              std::to_string(m.spatial_cols[d]);
  }
  return (rows.empty() ? "-" : rows) + " x " + (cols.empty() ? "-" : cols);
}

} // namespace

int main(int argc, char **argv) {
  bool perLayer = argc > 1 && std::strcmp(argv[1], "--layers") == 0;
  std::vector<Array> arrays = {
      {"16x16 ws", make("ws16", Dataflow::WS, 16, 16, 512, 128, 16)},
      {"16x16 os", make("os16", Dataflow::OS, 16, 16, 512, 128, 16)},
      {"12x14 rs", make("eyeriss", Dataflow::RS, 12, 14, 512, 108, 16)},
      {"32x32 ws", make("ws32", Dataflow::WS, 32, 32, 512, 512, 32)},
  };
  struct Net {
    const char *name;
    std::vector<Layer> layers;
  } nets[] = {{"MobileNetV2", hdx::bench::mobileNetV2()},
              {"ResNet-18", hdx::bench::resNet18()}};

  std::printf("| network | array | area mm2 | latency ms | energy mJ | "
              "MAC utilization | DRAM share of energy |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  std::string details;
  for (const Net &net : nets)
    for (const Array &arr : arrays) {
      CostModel model(arr.accel, Technology::builtin45nm());
      NetworkMapper mapper(model);
      auto results = mapper.map(net.layers);
      if (!results.ok()) {
        std::fprintf(stderr, "%s on %s: %s\n", net.name, arr.label,
                     results.error().c_str());
        return 1;
      }
      double latency = 0, energy = 0, dram = 0;
      int64_t macs = 0, cycles = 0;
      char line[512];
      if (perLayer) {
        std::snprintf(line, sizeof(line),
                      "\n#### %s on %s\n\n| layer | shape | MMACs | spatial "
                      "(rows x cols) | latency ms | energy mJ | util | bound "
                      "|\n|---|---|---|---|---|---|---|---|\n",
                      net.name, arr.label);
        details += line;
      }
      for (size_t i = 0; i < net.layers.size(); ++i) {
        const Layer &l = net.layers[i];
        const MapResult &r = (*results)[i];
        latency += r.cost.latency_ms;
        energy += r.cost.energy_mj;
        dram += r.cost.energy.dram_mj;
        macs += r.cost.macs;
        cycles += r.cost.cycles;
        if (!perLayer)
          continue;
        std::string shape = toString(l);
        shape = shape.substr(shape.find(' ', shape.find("name=")) + 1);
        std::snprintf(line, sizeof(line),
                      "| %s | `%s` | %.2f | %s | %.4f | %.4f | %.2f | %s |\n",
                      l.name.c_str(), shape.c_str(), r.cost.macs / 1e6,
                      r.mapped ? spatialText(r.mapping).c_str() : "stream",
                      r.cost.latency_ms, r.cost.energy_mj, r.cost.utilization,
                      bound(r.cost));
        details += line;
      }
      double util =
          double(macs) / (double(arr.accel.numPEs()) * double(cycles));
      std::printf("| %s | %s | %.2f | %.3f | %.3f | %.2f | %.0f%% |\n",
                  net.name, arr.label, model.area_mm2(), latency, energy, util,
                  100 * dram / energy);
    }
  std::fputs(details.c_str(), stdout);
  return 0;
}
