//===- OnnxOpHelpers.h - what the ONNX op handlers share ------*- C++ -*-===//
//
// Small helpers of the op handlers (OnnxOps.cpp for layers and arithmetic,
// OnnxShapeOps.cpp for data movement and import-time shape computation):
// building hdx ops from a node, reading axes, checking inputs.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_LIB_IMPORT_ONNXOPHELPERS_H
#define HDX_LIB_IMPORT_ONNXOPHELPERS_H

#include "HostTensor.h"
#include "NodeContext.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <numeric>
#include <optional>

namespace hdx::onnx_import {

inline mlir::RankedTensorType f32Tensor(mlir::MLIRContext *context,
                                        mlir::ArrayRef<int64_t> shape) {
  return mlir::RankedTensorType::get(shape, mlir::Float32Type::get(context));
}

/// Creates an hdx op through the generic builder with named attributes.
template <typename OpT>
mlir::Value build(NodeContext &ctx, mlir::ArrayRef<int64_t> resultShape,
                  mlir::ValueRange operands,
                  mlir::ArrayRef<mlir::NamedAttribute> attributes = {}) {
  mlir::OpBuilder &b = ctx.getBuilder();
  return b
      .create<OpT>(ctx.getLoc(),
                   mlir::TypeRange{f32Tensor(ctx.getContext(), resultShape)},
                   operands, attributes)
      ->getResult(0);
}

inline mlir::NamedAttribute named(NodeContext &ctx, mlir::StringRef name,
                                  mlir::Attribute value) {
  return ctx.getBuilder().getNamedAttr(name, value);
}

inline mlir::DenseI64ArrayAttr i64Array(NodeContext &ctx,
                                        mlir::ArrayRef<int64_t> values) {
  return ctx.getBuilder().getDenseI64ArrayAttr(values);
}

/// Normalizes a possibly negative axis; emits an error when out of range.
inline std::optional<int64_t> normalizeAxis(NodeContext &ctx, int64_t axis,
                                            int64_t rank) {
  if (axis < -rank || axis >= rank) {
    ctx.emitError() << "axis " << axis << " is out of range for rank " << rank;
    return std::nullopt;
  }
  return axis < 0 ? axis + rank : axis;
}

inline int64_t product(mlir::ArrayRef<int64_t> values) {
  return std::accumulate(values.begin(), values.end(), int64_t{1},
                         std::multiplies<int64_t>());
}

/// Checks input `i` is a run-time tensor of the given rank.
inline mlir::LogicalResult expectRank(NodeContext &ctx, size_t i, int64_t rank,
                                      mlir::StringRef what) {
  if (static_cast<int64_t>(ctx.getShape(i).size()) != rank)
    return ctx.emitError() << what << " must have rank " << rank << ", got "
                           << ctx.getShape(i).size();
  return mlir::success();
}

inline mlir::LogicalResult expectInputs(NodeContext &ctx, size_t min) {
  for (size_t i = 0; i < min; ++i)
    if (!ctx.hasInput(i))
      return ctx.emitError() << "expects at least " << min << " inputs";
  for (size_t i = 0; i < ctx.getNumInputs(); ++i)
    if (ctx.hasInput(i) && !ctx.getConstant(i) && !ctx.getTensor(i))
      return mlir::failure();
  return mlir::success();
}

inline mlir::LogicalResult onlyFirstOutputUsed(NodeContext &ctx) {
  for (size_t i = 1; i < ctx.getNumOutputs(); ++i)
    if (ctx.isOutputUsed(i))
      return ctx.emitError()
             << "output " << i << " is used, but only output 0 is supported";
  return mlir::success();
}

/// Materializes a constant operand of an element-wise op as f32 so that it
/// can meet an activation.
inline mlir::Value floatOperand(NodeContext &ctx, size_t i) {
  mlir::DenseElementsAttr constant = ctx.getConstant(i);
  if (constant && !constant.getElementType().isF32()) {
    HostTensor<float> t = HostTensor<float>::fromAttr(constant);
    return ctx.getBuilder().create<mlir::arith::ConstantOp>(
        ctx.getLoc(), t.toAttr(ctx.getContext()));
  }
  return ctx.getTensor(i);
}

} // namespace hdx::onnx_import

#endif // HDX_LIB_IMPORT_ONNXOPHELPERS_H
