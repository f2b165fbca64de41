//===- HDXInterfaces.h - hdx op interfaces ----------------------*- C++ -*-===//
#ifndef HDX_HDXINTERFACES_H
#define HDX_HDXINTERFACES_H

#include "hdx/Cost/Layer.h"
#include "hdx/Dialect/HDX/HDXAttributes.h"
#include "mlir/IR/OpDefinition.h"

#include "hdx/Dialect/HDX/HDXInterfaces.h.inc"

#endif // HDX_HDXINTERFACES_H
