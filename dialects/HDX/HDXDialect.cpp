//===- HDXDialect.cpp - the hdx dialect -----------------------------------===//
#include "HDX/HDXDialect.h"
#include "HDX/HDXAttributes.h"
#include "HDX/HDXOps.h"

using namespace mlir;
using namespace hdx;

#include "HDX/HDXOpsDialect.cpp.inc"

void HDXDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "HDX/HDXOps.cpp.inc"
      >();
  registerAttributes();
}

LogicalResult HDXDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attr) {
  if (attr.getName() == getConstraintsAttrName()) {
    if (!isa<ConstraintsAttr>(attr.getValue()))
      return op->emitError() << "'" << getConstraintsAttrName()
                             << "' must be a #hdx.constraints attribute";
    if (!isa<ModuleOp>(op))
      return op->emitError() << "'" << getConstraintsAttrName()
                             << "' may only be attached to a module";
    return success();
  }
  return op->emitError() << "unknown hdx attribute '" << attr.getName().getValue()
                         << "'";
}
