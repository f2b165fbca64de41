//===- OnnxOps.h - one handler per supported ONNX op ------------*- C++ -*-===//
#ifndef HDX_LIB_IMPORT_ONNXOPS_H
#define HDX_LIB_IMPORT_ONNXOPS_H

#include "NodeContext.h"

namespace hdx::onnx_import {

/// Imports one node; emits a diagnostic and fails on unsupported input.
using OpHandler = mlir::LogicalResult (*)(NodeContext &);

/// The handler for `opType` of the default domain, or null.
OpHandler lookupOpHandler(llvm::StringRef opType);

} // namespace hdx::onnx_import

#endif // HDX_LIB_IMPORT_ONNXOPS_H
