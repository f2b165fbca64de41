//===- HDXEnums.td - hdx enumerations ----------------------*- tablegen -*-===//
#ifndef HDX_ENUMS_TD
#define HDX_ENUMS_TD

include "mlir/IR/EnumAttr.td"

def HDX_DataflowWS : I32EnumAttrCase<"ws", 0>;
def HDX_DataflowOS : I32EnumAttrCase<"os", 1>;
def HDX_DataflowRS : I32EnumAttrCase<"rs", 2>;
def HDX_Dataflow : I32EnumAttr<"Dataflow",
    "dataflow of the PE array: weight stationary (ws), output stationary "
    "(os) or row stationary (rs)",
    [HDX_DataflowWS, HDX_DataflowOS, HDX_DataflowRS]> {
  let cppNamespace = "::hdx";
  let genSpecializedAttr = 0;
}

def HDX_ActNone        : I32EnumAttrCase<"none", 0>;
def HDX_ActRelu        : I32EnumAttrCase<"relu", 1>;
def HDX_ActClip        : I32EnumAttrCase<"clip", 2>;
def HDX_ActHardSigmoid : I32EnumAttrCase<"hardsigmoid", 3>;
def HDX_ActHardSwish   : I32EnumAttrCase<"hardswish", 4>;
def HDX_ActSigmoid     : I32EnumAttrCase<"sigmoid", 5>;
def HDX_Activation : I32EnumAttr<"Activation",
    "activation function fused into a compute layer",
    [HDX_ActNone, HDX_ActRelu, HDX_ActClip, HDX_ActHardSigmoid,
     HDX_ActHardSwish, HDX_ActSigmoid]> {
  let cppNamespace = "::hdx";
  let genSpecializedAttr = 0;
}

#endif // HDX_ENUMS_TD
