//===- HDXOps.h - hdx operations --------------------------------*- C++ -*-===//
#ifndef HDX_HDXOPS_H
#define HDX_HDXOPS_H

#include "hdx/Dialect/HDX/HDXAttributes.h"
#include "hdx/Dialect/HDX/HDXDialect.h"
#include "hdx/Dialect/HDX/HDXInterfaces.h"
#include "hdx/Support/WindowSize.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "hdx/Dialect/HDX/HDXOps.h.inc"

namespace hdx {

/// The module's one accelerator; an error when it declares none or several.
mlir::FailureOr<AcceleratorOp> getUniqueAccelerator(mlir::ModuleOp module);

/// The name of the layer at `loc`: the first name in it (the ONNX node name
/// for imported networks), or an empty string.
std::string getLayerName(mlir::Location loc);

} // namespace hdx

#endif // HDX_HDXOPS_H
