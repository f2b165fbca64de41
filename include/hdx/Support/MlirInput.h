//===- MlirInput.h - checking an MLIR input before it is parsed --*- C++ -*-===//
//
// MLIR's parser is recursive descent: an attribute or region nested about
// 10,000 levels deep overflows the stack and the tool dies with SIGSEGV
// instead of an error. hdx-opt and hdx-translate check their MLIR input
// first: a regular file (or stdin), of a bounded size, nested no deeper than
// any real module is.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SUPPORT_MLIRINPUT_H
#define HDX_SUPPORT_MLIRINPUT_H

#include <cstdint>
#include <string>
#include <string_view>

namespace hdx {

/// Brackets ((), [], {}, <>) open at once; compiled modules reach about 10.
constexpr unsigned kMaxMlirNestingDepth = 1000;
/// MLIR inputs beyond this are refused.
constexpr uint64_t kMaxMlirInputBytes = uint64_t{1} << 30;

/// The deepest nesting of (), [], {} and <> in `text`, outside string
/// literals and `//` comments; "->" closes nothing.
unsigned mlirNestingDepth(std::string_view text);

/// Checks the MLIR input `path` ("-" is stdin and passes): a regular file of
/// at most kMaxMlirInputBytes, nested at most kMaxMlirNestingDepth deep
/// (MLIR bytecode, which the text parser does not read, is not scanned).
/// Fails with `error` = "PATH: reason".
bool checkMlirInputFile(const std::string &path, std::string &error);

} // namespace hdx

#endif // HDX_SUPPORT_MLIRINPUT_H
