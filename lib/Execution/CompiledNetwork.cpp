//===- CompiledNetwork.cpp - a network lowered and JIT-compiled -----------===//
#include "hdx/Execution/CompiledNetwork.h"
#include "hdx/Conversion/LowerPipeline.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/TargetSelect.h"

#include <chrono>

using namespace mlir;

namespace hdx::exec {

namespace {

llvm::Error failure(const std::string &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string text;
  for (int64_t d : shape)
    text += (text.empty() ? "" : "x") + std::to_string(d);
  return text.empty() ? "scalar" : text;
}

/// Static f32 shapes of `types`, or an error naming the offending one.
llvm::Error staticShapes(TypeRange types, const char *what,
                         std::vector<std::vector<int64_t>> &shapes) {
  for (auto [i, type] : llvm::enumerate(types)) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape() ||
        !tensor.getElementType().isF32())
      return failure(std::string(what) + " " + std::to_string(i) +
                     " is not a static f32 tensor");
    shapes.emplace_back(tensor.getShape().begin(), tensor.getShape().end());
  }
  return llvm::Error::success();
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       start)
      .count();
}

/// A memref descriptor as the C interface passes it: allocated and aligned
/// pointers, offset, sizes, strides (row-major).
std::vector<int64_t> descriptorOf(float *data,
                                  const std::vector<int64_t> &shape) {
  std::vector<int64_t> desc = {reinterpret_cast<int64_t>(data),
                               reinterpret_cast<int64_t>(data), 0};
  desc.insert(desc.end(), shape.begin(), shape.end());
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;)
    strides[d - 1] = strides[d] * shape[d];
  desc.insert(desc.end(), strides.begin(), strides.end());
  return desc;
}

int64_t elements(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

} // namespace

CompiledNetwork::~CompiledNetwork() = default;

llvm::Expected<std::unique_ptr<CompiledNetwork>>
CompiledNetwork::compile(ModuleOp module, bool tile) {
  std::unique_ptr<CompiledNetwork> network(new CompiledNetwork());
  func::FuncOp entry;
  for (func::FuncOp func : module.getOps<func::FuncOp>()) {
    if (func.isPrivate() || func.isExternal())
      continue;
    if (entry)
      return failure("the module defines more than one public function ('" +
                     entry.getName().str() + "', '" + func.getName().str() +
                     "'); it must define exactly one");
    entry = func;
  }
  if (!entry)
    return failure("the module defines no public function to run");
  network->function = entry.getName().str();
  if (llvm::Error e = staticShapes(entry.getArgumentTypes(), "input",
                                   network->inputs))
    return std::move(e);
  if (llvm::Error e = staticShapes(entry.getResultTypes(), "output",
                                   network->outputs))
    return std::move(e);
  entry->setAttr("llvm.emit_c_interface", UnitAttr::get(module.getContext()));

  auto start = std::chrono::steady_clock::now();
  PassManager pm(module.getContext());
  LowerOptions options;
  options.tile = tile;
  buildLowerPipeline(pm, options);
  if (failed(pm.run(module)))
    return failure("lowering failed (see the errors above)");
  network->lowerTime = secondsSince(start);

  start = std::chrono::steady_clock::now();
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto optimize = makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                            /*targetMachine=*/nullptr);
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = optimize;
  auto engine = ExecutionEngine::create(module, engineOptions);
  if (!engine)
    return failure("JIT compilation failed: " +
                   llvm::toString(engine.takeError()));
  network->engine = std::move(*engine);
  network->jitTime = secondsSince(start);
  return std::move(network);
}

llvm::Expected<std::vector<onnxlib::FloatTensor>>
CompiledNetwork::run(const std::vector<onnxlib::FloatTensor> &args) {
  if (args.size() != inputs.size())
    return failure("'" + function + "' takes " +
                   std::to_string(inputs.size()) + " input(s), got " +
                   std::to_string(args.size()));
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].shape != inputs[i])
      return failure("input " + std::to_string(i) +
                     (args[i].name.empty() ? "" : " ('" + args[i].name + "')") +
                     " has shape " + shapeText(args[i].shape) + ", '" +
                     function + "' expects " + shapeText(inputs[i]));
    if (static_cast<int64_t>(args[i].data.size()) != elements(inputs[i]))
      return failure("input " + std::to_string(i) + " holds " +
                     std::to_string(args[i].data.size()) +
                     " values, its shape needs " +
                     std::to_string(elements(inputs[i])));
  }
  std::vector<onnxlib::FloatTensor> results(outputs.size());
  std::vector<std::vector<int64_t>> descriptors;
  // The network only reads its inputs; the C interface takes non-const
  // pointers.
  for (size_t i = 0; i < args.size(); ++i)
    descriptors.push_back(descriptorOf(
        const_cast<float *>(args[i].data.data()), inputs[i]));
  for (size_t i = 0; i < outputs.size(); ++i) {
    results[i].name = "output_" + std::to_string(i);
    results[i].shape = outputs[i];
    results[i].data.assign(elements(outputs[i]), 0.0f);
    descriptors.push_back(descriptorOf(results[i].data.data(), outputs[i]));
  }
  std::vector<void *> pointers;
  for (auto &desc : descriptors)
    pointers.push_back(desc.data());
  std::vector<void *> packed;
  for (void *&pointer : pointers)
    packed.push_back(&pointer);
  if (llvm::Error e =
          engine->invokePacked("_mlir_ciface_" + function, packed))
    return failure("running '" + function + "' failed: " +
                   llvm::toString(std::move(e)));
  return results;
}

} // namespace hdx::exec
