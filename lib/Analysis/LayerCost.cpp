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

FailureOr<LayerEvaluation> evaluateLayer(const cost::CostModel &model,
                                         LayerOpInterface op) {
  auto arrayLayer = dyn_cast<ArrayLayerOpInterface>(*op);
  MappingAttr mappingAttr = arrayLayer ? arrayLayer.getLayerMapping() : nullptr;
  if (arrayLayer && !mappingAttr)
    return op->emitError()
           << "layer has no mapping (run --hdx-map-layers first)";
  LayerEvaluation result;
  result.layer = op.getCostLayer();
  if (mappingAttr)
    result.mapping = toCostMapping(mappingAttr);
  hdx::Expected<cost::LayerCost> evaluated =
      result.mapping ? model.evaluate(result.layer, *result.mapping)
                     : model.evaluateStreaming(result.layer);
  if (!evaluated)
    return op->emitError() << (result.mapping ? "illegal mapping: " : "")
                           << evaluated.error();
  result.cost = *evaluated;
  return result;
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
