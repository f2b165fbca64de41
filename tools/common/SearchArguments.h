//===- SearchArguments.h - the command line of a search ---------*- C++ -*-===//
//
// hdx-search and hdx-codesign take the same arguments:
//   CONFIG.yaml -o DIR [--method hdx|dance|soft|adaptive|tfnas|nas-then-hw] [--seed N]
//   [--latency-ms X] [--energy-mj Y] [--area-mm2 Z] [--threads N]
//   [--device auto|cpu|cuda] [--resume] [--nproc N] [--dist-timeout-s S]
//
//===----------------------------------------------------------------------===//
#ifndef HDX_TOOLS_SEARCHARGUMENTS_H
#define HDX_TOOLS_SEARCHARGUMENTS_H

#include "ProgressPrinter.h"

#include "hdx/Search/SearchRun.h"

#include <string>

namespace hdx::tools {

struct SearchArguments {
  std::string config, outDir;
  search::SearchOverrides overrides;
  bool resume = false;
  bool help = false;
  /// --nproc N: start N local ranks (0: this process is one rank, or the
  /// only one).
  int nproc = 0;
  /// --dist-timeout-s: how long a rank waits for the others (rendezvous
  /// and every collective) before it gives up.
  double distTimeoutS = 600;
};

/// SIGINT and SIGTERM ask the search to stop after its current epoch, with
/// a checkpoint (search::requestSearchStop); a second signal stops at once.
void stopSearchOnSignals();

/// Parses argv; returns an error message naming the bad argument, or "".
std::string parseSearchArguments(int argc, char **argv, SearchArguments &args);

std::string searchUsage(const std::string &tool);

/// Progress callbacks that print through `printer`.
search::SearchProgress searchProgress(ProgressPrinter &printer);

} // namespace hdx::tools

#endif // HDX_TOOLS_SEARCHARGUMENTS_H
