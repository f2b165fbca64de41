//===- DifferentiableCost.h - Expected hardware cost -----------*- C++ -*-===//
//
// The interface between the search and the hardware cost model. An
// implementation maps a relaxed architecture and a relaxed accelerator to the
// *expected* latency, energy and area per inference, as tensors that carry
// gradients to both. The implementations are built from the cost model and
// mapper (hdx::cost, hdx::mapper), which stay the single source of truth:
//   - exact expected cost from per-(layer, candidate, hardware choice)
//     tables computed with the cost model and mapper;
//   - an evaluator network trained on (architecture, hardware) -> metrics
//     samples of the cost model.
// Selected by `cost_proxy.kind` in the configuration.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_DIFFERENTIABLECOST_H
#define HDX_SEARCH_DIFFERENTIABLECOST_H

#include "hdx/Search/Config.h"

#include <ATen/core/Tensor.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace hdx::search {

/// Expected metrics per inference: scalar tensors (0-dim) differentiable with
/// respect to the probabilities they were computed from.
struct ExpectedCost {
  at::Tensor latency_ms;
  at::Tensor energy_mj;
  at::Tensor area_mm2;
  /// Per hardware point h, the metrics expected under the architecture
  /// distribution ([kNumMetrics, points], Metric order), and the hardware
  /// distribution P(h) the totals above weigh them with: the metric of h is
  /// sum_h P(h) * per_point[metric][h]. Undefined where the cost does not
  /// resolve the hardware points.
  at::Tensor per_point;
  at::Tensor hardware_probs;

  const at::Tensor &metric(Metric metric) const;
};

class DifferentiableCost {
public:
  virtual ~DifferentiableCost() = default;

  /// `archProbs`: [layers, candidates] of the NetworkSpace the search was
  /// built on; each row sums to 1 and is 0 at candidates the layer does not
  /// allow. `hwProbs`: the distribution over the HardwareSpaceConfig's
  /// points, 1-D with one entry per point in its point order (see
  /// HardwareSpaceConfig::point); it sums to 1. The layers outside the
  /// search (stem, head, classifier) are part of the cost.
  virtual ExpectedCost expected(const at::Tensor &archProbs,
                                const at::Tensor &hwProbs) = 0;

  /// Whether `expected` fills ExpectedCost::per_point.
  virtual bool resolvesHardwarePoints() const { return false; }

  /// "tables", "evaluator", ... (for logs).
  virtual std::string name() const = 0;

  /// The exact latency, energy and area (Metric order) of one discrete
  /// design, when the cost knows them; the search's constraint handling
  /// then also watches the design it would derive now.
  virtual std::optional<std::array<double, kNumMetrics>>
  exact(const std::vector<int> &architecture,
        const HardwareChoice &hardware) const {
    return std::nullopt;
  }
};

/// The joint distribution over the points of a hardware space from one
/// probability vector per dimension (HardwareDim order): their outer
/// product, flattened in the space's point order.
at::Tensor productDistribution(const std::vector<at::Tensor> &perDimension);

/// The per-dimension marginals (HardwareDim order) of a distribution over
/// the points of `space`.
std::vector<at::Tensor> hardwareMarginals(const at::Tensor &joint,
                                          const HardwareSpaceConfig &space);

/// Cost_HW of the objective: energy_mj * latency_ms * area_mm2 (`edap`) or
/// the weighted sum of the three metrics (`weighted`).
at::Tensor hardwareObjective(const ObjectiveConfig &objective,
                             const ExpectedCost &cost);

} // namespace hdx::search

#endif // HDX_SEARCH_DIFFERENTIABLECOST_H
