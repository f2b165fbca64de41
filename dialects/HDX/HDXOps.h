//===- HDXOps.h - hdx operations --------------------------------*- C++ -*-===//
#ifndef HDX_HDXOPS_H
#define HDX_HDXOPS_H

#include "HDX/HDXAttributes.h"
#include "HDX/HDXDialect.h"
#include "HDX/HDXInterfaces.h"
#include "hdx/Support/WindowSize.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "HDX/HDXOps.h.inc"

#endif // HDX_HDXOPS_H
