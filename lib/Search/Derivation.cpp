//===- Derivation.cpp - the discrete design, measured and repaired --------===//
#include "hdx/Search/Derivation.h"

#include "hdx/Cost/Accelerator.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hdx::search {

namespace {

int argmaxOf(const std::vector<double> &probs) {
  return static_cast<int>(std::max_element(probs.begin(), probs.end()) -
                          probs.begin());
}

double logProb(double p) { return std::log(std::max(p, 1e-12)); }

/// The value `index` of hardware dimension `dim`, as the YAML writes it.
std::string valueText(const HardwareSpaceConfig &space, HardwareDim dim,
                      int index) {
  switch (dim) {
  case HardwareDim::PeRows: return std::to_string(space.pe_rows.at(index));
  case HardwareDim::PeCols: return std::to_string(space.pe_cols.at(index));
  case HardwareDim::RfBytes: return std::to_string(space.rf_bytes.at(index));
  case HardwareDim::GlbKib: return std::to_string(space.glb_kib.at(index));
  case HardwareDim::Dataflow: break;
  }
  return cost::toString(space.dataflow.at(index));
}

/// Total violation, each metric relative to its limit.
double violation(const Metrics &m, const ConstraintLimits &limits) {
  double total = 0;
  for (Metric metric : limits.constrained()) {
    double limit = *limits.limit(metric);
    total += std::max(0.0, m[static_cast<int>(metric)] - limit) / limit;
  }
  return total;
}

std::string describeMetrics(const Metrics &before, const Metrics &after,
                            const ConstraintLimits &limits) {
  std::string text;
  for (Metric metric : limits.constrained()) {
    int i = static_cast<int>(metric);
    text += std::string(text.empty() ? "" : ", ") + metricName(metric) + " " +
            cost::formatDouble(before[i]) + " -> " +
            cost::formatDouble(after[i]);
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
                         " <= " + cost::formatDouble(limit) +
                         ": the best this design space reaches is " +
                         cost::formatDouble(best));
  }
  return problems;
}

Result<Derivation>
deriveDesign(const CostTables &tables, const NetworkSpace &space,
             const std::vector<std::vector<double>> &archProbs,
             const std::vector<std::vector<double>> &hwProbs,
             const ConstraintLimits &limits) {
  Derivation result;
  Design &design = result.design;
  for (const std::vector<double> &row : archProbs)
    design.architecture.push_back(argmaxOf(row));
  for (int d = 0; d < kNumHardwareDims; ++d)
    design.hardware.setIndex(static_cast<HardwareDim>(d), argmaxOf(hwProbs[d]));
  if (Status status = space.checkChoice(design.architecture); !status.ok())
    return Error{status.message()};
  auto measure = [&](const Design &d) {
    return tables.measure(d.architecture, tables.index(d.hardware));
  };
  design.metrics = measure(design);
  result.argmax = design;

  while (violation(design.metrics, limits) > 0) {
    double current = violation(design.metrics, limits);
    // The move with the least log-probability given up per unit of
    // violation removed.
    double bestScore = std::numeric_limits<double>::infinity();
    Design bestDesign;
    std::string bestWhat;
    auto consider = [&](Design candidate, double logLoss, std::string what) {
      candidate.metrics = measure(candidate);
      double gain = current - violation(candidate.metrics, limits);
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
        consider(std::move(candidate),
                 logProb(hwProbs[d][from]) - logProb(hwProbs[d][v]),
                 std::string(hardwareDimName(dim)) + ": " +
                     valueText(tables.hardware(), dim, from) + " -> " +
                     valueText(tables.hardware(), dim, v));
      }
    }
    if (!std::isfinite(bestScore)) {
      std::string message =
          "no design of the space meets every constraint at once";
      for (const std::string &problem : unreachableLimits(tables, limits))
        message += "; " + problem;
      for (Metric metric : limits.constrained())
        message += std::string("; best ") + metricName(metric) + " alone: " +
                   cost::formatDouble(tables.bestReachable(metric));
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
