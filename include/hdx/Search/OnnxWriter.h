//===- OnnxWriter.h - The derived network as an ONNX model ------*- C++ -*-===//
//
// Writes a trained DerivedNet as an ONNX model (opset 13) with its weights as
// initializers, in inference semantics (batch-norm running statistics), and
// validates it with onnx::checker::check_model and strict shape inference
// before anything is written.
//
// Graph: input `input` float [batch, C, H, W] (pixels / 255), output `logits`
// float [batch, classes]. Ops: Conv (groups = channels for depthwise, "same"
// pads, strides), Clip with min/max inputs for ReLU6, Add for residuals,
// GlobalAveragePool, Flatten, Gemm. Batch norm is folded into the preceding
// convolution by default (W' = W * g / sqrt(v + eps), b' = b - m * g /
// sqrt(v + eps)): the model is smaller and matches what the compiler's
// fold-BN pass would produce; `foldBatchNorm = false` emits
// BatchNormalization nodes instead.
//
// Node names are unique and spell the network's structure, e.g.
// `stem.conv`, `stage1.layer0.expand.conv`, `stage1.layer0.dw.relu6`,
// `stage1.layer0.project.bn`, `stage1.layer0.add`, `head.conv`, `pool`,
// `flatten`, `classifier.gemm`; each node's output tensor carries the node's
// name, and initializers are `<node>.weight`, `<node>.bias`, ...
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_ONNXWRITER_H
#define HDX_SEARCH_ONNXWRITER_H

#include "hdx/Support/Expected.h"

#include <cstdint>
#include <string>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace hdx::search {

class DerivedNetImpl;

struct OnnxExportOptions {
  bool foldBatchNorm = true;
  int64_t batchSize = 1;
  /// Stored as the model's doc_string (e.g. the architecture and accelerator).
  std::string docString;
};

/// Fills `model` with the network and validates it.
Status buildOnnxModel(const DerivedNetImpl &net, onnx::ModelProto &model,
                      const OnnxExportOptions &options = {});

/// Builds, validates and writes the model to `path` atomically.
Status writeOnnx(const DerivedNetImpl &net, const std::string &path,
                 const OnnxExportOptions &options = {});

} // namespace hdx::search

#endif // HDX_SEARCH_ONNXWRITER_H
