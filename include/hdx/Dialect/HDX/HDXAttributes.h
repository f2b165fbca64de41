//===- HDXAttributes.h - hdx attributes -------------------------*- C++ -*-===//
#ifndef HDX_HDXATTRIBUTES_H
#define HDX_HDXATTRIBUTES_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

#include "hdx/Dialect/HDX/HDXEnums.h.inc"

namespace hdx {

/// The loop dimensions of a layer in their fixed order, as letters.
inline constexpr llvm::StringLiteral kLoopDims = "NKCRSPQ";
inline constexpr unsigned kNumLoopDims = 7;

// Custom parameter parsers/printers used by the generated attribute code.
mlir::FailureOr<mlir::FloatAttr> parseDouble(mlir::AsmParser &parser);
void printDouble(mlir::AsmPrinter &printer, mlir::FloatAttr value);
/// Writes the shortest decimal that MLIR's parser reads back as the same
/// double, always with a '.' in the mantissa (`16.6`, `200.0`, `1.0e-05`,
/// `-0.0`); a non-finite value as its bit pattern (`0x7FF0000000000000`).
void printShortestDouble(llvm::raw_ostream &os, double value);
std::string shortestDoubleText(double value);
mlir::FailureOr<llvm::SmallVector<int64_t>>
parseFactors(mlir::AsmParser &parser);
void printFactors(mlir::AsmPrinter &printer, llvm::ArrayRef<int64_t> factors);

} // namespace hdx

#define GET_ATTRDEF_CLASSES
#include "hdx/Dialect/HDX/HDXAttributes.h.inc"

#endif // HDX_HDXATTRIBUTES_H
