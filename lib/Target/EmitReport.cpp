//===- EmitReport.cpp - the compilation report as JSON --------------------===//
//
// Keys: `accelerator` (the accelerator YAML keys), `totals` (latency_ms,
// cycles, energy_mj, area_mm2, macs, utilization), `constraints` (metric,
// limit, value, met), `memory` and `layers` (one entry per layer in
// execution order, the same entry hdx-map prints).
//
//===----------------------------------------------------------------------===//
#include "hdx/Target/Emitters.h"

#include "hdx/Analysis/LayerCost.h"
#include "hdx/Cost/Json.h"
#include "hdx/Dialect/HDX/HDXCostSpec.h"
#include "hdx/Dialect/HDX/HDXOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;

namespace hdx {

static void writeConstraint(hdx::JsonWriter &json, const char *metric,
                            FloatAttr limit, double value) {
  if (!limit)
    return;
  json.beginObject();
  json.field("metric", metric);
  json.field("limit", limit.getValueAsDouble());
  json.field("value", value);
  json.field("met", value <= limit.getValueAsDouble());
  json.endObject();
}

LogicalResult emitReport(ModuleOp module, raw_ostream &os) {
  FailureOr<cost::CostModel> model = getCostModel(module);
  if (failed(model))
    return failure();
  SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
  if (funcs.size() != 1)
    return module.emitError() << "expected one network function, found "
                              << funcs.size();
  func::FuncOp func = funcs.front();
  auto total = func->getAttrOfType<CostAttr>(HDXDialect::getTotalCostAttrName());
  auto memory = func->getAttrOfType<MemoryAttr>(HDXDialect::getMemoryAttrName());
  if (!total || !memory)
    return func.emitError()
           << "the network is not compiled (run --hdx-compile first)";
  double area = model->area_mm2();
  double latency = total.getLatencyMs().getValueAsDouble();
  double energy = total.getEnergyMj().getValueAsDouble();

  hdx::JsonWriter json;
  json.beginObject();
  json.field("network", func.getSymName().str());
  json.key("accelerator");
  cost::writeAccelerator(json, model->accelerator());

  json.key("totals");
  json.beginObject();
  json.field("latency_ms", latency);
  json.field("cycles", total.getCycles());
  json.field("energy_mj", energy);
  json.field("area_mm2", area);
  json.field("macs", total.getMacs());
  json.field("utilization", total.getUtilization().getValueAsDouble());
  json.endObject();

  json.key("constraints");
  json.beginArray();
  if (auto limits = module->getAttrOfType<ConstraintsAttr>(
          HDXDialect::getConstraintsAttrName())) {
    writeConstraint(json, "latency_ms", limits.getLatencyMs(), latency);
    writeConstraint(json, "energy_mj", limits.getEnergyMj(), energy);
    writeConstraint(json, "area_mm2", limits.getAreaMm2(), area);
  }
  json.endArray();

  json.key("memory");
  json.beginObject();
  json.field("weights_bytes", memory.getWeightsBytes());
  json.field("activations_bytes", memory.getActivationsBytes());
  json.field("peak_glb_bytes", memory.getPeakGlbBytes());
  json.endObject();

  // Each layer evaluated again with the same model and mapping: the same
  // numbers as its cost attribute, with the per-level breakdown.
  json.key("layers");
  json.beginArray();
  WalkResult result = func.walk([&](LayerOpInterface op) {
    FailureOr<LayerEvaluation> layer = evaluateLayer(*model, op);
    if (failed(layer))
      return WalkResult::interrupt();
    cost::writeLayerEntry(json, layer->layer,
                          layer->mapping ? &*layer->mapping : nullptr,
                          layer->cost);
    return WalkResult::advance();
  });
  if (result.wasInterrupted())
    return failure();
  json.endArray();
  json.endObject();
  os << json.str() << "\n";
  return success();
}

} // namespace hdx
