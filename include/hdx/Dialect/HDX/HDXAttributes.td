//===- HDXAttributes.td - hdx attributes -------------------*- tablegen -*-===//
#ifndef HDX_ATTRIBUTES_TD
#define HDX_ATTRIBUTES_TD

include "hdx/Dialect/HDX/HDXDialect.td"
include "hdx/Dialect/HDX/HDXEnums.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Parameters
//===----------------------------------------------------------------------===//

// A real number written as a plain literal (`16.6`), printed so that it
// re-parses to the same double.
// Stored as an f64 FloatAttr (hashable, uniqued); read it with
// `getValueAsDouble()`.
def HDX_DoubleParameter : AttrParameter<"::mlir::FloatAttr", "a real number"> {
  let parser = "::hdx::parseDouble($_parser)";
  let printer = "::hdx::printDouble($_printer, $_self)";
}

class HDX_OptionalDoubleParameter<string desc>
    : OptionalParameter<"::mlir::FloatAttr", desc> {
  let parser = "::hdx::parseDouble($_parser)";
  let printer = "::hdx::printDouble($_printer, $_self)";
}

// Seven loop factors in the fixed dimension order N, K, C, R, S, P, Q,
// written `[1, 2, 4, 1, 1, 7, 7]`.
def HDX_FactorsParameter : ArrayRefParameter<"int64_t",
    "factors for the loop dimensions N, K, C, R, S, P, Q"> {
  let parser = "::hdx::parseFactors($_parser)";
  let printer = "::hdx::printFactors($_printer, $_self)";
}

//===----------------------------------------------------------------------===//
// Enum attributes
//===----------------------------------------------------------------------===//

def HDX_DataflowAttr : EnumAttr<HDX_Dialect, HDX_Dataflow, "dataflow">;
def HDX_ActivationAttr : EnumAttr<HDX_Dialect, HDX_Activation, "activation">;

//===----------------------------------------------------------------------===//
// Accelerator
//===----------------------------------------------------------------------===//

class HDX_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<HDX_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def HDX_AcceleratorAttr : HDX_Attr<"Accelerator", "accel"> {
  let summary = "Parameters of the spatial accelerator template";
  let description = [{
    The accelerator template: a `pe_rows x pe_cols` array of processing
    elements, each with a MAC unit and a register file of `rf_bytes` bytes; a
    shared global buffer of `glb_kib` KiB; DRAM delivering
    `dram_bw_bytes_per_cycle` bytes per clock cycle; data words of `word_bits`
    bits; a clock of `clock_mhz` MHz; and a dataflow (`ws`, `os` or `rs`).
    `technology` names the energy/area table (a built-in name such as `45nm`
    or the path of a technology YAML file).

    The names and units are those of the accelerator YAML file.

    ```mlir
    #hdx.accel<pe_rows = 16, pe_cols = 16, dataflow = ws, rf_bytes = 64,
               glb_kib = 128, word_bits = 8, clock_mhz = 200.0,
               dram_bw_bytes_per_cycle = 8.0>
    ```
  }];
  let parameters = (ins
    "int64_t":$pe_rows,
    "int64_t":$pe_cols,
    EnumParameter<HDX_Dataflow>:$dataflow,
    "int64_t":$rf_bytes,
    "int64_t":$glb_kib,
    "int64_t":$word_bits,
    HDX_DoubleParameter:$clock_mhz,
    HDX_DoubleParameter:$dram_bw_bytes_per_cycle,
    StringRefParameter<"energy/area technology table", "\"45nm\"">:$technology
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Bytes per data word (`word_bits / 8`).
    int64_t getWordBytes() const { return getWordBits() / 8; }
    /// Number of processing elements.
    int64_t getNumPEs() const { return getPeRows() * getPeCols(); }
  }];
}

//===----------------------------------------------------------------------===//
// Constraints
//===----------------------------------------------------------------------===//

def HDX_ConstraintsAttr : HDX_Attr<"Constraints", "constraints"> {
  let summary = "Hard limits the compiled design must meet";
  let description = [{
    Upper limits on per-inference latency (`latency_ms`, milliseconds),
    per-inference energy (`energy_mj`, millijoules) and accelerator area
    (`area_mm2`, square millimetres). Every limit present must hold (`<=`);
    absent limits are unconstrained.

    ```mlir
    #hdx.constraints<latency_ms = 16.6, area_mm2 = 2.5>
    ```
  }];
  let parameters = (ins
    HDX_OptionalDoubleParameter<"latency limit in ms">:$latency_ms,
    HDX_OptionalDoubleParameter<"energy limit in mJ">:$energy_mj,
    HDX_OptionalDoubleParameter<"area limit in mm^2">:$area_mm2
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

//===----------------------------------------------------------------------===//
// Mapping and cost of one layer
//===----------------------------------------------------------------------===//

def HDX_MappingAttr : HDX_Attr<"Mapping", "mapping"> {
  let summary = "How one layer's loop nest is mapped onto the accelerator";
  let description = [{
    The mapping of a layer's seven loop dimensions (N batch, K output
    channels, C input channels, R/S filter height/width, P/Q output
    height/width, always in this order) onto the storage hierarchy:

    * `dram`, `glb`, `rf`: temporal tile factors at each storage level
      (outermost level first);
    * `rows`, `cols`: spatial unrolling factors over the PE array's rows and
      columns;
    * `dram_order`, `glb_order`, `rf_order`: the loop order at each level,
      outermost loop first, as a permutation of the letters `NKCRSPQ`.

    The product of a dimension's factors over all levels covers its bound;
    a product larger than the bound means the last tile is partial.

    ```mlir
    #hdx.mapping<dram = [1, 2, 1, 1, 1, 1, 1], glb = [1, 1, 1, 1, 1, 7, 7],
                 rf = [1, 1, 1, 3, 3, 1, 1], rows = [1, 1, 16, 1, 1, 1, 1],
                 cols = [1, 16, 1, 1, 1, 1, 1], dram_order = "NKCRSPQ",
                 glb_order = "NKCPQRS", rf_order = "NKCPQRS">
    ```
  }];
  let parameters = (ins
    HDX_FactorsParameter:$dram,
    HDX_FactorsParameter:$glb,
    HDX_FactorsParameter:$rf,
    HDX_FactorsParameter:$rows,
    HDX_FactorsParameter:$cols,
    StringRefParameter<"DRAM loop order, outermost first">:$dram_order,
    StringRefParameter<"GLB loop order, outermost first">:$glb_order,
    StringRefParameter<"RF loop order, outermost first">:$rf_order
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Product of all factors (temporal and spatial) of dimension `dim`
    /// (0 = N ... 6 = Q).
    int64_t getCoverage(unsigned dim) const;
  }];
}

def HDX_CostAttr : HDX_Attr<"Cost", "cost"> {
  let summary = "Estimated cost of one layer, or of a whole network";
  let description = [{
    The cost of executing a layer with its mapping: multiply-accumulate
    operations (`macs`), clock cycles (`cycles`), latency in milliseconds
    (`latency_ms`), energy in millijoules (`energy_mj`) and PE-array
    utilization (`utilization`, 0..1).

    ```mlir
    #hdx.cost<macs = 802816, cycles = 3136, latency_ms = 0.01568,
              energy_mj = 0.0021, utilization = 1.0>
    ```
  }];
  let parameters = (ins
    "int64_t":$macs,
    "int64_t":$cycles,
    HDX_DoubleParameter:$latency_ms,
    HDX_DoubleParameter:$energy_mj,
    HDX_DoubleParameter:$utilization
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

//===----------------------------------------------------------------------===//
// Schedule and memory
//===----------------------------------------------------------------------===//

def HDX_ScheduleAttr : HDX_Attr<"Schedule", "schedule"> {
  let summary = "Execution order and memory placement of one layer";
  let description = [{
    Attached as `hdx.schedule` by the scheduling pass: the layer's position
    in execution order, the DRAM range of its weights (from its first
    constant operand to the end of its last, alignment gaps included; 0
    bytes for layers without weights) and of its output, and the global
    buffer bytes its mapping's tiles occupy.

    ```mlir
    #hdx.schedule<order = 3, weights_offset_bytes = 4608,
                  weights_bytes = 1152, output_offset_bytes = 0,
                  output_bytes = 50176, glb_bytes = 3072>
    ```
  }];
  let parameters = (ins
    "int64_t":$order,
    "int64_t":$weights_offset_bytes,
    "int64_t":$weights_bytes,
    "int64_t":$output_offset_bytes,
    "int64_t":$output_bytes,
    "int64_t":$glb_bytes
  );
  let assemblyFormat = "`<` struct(params) `>`";
}

def HDX_MemoryAttr : HDX_Attr<"Memory", "memory"> {
  let summary = "DRAM regions of a scheduled network";
  let description = [{
    Attached to the function as `hdx.memory` by the scheduling pass: the
    bytes of the weight region, of the activation region (after reuse) and
    the peak global buffer bytes of any layer.
  }];
  let parameters = (ins
    "int64_t":$weights_bytes,
    "int64_t":$activations_bytes,
    "int64_t":$peak_glb_bytes
  );
  let assemblyFormat = "`<` struct(params) `>`";
}

#endif // HDX_ATTRIBUTES_TD
