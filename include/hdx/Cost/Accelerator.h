//===- Accelerator.h - The spatial accelerator template ---------*- C++ -*-===//
//
// A pe_rows x pe_cols array of PEs (one MAC and an rf_bytes register file
// each), a shared global buffer (GLB) of glb_kib KiB and DRAM delivering
// dram_bw_bytes_per_cycle bytes per cycle. The accelerator YAML has one
// top-level key `accelerator` holding exactly the fields below.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_COST_ACCELERATOR_H
#define HDX_COST_ACCELERATOR_H

#include "hdx/Support/Expected.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace hdx::cost {

/// Which operand stays in the PE's register file while the others stream:
/// weight stationary, output stationary, Eyeriss row stationary.
enum class Dataflow { WS, OS, RS };

/// "ws", "os" or "rs".
const char *toString(Dataflow dataflow);
/// Parses "ws", "os" or "rs"; false for anything else.
bool parseDataflow(std::string_view text, Dataflow &dataflow);

struct Accelerator {
  std::string name = "accelerator";
  int64_t pe_rows = 16;
  int64_t pe_cols = 16;
  Dataflow dataflow = Dataflow::WS;
  int64_t rf_bytes = 512; ///< per PE
  int64_t glb_kib = 128;
  int64_t word_bits = 16;
  double clock_mhz = 200.0;
  double dram_bw_bytes_per_cycle = 16.0;
  /// A built-in technology name ("45nm") or the path of a technology YAML.
  std::string technology = "45nm";

  /// Directory a relative `technology` path is resolved against; set by
  /// loadAccelerator(path). Not part of the YAML and ignored by ==.
  std::string base_dir;

  int64_t numPEs() const { return pe_rows * pe_cols; }
  double wordBytes() const { return static_cast<double>(word_bits) / 8.0; }

  bool operator==(const Accelerator &other) const;
  bool operator!=(const Accelerator &other) const { return !(*this == other); }
};

/// Checks every field; the error names the first offending key, e.g.
/// "accelerator.pe_rows: must be between 1 and 4096 (got 0)".
Status validate(const Accelerator &accel);

/// Reads an accelerator YAML file. Errors start with the file name.
Expected<Accelerator> loadAccelerator(const std::string &path);
/// Parses accelerator YAML text; `source` names it in error messages.
Expected<Accelerator> parseAccelerator(const std::string &yaml,
                                       const std::string &source = "<string>");
/// Writes the accelerator YAML; parseAccelerator() reads it back identically.
std::string toYaml(const Accelerator &accel);

/// Whether a `technology` value names a file (it has a path separator or a
/// YAML suffix) rather than a built-in table.
bool isTechnologyPath(const std::string &spec);

} // namespace hdx::cost

#endif // HDX_COST_ACCELERATOR_H
