//===- OnnxOps.cpp - layer handlers and the op table ----------------------===//
//
// The handlers of the ONNX ops that become layers (convolutions, matrix
// products, activations, normalisation, pooling, element-wise arithmetic)
// and the table of every handler (OnnxShapeOps.cpp holds data movement and
// shape computation). Each handler checks the node's attributes against
// what the hdx dialect represents and either builds hdx operations or, when
// every input is known at import time, folds the node into a constant.
// Opset differences (an attribute that became an input) are handled where
// they occur.
//
//===----------------------------------------------------------------------===//
#include "OnnxOps.h"
#include "OnnxOpHelpers.h"

#include "hdx/Dialect/HDX/HDXOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Traits.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>
#include <limits>
#include <numeric>

using namespace mlir;
using namespace hdx;

namespace hdx::onnx_import {

//===----------------------------------------------------------------------===//
// Window attributes
//===----------------------------------------------------------------------===//

/// Window attributes (pads, strides, dilations, kernel sizes) are at most
/// this, so that the output-size arithmetic stays far inside int64.
static constexpr int64_t kMaxWindowValue = (int64_t{1} << 31) - 1;

/// Resolves auto_pad and explicit pads into [top, left, bottom, right].
static std::optional<SmallVector<int64_t>>
resolvePads(NodeContext &ctx, ArrayRef<int64_t> inputHW,
            ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
            ArrayRef<int64_t> dilations) {
  std::string autoPad = ctx.getString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    SmallVector<int64_t> pads = ctx.getInts("pads").value_or(
        SmallVector<int64_t>{0, 0, 0, 0});
    if (pads.size() != 4 || llvm::any_of(pads, [](int64_t p) {
          return p < 0 || p > kMaxWindowValue;
        })) {
      ctx.emitError() << "pads must be 4 values in [0, " << kMaxWindowValue
                      << "] for a 2-D window";
      return std::nullopt;
    }
    return pads;
  }
  if (autoPad == "VALID")
    return SmallVector<int64_t>{0, 0, 0, 0};
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER") {
    ctx.emitError() << "unknown auto_pad '" << autoPad << "'";
    return std::nullopt;
  }
  // SAME: output = ceil(input / stride); the odd padding goes to the end
  // (UPPER) or the beginning (LOWER).
  SmallVector<int64_t> pads(4, 0);
  for (int axis = 0; axis < 2; ++axis) {
    int64_t out = (inputHW[axis] + strides[axis] - 1) / strides[axis];
    int64_t total = std::max<int64_t>(
        0, (out - 1) * strides[axis] + (kernel[axis] - 1) * dilations[axis] +
               1 - inputHW[axis]);
    int64_t small = total / 2, large = total - small;
    pads[axis] = autoPad == "SAME_UPPER" ? small : large;
    pads[axis + 2] = autoPad == "SAME_UPPER" ? large : small;
  }
  return pads;
}

/// Reads a 2-element window attribute (strides, dilations, kernel_shape).
static std::optional<SmallVector<int64_t>>
pairAttr(NodeContext &ctx, StringRef name, SmallVector<int64_t> defaultValue) {
  SmallVector<int64_t> values = ctx.getInts(name).value_or(defaultValue);
  if (values.size() != 2 || llvm::any_of(values, [](int64_t v) {
        return v < 1 || v > kMaxWindowValue;
      })) {
    ctx.emitError() << name << " must be 2 values in [1, " << kMaxWindowValue
                    << "] for a 2-D window";
    return std::nullopt;
  }
  return values;
}

//===----------------------------------------------------------------------===//
// Compute layers
//===----------------------------------------------------------------------===//

static LogicalResult importConv(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 2)))
    return failure();
  if (ctx.getShape(0).size() != 4)
    return ctx.emitError() << "only 2-D convolutions are supported (input of rank "
                           << ctx.getShape(0).size() << ")";
  if (failed(expectRank(ctx, 1, 4, "weight")))
    return failure();
  ArrayRef<int64_t> in = ctx.getShape(0), w = ctx.getShape(1);
  auto strides = pairAttr(ctx, "strides", {1, 1});
  auto dilations = pairAttr(ctx, "dilations", {1, 1});
  auto kernel = pairAttr(ctx, "kernel_shape", {w[2], w[3]});
  if (!strides || !dilations || !kernel)
    return failure();
  if ((*kernel)[0] != w[2] || (*kernel)[1] != w[3])
    return ctx.emitError() << "kernel_shape does not match the weight";
  int64_t groups = ctx.getInt("group", 1);
  if (groups < 1 || in[1] % groups != 0 || w[0] % groups != 0 ||
      w[1] * groups != in[1])
    return ctx.emitError() << "group " << groups << " does not fit "
                           << in[1] << " input and " << w[0]
                           << " output channels with weight channels " << w[1];
  auto pads = resolvePads(ctx, in.drop_front(2), *kernel, *strides, *dilations);
  if (!pads)
    return failure();
  int64_t p = windowOutputSize(in[2], (*pads)[0], (*pads)[2], w[2],
                               (*strides)[0], (*dilations)[0]);
  int64_t q = windowOutputSize(in[3], (*pads)[1], (*pads)[3], w[3],
                               (*strides)[1], (*dilations)[1]);
  if (p < 1 || q < 1)
    return ctx.emitError() << "the filter does not fit the padded input";
  SmallVector<Value> operands = {ctx.getTensor(0), ctx.getTensor(1)};
  if (ctx.hasInput(2)) {
    if (ctx.getShape(2).size() != 1 || ctx.getShape(2)[0] != w[0])
      return ctx.emitError() << "bias must have shape [" << w[0] << "]";
    operands.push_back(ctx.getTensor(2));
  }
  ctx.setOutput(0, build<Conv2DOp>(
                       ctx, {in[0], w[0], p, q}, operands,
                       {named(ctx, "strides", i64Array(ctx, *strides)),
                        named(ctx, "pads", i64Array(ctx, *pads)),
                        named(ctx, "dilations", i64Array(ctx, *dilations)),
                        named(ctx, "groups",
                              ctx.getBuilder().getI64IntegerAttr(groups))}));
  return success();
}

/// out = A * W^T + bias as hdx.fc, where `weight` is K x C.
static Value buildFullyConnected(NodeContext &ctx, Value input,
                                 HostTensor<float> weight,
                                 std::optional<HostTensor<float>> bias) {
  OpBuilder &b = ctx.getBuilder();
  SmallVector<Value> operands = {
      input, b.create<arith::ConstantOp>(ctx.getLoc(),
                                         weight.toAttr(ctx.getContext()))};
  if (bias)
    operands.push_back(b.create<arith::ConstantOp>(
        ctx.getLoc(), bias->toAttr(ctx.getContext())));
  int64_t n = cast<RankedTensorType>(input.getType()).getShape()[0];
  return build<FullyConnectedOp>(ctx, {n, weight.shape[0]}, operands);
}

static LogicalResult importGemm(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 2)) || failed(expectRank(ctx, 0, 2, "A")) ||
      failed(expectRank(ctx, 1, 2, "B")))
    return failure();
  if (ctx.getInt("transA", 0) != 0)
    return ctx.emitError() << "transA = 1 is not supported";
  float alpha = ctx.getFloat("alpha", 1.0f), beta = ctx.getFloat("beta", 1.0f);
  bool transB = ctx.getInt("transB", 0) != 0;
  DenseElementsAttr bConst = ctx.getConstant(1);
  if (!bConst)
    return ctx.emitError() << "B must be a weight (an initializer or constant)";
  // hdx.fc takes its weight as K x C.
  HostTensor<float> weight = HostTensor<float>::fromAttr(bConst);
  if (!transB)
    weight = transpose(weight, {1, 0});
  for (float &v : weight.data)
    v *= alpha;
  int64_t k = weight.shape[0], c = weight.shape[1];
  if (ctx.getShape(0)[1] != c)
    return ctx.emitError() << "A has " << ctx.getShape(0)[1]
                           << " columns, B expects " << c;
  std::optional<HostTensor<float>> bias;
  if (ctx.hasInput(2)) {
    DenseElementsAttr cConst = ctx.getConstant(2);
    if (!cConst)
      return ctx.emitError() << "C must be a constant bias";
    HostTensor<float> cTensor = HostTensor<float>::fromAttr(cConst);
    // A [1, N] bias is constant along M, as a [N] one.
    if (cTensor.shape.size() == 2 && cTensor.shape[0] == 1)
      cTensor.shape = {cTensor.shape[1]};
    HostTensor<float> zeros{{k}, std::vector<float>(k, 0.0f)};
    HostTensor<float> broadcast;
    if (!broadcastBinary<float>(zeros, cTensor,
                                [](float, float v) { return v; }, broadcast) ||
        broadcast.shape != SmallVector<int64_t>{k})
      return ctx.emitError() << "C must broadcast to [" << k << "]";
    for (float &v : broadcast.data)
      v *= beta;
    bias = broadcast;
  }
  ctx.setOutput(0, buildFullyConnected(ctx, ctx.getTensor(0), weight, bias));
  return success();
}

static LogicalResult importMatMul(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 2)))
    return failure();
  ArrayRef<int64_t> a = ctx.getShape(0), b = ctx.getShape(1);
  if (a.size() < 2 || b.size() < 2)
    return ctx.emitError() << "operands must have rank >= 2";
  DenseElementsAttr bConst = ctx.getConstant(1);
  if (bConst && b.size() == 2) {
    // Activation x weight: a fully connected layer over the flattened rows.
    if (a.back() != b[0])
      return ctx.emitError() << "contracts " << a.back() << " with " << b[0];
    HostTensor<float> weight =
        transpose(HostTensor<float>::fromAttr(bConst), {1, 0});
    Value input = ctx.getTensor(0);
    int64_t rows = product(a.drop_back());
    if (a.size() != 2)
      input = build<ReshapeOp>(ctx, {rows, a.back()}, {input});
    Value out = buildFullyConnected(ctx, input, weight, std::nullopt);
    if (a.size() != 2) {
      SmallVector<int64_t> shape(a.drop_back());
      shape.push_back(b[1]);
      out = build<ReshapeOp>(ctx, shape, {out});
    }
    ctx.setOutput(0, out);
    return success();
  }
  if (a.size() != b.size() || a.drop_back(2) != b.drop_back(2))
    return ctx.emitError() << "batched operands must have equal batch dimensions";
  if (a.back() != b[b.size() - 2])
    return ctx.emitError() << "contracts " << a.back() << " with "
                           << b[b.size() - 2];
  SmallVector<int64_t> shape(a.drop_back());
  shape.push_back(b.back());
  ctx.setOutput(0, build<MatMulOp>(ctx, shape,
                                   {floatOperand(ctx, 0), floatOperand(ctx, 1)}));
  return success();
}

//===----------------------------------------------------------------------===//
// Activations and normalization
//===----------------------------------------------------------------------===//

template <typename OpT>
static LogicalResult importUnary(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)))
    return failure();
  ctx.setOutput(0, build<OpT>(ctx, ctx.getShape(0), {ctx.getTensor(0)}));
  return success();
}

static LogicalResult importHardSigmoid(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  ctx.setOutput(0, build<HardSigmoidOp>(
                       ctx, ctx.getShape(0), {ctx.getTensor(0)},
                       {named(ctx, "alpha", b.getF64FloatAttr(ctx.getFloat("alpha", 0.2f))),
                        named(ctx, "beta", b.getF64FloatAttr(ctx.getFloat("beta", 0.5f)))}));
  return success();
}

static LogicalResult importClip(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)))
    return failure();
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  if (ctx.getOpset() < 11) {
    if (ctx.getAttr("min"))
      lo = ctx.getFloat("min", 0.0f);
    if (ctx.getAttr("max"))
      hi = ctx.getFloat("max", 0.0f);
  } else {
    for (size_t i : {1, 2}) {
      if (!ctx.hasInput(i))
        continue;
      DenseElementsAttr bound = ctx.getConstant(i);
      if (!bound || bound.getNumElements() != 1)
        return ctx.emitError() << (i == 1 ? "min" : "max")
                               << " must be a scalar known at import time";
      double value = HostTensor<float>::fromAttr(bound).data[0];
      (i == 1 ? lo : hi) = value;
    }
  }
  if (lo > hi)
    return ctx.emitError() << "min exceeds max";
  if (lo == 0.0 && std::isinf(hi)) {
    ctx.setOutput(0, build<ReluOp>(ctx, ctx.getShape(0), {ctx.getTensor(0)}));
    return success();
  }
  OpBuilder &b = ctx.getBuilder();
  ctx.setOutput(0, build<ClipOp>(ctx, ctx.getShape(0), {ctx.getTensor(0)},
                                 {named(ctx, "min", b.getF64FloatAttr(lo)),
                                  named(ctx, "max", b.getF64FloatAttr(hi))}));
  return success();
}

static LogicalResult importBatchNorm(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 5)) || failed(onlyFirstOutputUsed(ctx)))
    return failure();
  if (ctx.getInt("training_mode", 0) != 0)
    return ctx.emitError() << "training_mode = 1 is not supported";
  ArrayRef<int64_t> in = ctx.getShape(0);
  if (in.size() < 2)
    return ctx.emitError() << "input must have a channel axis";
  SmallVector<Value> operands;
  for (size_t i = 0; i < 5; ++i) {
    if (i > 0 && ctx.getShape(i) != ArrayRef<int64_t>{in[1]})
      return ctx.emitError() << "input " << i << " must have shape [" << in[1]
                             << "]";
    operands.push_back(floatOperand(ctx, i));
  }
  ctx.setOutput(0, build<BatchNormOp>(
                       ctx, in, operands,
                       {named(ctx, "epsilon", ctx.getBuilder().getF64FloatAttr(
                                                  ctx.getFloat("epsilon", 1e-5f)))}));
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling and reductions
//===----------------------------------------------------------------------===//

static LogicalResult importGlobalAveragePool(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)) || failed(expectRank(ctx, 0, 4, "input")))
    return failure();
  ArrayRef<int64_t> in = ctx.getShape(0);
  ctx.setOutput(0, build<GlobalAvgPoolOp>(ctx, {in[0], in[1], 1, 1},
                                          {ctx.getTensor(0)}));
  return success();
}

template <typename OpT>
static LogicalResult importPool(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)) || failed(onlyFirstOutputUsed(ctx)))
    return failure();
  if (ctx.getShape(0).size() != 4)
    return ctx.emitError() << "only 2-D pooling is supported (input of rank "
                           << ctx.getShape(0).size() << ")";
  ArrayRef<int64_t> in = ctx.getShape(0);
  if (!ctx.getAttr("kernel_shape"))
    return ctx.emitError() << "kernel_shape is required";
  auto kernel = pairAttr(ctx, "kernel_shape", {});
  auto strides = pairAttr(ctx, "strides", {1, 1});
  auto dilations = pairAttr(ctx, "dilations", {1, 1});
  if (!kernel || !strides || !dilations)
    return failure();
  if ((*dilations)[0] != 1 || (*dilations)[1] != 1)
    return ctx.emitError() << "dilated pooling is not supported";
  auto pads = resolvePads(ctx, in.drop_front(2), *kernel, *strides, *dilations);
  if (!pads)
    return failure();
  bool ceilMode = ctx.getInt("ceil_mode", 0) != 0;
  int64_t p = windowOutputSize(in[2], (*pads)[0], (*pads)[2], (*kernel)[0],
                               (*strides)[0], 1, ceilMode);
  int64_t q = windowOutputSize(in[3], (*pads)[1], (*pads)[3], (*kernel)[1],
                               (*strides)[1], 1, ceilMode);
  if (p < 1 || q < 1)
    return ctx.emitError() << "the kernel does not fit the padded input";
  OpBuilder &b = ctx.getBuilder();
  SmallVector<NamedAttribute> attrs = {
      named(ctx, "kernel", i64Array(ctx, *kernel)),
      named(ctx, "strides", i64Array(ctx, *strides)),
      named(ctx, "pads", i64Array(ctx, *pads)),
      named(ctx, "ceil_mode", b.getBoolAttr(ceilMode))};
  if (std::is_same_v<OpT, AvgPoolOp>)
    attrs.push_back(named(ctx, "count_include_pad",
                          b.getBoolAttr(ctx.getInt("count_include_pad", 0) != 0)));
  ctx.setOutput(0, build<OpT>(ctx, {in[0], in[1], p, q}, {ctx.getTensor(0)}, attrs));
  return success();
}

static LogicalResult importReduceMean(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)))
    return failure();
  ArrayRef<int64_t> in = ctx.getShape(0);
  std::optional<SmallVector<int64_t>> axes;
  if (ctx.getOpset() >= 18) {
    if (ctx.hasInput(1)) {
      axes = ctx.getIntList(1, "axes");
      if (!axes)
        return failure();
    }
  } else {
    axes = ctx.getInts("axes");
  }
  SmallVector<int64_t> normalized;
  for (int64_t axis : axes.value_or(SmallVector<int64_t>{})) {
    auto a = normalizeAxis(ctx, axis, in.size());
    if (!a)
      return failure();
    normalized.push_back(*a);
  }
  llvm::sort(normalized);
  if (in.size() != 4 || normalized != SmallVector<int64_t>{2, 3})
    return ctx.emitError()
           << "only the mean over the spatial axes (2, 3) of a 4-D tensor is "
              "supported";
  Value out = build<GlobalAvgPoolOp>(ctx, {in[0], in[1], 1, 1}, {ctx.getTensor(0)});
  if (ctx.getInt("keepdims", 1) == 0)
    out = build<ReshapeOp>(ctx, {in[0], in[1]}, {out});
  ctx.setOutput(0, out);
  return success();
}

//===----------------------------------------------------------------------===//
// Element-wise arithmetic (activations, or folded constants)
//===----------------------------------------------------------------------===//

enum class Arith { Add, Sub, Mul, Div };

template <typename T>
static T applyArith(Arith op, T a, T b) {
  switch (op) {
  case Arith::Add: return a + b;
  case Arith::Sub: return a - b;
  case Arith::Mul: return a * b;
  case Arith::Div: return a / b; // integers: checked by the caller
  }
  return T();
}

template <Arith op>
static LogicalResult importArith(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 2)))
    return failure();
  DenseElementsAttr a = ctx.getConstant(0), b = ctx.getConstant(1);
  if (a && b) {
    bool integer = a.getElementType().isInteger(64) &&
                   b.getElementType().isInteger(64);
    if (integer && op == Arith::Div &&
        llvm::any_of(b.getValues<int64_t>(), [](int64_t v) { return v == 0; }))
      return ctx.emitError() << "integer division by zero";
    // Folded in the constants' own element type.
    auto fold = [&](auto zero) -> LogicalResult {
      using T = decltype(zero);
      HostTensor<T> out;
      if (!broadcastBinary<T>(
              HostTensor<T>::fromAttr(a), HostTensor<T>::fromAttr(b),
              [](T x, T y) { return applyArith(op, x, y); }, out))
        return ctx.emitError() << "operand shapes do not broadcast";
      ctx.setOutputConstant(0, out.toAttr(ctx.getContext()));
      return success();
    };
    return integer ? fold(int64_t{}) : fold(float{});
  }
  Value lhs = floatOperand(ctx, 0);
  Value rhs;
  if (op == Arith::Sub || op == Arith::Div) {
    // x - c == x + (-c) and x / c == x * (1 / c) for a constant c.
    if (!b)
      return ctx.emitError() << "the second operand must be a constant";
    HostTensor<float> c = HostTensor<float>::fromAttr(b);
    for (float &v : c.data)
      v = op == Arith::Sub ? -v : 1.0f / v;
    rhs = ctx.getBuilder().create<arith::ConstantOp>(ctx.getLoc(),
                                                     c.toAttr(ctx.getContext()));
  } else {
    rhs = floatOperand(ctx, 1);
  }
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(ctx.getShape(0), ctx.getShape(1), shape))
    return ctx.emitError() << "operand shapes do not broadcast";
  if (op == Arith::Add || op == Arith::Sub)
    ctx.setOutput(0, build<AddOp>(ctx, shape, {lhs, rhs}));
  else
    ctx.setOutput(0, build<MulOp>(ctx, shape, {lhs, rhs}));
  return success();
}

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

OpHandler lookupOpHandler(StringRef opType) {
  return llvm::StringSwitch<OpHandler>(opType)
      .Case("Conv", importConv)
      .Case("Gemm", importGemm)
      .Case("MatMul", importMatMul)
      .Case("Relu", importUnary<ReluOp>)
      .Case("Sigmoid", importUnary<SigmoidOp>)
      .Case("HardSwish", importUnary<HardSwishOp>)
      .Case("HardSigmoid", importHardSigmoid)
      .Case("Clip", importClip)
      .Case("BatchNormalization", importBatchNorm)
      .Case("GlobalAveragePool", importGlobalAveragePool)
      .Case("AveragePool", importPool<AvgPoolOp>)
      .Case("MaxPool", importPool<MaxPoolOp>)
      .Case("ReduceMean", importReduceMean)
      .Case("Add", importArith<Arith::Add>)
      .Case("Sub", importArith<Arith::Sub>)
      .Case("Mul", importArith<Arith::Mul>)
      .Case("Div", importArith<Arith::Div>)
      .Default(lookupShapeOpHandler(opType));
}

} // namespace hdx::onnx_import
