//===- Pipeline.h - the hdx-compile pipeline --------------------*- C++ -*-===//
#ifndef HDX_TRANSFORMS_PIPELINE_H
#define HDX_TRANSFORMS_PIPELINE_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace hdx {

struct CompileOptions : mlir::PassPipelineOptions<CompileOptions> {
  Option<std::string> accel{*this, "accel",
                            llvm::cl::desc("Accelerator YAML file (default: "
                                           "the module's hdx.accelerator)")};
  Option<std::string> objective{
      *this, "objective", llvm::cl::init("latency"),
      llvm::cl::desc("Mapper objective: latency, energy or edp")};
  Option<double> latencyMs{*this, "latency-ms", llvm::cl::init(0.0),
                           llvm::cl::desc("Latency limit in ms")};
  Option<double> energyMj{*this, "energy-mj", llvm::cl::init(0.0),
                          llvm::cl::desc("Energy limit in mJ per run of the network")};
  Option<double> areaMm2{*this, "area-mm2", llvm::cl::init(0.0),
                         llvm::cl::desc("Area limit in mm^2")};
};

/// The network as the cost model will see it: fold-batch-norm,
/// fold-bias-add, fuse-activations, canonicalize. The start of
/// buildCompilePipeline; the search derives its cost layers through it.
void buildPreparePipeline(mlir::OpPassManager &pm);

/// buildPreparePipeline, then attach-accelerator,
/// map-layers, estimate-cost, schedule, verify-constraints.
void buildCompilePipeline(mlir::OpPassManager &pm,
                          const CompileOptions &options);

/// Registers `--hdx-compile="accel=... latency-ms=... ..."`.
void registerCompilePipeline();

} // namespace hdx

#endif // HDX_TRANSFORMS_PIPELINE_H
