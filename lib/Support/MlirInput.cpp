//===- MlirInput.cpp - checking an MLIR input before it is parsed ---------===//
#include "hdx/Support/MlirInput.h"
#include "hdx/Support/InputFile.h"

unsigned hdx::mlirNestingDepth(std::string_view text) {
  unsigned depth = 0, deepest = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      // A string literal; \" does not end it.
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n')
        ++i;
    } else if (c == '(' || c == '[' || c == '{' || c == '<') {
      if (++depth > deepest)
        deepest = depth;
    } else if (c == ')' || c == ']' || c == '}' ||
               (c == '>' && (i == 0 || text[i - 1] != '-'))) {
      // ">=" in integer sets closes nothing either; undercounting only
      // makes the check more lenient.
      if (depth > 0)
        --depth;
    }
  }
  return deepest;
}

bool hdx::checkMlirInputFile(const std::string &path, std::string &error) {
  if (path == "-")
    return true;
  std::string text;
  if (!readInputFile(path, kMaxMlirInputBytes, text, error))
    return false;
  // MLIR bytecode ("ML\xefR") is not read by the recursive-descent text
  // parser; its bytes are no brackets.
  if (std::string_view(text).substr(0, 4) == "ML\xefR")
    return true;
  if (unsigned depth = mlirNestingDepth(text); depth > kMaxMlirNestingDepth) {
    error = path + ": brackets are nested " + std::to_string(depth) +
            " deep, more than the " + std::to_string(kMaxMlirNestingDepth) +
            " an MLIR input may have";
    return false;
  }
  return true;
}
