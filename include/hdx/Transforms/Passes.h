//===- Passes.h - hdx compilation passes ------------------------*- C++ -*-===//
#ifndef HDX_TRANSFORMS_PASSES_H
#define HDX_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace hdx {

#define GEN_PASS_DECL
#include "hdx/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hdx/Transforms/Passes.h.inc"

} // namespace hdx

#endif // HDX_TRANSFORMS_PASSES_H
