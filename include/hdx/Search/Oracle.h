//===- Oracle.h - exact answers from the cost tables ------------*- C++ -*-===//
//
// The cost tables hold the exact latency and energy of every candidate of
// every layer on every accelerator of the space, so some questions about the
// whole (network, accelerator) space have exact answers without training:
//   - before the search: does any design meet every limit together? If not,
//     which design comes closest (least total relative violation)?
//   - after the search: which accelerator of the space runs a given network
//     within the limits at the least Cost_HW?
// Latency and energy add up over layers, area depends on the accelerator
// alone. Per accelerator, the (latency, energy) pairs reachable by the
// layers' choices are enumerated layer by layer keeping only the Pareto
// front (a pair another pair beats in both metrics can never be the better
// design), which decides the space exactly without visiting every
// architecture.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_ORACLE_H
#define HDX_SEARCH_ORACLE_H

#include "hdx/Search/CostTables.h"
#include "hdx/Search/Derivation.h"

#include <optional>
#include <string>

namespace hdx::search {

/// Cost_HW of exact metrics, as the objective defines it (in its units).
double hardwareObjectiveValue(const ObjectiveConfig &objective,
                              const Metrics &metrics);

struct FeasibilityAnswer {
  bool feasible = false;
  /// A design that meets every limit when `feasible`; else the design with
  /// the least relativeViolation (ties: the first accelerator in the tables'
  /// order).
  Design closest;
  /// The best value of every metric anywhere in the space, each alone.
  Metrics bestAlone{};
  /// Pareto states examined, and the time taken.
  int64_t states = 0;
  double seconds = 0;
};

/// Decides whether any design of the space meets every limit at once.
FeasibilityAnswer decideFeasibility(const CostTables &tables,
                                    const ConstraintLimits &limits);

/// The refusal for an infeasible space: every limit with the best value the
/// space reaches for it alone, and the closest design with its metrics.
std::string describeInfeasible(const FeasibilityAnswer &answer,
                               const CostTables &tables,
                               const NetworkSpace &space,
                               const ConstraintLimits &limits);

/// The accelerator of the space with the least Cost_HW for `architecture`
/// among those that meet every limit (ties: the first in the tables'
/// order); none when no accelerator does.
std::optional<Design> bestAcceleratorFor(const CostTables &tables,
                                         const std::vector<int> &architecture,
                                         const ConstraintLimits &limits,
                                         const ObjectiveConfig &objective);

} // namespace hdx::search

#endif // HDX_SEARCH_ORACLE_H
