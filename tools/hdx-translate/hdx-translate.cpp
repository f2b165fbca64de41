//===- hdx-translate.cpp - translations into and out of hdx ---------------===//
//
// `--import-onnx` reads an ONNX model (binary or text) into the hdx dialect;
// the `--emit-*` translations write the files of a compiled module.
//
// mlirTranslateMain reads its input before any translation runs, so the
// input is checked here first: given a FIFO or /dev/zero the read would block
// or never end, and MLIR nested too deep would overflow the parser's stack.
//
//===----------------------------------------------------------------------===//
#include "hdx/Import/OnnxImporter.h"
#include "hdx/Support/InputFile.h"
#include "hdx/Support/MlirInput.h"
#include "hdx/Target/Emitters.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>
#include <string_view>
#include <sys/stat.h>

/// Checks every command-line argument that names an existing path and is
/// not the value of `-o`: the input file (LLVM's option parser runs only
/// inside mlirTranslateMain, so the positional argument is found here by
/// what it names). An ONNX model is checked to be a regular file (the
/// importer bounds its size); MLIR also for size and nesting depth.
static bool checkInputs(int argc, char **argv) {
  bool importsOnnx = false;
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "--import-onnx" ||
        std::string_view(argv[i]) == "-import-onnx")
      importsOnnx = true;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    struct stat status;
    if (arg.empty() || arg[0] == '-' || ::stat(arg.c_str(), &status) != 0 ||
        std::string_view(argv[i - 1]) == "-o")
      continue;
    std::string error;
    uint64_t size = 0;
    bool ok = importsOnnx ? hdx::checkInputFile(
                                arg, std::numeric_limits<uint64_t>::max(),
                                size, error)
                          : hdx::checkMlirInputFile(arg, error);
    if (!ok) {
      llvm::errs() << "hdx-translate: " << error << "\n";
      return false;
    }
  }
  return true;
}

int main(int argc, char **argv) {
  if (!checkInputs(argc, argv))
    return 1;
  hdx::registerOnnxImportTranslation();
  hdx::registerEmitTranslations();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "HDX translation driver\n"));
}
