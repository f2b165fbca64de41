//===- GraphBuilder.h - Building ONNX models in C++ -------------*- C++ -*-===//
//
// Builds one ONNX graph node by node and finishes it into a checked
// `onnx::ModelProto`:
//
//   GraphBuilder g({/*opset=*/13});
//   std::string x = g.addInput("input", DataType::Float, {"batch", 3, 8, 8});
//   std::string w = g.addInitializer("conv.weight", {4, 3, 3, 3}, weights);
//   Node conv = g.addNode("Conv", "/conv/Conv", {x, w}, {"output"});
//   conv.setInts("pads", {1, 1, 1, 1});
//   g.addOutput("output", DataType::Float, {"batch", 4, 8, 8});
//   Status s = g.write("model.onnx");
//
// Node names are made unique the way PyTorch's exporter does it (`Relu`,
// `Relu_1`, ...); a node given no output names gets one output named
// `<node>_output_0`.
// Misuse (an initializer whose values do not fill its shape, a call after the
// model was finished) is recorded and reported by `finish`/`write`, so adding
// never fails at the call site and nothing throws.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_ONNX_GRAPHBUILDER_H
#define HDX_ONNX_GRAPHBUILDER_H

#include "hdx/Support/Expected.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace onnx {
class ModelProto;
class NodeProto;
} // namespace onnx

namespace hdx::onnxlib {

class GraphBuilder;

/// Element types of graph values and tensors.
enum class DataType { Float, Int64 };

/// One dimension of a graph input or output: a size, or a symbol such as
/// "batch".
struct Dim {
  Dim(int64_t size) : size(size) {}
  Dim(int size) : size(size) {}
  Dim(const char *symbol) : symbol(symbol) {}
  Dim(std::string symbol) : symbol(std::move(symbol)) {}

  int64_t size = -1;
  std::string symbol;
};

struct ModelOptions {
  /// Version of the default operator set ("" / "ai.onnx").
  int64_t opset = 13;
  /// 0: the IR version of the ONNX release that introduced `opset`.
  int64_t irVersion = 0;
  std::string graphName = "main_graph";
  std::string producerName = "hdx";
  std::string producerVersion;
  std::string docString;
};

/// A handle to a node just added, to set its attributes. Valid until the
/// builder is finished or destroyed.
class Node {
public:
  Node(onnx::NodeProto *proto, GraphBuilder *owner)
      : proto_(proto), owner_(owner) {}

  Node &setInt(const std::string &name, int64_t value);
  Node &setFloat(const std::string &name, float value);
  Node &setString(const std::string &name, const std::string &value);
  Node &setInts(const std::string &name, const std::vector<int64_t> &values);
  Node &setFloats(const std::string &name, const std::vector<float> &values);
  /// A tensor-valued attribute (e.g. Constant's `value`); `values` must fill
  /// `dims` (a scalar has no dims and one value).
  Node &setFloatTensor(const std::string &name, const std::vector<int64_t> &dims,
                       const std::vector<float> &values);
  Node &setInt64Tensor(const std::string &name, const std::vector<int64_t> &dims,
                       const std::vector<int64_t> &values);

  /// The node's unique name.
  const std::string &name() const;
  /// The name of output `index`.
  const std::string &output(int index = 0) const;

private:
  /// Records a bad tensor attribute with the builder, which reports it.
  void fail(const std::string &attribute, const std::string &message);

  onnx::NodeProto *proto_;
  GraphBuilder *owner_;
};

class GraphBuilder {
public:
  explicit GraphBuilder(ModelOptions options = {});
  ~GraphBuilder();
  GraphBuilder(const GraphBuilder &) = delete;
  GraphBuilder &operator=(const GraphBuilder &) = delete;

  const ModelOptions &options() const { return options_; }

  /// Declares a graph input; returns its name.
  std::string addInput(const std::string &name, DataType type,
                              const std::vector<Dim> &shape);
  /// Declares a graph output, a value some node (or input) produces.
  void addOutput(const std::string &name, DataType type,
                 const std::vector<Dim> &shape);

  /// A float32 initializer (a weight); `values` must fill `dims`. Returns its
  /// name.
  std::string addInitializer(const std::string &name,
                                    const std::vector<int64_t> &dims,
                                    const std::vector<float> &values);
  /// An int64 initializer (shapes, axes).
  std::string addInt64Initializer(const std::string &name,
                                         const std::vector<int64_t> &dims,
                                         const std::vector<int64_t> &values);

  /// Appends a node named `name` (or `opType` when empty), made unique. An
  /// empty input name is an omitted optional input. `outputs` empty: one
  /// output named `<node>_output_0`.
  Node addNode(const std::string &opType, const std::string &name,
               const std::vector<std::string> &inputs,
               const std::vector<std::string> &outputs = {});

  /// `base` if no node has that name yet, else `base_1`, `base_2`, ...
  std::string uniqueNodeName(const std::string &base) const;

  /// Checks the model (see ModelCheck.h) and moves it into `model`. The
  /// builder is spent afterwards, whether or not the check passed.
  Status finish(onnx::ModelProto &model);

  /// `finish`, then writes the model to `path` atomically; on failure no
  /// file is created and an existing one is left as it was.
  Status write(const std::string &path);

private:
  friend class Node;

  /// Records the first misuse; `finish` reports it.
  void fail(const std::string &message);
  /// A throwaway node for the handle `addNode` returns after the builder is
  /// spent, so attribute setters on it stay harmless.
  onnx::NodeProto *scratchNode();

  ModelOptions options_;
  std::unique_ptr<onnx::ModelProto> model_;
  std::unique_ptr<onnx::NodeProto> scratch_;
  std::unordered_set<std::string> nodeNames_;
  std::string firstError_;
  bool finished_ = false;
};

} // namespace hdx::onnxlib

#endif // HDX_ONNX_GRAPHBUILDER_H
