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
  json.key("dram_order");
  json.value(toString(m.permutation[DRAM]));
  json.key("glb_order");
  json.value(toString(m.permutation[GLB]));
  json.key("rf_order");
  json.value(toString(m.permutation[RF]));
  json.endObject();
}

void writeAccelerator(JsonWriter &json, const Accelerator &a) {
  json.beginObject();
  json.key("name");
  json.value(a.name);
  json.key("pe_rows");
  json.value(a.pe_rows);
  json.key("pe_cols");
  json.value(a.pe_cols);
  json.key("dataflow");
  json.value(toString(a.dataflow));
  json.key("rf_bytes");
  json.value(a.rf_bytes);
  json.key("glb_kib");
  json.value(a.glb_kib);
  json.key("word_bits");
  json.value(a.word_bits);
  json.key("clock_mhz");
  json.value(a.clock_mhz);
  json.key("dram_bw_bytes_per_cycle");
  json.value(a.dram_bw_bytes_per_cycle);
  json.key("technology");
  json.value(a.technology);
  json.endObject();
}

void writeLayerEntry(JsonWriter &json, const Layer &layer,
                     const Mapping *mapping, const LayerCost &cost) {
  json.beginObject();
  json.key("name");
  json.value(layer.name);
  json.key("op");
  json.value(toString(layer.kind));
  json.key("shape");
  json.value(toString(layer));
  json.key("macs");
  json.value(cost.macs);
  json.key("cycles");
  json.value(cost.cycles);
  json.key("latency_ms");
  json.value(cost.latency_ms);
  json.key("energy_mj");
  json.value(cost.energy_mj);
  json.key("utilization");
  json.value(cost.utilization);
  json.key("mapping");
  if (mapping)
    writeMapping(json, *mapping);
  else
    json.null();

  json.key("cycles_breakdown");
  json.beginObject();
  json.key("compute");
  json.value(cost.compute_cycles);
  json.key("dram");
  json.value(cost.dram_cycles);
  json.key("glb");
  json.value(cost.glb_cycles);
  json.endObject();

  json.key("energy_breakdown_mj");
  json.beginObject();
  json.key("mac");
  json.value(cost.energy.mac_mj);
  json.key("rf");
  json.value(cost.energy.rf_mj);
  json.key("noc");
  json.value(cost.energy.noc_mj);
  json.key("glb");
  json.value(cost.energy.glb_mj);
  json.key("dram");
  json.value(cost.energy.dram_mj);
  json.endObject();

  json.key("accesses");
  json.beginObject();
  for (int l = 0; l < kNumLevels; ++l) {
    json.key(levelName(static_cast<Level>(l)));
    json.beginObject();
    for (int t = 0; t < kNumDataTypes; ++t) {
      json.key(dataTypeName(static_cast<DataType>(t)));
      json.beginObject();
      json.key("reads");
      json.value(cost.accesses[l][t].reads);
      json.key("writes");
      json.value(cost.accesses[l][t].writes);
      json.endObject();
    }
    json.endObject();
  }
  json.endObject();
  json.key("noc_words");
  json.value(cost.noc_words);
  json.endObject();
}

std::string layerEntryJson(const Layer &layer, const Mapping *mapping,
                           const LayerCost &cost) {
  JsonWriter json;
  writeLayerEntry(json, layer, mapping, cost);
  return json.str();
}

} // namespace hdx::cost
