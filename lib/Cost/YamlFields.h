//===- YamlFields.h - Reading a flat YAML map with good errors --*- C++ -*-===//
//
// Internal to lib/Cost. yaml-cpp throws; callers wrap these in try/catch and
// every helper reports "<source>: <section>.<key>: <problem>".
//
//===----------------------------------------------------------------------===//
#ifndef HDX_LIB_COST_YAMLFIELDS_H
#define HDX_LIB_COST_YAMLFIELDS_H

#include "hdx/Support/Expected.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hdx::cost::detail {

/// The map under a single top-level key (`accelerator:`, `technology:`).
class YamlSection {
public:
  /// Parses `text` and finds `section`; check status() before use.
  YamlSection(const std::string &text, const std::string &source,
              const std::string &section,
              const std::vector<std::string> &allowedKeys);

  const Status &status() const { return status_; }
  bool has(const std::string &key) const;

  // Each reads a required key (or leaves `out` alone when the key is absent
  // and `required` is false); false after recording the first error.
  bool getInt(const std::string &key, int64_t &out, bool required = true);
  bool getDouble(const std::string &key, double &out, bool required = true);
  bool getString(const std::string &key, std::string &out,
                 bool required = true);

  /// "<source>: <section>.<key>: <message>".
  std::string where(const std::string &key) const;
  void fail(const std::string &key, const std::string &message);

private:
  /// The scalar under `key`, or a null node (absent, or an error recorded).
  YAML::Node scalar(const std::string &key, bool required);
  /// The scalar at `key` read whole by `parse` (strtoll or strtod);
  /// `expected` names what it must be in the error.
  template <typename T, typename Parse>
  bool getParsed(const std::string &key, T &out, bool required,
                 const char *expected, Parse parse);

  std::string source_;
  std::string section_;
  YAML::Node root_;
  YAML::Node map_;
  Status status_;
};

/// Reads a whole file; false (with `error`) if it cannot be opened.
bool readFile(const std::string &path, std::string &text, std::string &error);

/// "a, b or c".
std::string joinAlternatives(const std::vector<std::string> &items);

} // namespace hdx::cost::detail

#endif // HDX_LIB_COST_YAMLFIELDS_H
