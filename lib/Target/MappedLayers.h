//===- MappedLayers.h - the emitters' shared legality check -----*- C++ -*-===//
//
// An emitter writes what the IR says. A module edited by hand or produced
// by another tool may carry a mapping no accelerator can run (a dimension
// unrolled over more PEs than the array has, factors that do not multiply
// to the layer's bounds); every emitter that writes mappings checks them
// with the cost model first, so it refuses what --emit-report refuses.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_LIB_TARGET_MAPPEDLAYERS_H
#define HDX_LIB_TARGET_MAPPEDLAYERS_H

#include "hdx/Cost/CostModel.h"
#include "mlir/IR/BuiltinOps.h"

namespace hdx {

/// Evaluates every mapped layer of `module` with `model`; the first illegal
/// mapping (or array layer without one) is an error at that layer.
mlir::LogicalResult verifyMappedLayers(mlir::ModuleOp module,
                                       const cost::CostModel &model);

} // namespace hdx

#endif // HDX_LIB_TARGET_MAPPEDLAYERS_H
