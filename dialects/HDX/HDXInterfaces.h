//===- HDXInterfaces.h - hdx op interfaces ----------------------*- C++ -*-===//
#ifndef HDX_HDXINTERFACES_H
#define HDX_HDXINTERFACES_H

#include "HDX/HDXAttributes.h"
#include "hdx/Cost/Layer.h"
#include "mlir/IR/OpDefinition.h"

#include "HDX/HDXInterfaces.h.inc"

#endif // HDX_HDXINTERFACES_H
