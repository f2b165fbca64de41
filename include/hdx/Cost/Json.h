//===- Json.h - The cost model's objects as JSON ----------------*- C++ -*-===//
//
// Mappings, accelerators and the per-layer entry, written with the shared
// JsonWriter (hdx/Support/Json.h). The per-layer JSON entry is shared by hdx-map and the report: `name`, `op`,
// `macs`, `cycles`, `latency_ms`, `energy_mj`, `utilization`, `mapping`,
// plus per-level access counts and the cycle/energy breakdowns.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_COST_JSON_H
#define HDX_COST_JSON_H

#include "hdx/Cost/CostModel.h"
#include "hdx/Cost/Layer.h"
#include "hdx/Cost/Mapping.h"
#include "hdx/Support/Json.h"

#include <string>

namespace hdx::cost {

/// The mapping as {"dram": [...], "glb", "rf", "rows", "cols",
/// "dram_order", "glb_order", "rf_order"}: the fields of #hdx.mapping.
void writeMapping(JsonWriter &json, const Mapping &mapping);
/// The accelerator as an object with the accelerator YAML's keys.
void writeAccelerator(JsonWriter &json, const Accelerator &accel);
/// One entry of a report's `layers`; `mapping` is null for layers that do
/// not run as a loop nest (pool, eltwise).
void writeLayerEntry(JsonWriter &json, const Layer &layer,
                     const Mapping *mapping, const LayerCost &cost);
std::string layerEntryJson(const Layer &layer, const Mapping *mapping,
                           const LayerCost &cost);

} // namespace hdx::cost

#endif // HDX_COST_JSON_H
