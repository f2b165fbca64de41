//===- Json.cpp - A small JSON writer and the per-layer entry -------------===//
#include "hdx/Cost/Json.h"

#include "hdx/Cost/Accelerator.h"

#include <cmath>
#include <cstdio>

namespace hdx::cost {

void writeMapping(JsonWriter &json, const Mapping &m) {
  json.beginObject();
  json.key("dram");
  json.inlineArray(m.factors[DRAM].data(), kNumDims);
  json.key("glb");
  json.inlineArray(m.factors[GLB].data(), kNumDims);
  json.key("rf");
  json.inlineArray(m.factors[RF].data(), kNumDims);
  json.key("rows");
  json.inlineArray(m.spatial_rows.data(), kNumDims);
  json.key("cols");
  json.inlineArray(m.spatial_cols.data(), kNumDims);
  json.field("dram_order", toString(m.permutation[DRAM]));
  json.field("glb_order", toString(m.permutation[GLB]));
  json.field("rf_order", toString(m.permutation[RF]));
  json.endObject();
}

void writeAccelerator(JsonWriter &json, const Accelerator &a) {
  json.beginObject();
  json.field("name", a.name);
  json.field("pe_rows", a.pe_rows);
  json.field("pe_cols", a.pe_cols);
  json.field("dataflow", toString(a.dataflow));
  json.field("rf_bytes", a.rf_bytes);
  json.field("glb_kib", a.glb_kib);
  json.field("word_bits", a.word_bits);
  json.field("clock_mhz", a.clock_mhz);
  json.field("dram_bw_bytes_per_cycle", a.dram_bw_bytes_per_cycle);
  json.field("technology", a.technology);
  json.endObject();
}

void writeLayerEntry(JsonWriter &json, const Layer &layer,
                     const Mapping *mapping, const LayerCost &cost) {
  json.beginObject();
  json.field("name", layer.name);
  json.field("op", toString(layer.kind));
  json.field("shape", toString(layer));
  json.field("macs", cost.macs);
  json.field("cycles", cost.cycles);
  json.field("latency_ms", cost.latency_ms);
  json.field("energy_mj", cost.energy_mj);
  json.field("utilization", cost.utilization);
  json.key("mapping");
  if (mapping)
    writeMapping(json, *mapping);
  else
    json.null();

  json.key("cycles_breakdown");
  json.beginObject();
  json.field("compute", cost.compute_cycles);
  json.field("dram", cost.dram_cycles);
  json.field("glb", cost.glb_cycles);
  json.endObject();

  json.key("energy_breakdown_mj");
  json.beginObject();
  json.field("mac", cost.energy.mac_mj);
  json.field("rf", cost.energy.rf_mj);
  json.field("noc", cost.energy.noc_mj);
  json.field("glb", cost.energy.glb_mj);
  json.field("dram", cost.energy.dram_mj);
  json.endObject();

  json.key("accesses");
  json.beginObject();
  for (int l = 0; l < kNumLevels; ++l) {
    json.key(levelName(static_cast<Level>(l)));
    json.beginObject();
    for (int t = 0; t < kNumDataTypes; ++t) {
      json.key(dataTypeName(static_cast<DataType>(t)));
      json.beginObject();
      json.field("reads", cost.accesses[l][t].reads);
      json.field("writes", cost.accesses[l][t].writes);
      json.endObject();
    }
    json.endObject();
  }
  json.endObject();
  json.field("noc_words", cost.noc_words);
  json.endObject();
}

std::string layerEntryJson(const Layer &layer, const Mapping *mapping,
                           const LayerCost &cost) {
  JsonWriter json;
  writeLayerEntry(json, layer, mapping, cost);
  return json.str();
}

} // namespace hdx::cost
