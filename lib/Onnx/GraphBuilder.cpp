//===- GraphBuilder.cpp - Building ONNX models in C++ ---------------------===//
#include "hdx/Onnx/GraphBuilder.h"
#include "hdx/Onnx/ModelCheck.h"
#include "hdx/Onnx/ModelFile.h"

#include <onnx/onnx_pb.h>

namespace hdx::onnxlib {

namespace {

onnx::TensorProto_DataType toProto(DataType type) {
  switch (type) {
  case DataType::Float:
    return onnx::TensorProto::FLOAT;
  case DataType::Int64:
    return onnx::TensorProto::INT64;
  }
  return onnx::TensorProto::UNDEFINED;
}

/// The element count `dims` describe, or -1 for a negative dimension.
int64_t elementCount(const std::vector<int64_t> &dims) {
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0)
      return -1;
    count *= d;
  }
  return count;
}

/// Fills `tensor` with `values` as little-endian raw data, as PyTorch's
/// exporter does; returns an error message when they do not fill `dims`.
template <typename T>
std::string fillTensor(onnx::TensorProto &tensor, DataType type,
                       const std::vector<int64_t> &dims,
                       const std::vector<T> &values) {
  int64_t count = elementCount(dims);
  if (count < 0)
    return "has a negative dimension";
  if (count != static_cast<int64_t>(values.size()))
    return "has " + std::to_string(values.size()) + " values for a shape of " +
           std::to_string(count) + " elements";
  tensor.set_data_type(toProto(type));
  for (int64_t d : dims)
    tensor.add_dims(d);
  // x86-64 and AArch64 Linux are little-endian, as ONNX's raw_data is.
  tensor.set_raw_data(values.data(), values.size() * sizeof(T));
  return {};
}

void setValueInfo(onnx::ValueInfoProto &info, const std::string &name,
                  DataType type, const std::vector<Dim> &shape) {
  info.set_name(name);
  onnx::TypeProto_Tensor *tensor = info.mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(toProto(type));
  onnx::TensorShapeProto *dims = tensor->mutable_shape();
  for (const Dim &d : shape) {
    onnx::TensorShapeProto_Dimension *dim = dims->add_dim();
    if (d.symbol.empty())
      dim->set_dim_value(d.size);
    else
      dim->set_dim_param(d.symbol);
  }
}

onnx::AttributeProto &addAttribute(onnx::NodeProto &node,
                                   const std::string &name,
                                   onnx::AttributeProto_AttributeType type) {
  onnx::AttributeProto *attr = node.add_attribute();
  attr->set_name(name);
  attr->set_type(type);
  return *attr;
}

} // namespace

//===----------------------------------------------------------------------===//
// Node
//===----------------------------------------------------------------------===//

Node &Node::setInt(const std::string &name, int64_t value) {
  addAttribute(*proto_, name, onnx::AttributeProto::INT).set_i(value);
  return *this;
}

Node &Node::setFloat(const std::string &name, float value) {
  addAttribute(*proto_, name, onnx::AttributeProto::FLOAT).set_f(value);
  return *this;
}

Node &Node::setString(const std::string &name, const std::string &value) {
  addAttribute(*proto_, name, onnx::AttributeProto::STRING).set_s(value);
  return *this;
}

Node &Node::setInts(const std::string &name, const std::vector<int64_t> &values) {
  onnx::AttributeProto &attr =
      addAttribute(*proto_, name, onnx::AttributeProto::INTS);
  for (int64_t v : values)
    attr.add_ints(v);
  return *this;
}

Node &Node::setFloats(const std::string &name, const std::vector<float> &values) {
  onnx::AttributeProto &attr =
      addAttribute(*proto_, name, onnx::AttributeProto::FLOATS);
  for (float v : values)
    attr.add_floats(v);
  return *this;
}

Node &Node::setFloatTensor(const std::string &name,
                           const std::vector<int64_t> &dims,
                           const std::vector<float> &values) {
  onnx::AttributeProto &attr =
      addAttribute(*proto_, name, onnx::AttributeProto::TENSOR);
  std::string error = fillTensor(*attr.mutable_t(), DataType::Float, dims, values);
  if (!error.empty())
    fail(name, error);
  return *this;
}

Node &Node::setInt64Tensor(const std::string &name,
                           const std::vector<int64_t> &dims,
                           const std::vector<int64_t> &values) {
  onnx::AttributeProto &attr =
      addAttribute(*proto_, name, onnx::AttributeProto::TENSOR);
  std::string error = fillTensor(*attr.mutable_t(), DataType::Int64, dims, values);
  if (!error.empty())
    fail(name, error);
  return *this;
}

void Node::fail(const std::string &attribute, const std::string &message) {
  owner_->fail("node '" + proto_->name() + "': attribute '" + attribute +
               "' " + message);
}

const std::string &Node::name() const { return proto_->name(); }

const std::string &Node::output(int index) const {
  static const std::string none;
  if (index < 0 || index >= proto_->output_size())
    return none;
  return proto_->output(index);
}

//===----------------------------------------------------------------------===//
// GraphBuilder
//===----------------------------------------------------------------------===//

GraphBuilder::GraphBuilder(ModelOptions options)
    : options_(std::move(options)),
      model_(std::make_unique<onnx::ModelProto>()) {
  int64_t ir = options_.irVersion ? options_.irVersion
                                  : irVersionForOpset(options_.opset);
  if (ir <= 0)
    fail("no IR version is known for opset " + std::to_string(options_.opset) +
         "; set ModelOptions::irVersion");
  model_->set_ir_version(ir);
  onnx::OperatorSetIdProto *opset = model_->add_opset_import();
  opset->set_domain("");
  opset->set_version(options_.opset);
  model_->set_producer_name(options_.producerName);
  model_->set_producer_version(options_.producerVersion);
  if (!options_.docString.empty())
    model_->set_doc_string(options_.docString);
  model_->mutable_graph()->set_name(options_.graphName);
}

GraphBuilder::~GraphBuilder() = default;

void GraphBuilder::fail(const std::string &message) {
  if (firstError_.empty())
    firstError_ = message;
}

onnx::NodeProto *GraphBuilder::scratchNode() {
  if (!scratch_)
    scratch_ = std::make_unique<onnx::NodeProto>();
  return scratch_.get();
}

std::string GraphBuilder::addInput(const std::string &name,
                                          DataType type,
                                          const std::vector<Dim> &shape) {
  if (finished_) {
    fail("input '" + name + "' added after the model was finished");
    return name;
  }
  onnx::ValueInfoProto *info = model_->mutable_graph()->add_input();
  setValueInfo(*info, name, type, shape);
  return info->name();
}

void GraphBuilder::addOutput(const std::string &name, DataType type,
                             const std::vector<Dim> &shape) {
  if (finished_)
    return fail("output '" + name + "' added after the model was finished");
  setValueInfo(*model_->mutable_graph()->add_output(), name, type, shape);
}

std::string
GraphBuilder::addInitializer(const std::string &name,
                             const std::vector<int64_t> &dims,
                             const std::vector<float> &values) {
  if (finished_) {
    fail("initializer '" + name + "' added after the model was finished");
    return name;
  }
  onnx::TensorProto *tensor = model_->mutable_graph()->add_initializer();
  tensor->set_name(name);
  std::string error = fillTensor(*tensor, DataType::Float, dims, values);
  if (!error.empty())
    fail("initializer '" + name + "' " + error);
  return tensor->name();
}

std::string
GraphBuilder::addInt64Initializer(const std::string &name,
                                  const std::vector<int64_t> &dims,
                                  const std::vector<int64_t> &values) {
  if (finished_) {
    fail("initializer '" + name + "' added after the model was finished");
    return name;
  }
  onnx::TensorProto *tensor = model_->mutable_graph()->add_initializer();
  tensor->set_name(name);
  std::string error = fillTensor(*tensor, DataType::Int64, dims, values);
  if (!error.empty())
    fail("initializer '" + name + "' " + error);
  return tensor->name();
}

std::string GraphBuilder::uniqueNodeName(const std::string &base) const {
  if (!nodeNames_.count(base))
    return base;
  for (int64_t i = 1;; ++i) {
    std::string candidate = base + "_" + std::to_string(i);
    if (!nodeNames_.count(candidate))
      return candidate;
  }
}

Node GraphBuilder::addNode(const std::string &opType, const std::string &name,
                           const std::vector<std::string> &inputs,
                           const std::vector<std::string> &outputs) {
  if (finished_) {
    fail("node '" + name + "' added after the model was finished");
    return Node(scratchNode(), this);
  }
  if (opType.empty())
    fail("node '" + name + "' has no op type");
  onnx::NodeProto *node = model_->mutable_graph()->add_node();
  node->set_op_type(opType);
  node->set_name(uniqueNodeName(name.empty() ? opType : name));
  nodeNames_.insert(node->name());
  for (const std::string &input : inputs)
    node->add_input(input);
  if (outputs.empty())
    node->add_output(node->name() + "_output_0");
  for (const std::string &output : outputs)
    node->add_output(output);
  return Node(node, this);
}

Status GraphBuilder::finish(onnx::ModelProto &model) {
  if (finished_)
    return Status::failure("the model was already finished");
  finished_ = true;
  if (!firstError_.empty())
    return Status::failure(firstError_);
  Status checked = checkModel(*model_);
  if (!checked)
    return checked;
  model = std::move(*model_);
  return Status::success();
}

Status GraphBuilder::write(const std::string &path) {
  onnx::ModelProto model;
  Status built = finish(model);
  if (!built)
    return built;
  return writeModelFile(model, path);
}

} // namespace hdx::onnxlib
