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

#include "hdx/Driver/Codesign.h"
#include "hdx/Search/SearchRun.h"
#include "hdx/Support/FormatNumber.h"
#include "hdx/Support/StagingFolder.h"

#include <cstdio>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;
using namespace hdx;

/// The checkpoint is named after DIR, not the staging folder, so that a
/// rerun finds it; it goes once the whole run (search and compile) has
/// succeeded, not when the search ends.
static search::CheckpointOptions
checkpointOptions(const tools::SearchArguments &args) {
  search::CheckpointOptions checkpoint;
  checkpoint.path = search::checkpointPathFor(args.outDir);
  checkpoint.resume = args.resume;
  checkpoint.removeWhenDone = false;
  return checkpoint;
}

int main(int argc, char **argv) {
  tools::SearchToolStart start =
      tools::startSearchTool("hdx-codesign", argc, argv);
  if (start.exitCode)
    return *start.exitCode;
  const tools::SearchArguments &args = start.args;
  tools::RankSetup &ranks = start.ranks;
  if (!ranks.isRankZero()) {
    // The other ranks of a data-parallel run take part in the search only;
    // rank 0 writes and compiles.
    tools::stopSearchOnSignals();
    hdx::Expected<search::SearchOutcome> outcome =
        search::runSearch(start.config, args.outDir, {},
                          checkpointOptions(args), ranks.group.get());
    if (!outcome) {
      std::fprintf(stderr, "hdx-codesign: error: rank %d: %s\n",
                   ranks.group->rank(), outcome.error().c_str());
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
  tools::stopSearchOnSignals();
  search::CheckpointOptions checkpoint = checkpointOptions(args);
  hdx::Expected<search::SearchOutcome> outcome = search::runSearch(
      start.config, searchDir.string(), tools::searchProgress(printer),
      checkpoint, ranks.group.get());
  if (!outcome) {
    printer.finish();
    std::fprintf(stderr, "hdx-codesign: error: %s\n", outcome.error().c_str());
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

  const search::ConstraintLimits &limits = start.config.constraints;
  mlir::FailureOr<driver::CompiledDesign> design =
      driver::compileSearchedDesign(
          staging.path().string(), args.outDir, *outcome, limits,
          [&](const std::string &name) { printer.stage(name); });
  printer.finish();
  if (mlir::failed(design))
    return 1;

  if (std::string error = staging.commit(); !error.empty()) {
    std::fprintf(stderr, "hdx-codesign: error: %s\n", error.c_str());
    return 1;
  }
  std::error_code ignored;
  fs::remove(checkpoint.path, ignored);

  // The verdict on the compiled schedule, one metric after the other.
  bool met = false;
  std::string verdict = driver::constraintVerdict(limits, *design, met);
  std::printf("%s\n", design->predictionCheck.c_str());
  std::printf("%s: %s (test accuracy %s); outputs in %s\n",
              met ? "all hard constraints met" : "hard constraints violated",
              verdict.c_str(), formatBrief(outcome->test_accuracy).c_str(),
              args.outDir.c_str());
  return met ? 0 : 1;
}
