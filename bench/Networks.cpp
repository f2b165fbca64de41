//===- Networks.cpp - Layer lists of reference networks -------------------===//
#include "Networks.h"

#include "hdx/Dialect/HDX/HDXDialect.h"
#include "hdx/Dialect/HDX/HDXInterfaces.h"
#include "hdx/Import/OnnxImporter.h"
#include "hdx/Transforms/Passes.h"
#include "hdx/Zoo/Models.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include <onnx/onnx_pb.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace hdx::bench {

namespace {

using BuildNetwork = void (*)(zoo::NetBuilder &, int64_t, int64_t);

[[noreturn]] void fail(const std::string &what) {
  std::fprintf(stderr, "error: %s\n", what.c_str());
  std::exit(1);
}

/// `build`'s network at 224 x 224, batch 1, as the compiler maps it: the
/// layers of the imported module after the folding and fusing passes of
/// --hdx-compile, in execution order.
std::vector<cost::Layer> compiledLayers(const char *name, BuildNetwork build) {
  onnxlib::ModelOptions options;
  options.opset = 13;
  onnxlib::GraphBuilder graph(options);
  zoo::NetBuilder net(graph, /*seed=*/1);
  build(net, /*batch=*/1, /*resolution=*/224);
  if (!net.error().empty())
    fail(std::string(name) + ": " + net.error());
  onnx::ModelProto model;
  if (hdx::Status s = graph.finish(model); !s)
    fail(std::string(name) + ": " + s.error());
  std::string bytes;
  model.SerializeToString(&bytes);

  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      importOnnx(bytes, std::string(name) + ".onnx", &context);
  if (!module)
    fail(std::string(name) + ": the import failed");
  mlir::PassManager pm(&context);
  pm.addNestedPass<mlir::func::FuncOp>(createFoldBatchNorm());
  pm.addNestedPass<mlir::func::FuncOp>(createFoldBiasAdd());
  pm.addNestedPass<mlir::func::FuncOp>(createFuseActivations());
  if (mlir::failed(pm.run(*module)))
    fail(std::string(name) + ": folding failed");
  std::vector<cost::Layer> layers;
  module->walk(
      [&](LayerOpInterface op) { layers.push_back(op.getCostLayer()); });
  return layers;
}

} // namespace

std::vector<cost::Layer> mobileNetV2() {
  return compiledLayers("mobilenetv2", zoo::buildMobileNetV2);
}

std::vector<cost::Layer> resNet18() {
  return compiledLayers("resnet18", zoo::buildResNet18);
}

std::vector<cost::Layer> arrayLayers(const std::vector<cost::Layer> &layers) {
  std::vector<cost::Layer> out;
  for (const cost::Layer &l : layers)
    if (l.usesArray())
      out.push_back(l);
  return out;
}

} // namespace hdx::bench
