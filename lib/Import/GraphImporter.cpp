//===- GraphImporter.cpp - ONNX graph walk --------------------------------===//
#include "NodeContext.h"
#include "OnnxOps.h"
#include "hdx/Import/OnnxImporter.h"

#include "hdx/Dialect/HDX/HDXDialect.h"
#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <onnx/checker.h>
#include <onnx/defs/parser.h>

#include <limits>

using namespace mlir;

namespace hdx::onnx_import {

//===----------------------------------------------------------------------===//
// Model import
//===----------------------------------------------------------------------===//

/// Whether `contents` starts like ONNX's textual syntax: a `<...>` model
/// header after blanks and `#` comment lines.
static bool looksLikeOnnxText(StringRef contents) {
  while (true) {
    contents = contents.ltrim();
    if (!contents.starts_with("#"))
      return contents.starts_with("<");
    contents = contents.drop_until([](char c) { return c == '\n'; });
  }
}

/// Parses binary protobuf, or ONNX's textual syntax.
static bool parseModel(StringRef contents, onnx::ModelProto &model,
                       std::string &error) {
  if (looksLikeOnnxText(contents)) {
    std::string text = contents.str();
    try {
      onnx::Common::Status status = onnx::OnnxParser::Parse(model, text.c_str());
      if (!status.IsOK()) {
        error = "invalid ONNX text: " + status.ErrorMessage();
        return false;
      }
    } catch (const std::exception &e) {
      error = std::string("invalid ONNX text: ") + e.what();
      return false;
    }
    return true;
  }
  // protobuf parses at most INT_MAX bytes; cast down, a larger file would be
  // parsed as a prefix (or abort inside protobuf).
  if (contents.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    error = "the model is " + std::to_string(contents.size()) +
            " bytes, more than the 2147483647 an ONNX protobuf can hold; "
            "store large weights as external data";
    return false;
  }
  if (!model.ParseFromArray(contents.data(), static_cast<int>(contents.size()))) {
    error = "not a valid ONNX model (neither binary protobuf nor ONNX text)";
    return false;
  }
  return true;
}

static std::optional<int64_t> defaultDomainOpset(const onnx::ModelProto &model) {
  for (const auto &opset : model.opset_import())
    if (opset.domain().empty() || opset.domain() == "ai.onnx")
      return opset.version();
  return std::nullopt;
}

namespace {
class ModelImporter {
public:
  ModelImporter(MLIRContext *context, StringRef path,
                const OnnxImportOptions &options)
      : context(context), path(path.str()), options(options),
        fileLoc(FileLineColLoc::get(context, path, 0, 0)) {}

  OwningOpRef<ModuleOp> import(const onnx::ModelProto &model);

private:
  InFlightDiagnostic emitFileError() {
    return mlir::emitError(fileLoc) << path << ": ";
  }
  FailureOr<RankedTensorType> inputType(const onnx::ValueInfoProto &input);
  LogicalResult checkGraphNames(const onnx::GraphProto &graph);

  MLIRContext *context;
  std::string path;
  const OnnxImportOptions &options;
  Location fileLoc;
};
} // namespace

FailureOr<RankedTensorType>
ModelImporter::inputType(const onnx::ValueInfoProto &input) {
  if (!input.type().has_tensor_type())
    return emitFileError() << "graph input '" << input.name()
                           << "' is not a tensor";
  const auto &tensorType = input.type().tensor_type();
  if (tensorType.elem_type() != onnx::TensorProto::FLOAT)
    return emitFileError() << "graph input '" << input.name()
                           << "' has element type "
                           << onnx::TensorProto::DataType_Name(
                                  static_cast<onnx::TensorProto::DataType>(
                                      tensorType.elem_type()))
                           << "; only float inputs are supported";
  if (!tensorType.has_shape())
    return emitFileError() << "graph input '" << input.name()
                           << "' has no shape";
  SmallVector<int64_t> shape;
  for (const auto &[index, dim] : llvm::enumerate(tensorType.shape().dim())) {
    if (dim.has_dim_value() && dim.dim_value() <= 0) {
      return emitFileError() << "graph input '" << input.name()
                             << "' dimension " << index << " is "
                             << dim.dim_value() << "; sizes must be positive";
    } else if (dim.has_dim_value() &&
               dim.dim_value() > std::numeric_limits<int32_t>::max()) {
      return emitFileError() << "graph input '" << input.name()
                             << "' dimension " << index << " is "
                             << dim.dim_value() << "; at most "
                             << std::numeric_limits<int32_t>::max()
                             << " is supported";
    } else if (dim.has_dim_value()) {
      shape.push_back(dim.dim_value());
    } else if (index == 0) {
      shape.push_back(options.batchSize);
    } else {
      return emitFileError()
             << "graph input '" << input.name() << "' dimension " << index
             << " is " << (dim.has_dim_param() ? "'" + dim.dim_param() + "'"
                                               : std::string("unknown"))
             << "; only the leading (batch) dimension may be symbolic";
    }
  }
  return RankedTensorType::get(shape, Float32Type::get(context));
}

/// The name diagnostics and locations give node `index`: its own, or
/// `<OpType>_<index>` when it has none.
static std::string nodeDisplayName(const onnx::NodeProto &node, size_t index) {
  return node.name().empty() ? node.op_type() + "_" + std::to_string(index)
                             : node.name();
}

/// ONNX graphs are in SSA form: every name is defined once, by an
/// initializer, a graph input or one node output. Graph inputs may repeat an
/// initializer's name (the initializer is then the input's default).
LogicalResult ModelImporter::checkGraphNames(const onnx::GraphProto &graph) {
  llvm::StringMap<std::string> definedBy;
  auto define = [&](const std::string &name, std::string by) -> LogicalResult {
    auto [it, inserted] = definedBy.try_emplace(name, by);
    if (inserted)
      return success();
    return emitFileError() << "'" << name << "' is defined twice (" << it->second
                           << " and " << by << "); ONNX graphs define every "
                           << "name once";
  };
  for (const onnx::TensorProto &tensor : graph.initializer())
    if (failed(define(tensor.name(), "initializer")))
      return failure();
  llvm::StringSet<> inputs;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (!inputs.insert(input.name()).second)
      return emitFileError() << "graph input '" << input.name()
                             << "' is listed twice";
    if (!definedBy.count(input.name()) &&
        failed(define(input.name(), "graph input")))
      return failure();
  }
  for (const auto &[index, node] : llvm::enumerate(graph.node()))
    for (const std::string &output : node.output())
      if (!output.empty() &&
          failed(define(output, "output of node '" +
                                    nodeDisplayName(node, index) + "'")))
        return failure();
  llvm::StringSet<> outputs;
  for (const onnx::ValueInfoProto &output : graph.output())
    if (!outputs.insert(output.name()).second)
      return emitFileError() << "graph output '" << output.name()
                             << "' is listed twice";
  if (graph.output_size() == 0)
    return emitFileError() << "the graph has no outputs";
  if (graph.node_size() == 0)
    return emitFileError() << "the graph has no nodes";
  return success();
}

/// The node against its ONNX schema (input and output counts, attribute
/// names and types, required attributes), with ONNX's own checker. `name` is
/// the node's display name, so the checker's messages name it too.
static std::string checkNodeSchema(const onnx::NodeProto &node,
                                   llvm::StringRef name,
                                   const onnx::checker::CheckerContext &ctx) {
  llvm::StringSet<> seen;
  for (const onnx::AttributeProto &attr : node.attribute())
    if (!seen.insert(attr.name()).second)
      return "attribute '" + attr.name() + "' is given twice";
  try {
    onnx::NodeProto named = node;
    named.set_name(name.str());
    onnx::checker::LexicalScopeContext scope;
    onnx::checker::check_node(named, ctx, scope);
  } catch (const std::exception &e) {
    // ONNX appends "==> Context: Bad node spec ..." after a blank line; the
    // diagnostic names the node already.
    std::string message = e.what();
    return message.substr(0, message.find("\n\n"));
  }
  return {};
}

/// The newest opset of the default domain whose schemas this ONNX library
/// knows; nodes of newer models are checked by the op handlers alone (the
/// checker would hold them to an older schema).
static int64_t newestKnownOpset() {
  const auto &ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  auto it = ranges.find("");
  return it == ranges.end() ? 0 : it->second.second;
}

OwningOpRef<ModuleOp> ModelImporter::import(const onnx::ModelProto &model) {
  std::optional<int64_t> opset = defaultDomainOpset(model);
  if (!opset) {
    emitFileError() << "the model imports no opset of the default ONNX domain";
    return {};
  }
  if (*opset < 1) {
    emitFileError() << "the model imports opset " << *opset
                    << " of the default ONNX domain; opsets start at 1";
    return {};
  }
  const onnx::GraphProto &graph = model.graph();
  if (failed(checkGraphNames(graph)))
    return {};
  onnx::checker::CheckerContext checker;
  checker.set_ir_version(static_cast<int>(model.ir_version()));
  std::unordered_map<std::string, int> opsets;
  for (const auto &import : model.opset_import())
    opsets[import.domain()] = static_cast<int>(import.version());
  checker.set_opset_imports(std::move(opsets));
  StringRef modelDirectory = llvm::sys::path::parent_path(path);
  // Constant nodes may hold external data; the checker looks for it here.
  checker.set_model_dir(modelDirectory.empty() ? "." : modelDirectory.str());

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  OpBuilder builder(context);
  ImportState importer(builder, path, *opset);

  // Initializers are import-time constants.
  for (const onnx::TensorProto &tensor : graph.initializer()) {
    std::string error;
    DenseElementsAttr constant =
        convertTensor(tensor, modelDirectory, context, error);
    if (!constant) {
      emitFileError() << "initializer: " << error;
      return {};
    }
    importer.values[tensor.name()] = ImportedValue{{}, constant};
  }

  // Graph inputs that are not initializers become function arguments.
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (importer.values.count(input.name()))
      continue;
    FailureOr<RankedTensorType> type = inputType(input);
    if (failed(type))
      return {};
    argTypes.push_back(*type);
    argNames.push_back(input.name());
  }

  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &name : node.input())
      if (!name.empty())
        ++importer.uses[name];
  for (const onnx::ValueInfoProto &output : graph.output())
    ++importer.uses[output.name()];

  builder.setInsertionPointToEnd(module->getBody());
  auto func = builder.create<func::FuncOp>(
      fileLoc, "main", builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [arg, name] : llvm::zip(body->getArguments(), argNames)) {
    arg.setLoc(NameLoc::get(builder.getStringAttr(name)));
    importer.values[name] = ImportedValue{arg, {}};
  }
  builder.setInsertionPointToEnd(body);

  for (const auto &[index, node] : llvm::enumerate(graph.node())) {
    std::string name = nodeDisplayName(node, index);
    Location loc = NameLoc::get(builder.getStringAttr(name),
                                NameLoc::get(builder.getStringAttr(path)));
    NodeContext ctx(importer, node, name, loc, *opset);
    if (!node.domain().empty() && node.domain() != "ai.onnx") {
      ctx.emitError() << "operators of domain '" << node.domain()
                      << "' are not supported";
      return {};
    }
    OpHandler handler = lookupOpHandler(node.op_type());
    if (!handler) {
      ctx.emitError() << "unsupported op type '" << node.op_type() << "'";
      return {};
    }
    if (*opset <= newestKnownOpset())
      if (std::string problem = checkNodeSchema(node, name, checker);
          !problem.empty()) {
        ctx.emitError() << problem;
        return {};
      }
    if (failed(handler(ctx)))
      return {};
  }

  // Return the graph outputs.
  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    auto it = importer.values.find(output.name());
    if (it == importer.values.end()) {
      emitFileError() << "graph output '" << output.name()
                      << "' is not produced by any node";
      return {};
    }
    if (!it->second.value)
      it->second.value = builder.create<arith::ConstantOp>(
          NameLoc::get(builder.getStringAttr(output.name())),
          it->second.constant);
    results.push_back(it->second.value);
  }
  builder.create<func::ReturnOp>(fileLoc, results);
  func.setFunctionType(
      builder.getFunctionType(argTypes, ValueRange(results).getTypes()));

  if (failed(mlir::verify(*module)))
    return {};
  return module;
}

} // namespace hdx::onnx_import

using namespace ::hdx::onnx_import;

OwningOpRef<ModuleOp> hdx::importOnnx(StringRef contents, StringRef path,
                                      MLIRContext *context,
                                      const OnnxImportOptions &options) {
  context->loadDialect<hdx::HDXDialect, arith::ArithDialect,
                       func::FuncDialect>();
  if (options.batchSize < 1) {
    mlir::emitError(FileLineColLoc::get(context, path, 0, 0))
        << path << ": the batch size (--onnx-batch-size) must be positive, got "
        << options.batchSize;
    return {};
  }
  onnx::ModelProto model;
  std::string error;
  if (!parseModel(contents, model, error)) {
    mlir::emitError(FileLineColLoc::get(context, path, 0, 0))
        << path << ": " << error;
    return {};
  }
  return ModelImporter(context, path, options).import(model);
}

OwningOpRef<ModuleOp> hdx::importOnnxFile(StringRef path, MLIRContext *context,
                                          const OnnxImportOptions &options) {
  // A FIFO would block and a device never end: only regular files.
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(path, status) &&
      status.type() != llvm::sys::fs::file_type::regular_file) {
    mlir::emitError(UnknownLoc::get(context))
        << "cannot read '" << path
        << "': not a regular file (pipes, devices and folders are not read)";
    return {};
  }
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    mlir::emitError(UnknownLoc::get(context))
        << "cannot read '" << path << "': " << buffer.getError().message();
    return {};
  }
  return importOnnx((*buffer)->getBuffer(), path, context, options);
}

void hdx::registerOnnxImportTranslation() {
  static llvm::cl::opt<int64_t> batchSize(
      "onnx-batch-size", llvm::cl::init(1),
      llvm::cl::desc("Size of a symbolic batch dimension of graph inputs"));
  static llvm::cl::opt<bool> emitBytecode(
      "emit-bytecode",
      llvm::cl::desc("Write the imported module as MLIR bytecode (.mlirbc): "
                     "the weights then need no hex text"));
  TranslateRegistration registration(
      "import-onnx", "Import an ONNX model (binary or text) into the hdx dialect",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         llvm::raw_ostream &output, MLIRContext *context) -> LogicalResult {
        DialectRegistry registry;
        registry.insert<hdx::HDXDialect, arith::ArithDialect,
                        func::FuncDialect>();
        context->appendDialectRegistry(registry);
        const llvm::MemoryBuffer *buffer =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        OnnxImportOptions options;
        options.batchSize = batchSize;
        OwningOpRef<ModuleOp> module = importOnnx(
            buffer->getBuffer(), buffer->getBufferIdentifier(), context,
            options);
        if (!module)
          return failure();
        if (emitBytecode)
          return writeBytecodeToFile(*module, output);
        module->print(output);
        return success();
      });
}
