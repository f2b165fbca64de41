//===- HDXOps.h - hdx operations --------------------------------*- C++ -*-===//
#ifndef HDX_HDXOPS_H
#define HDX_HDXOPS_H

#include "HDX/HDXAttributes.h"
#include "HDX/HDXDialect.h"
#include "HDX/HDXInterfaces.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "HDX/HDXOps.h.inc"

namespace hdx {

/// Output size of a sliding window along one axis (convolution, pooling);
/// floor or ceil division as ONNX's `ceil_mode` says (a window that would
/// start in the right padding is dropped); 0 when the window does not fit
/// the padded input. The importer and the verifiers share it.
int64_t windowOutputSize(int64_t input, int64_t padBefore, int64_t padAfter,
                         int64_t window, int64_t stride, int64_t dilation,
                         bool ceilMode = false);

} // namespace hdx

#endif // HDX_HDXOPS_H
