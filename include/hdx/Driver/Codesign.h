//===- Codesign.h - the compiler half of hdx-codesign -----------*- C++ -*-===//
//
// hdx-codesign is a search (hdx/Search/SearchRun.h) followed by this: the
// searched network, exported as ONNX, compiled for the searched accelerator
// under the same hard constraints, its compiled schedule run against the
// trained network, and every compiler file written. hdx-codesign's main is
// the command line, the ranks and the output folder around the two.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_DRIVER_CODESIGN_H
#define HDX_DRIVER_CODESIGN_H

#include "hdx/Search/SearchRun.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <functional>
#include <string>
#include <vector>

namespace hdx::driver {

struct CompiledDesign {
  /// One line: the compiled schedule predicts as the trained network on the
  /// reference images, with the largest logit difference and the JIT time.
  std::string predictionCheck;
  double latency_ms = 0, energy_mj = 0, area_mm2 = 0;
};

/// Compiles the search's outputs in `dir` (its network.onnx and `outcome`)
/// under `limits`: imports the network, declares the searched accelerator,
/// runs --hdx-compile, runs the lowered schedule on the outcome's reference
/// images (it must predict what the trained network predicts, logits within
/// 1e-3 * max |logit| + 1e-5), and writes network.mlir, compiled.mlir and
/// every emitter's file into `dir`. Diagnostics print to stderr and name
/// the files as they will be called in `finalDir`; on failure some files
/// may be written (`dir` is meant to be a staging folder). `stage` names
/// each step as it starts.
mlir::FailureOr<CompiledDesign>
compileSearchedDesign(const std::string &dir, const std::string &finalDir,
                      const search::SearchOutcome &outcome,
                      const search::ConstraintLimits &limits,
                      const std::function<void(const std::string &)> &stage);

/// Checks that `compiled` holds the network the search costed: its layer
/// ops, in order, have the shapes of `searched` (the search's own layer
/// list, search::compiledLayers). An error at the first layer that differs,
/// so a design can never be judged on one network and compiled as another.
/// compileSearchedDesign runs it on every design.
mlir::LogicalResult
checkSearchCostedNetwork(mlir::ModuleOp compiled,
                         const std::vector<cost::Layer> &searched);

/// "latency_ms 0.04 <= 0.05, area_mm2 …" for each limit given ("no limits
/// given" for none); `met` tells whether every limit holds.
std::string constraintVerdict(const search::ConstraintLimits &limits,
                              const CompiledDesign &design, bool &met);

} // namespace hdx::driver

#endif // HDX_DRIVER_CODESIGN_H
