//===- SearchRun.h - one co-exploration run, start to finish ----*- C++ -*-===//
//
// What `hdx-search` (and `hdx-codesign`) run: read the configuration, load
// the data, tabulate the exact hardware cost, search by bilevel gradient
// descent under the hard constraints, derive and repair the discrete design,
// train the derived network stand-alone, and write into the output folder:
//
//   network.onnx          the derived network with its trained weights
//   accelerator.yaml      the derived accelerator
//   search_log.csv        one row per architecture step
//   result.json           report keys, test accuracy, method, seed, times
//   search_trajectory.svg constrained metric vs limit, and accuracy, per step
//
// Every file is written to a staging folder first and moved into place only
// when the whole run succeeded: a failed run leaves no partial output.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_SEARCHRUN_H
#define HDX_SEARCH_SEARCHRUN_H

#include "hdx/Search/Config.h"
#include "hdx/Search/CostTables.h"
#include "hdx/Search/Derivation.h"
#include "hdx/Search/Distributed.h"
#include "hdx/Support/Expected.h"

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace hdx::search {

struct SearchOverrides {
  std::optional<ConstraintMethod> method;
  std::optional<uint64_t> seed;
  std::optional<int> threads;
  std::optional<DeviceKind> device;
  std::optional<double> latency_ms, energy_mj, area_mm2;
};

/// Applies command-line overrides (they take precedence over the file).
void applyOverrides(SearchConfig &config, const SearchOverrides &overrides);

/// Receives what a run is doing: `stage` starts a named stage; `progress`
/// reports `done` of `total` units of it with a short status text.
struct SearchProgress {
  std::function<void(const std::string &stage)> stage;
  std::function<void(int64_t done, int64_t total, const std::string &status)>
      progress;
  std::function<void(const std::string &line)> note;
};

struct SearchOutcome {
  Derivation derivation;
  /// The alpha/beta step whose distributions the design was derived from,
  /// when not the final ones (see BilevelSearch::derivationSource).
  std::optional<int64_t> derived_from_arch_step;
  /// softmax(alpha) the design was derived from, [layer][candidate]: how
  /// decided each layer's choice was.
  std::vector<std::vector<double>> alpha_probabilities;
  DesignReport report; ///< the final design, layer by layer
  /// The exact metrics of the argmax of alpha and beta at the end of the
  /// search, and whether they meet every limit: what the method reached by
  /// itself, before any rescue (derived_from_arch_step) or repair.
  Metrics final_argmax_metrics{};
  bool met_by_search = false;
  /// The best accelerator of the space for the derived network under the
  /// limits (least Cost_HW), when one meets them; and the derived design's
  /// Cost_HW relative to it minus 1 (0: the searched accelerator is the
  /// best there is for this network).
  std::optional<Design> oracle_accelerator;
  std::optional<double> oracle_gap;
  double test_accuracy = 0;
  /// The first test images as the network takes them (C x H x W floats,
  /// row-major, shape in reference_image_shape) and the trained network's
  /// logits on each (LibTorch, eval mode): hdx-codesign runs the compiled
  /// schedule on them and checks it predicts the same.
  std::vector<int64_t> reference_image_shape;
  std::vector<std::vector<float>> reference_images;
  std::vector<std::vector<float>> reference_logits;
  double wall_seconds = 0;
};

/// How many test images SearchOutcome::reference_images holds (fewer when
/// the test set is smaller).
inline constexpr int64_t kReferenceImages = 16;

/// The mapping objective the tables use and the compiler must use too.
inline constexpr mapper::Objective kMappingObjective =
    mapper::Objective::Latency;

/// Checkpoints (docs/search.md, "Checkpoints and resume"): after every
/// search epoch the run writes its whole state atomically to `path`
/// (default: checkpointPathFor(outDir)); with `resume` it continues from
/// the checkpoint there, which must have been written for the same
/// configuration. The checkpoint is removed when the run completes.
struct CheckpointOptions {
  std::string path;
  bool resume = false;
  /// Whether runSearch removes the checkpoint once its outputs are in
  /// place (hdx-codesign keeps it until the compiler has finished too).
  bool removeWhenDone = true;
};

/// `.<name>.checkpoint` beside the output folder DIR (`<name>` its last
/// component): outside DIR, which a run replaces as a whole.
std::string checkpointPathFor(const std::string &outDir);

/// Asks a running search to stop at the end of its current epoch, after
/// writing the checkpoint (async-signal-safe: tools call it from their
/// SIGINT/SIGTERM handler). The run then fails with a message saying how
/// to resume.
void requestSearchStop();

/// Runs the whole search and writes the outputs into `outDir` (created if
/// needed). With a `group` of several ranks the run is data-parallel
/// (docs/distributed.md): every rank calls runSearch with the same
/// configuration, and only rank 0 writes outputs and checkpoints; every
/// rank returns the same outcome.
Expected<SearchOutcome> runSearch(const SearchConfig &config,
                                  const std::string &outDir,
                                  const SearchProgress &progress = {},
                                  const CheckpointOptions &checkpoint = {},
                                  ProcessGroup *group = nullptr);

/// The test accuracy of the network `architecture` (layer name -> candidate
/// name, as result.json's "architecture") trained as runSearch trains a
/// derived network with derived.init from_seed: from config.seed alone, on
/// config.data's training split, with config.derived. So a design a search
/// derived trains again under another schedule (the bench retrains every
/// searched design on the whole training set) with the accuracy runSearch
/// would report for that schedule. Unknown layers or candidates are named.
Expected<double>
trainArchitecture(const SearchConfig &config,
                  const std::map<std::string, std::string> &architecture);

} // namespace hdx::search

#endif // HDX_SEARCH_SEARCHRUN_H
