//===- HDXDialect.td - the hdx dialect ---------------------*- tablegen -*-===//
#ifndef HDX_DIALECT_TD
#define HDX_DIALECT_TD

include "mlir/IR/OpBase.td"

def HDX_Dialect : Dialect {
  let name = "hdx";
  let cppNamespace = "::hdx";
  let summary = "Neural networks mapped onto a searched spatial accelerator";
  let description = [{
    The `hdx` dialect describes a convolutional network at layer granularity
    (convolutions, fully connected layers, pooling, element-wise operations,
    activations and data movement on ranked, statically shaped tensors in
    NCHW layout) together with the accelerator it runs on.

    An `hdx.accelerator` symbol declares the accelerator (a
    `pe_rows x pe_cols` array of processing elements with per-PE register
    files, a global buffer and DRAM). Compilation passes record their results
    on the IR as typed attributes: `#hdx.mapping` (tile factors per storage
    level, loop order, spatial unrolling) and `#hdx.cost` (cycles, latency,
    energy, utilization) on each layer, and `#hdx.constraints` for the hard
    limits the compiled design must meet. Every later pass and every emitter
    reads these attributes, so there is one truth about the mapped design.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Name of the discardable attribute holding the hard constraints of a
    /// module (a `#hdx.constraints`).
    static constexpr ::llvm::StringLiteral getConstraintsAttrName() {
      return ::llvm::StringLiteral("hdx.constraints");
    }
    /// A function's total cost (a `#hdx.cost`).
    static constexpr ::llvm::StringLiteral getTotalCostAttrName() {
      return ::llvm::StringLiteral("hdx.total_cost");
    }
    /// A function's DRAM regions (a `#hdx.memory`).
    static constexpr ::llvm::StringLiteral getMemoryAttrName() {
      return ::llvm::StringLiteral("hdx.memory");
    }
    /// A layer's place in the schedule (a `#hdx.schedule`).
    static constexpr ::llvm::StringLiteral getScheduleAttrName() {
      return ::llvm::StringLiteral("hdx.schedule");
    }
    /// The storage level a loop of a lowered layer iterates ("dram",
    /// "glb", "spatial" or "rf"; a string set by --convert-hdx-to-linalg).
    static constexpr ::llvm::StringLiteral getLevelAttrName() {
      return ::llvm::StringLiteral("hdx.level");
    }
  private:
    void registerAttributes();
  public:
  }];
}

class HDX_Op<string mnemonic, list<Trait> traits = []>
    : Op<HDX_Dialect, mnemonic, traits>;

#endif // HDX_DIALECT_TD
