//===- MappedLayers.cpp - the emitters' shared legality check ------------===//
#include "MappedLayers.h"

#include "hdx/Dialect/HDX/HDXCostModel.h"
#include "hdx/Dialect/HDX/HDXOps.h"

using namespace mlir;

namespace hdx {

LogicalResult verifyMappedLayers(ModuleOp module, const cost::CostModel &model) {
  WalkResult result = module.walk([&](ArrayLayerOpInterface op) {
    MappingAttr mapping = op.getLayerMapping();
    if (!mapping) {
      op->emitError() << "layer has no mapping";
      return WalkResult::interrupt();
    }
    cost::Expected<cost::LayerCost> cost =
        model.evaluate(op.getCostLayer(), toCostMapping(mapping));
    if (!cost) {
      op->emitError() << "illegal mapping: " << cost.error();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

} // namespace hdx
