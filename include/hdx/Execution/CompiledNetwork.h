//===- CompiledNetwork.h - a network lowered and JIT-compiled ---*- C++ -*-===//
//
// Runs a module's network on the host: `--hdx-lower` (mapped layers tiled by
// their mapping) and MLIR's ExecutionEngine. The module must define exactly
// one public function whose arguments and results are static f32 tensors.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_EXECUTION_COMPILEDNETWORK_H
#define HDX_EXECUTION_COMPILEDNETWORK_H

#include "hdx/Onnx/ModelFile.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;
class ModuleOp;
} // namespace mlir

namespace hdx::exec {

class CompiledNetwork {
public:
  /// Lowers `module` in place and JIT-compiles it. With `tile` false every
  /// layer runs untiled. Lowering errors are also reported as diagnostics
  /// on the module's context.
  static llvm::Expected<std::unique_ptr<CompiledNetwork>>
  compile(mlir::ModuleOp module, bool tile);
  ~CompiledNetwork();

  const std::string &functionName() const { return function; }
  const std::vector<std::vector<int64_t>> &inputShapes() const {
    return inputs;
  }
  const std::vector<std::vector<int64_t>> &outputShapes() const {
    return outputs;
  }
  /// Seconds spent lowering to the LLVM dialect and in LLVM's JIT.
  double lowerSeconds() const { return lowerTime; }
  double jitSeconds() const { return jitTime; }

  /// Runs the network once. Inputs must match inputShapes() in count and
  /// shape; the error names the input that does not.
  llvm::Expected<std::vector<onnxlib::FloatTensor>>
  run(const std::vector<onnxlib::FloatTensor> &args);

private:
  CompiledNetwork() = default;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  std::string function;
  std::vector<std::vector<int64_t>> inputs, outputs;
  double lowerTime = 0, jitTime = 0;
};

} // namespace hdx::exec

#endif // HDX_EXECUTION_COMPILEDNETWORK_H
