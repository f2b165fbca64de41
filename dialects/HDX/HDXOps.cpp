//===- HDXOps.cpp - hdx operations ----------------------------------------===//
#include "hdx/Dialect/HDX/HDXOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Dialect/Traits.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace hdx;

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

/// A shape as `[1, 32, 56, 56]`, for diagnostics.
static std::string shapeText(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(shape, os);
  os << ']';
  return text;
}

/// All tensors of a layer share one element type: the accelerator has one
/// word width.
static LogicalResult verifySameElementType(Operation *op) {
  Type expected;
  llvm::SmallVector<Type> types(op->getOperandTypes());
  llvm::append_range(types, op->getResultTypes());
  for (Type type : types) {
    Type element = cast<ShapedType>(type).getElementType();
    if (!expected)
      expected = element;
    else if (element != expected)
      return op->emitOpError() << "mixes element types " << expected << " and "
                               << element;
  }
  return success();
}

static LogicalResult verifyRank(Operation *op, Value value, int64_t rank,
                                StringRef name) {
  int64_t actual = cast<RankedTensorType>(value.getType()).getRank();
  if (actual != rank)
    return op->emitOpError() << "expects " << name << " of rank " << rank
                             << ", got rank " << actual;
  return success();
}

static LogicalResult verifyResultShape(Operation *op,
                                       ArrayRef<int64_t> expected) {
  ArrayRef<int64_t> actual = shapeOf(op->getResult(0));
  if (actual != expected)
    return op->emitOpError() << "expects output shape " << shapeText(expected)
                             << ", got " << shapeText(actual);
  return success();
}

/// The number of parameters each fused activation takes.
static LogicalResult verifyActivation(Operation *op, Activation activation,
                                      std::optional<ArrayRef<double>> params) {
  size_t expected = 0;
  if (activation == Activation::clip || activation == Activation::hardsigmoid)
    expected = 2;
  size_t actual = params ? params->size() : 0;
  if (actual != expected)
    return op->emitOpError()
           << "activation '" << stringifyActivation(activation)
           << "' takes " << expected << " activation_params, got " << actual;
  if (activation == Activation::clip && (*params)[0] > (*params)[1])
    return op->emitOpError() << "clip activation has min > max";
  return success();
}

/// Checks a mapping covers every loop bound of its layer.
static LogicalResult verifyMappingCovers(Operation *op,
                                         std::optional<MappingAttr> mapping,
                                         ArrayRef<int64_t> bounds) {
  if (!mapping)
    return success();
  for (auto [dim, bound] : llvm::enumerate(bounds))
    if (mapping->getCoverage(dim) < bound)
      return op->emitOpError()
             << "mapping covers " << mapping->getCoverage(dim) << " of "
             << kLoopDims[dim] << " = " << bound;
  return success();
}

//===----------------------------------------------------------------------===//
// Compute layers
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  if (failed(verifyRank(*this, getInput(), 4, "input")) ||
      failed(verifyRank(*this, getWeight(), 4, "weight")) ||
      failed(verifySameElementType(*this)) ||
      failed(verifyActivation(*this, getActivation(), getActivationParams())))
    return failure();
  ArrayRef<int64_t> in = shapeOf(getInput()), w = shapeOf(getWeight());
  int64_t groups = getGroups();
  int64_t n = in[0], c = in[1], k = w[0], r = w[2], s = w[3];
  if (c % groups != 0 || k % groups != 0)
    return emitOpError() << "groups (" << groups
                         << ") must divide input channels (" << c
                         << ") and output channels (" << k << ")";
  if (w[1] != c / groups)
    return emitOpError() << "expects weight dimension 1 to be input channels / "
                            "groups = "
                         << c / groups << ", got " << w[1];
  if (getBias()) {
    if (failed(verifyRank(*this, getBias(), 1, "bias")))
      return failure();
    if (shapeOf(getBias())[0] != k)
      return emitOpError() << "expects bias of size " << k << ", got "
                           << shapeOf(getBias())[0];
  }
  ArrayRef<int64_t> strides = getStrides(), pads = getPads(),
                    dilations = getDilations();
  int64_t p = windowOutputSize(in[2], pads[0], pads[2], r, strides[0],
                               dilations[0]);
  int64_t q = windowOutputSize(in[3], pads[1], pads[3], s, strides[1],
                               dilations[1]);
  if (p < 1 || q < 1)
    return emitOpError() << "filter " << r << "x" << s
                         << " does not fit the padded input";
  if (failed(verifyResultShape(*this, {n, k, p, q})))
    return failure();
  // Per group, each output channel reduces over C/groups input channels.
  // Groups of several output channels run one after another as copies of
  // one group's loop nest, so the mapping covers K/groups; a depthwise-like
  // layer (one output channel per group) maps all K at once.
  int64_t kMapped = groups > 1 && k / groups > 1 ? k / groups : k;
  return verifyMappingCovers(*this, getMapping(),
                             {n, kMapped, c / groups, r, s, p, q});
}

LogicalResult FullyConnectedOp::verify() {
  if (failed(verifyRank(*this, getInput(), 2, "input")) ||
      failed(verifyRank(*this, getWeight(), 2, "weight")) ||
      failed(verifySameElementType(*this)) ||
      failed(verifyActivation(*this, getActivation(), getActivationParams())))
    return failure();
  ArrayRef<int64_t> in = shapeOf(getInput()), w = shapeOf(getWeight());
  if (w[1] != in[1])
    return emitOpError() << "expects weight of shape Kx" << in[1]
                         << " (input features), got " << shapeText(w);
  if (getBias()) {
    if (failed(verifyRank(*this, getBias(), 1, "bias")))
      return failure();
    if (shapeOf(getBias())[0] != w[0])
      return emitOpError() << "expects bias of size " << w[0] << ", got "
                           << shapeOf(getBias())[0];
  }
  if (failed(verifyResultShape(*this, {in[0], w[0]})))
    return failure();
  return verifyMappingCovers(*this, getMapping(), {in[0], w[0], in[1], 1, 1, 1, 1});
}

LogicalResult MatMulOp::verify() {
  if (failed(verifySameElementType(*this)) ||
      failed(verifyActivation(*this, getActivation(), getActivationParams())))
    return failure();
  ArrayRef<int64_t> lhs = shapeOf(getLhs()), rhs = shapeOf(getRhs());
  if (lhs.size() < 2 || lhs.size() != rhs.size())
    return emitOpError() << "expects operands of equal rank >= 2";
  size_t rank = lhs.size();
  if (lhs.drop_back(2) != rhs.drop_back(2))
    return emitOpError() << "expects equal batch dimensions";
  if (lhs[rank - 1] != rhs[rank - 2])
    return emitOpError() << "contracts " << lhs[rank - 1] << " with "
                         << rhs[rank - 2];
  llvm::SmallVector<int64_t> out(lhs.drop_back(1));
  out.push_back(rhs[rank - 1]);
  if (failed(verifyResultShape(*this, out)))
    return failure();
  int64_t batch = 1;
  for (int64_t d : lhs.drop_back(2))
    batch *= d;
  return verifyMappingCovers(
      *this, getMapping(),
      {batch * lhs[rank - 2], rhs[rank - 1], lhs[rank - 1], 1, 1, 1, 1});
}

//===----------------------------------------------------------------------===//
// Pooling and element-wise
//===----------------------------------------------------------------------===//

template <typename PoolOp>
static LogicalResult verifyPool(PoolOp op) {
  if (failed(verifyRank(op, op.getInput(), 4, "input")) ||
      failed(verifySameElementType(op)))
    return failure();
  ArrayRef<int64_t> in = shapeOf(op.getInput());
  ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                    pads = op.getPads();
  if (pads[0] >= kernel[0] || pads[2] >= kernel[0] || pads[1] >= kernel[1] ||
      pads[3] >= kernel[1])
    return op.emitOpError() << "pads must be smaller than the kernel";
  int64_t p = windowOutputSize(in[2], pads[0], pads[2], kernel[0], strides[0],
                               1, op.getCeilMode());
  int64_t q = windowOutputSize(in[3], pads[1], pads[3], kernel[1], strides[1],
                               1, op.getCeilMode());
  if (p < 1 || q < 1)
    return op.emitOpError() << "kernel does not fit the padded input";
  return verifyResultShape(op, {in[0], in[1], p, q});
}

LogicalResult MaxPoolOp::verify() {
  if (getCountIncludePad())
    return emitOpError() << "count_include_pad has no meaning for max pooling";
  return verifyPool(*this);
}

LogicalResult AvgPoolOp::verify() { return verifyPool(*this); }

LogicalResult GlobalAvgPoolOp::verify() {
  if (failed(verifyRank(*this, getInput(), 4, "input")) ||
      failed(verifySameElementType(*this)))
    return failure();
  ArrayRef<int64_t> in = shapeOf(getInput());
  return verifyResultShape(*this, {in[0], in[1], 1, 1});
}

template <typename BinaryOp>
static LogicalResult verifyBroadcast(BinaryOp op) {
  if (failed(verifySameElementType(op)) ||
      failed(verifyActivation(op, op.getActivation(), op.getActivationParams())))
    return failure();
  llvm::SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(shapeOf(op.getLhs()),
                                          shapeOf(op.getRhs()), shape))
    return op.emitOpError() << "cannot broadcast "
                            << shapeText(shapeOf(op.getLhs())) << " with "
                            << shapeText(shapeOf(op.getRhs()));
  return verifyResultShape(op, shape);
}

LogicalResult AddOp::verify() { return verifyBroadcast(*this); }
LogicalResult MulOp::verify() { return verifyBroadcast(*this); }

LogicalResult ClipOp::verify() {
  if (getMin().convertToDouble() > getMax().convertToDouble())
    return emitOpError() << "min must not exceed max";
  return success();
}

LogicalResult BatchNormOp::verify() {
  if (failed(verifySameElementType(*this)))
    return failure();
  ArrayRef<int64_t> in = shapeOf(getInput());
  if (in.size() < 2)
    return emitOpError() << "expects input of rank >= 2 (channel axis 1)";
  for (Value param : {getScale(), getBias(), getMean(), getVar()}) {
    ArrayRef<int64_t> shape = shapeOf(param);
    if (shape.size() != 1 || shape[0] != in[1])
      return emitOpError() << "expects scale, bias, mean and var of shape ["
                           << in[1] << "]";
  }
  if (getEpsilon().convertToDouble() < 0)
    return emitOpError() << "epsilon must be non-negative";
  return verifyResultShape(*this, in);
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError() << "expects at least one input";
  if (failed(verifySameElementType(*this)))
    return failure();
  llvm::SmallVector<int64_t> out(shapeOf(getInputs()[0]));
  uint64_t axis = getAxis();
  if (axis >= out.size())
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << out.size();
  out[axis] = 0;
  for (Value input : getInputs()) {
    ArrayRef<int64_t> shape = shapeOf(input);
    if (shape.size() != out.size())
      return emitOpError() << "expects inputs of equal rank";
    for (auto [dim, size] : llvm::enumerate(shape))
      if (dim != axis && size != out[dim])
        return emitOpError() << "inputs differ in dimension " << dim
                             << " outside the concatenation axis";
    out[axis] += shape[axis];
  }
  return verifyResultShape(*this, out);
}

LogicalResult ReshapeOp::verify() {
  if (failed(verifySameElementType(*this)))
    return failure();
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (in.getNumElements() != out.getNumElements())
    return emitOpError() << "changes the element count from "
                         << in.getNumElements() << " to "
                         << out.getNumElements();
  return success();
}

LogicalResult TransposeOp::verify() {
  if (failed(verifySameElementType(*this)))
    return failure();
  ArrayRef<int64_t> in = shapeOf(getInput());
  ArrayRef<int64_t> perm = getPerm();
  if (perm.size() != in.size())
    return emitOpError() << "expects a permutation of " << in.size()
                         << " dimensions";
  llvm::SmallVector<bool> seen(in.size(), false);
  llvm::SmallVector<int64_t> out;
  for (int64_t dim : perm) {
    if (dim < 0 || dim >= static_cast<int64_t>(in.size()) || seen[dim])
      return emitOpError() << "perm is not a permutation";
    seen[dim] = true;
    out.push_back(in[dim]);
  }
  return verifyResultShape(*this, out);
}

LogicalResult SliceOp::verify() {
  if (failed(verifySameElementType(*this)))
    return failure();
  ArrayRef<int64_t> in = shapeOf(getInput()), out = shapeOf(getOutput());
  uint64_t axis = getAxis();
  if (axis >= in.size() || in.size() != out.size())
    return emitOpError() << "expects axis < rank and equal ranks";
  if (static_cast<int64_t>(getStart()) + out[axis] > in[axis])
    return emitOpError() << "range [" << getStart() << ", "
                         << getStart() + out[axis] << ") exceeds dimension "
                         << axis << " of size " << in[axis];
  for (size_t dim = 0; dim < in.size(); ++dim)
    if (dim != axis && in[dim] != out[dim])
      return emitOpError() << "may only change dimension " << axis;
  return success();
}

//===----------------------------------------------------------------------===//
// Queries on modules and locations
//===----------------------------------------------------------------------===//

namespace hdx {

FailureOr<AcceleratorOp> getUniqueAccelerator(ModuleOp module) {
  SmallVector<AcceleratorOp> found(module.getOps<AcceleratorOp>());
  if (found.size() == 1)
    return found.front();
  if (found.empty())
    return module.emitError()
           << "the module declares no hdx.accelerator (attach one with "
              "--hdx-attach-accelerator=\"accel=<file.yaml>\")";
  InFlightDiagnostic diag = module.emitError()
                            << "the module declares " << found.size()
                            << " accelerators; exactly one is needed";
  for (AcceleratorOp op : found)
    diag.attachNote(op.getLoc()) << "accelerator @" << op.getSymName();
  return diag;
}

std::string getLayerName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string name = getLayerName(inner); !name.empty())
        return name;
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return getLayerName(callSite.getCallee());
  return "";
}

} // namespace hdx

#define GET_OP_CLASSES
#include "hdx/Dialect/HDX/HDXOps.cpp.inc"
