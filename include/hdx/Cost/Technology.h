//===- Technology.h - Per-access energies and unit areas --------*- C++ -*-===//
//
// A technology table gives the energy of one access or operation and the
// area of each building block at a reference word width. The built-in
// "45nm" table is documented with its sources in docs/cost-model.md; a user
// replaces it by pointing the accelerator's `technology` key at a YAML file
// with a top-level `technology` key holding the same fields.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_COST_TECHNOLOGY_H
#define HDX_COST_TECHNOLOGY_H

#include "hdx/Support/Expected.h"

#include <cstdint>
#include <string>

namespace hdx::cost {

struct Accelerator;

struct Technology {
  std::string name = "45nm";
  /// Word width the energies and areas below are given for.
  int64_t reference_word_bits = 16;

  // Energy per operation or per word accessed, in pJ.
  double mult_pj = 0.8;  ///< one multiply (scales with bits^2)
  double add_pj = 0.1;   ///< one accumulate add / compare (scales with bits)
  double rf_pj = 0.9;    ///< one RF word access at rf_reference_bytes
  double rf_reference_bytes = 512;
  double glb_pj = 2.5;   ///< one GLB word access at glb_reference_kib
  double glb_reference_kib = 8;
  /// SRAM access energy grows as (size / reference)^exponent.
  double sram_energy_exponent = 0.5;
  double noc_pj = 1.8;   ///< one word moved between the GLB and a PE
  double dram_pj = 200;  ///< one DRAM word access

  // Area in um^2.
  double mult_um2 = 1128;        ///< one multiplier (scales with bits^2)
  double add_um2 = 137;          ///< one accumulator adder (scales with bits)
  double pe_overhead_um2 = 500;  ///< PE control and pipeline registers
  double rf_um2_per_bit = 2.0;
  double glb_um2_per_bit = 0.5;
  double noc_um2_per_pe_bit = 15; ///< NoC wires/multicast per PE and word bit

  bool operator==(const Technology &other) const;

  /// The built-in 45 nm table (the defaults above).
  static Technology builtin45nm();
};

/// Looks up a built-in table by name ("45nm"); failure lists the names.
Expected<Technology> builtinTechnology(const std::string &name);
/// Reads a technology YAML file (all keys required, unknown keys rejected).
Expected<Technology> loadTechnology(const std::string &path);
Expected<Technology> parseTechnology(const std::string &yaml,
                                     const std::string &source = "<string>");
std::string toYaml(const Technology &tech);
Status validate(const Technology &tech);

/// The table an accelerator names: a built-in name, else a YAML path
/// (relative paths are taken from accel.base_dir).
Expected<Technology> resolveTechnology(const Accelerator &accel);

} // namespace hdx::cost

#endif // HDX_COST_TECHNOLOGY_H
