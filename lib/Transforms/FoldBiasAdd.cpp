//===- FoldBiasAdd.cpp - fold constant per-channel adds into the bias -----===//
#include "PassDetail.h"

#include "hdx/Dialect/HDX/HDXOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace hdx {
#define GEN_PASS_DEF_FOLDBIASADD
#include "hdx/Transforms/Passes.h.inc"
} // namespace hdx

using namespace mlir;
using namespace hdx;

namespace {

/// The per-channel values of `c` if it varies only along the output
/// channels of a `[N, K, ...]` result (rank-1 `[K]` aligns with the last
/// dimension, so it counts only for `[N, K]`).
std::optional<SmallVector<float>> channelValues(DenseElementsAttr c,
                                                RankedTensorType result) {
  ArrayRef<int64_t> shape = c.getType().getShape();
  int64_t k = result.getDimSize(1);
  int64_t rank = result.getRank();
  bool perChannel = false;
  if (shape.size() == 1)
    perChannel = rank == 2 && shape[0] == k;
  else if (static_cast<int64_t>(shape.size()) == rank) {
    perChannel = shape[1] == k;
    for (int64_t d = 0; d < rank; ++d)
      perChannel &= d == 1 || shape[d] == 1;
  }
  if (!perChannel || !c.getElementType().isF32())
    return std::nullopt;
  return SmallVector<float>(c.getValues<float>());
}

template <typename LayerOp>
struct FoldIntoBias : OpRewritePattern<AddOp> {
  using OpRewritePattern<AddOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    if (add.getActivation() != Activation::none)
      return rewriter.notifyMatchFailure(add, "add has an activation");
    for (unsigned side = 0; side < 2; ++side) {
      auto layer = add->getOperand(side).getDefiningOp<LayerOp>();
      DenseElementsAttr c, bias;
      if (!layer || !layer->hasOneUse() ||
          layer.getActivation() != Activation::none ||
          !matchPattern(add->getOperand(1 - side), m_Constant(&c)) ||
          (layer.getBias() && !matchPattern(layer.getBias(), m_Constant(&bias))))
        continue;
      auto resultType = cast<RankedTensorType>(layer.getType());
      if (add.getType() != resultType)
        continue;
      std::optional<SmallVector<float>> values = channelValues(c, resultType);
      if (!values)
        continue;
      if (bias)
        for (auto [v, b] : llvm::zip(*values, bias.getValues<float>()))
          v += b;
      Location loc = rewriter.getFusedLoc({layer.getLoc(), add.getLoc()});
      Value newBias = rewriter.create<arith::ConstantOp>(
          loc, DenseElementsAttr::get(
                   RankedTensorType::get({resultType.getDimSize(1)},
                                         rewriter.getF32Type()),
                   ArrayRef<float>(*values)));
      auto folded = rewriter.create<LayerOp>(
          loc, TypeRange{resultType},
          ValueRange{layer.getInput(), layer.getWeight(), newBias},
          layer->getAttrDictionary().getValue());
      rewriter.replaceOp(add, folded->getResults());
      rewriter.eraseOp(layer);
      return success();
    }
    return rewriter.notifyMatchFailure(add, "no layer with a foldable bias");
  }
};

struct FoldBiasAddPass : hdx::impl::FoldBiasAddBase<FoldBiasAddPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoBias<Conv2DOp>, FoldIntoBias<FullyConnectedOp>>(
        &getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
