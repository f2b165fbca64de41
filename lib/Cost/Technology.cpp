//===- Technology.cpp - Technology tables ---------------------------------===//
#include "hdx/Cost/Technology.h"

#include "hdx/Cost/Accelerator.h"
#include "hdx/Support/FormatNumber.h"
#include "hdx/Support/InputFile.h"
#include "hdx/Support/YamlReader.h"

#include <cmath>
#include <sstream>

namespace hdx::cost {

bool Technology::operator==(const Technology &o) const {
  return name == o.name && reference_word_bits == o.reference_word_bits &&
         mult_pj == o.mult_pj && add_pj == o.add_pj && rf_pj == o.rf_pj &&
         rf_reference_bytes == o.rf_reference_bytes && glb_pj == o.glb_pj &&
         glb_reference_kib == o.glb_reference_kib &&
         sram_energy_exponent == o.sram_energy_exponent &&
         noc_pj == o.noc_pj && dram_pj == o.dram_pj &&
         mult_um2 == o.mult_um2 && add_um2 == o.add_um2 &&
         pe_overhead_um2 == o.pe_overhead_um2 &&
         rf_um2_per_bit == o.rf_um2_per_bit &&
         glb_um2_per_bit == o.glb_um2_per_bit &&
         noc_um2_per_pe_bit == o.noc_um2_per_pe_bit;
}

// The member defaults are the 45 nm table; docs/cost-model.md cites them.
Technology Technology::builtin45nm() { return Technology(); }

Expected<Technology> builtinTechnology(const std::string &name) {
  if (name == "45nm")
    return Technology::builtin45nm();
  return Status::failure("unknown built-in technology '" + name +
                         "' (expected 45nm or the path of a technology YAML)");
}

namespace {

// Name and member of every real-valued field, in YAML order.
struct RealField {
  const char *key;
  double Technology::*member;
};
const RealField kRealFields[] = {
    {"mult_pj", &Technology::mult_pj},
    {"add_pj", &Technology::add_pj},
    {"rf_pj", &Technology::rf_pj},
    {"rf_reference_bytes", &Technology::rf_reference_bytes},
    {"glb_pj", &Technology::glb_pj},
    {"glb_reference_kib", &Technology::glb_reference_kib},
    {"sram_energy_exponent", &Technology::sram_energy_exponent},
    {"noc_pj", &Technology::noc_pj},
    {"dram_pj", &Technology::dram_pj},
    {"mult_um2", &Technology::mult_um2},
    {"add_um2", &Technology::add_um2},
    {"pe_overhead_um2", &Technology::pe_overhead_um2},
    {"rf_um2_per_bit", &Technology::rf_um2_per_bit},
    {"glb_um2_per_bit", &Technology::glb_um2_per_bit},
    {"noc_um2_per_pe_bit", &Technology::noc_um2_per_pe_bit},
};

} // namespace

Status validate(const Technology &t) {
  if (t.name.empty())
    return Status::failure("technology.name: must not be empty");
  if (t.reference_word_bits < 1 || t.reference_word_bits > 64)
    return Status::failure(
        "technology.reference_word_bits: must be between 1 and 64 (got " +
        std::to_string(t.reference_word_bits) + ")");
  for (const RealField &field : kRealFields) {
    double value = t.*field.member;
    bool positive = std::string(field.key) == "rf_reference_bytes" ||
                    std::string(field.key) == "glb_reference_kib";
    if (!std::isfinite(value) || value < 0 || (positive && value == 0))
      return Status::failure(std::string("technology.") + field.key +
                             ": must be a " +
                             (positive ? "positive" : "non-negative") +
                             " number (got " + formatDouble(value) + ")");
  }
  return Status::success();
}

Expected<Technology> parseTechnology(const std::string &yaml,
                                     const std::string &source) {
  std::vector<std::string> keys = {"name", "reference_word_bits"};
  for (const RealField &field : kRealFields)
    keys.push_back(field.key);
  Technology t;
  Status read = yaml::readYamlSection(
      yaml, source, "technology", keys,
      [&](const yaml::Reader &r, const YAML::Node &map,
          const std::string &path) {
        t.name = r.stringAt(map, path, "name");
        t.reference_word_bits = r.integerAt(map, path, "reference_word_bits");
        for (const RealField &field : kRealFields)
          t.*field.member = r.numberAt(map, path, field.key);
      });
  if (!read.ok())
    return read;
  if (Status s = validate(t); !s.ok())
    return Status::failure(source + ": " + s.error());
  return t;
}

Expected<Technology> loadTechnology(const std::string &path) {
  std::string text, error;
  if (!readInputFile(path, kMaxTextInputBytes, text, error))
    return Status::failure(error);
  return parseTechnology(text, path);
}

std::string toYaml(const Technology &t) {
  std::ostringstream out;
  out << "technology:\n"
      << "  name: \"" << t.name << "\"\n"
      << "  reference_word_bits: " << t.reference_word_bits << "\n";
  for (const RealField &field : kRealFields)
    out << "  " << field.key << ": " << formatDouble(t.*field.member) << "\n";
  return out.str();
}

Expected<Technology> resolveTechnology(const Accelerator &accel) {
  const std::string &spec = accel.technology;
  // A name without a path separator or YAML suffix is a built-in table.
  if (!isTechnologyPath(spec)) {
    Expected<Technology> builtin = builtinTechnology(spec);
    if (!builtin.ok())
      return Status::failure("accelerator.technology: " + builtin.error());
    return builtin;
  }
  std::string path = spec;
  if (path[0] != '/' && !accel.base_dir.empty())
    path = accel.base_dir + "/" + path;
  return loadTechnology(path);
}

} // namespace hdx::cost
