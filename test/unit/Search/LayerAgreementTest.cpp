//===- LayerAgreementTest.cpp - the search costs what the compiler sees ---===//
//
// The search derives its cost layers the compiler's way (CompiledLayers.h):
// one network per candidate, split by layer, and the tables cost each
// candidate's part. That rests on a candidate's layers not depending on its
// neighbours' choices. For many random networks of several spaces, the
// tables' candidates reassembled must equal, name and shape, in order, the
// layers the compiler's own preparation passes read from that network
// exported whole.
//
//===----------------------------------------------------------------------===//
#include "hdx/Dialect/HDX/HDXDialect.h"
#include "hdx/Dialect/HDX/HDXOps.h"
#include "hdx/Driver/Codesign.h"
#include "hdx/Import/OnnxImporter.h"
#include "hdx/Search/CompiledLayers.h"
#include "hdx/Search/Config.h"
#include "hdx/Search/CostTables.h"
#include "hdx/Search/DerivedNet.h"
#include "hdx/Search/NetworkSpace.h"
#include "hdx/Search/OnnxWriter.h"
#include "hdx/Support/Random.h"
#include "hdx/Transforms/Pipeline.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <torch/torch.h>

using namespace hdx;
using namespace hdx::search;

namespace {

/// Search spaces that exercise strides, odd sizes, skips, expansion 1
/// (no expand conv), kernel 7 padding and a missing head.
const char *kSpaces[] = {
    R"(
search_space:
  stem: {channels: 8, kernel: 3, stride: 2}
  stages:
    - {channels: 8, stride: 1, layers: 2}
    - {channels: 16, stride: 2, layers: 2}
  candidates: {kernels: [3, 5, 7], expansions: [1, 3, 6], skip: true}
  head: {channels: 32}
)",
    R"(
search_space:
  stem: {channels: 4, kernel: 5, stride: 1}
  stages:
    - {channels: 12, stride: 2, layers: 1}
    - {channels: 12, stride: 1, layers: 3}
    - {channels: 20, stride: 2, layers: 1}
  candidates: {kernels: [3, 7], expansions: [2, 4], skip: false}
)",
    R"(
search_space:
  stem: {channels: 6, kernel: 3, stride: 1}
  stages:
    - {channels: 6, stride: 1, layers: 2}
    - {channels: 10, stride: 2, layers: 2}
  candidates: {kernels: [5], expansions: [1, 6], skip: true}
  head: {channels: 24}
)",
};

/// `model` imported and prepared as `--hdx-compile` prepares it before
/// mapping.
mlir::OwningOpRef<mlir::ModuleOp> prepare(const onnx::ModelProto &model,
                                          mlir::MLIRContext &context) {
  context.loadDialect<HDXDialect, mlir::arith::ArithDialect,
                      mlir::func::FuncDialect>();
  std::string bytes;
  EXPECT_TRUE(model.SerializeToString(&bytes));
  mlir::OwningOpRef<mlir::ModuleOp> module =
      importOnnx(bytes, "agreement.onnx", &context);
  if (!module)
    return module;
  mlir::PassManager pm(&context);
  buildPreparePipeline(pm);
  EXPECT_TRUE(mlir::succeeded(pm.run(*module)));
  return module;
}

/// The cost-model layers the compiler charges for `model`, in order.
std::vector<cost::Layer> compilerLayers(const onnx::ModelProto &model) {
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module = prepare(model, context);
  if (!module)
    return {};
  std::vector<cost::Layer> layers;
  module->walk([&](LayerOpInterface op) {
    layers.push_back(op.getCostLayer());
  });
  return layers;
}

std::string shapeText(const cost::Layer &l) {
  return std::to_string(static_cast<int>(l.kind)) + " n" + std::to_string(l.n) +
         " k" + std::to_string(l.k) + " c" + std::to_string(l.c) + " r" +
         std::to_string(l.r) + " s" + std::to_string(l.s) + " p" +
         std::to_string(l.p) + " q" + std::to_string(l.q) + " stride" +
         std::to_string(l.stride_h) + "x" + std::to_string(l.stride_w) +
         " pad" + std::to_string(l.pad_h) + "x" + std::to_string(l.pad_w) +
         " g" + std::to_string(l.groups) + " in" + std::to_string(l.inputs);
}

TEST(SearchLayerAgreement, TablesCostTheLayersTheCompilerSees) {
  torch::manual_seed(0);
  Rng rng(11);
  int checked = 0;
  for (const char *spaceYaml : kSpaces) {
    std::string text = std::string("data: {dataset: synthetic, synthetic: "
                                   "{classes: 10, channels: 3, image_size: 19}}") +
                       spaceYaml +
                       "hardware: {pe_rows: [4], pe_cols: [4], rf_bytes: [64], "
                       "glb_kib: [64], dataflow: [ws]}\n";
    auto config = parseConfig(text, "agreement.yaml");
    ASSERT_TRUE(config) << config.error();
    auto space = NetworkSpace::build(config->search_space, {3, 19, 19}, 10);
    ASSERT_TRUE(space) << space.error();
    // The per-candidate layers the tables cost.
    auto table = compiledCandidateLayers(*space);
    ASSERT_TRUE(table) << table.error();
    for (int trial = 0; trial < 8; ++trial) {
      std::vector<int> arch;
      for (const SearchableLayer &layer : space->layers()) {
        std::vector<int> allowed;
        for (size_t k = 0; k < layer.allowed.size(); ++k)
          if (layer.allowed[k])
            allowed.push_back(static_cast<int>(k));
        arch.push_back(allowed[rng.below(allowed.size())]);
      }
      // Reassembled from the tables' candidates ...
      std::vector<cost::Layer> searched = table->stem;
      for (size_t l = 0; l < arch.size(); ++l)
        for (const cost::Layer &layer : table->candidates[l][arch[l]])
          searched.push_back(layer);
      searched.insert(searched.end(), table->tail.begin(), table->tail.end());
      // ... against this network exported by the search's writer and
      // compiled by the compiler's own passes.
      DerivedNet net(*space, arch);
      net->eval();
      onnx::ModelProto model;
      Status written = buildOnnxModel(*net, model);
      ASSERT_TRUE(written.ok()) << written.error();
      std::vector<cost::Layer> compiled = compilerLayers(model);
      std::string design = space->describe(arch);
      ASSERT_EQ(searched.size(), compiled.size()) << design;
      for (size_t i = 0; i < searched.size(); ++i)
        EXPECT_TRUE(searched[i].sameShape(compiled[i]) &&
                    searched[i].name == compiled[i].name)
            << design << "\nlayer " << i << " '" << searched[i].name
            << "': search " << shapeText(searched[i]) << "\n compiler "
            << shapeText(compiled[i]) << " ('" << compiled[i].name << "')";
      ++checked;
    }
  }
  EXPECT_EQ(checked, 24);
}

// hdx-codesign runs the same comparison on every design it compiles
// (driver::checkSearchCostedNetwork): it accepts the search's own layer list
// and refuses one that differs in a single shape, at that layer.
TEST(SearchLayerAgreement, CodesignRefusesANetworkTheSearchDidNotCost) {
  torch::manual_seed(0);
  auto config = parseConfig(
      std::string("data: {dataset: synthetic, synthetic: {classes: 10, "
                  "channels: 3, image_size: 19}}") +
          kSpaces[0] +
          "hardware: {pe_rows: [4], pe_cols: [4], rf_bytes: [64], "
          "glb_kib: [64], dataflow: [ws]}\n",
      "agreement.yaml");
  ASSERT_TRUE(config) << config.error();
  auto space = NetworkSpace::build(config->search_space, {3, 19, 19}, 10);
  ASSERT_TRUE(space) << space.error();
  std::vector<int> arch(space->numLayers(), 0);
  DerivedNet net(*space, arch);
  net->eval();
  onnx::ModelProto model;
  ASSERT_TRUE(buildOnnxModel(*net, model).ok());
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module = prepare(model, context);
  ASSERT_TRUE(module);

  auto compiled = compiledLayers(*space, arch);
  ASSERT_TRUE(compiled) << compiled.error();
  std::vector<cost::Layer> searched = *compiled;
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler capture(&context, [&](mlir::Diagnostic &d) {
    diagnostics += d.str() + "\n";
    return mlir::success();
  });
  EXPECT_TRUE(
      mlir::succeeded(driver::checkSearchCostedNetwork(*module, searched)));
  EXPECT_EQ(diagnostics, "");

  searched[1].k += 1; // the search costed one more output channel
  EXPECT_TRUE(
      mlir::failed(driver::checkSearchCostedNetwork(*module, searched)));
  EXPECT_NE(diagnostics.find("the search costed layer 1 ('" + searched[1].name +
                             "') with another shape"),
            std::string::npos)
      << diagnostics;

  searched.pop_back();
  diagnostics.clear();
  EXPECT_TRUE(
      mlir::failed(driver::checkSearchCostedNetwork(*module, searched)));
  EXPECT_NE(diagnostics.find("the compiled network has"), std::string::npos)
      << diagnostics;
}

} // namespace
