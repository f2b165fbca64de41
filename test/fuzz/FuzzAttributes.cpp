//===- FuzzAttributes.cpp - libFuzzer target: hdx attribute syntax --------===//
//
// Any text parsed as an attribute gives an attribute or a diagnostic. An
// attribute that parses must print as text that parses back to the same
// attribute and prints the same again (print -> parse -> print).
//
//===----------------------------------------------------------------------===//
#include "hdx/Dialect/HDX/HDXDialect.h"
#include "hdx/Support/MlirInput.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <string>

static std::string print(mlir::Attribute attr) {
  std::string text;
  llvm::raw_string_ostream os(text);
  attr.print(os);
  return text;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::MLIRContext *context = [] {
    auto *c = new mlir::MLIRContext(mlir::MLIRContext::Threading::DISABLED);
    c->loadDialect<hdx::HDXDialect>();
    c->getDiagEngine().registerHandler([](mlir::Diagnostic &) {});
    return c;
  }();
  // MLIR's parser recurses per nesting level; the tools refuse deep inputs
  // before parsing (hdx/Support/MlirInput.h), so the target does too.
  std::string text(reinterpret_cast<const char *>(data), size);
  if (hdx::mlirNestingDepth(text) > hdx::kMaxMlirNestingDepth)
    return 0;
  mlir::Attribute attr = mlir::parseAttribute(text, context);
  if (!attr || attr.getDialect().getNamespace() != "hdx")
    return 0;
  std::string printed = print(attr);
  mlir::Attribute reparsed = mlir::parseAttribute(printed, context);
  if (reparsed != attr || print(reparsed) != printed)
    std::abort();
  return 0;
}
