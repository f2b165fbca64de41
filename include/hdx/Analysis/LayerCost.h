//===- LayerCost.h - what the cost model says about hdx IR ------*- C++ -*-===//
//
// The one path from the IR to the cost model: the module's accelerator
// becomes a cost model, and each layer op (its LayerOpInterface description
// and, on the PE array, its mapping attribute) is evaluated by it. The
// passes that record costs and the emitters that check them call these, so
// a layer is costed the same way everywhere.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_ANALYSIS_LAYERCOST_H
#define HDX_ANALYSIS_LAYERCOST_H

#include "hdx/Cost/CostModel.h"
#include "hdx/Dialect/HDX/HDXOps.h"

#include <optional>

namespace hdx {

/// The cost model of an accelerator (its technology table resolved); an
/// error at the accelerator when the table cannot be read.
mlir::FailureOr<cost::CostModel> getCostModel(AcceleratorOp accelerator);
/// The cost model of the module's one accelerator.
mlir::FailureOr<cost::CostModel> getCostModel(mlir::ModuleOp module);

/// One layer op as the cost model saw it, and what it costs.
struct LayerEvaluation {
  cost::Layer layer;
  std::optional<cost::Mapping> mapping; // layers on the PE array
  cost::LayerCost cost;
};

/// The cost of one layer op: a layer on the PE array with its recorded
/// mapping, any other layer streamed through the global buffer. An error at
/// the op when an array layer has no mapping or the model rejects it.
mlir::FailureOr<LayerEvaluation> evaluateLayer(const cost::CostModel &model,
                                               LayerOpInterface op);

/// Evaluates every layer on the PE array of `module` with its mapping: an
/// emitter that writes mappings calls this first, so a module edited by
/// hand or produced by another tool with a mapping no accelerator can run
/// (more PEs than the array has, factors that do not multiply to the
/// layer's bounds) is refused, as --emit-report refuses it. The first such
/// layer is an error.
mlir::LogicalResult verifyMappedLayers(mlir::ModuleOp module,
                                       const cost::CostModel &model);

} // namespace hdx

#endif // HDX_ANALYSIS_LAYERCOST_H
