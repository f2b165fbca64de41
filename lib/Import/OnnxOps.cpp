//===- OnnxOps.cpp - one handler per ONNX op type -------------------------===//
//
// Each handler checks the node's attributes against what the hdx dialect
// represents and either builds hdx operations or, when every input is known
// at import time, folds the node into a constant. Opset differences (an
// attribute that became an input) are handled where they occur.
//
//===----------------------------------------------------------------------===//
#include "OnnxOps.h"
#include "HostTensor.h"

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
// Helpers
//===----------------------------------------------------------------------===//

static RankedTensorType f32Tensor(MLIRContext *context,
                                  ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, Float32Type::get(context));
}

/// Creates an hdx op through the generic builder with named attributes.
template <typename OpT>
static Value build(NodeContext &ctx, ArrayRef<int64_t> resultShape,
                   ValueRange operands,
                   ArrayRef<NamedAttribute> attributes = {}) {
  OpBuilder &b = ctx.getBuilder();
  return b
      .create<OpT>(ctx.getLoc(), TypeRange{f32Tensor(ctx.getContext(), resultShape)},
                   operands, attributes)
      ->getResult(0);
}

static NamedAttribute named(NodeContext &ctx, StringRef name, Attribute value) {
  return ctx.getBuilder().getNamedAttr(name, value);
}

static DenseI64ArrayAttr i64Array(NodeContext &ctx, ArrayRef<int64_t> values) {
  return ctx.getBuilder().getDenseI64ArrayAttr(values);
}

/// Normalizes a possibly negative axis; emits an error when out of range.
static std::optional<int64_t> normalizeAxis(NodeContext &ctx, int64_t axis,
                                            int64_t rank) {
  if (axis < -rank || axis >= rank) {
    ctx.emitError() << "axis " << axis << " is out of range for rank " << rank;
    return std::nullopt;
  }
  return axis < 0 ? axis + rank : axis;
}

static int64_t product(ArrayRef<int64_t> values) {
  return std::accumulate(values.begin(), values.end(), int64_t{1},
                         std::multiplies<int64_t>());
}

/// Checks input `i` is a run-time tensor of the given rank.
static LogicalResult expectRank(NodeContext &ctx, size_t i, int64_t rank,
                                StringRef what) {
  if (static_cast<int64_t>(ctx.getShape(i).size()) != rank)
    return ctx.emitError() << what << " must have rank " << rank << ", got "
                           << ctx.getShape(i).size();
  return success();
}

static LogicalResult expectInputs(NodeContext &ctx, size_t min) {
  for (size_t i = 0; i < min; ++i)
    if (!ctx.hasInput(i))
      return ctx.emitError() << "expects at least " << min << " inputs";
  for (size_t i = 0; i < ctx.getNumInputs(); ++i)
    if (ctx.hasInput(i) && !ctx.getConstant(i) && !ctx.getTensor(i))
      return failure();
  return success();
}

static LogicalResult onlyFirstOutputUsed(NodeContext &ctx) {
  for (size_t i = 1; i < ctx.getNumOutputs(); ++i)
    if (ctx.isOutputUsed(i))
      return ctx.emitError() << "output " << i
                             << " is used, but only output 0 is supported";
  return success();
}

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

/// Materializes a constant operand of an element-wise op as f32 so that it
/// can meet an activation.
static Value floatOperand(NodeContext &ctx, size_t i) {
  DenseElementsAttr constant = ctx.getConstant(i);
  if (constant && !constant.getElementType().isF32()) {
    HostTensor<float> t = HostTensor<float>::fromAttr(constant);
    return ctx.getBuilder().create<arith::ConstantOp>(ctx.getLoc(),
                                                      t.toAttr(ctx.getContext()));
  }
  return ctx.getTensor(i);
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
    if (integer) {
      if (op == Arith::Div &&
          llvm::any_of(b.getValues<int64_t>(), [](int64_t v) { return v == 0; }))
        return ctx.emitError() << "integer division by zero";
      HostTensor<int64_t> out;
      if (!broadcastBinary<int64_t>(
              HostTensor<int64_t>::fromAttr(a), HostTensor<int64_t>::fromAttr(b),
              [](int64_t x, int64_t y) { return applyArith(op, x, y); }, out))
        return ctx.emitError() << "operand shapes do not broadcast";
      ctx.setOutputConstant(0, out.toAttr(ctx.getContext()));
    } else {
      HostTensor<float> out;
      if (!broadcastBinary<float>(
              HostTensor<float>::fromAttr(a), HostTensor<float>::fromAttr(b),
              [](float x, float y) { return applyArith(op, x, y); }, out))
        return ctx.emitError() << "operand shapes do not broadcast";
      ctx.setOutputConstant(0, out.toAttr(ctx.getContext()));
    }
    return success();
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
// Data movement
//===----------------------------------------------------------------------===//

/// Reshapes input 0 to `shape`: folds constants, builds hdx.reshape for
/// activations (and passes through when the shape is unchanged).
static LogicalResult reshapeTo(NodeContext &ctx, ArrayRef<int64_t> shape) {
  if (DenseElementsAttr c = ctx.getConstant(0)) {
    ctx.setOutputConstant(0, c.reshape(RankedTensorType::get(shape, c.getElementType())));
    return success();
  }
  Value input = ctx.getTensor(0);
  if (ctx.getShape(0) == shape)
    ctx.setOutput(0, input);
  else
    ctx.setOutput(0, build<ReshapeOp>(ctx, shape, {input}));
  return success();
}

static LogicalResult importFlatten(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)))
    return failure();
  ArrayRef<int64_t> in = ctx.getShape(0);
  int64_t rank = in.size();
  int64_t axis = ctx.getInt("axis", 1);
  if (axis < -rank || axis > rank)
    return ctx.emitError() << "axis " << axis << " is out of range for rank " << rank;
  if (axis < 0)
    axis += rank;
  return reshapeTo(ctx, {product(in.take_front(axis)), product(in.drop_front(axis))});
}

static LogicalResult importReshape(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 2)))
    return failure();
  auto target = ctx.getIntList(1, "shape");
  if (!target)
    return failure();
  ArrayRef<int64_t> in = ctx.getShape(0);
  bool allowZero = ctx.getInt("allowzero", 0) != 0;
  SmallVector<int64_t> shape;
  int64_t inferred = -1;
  for (auto [i, dim] : llvm::enumerate(*target)) {
    if (dim == 0 && !allowZero) {
      if (i >= in.size())
        return ctx.emitError() << "shape copies dimension " << i
                               << " that the input lacks";
      dim = in[i];
    } else if (dim == -1) {
      if (inferred >= 0)
        return ctx.emitError() << "shape has more than one -1";
      inferred = i;
      dim = 1;
    } else if (dim < 0) {
      return ctx.emitError() << "shape has negative dimension " << dim;
    }
    shape.push_back(dim);
  }
  int64_t known = product(shape), total = product(in);
  if (inferred >= 0) {
    if (known == 0 || total % known != 0)
      return ctx.emitError() << "cannot infer the -1 dimension";
    shape[inferred] = total / known;
  } else if (known != total) {
    return ctx.emitError() << "shape has " << known << " elements, input has "
                           << total;
  }
  return reshapeTo(ctx, shape);
}

static LogicalResult importTranspose(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)))
    return failure();
  ArrayRef<int64_t> in = ctx.getShape(0);
  SmallVector<int64_t> perm;
  if (auto attr = ctx.getInts("perm"))
    perm = *attr;
  else
    for (int64_t i = in.size() - 1; i >= 0; --i)
      perm.push_back(i);
  SmallVector<int64_t> sorted(perm);
  llvm::sort(sorted);
  bool isPermutation = sorted.size() == in.size();
  for (size_t i = 0; isPermutation && i < sorted.size(); ++i)
    isPermutation = sorted[i] == static_cast<int64_t>(i);
  if (!isPermutation)
    return ctx.emitError() << "perm is not a permutation of the input's "
                           << in.size() << " dimensions";
  if (DenseElementsAttr c = ctx.getConstant(0)) {
    if (c.getElementType().isF32())
      ctx.setOutputConstant(0, transpose(HostTensor<float>::fromAttr(c), perm)
                                   .toAttr(ctx.getContext()));
    else
      ctx.setOutputConstant(0, transpose(HostTensor<int64_t>::fromAttr(c), perm)
                                   .toAttr(ctx.getContext()));
    return success();
  }
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(in[p]);
  ctx.setOutput(0, build<TransposeOp>(ctx, shape, {ctx.getTensor(0)},
                                      {named(ctx, "perm", i64Array(ctx, perm))}));
  return success();
}

static LogicalResult importConcat(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)))
    return failure();
  ArrayRef<int64_t> first = ctx.getShape(0);
  auto axis = normalizeAxis(ctx, ctx.getInt("axis", 0), first.size());
  if (!axis)
    return failure();
  bool allConstant = true, allInteger = true;
  SmallVector<int64_t> shape(first);
  shape[*axis] = 0;
  for (size_t i = 0; i < ctx.getNumInputs(); ++i) {
    if (!ctx.hasInput(i))
      return ctx.emitError() << "input " << i << " is empty";
    DenseElementsAttr c = ctx.getConstant(i);
    allConstant &= static_cast<bool>(c);
    allInteger &= c && c.getElementType().isInteger(64);
    ArrayRef<int64_t> s = ctx.getShape(i);
    if (s.size() != first.size())
      return ctx.emitError() << "inputs must have equal rank";
    shape[*axis] += s[*axis];
  }
  if (allConstant && allInteger && first.size() == 1) {
    // Shape arithmetic: concatenated lists of integers.
    HostTensor<int64_t> out{{0}, {}};
    for (size_t i = 0; i < ctx.getNumInputs(); ++i)
      for (int64_t v : ctx.getConstant(i).getValues<int64_t>())
        out.data.push_back(v);
    out.shape[0] = out.data.size();
    ctx.setOutputConstant(0, out.toAttr(ctx.getContext()));
    return success();
  }
  SmallVector<Value> inputs;
  for (size_t i = 0; i < ctx.getNumInputs(); ++i)
    inputs.push_back(floatOperand(ctx, i));
  ctx.setOutput(0, build<ConcatOp>(ctx, shape, inputs,
                                   {named(ctx, "axis", ctx.getBuilder().getI64IntegerAttr(*axis))}));
  return success();
}

static LogicalResult importIdentity(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)) || failed(onlyFirstOutputUsed(ctx)))
    return failure();
  if (DenseElementsAttr c = ctx.getConstant(0))
    ctx.setOutputConstant(0, c);
  else
    ctx.setOutput(0, ctx.getTensor(0));
  return success();
}

/// Output 0 becomes the constant of `shape` holding `values` (a scalar
/// attribute's one value or a list attribute's values).
template <typename T, typename Values>
static LogicalResult setConstant(NodeContext &ctx,
                                 llvm::SmallVector<int64_t> shape,
                                 const Values &values) {
  std::vector<T> data(values.begin(), values.end());
  ctx.setOutputConstant(
      0, HostTensor<T>{std::move(shape), data}.toAttr(ctx.getContext()));
  return success();
}

static LogicalResult importConstant(NodeContext &ctx) {
  MLIRContext *context = ctx.getContext();
  if (const onnx::AttributeProto *value = ctx.getAttr("value")) {
    std::string error;
    DenseElementsAttr c =
        convertTensor(value->t(), ctx.getModelDirectory(), context, error);
    if (!c)
      return ctx.emitError() << error;
    ctx.setOutputConstant(0, c);
    return success();
  }
  if (const onnx::AttributeProto *v = ctx.getAttr("value_float"))
    return setConstant<float>(ctx, {}, std::vector<float>{v->f()});
  if (const onnx::AttributeProto *v = ctx.getAttr("value_floats"))
    return setConstant<float>(ctx, {v->floats_size()}, v->floats());
  if (const onnx::AttributeProto *v = ctx.getAttr("value_int"))
    return setConstant<int64_t>(ctx, {}, std::vector<int64_t>{v->i()});
  if (const onnx::AttributeProto *v = ctx.getAttr("value_ints"))
    return setConstant<int64_t>(ctx, {v->ints_size()}, v->ints());
  return ctx.emitError() << "only tensor, float and integer constants are supported";
}

static LogicalResult importShape(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)))
    return failure();
  ArrayRef<int64_t> in = ctx.getShape(0);
  int64_t rank = in.size();
  int64_t start = ctx.getInt("start", 0), end = ctx.getInt("end", rank);
  auto clampAxis = [&](int64_t a) {
    if (a < 0)
      a += rank;
    return std::clamp<int64_t>(a, 0, rank);
  };
  start = clampAxis(start);
  end = std::max(start, clampAxis(end));
  std::vector<int64_t> dims(in.begin() + start, in.begin() + end);
  int64_t n = dims.size();
  ctx.setOutputConstant(0, HostTensor<int64_t>{{n}, dims}.toAttr(ctx.getContext()));
  return success();
}

static LogicalResult importGather(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 2)))
    return failure();
  DenseElementsAttr data = ctx.getConstant(0), indices = ctx.getConstant(1);
  if (!data || !indices || !indices.getElementType().isInteger(64))
    return ctx.emitError() << "only gathers of values known at import time "
                              "(shape computations) are supported";
  auto axis = normalizeAxis(ctx, ctx.getInt("axis", 0), data.getType().getRank());
  if (!axis)
    return failure();
  auto gather = [&](auto in) -> LogicalResult {
    using T = typename decltype(in.data)::value_type;
    HostTensor<int64_t> idx = HostTensor<int64_t>::fromAttr(indices);
    int64_t extent = in.shape[*axis];
    for (int64_t &i : idx.data) {
      if (i < -extent || i >= extent)
        return ctx.emitError() << "index " << i << " is out of range for "
                               << extent << " elements";
      if (i < 0)
        i += extent;
    }
    HostTensor<T> out;
    out.shape.assign(in.shape.begin(), in.shape.begin() + *axis);
    out.shape.append(idx.shape.begin(), idx.shape.end());
    out.shape.append(in.shape.begin() + *axis + 1, in.shape.end());
    int64_t outer = product(ArrayRef<int64_t>(in.shape).take_front(*axis));
    int64_t inner = product(ArrayRef<int64_t>(in.shape).drop_front(*axis + 1));
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i : idx.data)
        for (int64_t r = 0; r < inner; ++r)
          out.data.push_back(in.data[(o * extent + i) * inner + r]);
    ctx.setOutputConstant(0, out.toAttr(ctx.getContext()));
    return success();
  };
  if (data.getElementType().isF32())
    return gather(HostTensor<float>::fromAttr(data));
  return gather(HostTensor<int64_t>::fromAttr(data));
}

/// Axes of Squeeze/Unsqueeze: an attribute before opset 13, an input since;
/// nullopt (with the error reported) where the node has no data input or
/// the axes cannot be read.
static std::optional<SmallVector<int64_t>> squeezeAxes(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)))
    return std::nullopt;
  if (ctx.getOpset() >= 13) {
    if (!ctx.hasInput(1))
      return SmallVector<int64_t>{};
    return ctx.getIntList(1, "axes");
  }
  return ctx.getInts("axes").value_or(SmallVector<int64_t>{});
}

static LogicalResult importUnsqueeze(NodeContext &ctx) {
  auto axes = squeezeAxes(ctx);
  if (!axes)
    return failure();
  ArrayRef<int64_t> in = ctx.getShape(0);
  int64_t rank = in.size() + axes->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : *axes) {
    auto a = normalizeAxis(ctx, axis, rank);
    if (!a)
      return failure();
    if (inserted[*a])
      return ctx.emitError() << "axis " << axis << " is repeated";
    inserted[*a] = true;
  }
  SmallVector<int64_t> shape;
  size_t next = 0;
  for (int64_t d = 0; d < rank; ++d)
    shape.push_back(inserted[d] ? 1 : in[next++]);
  return reshapeTo(ctx, shape);
}

static LogicalResult importSqueeze(NodeContext &ctx) {
  auto axes = squeezeAxes(ctx);
  if (!axes)
    return failure();
  ArrayRef<int64_t> in = ctx.getShape(0);
  SmallVector<bool> removed(in.size(), false);
  if (axes->empty()) {
    for (size_t d = 0; d < in.size(); ++d)
      removed[d] = in[d] == 1;
  }
  for (int64_t axis : *axes) {
    auto a = normalizeAxis(ctx, axis, in.size());
    if (!a)
      return failure();
    if (in[*a] != 1)
      return ctx.emitError() << "cannot squeeze dimension " << *a << " of size "
                             << in[*a];
    removed[*a] = true;
  }
  SmallVector<int64_t> shape;
  for (size_t d = 0; d < in.size(); ++d)
    if (!removed[d])
      shape.push_back(in[d]);
  return reshapeTo(ctx, shape);
}

static LogicalResult importCast(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)))
    return failure();
  int64_t to = ctx.getInt("to", onnx::TensorProto::FLOAT);
  bool toFloat = to == onnx::TensorProto::FLOAT ||
                 to == onnx::TensorProto::DOUBLE ||
                 to == onnx::TensorProto::FLOAT16;
  if (DenseElementsAttr c = ctx.getConstant(0)) {
    ctx.setOutputConstant(
        0, toFloat ? HostTensor<float>::fromAttr(c).toAttr(ctx.getContext())
                   : HostTensor<int64_t>::fromAttr(c).toAttr(ctx.getContext()));
    return success();
  }
  if (!toFloat)
    return ctx.emitError() << "casting activations to a non-float type is not "
                              "supported";
  ctx.setOutput(0, ctx.getTensor(0));
  return success();
}

/// Clamps a Slice bound the way ONNX does.
static int64_t clampSliceBound(int64_t value, int64_t extent, int64_t step) {
  if (value < 0)
    value += extent;
  return step > 0 ? std::clamp<int64_t>(value, 0, extent)
                  : std::clamp<int64_t>(value, -1, extent - 1);
}

static LogicalResult importSlice(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)))
    return failure();
  ArrayRef<int64_t> in = ctx.getShape(0);
  std::optional<SmallVector<int64_t>> starts, ends, axes, steps;
  if (ctx.getOpset() < 10) {
    starts = ctx.getInts("starts");
    ends = ctx.getInts("ends");
    axes = ctx.getInts("axes");
    if (!starts || !ends)
      return ctx.emitError() << "starts and ends are required";
  } else {
    starts = ctx.getIntList(1, "starts");
    ends = ctx.getIntList(2, "ends");
    if (!starts || !ends)
      return failure();
    if (ctx.hasInput(3) && !(axes = ctx.getIntList(3, "axes")))
      return failure();
    if (ctx.hasInput(4) && !(steps = ctx.getIntList(4, "steps")))
      return failure();
  }
  size_t n = starts->size();
  if (!axes) {
    axes.emplace();
    for (size_t i = 0; i < n; ++i)
      axes->push_back(i);
  }
  if (!steps)
    steps = SmallVector<int64_t>(n, 1);
  if (ends->size() != n || axes->size() != n || steps->size() != n)
    return ctx.emitError() << "starts, ends, axes and steps differ in length";

  // Per dimension: first index, step and count.
  SmallVector<int64_t> first(in.size(), 0), step(in.size(), 1), count(in);
  for (size_t i = 0; i < n; ++i) {
    auto axis = normalizeAxis(ctx, (*axes)[i], in.size());
    if (!axis)
      return failure();
    int64_t s = (*steps)[i];
    if (s == 0)
      return ctx.emitError() << "steps must be non-zero";
    int64_t b = clampSliceBound((*starts)[i], in[*axis], s);
    int64_t e = clampSliceBound((*ends)[i], in[*axis], s);
    first[*axis] = b;
    step[*axis] = s;
    count[*axis] = s > 0 ? std::max<int64_t>(0, (e - b + s - 1) / s)
                         : std::max<int64_t>(0, (b - e - s - 1) / -s);
  }

  if (DenseElementsAttr c = ctx.getConstant(0)) {
    auto slice = [&](auto t) {
      using T = typename decltype(t.data)::value_type;
      HostTensor<T> out{SmallVector<int64_t>(count), {}};
      SmallVector<int64_t> strides = stridesOf(t.shape);
      forEachIndex(out.shape, [&](ArrayRef<int64_t> index, int64_t) {
        int64_t source = 0;
        for (size_t d = 0; d < index.size(); ++d)
          source += (first[d] + index[d] * step[d]) * strides[d];
        out.data.push_back(t.data[source]);
      });
      ctx.setOutputConstant(0, out.toAttr(ctx.getContext()));
    };
    if (c.getElementType().isF32())
      slice(HostTensor<float>::fromAttr(c));
    else
      slice(HostTensor<int64_t>::fromAttr(c));
    return success();
  }

  // On activations: one contiguous range along one axis (a channel split).
  SmallVector<int64_t> changed;
  for (size_t d = 0; d < in.size(); ++d)
    if (count[d] != in[d] || step[d] != 1) // a full reversal keeps the count
      changed.push_back(d);
  if (changed.empty()) {
    ctx.setOutput(0, ctx.getTensor(0));
    return success();
  }
  if (changed.size() != 1 || step[changed[0]] != 1)
    return ctx.emitError() << "only a contiguous range along one axis of an "
                              "activation is supported";
  int64_t axis = changed[0];
  if (count[axis] == 0)
    return ctx.emitError() << "the slice is empty";
  OpBuilder &b = ctx.getBuilder();
  ctx.setOutput(0, build<SliceOp>(ctx, count, {ctx.getTensor(0)},
                                  {named(ctx, "axis", b.getI64IntegerAttr(axis)),
                                   named(ctx, "start", b.getI64IntegerAttr(first[axis]))}));
  return success();
}

static LogicalResult importSplit(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 1)))
    return failure();
  if (ctx.getConstant(0))
    return ctx.emitError() << "splitting constants is not supported";
  ArrayRef<int64_t> in = ctx.getShape(0);
  auto axis = normalizeAxis(ctx, ctx.getInt("axis", 0), in.size());
  if (!axis)
    return failure();
  SmallVector<int64_t> sizes;
  if (ctx.getOpset() >= 13 && ctx.hasInput(1)) {
    auto split = ctx.getIntList(1, "split");
    if (!split)
      return failure();
    sizes = *split;
  } else if (auto split = ctx.getInts("split")) {
    sizes = *split;
  } else {
    int64_t parts = ctx.getInt("num_outputs", ctx.getNumOutputs());
    if (parts < 1)
      return ctx.emitError() << "num_outputs must be positive, got " << parts;
    // Checked before the sizes are built: a huge count would exhaust memory.
    if (parts != static_cast<int64_t>(ctx.getNumOutputs()))
      return ctx.emitError() << "num_outputs = " << parts << " but the node has "
                             << ctx.getNumOutputs() << " outputs";
    int64_t chunk = (in[*axis] + parts - 1) / parts;
    for (int64_t i = 0, left = in[*axis]; i < parts; ++i, left -= chunk)
      sizes.push_back(std::min(chunk, left));
  }
  if (sizes.size() != ctx.getNumOutputs() ||
      llvm::any_of(sizes, [](int64_t s) { return s < 1; }) ||
      std::accumulate(sizes.begin(), sizes.end(), int64_t{0}) != in[*axis])
    return ctx.emitError() << "split sizes do not partition dimension " << *axis
                           << " of size " << in[*axis] << " into "
                           << ctx.getNumOutputs() << " outputs";
  OpBuilder &b = ctx.getBuilder();
  int64_t start = 0;
  for (auto [i, size] : llvm::enumerate(sizes)) {
    SmallVector<int64_t> shape(in);
    shape[*axis] = size;
    ctx.setOutput(i, build<SliceOp>(ctx, shape, {ctx.getTensor(0)},
                                    {named(ctx, "axis", b.getI64IntegerAttr(*axis)),
                                     named(ctx, "start", b.getI64IntegerAttr(start))}));
    start += size;
  }
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
      .Case("Flatten", importFlatten)
      .Case("Reshape", importReshape)
      .Case("Transpose", importTranspose)
      .Case("Concat", importConcat)
      .Case("Identity", importIdentity)
      .Case("Dropout", importIdentity)
      .Case("Constant", importConstant)
      .Case("Shape", importShape)
      .Case("Gather", importGather)
      .Case("Unsqueeze", importUnsqueeze)
      .Case("Squeeze", importSqueeze)
      .Case("Cast", importCast)
      .Case("Slice", importSlice)
      .Case("Split", importSplit)
      .Default(nullptr);
}

} // namespace hdx::onnx_import
