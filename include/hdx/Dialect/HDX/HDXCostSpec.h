//===- HDXCostSpec.h - hdx attributes <-> the cost model's types -*- C++
//-*-===//
//
// The accelerator and mapping attributes hold what the cost model's
// description types (lib/Cost, HDXCostSpec) hold; these functions convert
// between the two. Evaluating a layer is not the dialect's business: that
// is the analysis library's (hdx/Analysis/LayerCost.h).
//
//===----------------------------------------------------------------------===//
#ifndef HDX_HDXCOSTSPEC_H
#define HDX_HDXCOSTSPEC_H

#include "hdx/Cost/Accelerator.h"
#include "hdx/Cost/Mapping.h"
#include "hdx/Dialect/HDX/HDXAttributes.h"

#include "mlir/IR/Diagnostics.h"

namespace hdx {

/// The cost model's view of an accelerator attribute.
cost::Accelerator toCostAccelerator(AcceleratorAttr attr, llvm::StringRef name);
/// The same from the attribute's parameters (as its verifier receives them);
/// without a name the accelerator keeps the template's default name.
cost::Accelerator toCostAccelerator(int64_t peRows, int64_t peCols,
                                    Dataflow dataflow, int64_t rfBytes,
                                    int64_t glbKib, int64_t wordBits,
                                    double clockMhz, double dramBwBytesPerCycle,
                                    llvm::StringRef technology,
                                    llvm::StringRef name = "");
/// The attribute for `accel`; null (with a diagnostic from `emitError`) when
/// the accelerator is invalid.
AcceleratorAttr
getAcceleratorAttr(mlir::MLIRContext *context, const cost::Accelerator &accel,
                   llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

cost::Mapping toCostMapping(MappingAttr attr);
MappingAttr getMappingAttr(mlir::MLIRContext *context,
                           const cost::Mapping &mapping);

} // namespace hdx

#endif // HDX_HDXCOSTSPEC_H
