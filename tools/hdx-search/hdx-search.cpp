//===- hdx-search.cpp - network/accelerator co-exploration ----------------===//
//
// hdx-search CONFIG.yaml -o DIR [--method hdx|dance|soft|adaptive|tfnas|nas-then-hw] [--seed N]
//            [--latency-ms X] [--energy-mj Y] [--area-mm2 Z] [--threads N]
//            [--device auto|cpu|cuda] [--resume] [--nproc N] [--dist-timeout-s S]
//
// Searches a network and its accelerator together under the configuration's
// hard constraints (the flags override them) and writes network.onnx,
// accelerator.yaml, search_log.csv, result.json and search_trajectory.svg
// (plus search_trajectory_<metric>.svg per further constrained metric) into
// DIR. After every search epoch the state is checkpointed beside DIR
// (.<DIR>.checkpoint); --resume continues from it; SIGINT/SIGTERM stop the
// run after the current epoch's checkpoint. --nproc N, or a torchrun-style
// environment, runs the search data-parallel (docs/distributed.md).
//
//===----------------------------------------------------------------------===//
#include "LocalRanks.h"
#include "ProgressPrinter.h"
#include "SearchArguments.h"

#include "hdx/Search/SearchRun.h"
#include "hdx/Support/FormatNumber.h"

#include <cstdio>

using namespace hdx;
using namespace hdx::search;

int main(int argc, char **argv) {
  tools::SearchToolStart start =
      tools::startSearchTool("hdx-search", argc, argv);
  if (start.exitCode)
    return *start.exitCode;
  const tools::SearchArguments &args = start.args;
  tools::RankSetup &ranks = start.ranks;

  tools::stopSearchOnSignals();
  tools::ProgressPrinter printer(stderr);
  CheckpointOptions checkpoint;
  checkpoint.resume = args.resume;
  // Rank 0 speaks for a data-parallel run; the others report only errors.
  Expected<SearchOutcome> outcome = runSearch(
      start.config, args.outDir,
      ranks.isRankZero() ? tools::searchProgress(printer) : SearchProgress{},
      checkpoint, ranks.group.get());
  printer.finish();
  if (!outcome) {
    std::fprintf(
        stderr, "hdx-search: error: %s%s\n",
        ranks.group
            ? ("rank " + std::to_string(ranks.group->rank()) + ": ").c_str()
            : "",
        outcome.error().c_str());
    return 1;
  }
  if (!ranks.isRankZero())
    return 0;
  const Metrics &m = outcome->report.metrics;
  std::printf("test accuracy %s; latency_ms %s, energy_mj %s, area_mm2 %s; "
              "wrote %s\n",
              hdx::formatDouble(outcome->test_accuracy).c_str(),
              hdx::formatDouble(m[0]).c_str(), hdx::formatDouble(m[1]).c_str(),
              hdx::formatDouble(m[2]).c_str(), args.outDir.c_str());
  return 0;
}
