//===- ModelCheck.cpp - Validating an ONNX model --------------------------===//
#include "hdx/Onnx/ModelCheck.h"

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>

#include <exception>
#include <unordered_set>

namespace hdx::onnxlib {

namespace {

/// libonnx's messages span lines ("...\n\n==> Context: ..."); diagnostics
/// want one.
std::string oneLine(const std::string &text) {
  std::string line;
  for (char c : text) {
    bool space = c == '\n' || c == '\r' || c == ' ' || c == '\t';
    if (space && (line.empty() || line.back() == ' '))
      continue;
    line += space ? ' ' : c;
  }
  while (!line.empty() && line.back() == ' ')
    line.pop_back();
  return line;
}

bool isDefaultDomain(const std::string &domain) {
  return domain.empty() || domain == "ai.onnx";
}

/// Names in single static assignment, nodes in topological order, every
/// graph output produced: what a consumer walking the graph relies on,
/// independent of operator schemas.
Status checkStructure(const onnx::ModelProto &model) {
  if (model.ir_version() <= 0)
    return Status::failure("the model has no ir_version");
  bool importsDefault = false;
  for (const onnx::OperatorSetIdProto &opset : model.opset_import())
    importsDefault |= isDefaultDomain(opset.domain());
  if (!importsDefault)
    return Status::failure("the model imports no version of the default "
                           "operator set");
  const onnx::GraphProto &graph = model.graph();
  if (graph.name().empty())
    return Status::failure("the graph has no name");

  std::unordered_set<std::string> defined;
  for (const onnx::ValueInfoProto &input : graph.input())
    if (!defined.insert(input.name()).second)
      return Status::failure("graph input '" + input.name() +
                             "' is declared twice");
  std::unordered_set<std::string> initializers;
  for (const onnx::TensorProto &tensor : graph.initializer()) {
    if (!initializers.insert(tensor.name()).second)
      return Status::failure("initializer '" + tensor.name() +
                             "' is defined twice");
    // An initializer may also be a graph input (its default value).
    defined.insert(tensor.name());
  }
  for (const onnx::NodeProto &node : graph.node()) {
    std::string where = "node '" + node.name() + "' (" + node.op_type() + ")";
    if (node.op_type().empty())
      return Status::failure(where + " has no op type");
    for (const std::string &input : node.input())
      if (!input.empty() && !defined.count(input))
        return Status::failure(where + " reads '" + input +
                               "', which no earlier node, input or "
                               "initializer defines");
    for (const std::string &output : node.output())
      if (!output.empty() && !defined.insert(output).second)
        return Status::failure(where + " redefines '" + output + "'");
  }
  for (const onnx::ValueInfoProto &output : graph.output())
    if (!defined.count(output.name()))
      return Status::failure("graph output '" + output.name() +
                             "' is not produced by any node");
  return Status::success();
}

/// libonnx's checks that need no operator schema.
void checkWithoutSchemas(const onnx::ModelProto &model) {
  onnx::checker::CheckerContext ctx;
  ctx.set_ir_version(static_cast<int>(model.ir_version()));
  std::unordered_map<std::string, int> opsets;
  for (const onnx::OperatorSetIdProto &opset : model.opset_import())
    opsets[opset.domain()] = static_cast<int>(opset.version());
  ctx.set_opset_imports(opsets);
  onnx::checker::LexicalScopeContext scope;
  const onnx::GraphProto &graph = model.graph();
  for (const onnx::ValueInfoProto &value : graph.input())
    onnx::checker::check_value_info(value, ctx);
  for (const onnx::ValueInfoProto &value : graph.output())
    onnx::checker::check_value_info(value, ctx);
  for (const onnx::TensorProto &tensor : graph.initializer())
    onnx::checker::check_tensor(tensor, ctx);
  for (const onnx::NodeProto &node : graph.node())
    for (const onnx::AttributeProto &attr : node.attribute())
      onnx::checker::check_attribute(attr, ctx, scope);
}

} // namespace

int64_t newestKnownOpset() {
  const auto &ranges =
      onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  auto it = ranges.find(onnx::ONNX_DOMAIN);
  return it == ranges.end() ? 0 : it->second.second;
}

int64_t irVersionForOpset(int64_t opset) {
  // From ONNX's release table (docs/Versioning.md).
  struct Release {
    int64_t opset, ir;
  };
  static const Release releases[] = {
      {7, 3},  {8, 3},  {9, 4},  {10, 5}, {11, 6}, {12, 7}, {13, 7},
      {14, 7}, {15, 8}, {16, 8}, {17, 8}, {18, 8}, {19, 9}, {20, 9},
      {21, 10}, {22, 10}};
  for (const Release &r : releases)
    if (r.opset == opset)
      return r.ir;
  return 0;
}

CheckLevel checkLevelFor(const onnx::ModelProto &model) {
  if (model.ir_version() > onnx::IR_VERSION)
    return CheckLevel::Structural;
  const auto &ranges =
      onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  for (const onnx::OperatorSetIdProto &opset : model.opset_import()) {
    std::string domain = opset.domain() == "ai.onnx" ? "" : opset.domain();
    auto it = ranges.find(domain);
    if (it != ranges.end() && opset.version() > it->second.second)
      return CheckLevel::Structural;
  }
  return CheckLevel::Full;
}

Status checkModel(const onnx::ModelProto &model) {
  Status structure = checkStructure(model);
  if (!structure)
    return structure;
  try {
    if (checkLevelFor(model) == CheckLevel::Full)
      onnx::checker::check_model(model);
    else
      checkWithoutSchemas(model);
  } catch (const std::exception &e) {
    return Status::failure("ONNX checker: " + oneLine(e.what()));
  }
  return Status::success();
}

} // namespace hdx::onnxlib
