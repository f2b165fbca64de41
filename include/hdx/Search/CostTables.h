//===- CostTables.h - exact costs of every candidate on every accelerator -===//
//
// The search's hardware cost is built from the cost model and the mapper,
// the same ones the compiler verifies with: before the search, every layer
// of every candidate is mapped onto every point of the hardware space, and
// the exact latency and energy are tabulated. A discrete design's cost is a
// sum over the table; the expected cost of relaxed choices (TableCost) is a
// probability-weighted sum over the same table.
//
// The layers are those the compiler sees for the exported network: every
// convolution (activations fused), the residual adds, global pooling and the
// classifier, in execution order, so that the tables, the derivation and the
// compiled report agree to the last digit.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_COSTTABLES_H
#define HDX_SEARCH_COSTTABLES_H

#include "hdx/Cost/Accelerator.h"
#include "hdx/Cost/CostModel.h"
#include "hdx/Cost/Layer.h"
#include "hdx/Mapper/Mapspace.h"
#include "hdx/Search/Config.h"
#include "hdx/Search/NetworkSpace.h"
#include "hdx/Support/Expected.h"

#include <array>
#include <functional>
#include <optional>
#include <vector>

namespace hdx::search {

/// Per-inference latency, energy, and the accelerator's area.
using Metrics = std::array<double, kNumMetrics>;

/// The accelerator at one point of the hardware space.
cost::Accelerator makeAccelerator(const HardwareSpaceConfig &space,
                                  const HardwareChoice &choice,
                                  const std::string &name = "searched");

/// A discrete design evaluated exactly, layer by layer: what the compiler's
/// report says about the exported network.
struct DesignReport {
  cost::Accelerator accelerator;
  std::vector<cost::Layer> layers;
  std::vector<cost::LayerCost> costs;
  /// The mapper's mapping of each layer run on the array (empty for
  /// streamed layers).
  std::vector<std::optional<cost::Mapping>> mappings;
  Metrics metrics{}; ///< summed in execution order
  int64_t cycles = 0, macs = 0;
};

/// Measures a discrete design exactly (mapper + cost model): latency and
/// energy summed over the layers in execution order, and the area.
Expected<DesignReport> evaluateDesign(const NetworkSpace &space,
                                      const HardwareSpaceConfig &hardware,
                                      const std::vector<int> &architecture,
                                      const HardwareChoice &choice,
                                      mapper::Objective objective);


class CostTables {
public:
  struct Options {
    /// The mapping objective; the compiler's `objective` must be the same.
    mapper::Objective objective = mapper::Objective::Latency;
    int threads = 1;
    /// Called with (points done, points) as the table fills.
    std::function<void(int, int)> progress;
    /// Several processes fill one table: this one maps the points h with
    /// h % shards == shard and leaves the others empty for setPointRows.
    int shard = 0, shards = 1;
  };

  static Expected<CostTables> build(const NetworkSpace &space,
                                    const HardwareSpaceConfig &hardware,
                                    const Options &options);

  /// Hardware points: every combination of the value lists, the last
  /// dimension (dataflow) varying fastest.
  int numPoints() const { return numPoints_; }
  HardwareChoice point(int index) const;
  int index(const HardwareChoice &choice) const;

  /// Number of values of hardware dimension `dim`.
  int dimSize(HardwareDim dim) const { return hardware_.size(dim); }
  const HardwareSpaceConfig &hardware() const { return hardware_; }

  int numLayers() const { return numLayers_; }
  bool allowed(int layer, int candidate) const {
    return allowed_[layer][candidate];
  }
  int numCandidates() const { return numCandidates_; }

  /// Latency or energy of candidate `candidate` at layer `layer` on point
  /// `h` (0 for candidates the layer does not allow).
  double candidate(int layer, int candidate, int h, Metric metric) const;
  /// Latency or energy of the layers outside the search on point `h`.
  double fixed(int h, Metric metric) const;
  double area(int h) const { return area_[h]; }

  /// The exact cost of a discrete design from the table; equal to
  /// evaluateDesign()'s metrics (same layers, same order of summation).
  Metrics measure(const std::vector<int> &architecture, int h) const;

  /// The lowest value `metric` reaches anywhere in the space (for each
  /// point, the cheapest candidate of every layer).
  double bestReachable(Metric metric) const;

  double buildSeconds() const { return buildSeconds_; }

  /// Every point's values as one row of doubles each (zeros for the points
  /// another shard maps): the element-wise sum of the shards' rows is the
  /// whole table, which setPointRows takes.
  std::vector<double> pointRows() const;
  Status setPointRows(const std::vector<double> &rows);

private:
  size_t slot(int layer, int candidate, int h) const {
    return (static_cast<size_t>(layer) * numCandidates_ + candidate) *
               numPoints_ + h;
  }

  HardwareSpaceConfig hardware_;
  std::vector<std::vector<bool>> allowed_; // [layer][candidate]
  int numPoints_ = 0, numLayers_ = 0, numCandidates_ = 0;
  /// The latency and energy of each layer of a group (a candidate, the
  /// stem, the tail), kept per layer so that measure() sums in the
  /// compiler's order.
  struct LayerValues {
    std::vector<double> latency_ms, energy_mj;
    double total(Metric metric) const;
  };
  std::vector<LayerValues> candidates_; // [slot(layer, candidate, point)]
  std::vector<LayerValues> stem_, tail_; // [point]
  std::vector<double> area_;
  /// Layers per group in row order: the stem, every (layer, candidate)
  /// slot, the tail.
  std::vector<size_t> groupLayers_;
  double buildSeconds_ = 0;
};

} // namespace hdx::search

#endif // HDX_SEARCH_COSTTABLES_H
