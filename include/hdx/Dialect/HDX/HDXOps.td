//===- HDXOps.td - hdx operations --------------------------*- tablegen -*-===//
#ifndef HDX_OPS_TD
#define HDX_OPS_TD

include "hdx/Dialect/HDX/HDXDialect.td"
include "hdx/Dialect/HDX/HDXAttributes.td"
include "hdx/Dialect/HDX/HDXInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Ops the cost model charges as a layer; each defines getCostLayer.
def HDX_Layer : DeclareOpInterfaceMethods<HDX_LayerOpInterface, ["getCostLayer"]>;

// Activations and weights: ranked tensors with static shapes, NCHW for 4-D.
def HDX_Tensor : StaticShapeTensorOf<[AnyFloat, AnySignlessInteger]>;

def HDX_Pair : ConfinedAttr<DenseI64ArrayAttr,
    [DenseArrayCount<2>, DenseArrayStrictlyPositive<DenseI64ArrayAttr>]>;
def HDX_Pads : ConfinedAttr<DenseI64ArrayAttr,
    [DenseArrayCount<4>, DenseArrayNonNegative<DenseI64ArrayAttr>]>;

//===----------------------------------------------------------------------===//
// Accelerator declaration
//===----------------------------------------------------------------------===//

def HDX_AcceleratorOp : HDX_Op<"accelerator",
    [Symbol, HasParent<"::mlir::ModuleOp">]> {
  let summary = "Declares the accelerator a network is compiled for";
  let description = [{
    A module-level symbol carrying the accelerator's parameters (see
    `#hdx.accel`). Invalid parameters (an empty PE array, an unknown
    dataflow, buffers too small for one word per PE, ...) are rejected when
    the attribute is built, with a diagnostic at its location.

    ```mlir
    hdx.accelerator @edge16 <pe_rows = 16, pe_cols = 16, dataflow = ws,
        rf_bytes = 64, glb_kib = 128, word_bits = 8, clock_mhz = 200.0,
        dram_bw_bytes_per_cycle = 8.0>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, HDX_AcceleratorAttr:$config);
  let assemblyFormat = "$sym_name $config attr-dict";
}

//===----------------------------------------------------------------------===//
// Compute layers (mapped onto the PE array)
//===----------------------------------------------------------------------===//

// Layers whose loop nest runs on the PE array. They carry the mapping and
// cost attributes filled in by the compilation passes, and an optional fused
// activation (`activation_params`: [min, max] for clip, [alpha, beta] for
// hardsigmoid).
class HDX_ComputeOp<string mnemonic, list<Trait> traits = []>
    : HDX_Op<mnemonic, !listconcat(traits, [Pure, HDX_Layer,
                                            HDX_ArrayLayerOpInterface])> {
  dag layerAttrs = (ins
    DefaultValuedAttr<HDX_ActivationAttr, "::hdx::Activation::none">:$activation,
    OptionalAttr<DenseF64ArrayAttr>:$activation_params,
    OptionalAttr<HDX_MappingAttr>:$mapping,
    OptionalAttr<HDX_CostAttr>:$cost);
  let results = (outs HDX_Tensor:$output);
  let hasVerifier = 1;
}

def HDX_Conv2DOp : HDX_ComputeOp<"conv2d"> {
  let summary = "2-D convolution (grouped and depthwise included)";
  let description = [{
    `output[n, k, p, q] = bias[k] + sum_{c, r, s} input[n, g*C/G + c,
    p*stride_h + r*dil_h - pad_top, q*stride_w + s*dil_w - pad_left] *
    weight[k, c, r, s]`, where `g` is the group of output channel `k`.

    Input `N x C x H x W`, weight `K x C/groups x R x S`, optional bias `K`,
    output `N x K x P x Q`. `pads` is `[top, left, bottom, right]`. A
    depthwise convolution has `groups = C = K`.

    ```mlir
    %y = hdx.conv2d %x, %w, %b {strides = array<i64: 1, 1>,
                                 pads = array<i64: 1, 1, 1, 1>}
        : (tensor<1x16x56x56xf32>, tensor<32x16x3x3xf32>, tensor<32xf32>)
        -> tensor<1x32x56x56xf32>
    ```
  }];
  let arguments = !con((ins HDX_Tensor:$input, HDX_Tensor:$weight,
      Optional<HDX_Tensor>:$bias,
      DefaultValuedAttr<HDX_Pair, "{1, 1}">:$strides,
      DefaultValuedAttr<HDX_Pads, "{0, 0, 0, 0}">:$pads,
      DefaultValuedAttr<HDX_Pair, "{1, 1}">:$dilations,
      DefaultValuedAttr<ConfinedAttr<I64Attr, [IntPositive]>, "1">:$groups),
      layerAttrs);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def HDX_FullyConnectedOp : HDX_ComputeOp<"fc"> {
  let summary = "Fully connected layer";
  let description = [{
    `output[n, k] = bias[k] + sum_c input[n, c] * weight[k, c]`: input
    `N x C`, weight `K x C`, optional bias `K`, output `N x K`.
  }];
  let arguments = !con((ins HDX_Tensor:$input, HDX_Tensor:$weight,
      Optional<HDX_Tensor>:$bias), layerAttrs);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def HDX_MatMulOp : HDX_ComputeOp<"matmul"> {
  let summary = "Matrix product of two activations";
  let description = [{
    `output[..., m, n] = sum_k lhs[..., m, k] * rhs[..., k, n]` with equal
    leading (batch) dimensions.
  }];
  let arguments = !con((ins HDX_Tensor:$lhs, HDX_Tensor:$rhs), layerAttrs);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Memory-bound layers (pooling, element-wise)
//===----------------------------------------------------------------------===//

class HDX_PoolOp<string mnemonic> : HDX_Op<mnemonic, [Pure, HDX_Layer]> {
  let arguments = (ins HDX_Tensor:$input,
      HDX_Pair:$kernel,
      DefaultValuedAttr<HDX_Pair, "{1, 1}">:$strides,
      DefaultValuedAttr<HDX_Pads, "{0, 0, 0, 0}">:$pads,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
      DefaultValuedAttr<BoolAttr, "false">:$count_include_pad,
      OptionalAttr<HDX_CostAttr>:$cost);
  let results = (outs HDX_Tensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def HDX_MaxPoolOp : HDX_PoolOp<"max_pool"> {
  let summary = "2-D max pooling over NCHW";
  let description = [{
    `pads` is `[top, left, bottom, right]`; padded positions never win.
    With `ceil_mode` the output size rounds up instead of down.
    `count_include_pad` has no meaning for max pooling and must be false.
  }];
}

def HDX_AvgPoolOp : HDX_PoolOp<"avg_pool"> {
  let summary = "2-D average pooling over NCHW";
  let description = [{
    `pads` is `[top, left, bottom, right]`; `count_include_pad` says whether
    padded positions count in the divisor. With `ceil_mode` the output size
    rounds up instead of down.
  }];
}

def HDX_GlobalAvgPoolOp : HDX_Op<"global_avg_pool", [Pure, HDX_Layer]> {
  let summary = "Average over the spatial dimensions: NxCxHxW -> NxCx1x1";
  let arguments = (ins HDX_Tensor:$input, OptionalAttr<HDX_CostAttr>:$cost);
  let results = (outs HDX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

class HDX_BinaryOp<string mnemonic, string what>
    : HDX_Op<mnemonic, [Pure, HDX_Layer]> {
  let summary = "Element-wise " # what # " with multidirectional broadcasting";
  let description = [{
    Shapes broadcast as in NumPy (and ONNX): aligned from the last
    dimension, each pair of sizes equal or one of them 1. The result has the
    broadcast shape. A fused activation (as on compute layers) is applied
    to the result as it streams out, e.g. the ReLU after a residual add.
  }];
  let arguments = (ins HDX_Tensor:$lhs, HDX_Tensor:$rhs,
      DefaultValuedAttr<HDX_ActivationAttr, "::hdx::Activation::none">:$activation,
      OptionalAttr<DenseF64ArrayAttr>:$activation_params,
      OptionalAttr<HDX_CostAttr>:$cost);
  let results = (outs HDX_Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def HDX_AddOp : HDX_BinaryOp<"add", "addition">;
def HDX_MulOp : HDX_BinaryOp<"mul", "multiplication">;

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

class HDX_ActivationOp<string mnemonic, dag params = (ins)>
    : HDX_Op<mnemonic, [Pure, SameOperandsAndResultType, HDX_Layer]> {
  let arguments = !con((ins HDX_Tensor:$input), params,
                       (ins OptionalAttr<HDX_CostAttr>:$cost));
  let results = (outs HDX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

def HDX_ReluOp : HDX_ActivationOp<"relu"> {
  let summary = "max(x, 0)";
}
def HDX_ClipOp : HDX_ActivationOp<"clip", (ins F64Attr:$min, F64Attr:$max)> {
  let summary = "min(max(x, min), max); ReLU6 is clip(0, 6)";
  let hasVerifier = 1;
}
def HDX_HardSigmoidOp : HDX_ActivationOp<"hardsigmoid",
    (ins DefaultValuedAttr<F64Attr, "0.2">:$alpha,
         DefaultValuedAttr<F64Attr, "0.5">:$beta)> {
  let summary = "max(0, min(1, alpha * x + beta))";
}
def HDX_HardSwishOp : HDX_ActivationOp<"hardswish"> {
  let summary = "x * max(0, min(1, x / 6 + 1 / 2))";
}
def HDX_SigmoidOp : HDX_ActivationOp<"sigmoid"> {
  let summary = "1 / (1 + exp(-x))";
}

//===----------------------------------------------------------------------===//
// Normalization (folded away before mapping)
//===----------------------------------------------------------------------===//

def HDX_BatchNormOp : HDX_Op<"batch_norm", [Pure]> {
  let summary = "Inference-mode batch normalization over channel axis 1";
  let description = [{
    `y = scale * (x - mean) / sqrt(var + epsilon) + bias`, with `scale`,
    `bias`, `mean` and `var` of shape `C`. The compiler folds it into the
    preceding convolution or fully connected layer.
  }];
  let arguments = (ins HDX_Tensor:$input, HDX_Tensor:$scale, HDX_Tensor:$bias,
                       HDX_Tensor:$mean, HDX_Tensor:$var,
                       DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs HDX_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $var attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def HDX_ConcatOp : HDX_Op<"concat", [Pure, HDX_Layer]> {
  let summary = "Concatenation along one axis";
  let arguments = (ins Variadic<HDX_Tensor>:$inputs,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$axis,
                       OptionalAttr<HDX_CostAttr>:$cost);
  let results = (outs HDX_Tensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def HDX_ReshapeOp : HDX_Op<"reshape", [Pure]> {
  let summary = "Reinterprets a tensor with a new static shape (and Flatten)";
  let arguments = (ins HDX_Tensor:$input);
  let results = (outs HDX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def HDX_TransposeOp : HDX_Op<"transpose", [Pure, HDX_Layer]> {
  let summary = "Permutes the dimensions: output dim i is input dim perm[i]";
  let arguments = (ins HDX_Tensor:$input, DenseI64ArrayAttr:$perm,
                       OptionalAttr<HDX_CostAttr>:$cost);
  let results = (outs HDX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def HDX_SliceOp : HDX_Op<"slice", [Pure]> {
  let summary = "A contiguous range along one axis (channel split)";
  let description = [{
    Takes `output.shape[axis]` consecutive entries along `axis` starting at
    `start`; every other dimension is kept whole.
  }];
  let arguments = (ins HDX_Tensor:$input,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$axis,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$start);
  let results = (outs HDX_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

#endif // HDX_OPS_TD
