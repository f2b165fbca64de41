//===- Codesign.cpp - the compiler half of hdx-codesign -------------------===//
#include "hdx/Driver/Codesign.h"

#include "hdx/Conversion/Registration.h"
#include "hdx/Dialect/HDX/HDXCostSpec.h"
#include "hdx/Dialect/HDX/HDXDialect.h"
#include "hdx/Dialect/HDX/HDXOps.h"
#include "hdx/Execution/CompiledNetwork.h"
#include "hdx/Import/OnnxImporter.h"
#include "hdx/Support/AtomicFile.h"
#include "hdx/Support/FormatNumber.h"
#include "hdx/Target/Emitters.h"
#include "hdx/Transforms/Pipeline.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;
using namespace hdx;

namespace {

/// Writes `emit`'s output to `path` atomically; a failure is an error at
/// `path` as the user will know it (`shownAs`).
mlir::LogicalResult
writeFile(mlir::MLIRContext &context, const fs::path &path,
          const fs::path &shownAs,
          llvm::function_ref<void(llvm::raw_ostream &)> emit) {
  std::string text;
  llvm::raw_string_ostream os(text);
  emit(os);
  // Checked writes: an unchecked stream error would abort the process past
  // the staging folder's cleanup.
  if (std::string error = writeFileAtomically(path.string(), text);
      !error.empty())
    return mlir::emitError(
               mlir::FileLineColLoc::get(&context, shownAs.string(), 0, 0))
           << error;
  return mlir::success();
}

/// Runs the compiled schedule (lowered, tiled by its mappings, JIT-compiled)
/// on the search's reference test images and checks that it predicts what
/// the trained LibTorch network predicts, with logits within
/// 1e-3 * max |logit| + 1e-5. Returns a summary line, or an error.
llvm::Expected<std::string>
checkCompiledPredictions(mlir::ModuleOp compiled,
                         const search::SearchOutcome &outcome) {
  mlir::OwningOpRef<mlir::ModuleOp> copy(compiled.clone());
  auto network = exec::CompiledNetwork::compile(*copy, /*tile=*/true);
  if (!network)
    return network.takeError();
  double worst = 0;
  for (size_t i = 0; i < outcome.reference_images.size(); ++i) {
    onnxlib::FloatTensor image;
    image.name = "test image " + std::to_string(i);
    image.shape = {1};
    image.shape.insert(image.shape.end(),
                       outcome.reference_image_shape.begin(),
                       outcome.reference_image_shape.end());
    image.data = outcome.reference_images[i];
    auto outputs = (*network)->run({image});
    if (!outputs)
      return outputs.takeError();
    const std::vector<float> &got = (*outputs)[0].data;
    const std::vector<float> &want = outcome.reference_logits[i];
    if (got.size() != want.size())
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "the compiled network returns " + std::to_string(got.size()) +
              " logits, the trained one " + std::to_string(want.size()));
    double diff = 0, scale = 0;
    for (size_t k = 0; k < want.size(); ++k) {
      diff = std::max(diff, static_cast<double>(std::fabs(got[k] - want[k])));
      scale = std::max(scale, static_cast<double>(std::fabs(want[k])));
    }
    auto argmax = [](const std::vector<float> &v) {
      return std::max_element(v.begin(), v.end()) - v.begin();
    };
    if (diff > 1e-3 * scale + 1e-5 || argmax(got) != argmax(want))
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "on test image " + std::to_string(i) +
              " the compiled schedule predicts class " +
              std::to_string(argmax(got)) + ", the trained network class " +
              std::to_string(argmax(want)) + " (max |logit difference| " +
              formatBrief(diff) + ")");
    worst = std::max(worst, diff);
  }
  return "the compiled schedule predicts as the trained network on " +
         std::to_string(outcome.reference_images.size()) +
         " test images (max |logit difference| " + formatBrief(worst) +
         "; JIT " + formatBrief((*network)->jitSeconds()) + " s)";
}

} // namespace

// The search's exact numbers come from its own layer list; the compiler's
// from the imported network (test/unit/Search/LayerAgreementTest.cpp checks
// the two agree on many random networks; this checks every run).
mlir::LogicalResult
driver::checkSearchCostedNetwork(mlir::ModuleOp compiled,
                                 const std::vector<cost::Layer> &searched) {
  std::vector<std::pair<cost::Layer, mlir::Operation *>> layers;
  compiled.walk([&](LayerOpInterface op) {
    layers.emplace_back(op.getCostLayer(), op.getOperation());
  });
  if (layers.size() != searched.size())
    return compiled.emitError()
           << "the search costed " << searched.size()
           << " layers but the compiled network has " << layers.size()
           << ": its numbers are not the compiler's";
  for (size_t i = 0; i < layers.size(); ++i)
    if (!layers[i].first.sameShape(searched[i]))
      return layers[i].second->emitError()
             << "the search costed layer " << i << " ('" << searched[i].name
             << "') with another shape than the compiler sees: its numbers "
                "are not the compiler's";
  return mlir::success();
}

mlir::FailureOr<driver::CompiledDesign> driver::compileSearchedDesign(
    const std::string &dir, const std::string &finalDir,
    const search::SearchOutcome &outcome,
    const search::ConstraintLimits &limits,
    const std::function<void(const std::string &)> &stage) {
  stage("compiling the network for the accelerator");
  mlir::DialectRegistry registry;
  registerLoweringDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadDialect<HDXDialect, mlir::arith::ArithDialect,
                      mlir::func::FuncDialect>();
  // Remarks (constraint verdicts) and errors print as the compiler prints
  // them, named by the ONNX node.
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context,
                                              llvm::errs());
  // Diagnostics name the files where they will end up, not the staging copy.
  const fs::path in(dir), out(finalDir);
  auto fileLoc = [&](const char *name) {
    return mlir::FileLineColLoc::get(&context, (out / name).string(), 0, 0);
  };
  auto onnxBytes = llvm::MemoryBuffer::getFile((in / "network.onnx").string(),
                                              /*IsText=*/false);
  if (!onnxBytes) {
    mlir::emitError(fileLoc("network.onnx"))
        << "cannot read the exported network: "
        << onnxBytes.getError().message();
    return mlir::failure();
  }
  mlir::OwningOpRef<mlir::ModuleOp> module =
      importOnnx((*onnxBytes)->getBuffer(), (out / "network.onnx").string(),
                 &context);
  if (!module)
    return mlir::failure();
  // The searched accelerator, declared directly (it is accelerator.yaml).
  {
    mlir::Location yamlLoc = fileLoc("accelerator.yaml");
    AcceleratorAttr config = getAcceleratorAttr(
        &context, outcome.report.accelerator,
        [&] { return mlir::emitError(yamlLoc); });
    if (!config)
      return mlir::failure();
    mlir::OpBuilder builder = mlir::OpBuilder::atBlockBegin(module->getBody());
    builder.create<AcceleratorOp>(yamlLoc, outcome.report.accelerator.name,
                                  config);
  }
  mlir::OpPrintingFlags debugInfo;
  debugInfo.enableDebugInfo();
  auto printModule = [&](llvm::raw_ostream &os) { module->print(os, debugInfo); };
  if (mlir::failed(writeFile(context, in / "network.mlir", out / "network.mlir",
                             printModule)))
    return mlir::failure();

  CompileOptions options;
  options.objective = mapper::toString(search::kMappingObjective);
  options.latencyMs = limits.latency_ms.value_or(0.0);
  options.energyMj = limits.energy_mj.value_or(0.0);
  options.areaMm2 = limits.area_mm2.value_or(0.0);
  mlir::PassManager pm(&context);
  buildCompilePipeline(pm, options);
  const bool verified =
      mlir::succeeded(pm.run(*module)) &&
      mlir::succeeded(checkSearchCostedNetwork(*module, outcome.report.layers));
  CompiledDesign design;
  if (verified) {
    stage("running the compiled schedule on test images");
    auto checked = checkCompiledPredictions(*module, outcome);
    if (!checked) {
      mlir::emitError(fileLoc("compiled.mlir"))
          << llvm::toString(checked.takeError());
      return mlir::failure();
    }
    design.predictionCheck = *checked;
  }
  // A schedule that fails its limits is still written (as compiled.mlir in
  // the staging folder) for inspection, then refused.
  if (mlir::failed(writeFile(context, in / "compiled.mlir",
                             out / "compiled.mlir", printModule)) ||
      !verified)
    return mlir::failure();
  auto files = emitAllFiles(*module);
  if (mlir::failed(files))
    return mlir::failure();
  for (const auto &file : *files)
    if (mlir::failed(writeFile(
            context, in / file.name, out / file.name,
            [&](llvm::raw_ostream &os) { os << file.contents; })))
      return mlir::failure();

  auto totals = module->lookupSymbol<mlir::func::FuncOp>("main")
                    ->getAttrOfType<CostAttr>(HDXDialect::getTotalCostAttrName());
  design.latency_ms = totals.getLatencyMs().getValueAsDouble();
  design.energy_mj = totals.getEnergyMj().getValueAsDouble();
  design.area_mm2 =
      outcome.report.metrics[static_cast<int>(search::Metric::AreaMm2)];
  return design;
}

std::string driver::constraintVerdict(const search::ConstraintLimits &limits,
                                      const CompiledDesign &design, bool &met) {
  std::string verdict;
  met = true;
  auto check = [&](const char *metric, std::optional<double> limit,
                   double value) {
    if (!limit)
      return;
    bool ok = value <= *limit;
    met &= ok;
    verdict += std::string(verdict.empty() ? "" : ", ") + metric + " " +
               formatBrief(value) + (ok ? " <= " : " > ") + formatBrief(*limit);
  };
  check("latency_ms", limits.latency_ms, design.latency_ms);
  check("energy_mj", limits.energy_mj, design.energy_mj);
  check("area_mm2", limits.area_mm2, design.area_mm2);
  return verdict.empty() ? "no limits given" : verdict;
}
