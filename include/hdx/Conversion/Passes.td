//===- Passes.td - lowering hdx to upstream MLIR -----------*- tablegen -*-===//
#ifndef HDX_CONVERSION_PASSES_TD
#define HDX_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertHDXToLinalg : Pass<"convert-hdx-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower hdx ops to linalg on tensors, tiled by their mapping";
  let description = [{
    Every `hdx` op becomes upstream MLIR on tensors: convolutions become
    `linalg.conv_2d_nchw_fchw` (grouped convolutions one per group) or
    `linalg.depthwise_conv_2d_nchw_chw` after a `tensor.pad`; fully connected
    layers `linalg.matmul_transpose_b`; matrix products `linalg.matmul` or
    `linalg.batch_matmul`; pooling `linalg.pooling_nchw_max` /
    `linalg.pooling_nchw_sum`; element-wise ops, fused activations and the
    bias `linalg.generic`; views `tensor` reshapes and slices.

    A compute layer that carries a `#hdx.mapping` is tiled by it through
    upstream tiling (`TilingInterface`, `scf::tileUsingSCF`), outermost
    first: the DRAM temporal tiles in `dram_order`, the GLB temporal tiles in
    `glb_order`, the spatial unrolling over the PE array (`scf.forall` over
    output dimensions; `scf.for` over reduction dimensions, whose partial sums
    the array adds), and the RF temporal loops in `rf_order`, one MAC per
    iteration. Each level's loops step by the tile below it and run to the
    layer's bound; sizes that do not divide leave a partial last tile. The
    loops carry `hdx.level` ("dram", "glb", "spatial", "rf") so that a reader
    can find them. Layers without a mapping are lowered untiled.

    `hdx.accelerator` declarations and the `hdx.*` attributes of functions
    are dropped: the result no longer depends on the hdx dialect.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect", "::mlir::affine::AffineDialect"];
  let options = [
    Option<"tile", "tile", "bool", /*default=*/"true",
           "Tile mapped layers by their #hdx.mapping (false: untiled)">
  ];
}

#endif // HDX_CONVERSION_PASSES_TD
