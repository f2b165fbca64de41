//===- ModelCheck.h - Validating an ONNX model ------------------*- C++ -*-===//
//
// Runs libonnx's `onnx::checker::check_model` where libonnx knows the model's
// opsets and IR version, and a structural check in every case: names in
// single static assignment, nodes in topological order, every graph output
// produced. libonnx's operator schemas end at some opset (17 for libonnx
// 1.12); a model with a newer opset cannot be verified against schemas that
// may have changed since (ReduceMean took its axes as an input in opset 18),
// so it gets the structural check plus libonnx's per-tensor, per-value and
// per-attribute checks only.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_ONNX_MODELCHECK_H
#define HDX_ONNX_MODELCHECK_H

#include "hdx/Support/Expected.h"

#include <cstdint>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace hdx::onnxlib {

enum class CheckLevel {
  /// libonnx's checker with operator schemas, plus the structural check.
  Full,
  /// The structural check and libonnx's schema-free checks.
  Structural,
};

/// The newest opset of the default ("" / "ai.onnx") domain that libonnx has
/// operator schemas for.
int64_t newestKnownOpset();

/// The IR version of the ONNX release that introduced `opset` (7 for opset
/// 13, 8 for opsets 15 to 18, ...), or 0 when this library does not know it.
int64_t irVersionForOpset(int64_t opset);

/// The level `checkModel` applies to `model`.
CheckLevel checkLevelFor(const onnx::ModelProto &model);

/// Validates `model` at the level `checkLevelFor` gives.
Status checkModel(const onnx::ModelProto &model);

} // namespace hdx::onnxlib

#endif // HDX_ONNX_MODELCHECK_H
