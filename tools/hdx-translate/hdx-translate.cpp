//===- hdx-translate.cpp - translations into and out of hdx ---------------===//
//
// `--import-onnx` reads an ONNX model (binary or text) into the hdx dialect.
//
//===----------------------------------------------------------------------===//
#include "hdx/Import/OnnxImporter.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  hdx::registerOnnxImportTranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "HDX translation driver\n"));
}
