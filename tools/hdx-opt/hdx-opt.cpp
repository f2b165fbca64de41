//===- hdx-opt.cpp - the hdx optimizer driver -----------------------------===//
//
// Parses MLIR containing the hdx dialect, runs passes and pipelines (the hdx
// compilation passes and the generic upstream ones) and prints the result.
// The input is checked before MLIR's parser reads it (hdx/Support/MlirInput.h).
//
//===----------------------------------------------------------------------===//
#include "hdx/Conversion/Registration.h"
#include "hdx/Dialect/HDX/HDXDialect.h"
#include "hdx/Support/MlirInput.h"
#include "hdx/Transforms/Passes.h"
#include "hdx/Transforms/Pipeline.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  hdx::registerHDXPasses();
  hdx::registerCompilePipeline();
  hdx::registerLoweringPasses();

  mlir::DialectRegistry registry;
  registry.insert<hdx::HDXDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
  hdx::registerLoweringDialects(registry);
  auto [input, output] = mlir::registerAndParseCLIOptions(
      argc, argv, "HDX optimizer driver\n", registry);
  std::string error;
  if (!hdx::checkMlirInputFile(input, error)) {
    llvm::errs() << "hdx-opt: " << error << "\n";
    return 1;
  }
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, input, output, registry));
}
