//===- Pipeline.cpp - the hdx-compile pipeline ----------------------------===//
#include "hdx/Transforms/Pipeline.h"
#include "PassDetail.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace hdx {

void buildPreparePipeline(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
  pm.addNestedPass<func::FuncOp>(createFoldBiasAdd());
  pm.addNestedPass<func::FuncOp>(createFuseActivations());
  // Drops the weights folding replaced.
  pm.addPass(createCanonicalizerPass());
}

void buildCompilePipeline(OpPassManager &pm, const CompileOptions &options) {
  buildPreparePipeline(pm);
  pm.addPass(createAttachAccelerator({options.accel}));
  pm.addPass(createMapLayers({options.objective}));
  pm.addPass(createEstimateCost());
  pm.addPass(createSchedule());
  pm.addPass(createVerifyConstraints(
      {options.latencyMs, options.energyMj, options.areaMm2}));
}

void registerCompilePipeline() {
  PassPipelineRegistration<CompileOptions>(
      "hdx-compile",
      "Compile a network for an accelerator: fold batch normalization, fuse "
      "activations, attach the accelerator, map every layer, estimate cost, "
      "schedule, and verify the hard constraints",
      buildCompilePipeline);
}

} // namespace hdx
