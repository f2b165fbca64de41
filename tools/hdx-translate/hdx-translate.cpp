//===- hdx-translate.cpp - translations into and out of hdx ---------------===//
//
// `--import-onnx` reads an ONNX model (binary or text) into the hdx dialect;
// the `--emit-*` translations write the files of a compiled module.
//
//===----------------------------------------------------------------------===//
#include "hdx/Import/OnnxImporter.h"
#include "hdx/Target/Emitters.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  hdx::registerOnnxImportTranslation();
  hdx::registerEmitTranslations();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "HDX translation driver\n"));
}
