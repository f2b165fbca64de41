//===- LowerPipeline.h - hdx to the LLVM dialect ----------------*- C++ -*-===//
//
// `--hdx-lower`: the compiled (or merely imported) network, lowered through
// linalg on tensors (tiled by each layer's mapping), one-shot bufferization
// and the upstream conversions to the LLVM dialect, ready for MLIR's
// ExecutionEngine. Function results become out-parameters so that a caller
// owns every buffer it reads back.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_CONVERSION_LOWERPIPELINE_H
#define HDX_CONVERSION_LOWERPIPELINE_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace hdx {

struct LowerOptions : mlir::PassPipelineOptions<LowerOptions> {
  Option<bool> tile{*this, "tile", llvm::cl::init(true),
                    llvm::cl::desc("Tile mapped layers by their #hdx.mapping "
                                   "(false: every layer untiled)")};
};

/// convert-hdx-to-linalg, one-shot-bufferize, buffer-results-to-out-params,
/// deallocation, linalg to loops, and the conversions to LLVM.
void buildLowerPipeline(mlir::OpPassManager &pm, const LowerOptions &options);

/// Registers `--hdx-lower[="tile=false"]`.
void registerLowerPipeline();

} // namespace hdx

#endif // HDX_CONVERSION_LOWERPIPELINE_H
