//===- YamlKeys.h - duplicate keys in YAML mappings -------------*- C++ -*-===//
//
// yaml-cpp accepts a mapping that repeats a key and keeps the first value,
// so `pe_rows: 8` followed by `pe_rows: 16` silently means 8. The readers of
// HDX's YAML files (accelerators, technology tables, search configurations)
// refuse such files with this check. Header-only: its users link yaml-cpp.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SUPPORT_YAMLKEYS_H
#define HDX_SUPPORT_YAMLKEYS_H

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>

namespace hdx {

struct DuplicateYamlKey {
  std::string path; ///< "hardware.pe_rows", "stages[1].channels"
  int line = 0;     ///< 1-based line of the repeated key
  int firstLine = 0;
};

/// The first key repeated within one mapping anywhere in `node` (document
/// order), or none.
inline std::optional<DuplicateYamlKey>
findDuplicateYamlKey(const YAML::Node &node, const std::string &path = "") {
  if (node.IsMap()) {
    std::map<std::string, int> seen;
    for (const auto &entry : node) {
      if (!entry.first.IsScalar())
        continue;
      const std::string &key = entry.first.Scalar();
      std::string child = path.empty() ? key : path + "." + key;
      int line = entry.first.Mark().line + 1;
      auto [it, inserted] = seen.emplace(key, line);
      if (!inserted)
        return DuplicateYamlKey{child, line, it->second};
      if (auto inner = findDuplicateYamlKey(entry.second, child))
        return inner;
    }
  } else if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i)
      if (auto inner = findDuplicateYamlKey(
              node[i], path + "[" + std::to_string(i) + "]"))
        return inner;
  }
  return std::nullopt;
}

/// For a key missing from `map`: " (the value of 'name' contains 'KEY:';
/// is a quote left open?)" when a string value of the mapping swallowed
/// the key's line (an unclosed quote runs on over the next lines), else "".
inline std::string hintForMissingYamlKey(const YAML::Node &map,
                                         const std::string &key) {
  if (!map.IsMap())
    return "";
  for (const auto &entry : map)
    if (entry.first.IsScalar() && entry.second.IsScalar() &&
        entry.second.Scalar().find(key + ":") != std::string::npos)
      return " (the value of '" + entry.first.Scalar() + "' contains '" + key +
             ":'; is a quote left open?)";
  return "";
}

/// "FILE:LINE: PATH: the key appears twice (first on line N)".
inline std::string describeDuplicateYamlKey(const std::string &file,
                                            const DuplicateYamlKey &key) {
  return file + ":" + std::to_string(key.line) + ": " + key.path +
         ": the key appears twice (first on line " +
         std::to_string(key.firstLine) + ")";
}

/// What a yaml-cpp parse error says, in words: yaml-cpp reports nesting
/// past its depth limit as "bad file".
inline std::string describeYamlError(const YAML::Exception &e) {
  if (const auto *deep = dynamic_cast<const YAML::DeepRecursion *>(&e))
    return "nested deeper than the " + std::to_string(deep->depth()) +
           " levels a YAML input may have";
  return e.msg;
}

} // namespace hdx

#endif // HDX_SUPPORT_YAMLKEYS_H
