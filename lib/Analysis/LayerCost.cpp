//===- LayerCost.cpp - what the cost model says about hdx IR --------------===//
#include "hdx/Analysis/LayerCost.h"

#include "hdx/Dialect/HDX/HDXCostSpec.h"

using namespace mlir;

namespace hdx {

FailureOr<cost::CostModel> getCostModel(AcceleratorOp accelerator) {
  hdx::Expected<cost::CostModel> model = cost::CostModel::create(
      toCostAccelerator(accelerator.getConfig(), accelerator.getSymName()));
  if (!model)
    return accelerator.emitError() << model.error();
  return *model;
}

FailureOr<cost::CostModel> getCostModel(ModuleOp module) {
  FailureOr<AcceleratorOp> accelerator = getUniqueAccelerator(module);
  if (failed(accelerator))
    return failure();
  return getCostModel(*accelerator);
}

FailureOr<cost::LayerCost> evaluateLayer(const cost::CostModel &model,
                                         LayerOpInterface op) {
  auto arrayLayer = dyn_cast<ArrayLayerOpInterface>(*op);
  MappingAttr mapping = arrayLayer ? arrayLayer.getLayerMapping() : nullptr;
  if (arrayLayer && !mapping)
    return op->emitError()
           << "layer has no mapping (run --hdx-map-layers first)";
  hdx::Expected<cost::LayerCost> evaluated =
      mapping ? model.evaluate(op.getCostLayer(), toCostMapping(mapping))
              : model.evaluateStreaming(op.getCostLayer());
  if (!evaluated)
    return op->emitError() << (mapping ? "illegal mapping: " : "")
                           << evaluated.error();
  return *evaluated;
}

LogicalResult verifyMappedLayers(ModuleOp module,
                                 const cost::CostModel &model) {
  WalkResult result = module.walk([&](ArrayLayerOpInterface op) {
    return failed(evaluateLayer(model, cast<LayerOpInterface>(*op)))
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

} // namespace hdx
