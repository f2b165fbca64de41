//===- Passes.h - hdx compilation passes ------------------------*- C++ -*-===//
#ifndef HDX_TRANSFORMS_PASSES_H
#define HDX_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

#include "HDX/HDXDialect.h"

namespace hdx {

#define GEN_PASS_DECL
#include "hdx/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hdx/Transforms/Passes.h.inc"

} // namespace hdx

#endif // HDX_TRANSFORMS_PASSES_H
