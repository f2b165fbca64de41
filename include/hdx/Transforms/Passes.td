//===- Passes.td - hdx compilation passes ------------------*- tablegen -*-===//
#ifndef HDX_TRANSFORMS_PASSES_TD
#define HDX_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldBatchNorm : Pass<"hdx-fold-batch-norm", "::mlir::func::FuncOp"> {
  let summary = "Fold inference batch normalization into the preceding layer";
  let description = [{
    `batch_norm(conv(x, W, b))` becomes `conv(x, W', b')` with
    `W'[k] = W[k] * s[k]` and `b'[k] = (b[k] - mean[k]) * s[k] + bias[k]`,
    `s = scale / sqrt(var + epsilon)`, when the weights and the normalization
    parameters are constants and the convolution (or fully connected layer)
    has no other use. A batch normalization that cannot be folded becomes a
    per-channel `hdx.mul` and `hdx.add` with constant operands, so that no
    `hdx.batch_norm` is left for the mapper.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def FuseActivations : Pass<"hdx-fuse-activations", "::mlir::func::FuncOp"> {
  let summary = "Fuse activations into the compute layer that produces them";
  let description = [{
    An activation (`hdx.relu`, `hdx.clip`, `hdx.hardsigmoid`,
    `hdx.hardswish`, `hdx.sigmoid`) whose operand is a convolution, fully
    connected layer or matmul with no other use and no fused activation yet
    is folded into that layer's `activation` attribute: the PE array's
    output stage applies it before the result leaves the array, so it costs
    no extra pass over memory.
  }];
}

#endif // HDX_TRANSFORMS_PASSES_TD
