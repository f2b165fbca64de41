//===- OracleTest.cpp - exact answers from the tables vs brute force ------===//
//
// The oracle's answers are checked against an independent truth: every
// (architecture, accelerator) pair of a small space enumerated and measured
// with CostTables::measure.
//
//===----------------------------------------------------------------------===//
#include "hdx/Search/Oracle.h"
#include "hdx/Support/FormatNumber.h"

#include "SearchTestUtil.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

using namespace hdx;
using namespace hdx::search;
using namespace hdx::search::test;

namespace {

const char *kYaml = R"(
data:
  dataset: synthetic
  synthetic: {classes: 3, channels: 1, image_size: 8, train_images: 64, test_images: 16}
search_space:
  stem: {channels: 4}
  stages:
    - {channels: 8, stride: 2, layers: 2}
    - {channels: 12, stride: 1, layers: 1}
  candidates: {kernels: [3, 5], expansions: [1, 4], skip: true}
hardware:
  pe_rows: [4, 8, 16]
  pe_cols: [4, 8]
  rf_bytes: [16, 64]
  glb_kib: [16]
  dataflow: [ws, os]
)";

struct Space {
  SearchConfig config;
  NetworkSpace space;
  CostTables tables;
};

Space makeSpace() {
  SearchConfig config = configOf(kYaml, "oracle-test.yaml");
  NetworkSpace space = spaceOf(config.search_space);
  return {config, space, tablesOf(space, config.hardware)};
}

/// Every allowed architecture of the space.
std::vector<std::vector<int>> allArchitectures(const CostTables &t) {
  std::vector<std::vector<int>> all{{}};
  for (int l = 0; l < t.numLayers(); ++l) {
    std::vector<std::vector<int>> next;
    for (const auto &prefix : all)
      for (int k = 0; k < t.numCandidates(); ++k)
        if (t.allowed(l, k)) {
          next.push_back(prefix);
          next.back().push_back(k);
        }
    all = std::move(next);
  }
  return all;
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * (v.size() - 1))];
}

TEST(SearchOracle, DecidesJointFeasibilityLikeBruteForce) {
  Space s = makeSpace();
  auto archs = allArchitectures(s.tables);
  ASSERT_GT(archs.size(), 20u);
  std::vector<Metrics> all;
  std::vector<double> byMetric[kNumMetrics];
  for (const auto &a : archs)
    for (int h = 0; h < s.tables.numPoints(); ++h) {
      all.push_back(s.tables.measure(a, h));
      for (int i = 0; i < kNumMetrics; ++i)
        byMetric[i].push_back(all.back()[i]);
    }

  int feasibleCases = 0, infeasibleCases = 0;
  const double qs[] = {0.0, 0.02, 0.2, 0.6};
  for (double ql : qs)
    for (double qe : qs)
      for (double qa : qs) {
        ConstraintLimits limits;
        limits.latency_ms = quantile(byMetric[0], ql);
        limits.energy_mj = quantile(byMetric[1], qe);
        limits.area_mm2 = quantile(byMetric[2], qa);
        double bruteBest = std::numeric_limits<double>::infinity();
        for (const Metrics &m : all)
          bruteBest = std::min(bruteBest, relativeViolation(m, limits));
        FeasibilityAnswer answer = decideFeasibility(s.tables, limits);
        EXPECT_EQ(answer.feasible, bruteBest == 0)
            << "quantiles " << ql << " " << qe << " " << qa;
        // The closest design is measured exactly and is as close as the
        // brute force's best.
        Metrics again =
            s.tables.measure(answer.closest.architecture,
                             s.tables.index(answer.closest.hardware));
        EXPECT_EQ(again, answer.closest.metrics);
        EXPECT_DOUBLE_EQ(relativeViolation(answer.closest.metrics, limits),
                         bruteBest);
        for (int i = 0; i < kNumMetrics; ++i)
          EXPECT_DOUBLE_EQ(
              answer.bestAlone[i],
              *std::min_element(byMetric[i].begin(), byMetric[i].end()));
        (answer.feasible ? feasibleCases : infeasibleCases)++;
      }
  // The grid covers both answers.
  EXPECT_GT(feasibleCases, 5);
  EXPECT_GT(infeasibleCases, 5);
}

TEST(SearchOracle, NamesTheBestValuesAndTheClosestDesign) {
  Space s = makeSpace();
  ConstraintLimits limits;
  // Each limit alone is reachable, together they are not: the fastest
  // designs need the large arrays the area limit forbids.
  limits.latency_ms = s.tables.bestReachable(Metric::LatencyMs);
  limits.area_mm2 = s.tables.bestReachable(Metric::AreaMm2);
  FeasibilityAnswer answer = decideFeasibility(s.tables, limits);
  ASSERT_FALSE(answer.feasible);
  std::string text = describeInfeasible(answer, s.tables, s.space, limits);
  EXPECT_NE(text.find("cannot be met together"), std::string::npos) << text;
  EXPECT_NE(text.find("latency_ms <= " + hdx::formatDouble(*limits.latency_ms) +
                      ": the best this design space reaches is " +
                      hdx::formatDouble(answer.bestAlone[0])),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("the closest design (stage0.layer0="), std::string::npos)
      << text;
  EXPECT_NE(text.find("pe_rows="), std::string::npos) << text;
}

TEST(SearchOracle, BestAcceleratorMatchesBruteForce) {
  Space s = makeSpace();
  auto archs = allArchitectures(s.tables);
  ObjectiveConfig edap;
  ObjectiveConfig weighted;
  weighted.cost = CostObjective::Weighted;
  weighted.latency_weight = 100;
  for (const ObjectiveConfig &objective : {edap, weighted})
    for (size_t i = 0; i < archs.size(); i += 7) {
      ConstraintLimits limits;
      std::vector<double> latencies;
      for (int h = 0; h < s.tables.numPoints(); ++h)
        latencies.push_back(s.tables.measure(archs[i], h)[0]);
      limits.latency_ms = quantile(latencies, 0.5);
      double bestCost = std::numeric_limits<double>::infinity();
      int bestH = -1;
      for (int h = 0; h < s.tables.numPoints(); ++h) {
        Metrics m = s.tables.measure(archs[i], h);
        if (m[0] > *limits.latency_ms)
          continue;
        // Cost_HW by hand: energy * latency * area, or the weighted sum.
        double c = objective.cost == CostObjective::Edap
                       ? m[0] * m[1] * m[2]
                       : 100 * m[0] + m[1] + m[2];
        if (c < bestCost) {
          bestCost = c;
          bestH = h;
        }
      }
      ASSERT_GE(bestH, 0);
      auto best = bestAcceleratorFor(s.tables, archs[i], limits, objective);
      ASSERT_TRUE(best.has_value());
      EXPECT_EQ(s.tables.index(best->hardware), bestH);
      EXPECT_EQ(best->architecture, archs[i]);
    }
  ConstraintLimits impossible;
  impossible.latency_ms = 1e-12;
  EXPECT_FALSE(bestAcceleratorFor(s.tables, archs[0], impossible, edap));
}

} // namespace
