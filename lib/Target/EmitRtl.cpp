//===- EmitRtl.cpp - RTL parameter package, C header, accelerator YAML ----===//
#include "hdx/Target/Emitters.h"
#include "hdx/Target/RtlParameters.h"

#include "hdx/Dialect/HDX/HDXCostSpec.h"
#include "hdx/Dialect/HDX/HDXOps.h"

using namespace mlir;

namespace hdx {

/// The module's accelerator in the cost model's terms.
static FailureOr<cost::Accelerator> moduleAccelerator(ModuleOp module) {
  FailureOr<AcceleratorOp> op = getUniqueAccelerator(module);
  if (failed(op))
    return failure();
  return toCostAccelerator(op->getConfig(), op->getSymName());
}

static FailureOr<target::RtlParameters> rtlParameters(ModuleOp module) {
  FailureOr<AcceleratorOp> op = getUniqueAccelerator(module);
  if (failed(op))
    return failure();
  hdx::Expected<target::RtlParameters> params = target::deriveRtlParameters(
      toCostAccelerator(op->getConfig(), op->getSymName()));
  if (!params)
    return op->emitError() << "cannot build RTL for accelerator @"
                           << op->getSymName() << ": " << params.error();
  return *params;
}

LogicalResult emitRtlParams(ModuleOp module, raw_ostream &os) {
  FailureOr<target::RtlParameters> params = rtlParameters(module);
  if (failed(params))
    return failure();
  os << target::emitSystemVerilogPackage(*params);
  return success();
}

LogicalResult emitRtlHeader(ModuleOp module, raw_ostream &os) {
  FailureOr<target::RtlParameters> params = rtlParameters(module);
  if (failed(params))
    return failure();
  os << target::emitCHeader(*params);
  return success();
}

LogicalResult emitAcceleratorConfig(ModuleOp module, raw_ostream &os) {
  FailureOr<cost::Accelerator> accel = moduleAccelerator(module);
  if (failed(accel))
    return failure();
  os << cost::toYaml(*accel);
  return success();
}

} // namespace hdx
