//===- PassDetail.h - what the pass definitions need ------------*- C++ -*-===//
//
// The generated pass classes name the dialects they depend on (hdx, func,
// arith); the public Passes.h declares only the passes, so the dialect
// headers are included here, below it in the layering.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_TRANSFORMS_PASSDETAIL_H
#define HDX_TRANSFORMS_PASSDETAIL_H

#include "hdx/Dialect/HDX/HDXDialect.h"
#include "hdx/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

#endif // HDX_TRANSFORMS_PASSDETAIL_H
