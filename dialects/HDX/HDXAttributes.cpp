//===- HDXAttributes.cpp - hdx attributes ---------------------------------===//
#include "hdx/Dialect/HDX/HDXAttributes.h"
#include "hdx/Cost/Accelerator.h"
#include "hdx/Dialect/HDX/HDXCostSpec.h"
#include "hdx/Dialect/HDX/HDXDialect.h"
#include "hdx/Support/FormatNumber.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/ADT/bit.h"
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace hdx;

#include "hdx/Dialect/HDX/HDXEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "hdx/Dialect/HDX/HDXAttributes.cpp.inc"

void HDXDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "hdx/Dialect/HDX/HDXAttributes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Parameter parsers and printers
//===----------------------------------------------------------------------===//

FailureOr<FloatAttr> hdx::parseDouble(AsmParser &parser) {
  double value;
  if (parser.parseFloat(value))
    return failure();
  return FloatAttr::get(Float64Type::get(parser.getContext()), value);
}

void hdx::printDouble(AsmPrinter &printer, FloatAttr value) {
  printShortestDouble(printer.getStream(), value.getValueAsDouble());
}

// The cost model's shortest round-trip digits (shared with its YAML and JSON
// writers), spelled the way MLIR's lexer reads a float literal: a '.' in the
// mantissa, always ("200.0", "5.0e-06", "1.0e+20"). MLIR reads `5e-06` as an
// integer followed by garbage, so the '.' is not optional. Non-finite values
// have no decimal spelling; they print as their IEEE-754 bit pattern in hex,
// which the parser reads back bit for bit (and the verifiers then refuse).
void hdx::printShortestDouble(llvm::raw_ostream &os, double value) {
  if (!std::isfinite(value)) {
    char buffer[24];
    std::snprintf(buffer, sizeof(buffer), "0x%016llX",
                  static_cast<unsigned long long>(
                      llvm::bit_cast<uint64_t>(value)));
    os << buffer;
    return;
  }
  std::string text = hdx::formatDouble(value);
  if (text.find('.') == std::string::npos) {
    size_t exponent = text.find_first_of("eE");
    text.insert(exponent == std::string::npos ? text.size() : exponent, ".0");
  }
  os << text;
}

std::string hdx::shortestDoubleText(double value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printShortestDouble(os, value);
  return text;
}

FailureOr<llvm::SmallVector<int64_t>> hdx::parseFactors(AsmParser &parser) {
  llvm::SmallVector<int64_t> factors;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
        int64_t factor = 0;
        if (parser.parseInteger(factor))
          return failure();
        factors.push_back(factor);
        return success();
      }))
    return failure();
  return factors;
}

void hdx::printFactors(AsmPrinter &printer,
                             llvm::ArrayRef<int64_t> factors) {
  printer << '[';
  llvm::interleaveComma(factors, printer);
  printer << ']';
}

//===----------------------------------------------------------------------===//
// Verifiers
//===----------------------------------------------------------------------===//

static bool isPositiveFinite(double value) {
  return std::isfinite(value) && value > 0.0;
}

// The cost model owns the legality rules of accelerators (one place for the
// YAML loader, the search and the IR); the attribute defers to it.
LogicalResult AcceleratorAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, int64_t peRows,
    int64_t peCols, Dataflow dataflow, int64_t rfBytes, int64_t glbKib,
    int64_t wordBits, FloatAttr clockMhz, FloatAttr dramBwBytesPerCycle,
    StringRef technology) {
  cost::Accelerator accel =
      toCostAccelerator(peRows, peCols, dataflow, rfBytes, glbKib, wordBits,
                        clockMhz.getValueAsDouble(),
                        dramBwBytesPerCycle.getValueAsDouble(), technology);
  if (hdx::Status status = cost::validate(accel); !status.ok())
    return emitError() << status.error();
  return success();
}

LogicalResult
ConstraintsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        FloatAttr latencyMs, FloatAttr energyMj,
                        FloatAttr areaMm2) {
  auto check = [&](StringRef name, FloatAttr limit) -> LogicalResult {
    if (limit && !isPositiveFinite(limit.getValueAsDouble()))
      return emitError() << name << " limit must be positive, got "
                         << hdx::formatDouble(limit.getValueAsDouble());
    return success();
  };
  return success(succeeded(check("latency_ms", latencyMs)) &&
                 succeeded(check("energy_mj", energyMj)) &&
                 succeeded(check("area_mm2", areaMm2)));
}

LogicalResult MappingAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  ArrayRef<int64_t> dram, ArrayRef<int64_t> glb,
                                  ArrayRef<int64_t> rf, ArrayRef<int64_t> rows,
                                  ArrayRef<int64_t> cols, StringRef dramOrder,
                                  StringRef glbOrder, StringRef rfOrder) {
  std::pair<StringRef, ArrayRef<int64_t>> lists[] = {
      {"dram", dram}, {"glb", glb}, {"rf", rf}, {"rows", rows}, {"cols", cols}};
  for (auto [name, factors] : lists) {
    if (factors.size() != kNumLoopDims)
      return emitError() << name << " must have " << kNumLoopDims
                         << " factors (N, K, C, R, S, P, Q), got "
                         << factors.size();
    for (auto [dim, factor] : llvm::enumerate(factors))
      if (factor < 1)
        return emitError() << name << " factor of " << kLoopDims[dim]
                           << " must be at least 1, got " << factor;
  }
  std::pair<StringRef, StringRef> orders[] = {
      {"dram_order", dramOrder}, {"glb_order", glbOrder}, {"rf_order", rfOrder}};
  for (auto [name, order] : orders) {
    std::string sorted = order.str(), expected = kLoopDims.str();
    llvm::sort(sorted);
    llvm::sort(expected);
    if (sorted != expected)
      return emitError() << name << " must be a permutation of \"" << kLoopDims
                         << "\", got \"" << order << "\"";
  }
  return success();
}

int64_t MappingAttr::getCoverage(unsigned dim) const {
  return getDram()[dim] * getGlb()[dim] * getRf()[dim] * getRows()[dim] *
         getCols()[dim];
}

LogicalResult CostAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               int64_t macs, int64_t cycles,
                               FloatAttr latencyMsAttr, FloatAttr energyMjAttr,
                               FloatAttr utilizationAttr) {
  double latencyMs = latencyMsAttr.getValueAsDouble();
  double energyMj = energyMjAttr.getValueAsDouble();
  double utilization = utilizationAttr.getValueAsDouble();
  if (macs < 0 || cycles < 0)
    return emitError() << "macs and cycles must be non-negative";
  if (!std::isfinite(latencyMs) || latencyMs < 0 || !std::isfinite(energyMj) ||
      energyMj < 0)
    return emitError() << "latency_ms and energy_mj must be non-negative";
  if (!(utilization >= 0.0 && utilization <= 1.0))
    return emitError() << "utilization must be in [0, 1], got "
                       << hdx::formatDouble(utilization);
  return success();
}
