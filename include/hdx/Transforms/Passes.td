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

def FoldBiasAdd : Pass<"hdx-fold-bias-add", "::mlir::func::FuncOp"> {
  let summary = "Fold a constant per-channel add into the layer's bias";
  let description = [{
    `add(conv(x, W, b), c)` and `add(fc(x, W, b), c)`, where `c` is a
    constant that varies only along the output channels (shape `[K]`,
    `[1, K]` or `[1, K, 1, 1]`), become the layer with bias `b + c`. This is
    how exporters often write a classifier (`MatMul` then `Add`); folded, the
    add costs no pass over memory.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def FuseActivations : Pass<"hdx-fuse-activations", "::mlir::func::FuncOp"> {
  let summary = "Fuse activations into the compute layer that produces them";
  let description = [{
    An activation (`hdx.relu`, `hdx.clip`, `hdx.hardsigmoid`,
    `hdx.hardswish`, `hdx.sigmoid`) whose operand is a convolution, fully
    connected layer, matmul, add or mul with no other use and no fused
    activation yet is folded into that layer's `activation` attribute: the
    PE array's output stage (or the element-wise stream) applies it before
    the result is stored, so it costs no extra pass over memory.
  }];
}

def AttachAccelerator : Pass<"hdx-attach-accelerator", "::mlir::ModuleOp"> {
  let summary = "Declare the accelerator the network is compiled for";
  let dependentDialects = ["::hdx::HDXDialect"];
  let description = [{
    With `accel=<path>`, reads the accelerator YAML file and declares it as
    an `hdx.accelerator` symbol in the module (a module that already
    declares a different accelerator is an error). Without it, the module
    must already declare exactly one accelerator. Later passes use that one.
  }];
  let options = [
    Option<"acceleratorPath", "accel", "std::string", /*default=*/"",
           "Accelerator YAML file">
  ];
}

def MapLayers : Pass<"hdx-map-layers", "::mlir::ModuleOp"> {
  let summary = "Map every compute layer onto the accelerator";
  let dependentDialects = ["::hdx::HDXDialect"];
  let description = [{
    Runs the mapper on every convolution, fully connected layer and matmul
    and records the best mapping found (tile factors per storage level,
    loop orders, spatial unrolling) as the layer's `mapping` attribute.
    Identical layer shapes are mapped once.
  }];
  let options = [
    Option<"objective", "objective", "std::string", /*default=*/"\"latency\"",
           "What the mapper minimizes: latency, energy or edp">
  ];
}

def EstimateCost : Pass<"hdx-estimate-cost", "::mlir::ModuleOp"> {
  let summary = "Estimate the cost of every layer and of the network";
  let dependentDialects = ["::hdx::HDXDialect"];
  let description = [{
    Evaluates the cost model on every layer (compute layers with their
    mapping, pooling and element-wise layers as streams through the global
    buffer) and records it as the layer's `cost` attribute. Layers execute
    one after another, so the function's `hdx.total_cost` is the sum of the
    cycles, latency and energy of its layers.
  }];
}

def Schedule : Pass<"hdx-schedule", "::mlir::ModuleOp"> {
  let summary = "Order the layers and place their tensors in DRAM";
  let dependentDialects = ["::hdx::HDXDialect"];
  let description = [{
    Numbers the layers in execution order and allocates DRAM: weights are
    packed one after another in a weight region; activations share an
    activation region where a tensor's space is reused once its last reader
    has run (first fit, in execution order). Each layer records its order,
    the DRAM offsets and sizes of its weights and output, and the global
    buffer bytes its mapping needs in `hdx.schedule`; the function records
    the region sizes in `hdx.memory`.
  }];
}

def VerifyConstraints : Pass<"hdx-verify-constraints", "::mlir::ModuleOp"> {
  let summary = "Check the hard constraints on the estimated design";
  let dependentDialects = ["::hdx::HDXDialect"];
  let description = [{
    Compares the network's latency and energy per run (per inference at
    batch 1; for the whole batch when the network was imported with a
    larger one) and the accelerator's area with their limits: the module's `hdx.constraints`,
    overridden by the pass options (which are then recorded in
    `hdx.constraints`). A violated limit is an error that gives the value,
    the limit and the layers that cost most; a met one is a remark with the
    slack.
  }];
  let options = [
    Option<"latencyMs", "latency-ms", "double", /*default=*/"0",
           "Latency limit in ms (0: keep the module's)">,
    Option<"energyMj", "energy-mj", "double", /*default=*/"0",
           "Energy limit in mJ per run of the network (0: keep the module's)">,
    Option<"areaMm2", "area-mm2", "double", /*default=*/"0",
           "Area limit in mm^2 (0: keep the module's)">
  ];
}

#endif // HDX_TRANSFORMS_PASSES_TD
