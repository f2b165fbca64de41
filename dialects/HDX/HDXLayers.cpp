//===- HDXLayers.cpp - what each hdx op is for the cost model -------------===//
//
// LayerOpInterface::getCostLayer of every op the cost model charges: the
// loop bounds (N K C R S P Q), the window and the layer name.
//
//===----------------------------------------------------------------------===//
#include "hdx/Dialect/HDX/HDXOps.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace hdx {
#include "hdx/Dialect/HDX/HDXInterfaces.cpp.inc"
} // namespace hdx

using namespace hdx;

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// A layer of `kind` named after the op: its ONNX node name, else its op
/// name and place in the schedule.
static cost::Layer namedLayer(Operation *op, cost::LayerKind kind) {
  cost::Layer layer;
  layer.kind = kind;
  layer.name = getLayerName(op->getLoc());
  if (layer.name.empty()) {
    layer.name = op->getName().stripDialect().str();
    if (auto schedule = op->getAttrOfType<ScheduleAttr>(
            HDXDialect::getScheduleAttrName()))
      layer.name += "_" + std::to_string(schedule.getOrder());
  }
  return layer;
}

/// A layer sliding an R x S window over an NCHW input: N and C from the
/// input, K, P and Q from the output.
static cost::Layer windowLayer(Operation *op, cost::LayerKind kind,
                               ArrayRef<int64_t> in, ArrayRef<int64_t> out,
                               int64_t r, int64_t s, ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> pads) {
  cost::Layer layer = namedLayer(op, kind);
  layer.n = in[0];
  layer.c = in[1];
  layer.k = out[1];
  layer.r = r;
  layer.s = s;
  layer.p = out[2];
  layer.q = out[3];
  layer.stride_h = strides[0];
  layer.stride_w = strides[1];
  layer.pad_h = pads[0];
  layer.pad_w = pads[1];
  return layer;
}

cost::Layer Conv2DOp::getCostLayer() {
  ArrayRef<int64_t> w = shapeOf(getWeight());
  cost::Layer layer =
      windowLayer(*this, cost::LayerKind::Conv, shapeOf(getInput()),
                  shapeOf(getOutput()), w[2], w[3], getStrides(), getPads());
  layer.dilation_h = getDilations()[0];
  layer.dilation_w = getDilations()[1];
  layer.groups = getGroups();
  return layer;
}

cost::Layer FullyConnectedOp::getCostLayer() {
  cost::Layer layer = namedLayer(*this, cost::LayerKind::FC);
  layer.n = shapeOf(getInput())[0];
  layer.c = shapeOf(getInput())[1];
  layer.k = shapeOf(getWeight())[0];
  return layer;
}

cost::Layer MatMulOp::getCostLayer() {
  // Rows of all batches are independent: N = batch * M, C = K, K = N.
  cost::Layer layer = namedLayer(*this, cost::LayerKind::FC);
  ArrayRef<int64_t> lhs = shapeOf(getLhs()), rhs = shapeOf(getRhs());
  layer.n = 1;
  for (int64_t d : lhs.drop_back())
    layer.n *= d;
  layer.c = lhs.back();
  layer.k = rhs.back();
  return layer;
}

/// Pooling: a depthwise window, one group per channel.
static cost::Layer poolLayer(Operation *op, ArrayRef<int64_t> in,
                             ArrayRef<int64_t> out, ArrayRef<int64_t> kernel,
                             ArrayRef<int64_t> strides, ArrayRef<int64_t> pads) {
  cost::Layer layer = windowLayer(op, cost::LayerKind::Pool, in, out,
                                  kernel[0], kernel[1], strides, pads);
  layer.groups = in[1];
  return layer;
}

cost::Layer MaxPoolOp::getCostLayer() {
  return poolLayer(*this, shapeOf(getInput()), shapeOf(getOutput()),
                   getKernel(), getStrides(), getPads());
}

cost::Layer AvgPoolOp::getCostLayer() {
  return poolLayer(*this, shapeOf(getInput()), shapeOf(getOutput()),
                   getKernel(), getStrides(), getPads());
}

cost::Layer GlobalAvgPoolOp::getCostLayer() {
  ArrayRef<int64_t> in = shapeOf(getInput());
  int64_t window[2] = {in[2], in[3]}, one[2] = {1, 1}, none[4] = {0, 0, 0, 0};
  return poolLayer(*this, in, shapeOf(getOutput()), window, one, none);
}

/// Element-wise work streams every output element once; operands are read
/// once each (a broadcast operand is smaller, charged at full size here).
/// Elements count as N x C x P x Q (lower-rank tensors fold into C).
static cost::Layer elementwiseLayer(Operation *op, unsigned inputs) {
  cost::Layer layer = namedLayer(op, cost::LayerKind::Eltwise);
  ArrayRef<int64_t> out = shapeOf(op->getResult(0));
  layer.inputs = inputs;
  layer.n = out.empty() ? 1 : out[0];
  layer.c = layer.k = 1;
  for (size_t d = 1; d < std::min<size_t>(out.size(), 2); ++d)
    layer.c = layer.k = out[d];
  layer.p = out.size() > 2 ? out[2] : 1;
  layer.q = 1;
  for (size_t d = 3; d < out.size(); ++d)
    layer.q *= out[d];
  return layer;
}

cost::Layer AddOp::getCostLayer() { return elementwiseLayer(*this, 2); }
cost::Layer MulOp::getCostLayer() { return elementwiseLayer(*this, 2); }
cost::Layer ReluOp::getCostLayer() { return elementwiseLayer(*this, 1); }
cost::Layer ClipOp::getCostLayer() { return elementwiseLayer(*this, 1); }
cost::Layer HardSigmoidOp::getCostLayer() { return elementwiseLayer(*this, 1); }
cost::Layer HardSwishOp::getCostLayer() { return elementwiseLayer(*this, 1); }
cost::Layer SigmoidOp::getCostLayer() { return elementwiseLayer(*this, 1); }
cost::Layer TransposeOp::getCostLayer() { return elementwiseLayer(*this, 1); }
cost::Layer ConcatOp::getCostLayer() { return elementwiseLayer(*this, 1); }
