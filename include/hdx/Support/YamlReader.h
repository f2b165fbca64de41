//===- YamlReader.h - Typed reading of HDX's YAML files ---------*- C++ -*-===//
//
// The one reader of HDX's YAML inputs (search configurations, accelerators,
// technology tables). Every access knows its key path, so an error names
// the file, the key path and the line:
//     "a.yaml: accelerator.pe_rows: expected an integer, got 'many' (line 3)"
// The first error ends the reading: inside `readYaml` the reader throws, and
// `readYaml` returns the error as a Status, so a caller writes straight-line
// code and never sees an exception.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SUPPORT_YAMLREADER_H
#define HDX_SUPPORT_YAMLREADER_H

#include "hdx/Support/Expected.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

namespace hdx::yaml {

/// "path.key" ("key" at the top level).
std::string childPath(const std::string &path, const std::string &key);
/// "path[index]".
std::string elementPath(const std::string &path, size_t index);

class Reader {
public:
  explicit Reader(std::string source) : source_(std::move(source)) {}
  const std::string &source() const { return source_; }

  /// Ends the reading with "<source>: <path>: <message> (line N)".
  [[noreturn]] void fail(const YAML::Node &node, const std::string &path,
                         const std::string &message) const;

  /// A mapping whose keys must all be in `allowed`. A null value (an empty
  /// section) reads as an empty mapping.
  YAML::Node map(const YAML::Node &node, const std::string &path,
                 const std::vector<std::string> &allowed) const;

  int64_t integer(const YAML::Node &node, const std::string &path) const;
  int integer32(const YAML::Node &node, const std::string &path) const;
  /// A finite number.
  double number(const YAML::Node &node, const std::string &path) const;
  bool boolean(const YAML::Node &node, const std::string &path) const;
  std::string string(const YAML::Node &node, const std::string &path) const;
  /// One of `names`, returned as its index.
  int choice(const YAML::Node &node, const std::string &path,
             std::initializer_list<const char *> names) const;

  /// A non-empty sequence read element by element.
  template <typename T>
  std::vector<T>
  list(const YAML::Node &node, const std::string &path,
       const std::function<T(const YAML::Node &, const std::string &)> &read)
      const {
    checkNonEmptyList(node, path);
    std::vector<T> values;
    for (size_t i = 0; i < node.size(); ++i)
      values.push_back(read(node[i], elementPath(path, i)));
    return values;
  }

  /// Calls `read` with the value of `key` if `map` has it.
  void optional(const YAML::Node &map, const std::string &path, const char *key,
                const std::function<void(const YAML::Node &,
                                         const std::string &)> &read) const;
  /// The value of `key`; an error if `map` lacks it.
  YAML::Node required(const YAML::Node &map, const std::string &path,
                      const char *key) const;

  // The value of a required `key` of `map` (at `path`), read as above.
  int64_t integerAt(const YAML::Node &map, const std::string &path,
                    const char *key) const {
    return integer(required(map, path, key), childPath(path, key));
  }
  double numberAt(const YAML::Node &map, const std::string &path,
                  const char *key) const {
    return number(required(map, path, key), childPath(path, key));
  }
  std::string stringAt(const YAML::Node &map, const std::string &path,
                       const char *key) const {
    return string(required(map, path, key), childPath(path, key));
  }

  // Range checks.
  void positive(const YAML::Node &node, const std::string &path,
                double value) const;
  void nonNegative(const YAML::Node &node, const std::string &path,
                   double value) const;

private:
  void checkNonEmptyList(const YAML::Node &node, const std::string &path) const;

  std::string source_;
};

/// Parses `text` (read from `source`) and calls `read` with a reader and
/// the document's root. Invalid YAML and a key given twice in one mapping
/// are errors with their line; so is the first error `read` reports
/// through the reader. Never throws.
Status
readYaml(const std::string &text, const std::string &source,
         const std::function<void(const Reader &, const YAML::Node &)> &read);

/// `readYaml` for a file whose only top-level key is `section` (as
/// `accelerator:` or `technology:`): `read` gets the mapping under it with
/// its keys checked against `allowed`.
Status
readYamlSection(const std::string &text, const std::string &source,
                const std::string &section,
                const std::vector<std::string> &allowed,
                const std::function<void(const Reader &, const YAML::Node &,
                                         const std::string &path)> &read);

} // namespace hdx::yaml

#endif // HDX_SUPPORT_YAMLREADER_H
