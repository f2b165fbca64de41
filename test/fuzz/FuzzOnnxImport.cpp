//===- FuzzOnnxImport.cpp - libFuzzer target: the ONNX importer -----------===//
//
// Any bytes, read as a binary model or (when they start like one) as ONNX's
// textual syntax, must give a module that verifies or a diagnostic: never a
// crash, a hang or a sanitizer report.
//
//===----------------------------------------------------------------------===//
#include "hdx/Dialect/HDX/HDXDialect.h"
#include "hdx/Import/OnnxImporter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::MLIRContext *context = [] {
    auto *c = new mlir::MLIRContext(mlir::MLIRContext::Threading::DISABLED);
    c->loadDialect<hdx::HDXDialect, mlir::arith::ArithDialect,
                   mlir::func::FuncDialect>();
    // Diagnostics are the expected outcome; keep the output quiet.
    c->getDiagEngine().registerHandler([](mlir::Diagnostic &) {});
    return c;
  }();
  llvm::StringRef contents(reinterpret_cast<const char *>(data), size);
  // The path only names the model; external data resolves beside it, in a
  // folder that does not exist, so no file outside is ever read.
  mlir::OwningOpRef<mlir::ModuleOp> module = hdx::importOnnx(
      contents, "/nonexistent-hdx-fuzz/model.onnx", context);
  if (module && mlir::failed(mlir::verify(*module)))
    std::abort(); // the importer must never hand out invalid IR
  return 0;
}
