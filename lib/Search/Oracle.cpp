//===- Oracle.cpp - exact answers from the cost tables --------------------===//
#include "hdx/Search/Oracle.h"
#include "hdx/Support/FormatNumber.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace hdx::search {

double hardwareObjectiveValue(const ObjectiveConfig &objective,
                              const Metrics &m) {
  return hardwareCost(objective, m[0], m[1], m[2]);
}

namespace {

/// A partial design: the candidates chosen so far and the sums they reach
/// (0 for a metric without a limit, which then never splits the front).
struct State {
  double latency = 0, energy = 0;
  std::vector<int> choice;
};

/// Keeps the states no other state matches or beats in both sums.
void keepParetoFront(std::vector<State> &states) {
  std::sort(states.begin(), states.end(), [](const State &a, const State &b) {
    return a.latency != b.latency ? a.latency < b.latency : a.energy < b.energy;
  });
  std::vector<State> front;
  double bestEnergy = std::numeric_limits<double>::infinity();
  for (State &s : states)
    if (s.energy < bestEnergy) {
      bestEnergy = s.energy;
      front.push_back(std::move(s));
    }
  states = std::move(front);
}

} // namespace

FeasibilityAnswer decideFeasibility(const CostTables &tables,
                                    const ConstraintLimits &limits) {
  auto start = std::chrono::steady_clock::now();
  FeasibilityAnswer answer;
  const bool useLatency = limits.latency_ms.has_value();
  const bool useEnergy = limits.energy_mj.has_value();
  for (int i = 0; i < kNumMetrics; ++i)
    answer.bestAlone[i] = tables.bestReachable(static_cast<Metric>(i));

  double bestViolation = std::numeric_limits<double>::infinity();
  for (int h = 0; h < tables.numPoints() && !answer.feasible; ++h) {
    std::vector<State> states(1);
    for (int l = 0; l < tables.numLayers(); ++l) {
      std::vector<State> next;
      for (const State &s : states)
        for (int k = 0; k < tables.numCandidates(); ++k) {
          if (!tables.allowed(l, k))
            continue;
          State t = s;
          if (useLatency)
            t.latency += tables.candidate(l, k, h, Metric::LatencyMs);
          if (useEnergy)
            t.energy += tables.candidate(l, k, h, Metric::EnergyMj);
          t.choice.push_back(k);
          next.push_back(std::move(t));
        }
      keepParetoFront(next);
      answer.states += static_cast<int64_t>(next.size());
      states = std::move(next);
    }
    // The violation is monotone in both sums, so its minimum over this
    // accelerator lies on the front; each front design is measured as the
    // derivation measures it (same order of summation).
    for (const State &s : states) {
      Metrics m = tables.measure(s.choice, h);
      double v = relativeViolation(m, limits);
      if (v < bestViolation) {
        bestViolation = v;
        answer.closest = Design{s.choice, tables.point(h), m};
        if (v == 0) {
          answer.feasible = true;
          break;
        }
      }
    }
  }
  answer.seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  return answer;
}

std::string describeInfeasible(const FeasibilityAnswer &answer,
                               const CostTables &tables,
                               const NetworkSpace &space,
                               const ConstraintLimits &limits) {
  std::string text = "the hard constraints cannot be met together by any "
                     "design of the space";
  for (Metric metric : limits.constrained())
    text += std::string("; ") + metricName(metric) +
            " <= " + hdx::formatDouble(*limits.limit(metric)) +
            ": the best this design space reaches is " +
            hdx::formatDouble(answer.bestAlone[static_cast<int>(metric)]);
  text += "; the closest design (" + space.describe(answer.closest.architecture) +
          "; " + describeHardware(tables.hardware(), answer.closest.hardware) +
          ") reaches";
  bool first = true;
  for (Metric metric : limits.constrained()) {
    text += std::string(first ? " " : ", ") + metricName(metric) + " " +
            hdx::formatDouble(answer.closest.metrics[static_cast<int>(metric)]);
    first = false;
  }
  return text;
}

std::optional<Design> bestAcceleratorFor(const CostTables &tables,
                                         const std::vector<int> &architecture,
                                         const ConstraintLimits &limits,
                                         const ObjectiveConfig &objective) {
  std::optional<Design> best;
  double bestCost = std::numeric_limits<double>::infinity();
  for (int h = 0; h < tables.numPoints(); ++h) {
    Metrics m = tables.measure(architecture, h);
    if (!limits.metBy(m))
      continue;
    double c = hardwareObjectiveValue(objective, m);
    if (c < bestCost) {
      bestCost = c;
      best = Design{architecture, tables.point(h), m};
    }
  }
  return best;
}

} // namespace hdx::search
