//===- HDXDialect.cpp - the hdx dialect -----------------------------------===//
#include "hdx/Dialect/HDX/HDXDialect.h"
#include "hdx/Dialect/HDX/HDXAttributes.h"
#include "hdx/Dialect/HDX/HDXOps.h"

#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

using namespace mlir;
using namespace hdx;

#include "hdx/Dialect/HDX/HDXOpsDialect.cpp.inc"

void HDXDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "hdx/Dialect/HDX/HDXOps.cpp.inc"
      >();
  registerAttributes();
}

LogicalResult HDXDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attr) {
  // Each discardable hdx attribute: its kind, and where it may appear.
  StringRef name = attr.getName().getValue();
  auto expect = [&](bool rightKind, StringRef kind, bool rightPlace,
                    StringRef place) -> LogicalResult {
    if (!rightKind)
      return op->emitError() << "'" << name << "' must be a " << kind
                             << " attribute";
    if (!rightPlace)
      return op->emitError() << "'" << name << "' may only be attached to "
                             << place;
    return success();
  };
  Attribute value = attr.getValue();
  if (name == getConstraintsAttrName())
    return expect(isa<ConstraintsAttr>(value), "#hdx.constraints",
                  isa<ModuleOp>(op), "a module");
  if (name == getTotalCostAttrName())
    return expect(isa<CostAttr>(value), "#hdx.cost",
                  isa<FunctionOpInterface>(op), "a function");
  if (name == getMemoryAttrName())
    return expect(isa<MemoryAttr>(value), "#hdx.memory",
                  isa<FunctionOpInterface>(op), "a function");
  if (name == getScheduleAttrName())
    return expect(isa<ScheduleAttr>(value), "#hdx.schedule",
                  op->getDialect() == this, "an hdx operation");
  if (name == getLevelAttrName()) {
    auto level = dyn_cast<StringAttr>(value);
    return expect(level && llvm::is_contained({"dram", "glb", "spatial", "rf"},
                                              level.getValue()),
                  "string (dram, glb, spatial or rf)",
                  isa<LoopLikeOpInterface>(op), "a loop");
  }
  return op->emitError() << "unknown hdx attribute '" << name << "'";
}
