//===- HDXInterfaces.td - hdx op interfaces ----------------*- tablegen -*-===//
#ifndef HDX_INTERFACES_TD
#define HDX_INTERFACES_TD

include "mlir/IR/OpBase.td"

def HDX_LayerOpInterface : OpInterface<"LayerOpInterface"> {
  let cppNamespace = "::hdx";
  let description = [{
    An operation the cost model charges as one layer: compute layers on the
    PE array and memory-bound layers (pooling, element-wise work) streamed
    through the global buffer. Views (reshape, slice) and constants do not
    implement it: they cost nothing. Passes and emitters find layers and
    read their cost through this interface, not by op name.
  }];
  let methods = [
    InterfaceMethod<[{
        The layer as the cost model sees it: its kind, loop bounds, window
        and the layer name (the ONNX node name from the location).
      }], "::hdx::cost::Layer", "getCostLayer">,
    InterfaceMethod<[{
        The cost `--hdx-estimate-cost` recorded, or null before it ran.
      }], "::hdx::CostAttr", "getLayerCost", (ins), [{}], [{
        return $_op.getCostAttr();
      }]>,
    InterfaceMethod<"Records the layer's cost.", "void", "setLayerCost",
      (ins "::hdx::CostAttr":$cost), [{}], [{
        $_op.setCostAttr(cost);
      }]>,
  ];
}

def HDX_ArrayLayerOpInterface
    : OpInterface<"ArrayLayerOpInterface", [HDX_LayerOpInterface]> {
  let cppNamespace = "::hdx";
  let description = [{
    A layer whose loop nest runs on the PE array (convolutions, fully
    connected layers, matrix products): `--hdx-map-layers` gives it a
    mapping (tiling, loop order, spatial unrolling).
  }];
  let methods = [
    InterfaceMethod<[{
        The mapping `--hdx-map-layers` recorded, or null before it ran.
      }], "::hdx::MappingAttr", "getLayerMapping", (ins), [{}], [{
        return $_op.getMappingAttr();
      }]>,
    InterfaceMethod<"Records the layer's mapping.", "void", "setLayerMapping",
      (ins "::hdx::MappingAttr":$mapping), [{}], [{
        $_op.setMappingAttr(mapping);
      }]>,
  ];
}

#endif // HDX_INTERFACES_TD
