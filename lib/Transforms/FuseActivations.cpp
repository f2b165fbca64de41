//===- FuseActivations.cpp - fuse activations into compute layers ---------===//
#include "PassDetail.h"

#include "hdx/Dialect/HDX/HDXOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace hdx {
#define GEN_PASS_DEF_FUSEACTIVATIONS
#include "hdx/Transforms/Passes.h.inc"
} // namespace hdx

using namespace mlir;
using namespace hdx;

namespace {

/// The fused form of each activation op: its kind and parameters. One
/// overload per op, so an activation without one does not compile.
using FusedActivation = std::pair<Activation, SmallVector<double>>;
static FusedActivation describe(ReluOp) { return {Activation::relu, {}}; }
static FusedActivation describe(ClipOp clip) {
  return {Activation::clip,
          {clip.getMin().convertToDouble(), clip.getMax().convertToDouble()}};
}
static FusedActivation describe(HardSigmoidOp hs) {
  return {Activation::hardsigmoid,
          {hs.getAlpha().convertToDouble(), hs.getBeta().convertToDouble()}};
}
static FusedActivation describe(HardSwishOp) {
  return {Activation::hardswish, {}};
}
static FusedActivation describe(SigmoidOp) { return {Activation::sigmoid, {}}; }

template <typename ActivationOp>
struct FuseIntoLayer : OpRewritePattern<ActivationOp> {
  using OpRewritePattern<ActivationOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ActivationOp act,
                                PatternRewriter &rewriter) const override {
    Operation *layer = act.getInput().getDefiningOp();
    if (!layer ||
        !isa<Conv2DOp, FullyConnectedOp, MatMulOp, AddOp, MulOp>(layer) ||
        !layer->hasOneUse())
      return rewriter.notifyMatchFailure(act, "no compute layer to fuse into");
    auto current = layer->template getAttrOfType<ActivationAttr>("activation");
    if (current && current.getValue() != Activation::none)
      return rewriter.notifyMatchFailure(act, "layer already has an activation");
    auto [kind, params] = describe(act);
    rewriter.modifyOpInPlace(layer, [&] {
      layer->setAttr("activation", ActivationAttr::get(rewriter.getContext(), kind));
      if (!params.empty())
        layer->setAttr("activation_params", rewriter.getDenseF64ArrayAttr(params));
      layer->setLoc(rewriter.getFusedLoc({layer->getLoc(), act.getLoc()}));
    });
    rewriter.replaceOp(act, layer->getResults());
    return success();
  }
};

struct FuseActivationsPass : hdx::impl::FuseActivationsBase<FuseActivationsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseIntoLayer<ReluOp>, FuseIntoLayer<ClipOp>,
                 FuseIntoLayer<HardSigmoidOp>, FuseIntoLayer<HardSwishOp>,
                 FuseIntoLayer<SigmoidOp>>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
