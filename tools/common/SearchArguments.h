//===- SearchArguments.h - the command line of a search ---------*- C++ -*-===//
//
// hdx-search and hdx-codesign take the same arguments:
//   CONFIG.yaml -o DIR [--method hdx|dance|soft|adaptive|tfnas|nas-then-hw] [--seed N]
//   [--latency-ms X] [--energy-mj Y] [--area-mm2 Z] [--threads N]
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
