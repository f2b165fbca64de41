//===- hdx-codesign.cpp - from search space to verified accelerator -------===//
//
// hdx-codesign CONFIG.yaml -o DIR [the flags of hdx-search, --resume included]
//
// Runs the co-exploration (hdx-search), then compiles the derived network for
// the derived accelerator with the hdx-compile pipeline under the same hard
// constraints, and emits everything a deployment needs into DIR:
//
//   network.onnx, accelerator.yaml, search_log.csv, result.json,
//   search_trajectory*.svg                     (the search)
//   network.mlir, compiled.mlir, schedule.yaml, accelerator_pkg.sv,
//   accelerator.h, report.json                 (the compiler)
//
// Before anything is written, the compiled schedule is lowered, tiled by its
// mappings, JIT-compiled and run on the first test images: it must predict
// what the trained LibTorch network predicts (a line says so). The last line
// states that every hard constraint holds on the compiled schedule (value vs
// limit for each). If one does not, the compiler's
// verification fails with an error naming the metric, its value and the
// limit, the exit status is 1 and nothing is written. Each step can be rerun
// alone with hdx-translate and hdx-opt on the files in DIR.
//
// DIR is replaced as a whole when the run succeeds and left as it was when it
// fails (StagingFolder); a second run on the same DIR meanwhile is refused.
//
//===----------------------------------------------------------------------===//
#include "LocalRanks.h"
#include "ProgressPrinter.h"
#include "SearchArguments.h"

#include "HDX/HDXDialect.h"
#include "HDX/HDXCostModel.h"
#include "HDX/HDXOps.h"
#include "hdx/Conversion/Registration.h"
#include "hdx/Execution/CompiledNetwork.h"
#include "hdx/Import/OnnxImporter.h"
#include "hdx/Search/SearchRun.h"
#include "hdx/Support/AtomicFile.h"
#include "hdx/Support/StagingFolder.h"
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
#include <vector>

namespace fs = std::filesystem;
using namespace hdx;

namespace {

/// Writes `emit`'s output to `path`; false (with a diagnostic) on failure.
bool writeFile(const fs::path &path,
               llvm::function_ref<mlir::LogicalResult(llvm::raw_ostream &)> emit) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (mlir::failed(emit(os)))
    return false;
  // Checked writes: an unchecked stream error would abort the process past
  // the staging folder's cleanup.
  if (std::string error = writeFileAtomically(path.string(), text);
      !error.empty()) {
    std::fprintf(stderr, "hdx-codesign: error: %s\n", error.c_str());
    return false;
  }
  return true;
}

std::string brief(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4g", v);
  return buffer;
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
              brief(diff) + ")");
    worst = std::max(worst, diff);
  }
  return "the compiled schedule predicts as the trained network on " +
         std::to_string(outcome.reference_images.size()) +
         " test images (max |logit difference| " + brief(worst) +
         "; JIT " + brief((*network)->jitSeconds()) + " s)";
}

} // namespace

int main(int argc, char **argv) {
  tools::SearchArguments args;
  if (std::string error = tools::parseSearchArguments(argc, argv, args);
      !error.empty()) {
    std::fprintf(stderr, "hdx-codesign: error: %s\n%s", error.c_str(),
                 tools::searchUsage("hdx-codesign").c_str());
    return 1;
  }
  if (args.help) {
    std::printf("%s", tools::searchUsage("hdx-codesign").c_str());
    return 0;
  }
  search::Result<search::SearchConfig> config = search::loadConfig(args.config);
  if (!config) {
    std::fprintf(stderr, "hdx-codesign: error: %s\n", config.message().c_str());
    return 1;
  }
  search::applyOverrides(*config, args.overrides);
  tools::RankSetup ranks =
      tools::setUpRanks("hdx-codesign", argc, argv, args, *config);
  if (ranks.exitCode)
    return *ranks.exitCode;
  if (!ranks.isRankZero()) {
    // The other ranks of a data-parallel run take part in the search only;
    // rank 0 writes and compiles.
    tools::stopSearchOnSignals();
    search::CheckpointOptions checkpoint;
    checkpoint.path = search::checkpointPathFor(args.outDir);
    checkpoint.resume = args.resume;
    checkpoint.removeWhenDone = false;
    search::Result<search::SearchOutcome> outcome = search::runSearch(
        *config, args.outDir, {}, checkpoint, ranks.group.get());
    if (!outcome) {
      std::fprintf(stderr, "hdx-codesign: error: rank %d: %s\n",
                   ranks.group->rank(), outcome.message().c_str());
      return 1;
    }
    return 0;
  }

  // Everything is produced in a staging folder beside DIR that replaces DIR
  // in one step at the end: a failed run leaves DIR as it was.
  StagingFolder staging(args.outDir, "hdx-codesign");
  if (!staging.error().empty()) {
    std::fprintf(stderr, "hdx-codesign: error: %s\n", staging.error().c_str());
    return 1;
  }

  // The search commits its files into a folder of its own inside the staging
  // folder (so that whatever a killed run leaves is inside it too); they
  // then join the compiler's files at the top.
  tools::ProgressPrinter printer(stderr);
  fs::path searchDir = staging.path() / "search";
  // The checkpoint is named after DIR, not the staging folder, so that a
  // rerun finds it; it goes once the whole run has succeeded.
  tools::stopSearchOnSignals();
  search::CheckpointOptions checkpoint;
  checkpoint.path = search::checkpointPathFor(args.outDir);
  checkpoint.resume = args.resume;
  checkpoint.removeWhenDone = false;
  search::Result<search::SearchOutcome> outcome =
      search::runSearch(*config, searchDir.string(),
                        tools::searchProgress(printer), checkpoint,
                        ranks.group.get());
  if (!outcome) {
    printer.finish();
    std::fprintf(stderr, "hdx-codesign: error: %s\n", outcome.message().c_str());
    return 1;
  }
  {
    std::error_code ec;
    std::vector<fs::path> names;
    for (fs::directory_iterator it(searchDir, ec), end; !ec && it != end;
         it.increment(ec))
      names.push_back(it->path().filename());
    for (size_t i = 0; !ec && i < names.size(); ++i)
      fs::rename(searchDir / names[i], staging.path() / names[i], ec);
    if (!ec)
      fs::remove(searchDir, ec);
    if (ec) {
      printer.finish();
      std::fprintf(stderr, "hdx-codesign: error: cannot gather the search's "
                           "files from '%s': %s\n",
                   searchDir.c_str(), ec.message().c_str());
      return 1;
    }
  }

  printer.stage("compiling the network for the accelerator");
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
  fs::path finalDir(args.outDir);
  auto onnxBytes = llvm::MemoryBuffer::getFile(staging.file("network.onnx"),
                                              /*IsText=*/false);
  if (!onnxBytes) {
    std::fprintf(stderr, "hdx-codesign: error: cannot read the exported network\n");
    return 1;
  }
  mlir::OwningOpRef<mlir::ModuleOp> module = importOnnx(
      (*onnxBytes)->getBuffer(), (finalDir / "network.onnx").string(), &context);
  if (!module)
    return 1;
  // The searched accelerator, declared directly (it is accelerator.yaml).
  {
    mlir::Location yamlLoc = mlir::FileLineColLoc::get(
        &context, (finalDir / "accelerator.yaml").string(), 0, 0);
    AcceleratorAttr config = getAcceleratorAttr(
        &context, outcome->report.accelerator,
        [&] { return mlir::emitError(yamlLoc); });
    if (!config)
      return 1;
    mlir::OpBuilder builder = mlir::OpBuilder::atBlockBegin(module->getBody());
    builder.create<AcceleratorOp>(yamlLoc, outcome->report.accelerator.name,
                                  config);
  }
  mlir::OpPrintingFlags debugInfo;
  debugInfo.enableDebugInfo();
  if (!writeFile(staging.path() / "network.mlir", [&](llvm::raw_ostream &os) {
        module->print(os, debugInfo);
        return mlir::success();
      }))
    return 1;

  CompileOptions options;
  options.objective = mapper::toString(search::kMappingObjective);
  const search::ConstraintLimits &limits = config->constraints;
  options.latencyMs = limits.latency_ms.value_or(0.0);
  options.energyMj = limits.energy_mj.value_or(0.0);
  options.areaMm2 = limits.area_mm2.value_or(0.0);
  mlir::PassManager pm(&context);
  buildCompilePipeline(pm, options);
  bool verified = mlir::succeeded(pm.run(*module));
  std::string predictionCheck;
  if (verified) {
    printer.stage("running the compiled schedule on test images");
    auto checked = checkCompiledPredictions(*module, *outcome);
    if (!checked) {
      printer.finish();
      std::fprintf(stderr, "hdx-codesign: error: %s\n",
                   llvm::toString(checked.takeError()).c_str());
      return 1;
    }
    predictionCheck = *checked;
  }

  bool written = writeFile(staging.path() / "compiled.mlir",
                           [&](llvm::raw_ostream &os) {
                             module->print(os, debugInfo);
                             return mlir::success();
                           }) &&
                 verified;
  if (written) {
    auto files = emitAllFiles(*module);
    written = mlir::succeeded(files);
    for (size_t i = 0; written && i < files->size(); ++i)
      written = writeFile(staging.path() / (*files)[i].name,
                          [&](llvm::raw_ostream &os) {
                            os << (*files)[i].contents;
                            return mlir::success();
                          });
  }
  printer.finish();
  if (!written)
    return 1;

  if (std::string error = staging.commit(); !error.empty()) {
    std::fprintf(stderr, "hdx-codesign: error: %s\n", error.c_str());
    return 1;
  }
  std::error_code ignored;
  fs::remove(checkpoint.path, ignored);

  // The verdict on the compiled schedule, one metric after the other.
  auto totals = module->lookupSymbol<mlir::func::FuncOp>("main")
                    ->getAttrOfType<CostAttr>(HDXDialect::getTotalCostAttrName());
  double area = outcome->report.metrics[static_cast<int>(search::Metric::AreaMm2)];
  std::string verdict;
  bool met = true;
  auto check = [&](const char *metric, std::optional<double> limit, double value) {
    if (!limit)
      return;
    bool ok = value <= *limit;
    met &= ok;
    verdict += std::string(verdict.empty() ? "" : ", ") + metric + " " +
               brief(value) + (ok ? " <= " : " > ") + brief(*limit);
  };
  check("latency_ms", limits.latency_ms, totals.getLatencyMs().getValueAsDouble());
  check("energy_mj", limits.energy_mj, totals.getEnergyMj().getValueAsDouble());
  check("area_mm2", limits.area_mm2, area);
  std::printf("%s\n", predictionCheck.c_str());
  std::printf("%s: %s (test accuracy %s); outputs in %s\n",
              met ? "all hard constraints met" : "hard constraints violated",
              verdict.empty() ? "no limits given" : verdict.c_str(),
              brief(outcome->test_accuracy).c_str(), args.outDir.c_str());
  return met ? 0 : 1;
}
