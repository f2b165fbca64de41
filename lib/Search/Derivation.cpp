//===- Derivation.cpp - the discrete design, measured and repaired --------===//
#include "hdx/Search/Derivation.h"

#include "hdx/Cost/Accelerator.h"
#include "hdx/Support/FormatNumber.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace hdx::search {

double relativeViolation(const Metrics &m, const ConstraintLimits &limits) {
  double total = 0;
  for (Metric metric : limits.constrained()) {
    double limit = *limits.limit(metric);
    total += std::max(0.0, m[static_cast<int>(metric)] - limit) / limit;
  }
  return total;
}

namespace {

int argmaxOf(const std::vector<double> &probs) {
  return static_cast<int>(std::max_element(probs.begin(), probs.end()) -
                          probs.begin());
}

double logProb(double p) { return std::log(std::max(p, 1e-12)); }

std::string describeMetrics(const Metrics &before, const Metrics &after,
                            const ConstraintLimits &limits) {
  std::string text;
  for (Metric metric : limits.constrained()) {
    int i = static_cast<int>(metric);
    text += std::string(text.empty() ? "" : ", ") + metricName(metric) + " " +
            hdx::formatDouble(before[i]) + " -> " +
            hdx::formatDouble(after[i]);
  }
  return text;
}

double logProbability(const CostTables &tables, const Design &d,
                      const std::vector<std::vector<double>> &archProbs,
                      const std::vector<double> &hwProbs) {
  double total = logProb(hwProbs[tables.index(d.hardware)]);
  for (size_t l = 0; l < d.architecture.size(); ++l)
    total += logProb(archProbs[l][d.architecture[l]]);
  return total;
}

/// The repair's fallback when no single change reduces the violation (two
/// choices must change together): on every accelerator of the space, each
/// layer in turn takes the candidate that reduces the violation most, until
/// none does; of the designs that meet every limit, the most likely.
std::optional<Design>
repairPerAccelerator(const CostTables &tables, const Design &start,
                     const std::vector<std::vector<double>> &archProbs,
                     const std::vector<double> &hwProbs,
                     const ConstraintLimits &limits) {
  std::optional<Design> best;
  double bestLogProb = -std::numeric_limits<double>::infinity();
  for (int h = 0; h < tables.numPoints(); ++h) {
    Design d = start;
    d.hardware = tables.point(h);
    d.metrics = tables.measure(d.architecture, h);
    for (bool changed = true; changed && relativeViolation(d.metrics, limits) > 0;) {
      changed = false;
      for (size_t l = 0; l < d.architecture.size(); ++l)
        for (int k = 0; k < tables.numCandidates(); ++k) {
          if (k == d.architecture[l] || !tables.allowed(static_cast<int>(l), k))
            continue;
          std::vector<int> arch = d.architecture;
          arch[l] = k;
          Metrics m = tables.measure(arch, h);
          if (relativeViolation(m, limits) < relativeViolation(d.metrics, limits)) {
            d.architecture = std::move(arch);
            d.metrics = m;
            changed = true;
          }
        }
    }
    double lp = logProbability(tables, d, archProbs, hwProbs);
    if (relativeViolation(d.metrics, limits) == 0 && lp > bestLogProb) {
      bestLogProb = lp;
      best = std::move(d);
    }
  }
  return best;
}

/// "stage1.layer0: mb_k5_e6 -> mb_k3_e3, pe_rows: 8 -> 16" for the choices
/// that differ between two designs.
std::string describeChanges(const NetworkSpace &space,
                            const HardwareSpaceConfig &hardware,
                            const Design &from, const Design &to) {
  std::string text;
  auto add = [&](const std::string &change) {
    text += (text.empty() ? "" : ", ") + change;
  };
  for (size_t l = 0; l < from.architecture.size(); ++l)
    if (from.architecture[l] != to.architecture[l])
      add(space.layers()[l].name + ": " +
          space.candidates()[from.architecture[l]].name() + " -> " +
          space.candidates()[to.architecture[l]].name());
  for (int d = 0; d < kNumHardwareDims; ++d) {
    auto dim = static_cast<HardwareDim>(d);
    if (from.hardware.index(dim) != to.hardware.index(dim))
      add(std::string(hardwareDimName(dim)) + ": " +
          hardwareValueText(hardware, dim, from.hardware.index(dim)) + " -> " +
          hardwareValueText(hardware, dim, to.hardware.index(dim)));
  }
  return text;
}

} // namespace

std::vector<std::string> unreachableLimits(const CostTables &tables,
                                           const ConstraintLimits &limits) {
  std::vector<std::string> problems;
  for (Metric metric : limits.constrained()) {
    double best = tables.bestReachable(metric);
    double limit = *limits.limit(metric);
    if (best > limit)
      problems.push_back(std::string(metricName(metric)) +
                         " <= " + hdx::formatDouble(limit) +
                         ": the best this design space reaches is " +
                         hdx::formatDouble(best));
  }
  return problems;
}

Expected<Derivation>
deriveDesign(const CostTables &tables, const NetworkSpace &space,
             const std::vector<std::vector<double>> &archProbs,
             const std::vector<double> &hwProbs,
             const ConstraintLimits &limits) {
  Derivation result;
  Design &design = result.design;
  for (const std::vector<double> &row : archProbs)
    design.architecture.push_back(argmaxOf(row));
  if (hwProbs.size() != static_cast<size_t>(tables.numPoints()))
    return Error{"the hardware distribution has " +
                 std::to_string(hwProbs.size()) + " entries for " +
                 std::to_string(tables.numPoints()) + " hardware points"};
  design.hardware = tables.point(argmaxOf(hwProbs));
  if (Status status = space.checkChoice(design.architecture); !status.ok())
    return status;
  auto measure = [&](const Design &d) {
    return tables.measure(d.architecture, tables.index(d.hardware));
  };
  design.metrics = measure(design);
  result.argmax = design;

  while (relativeViolation(design.metrics, limits) > 0) {
    double current = relativeViolation(design.metrics, limits);
    // The move with the least log-probability given up per unit of
    // violation removed.
    double bestScore = std::numeric_limits<double>::infinity();
    Design bestDesign;
    std::string bestWhat;
    auto consider = [&](Design candidate, double logLoss, std::string what) {
      candidate.metrics = measure(candidate);
      double gain = current - relativeViolation(candidate.metrics, limits);
      if (gain <= 0)
        return;
      double score = std::max(logLoss, 0.0) / gain;
      if (score < bestScore) {
        bestScore = score;
        bestDesign = std::move(candidate);
        bestWhat = std::move(what);
      }
    };
    for (int l = 0; l < space.numLayers(); ++l) {
      int from = design.architecture[l];
      for (int k = 0; k < space.numCandidates(); ++k) {
        if (k == from || !tables.allowed(l, k))
          continue;
        Design candidate = design;
        candidate.architecture[l] = k;
        consider(std::move(candidate),
                 logProb(archProbs[l][from]) - logProb(archProbs[l][k]),
                 space.layers()[l].name + ": " +
                     space.candidates()[from].name() + " -> " +
                     space.candidates()[k].name());
      }
    }
    for (int d = 0; d < kNumHardwareDims; ++d) {
      auto dim = static_cast<HardwareDim>(d);
      int from = design.hardware.index(dim);
      for (int v = 0; v < tables.dimSize(dim); ++v) {
        if (v == from)
          continue;
        Design candidate = design;
        candidate.hardware.setIndex(dim, v);
        double logLoss = logProb(hwProbs[tables.index(design.hardware)]) -
                         logProb(hwProbs[tables.index(candidate.hardware)]);
        consider(std::move(candidate), logLoss,
                 std::string(hardwareDimName(dim)) + ": " +
                     hardwareValueText(tables.hardware(), dim, from) + " -> " +
                     hardwareValueText(tables.hardware(), dim, v));
      }
    }
    if (!std::isfinite(bestScore)) {
      if (std::optional<Design> repaired = repairPerAccelerator(
              tables, design, archProbs, hwProbs, limits)) {
        result.repairs.push_back(
            describeChanges(space, tables.hardware(), design, *repaired) +
            " (together; " +
            describeMetrics(design.metrics, repaired->metrics, limits) + ")");
        design = std::move(*repaired);
        break;
      }
      std::string message =
          "no design the repair reaches meets every constraint at once "
          "(single changes, then every accelerator with per-layer changes)";
      for (const std::string &problem : unreachableLimits(tables, limits))
        message += "; " + problem;
      for (Metric metric : limits.constrained())
        message += std::string("; best ") + metricName(metric) + " alone: " +
                   hdx::formatDouble(tables.bestReachable(metric));
      return Error{message};
    }
    result.repairs.push_back(bestWhat + " (" +
                             describeMetrics(design.metrics, bestDesign.metrics,
                                             limits) +
                             ")");
    design = std::move(bestDesign);
  }
  return result;
}

} // namespace hdx::search
