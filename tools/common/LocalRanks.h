//===- LocalRanks.h - data-parallel ranks of a search tool ------*- C++ -*-===//
//
// hdx-search and hdx-codesign run data-parallel in two ways
// (docs/distributed.md):
//   - launched by torchrun, Slurm or Kubernetes: each process reads its
//     rank from RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT
//     and connects to the others;
//   - with --nproc N the tool starts N ranks of itself on this machine
//     (rendezvous on 127.0.0.1, a free port) and waits for them: the first
//     rank that fails stops the others, and the exit status names it.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_TOOLS_LOCALRANKS_H
#define HDX_TOOLS_LOCALRANKS_H

#include "SearchArguments.h"

#include "hdx/Search/Distributed.h"

#include <memory>
#include <optional>

namespace hdx::tools {

struct RankSetup {
  /// The connection to the other ranks; null for a single-process run.
  std::unique_ptr<search::ProcessGroup> group;
  /// Set when the tool is done: the launcher's status (--nproc), or 1
  /// after a launch setting was refused (the message is printed).
  std::optional<int> exitCode;

  bool isRankZero() const { return !group || group->rank() == 0; }
};

/// Launches or joins the ranks as above. On ranks that share a machine, a
/// configured thread count (unless --threads gives one) is divided among
/// them (LOCAL_WORLD_SIZE), at least one each.
RankSetup setUpRanks(const char *tool, int argc, char **argv,
                     const SearchArguments &args, search::SearchConfig &config);

/// What hdx-search and hdx-codesign do first: parse the command line (the
/// usage on --help or after a bad argument), read the configuration with
/// its command-line overrides, and launch or join the ranks.
struct SearchToolStart {
  SearchArguments args;
  search::SearchConfig config;
  RankSetup ranks;
  /// Set when the tool is done (help printed, an error reported, or the
  /// launcher's status).
  std::optional<int> exitCode;
};
SearchToolStart startSearchTool(const char *tool, int argc, char **argv);

} // namespace hdx::tools

#endif // HDX_TOOLS_LOCALRANKS_H
