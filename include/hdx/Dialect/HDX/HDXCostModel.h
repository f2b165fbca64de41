//===- HDXCostModel.h - hdx IR <-> the cost model ---------------*- C++ -*-===//
//
// The cost model (lib/Cost) is the single source of truth for hardware cost;
// these functions translate between it and the IR: accelerator attributes
// and mappings. What layer each op is, is the op's own answer
// (LayerOpInterface::getCostLayer, HDXLayers.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef HDX_HDXCOSTMODEL_H
#define HDX_HDXCOSTMODEL_H

#include "hdx/Cost/Accelerator.h"
#include "hdx/Cost/CostModel.h"
#include "hdx/Cost/Mapping.h"
#include "hdx/Dialect/HDX/HDXAttributes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Operation.h"

namespace hdx {

class AcceleratorOp;

/// The module's one accelerator; an error when it declares none or several.
mlir::FailureOr<AcceleratorOp> getUniqueAccelerator(mlir::ModuleOp module);

/// The cost model of an accelerator (its technology table resolved); an
/// error at the accelerator when the table cannot be read.
mlir::FailureOr<cost::CostModel> getCostModel(AcceleratorOp accelerator);
/// The cost model of the module's one accelerator.
mlir::FailureOr<cost::CostModel> getCostModel(mlir::ModuleOp module);

/// The cost model's view of an accelerator attribute.
cost::Accelerator toCostAccelerator(AcceleratorAttr attr, llvm::StringRef name);
/// The attribute for `accel`; null (with a diagnostic from `emitError`) when
/// the accelerator is invalid.
AcceleratorAttr
getAcceleratorAttr(mlir::MLIRContext *context, const cost::Accelerator &accel,
                   llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

cost::Mapping toCostMapping(MappingAttr attr);
MappingAttr getMappingAttr(mlir::MLIRContext *context,
                           const cost::Mapping &mapping);

/// The name of the layer at `loc`: the first name in it (the ONNX node name
/// for imported networks), or an empty string.
std::string getLayerName(mlir::Location loc);

} // namespace hdx

#endif // HDX_HDXCOSTMODEL_H
