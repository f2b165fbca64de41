//===- HDXToLinalg.cpp - hdx ops to linalg, tiled by their mapping --------===//
//
// Each hdx op is rewritten in program order into upstream ops on tensors
// (docs/compiler.md, "Lowering"). Compute layers become linalg named ops
// whose loops are then tiled level by level with scf::tileUsingSCF, so the
// loop nest that runs is the one the mapping describes and the cost model
// charged.
//
//===----------------------------------------------------------------------===//
#include "hdx/Conversion/Passes.h"

#include "hdx/Dialect/HDX/HDXDialect.h"
#include "hdx/Dialect/HDX/HDXOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

namespace hdx {
#define GEN_PASS_DEF_CONVERTHDXTOLINALG
#include "hdx/Conversion/Passes.h.inc"
} // namespace hdx

using namespace mlir;
using namespace hdx;

namespace {

/// The mapping's dimensions, in #hdx.mapping order.
enum MapDim { N, K, C, R, S, P, Q, kNumMapDims };
constexpr const char *kDimLetters = "NKCRSPQ";

/// For each mapping dimension, the loop of the linalg op that iterates it
/// (-1: the op has no such loop, e.g. C of a depthwise convolution).
using LoopOfDim = std::array<int, kNumMapDims>;

// linalg.conv_2d_nchw_fchw iterates (n, f, oh, ow, c, kh, kw).
constexpr LoopOfDim kConvLoops = {0, 1, 4, 5, 6, 2, 3};
// linalg.depthwise_conv_2d_nchw_chw iterates (n, oh, ow, c, kh, kw).
constexpr LoopOfDim kDepthwiseLoops = {0, 3, -1, 4, 5, 1, 2};
// linalg.matmul and linalg.matmul_transpose_b iterate (m, n, k).
constexpr LoopOfDim kMatmulLoops = {0, 1, 2, -1, -1, -1, -1};

bool isReduction(int dim) { return dim == C || dim == R || dim == S; }

class Lowering {
public:
  Lowering(IRRewriter &rewriter, bool tile) : b(rewriter), tile(tile) {}

  /// Replaces `op` by its lowering; fails with a diagnostic on `op`.
  LogicalResult lower(Operation *op);
  /// A fresh tensor with the contents of `value`.
  Value copy(Location loc, Value value) {
    return elementwise(loc, shapeOf(value), value,
                       [](OpBuilder &, Location, ValueRange args) {
                         return args[0];
                       });
  }

private:
  IRRewriter &b;
  bool tile;

  Type f32() { return b.getF32Type(); }
  Value constantF32(Location loc, double v) {
    return b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(v));
  }
  Value filled(Location loc, ArrayRef<int64_t> shape, double v) {
    Value empty = b.create<tensor::EmptyOp>(loc, shape, f32());
    return b.create<linalg::FillOp>(loc, constantF32(loc, v), empty)
        ->getResult(0);
  }
  static ArrayRef<int64_t> shapeOf(Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  }

  Value pad(Location loc, Value input, ArrayRef<int64_t> low,
            ArrayRef<int64_t> high, double value);
  Value sliceWindowInput(Location loc, Value padded, int64_t rowsNeeded,
                         int64_t colsNeeded);
  Value broadcastBias(Location loc, Value bias, ArrayRef<int64_t> outShape);
  Value activate(Location loc, Value x, Activation act,
                 ArrayRef<double> params);
  Value elementwise(Location loc, ArrayRef<int64_t> outShape,
                    ValueRange operands,
                    function_ref<Value(OpBuilder &, Location, ValueRange)> fn);
  Value tileByMapping(linalg::LinalgOp op, MappingAttr mapping,
                      const LoopOfDim &loops);

  FailureOr<Value> lowerConv(Conv2DOp op);
  FailureOr<Value> lowerFullyConnected(FullyConnectedOp op);
  FailureOr<Value> lowerMatMul(MatMulOp op);
  Value lowerPool(Operation *op, Value input, ArrayRef<int64_t> kernel,
                  ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                  bool isMax, bool countIncludePad);
  Value lowerBinary(Operation *op, Value lhs, Value rhs, bool isAdd,
                    Activation act, ArrayRef<double> params);
  Value lowerReshape(Location loc, Value input, ArrayRef<int64_t> outShape);
};

Value Lowering::pad(Location loc, Value input, ArrayRef<int64_t> low,
                    ArrayRef<int64_t> high, double value) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return input;
  SmallVector<int64_t> shape(shapeOf(input));
  for (size_t d = 0; d < shape.size(); ++d)
    shape[d] += low[d] + high[d];
  SmallVector<OpFoldResult> lowOfr, highOfr;
  for (size_t d = 0; d < shape.size(); ++d) {
    lowOfr.push_back(b.getIndexAttr(low[d]));
    highOfr.push_back(b.getIndexAttr(high[d]));
  }
  return b.create<tensor::PadOp>(loc, RankedTensorType::get(shape, f32()),
                                 input, lowOfr, highOfr,
                                 constantF32(loc, value));
}

/// The rows and columns a window op reads: a padded input can be longer
/// than (P-1)*stride + (R-1)*dilation + 1 when the stride skips its tail.
Value Lowering::sliceWindowInput(Location loc, Value padded, int64_t rows,
                                 int64_t cols) {
  ArrayRef<int64_t> shape = shapeOf(padded);
  if (shape[2] == rows && shape[3] == cols)
    return padded;
  SmallVector<int64_t> sizes = {shape[0], shape[1], rows, cols};
  return b.create<tensor::ExtractSliceOp>(
      loc, RankedTensorType::get(sizes, f32()), padded, ValueRange{},
      ValueRange{}, ValueRange{}, ArrayRef<int64_t>{0, 0, 0, 0}, sizes,
      ArrayRef<int64_t>{1, 1, 1, 1});
}

/// A generic op over `outShape` with NumPy broadcasting of each operand
/// (aligned from the last dimension; size-1 dimensions repeat).
Value Lowering::elementwise(
    Location loc, ArrayRef<int64_t> outShape, ValueRange operands,
    function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
  unsigned rank = outShape.size();
  SmallVector<AffineMap> maps;
  for (Value operand : operands) {
    ArrayRef<int64_t> shape = shapeOf(operand);
    SmallVector<AffineExpr> exprs;
    for (size_t i = 0; i < shape.size(); ++i) {
      unsigned outDim = rank - shape.size() + i;
      exprs.push_back(shape[i] == 1 && outShape[outDim] != 1
                          ? b.getAffineConstantExpr(0)
                          : b.getAffineDimExpr(outDim));
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, b.getContext()));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = b.create<tensor::EmptyOp>(loc, outShape, f32());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, init.getType(), operands, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        nested.create<linalg::YieldOp>(
            nestedLoc, fn(nested, nestedLoc, args.drop_back()));
      });
  return generic->getResult(0);
}

/// The activation's scalar formula (HDXEnums.td); `params` as in
/// `activation_params`.
static Value activationOf(OpBuilder &b, Location loc, Value x, Activation act,
                          ArrayRef<double> params) {
  auto cst = [&](double v) -> Value {
    return b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(v));
  };
  auto clamp = [&](Value v, double lo, double hi) -> Value {
    Value low = b.create<arith::MaximumFOp>(loc, v, cst(lo));
    return b.create<arith::MinimumFOp>(loc, low, cst(hi));
  };
  switch (act) {
  case Activation::none:
    return x;
  case Activation::relu:
    return b.create<arith::MaximumFOp>(loc, x, cst(0.0));
  case Activation::clip:
    return clamp(x, params[0], params[1]);
  case Activation::hardsigmoid: {
    Value scaled = b.create<arith::MulFOp>(loc, x, cst(params[0]));
    return clamp(b.create<arith::AddFOp>(loc, scaled, cst(params[1])), 0, 1);
  }
  case Activation::hardswish: {
    Value scaled = b.create<arith::MulFOp>(loc, x, cst(1.0 / 6.0));
    Value gate = clamp(b.create<arith::AddFOp>(loc, scaled, cst(0.5)), 0, 1);
    return b.create<arith::MulFOp>(loc, x, gate);
  }
  case Activation::sigmoid: {
    Value negated = b.create<arith::NegFOp>(loc, x);
    Value denominator =
        b.create<arith::AddFOp>(loc, cst(1.0), b.create<math::ExpOp>(loc, negated));
    return b.create<arith::DivFOp>(loc, cst(1.0), denominator);
  }
  }
  llvm_unreachable("unknown activation");
}

/// The parameters of a fused activation, with the defaults of the
/// standalone ops where none are given.
static SmallVector<double> activationParams(Activation act,
                                            std::optional<ArrayRef<double>> given) {
  if (given && !given->empty())
    return SmallVector<double>(*given);
  if (act == Activation::hardsigmoid)
    return {0.2, 0.5};
  if (act == Activation::clip)
    return {-std::numeric_limits<double>::infinity(),
            std::numeric_limits<double>::infinity()};
  return {};
}

Value Lowering::activate(Location loc, Value x, Activation act,
                         ArrayRef<double> params) {
  if (act == Activation::none)
    return x;
  return elementwise(loc, shapeOf(x), x,
                     [&](OpBuilder &nb, Location l, ValueRange args) {
                       return activationOf(nb, l, args[0], act, params);
                     });
}

/// `outShape` (N x K [x P x Q]) filled with bias[k], or zeros without bias.
Value Lowering::broadcastBias(Location loc, Value bias,
                              ArrayRef<int64_t> outShape) {
  if (!bias)
    return filled(loc, outShape, 0.0);
  Value init = b.create<tensor::EmptyOp>(loc, outShape, f32());
  SmallVector<int64_t> broadcastDims = {0};
  for (size_t d = 2; d < outShape.size(); ++d)
    broadcastDims.push_back(d);
  return b.create<linalg::BroadcastOp>(loc, bias, init, broadcastDims)
      ->getResult(0);
}

/// Tiles `op` level by level as `mapping` says (see the pass description)
/// and returns the value that replaces its result.
Value Lowering::tileByMapping(linalg::LinalgOp op, MappingAttr mapping,
                              const LoopOfDim &loops) {
  SmallVector<int64_t> extent = op.getStaticLoopRanges();
  unsigned numLoops = extent.size();
  Operation *current = op;
  SmallVector<Value> replacement(op->getResults());

  auto spatial = [&](int d) {
    return mapping.getRows()[d] * mapping.getCols()[d];
  };
  // One level: `size[d]` is the tile each iteration covers; loops whose
  // tile is not smaller than the current extent are not generated.
  auto tileLevel = [&](StringRef level, ArrayRef<int64_t> size, StringRef order,
                       bool forall) {
    SmallVector<OpFoldResult> sizes(numLoops, b.getIndexAttr(0));
    SmallVector<int64_t> interchange;
    bool any = false;
    for (char letter : order) {
      int d = StringRef(kDimLetters).find(letter);
      int loop = loops[d];
      if (loop < 0)
        continue;
      interchange.push_back(loop);
      if (size[d] > 0 && size[d] < extent[loop]) {
        sizes[loop] = b.getIndexAttr(size[d]);
        extent[loop] = size[d];
        any = true;
      }
    }
    if (!any)
      return;
    for (unsigned loop = 0; loop < numLoops; ++loop)
      if (!llvm::is_contained(interchange, loop))
        interchange.push_back(loop);
    scf::SCFTilingOptions options;
    options.setTileSizes(sizes);
    options.setInterchange(interchange);
    if (forall)
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    b.setInsertionPoint(current);
    FailureOr<scf::SCFTilingResult> tiled =
        scf::tileUsingSCF(b, cast<TilingInterface>(current), options);
    assert(succeeded(tiled) && "linalg ops tile along any loop");
    for (LoopLikeOpInterface tiledLoop : tiled->loops)
      tiledLoop->setAttr(HDXDialect::getLevelAttrName(),
                         b.getStringAttr(level));
    if (current == op.getOperation())
      replacement = tiled->replacements;
    else
      b.replaceOp(current, tiled->replacements);
    current = tiled->tiledOps.back();
  };

  std::array<int64_t, kNumMapDims> dramTile, glbTile, spatialParallel,
      spatialReduction, rfTile;
  for (int d = 0; d < kNumMapDims; ++d) {
    int64_t rf = mapping.getRf()[d];
    glbTile[d] = spatial(d) * rf;
    dramTile[d] = mapping.getGlb()[d] * glbTile[d];
    bool unrolled = spatial(d) > 1;
    spatialParallel[d] = unrolled && !isReduction(d) ? rf : 0;
    spatialReduction[d] = unrolled && isReduction(d) ? rf : 0;
    rfTile[d] = 1;
  }
  tileLevel("dram", dramTile, mapping.getDramOrder(), false);
  tileLevel("glb", glbTile, mapping.getGlbOrder(), false);
  tileLevel("spatial", spatialParallel, kDimLetters, true);
  tileLevel("spatial", spatialReduction, kDimLetters, false);
  tileLevel("rf", rfTile, mapping.getRfOrder(), false);
  if (current != op.getOperation())
    b.eraseOp(op);
  return replacement[0];
}

FailureOr<Value> Lowering::lowerConv(Conv2DOp op) {
  Location loc = op.getLoc();
  ArrayRef<int64_t> in = shapeOf(op.getInput()), w = shapeOf(op.getWeight()),
                    out = shapeOf(op.getOutput());
  ArrayRef<int64_t> strides = op.getStrides(), pads = op.getPads(),
                    dilations = op.getDilations();
  int64_t groups = op.getGroups();
  int64_t kPerGroup = out[1] / groups, cPerGroup = in[1] / groups;

  Value padded = pad(loc, op.getInput(), {0, 0, pads[0], pads[1]},
                     {0, 0, pads[2], pads[3]}, 0.0);
  padded = sliceWindowInput(loc, padded,
                            (out[2] - 1) * strides[0] +
                                (w[2] - 1) * dilations[0] + 1,
                            (out[3] - 1) * strides[1] +
                                (w[3] - 1) * dilations[1] + 1);
  Value init = broadcastBias(loc, op.getBias(), out);
  Attribute stridesAttr = b.getI64TensorAttr(strides);
  Attribute dilationsAttr = b.getI64TensorAttr(dilations);
  MappingAttr mapping = tile ? op.getMappingAttr() : MappingAttr();
  auto finish = [&](linalg::LinalgOp conv, const LoopOfDim &loops) -> Value {
    b.setInsertionPointAfter(conv);
    Value result = mapping ? tileByMapping(conv, mapping, loops)
                           : conv->getResult(0);
    b.setInsertionPoint(op);
    return result;
  };

  Value result;
  if (groups == 1) {
    auto conv = b.create<linalg::Conv2DNchwFchwOp>(
        loc, init.getType(), ValueRange{padded, op.getWeight()}, init,
        stridesAttr, dilationsAttr);
    result = finish(conv, kConvLoops);
  } else if (op.getCostLayer().isDepthwise()) {
    // Depthwise (cost::Layer's definition, groups = C = K): the K x 1 x R x S
    // weight as the C x R x S filter.
    Value filter = b.create<tensor::CollapseShapeOp>(
        loc, op.getWeight(), ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
    auto conv = b.create<linalg::DepthwiseConv2DNchwChwOp>(
        loc, init.getType(), ValueRange{padded, filter}, init, stridesAttr,
        dilationsAttr);
    result = finish(conv, kDepthwiseLoops);
  } else {
    // One convolution per group on its slice of channels, as the cost model
    // runs a grouped convolution (LoopNest::copies); the mapping is that of
    // one group.
    ArrayRef<int64_t> paddedShape = shapeOf(padded);
    result = init;
    for (int64_t g = 0; g < groups; ++g) {
      SmallVector<int64_t> inSizes = {paddedShape[0], cPerGroup,
                                      paddedShape[2], paddedShape[3]};
      SmallVector<int64_t> wSizes = {kPerGroup, w[1], w[2], w[3]};
      SmallVector<int64_t> outSizes = {out[0], kPerGroup, out[2], out[3]};
      auto slice = [&](Value source, ArrayRef<int64_t> offsets,
                       ArrayRef<int64_t> sizes) -> Value {
        return b.create<tensor::ExtractSliceOp>(
            loc, RankedTensorType::get(sizes, f32()), source, ValueRange{},
            ValueRange{}, ValueRange{}, offsets, sizes,
            SmallVector<int64_t>(sizes.size(), 1));
      };
      Value groupIn = slice(padded, {0, g * cPerGroup, 0, 0}, inSizes);
      Value groupW = slice(op.getWeight(), {g * kPerGroup, 0, 0, 0}, wSizes);
      Value groupInit = slice(init, {0, g * kPerGroup, 0, 0}, outSizes);
      auto conv = b.create<linalg::Conv2DNchwFchwOp>(
          loc, groupInit.getType(), ValueRange{groupIn, groupW}, groupInit,
          stridesAttr, dilationsAttr);
      Value groupOut = finish(conv, kConvLoops);
      result = b.create<tensor::InsertSliceOp>(
          loc, groupOut, result, ValueRange{}, ValueRange{}, ValueRange{},
          ArrayRef<int64_t>{0, g * kPerGroup, 0, 0}, outSizes,
          ArrayRef<int64_t>{1, 1, 1, 1});
    }
  }
  return activate(loc, result, op.getActivation(),
                  activationParams(op.getActivation(), op.getActivationParams()));
}

FailureOr<Value> Lowering::lowerFullyConnected(FullyConnectedOp op) {
  Location loc = op.getLoc();
  Value init = broadcastBias(loc, op.getBias(), shapeOf(op.getOutput()));
  auto matmul = b.create<linalg::MatmulTransposeBOp>(
      loc, init.getType(), ValueRange{op.getInput(), op.getWeight()}, init);
  Value result = matmul->getResult(0);
  if (MappingAttr mapping = tile ? op.getMappingAttr() : MappingAttr()) {
    result = tileByMapping(matmul, mapping, kMatmulLoops);
    b.setInsertionPoint(op);
  }
  return activate(loc, result, op.getActivation(),
                  activationParams(op.getActivation(), op.getActivationParams()));
}

FailureOr<Value> Lowering::lowerMatMul(MatMulOp op) {
  Location loc = op.getLoc();
  ArrayRef<int64_t> lhs = shapeOf(op.getLhs()), rhs = shapeOf(op.getRhs()),
                    out = shapeOf(op.getOutput());
  Value result;
  if (lhs.size() == 2) {
    Value init = filled(loc, out, 0.0);
    auto matmul = b.create<linalg::MatmulOp>(
        loc, init.getType(), ValueRange{op.getLhs(), op.getRhs()}, init);
    result = matmul->getResult(0);
    if (MappingAttr mapping = tile ? op.getMappingAttr() : MappingAttr()) {
      result = tileByMapping(matmul, mapping, kMatmulLoops);
      b.setInsertionPoint(op);
    }
  } else {
    // Leading dimensions fold into one batch; such products run untiled
    // (their mapping's N covers batch x rows, which no single loop has).
    int64_t batch = 1;
    for (int64_t d : lhs.drop_back(2))
      batch *= d;
    auto collapse = [&](Value v, ArrayRef<int64_t> shape) -> Value {
      ReassociationIndices leading;
      for (size_t d = 0; d + 2 < shape.size(); ++d)
        leading.push_back(d);
      int64_t rank = shape.size();
      return b.create<tensor::CollapseShapeOp>(
          loc, v,
          ArrayRef<ReassociationIndices>{leading, {rank - 2}, {rank - 1}});
    };
    Value init = filled(loc, {batch, out[out.size() - 2], out.back()}, 0.0);
    Value product =
        b.create<linalg::BatchMatmulOp>(
             loc, init.getType(),
             ValueRange{collapse(op.getLhs(), lhs), collapse(op.getRhs(), rhs)},
             init)
            ->getResult(0);
    result = lowerReshape(loc, product, out);
  }
  return activate(loc, result, op.getActivation(),
                  activationParams(op.getActivation(), op.getActivationParams()));
}

/// Max pooling pads with -inf; average pooling sums a zero-padded window
/// and divides by the count of positions that count (computed here from the
/// shapes). `ceil_mode` windows past the padded input are padded too but
/// never counted.
Value Lowering::lowerPool(Operation *op, Value input, ArrayRef<int64_t> kernel,
                          ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                          bool isMax, bool countIncludePad) {
  Location loc = op->getLoc();
  ArrayRef<int64_t> in = shapeOf(input), out = shapeOf(op->getResult(0));
  int64_t rows = (out[2] - 1) * strides[0] + kernel[0];
  int64_t cols = (out[3] - 1) * strides[1] + kernel[1];
  int64_t extraRows = std::max<int64_t>(0, rows - (in[2] + pads[0] + pads[2]));
  int64_t extraCols = std::max<int64_t>(0, cols - (in[3] + pads[1] + pads[3]));
  double padValue = isMax ? -std::numeric_limits<double>::infinity() : 0.0;
  Value padded = pad(loc, input, {0, 0, pads[0], pads[1]},
                     {0, 0, pads[2] + extraRows, pads[3] + extraCols},
                     padValue);
  padded = sliceWindowInput(loc, padded, rows, cols);
  Value window = b.create<tensor::EmptyOp>(loc, kernel, f32());
  Value init = filled(loc, out, padValue);
  Attribute stridesAttr = b.getI64TensorAttr(strides);
  Attribute dilationsAttr = b.getI64TensorAttr({1, 1});
  if (isMax)
    return b
        .create<linalg::PoolingNchwMaxOp>(loc, init.getType(),
                                          ValueRange{padded, window}, init,
                                          stridesAttr, dilationsAttr)
        ->getResult(0);
  Value sum = b.create<linalg::PoolingNchwSumOp>(
                   loc, init.getType(), ValueRange{padded, window}, init,
                   stridesAttr, dilationsAttr)
                  ->getResult(0);
  // Positions of one window along one axis that count: the window clipped
  // to the input, or to the input and its explicit padding.
  auto counted = [&](int64_t o, int64_t stride, int64_t k, int64_t before,
                     int64_t size, int64_t after) {
    int64_t lo = countIncludePad ? -before : 0;
    int64_t hi = countIncludePad ? size + after : size;
    int64_t start = o * stride - before;
    return std::max<int64_t>(0, std::min(start + k, hi) - std::max(start, lo));
  };
  SmallVector<float> reciprocal;
  for (int64_t p = 0; p < out[2]; ++p)
    for (int64_t q = 0; q < out[3]; ++q) {
      int64_t n = counted(p, strides[0], kernel[0], pads[0], in[2], pads[2]) *
                  counted(q, strides[1], kernel[1], pads[1], in[3], pads[3]);
      reciprocal.push_back(n > 0 ? 1.0f / n : 0.0f);
    }
  auto countType = RankedTensorType::get({out[2], out[3]}, f32());
  Value scale = b.create<arith::ConstantOp>(
      loc, DenseElementsAttr::get(countType, ArrayRef<float>(reciprocal)));
  return elementwise(loc, out, ValueRange{sum, scale},
                     [](OpBuilder &nb, Location l, ValueRange args) -> Value {
                       return nb.create<arith::MulFOp>(l, args[0], args[1]);
                     });
}

Value Lowering::lowerBinary(Operation *op, Value lhs, Value rhs, bool isAdd,
                            Activation act, ArrayRef<double> params) {
  return elementwise(op->getLoc(), shapeOf(op->getResult(0)),
                     ValueRange{lhs, rhs},
                     [&](OpBuilder &nb, Location l, ValueRange args) {
                       Value v = isAdd ? nb.create<arith::AddFOp>(l, args[0],
                                                                  args[1])
                                             .getResult()
                                       : nb.create<arith::MulFOp>(l, args[0],
                                                                  args[1])
                                             .getResult();
                       return activationOf(nb, l, v, act, params);
                     });
}

/// A reshape as a collapse to one dimension and an expansion to the new
/// shape (both views after bufferization).
Value Lowering::lowerReshape(Location loc, Value input,
                             ArrayRef<int64_t> outShape) {
  ArrayRef<int64_t> in = shapeOf(input);
  if (in == outShape)
    return input;
  Value flat = input;
  if (in.size() != 1) {
    ReassociationIndices all;
    for (size_t d = 0; d < in.size(); ++d)
      all.push_back(d);
    flat = b.create<tensor::CollapseShapeOp>(
        loc, input, ArrayRef<ReassociationIndices>{all});
  }
  if (outShape.size() == 1)
    return flat;
  ReassociationIndices all;
  for (size_t d = 0; d < outShape.size(); ++d)
    all.push_back(d);
  return b.create<tensor::ExpandShapeOp>(
      loc, RankedTensorType::get(outShape, f32()), flat,
      ArrayRef<ReassociationIndices>{all});
}

LogicalResult Lowering::lower(Operation *op) {
  SmallVector<Type> types(op->getOperandTypes());
  llvm::append_range(types, op->getResultTypes());
  for (Type type : types)
    if (!cast<ShapedType>(type).getElementType().isF32())
      return op->emitError("lowering supports f32 tensors only, got ")
             << type;
  b.setInsertionPoint(op);
  Location loc = op->getLoc();
  FailureOr<Value> result =
      llvm::TypeSwitch<Operation *, FailureOr<Value>>(op)
          .Case([&](Conv2DOp conv) { return lowerConv(conv); })
          .Case([&](FullyConnectedOp fc) { return lowerFullyConnected(fc); })
          .Case([&](MatMulOp mm) { return lowerMatMul(mm); })
          .Case([&](MaxPoolOp pool) -> FailureOr<Value> {
            return lowerPool(pool, pool.getInput(), pool.getKernel(),
                             pool.getStrides(), pool.getPads(), true, false);
          })
          .Case([&](AvgPoolOp pool) -> FailureOr<Value> {
            return lowerPool(pool, pool.getInput(), pool.getKernel(),
                             pool.getStrides(), pool.getPads(), false,
                             pool.getCountIncludePad());
          })
          .Case([&](GlobalAvgPoolOp pool) -> FailureOr<Value> {
            ArrayRef<int64_t> in = shapeOf(pool.getInput());
            return lowerPool(pool, pool.getInput(), {in[2], in[3]}, {1, 1},
                             {0, 0, 0, 0}, false, false);
          })
          .Case([&](AddOp add) -> FailureOr<Value> {
            return lowerBinary(add, add.getLhs(), add.getRhs(), true,
                               add.getActivation(),
                               activationParams(add.getActivation(),
                                                add.getActivationParams()));
          })
          .Case([&](MulOp mul) -> FailureOr<Value> {
            return lowerBinary(mul, mul.getLhs(), mul.getRhs(), false,
                               mul.getActivation(),
                               activationParams(mul.getActivation(),
                                                mul.getActivationParams()));
          })
          .Case([&](ReluOp relu) -> FailureOr<Value> {
            return activate(loc, relu.getInput(), Activation::relu, {});
          })
          .Case([&](ClipOp clip) -> FailureOr<Value> {
            double params[2] = {clip.getMin().convertToDouble(),
                                clip.getMax().convertToDouble()};
            return activate(loc, clip.getInput(), Activation::clip, params);
          })
          .Case([&](HardSigmoidOp hs) -> FailureOr<Value> {
            double params[2] = {hs.getAlpha().convertToDouble(),
                                hs.getBeta().convertToDouble()};
            return activate(loc, hs.getInput(), Activation::hardsigmoid,
                            params);
          })
          .Case([&](HardSwishOp hs) -> FailureOr<Value> {
            return activate(loc, hs.getInput(), Activation::hardswish, {});
          })
          .Case([&](SigmoidOp s) -> FailureOr<Value> {
            return activate(loc, s.getInput(), Activation::sigmoid, {});
          })
          .Case([&](BatchNormOp bn) -> FailureOr<Value> {
            // y = (x - mean) * scale / sqrt(var + epsilon) + bias, per
            // channel (axis 1).
            ArrayRef<int64_t> shape = shapeOf(bn.getInput());
            SmallVector<Value> channelParams;
            SmallVector<int64_t> channelShape(shape.size(), 1);
            channelShape[1] = shape[1];
            for (Value v : {bn.getScale(), bn.getBias(), bn.getMean(),
                            bn.getVar()})
              channelParams.push_back(lowerReshape(loc, v, channelShape));
            double epsilon = bn.getEpsilon().convertToDouble();
            SmallVector<Value> operands = {bn.getInput()};
            operands.append(channelParams);
            return elementwise(
                loc, shape, operands,
                [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                  Value eps = nb.create<arith::ConstantOp>(
                      l, nb.getF32FloatAttr(epsilon));
                  Value std = nb.create<math::SqrtOp>(
                      l, nb.create<arith::AddFOp>(l, a[4], eps));
                  Value centered = nb.create<arith::SubFOp>(l, a[0], a[3]);
                  Value scaled = nb.create<arith::DivFOp>(
                      l, nb.create<arith::MulFOp>(l, centered, a[1]), std);
                  return nb.create<arith::AddFOp>(l, scaled, a[2]);
                });
          })
          .Case([&](ConcatOp concat) -> FailureOr<Value> {
            ArrayRef<int64_t> out = shapeOf(concat.getOutput());
            Value result = b.create<tensor::EmptyOp>(loc, out, f32());
            int64_t axis = concat.getAxis(), offset = 0;
            for (Value input : concat.getInputs()) {
              ArrayRef<int64_t> shape = shapeOf(input);
              SmallVector<int64_t> offsets(shape.size(), 0);
              offsets[axis] = offset;
              result = b.create<tensor::InsertSliceOp>(
                  loc, input, result, ValueRange{}, ValueRange{},
                  ValueRange{}, offsets, shape,
                  SmallVector<int64_t>(shape.size(), 1));
              offset += shape[axis];
            }
            return result;
          })
          .Case([&](ReshapeOp reshape) -> FailureOr<Value> {
            return lowerReshape(loc, reshape.getInput(),
                                shapeOf(reshape.getOutput()));
          })
          .Case([&](TransposeOp transpose) -> FailureOr<Value> {
            // An identity permutation is a no-op. (On buffers, MLIR 19's
            // convert-linalg-to-loops erases such a linalg.transpose instead
            // of copying, leaving its output uninitialized.)
            ArrayRef<int64_t> perm = transpose.getPerm();
            if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
              return transpose.getInput();
            Value init = b.create<tensor::EmptyOp>(
                loc, shapeOf(transpose.getOutput()), f32());
            return b
                .create<linalg::TransposeOp>(loc, transpose.getInput(), init,
                                             transpose.getPerm())
                ->getResult(0);
          })
          .Case([&](SliceOp slice) -> FailureOr<Value> {
            ArrayRef<int64_t> out = shapeOf(slice.getOutput());
            SmallVector<int64_t> offsets(out.size(), 0);
            offsets[slice.getAxis()] = slice.getStart();
            return b
                .create<tensor::ExtractSliceOp>(
                    loc, cast<RankedTensorType>(slice.getOutput().getType()),
                    slice.getInput(), ValueRange{}, ValueRange{}, ValueRange{},
                    offsets, out, SmallVector<int64_t>(out.size(), 1))
                .getResult();
          })
          .Default([&](Operation *other) -> FailureOr<Value> {
            return other->emitError("no lowering for this op");
          });
  if (failed(result))
    return failure();
  b.replaceOp(op, *result);
  return success();
}

struct ConvertHDXToLinalg
    : public hdx::impl::ConvertHDXToLinalgBase<ConvertHDXToLinalg> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    IRRewriter rewriter(&getContext());
    Lowering lowering(rewriter, tile);
    SmallVector<Operation *> hdxOps;
    module.walk([&](Operation *op) {
      if (isa<HDXDialect>(op->getDialect()) && !isa<AcceleratorOp>(op))
        hdxOps.push_back(op);
    });
    for (Operation *op : hdxOps)
      if (failed(lowering.lower(op)))
        return signalPassFailure();
    // Every result is written by an op of its own: a function that returns
    // its argument, a constant or one value twice has no buffer to turn into
    // an out-parameter otherwise.
    module.walk([&](func::ReturnOp ret) {
      rewriter.setInsertionPoint(ret);
      for (OpOperand &operand : ret->getOpOperands())
        operand.set(lowering.copy(ret.getLoc(), operand.get()));
    });
    for (AcceleratorOp accel :
         llvm::make_early_inc_range(module.getOps<AcceleratorOp>()))
      accel->erase();
    // Discardable hdx attributes (totals, constraints, memory) describe the
    // compiled design, not the code.
    auto dropHdxAttrs = [](Operation *op) {
      for (NamedAttribute attr : llvm::to_vector(op->getDiscardableAttrs()))
        if (attr.getName().strref().starts_with("hdx."))
          op->removeDiscardableAttr(attr.getName());
    };
    dropHdxAttrs(module);
    module.walk([&](func::FuncOp func) { dropHdxAttrs(func); });
  }
};

} // namespace
