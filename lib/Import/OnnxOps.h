//===- OnnxOps.h - one handler per supported ONNX op ------------*- C++ -*-===//
//
// The handlers are local to their files; each file has its part of the
// table.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_LIB_IMPORT_ONNXOPS_H
#define HDX_LIB_IMPORT_ONNXOPS_H

#include "NodeContext.h"

namespace hdx::onnx_import {

/// Imports one node; emits a diagnostic and fails on unsupported input.
using OpHandler = mlir::LogicalResult (*)(NodeContext &);

/// The handler for `opType` if it moves data or computes shapes
/// (OnnxShapeOps.cpp), or null.
OpHandler lookupShapeOpHandler(llvm::StringRef opType);

/// The handler for `opType` of the default domain (OnnxOps.cpp), or null.
OpHandler lookupOpHandler(llvm::StringRef opType);

} // namespace hdx::onnx_import

#endif // HDX_LIB_IMPORT_ONNXOPS_H
