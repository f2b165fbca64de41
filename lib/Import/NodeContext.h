//===- NodeContext.h - state of one ONNX graph import -----------*- C++ -*-===//
//
// The importer walks an ONNX graph in node order. Every ONNX value name maps
// to either an SSA value (an activation, or a weight already materialized as
// arith.constant) or an import-time constant (an initializer, a Constant node
// or a folded shape computation). Op handlers, one per ONNX op type, read
// their inputs through NodeContext and define their outputs there.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_LIB_IMPORT_NODECONTEXT_H
#define HDX_LIB_IMPORT_NODECONTEXT_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <optional>

namespace hdx::onnx_import {

/// What an ONNX value name stands for during import.
struct ImportedValue {
  /// The SSA value, once one exists.
  mlir::Value value;
  /// The value's contents when known at import time (f32 or i64 elements).
  mlir::DenseElementsAttr constant;
};

/// Converts an ONNX tensor to a constant with f32 (floating types) or i64
/// (integer and bool types) elements. External data is read from
/// `modelDirectory` only. Returns a null attribute and sets `error`.
mlir::DenseElementsAttr convertTensor(const onnx::TensorProto &tensor,
                                      llvm::StringRef modelDirectory,
                                      mlir::MLIRContext *context,
                                      std::string &error);

class ImportState;

/// One node being imported: typed access to its inputs and attributes.
class NodeContext {
public:
  NodeContext(ImportState &importer, const onnx::NodeProto &node,
              llvm::StringRef name, mlir::Location loc, int64_t opset)
      : importer(importer), node(node), name(name), loc(loc), opset(opset) {}

  mlir::Location getLoc() const { return loc; }
  /// The opset version of the default ONNX domain.
  int64_t getOpset() const { return opset; }
  mlir::OpBuilder &getBuilder();
  mlir::MLIRContext *getContext();
  /// The folder of the model file: where external tensor data may live.
  llvm::StringRef getModelDirectory() const;

  /// An error at this node: "node 'name' (OpType): ...".
  mlir::InFlightDiagnostic emitError();

  size_t getNumInputs() const { return node.input_size(); }
  size_t getNumOutputs() const { return node.output_size(); }
  /// Whether optional input `i` is present (given and not the empty name).
  bool hasInput(size_t i) const {
    return static_cast<int>(i) < node.input_size() && !node.input(i).empty();
  }
  /// Whether output `i` is used by a later node or a graph output.
  bool isOutputUsed(size_t i) const;

  /// Input `i` as an SSA tensor value; import-time constants are
  /// materialized as arith.constant. Emits an error and returns null when
  /// the input is missing.
  mlir::Value getTensor(size_t i);
  /// Input `i` as an import-time constant, or null when it is computed at
  /// run time.
  mlir::DenseElementsAttr getConstant(size_t i);
  /// Input `i` as a list of integers known at import time (a constant of
  /// rank <= 1); emits an error naming `what` and returns nullopt otherwise.
  std::optional<llvm::SmallVector<int64_t>> getIntList(size_t i,
                                                       llvm::StringRef what);
  /// The static shape of input `i`.
  llvm::ArrayRef<int64_t> getShape(size_t i);

  const onnx::AttributeProto *getAttr(llvm::StringRef name) const;
  int64_t getInt(llvm::StringRef name, int64_t defaultValue) const;
  float getFloat(llvm::StringRef name, float defaultValue) const;
  std::string getString(llvm::StringRef name, llvm::StringRef defaultValue) const;
  std::optional<llvm::SmallVector<int64_t>> getInts(llvm::StringRef name) const;

  void setOutput(size_t i, mlir::Value value);
  void setOutputConstant(size_t i, mlir::DenseElementsAttr constant);

private:
  ImportState &importer;
  const onnx::NodeProto &node;
  /// The node's name, or `<OpType>_<index>` for an unnamed node.
  std::string name;
  mlir::Location loc;
  int64_t opset;
};

/// The state of one graph import: the builder and what each ONNX value
/// name stands for.
class ImportState {
public:
  ImportState(mlir::OpBuilder &builder, llvm::StringRef modelPath,
                int64_t opset)
      : builder(builder), modelPath(modelPath), opset(opset) {}

  mlir::OpBuilder &builder;
  std::string modelPath;
  int64_t opset;
  llvm::StringMap<ImportedValue> values;
  /// Names read by a later node or returned by the graph.
  llvm::StringMap<unsigned> uses;
  /// The last weight constant created at the top of the function.
  mlir::Operation *lastWeight = nullptr;
};

} // namespace hdx::onnx_import

#endif // HDX_LIB_IMPORT_NODECONTEXT_H
