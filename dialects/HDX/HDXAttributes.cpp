//===- HDXAttributes.cpp - hdx attributes ---------------------------------===//
#include "HDX/HDXAttributes.h"
#include "HDX/HDXDialect.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace hdx;

#include "HDX/HDXEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "HDX/HDXAttributes.cpp.inc"

void HDXDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "HDX/HDXAttributes.cpp.inc"
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

void hdx::printShortestDouble(llvm::raw_ostream &os, double value) {
  // Plain notation reads best for the magnitudes of hardware figures; the
  // exponent form is kept for the very small and very large.
  double magnitude = std::fabs(value);
  bool plain = magnitude == 0.0 || (magnitude >= 1e-6 && magnitude < 1e15);
  char buffer[64];
  for (int precision = plain ? 0 : 1; precision <= (plain ? 24 : 17);
       ++precision) {
    std::snprintf(buffer, sizeof(buffer), plain ? "%.*f" : "%.*g", precision,
                  value);
    if (std::strtod(buffer, nullptr) == value)
      break;
  }
  llvm::StringRef text(buffer);
  os << text;
  if (std::isfinite(value) && text.find_first_of(".e") == llvm::StringRef::npos)
    os << ".0";
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

LogicalResult AcceleratorAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, int64_t peRows,
    int64_t peCols, Dataflow dataflow, int64_t rfBytes, int64_t glbKib,
    int64_t wordBits, FloatAttr clockMhzAttr,
    FloatAttr dramBwBytesPerCycleAttr, StringRef technology) {
  double clockMhz = clockMhzAttr.getValueAsDouble();
  double dramBwBytesPerCycle = dramBwBytesPerCycleAttr.getValueAsDouble();
  if (peRows < 1)
    return emitError() << "pe_rows must be at least 1, got " << peRows;
  if (peCols < 1)
    return emitError() << "pe_cols must be at least 1, got " << peCols;
  if (wordBits < 8 || wordBits % 8 != 0)
    return emitError() << "word_bits must be a positive multiple of 8, got "
                       << wordBits;
  int64_t wordBytes = wordBits / 8;
  if (rfBytes < wordBytes)
    return emitError() << "rf_bytes (" << rfBytes
                       << ") must hold at least one " << wordBits
                       << "-bit word per PE";
  if (glbKib < 1)
    return emitError() << "glb_kib must be at least 1, got " << glbKib;
  if (glbKib * 1024 < peRows * peCols * wordBytes)
    return emitError() << "glb_kib (" << glbKib
                       << ") must hold at least one word per PE ("
                       << peRows * peCols * wordBytes << " bytes)";
  if (!isPositiveFinite(clockMhz))
    return emitError() << "clock_mhz must be positive, got "
                       << shortestDoubleText(clockMhz);
  if (!isPositiveFinite(dramBwBytesPerCycle))
    return emitError() << "dram_bw_bytes_per_cycle must be positive, got "
                       << shortestDoubleText(dramBwBytesPerCycle);
  if (technology.empty())
    return emitError() << "technology must name a table";
  (void)dataflow; // Every enumerant is a valid dataflow.
  return success();
}

LogicalResult
ConstraintsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        FloatAttr latencyMs, FloatAttr energyMj,
                        FloatAttr areaMm2) {
  auto check = [&](StringRef name, FloatAttr limit) -> LogicalResult {
    if (limit && !isPositiveFinite(limit.getValueAsDouble()))
      return emitError() << name << " limit must be positive, got "
                         << shortestDoubleText(limit.getValueAsDouble());
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
                       << shortestDoubleText(utilization);
  return success();
}
