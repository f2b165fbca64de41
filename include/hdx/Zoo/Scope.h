//===- Scope.h - PyTorch-style module scopes for node names -----*- C++ -*-===//
//
// PyTorch's exporter names a node after the module path that created it,
// e.g. `/features/features.1/conv/conv.0/conv.0.0/Conv`: a named child
// appears under its attribute name, an indexed child of a Sequential as
// `<parent>.<index>`. Parameters keep the fully qualified dotted name
// (`features.1.conv.0.0.weight`).
//
//===----------------------------------------------------------------------===//
#ifndef HDX_ZOO_SCOPE_H
#define HDX_ZOO_SCOPE_H

#include <string>

namespace hdx::zoo {

struct Scope {
  std::string path;      // "/features/features.1/conv"
  std::string qualified; // "features.1.conv"
  std::string local;     // "conv"

  /// The submodule stored as attribute `name`.
  Scope child(const std::string &name) const {
    return {path + "/" + name, join(qualified, name), name};
  }
  /// Element `i` of a Sequential.
  Scope index(int i) const {
    std::string local_ = local + "." + std::to_string(i);
    return {path + "/" + local_, join(qualified, std::to_string(i)), local_};
  }
  /// The name of a node of type `opType` created in this scope.
  std::string node(const std::string &opType) const {
    return path + "/" + opType;
  }
  /// The name of this module's parameter `name`.
  std::string param(const std::string &name) const {
    return join(qualified, name);
  }

private:
  static std::string join(const std::string &a, const std::string &b) {
    return a.empty() ? b : a + "." + b;
  }
};

} // namespace hdx::zoo

#endif // HDX_ZOO_SCOPE_H
