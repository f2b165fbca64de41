//===- NodeContext.cpp - a node's inputs, attributes and outputs ----------===//
#include "NodeContext.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace hdx::onnx_import {

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

OpBuilder &NodeContext::getBuilder() { return importer.builder; }
MLIRContext *NodeContext::getContext() { return importer.builder.getContext(); }

InFlightDiagnostic NodeContext::emitError() {
  return mlir::emitError(loc) << "node '" << name << "' ("
                              << node.op_type() << "): ";
}

bool NodeContext::isOutputUsed(size_t i) const {
  return static_cast<int>(i) < node.output_size() &&
         !node.output(i).empty() && importer.uses.count(node.output(i));
}

Value NodeContext::getTensor(size_t i) {
  if (!hasInput(i)) {
    emitError() << "missing input " << i;
    return {};
  }
  auto it = importer.values.find(node.input(i));
  if (it == importer.values.end()) {
    emitError() << "input '" << node.input(i) << "' is not defined";
    return {};
  }
  ImportedValue &entry = it->second;
  if (!entry.value) {
    // Weights become SSA values where they are first used; the constant is
    // created at the top of the function so that it dominates every use.
    // Weights are kept in order of first use.
    OpBuilder::InsertionGuard guard(importer.builder);
    if (importer.lastWeight)
      importer.builder.setInsertionPointAfter(importer.lastWeight);
    else
      importer.builder.setInsertionPointToStart(
          importer.builder.getInsertionBlock());
    auto weight = importer.builder.create<arith::ConstantOp>(
        NameLoc::get(StringAttr::get(getContext(), node.input(i))),
        entry.constant);
    importer.lastWeight = weight;
    entry.value = weight;
  }
  return entry.value;
}

DenseElementsAttr NodeContext::getConstant(size_t i) {
  if (!hasInput(i))
    return {};
  auto it = importer.values.find(node.input(i));
  return it == importer.values.end() ? DenseElementsAttr()
                                     : it->second.constant;
}

std::optional<SmallVector<int64_t>> NodeContext::getIntList(size_t i,
                                                            StringRef what) {
  DenseElementsAttr constant = getConstant(i);
  if (!constant || !constant.getElementType().isInteger(64) ||
      constant.getType().getRank() > 1) {
    emitError() << what
                << " must be a list of integers known at import time (input '"
                << (hasInput(i) ? node.input(i) : std::string()) << "')";
    return std::nullopt;
  }
  return llvm::to_vector(constant.getValues<int64_t>());
}

StringRef NodeContext::getModelDirectory() const {
  return llvm::sys::path::parent_path(importer.modelPath);
}

ArrayRef<int64_t> NodeContext::getShape(size_t i) {
  auto it = importer.values.find(node.input(i));
  assert(it != importer.values.end() && "input checked by caller");
  if (it->second.constant)
    return it->second.constant.getType().getShape();
  return cast<RankedTensorType>(it->second.value.getType()).getShape();
}

const onnx::AttributeProto *NodeContext::getAttr(StringRef name) const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

int64_t NodeContext::getInt(StringRef name, int64_t defaultValue) const {
  const onnx::AttributeProto *attr = getAttr(name);
  return attr ? attr->i() : defaultValue;
}

float NodeContext::getFloat(StringRef name, float defaultValue) const {
  const onnx::AttributeProto *attr = getAttr(name);
  return attr ? attr->f() : defaultValue;
}

std::string NodeContext::getString(StringRef name,
                                   StringRef defaultValue) const {
  const onnx::AttributeProto *attr = getAttr(name);
  return attr ? attr->s() : defaultValue.str();
}

std::optional<SmallVector<int64_t>>
NodeContext::getInts(StringRef name) const {
  const onnx::AttributeProto *attr = getAttr(name);
  if (!attr)
    return std::nullopt;
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

void NodeContext::setOutput(size_t i, Value value) {
  if (static_cast<int>(i) < node.output_size() && !node.output(i).empty())
    importer.values[node.output(i)] = ImportedValue{value, {}};
}

void NodeContext::setOutputConstant(size_t i, DenseElementsAttr constant) {
  if (static_cast<int>(i) < node.output_size() && !node.output(i).empty())
    importer.values[node.output(i)] = ImportedValue{{}, constant};
}

} // namespace hdx::onnx_import
