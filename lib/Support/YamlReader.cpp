//===- YamlReader.cpp - Typed reading of HDX's YAML files -----------------===//

#include "hdx/Support/YamlReader.h"

#include "hdx/Support/YamlKeys.h"

#include <climits>
#include <cmath>
#include <stdexcept>

using namespace hdx;
using namespace hdx::yaml;

namespace {

/// Carries the first error from the reader to readYaml; never leaves this
/// file.
struct ReadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string got(const YAML::Node &node) {
  if (node.IsScalar())
    return ", got '" + node.Scalar() + "'";
  if (node.IsSequence())
    return ", got a list";
  if (node.IsMap())
    return ", got a mapping";
  if (node.IsNull())
    return ", got nothing";
  return "";
}

} // namespace

std::string hdx::yaml::childPath(const std::string &path,
                                 const std::string &key) {
  return path.empty() ? key : path + "." + key;
}

std::string hdx::yaml::elementPath(const std::string &path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

void Reader::fail(const YAML::Node &node, const std::string &path,
                  const std::string &message) const {
  std::string text =
      source_ + ": " + (path.empty() ? "" : path + ": ") + message;
  if (node.IsDefined() && node.Mark().line >= 0)
    text += " (line " + std::to_string(node.Mark().line + 1) + ")";
  throw ReadError(text);
}

YAML::Node Reader::map(const YAML::Node &node, const std::string &path,
                       const std::vector<std::string> &allowed) const {
  if (node.IsNull())
    return YAML::Node(YAML::NodeType::Map);
  if (!node.IsMap())
    fail(node, path, "expected a mapping" + got(node));
  for (const auto &entry : node) {
    if (!entry.first.IsScalar())
      fail(entry.first, path, "keys must be plain strings");
    const std::string &key = entry.first.Scalar();
    bool known = false;
    std::string list;
    for (const std::string &a : allowed) {
      known |= key == a;
      list += (list.empty() ? "" : ", ") + a;
    }
    if (!known)
      fail(entry.first, childPath(path, key),
           "unknown key (expected one of: " + list + ")");
  }
  return node;
}

int64_t Reader::integer(const YAML::Node &node, const std::string &path) const {
  int64_t value = 0;
  if (!node.IsScalar() || !YAML::convert<int64_t>::decode(node, value))
    fail(node, path, "expected an integer" + got(node));
  return value;
}

int Reader::integer32(const YAML::Node &node, const std::string &path) const {
  int64_t value = integer(node, path);
  if (value < INT32_MIN || value > INT32_MAX)
    fail(node, path, "integer out of range");
  return static_cast<int>(value);
}

double Reader::number(const YAML::Node &node, const std::string &path) const {
  double value = 0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) ||
      !std::isfinite(value))
    fail(node, path, "expected a number" + got(node));
  return value;
}

bool Reader::boolean(const YAML::Node &node, const std::string &path) const {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value))
    fail(node, path, "expected true or false" + got(node));
  return value;
}

std::string Reader::string(const YAML::Node &node,
                           const std::string &path) const {
  if (!node.IsScalar())
    fail(node, path, "expected a string" + got(node));
  return node.Scalar();
}

int Reader::choice(const YAML::Node &node, const std::string &path,
                   std::initializer_list<const char *> names) const {
  std::string value = string(node, path);
  int index = 0;
  std::string list;
  for (const char *n : names) {
    if (value == n)
      return index;
    list += std::string(list.empty() ? "" : ", ") + n;
    ++index;
  }
  fail(node, path, "expected one of " + list + ", got '" + value + "'");
}

void Reader::checkNonEmptyList(const YAML::Node &node,
                               const std::string &path) const {
  if (!node.IsSequence())
    fail(node, path, "expected a list" + got(node));
  if (node.size() == 0)
    fail(node, path, "expected a non-empty list");
}

void Reader::optional(
    const YAML::Node &map, const std::string &path, const char *key,
    const std::function<void(const YAML::Node &, const std::string &)> &read)
    const {
  YAML::Node value = map[key];
  if (value.IsDefined())
    read(value, childPath(path, key));
}

YAML::Node Reader::required(const YAML::Node &map, const std::string &path,
                            const char *key) const {
  YAML::Node value = map[key];
  if (!value.IsDefined())
    fail(map, childPath(path, key),
         "missing required key" + hintForMissingYamlKey(map, key));
  return value;
}

void Reader::positive(const YAML::Node &node, const std::string &path,
                      double value) const {
  if (!(value > 0))
    fail(node, path, "must be positive");
}

void Reader::nonNegative(const YAML::Node &node, const std::string &path,
                         double value) const {
  if (value < 0)
    fail(node, path, "must not be negative");
}

Status hdx::yaml::readYaml(
    const std::string &text, const std::string &source,
    const std::function<void(const Reader &, const YAML::Node &)> &read) {
  try {
    YAML::Node root = YAML::Load(text);
    if (std::optional<DuplicateYamlKey> twice = findDuplicateYamlKey(root))
      return Error{describeDuplicateYamlKey(source, *twice)};
    read(Reader(source), root);
    return Status::success();
  } catch (const ReadError &e) {
    return Error{e.what()};
  } catch (const YAML::Exception &e) {
    std::string where = source;
    if (e.mark.line >= 0)
      where += ":" + std::to_string(e.mark.line + 1) + ":" +
               std::to_string(e.mark.column + 1);
    return Error{where + ": invalid YAML: " + describeYamlError(e)};
  } catch (const std::exception &e) {
    return Error{source + ": " + e.what()};
  }
}

Status hdx::yaml::readYamlSection(
    const std::string &text, const std::string &source,
    const std::string &section, const std::vector<std::string> &allowed,
    const std::function<void(const Reader &, const YAML::Node &,
                             const std::string &path)> &read) {
  return readYaml(text, source, [&](const Reader &r, const YAML::Node &root) {
    if (!root.IsMap())
      r.fail(root, section,
             "expected a mapping with the key '" + section +
                 "' at the top level");
    r.map(root, "", {section});
    YAML::Node body = r.required(root, "", section.c_str());
    if (!body.IsMap())
      r.fail(body, section, "expected a mapping" + got(body));
    read(r, r.map(body, section, allowed), section);
  });
}
