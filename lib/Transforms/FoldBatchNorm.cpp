//===- FoldBatchNorm.cpp - fold inference batch normalization -------------===//
#include "PassDetail.h"

#include "hdx/Dialect/HDX/HDXOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace hdx {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "hdx/Transforms/Passes.h.inc"
} // namespace hdx

using namespace mlir;
using namespace hdx;

namespace {

/// Per-channel scale `s = scale / sqrt(var + eps)` and shift
/// `t = bias - mean * s` of a batch normalization with constant parameters.
struct ChannelAffine {
  SmallVector<float> scale, shift;
};

static std::optional<ChannelAffine> getChannelAffine(BatchNormOp bn) {
  DenseElementsAttr scale, bias, mean, var;
  if (!matchPattern(bn.getScale(), m_Constant(&scale)) ||
      !matchPattern(bn.getBias(), m_Constant(&bias)) ||
      !matchPattern(bn.getMean(), m_Constant(&mean)) ||
      !matchPattern(bn.getVar(), m_Constant(&var)))
    return std::nullopt;
  double eps = bn.getEpsilon().convertToDouble();
  ChannelAffine affine;
  for (auto [g, b, m, v] :
       llvm::zip(scale.getValues<float>(), bias.getValues<float>(),
                 mean.getValues<float>(), var.getValues<float>())) {
    float s = static_cast<float>(g / std::sqrt(static_cast<double>(v) + eps));
    affine.scale.push_back(s);
    affine.shift.push_back(b - m * s);
  }
  return affine;
}

/// batch_norm(layer(x, W, b)) -> layer(x, W * s, b * s + t) for a conv2d or
/// fc whose output channels are dimension 0 of the weight.
template <typename LayerOp>
struct FoldIntoLayer : OpRewritePattern<BatchNormOp> {
  FoldIntoLayer(MLIRContext *context)
      : OpRewritePattern<BatchNormOp>(context, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto layer = bn.getInput().getDefiningOp<LayerOp>();
    if (!layer || !layer->hasOneUse() ||
        layer.getActivation() != Activation::none)
      return rewriter.notifyMatchFailure(bn, "no foldable layer before it");
    DenseElementsAttr weight, bias;
    if (!matchPattern(layer.getWeight(), m_Constant(&weight)) ||
        (layer.getBias() && !matchPattern(layer.getBias(), m_Constant(&bias))))
      return rewriter.notifyMatchFailure(bn, "layer weights are not constant");
    std::optional<ChannelAffine> affine = getChannelAffine(bn);
    if (!affine)
      return rewriter.notifyMatchFailure(bn, "parameters are not constant");

    auto weightType = cast<RankedTensorType>(weight.getType());
    int64_t channels = weightType.getDimSize(0);
    int64_t perChannel = weightType.getNumElements() / channels;
    SmallVector<float> newWeight(weight.getValues<float>());
    for (int64_t k = 0; k < channels; ++k)
      for (int64_t i = 0; i < perChannel; ++i)
        newWeight[k * perChannel + i] *= affine->scale[k];
    SmallVector<float> newBias(channels, 0.0f);
    if (bias)
      newBias = SmallVector<float>(bias.getValues<float>());
    for (int64_t k = 0; k < channels; ++k)
      newBias[k] = newBias[k] * affine->scale[k] + affine->shift[k];

    Location loc = rewriter.getFusedLoc({layer.getLoc(), bn.getLoc()});
    Value w = rewriter.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(weightType, ArrayRef<float>(newWeight)));
    Value b = rewriter.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(
                 RankedTensorType::get({channels}, rewriter.getF32Type()),
                 ArrayRef<float>(newBias)));
    auto folded = rewriter.create<LayerOp>(
        loc, TypeRange{bn.getType()},
        ValueRange{layer.getInput(), w, b},
        layer->getAttrDictionary().getValue());
    rewriter.replaceOp(bn, folded->getResults());
    rewriter.eraseOp(layer);
    return success();
  }
};

/// A batch normalization with no layer to fold into becomes a per-channel
/// multiply-add with constants.
struct LowerToMulAdd : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern<BatchNormOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    std::optional<ChannelAffine> affine = getChannelAffine(bn);
    if (!affine)
      return rewriter.notifyMatchFailure(bn, "parameters are not constant");
    auto type = cast<RankedTensorType>(bn.getType());
    // [C] broadcast along axis 1: shape [1, C, 1, ...].
    SmallVector<int64_t> shape(type.getRank(), 1);
    shape[1] = type.getDimSize(1);
    auto paramType = RankedTensorType::get(shape, rewriter.getF32Type());
    Value s = rewriter.create<arith::ConstantOp>(
        bn.getLoc(), DenseElementsAttr::get(paramType, ArrayRef<float>(affine->scale)));
    Value t = rewriter.create<arith::ConstantOp>(
        bn.getLoc(), DenseElementsAttr::get(paramType, ArrayRef<float>(affine->shift)));
    Value scaled = rewriter.create<MulOp>(bn.getLoc(), TypeRange{type},
                                          ValueRange{bn.getInput(), s});
    rewriter.replaceOpWithNewOp<AddOp>(bn, TypeRange{type},
                                       ValueRange{scaled, t});
    return success();
  }
};

struct FoldBatchNormPass : hdx::impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoLayer<Conv2DOp>, FoldIntoLayer<FullyConnectedOp>,
                 LowerToMulAdd>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Every normalization must be gone: the mapper has no model for it.
    WalkResult result = getOperation().walk([](BatchNormOp bn) {
      bn.emitError() << "batch normalization parameters must be constants";
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
