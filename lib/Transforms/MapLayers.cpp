//===- MapLayers.cpp - map every compute layer onto the accelerator -------===//
#include "PassDetail.h"

#include "hdx/Analysis/LayerCost.h"
#include "hdx/Dialect/HDX/HDXCostSpec.h"
#include "hdx/Dialect/HDX/HDXOps.h"
#include "hdx/Mapper/Mapper.h"

namespace hdx {
#define GEN_PASS_DEF_MAPLAYERS
#include "hdx/Transforms/Passes.h.inc"
} // namespace hdx

using namespace mlir;
using namespace hdx;

namespace {

struct MapLayersPass : hdx::impl::MapLayersBase<MapLayersPass> {
  using MapLayersBase::MapLayersBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    mapper::MapperOptions options;
    if (!mapper::parseObjective(objective, options.objective)) {
      module.emitError() << "unknown mapping objective '" << objective
                         << "' (expected latency, energy or edp)";
      return signalPassFailure();
    }
    FailureOr<cost::CostModel> model = getCostModel(module);
    if (failed(model))
      return signalPassFailure();

    // One mapper for the module: identical shapes are searched once.
    mapper::NetworkMapper networkMapper(*model, options);
    WalkResult result = module.walk([&](ArrayLayerOpInterface op) {
      hdx::Expected<mapper::MapResult> mapped =
          networkMapper.map(op.getCostLayer());
      if (!mapped) {
        op->emitError() << "cannot map the layer onto accelerator @"
                        << model->accelerator().name << ": " << mapped.error();
        return WalkResult::interrupt();
      }
      op.setLayerMapping(getMappingAttr(&getContext(), mapped->mapping));
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
