//===- RtlParameters.h - hardware parameters of an accelerator --*- C++ -*-===//
//
// Every value the RTL and its driver need (array size, buffer depths and
// address widths, word widths, dataflow code, bus width, clock period) is
// derived here, once, from the accelerator; the SystemVerilog package and
// the C header print the same numbers, so hardware and software cannot
// drift apart. Combinations the RTL cannot build are rejected here.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_TARGET_RTLPARAMETERS_H
#define HDX_TARGET_RTLPARAMETERS_H

#include "hdx/Cost/Accelerator.h"
#include "hdx/Support/Expected.h"

#include <string>
#include <vector>

namespace hdx::target {

/// One named integer parameter with its meaning.
struct RtlParameter {
  std::string name; ///< UPPER_SNAKE_CASE, without prefix
  int64_t value;
  std::string comment;
};

struct RtlParameters {
  std::string accelerator; ///< symbol name of the accelerator
  std::string dataflow;    ///< "ws", "os" or "rs"
  std::vector<RtlParameter> values;
};

/// Derives the parameters, or names the accelerator key that makes the
/// design unbuildable.
hdx::Expected<RtlParameters>
deriveRtlParameters(const cost::Accelerator &accel);

/// `package hdx_<name>_pkg; localparam int unsigned ...; endpackage`.
std::string emitSystemVerilogPackage(const RtlParameters &params);

/// `#define HDX_<NAME> <value>` lines behind an include guard.
std::string emitCHeader(const RtlParameters &params);

} // namespace hdx::target

#endif // HDX_TARGET_RTLPARAMETERS_H
