//===- hdx-opt.cpp - the hdx optimizer driver -----------------------------===//
//
// Parses MLIR containing the hdx dialect, runs passes and pipelines (the hdx
// compilation passes and the generic upstream ones) and prints the result.
//
//===----------------------------------------------------------------------===//
#include "HDX/HDXDialect.h"
#include "hdx/Transforms/Passes.h"
#include "hdx/Transforms/Pipeline.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  hdx::registerHDXPasses();
  hdx::registerCompilePipeline();

  mlir::DialectRegistry registry;
  registry.insert<hdx::HDXDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "HDX optimizer driver\n", registry));
}
