//===- ModelFile.h - Reading and writing ONNX model files -------*- C++ -*-===//
//
// Models are written to a temporary file beside the destination, flushed to
// disk and renamed over it: a failed or interrupted write leaves the old file
// (or none), never a partial one.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_ONNX_MODELFILE_H
#define HDX_ONNX_MODELFILE_H

#include "hdx/Onnx/Status.h"

#include <string>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace hdx::onnxlib {

/// Serializes `model` and replaces the file at `path` with it atomically.
Status writeModelFile(const onnx::ModelProto &model, const std::string &path);

/// Parses the binary model at `path` into `model`.
Status readModelFile(const std::string &path, onnx::ModelProto &model);

} // namespace hdx::onnxlib

#endif // HDX_ONNX_MODELFILE_H
