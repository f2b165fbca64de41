//===- OnnxImporter.h - ONNX to the hdx dialect -----------------*- C++ -*-===//
//
// Imports an ONNX model (binary protobuf or ONNX's textual syntax) into a
// module holding one func.func of hdx network operations with static shapes.
// Node names become the operations' locations; initializers become
// arith.constant weights. Errors are reported as MLIR diagnostics naming the
// file, the node and its op type; nothing here throws.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_IMPORT_ONNXIMPORTER_H
#define HDX_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace hdx {

struct OnnxImportOptions {
  /// Size given to a symbolic or unknown leading (batch) dimension of a graph
  /// input. Any other symbolic dimension is an error.
  int64_t batchSize = 1;
};

/// Imports `contents`, the bytes of the model file at `path`. The path names
/// the model in diagnostics and locates external-data files, which are read
/// only from the model's directory.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnx(llvm::StringRef contents, llvm::StringRef path,
           mlir::MLIRContext *context, const OnnxImportOptions &options = {});

/// Reads the file at `path` and imports it.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxFile(llvm::StringRef path, mlir::MLIRContext *context,
               const OnnxImportOptions &options = {});

/// Registers `--import-onnx` with mlir-translate-style drivers.
void registerOnnxImportTranslation();

} // namespace hdx

#endif // HDX_IMPORT_ONNXIMPORTER_H
