//===- HDXDialect.h - the hdx dialect ---------------------------*- C++ -*-===//
#ifndef HDX_HDXDIALECT_H
#define HDX_HDXDIALECT_H

#include "mlir/IR/Dialect.h"

#include "hdx/Dialect/HDX/HDXOpsDialect.h.inc"

#endif // HDX_HDXDIALECT_H
