//===- Passes.h - lowering hdx to upstream MLIR -----------------*- C++ -*-===//
#ifndef HDX_CONVERSION_PASSES_H
#define HDX_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace hdx {

#define GEN_PASS_DECL
#include "hdx/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hdx/Conversion/Passes.h.inc"

} // namespace hdx

#endif // HDX_CONVERSION_PASSES_H
