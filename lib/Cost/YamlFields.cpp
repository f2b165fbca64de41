//===- YamlFields.cpp - Reading a flat YAML map with good errors ----------===//
#include "YamlFields.h"

#include "hdx/Support/InputFile.h"
#include "hdx/Support/YamlKeys.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <type_traits>

namespace hdx::cost::detail {

std::string joinAlternatives(const std::vector<std::string> &items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0)
      out += (i + 1 == items.size()) ? " or " : ", ";
    out += items[i];
  }
  return out;
}

bool readFile(const std::string &path, std::string &text, std::string &error) {
  return readInputFile(path, kMaxTextInputBytes, text, error);
}

YamlSection::YamlSection(const std::string &text, const std::string &source,
                         const std::string &section,
                         const std::vector<std::string> &allowedKeys)
    : source_(source), section_(section) {
  try {
    root_ = YAML::Load(text);
  } catch (const YAML::Exception &e) {
    status_ = Status::failure(source_ + ":" + std::to_string(e.mark.line + 1) +
                              ": invalid YAML: " + describeYamlError(e));
    return;
  } catch (...) {
    status_ = Status::failure(source_ + ": invalid YAML");
    return;
  }
  try {
    if (std::optional<DuplicateYamlKey> twice = findDuplicateYamlKey(root_)) {
      status_ = Status::failure(describeDuplicateYamlKey(source_, *twice));
      return;
    }
    if (!root_.IsMap()) {
      status_ = Status::failure(source_ + ": expected a map with the key '" +
                                section_ + "' at the top level");
      return;
    }
    for (const auto &entry : root_) {
      std::string key = entry.first.as<std::string>();
      if (key != section_) {
        status_ = Status::failure(source_ + ": unknown top-level key '" + key +
                                  "' (expected " + section_ + ")");
        return;
      }
    }
    const YAML::Node &root = root_;
    map_.reset(root[section_]);
    if (!map_ || !map_.IsMap()) {
      status_ = Status::failure(source_ + ": " + section_ +
                                ": expected a map of keys");
      return;
    }
    for (const auto &entry : map_) {
      std::string key = entry.first.as<std::string>();
      bool known = false;
      for (const auto &allowed : allowedKeys)
        known = known || allowed == key;
      if (!known) {
        status_ = Status::failure(source_ + ": " + section_ + "." + key +
                                  ": unknown key (expected " +
                                  joinAlternatives(allowedKeys) + ")");
        return;
      }
    }
  } catch (...) {
    status_ = Status::failure(source_ + ": " + section_ +
                              ": keys must be plain strings");
  }
}

std::string YamlSection::where(const std::string &key) const {
  return source_ + ": " + section_ + "." + key + ": ";
}

void YamlSection::fail(const std::string &key, const std::string &message) {
  if (status_.ok())
    status_ = Status::failure(where(key) + message);
}

bool YamlSection::has(const std::string &key) const {
  if (!status_.ok())
    return false;
  try {
    const YAML::Node &map = map_;
    return static_cast<bool>(map[key]);
  } catch (...) {
    return false;
  }
}

// Lookups go through a const node: yaml-cpp's non-const operator[] and
// Node assignment can modify the tree.
YAML::Node YamlSection::scalar(const std::string &key, bool required) {
  if (!status_.ok())
    return YAML::Node();
  try {
    const YAML::Node &map = map_;
    YAML::Node node = map[key];
    if (!node) {
      if (required)
        fail(key, "missing" + hintForMissingYamlKey(map, key));
      return YAML::Node();
    }
    if (!node.IsScalar()) {
      fail(key, "expected a single value");
      return YAML::Node();
    }
    return node;
  } catch (...) {
    fail(key, "cannot be read");
    return YAML::Node();
  }
}

template <typename T, typename Parse>
bool YamlSection::getParsed(const std::string &key, T &out, bool required,
                            const char *expected, Parse parse) {
  YAML::Node node = scalar(key, required);
  if (!node.IsDefined() || node.IsNull())
    return status_.ok();
  std::string text = node.Scalar();
  errno = 0;
  char *end = nullptr;
  T value = parse(text.c_str(), &end);
  bool finite = true;
  if constexpr (std::is_floating_point_v<T>)
    finite = std::isfinite(value);
  if (text.empty() || *end != '\0' || errno != 0 || !finite) {
    fail(key, std::string("expected ") + expected + " (got '" + text + "')");
    return false;
  }
  out = value;
  return true;
}

bool YamlSection::getInt(const std::string &key, int64_t &out, bool required) {
  return getParsed(
      key, out, required, "an integer",
      [](const char *text, char **end) { return std::strtoll(text, end, 10); });
}

bool YamlSection::getDouble(const std::string &key, double &out,
                            bool required) {
  return getParsed(
      key, out, required, "a number",
      [](const char *text, char **end) { return std::strtod(text, end); });
}

bool YamlSection::getString(const std::string &key, std::string &out,
                            bool required) {
  YAML::Node node = scalar(key, required);
  if (!node.IsDefined() || node.IsNull())
    return status_.ok();
  out = node.Scalar();
  return true;
}

} // namespace hdx::cost::detail
