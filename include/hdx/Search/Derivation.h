//===- Derivation.h - the discrete design, measured and repaired -*- C++ -*-===//
//
// After the search: the most likely architecture and hardware, measured
// exactly. If a hard constraint still fails, a greedy repair changes one
// choice at a time (a layer's candidate or a hardware dimension's value),
// each time the one that gives up the least log-probability of the searched
// distribution per unit of violation removed, until every constraint holds.
// A constraint the space cannot meet at all is an error stating the best
// value the space reaches.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_DERIVATION_H
#define HDX_SEARCH_DERIVATION_H

#include "hdx/Search/CostTables.h"

#include <string>
#include <vector>

namespace hdx::search {

struct Design {
  std::vector<int> architecture;
  HardwareChoice hardware;
  Metrics metrics{};
};

struct Derivation {
  Design argmax;  ///< the most likely design, as searched
  Design design;  ///< after the repair (equal to argmax if none was needed)
  /// One line per repair step, e.g. "stage2.layer1: mb_k7_e6 -> mb_k3_e3
  /// (latency_ms 17.9 -> 16.2)".
  std::vector<std::string> repairs;
};

/// `archProbs[layer][candidate]` (each row sums to 1), `hwProbs[point]`
/// (over the tables' hardware points, sums to 1): the searched
/// distributions.
Expected<Derivation>
deriveDesign(const CostTables &tables, const NetworkSpace &space,
             const std::vector<std::vector<double>> &archProbs,
             const std::vector<double> &hwProbs,
             const ConstraintLimits &limits);

/// Total relative violation: the sum over the limited metrics of
/// max(0, value - limit) / limit; 0 when every limit is met.
double relativeViolation(const Metrics &metrics, const ConstraintLimits &limits);

/// "latency_ms <= 5: the best this space reaches is 7.2" for every limit the
/// space cannot reach on its own; empty when each limit is reachable.
std::vector<std::string> unreachableLimits(const CostTables &tables,
                                           const ConstraintLimits &limits);

} // namespace hdx::search

#endif // HDX_SEARCH_DERIVATION_H
