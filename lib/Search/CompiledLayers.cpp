//===- CompiledLayers.cpp - the layers the compiler charges ---------------===//

#include "hdx/Search/CompiledLayers.h"

#include "hdx/Dialect/HDX/HDXDialect.h"
#include "hdx/Dialect/HDX/HDXOps.h"
#include "hdx/Import/OnnxImporter.h"
#include "hdx/Search/DerivedNet.h"
#include "hdx/Search/OnnxWriter.h"
#include "hdx/Transforms/Pipeline.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <onnx/onnx_pb.h>

#include <algorithm>

using namespace hdx;
using namespace hdx::search;

namespace {

/// The ONNX model of `architecture`. Its weights are random and only their
/// shapes matter; the generator's state is restored so that deriving
/// layers does not change the search's own random draws.
Expected<onnx::ModelProto> exportNetwork(const NetworkSpace &space,
                                         const std::vector<int> &architecture) {
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  at::Tensor state = generator.get_state();
  Expected<DerivedNet> net = makeDerivedNet(space, architecture);
  generator.set_state(state);
  if (!net)
    return net.status();
  (*net)->eval();
  onnx::ModelProto model;
  if (Status written = buildOnnxModel(**net, model); !written)
    return written;
  return model;
}

} // namespace

Expected<std::vector<cost::Layer>>
hdx::search::compiledLayers(const NetworkSpace &space,
                            const std::vector<int> &architecture) {
  Expected<onnx::ModelProto> model = exportNetwork(space, architecture);
  if (!model)
    return model.status();
  std::string bytes;
  if (!model->SerializeToString(&bytes))
    return Error{"cannot serialize the network " + space.describe(architecture)};

  mlir::MLIRContext context;
  context.loadDialect<HDXDialect, mlir::arith::ArithDialect,
                      mlir::func::FuncDialect>();
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler capture(&context, [&](mlir::Diagnostic &d) {
    if (d.getSeverity() == mlir::DiagnosticSeverity::Error)
      diagnostics += (diagnostics.empty() ? "" : "; ") + d.str();
    return mlir::success();
  });
  mlir::OwningOpRef<mlir::ModuleOp> module =
      importOnnx(bytes, "searched-network.onnx", &context);
  mlir::PassManager pm(&context);
  buildPreparePipeline(pm);
  if (!module || mlir::failed(pm.run(*module)))
    return Error{"the compiler cannot prepare the network " +
                 space.describe(architecture) + ": " + diagnostics};
  std::vector<cost::Layer> layers;
  module->walk(
      [&](LayerOpInterface op) { layers.push_back(op.getCostLayer()); });
  return layers;
}

Expected<LayerGroups>
hdx::search::compiledLayerGroups(const NetworkSpace &space,
                                 const std::vector<int> &architecture) {
  Expected<std::vector<cost::Layer>> layers =
      compiledLayers(space, architecture);
  if (!layers)
    return layers.status();
  LayerGroups groups;
  groups.layers.resize(space.numLayers());
  auto ownerOf = [&](const cost::Layer &layer) {
    for (int l = 0; l < space.numLayers(); ++l)
      if (layer.name.rfind(space.layers()[l].name + ".", 0) == 0)
        return l;
    return -1;
  };
  int last = -1; // the searchable layer the previous layer belonged to
  for (cost::Layer &layer : *layers) {
    int owner = ownerOf(layer);
    if (owner >= 0) {
      if (owner < last)
        return Error{"layer '" + layer.name + "' of the compiled network " +
                     space.describe(architecture) + " is out of order"};
      last = owner;
      groups.layers[owner].push_back(std::move(layer));
    } else if (last < 0 && groups.tail.empty() &&
               layer.name.rfind("stem", 0) == 0) {
      groups.stem.push_back(std::move(layer));
    } else {
      groups.tail.push_back(std::move(layer));
    }
  }
  return groups;
}

Expected<CandidateLayers>
hdx::search::compiledCandidateLayers(const NetworkSpace &space) {
  CandidateLayers result;
  result.candidates.assign(
      space.numLayers(),
      std::vector<std::vector<cost::Layer>>(space.numCandidates()));
  for (int k = 0; k < space.numCandidates(); ++k) {
    std::vector<int> architecture;
    bool anyAllows = false;
    for (const SearchableLayer &layer : space.layers()) {
      auto first = std::find(layer.allowed.begin(), layer.allowed.end(), true);
      anyAllows |= layer.allowed[k];
      architecture.push_back(
          layer.allowed[k] ? k
                           : static_cast<int>(first - layer.allowed.begin()));
    }
    if (!anyAllows && k > 0)
      continue;
    Expected<LayerGroups> groups = compiledLayerGroups(space, architecture);
    if (!groups)
      return groups.status();
    if (k == 0) {
      result.stem = std::move(groups->stem);
      result.tail = std::move(groups->tail);
    }
    for (int l = 0; l < space.numLayers(); ++l)
      if (space.layers()[l].allowed[k])
        result.candidates[l][k] = std::move(groups->layers[l]);
  }
  return result;
}
