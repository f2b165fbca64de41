//===- Accelerator.cpp - Accelerator template, validation and YAML --------===//
#include "hdx/Cost/Accelerator.h"
#include "hdx/Support/FormatNumber.h"
#include "hdx/Support/InputFile.h"
#include "hdx/Support/YamlReader.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace hdx::cost {

const char *toString(Dataflow dataflow) {
  switch (dataflow) {
  case Dataflow::WS:
    return "ws";
  case Dataflow::OS:
    return "os";
  case Dataflow::RS:
    return "rs";
  }
  return "ws";
}

bool parseDataflow(std::string_view text, Dataflow &dataflow) {
  if (text == "ws")
    dataflow = Dataflow::WS;
  else if (text == "os")
    dataflow = Dataflow::OS;
  else if (text == "rs")
    dataflow = Dataflow::RS;
  else
    return false;
  return true;
}

bool Accelerator::operator==(const Accelerator &o) const {
  return name == o.name && pe_rows == o.pe_rows && pe_cols == o.pe_cols &&
         dataflow == o.dataflow && rf_bytes == o.rf_bytes &&
         glb_kib == o.glb_kib && word_bits == o.word_bits &&
         clock_mhz == o.clock_mhz &&
         dram_bw_bytes_per_cycle == o.dram_bw_bytes_per_cycle &&
         technology == o.technology;
}

namespace {

// Limits keep every derived quantity far from int64 overflow.
constexpr int64_t kMaxArraySide = 4096;
constexpr int64_t kMaxRfBytes = 1 << 20;
constexpr int64_t kMaxGlbKib = 1 << 22;
constexpr double kMinClockMhz = 1e-3, kMaxClockMhz = 1e6;
constexpr double kMinDramBw = 1.0 / 1024, kMaxDramBw = 1 << 20;

std::string key(const char *name) { return std::string("accelerator.") + name; }

Status rangeError(const char *name, const std::string &what) {
  return Status::failure(key(name) + ": " + what);
}

} // namespace

bool isTechnologyPath(const std::string &spec) {
  auto endsWith = [&](const char *suffix) {
    std::string s(suffix);
    return spec.size() > s.size() &&
           spec.compare(spec.size() - s.size(), s.size(), s) == 0;
  };
  return spec.find('/') != std::string::npos || endsWith(".yaml") ||
         endsWith(".yml");
}

Status validate(const Accelerator &a) {
  if (a.name.empty())
    return rangeError("name", "must not be empty");
  if (a.pe_rows < 1 || a.pe_rows > kMaxArraySide)
    return rangeError("pe_rows", "must be between 1 and 4096 (got " +
                                     std::to_string(a.pe_rows) + ")");
  if (a.pe_cols < 1 || a.pe_cols > kMaxArraySide)
    return rangeError("pe_cols", "must be between 1 and 4096 (got " +
                                     std::to_string(a.pe_cols) + ")");
  if (a.word_bits < 1 || a.word_bits > 64)
    return rangeError("word_bits", "must be between 1 and 64 (got " +
                                       std::to_string(a.word_bits) + ")");
  // One word of each tensor must fit in a PE.
  int64_t minRf = (3 * a.word_bits + 7) / 8;
  if (a.rf_bytes < minRf || a.rf_bytes > kMaxRfBytes)
    return rangeError("rf_bytes", "must be between " + std::to_string(minRf) +
                                      " (three words) and " +
                                      std::to_string(kMaxRfBytes) + " (got " +
                                      std::to_string(a.rf_bytes) + ")");
  if (a.glb_kib < 1 || a.glb_kib > kMaxGlbKib)
    return rangeError("glb_kib", "must be between 1 and " +
                                     std::to_string(kMaxGlbKib) + " (got " +
                                     std::to_string(a.glb_kib) + ")");
  // A clock of 1 kHz .. 1 THz and a DRAM bus of 1/1024 .. 2^20 bytes per
  // cycle cover every real design and keep cycle counts and times finite
  // (a bus of 1e-12 bytes per cycle made the DRAM cycles overflow int64).
  if (!(a.clock_mhz >= kMinClockMhz && a.clock_mhz <= kMaxClockMhz))
    return rangeError("clock_mhz",
                      "must be between 0.001 and 1000000 (got " +
                          formatDouble(a.clock_mhz) + ")");
  if (!(a.dram_bw_bytes_per_cycle >= kMinDramBw &&
        a.dram_bw_bytes_per_cycle <= kMaxDramBw))
    return rangeError("dram_bw_bytes_per_cycle",
                      "must be between 0.0009765625 (1/1024) and 1048576 "
                      "(got " +
                          formatDouble(a.dram_bw_bytes_per_cycle) + ")");
  if (a.technology.empty())
    return rangeError("technology",
                      "must name a built-in table (45nm) or a YAML file");
  return Status::success();
}

Expected<Accelerator> parseAccelerator(const std::string &yaml,
                                       const std::string &source) {
  Accelerator a;
  Status read = yaml::readYamlSection(
      yaml, source, "accelerator",
      {"name", "pe_rows", "pe_cols", "dataflow", "rf_bytes", "glb_kib",
       "word_bits", "clock_mhz", "dram_bw_bytes_per_cycle", "technology"},
      [&](const yaml::Reader &r, const YAML::Node &map,
          const std::string &path) {
        a.name = r.stringAt(map, path, "name");
        a.pe_rows = r.integerAt(map, path, "pe_rows");
        a.pe_cols = r.integerAt(map, path, "pe_cols");
        std::string dataflow = r.stringAt(map, path, "dataflow");
        if (!parseDataflow(dataflow, a.dataflow))
          r.fail(map["dataflow"], yaml::childPath(path, "dataflow"),
                 "unknown value '" + dataflow + "' (expected ws, os or rs)");
        a.rf_bytes = r.integerAt(map, path, "rf_bytes");
        a.glb_kib = r.integerAt(map, path, "glb_kib");
        a.word_bits = r.integerAt(map, path, "word_bits");
        a.clock_mhz = r.numberAt(map, path, "clock_mhz");
        a.dram_bw_bytes_per_cycle =
            r.numberAt(map, path, "dram_bw_bytes_per_cycle");
        r.optional(map, path, "technology",
                   [&](const YAML::Node &n, const std::string &p) {
                     a.technology = r.string(n, p);
                   });
      });
  if (!read.ok())
    return read;
  if (Status s = validate(a); !s.ok())
    return Status::failure(source + ": " + s.error());
  return a;
}

Expected<Accelerator> loadAccelerator(const std::string &path) {
  std::string text, error;
  if (!readInputFile(path, kMaxTextInputBytes, text, error))
    return Status::failure(error);
  Expected<Accelerator> accel = parseAccelerator(text, path);
  if (accel.ok()) {
    size_t slash = path.find_last_of('/');
    accel->base_dir = slash == std::string::npos ? "" : path.substr(0, slash);
    // A relative technology file is relative to this file. Made absolute
    // here, it stays right once the accelerator is in the IR or written
    // into another folder.
    if (isTechnologyPath(accel->technology) && accel->technology[0] != '/') {
      std::error_code ec;
      std::filesystem::path absolute = std::filesystem::absolute(
          std::filesystem::path(accel->base_dir.empty() ? "." : accel->base_dir) /
              accel->technology,
          ec);
      if (!ec)
        accel->technology = absolute.lexically_normal().string();
    }
  }
  return accel;
}

namespace {

// Double-quoted YAML string with escapes, so any name re-reads unchanged.
std::string quote(const std::string &text) {
  std::string out = "\"";
  for (char ch : text) {
    unsigned char u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (u < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof(buffer), "\\x%02x", u);
      out += buffer;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

} // namespace

std::string toYaml(const Accelerator &a) {
  std::ostringstream out;
  out << "accelerator:\n"
      << "  name: " << quote(a.name) << "\n"
      << "  pe_rows: " << a.pe_rows << "\n"
      << "  pe_cols: " << a.pe_cols << "\n"
      << "  dataflow: " << toString(a.dataflow) << "\n"
      << "  rf_bytes: " << a.rf_bytes << "\n"
      << "  glb_kib: " << a.glb_kib << "\n"
      << "  word_bits: " << a.word_bits << "\n"
      << "  clock_mhz: " << formatDouble(a.clock_mhz) << "\n"
      << "  dram_bw_bytes_per_cycle: "
      << formatDouble(a.dram_bw_bytes_per_cycle) << "\n"
      << "  technology: " << quote(a.technology) << "\n";
  return out.str();
}

} // namespace hdx::cost
