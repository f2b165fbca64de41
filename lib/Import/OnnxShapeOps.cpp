//===- OnnxShapeOps.cpp - data movement and shape computation -------------===//
//
// Handlers of the ONNX ops that move data (Reshape, Transpose, Concat, Slice,
// Split, ...) and of the shape computations exporters emit around them
// (Shape, Gather, Unsqueeze, Cast, Constant): when every input is known at
// import time the node folds into a constant, so a shape computed in the
// graph becomes the static shape of an hdx op; otherwise the handler builds
// hdx.reshape, hdx.transpose, hdx.concat or hdx.slice.
//
//===----------------------------------------------------------------------===//
#include "OnnxOpHelpers.h"
#include "OnnxOps.h"

#include "hdx/Dialect/HDX/HDXOps.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace hdx;

namespace hdx::onnx_import {

/// Reshapes input 0 to `shape`: folds constants, builds hdx.reshape for
/// activations (and passes through when the shape is unchanged).
static LogicalResult reshapeTo(NodeContext &ctx, ArrayRef<int64_t> shape) {
  if (DenseElementsAttr c = ctx.getConstant(0)) {
    ctx.setOutputConstant(
        0, c.reshape(RankedTensorType::get(shape, c.getElementType())));
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
    return ctx.emitError() << "axis " << axis << " is out of range for rank "
                           << rank;
  if (axis < 0)
    axis += rank;
  return reshapeTo(
      ctx, {product(in.take_front(axis)), product(in.drop_front(axis))});
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
        return ctx.emitError()
               << "shape copies dimension " << i << " that the input lacks";
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
  ctx.setOutput(0,
                build<TransposeOp>(ctx, shape, {ctx.getTensor(0)},
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
  ctx.setOutput(
      0, build<ConcatOp>(
             ctx, shape, inputs,
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
  return ctx.emitError()
         << "only tensor, float and integer constants are supported";
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
  ctx.setOutputConstant(
      0, HostTensor<int64_t>{{n}, dims}.toAttr(ctx.getContext()));
  return success();
}

static LogicalResult importGather(NodeContext &ctx) {
  if (failed(expectInputs(ctx, 2)))
    return failure();
  DenseElementsAttr data = ctx.getConstant(0), indices = ctx.getConstant(1);
  if (!data || !indices || !indices.getElementType().isInteger(64))
    return ctx.emitError() << "only gathers of values known at import time "
                              "(shape computations) are supported";
  auto axis =
      normalizeAxis(ctx, ctx.getInt("axis", 0), data.getType().getRank());
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
      return ctx.emitError()
             << "cannot squeeze dimension " << *a << " of size " << in[*a];
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
  ctx.setOutput(
      0,
      build<SliceOp>(ctx, count, {ctx.getTensor(0)},
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
      return ctx.emitError()
             << "num_outputs = " << parts << " but the node has "
             << ctx.getNumOutputs() << " outputs";
    int64_t chunk = (in[*axis] + parts - 1) / parts;
    for (int64_t i = 0, left = in [*axis]; i < parts; ++i, left -= chunk)
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
    ctx.setOutput(
        i, build<SliceOp>(ctx, shape, {ctx.getTensor(0)},
                          {named(ctx, "axis", b.getI64IntegerAttr(*axis)),
                           named(ctx, "start", b.getI64IntegerAttr(start))}));
    start += size;
  }
  return success();
}

OpHandler lookupShapeOpHandler(StringRef opType) {
  return llvm::StringSwitch<OpHandler>(opType)
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
