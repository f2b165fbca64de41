//===- ModelFile.h - Reading and writing ONNX model files -------*- C++ -*-===//
//
// Models (and TensorProto files) are written to a temporary file beside the destination, flushed to
// disk and renamed over it: a failed or interrupted write leaves the old file
// (or none), never a partial one.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_ONNX_MODELFILE_H
#define HDX_ONNX_MODELFILE_H

#include "hdx/Support/Expected.h"

#include <cstdint>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace hdx::onnxlib {

/// Serializes `model` and replaces the file at `path` with it atomically.
Status writeModelFile(const onnx::ModelProto &model, const std::string &path);

/// Parses the binary model at `path` into `model`.
Status readModelFile(const std::string &path, onnx::ModelProto &model);

/// A float tensor as ONNX's test data stores it (`input_0.pb`,
/// `output_0.pb`: one serialized TensorProto per file), row-major.
struct FloatTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> data;
};

/// Reads a TensorProto file of FLOAT elements (raw or float_data).
Status readTensorFile(const std::string &path, FloatTensor &tensor);

/// Writes `tensor` as a TensorProto file (raw data), atomically.
Status writeTensorFile(const FloatTensor &tensor, const std::string &path);

} // namespace hdx::onnxlib

#endif // HDX_ONNX_MODELFILE_H
