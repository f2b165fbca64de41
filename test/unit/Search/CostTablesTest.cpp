//===- CostTablesTest.cpp - exact and expected hardware cost --------------===//
#include "hdx/Search/CostTables.h"
#include "hdx/Search/CompiledLayers.h"
#include "hdx/Search/Derivation.h"
#include "hdx/Search/EvaluatorCost.h"
#include "hdx/Search/TableCost.h"
#include "hdx/Support/FormatNumber.h"
#include "hdx/Support/Random.h"

#include "SearchTestUtil.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace hdx;
using namespace hdx::search;
using namespace hdx::search::test;

namespace {

const std::string kYaml = std::string(R"(
data: {dataset: synthetic, synthetic: {classes: 3, channels: 1, image_size: 8}}
hardware:
  pe_rows: [4, 8]
  pe_cols: [4, 8]
  rf_bytes: [16, 64]
  glb_kib: [16]
  dataflow: [ws, os, rs]
)") + kTinySearchSpaceYaml;

struct Fixture {
  SearchConfig config;
  NetworkSpace space;
  CostTables tables;
};

const Fixture &fixture() {
  static Fixture *f = [] {
    SearchConfig config = configOf(kYaml, "tables-test.yaml");
    NetworkSpace space = spaceOf(config.search_space);
    CostTables::Options options;
    options.threads = 2;
    return new Fixture{config, space,
                       tablesOf(space, config.hardware, options)};
  }();
  return *f;
}

std::vector<int> randomArchitecture(const NetworkSpace &space, Rng &rng) {
  std::vector<int> arch;
  for (const SearchableLayer &layer : space.layers()) {
    std::vector<int> allowed;
    for (size_t k = 0; k < layer.allowed.size(); ++k)
      if (layer.allowed[k])
        allowed.push_back(static_cast<int>(k));
    arch.push_back(allowed[rng.below(allowed.size())]);
  }
  return arch;
}

/// One-hot probabilities of a discrete design.
torch::Tensor oneHot(const NetworkSpace &space, const std::vector<int> &arch) {
  torch::Tensor probs =
      torch::zeros({space.numLayers(), space.numCandidates()});
  for (size_t l = 0; l < arch.size(); ++l)
    probs[l][arch[l]] = 1.0f;
  return probs;
}

at::Tensor uniformHardware(const CostTables &tables) {
  return torch::full({tables.numPoints()}, 1.0f / tables.numPoints());
}

/// One-hot vectors per dimension for `choice`, HardwareDim order.
std::vector<at::Tensor> oneHotPerDimension(const CostTables &tables,
                                           const HardwareChoice &choice) {
  std::vector<at::Tensor> hw;
  for (int d = 0; d < kNumHardwareDims; ++d) {
    auto dim = static_cast<HardwareDim>(d);
    torch::Tensor p = torch::zeros({tables.dimSize(dim)});
    p[choice.index(dim)] = 1.0f;
    hw.push_back(p);
  }
  return hw;
}

TEST(SearchCostTables, EnumerateEveryHardwarePoint) {
  const CostTables &tables = fixture().tables;
  EXPECT_EQ(tables.numPoints(), 2 * 2 * 2 * 1 * 3);
  for (int h = 0; h < tables.numPoints(); ++h)
    EXPECT_EQ(tables.index(tables.point(h)), h);
  // The dataflow varies fastest.
  EXPECT_EQ(tables.point(1).dataflow, 1);
  EXPECT_EQ(tables.point(3).rf_bytes, 1);
}

TEST(SearchCostTables, TableSumEqualsDirectMeasurementExactly) {
  const Fixture &f = fixture();
  Rng rng(7);
  for (int trial = 0; trial < 12; ++trial) {
    std::vector<int> arch = randomArchitecture(f.space, rng);
    int h = static_cast<int>(rng.below(f.tables.numPoints()));
    Metrics fromTable = f.tables.measure(arch, h);
    auto direct = evaluateDesign(f.space, f.config.hardware, arch,
                                 f.tables.point(h), mapper::Objective::Latency);
    ASSERT_TRUE(direct) << direct.error();
    for (int m = 0; m < kNumMetrics; ++m)
      EXPECT_EQ(fromTable[m], direct->metrics[m]) << "metric " << m;
    EXPECT_GT(fromTable[0], 0);
  }
}

TEST(SearchCostTables, NetworkLayersFollowExecutionOrder) {
  const Fixture &f = fixture();
  std::vector<int> arch(f.space.numLayers(), 0);
  auto compiled = compiledLayers(f.space, arch);
  ASSERT_TRUE(compiled) << compiled.error();
  const std::vector<cost::Layer> &layers = *compiled;
  EXPECT_EQ(layers.front().name, "stem.conv");
  EXPECT_EQ(layers.back().kind, cost::LayerKind::FC);
  EXPECT_EQ(layers[layers.size() - 2].kind, cost::LayerKind::Pool);
}

TEST(SearchTableCost, ExpectationMatchesTheTableUnderOneHotAndMixedChoices) {
  const Fixture &f = fixture();
  TableCost cost(f.tables);
  Rng rng(3);
  std::vector<int> arch = randomArchitecture(f.space, rng);
  // One-hot everything: the exact cost of that design.
  torch::Tensor hw = torch::zeros({f.tables.numPoints()});
  hw[5] = 1.0f;
  ExpectedCost expected = cost.expected(oneHot(f.space, arch), hw);
  Metrics exact = f.tables.measure(arch, 5);
  EXPECT_NEAR(expected.latency_ms.item<double>(), exact[0], 1e-5 * exact[0]);
  EXPECT_NEAR(expected.energy_mj.item<double>(), exact[1], 1e-5 * exact[1]);
  EXPECT_NEAR(expected.area_mm2.item<double>(), exact[2], 1e-5 * exact[2]);

  // Uniform hardware: the mean over every point of the exact costs.
  ExpectedCost mean =
      cost.expected(oneHot(f.space, arch), uniformHardware(f.tables));
  double sum = 0;
  for (int h = 0; h < f.tables.numPoints(); ++h)
    sum += f.tables.measure(arch, h)[0];
  EXPECT_NEAR(mean.latency_ms.item<double>(), sum / f.tables.numPoints(),
              1e-5 * sum);
}

// The product of per-dimension one-hots is the one-hot of that point in the
// tables' point order, and the marginals give the factors back.
TEST(SearchTableCost, ProductDistributionFollowsThePointOrder) {
  const Fixture &f = fixture();
  for (int h = 0; h < f.tables.numPoints(); ++h) {
    torch::Tensor joint =
        productDistribution(oneHotPerDimension(f.tables, f.tables.point(h)));
    ASSERT_EQ(joint.size(0), f.tables.numPoints());
    EXPECT_EQ(joint.argmax().item<int64_t>(), h);
    EXPECT_FLOAT_EQ(joint.sum().item<float>(), 1.0f);
  }
  std::vector<at::Tensor> factors;
  for (int d = 0; d < kNumHardwareDims; ++d)
    factors.push_back(torch::softmax(
        torch::arange(f.tables.dimSize(static_cast<HardwareDim>(d)))
            .to(torch::kFloat32),
        0));
  std::vector<at::Tensor> marginals =
      hardwareMarginals(productDistribution(factors), f.tables.hardware());
  ASSERT_EQ(marginals.size(), factors.size());
  for (size_t d = 0; d < factors.size(); ++d)
    EXPECT_TRUE(torch::allclose(marginals[d], factors[d], 1e-5, 1e-6))
        << "dimension " << d;
}

TEST(SearchTableCost, GradientsReachArchitectureAndHardware) {
  const Fixture &f = fixture();
  TableCost cost(f.tables);
  torch::Tensor alpha = torch::zeros(
      {f.space.numLayers(), f.space.numCandidates()}, torch::requires_grad());
  std::vector<at::Tensor> beta, probs;
  for (int d = 0; d < kNumHardwareDims; ++d) {
    beta.push_back(torch::zeros({f.tables.dimSize(static_cast<HardwareDim>(d))},
                                torch::requires_grad()));
    probs.push_back(torch::softmax(beta.back(), 0));
  }
  ExpectedCost expected =
      cost.expected(torch::softmax(alpha, 1), productDistribution(probs));
  expected.latency_ms.backward();
  EXPECT_GT(alpha.grad().abs().sum().item<double>(), 0);
  // More PE rows lower the latency: its logit's gradient is negative.
  EXPECT_LT(beta[0].grad()[1].item<double>(), 0);

  // One logit per point: d E[latency] / d beta_h = P(h) (latency(h) - E),
  // negative exactly at the points faster than the mean.
  torch::Tensor joint =
      torch::zeros({f.tables.numPoints()}, torch::requires_grad());
  torch::Tensor arch =
      oneHot(f.space, std::vector<int>(f.space.numLayers(), 0));
  ExpectedCost e = cost.expected(arch, torch::softmax(joint, 0));
  e.latency_ms.backward();
  double mean = e.latency_ms.item<double>();
  for (int h = 0; h < f.tables.numPoints(); ++h) {
    double latency =
        f.tables.measure(std::vector<int>(f.space.numLayers(), 0), h)[0];
    EXPECT_NEAR(joint.grad()[h].item<double>(),
                (latency - mean) / f.tables.numPoints(), 1e-5 * mean)
        << "point " << h;
  }
}

/// Probabilities that favour `arch` and `choice` (0.9 on the chosen entry).
std::pair<std::vector<std::vector<double>>, std::vector<double>>
favouring(const Fixture &f, const std::vector<int> &arch,
          const HardwareChoice &choice) {
  std::vector<std::vector<double>> archProbs;
  for (int l = 0; l < f.space.numLayers(); ++l) {
    std::vector<double> row(f.space.numCandidates(), 0.0);
    int allowed = 0;
    for (int k = 0; k < f.space.numCandidates(); ++k)
      allowed += f.tables.allowed(l, k);
    for (int k = 0; k < f.space.numCandidates(); ++k)
      if (f.tables.allowed(l, k))
        row[k] = k == arch[l] ? 0.9 : 0.1 / (allowed - 1);
    archProbs.push_back(row);
  }
  // Per dimension 0.9 on the chosen value, the product over the points.
  std::vector<double> hwProbs(f.tables.numPoints(), 1.0);
  for (int h = 0; h < f.tables.numPoints(); ++h)
    for (int d = 0; d < kNumHardwareDims; ++d) {
      auto dim = static_cast<HardwareDim>(d);
      int n = f.tables.dimSize(dim);
      bool chosen = f.tables.point(h).index(dim) == choice.index(dim);
      hwProbs[h] *= n == 1 ? 1.0 : chosen ? 0.9 : 0.1 / (n - 1);
    }
  return {archProbs, hwProbs};
}

TEST(SearchDerivation, KeepsTheArgmaxWhenItMeetsTheLimits) {
  const Fixture &f = fixture();
  std::vector<int> arch(f.space.numLayers(), 0);
  HardwareChoice choice = f.tables.point(0);
  auto [a, h] = favouring(f, arch, choice);
  ConstraintLimits limits;
  limits.latency_ms = 1e9;
  auto derived = deriveDesign(f.tables, f.space, a, h, limits);
  ASSERT_TRUE(derived) << derived.error();
  EXPECT_EQ(derived->design.architecture, arch);
  EXPECT_TRUE(derived->repairs.empty());
}

TEST(SearchDerivation, RepairsAViolatedLatencyLimit) {
  const Fixture &f = fixture();
  // The most expensive candidate everywhere on the smallest array.
  std::vector<int> arch;
  for (int l = 0; l < f.space.numLayers(); ++l) {
    int worst = 0;
    for (int k = 0; k < f.space.numCandidates(); ++k)
      if (f.tables.allowed(l, k) &&
          f.tables.candidate(l, k, 0, Metric::LatencyMs) >
              f.tables.candidate(l, worst, 0, Metric::LatencyMs))
        worst = k;
    arch.push_back(worst);
  }
  HardwareChoice choice = f.tables.point(0);
  auto [a, h] = favouring(f, arch, choice);
  double argmaxLatency = f.tables.measure(arch, 0)[0];
  double best = f.tables.bestReachable(Metric::LatencyMs);
  ConstraintLimits limits;
  limits.latency_ms = (best + argmaxLatency) / 2;
  auto derived = deriveDesign(f.tables, f.space, a, h, limits);
  ASSERT_TRUE(derived) << derived.error();
  EXPECT_DOUBLE_EQ(derived->argmax.metrics[0], argmaxLatency);
  EXPECT_LE(derived->design.metrics[0], *limits.latency_ms);
  EXPECT_FALSE(derived->repairs.empty());
  // The repaired design is measured exactly, like any other.
  EXPECT_EQ(derived->design.metrics,
            f.tables.measure(derived->design.architecture,
                             f.tables.index(derived->design.hardware)));
}

// Latency and area limits of a design on another accelerator: from some
// starting accelerators every single change trades one violation for a
// larger one (a faster array is larger), and only changing two hardware
// dimensions together (e.g. more PEs and less register file) helps. The
// repair must still find a design that meets both limits.
TEST(SearchDerivation, RepairsWhenOnlyJointChangesHelp) {
  const Fixture &f = fixture();
  int joint = 0;
  for (int target = 0; target < f.tables.numPoints(); ++target) {
    // The fastest architecture on the target accelerator (latency adds up
    // per layer, so per-layer minima).
    std::vector<int> fastest;
    for (int l = 0; l < f.space.numLayers(); ++l) {
      int best = -1;
      for (int k = 0; k < f.space.numCandidates(); ++k)
        if (f.tables.allowed(l, k) &&
            (best < 0 ||
             f.tables.candidate(l, k, target, Metric::LatencyMs) <
                 f.tables.candidate(l, best, target, Metric::LatencyMs)))
          best = k;
      fastest.push_back(best);
    }
    Metrics goal = f.tables.measure(fastest, target);
    ConstraintLimits limits;
    limits.latency_ms = goal[0];
    limits.area_mm2 = goal[2];
    for (int start = 0; start < f.tables.numPoints(); ++start) {
      auto [a, h] = favouring(f, fastest, f.tables.point(start));
      auto derived = deriveDesign(f.tables, f.space, a, h, limits);
      ASSERT_TRUE(derived) << derived.error();
      EXPECT_LE(derived->design.metrics[0], *limits.latency_ms);
      EXPECT_LE(derived->design.metrics[2], *limits.area_mm2);
      for (const std::string &repair : derived->repairs)
        joint += repair.find("(together;") != std::string::npos;
    }
  }
  EXPECT_GT(joint, 0) << "no start needed a joint change: the test space "
                         "no longer exercises the fallback";
}

TEST(SearchDerivation, UnreachableLimitNamesTheBestValue) {
  const Fixture &f = fixture();
  std::vector<int> arch(f.space.numLayers(), 0);
  auto [a, h] = favouring(f, arch, f.tables.point(0));
  ConstraintLimits limits;
  double best = f.tables.bestReachable(Metric::LatencyMs);
  limits.latency_ms = best / 2;
  auto derived = deriveDesign(f.tables, f.space, a, h, limits);
  ASSERT_FALSE(derived);
  EXPECT_NE(
      derived.error().find("latency_ms <= " + hdx::formatDouble(best / 2) +
                           ": the best this design space reaches is " +
                           hdx::formatDouble(best)),
      std::string::npos)
      << derived.error();
}

TEST(SearchEvaluatorCost, LearnsTheTablesOnHeldOutDesigns) {
  const Fixture &f = fixture();
  auto evaluator = EvaluatorCost::train(f.tables, f.space, 1500, 40, 1);
  ASSERT_TRUE(evaluator) << evaluator.error();
  const EvaluatorAccuracy &acc = (*evaluator)->accuracy();
  EXPECT_EQ(acc.test_samples, 300);
  for (int m = 0; m < kNumMetrics; ++m)
    EXPECT_GT(acc.accuracy[m], 0.85) << "metric " << m;
  // It is differentiable in the architecture probabilities.
  torch::Tensor alpha = torch::zeros(
      {f.space.numLayers(), f.space.numCandidates()}, torch::requires_grad());
  ExpectedCost e =
      (*evaluator)
          ->expected(torch::softmax(alpha, 1), uniformHardware(f.tables));
  e.latency_ms.backward();
  EXPECT_GT(alpha.grad().abs().sum().item<double>(), 0);
}

} // namespace
