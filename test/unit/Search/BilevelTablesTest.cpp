//===- BilevelTablesTest.cpp - the search on the exact cost tables --------===//
//
// The bilevel search with the real differentiable cost (TableCost): which
// value the HDX rule judges a constraint by, and where it trains. The device
// tests run on any machine: on a CPU-only LibTorch the CUDA request must
// fail clearly; where CUDA is available, a bilevel epoch runs there.
//
//===----------------------------------------------------------------------===//
#include "hdx/Search/BilevelSearch.h"
#include "hdx/Search/CostTables.h"
#include "hdx/Search/Device.h"
#include "hdx/Search/TableCost.h"
#include "hdx/Search/Training.h"

#include "SearchTestUtil.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <optional>
#include <torch/cuda.h>
#include <torch/torch.h>
#include <tuple>

using namespace hdx;
using namespace hdx::search;
using namespace hdx::search::test;

namespace {

const char *kYaml = R"(
seed: 5
data:
  dataset: synthetic
  val_size: 32
  synthetic: {classes: 3, channels: 1, image_size: 8, train_images: 96, test_images: 32}
search_space:
  stem: {channels: 4}
  stages:
    - {channels: 8, stride: 2, layers: 1}
  candidates: {kernels: [3], expansions: [1, 6], skip: true}
hardware:
  pe_rows: [8, 4]   # the untouched beta's argmax is the faster array
  pe_cols: [4]
  rf_bytes: [16]
  glb_kib: [16]
  dataflow: [ws, os]
optimizer: {epochs: 2, warmup_epochs: 1, batch_size: 32}
)";

TEST(SearchDevice, ResolvesEachKind) {
  const bool cuda = torch::cuda::is_available();
  auto cpu = resolveDevice(DeviceKind::Cpu);
  ASSERT_TRUE(cpu);
  EXPECT_TRUE(cpu->is_cpu());
  auto automatic = resolveDevice(DeviceKind::Auto);
  ASSERT_TRUE(automatic);
  EXPECT_EQ(automatic->is_cuda(), cuda);
  auto forced = resolveDevice(DeviceKind::Cuda);
  EXPECT_EQ(static_cast<bool>(forced), cuda);
  if (!cuda) {
    EXPECT_NE(forced.error().find("device cuda: this LibTorch build has no "
                                  "CUDA support or sees no GPU"),
              std::string::npos)
        << forced.error();
  }
}

TEST(SearchDevice, BatchesAndModulesLiveOnTheDevice) {
  auto device = resolveDevice(DeviceKind::Auto);
  ASSERT_TRUE(device);
  torch::nn::Linear layer(4, 2);
  EXPECT_TRUE(deviceOf(*layer).is_cpu());
  layer->to(*device);
  EXPECT_EQ(deviceOf(*layer).type(), device->type());

  ImageSet set;
  set.channels = 1;
  set.height = set.width = 2;
  set.pixels = {0, 255, 51, 102, 10, 20, 30, 40};
  set.labels = {1, 0};
  Batch batch = makeBatch(set, {1, 0}, *device);
  EXPECT_EQ(batch.images.device().type(), device->type());
  EXPECT_EQ(batch.labels.device().type(), device->type());
  torch::Tensor images = batch.images.cpu();
  EXPECT_FLOAT_EQ(images[1][0][0][1].item<float>(), 1.0f);
  EXPECT_EQ(batch.labels.cpu()[0].item<int64_t>(), 0);
}

struct TablesFixture {
  SearchConfig config;
  DataSplits data;
  NetworkSpace space;
  CostTables tables;
};

TablesFixture makeFixture() {
  SearchConfig config = configOf(kYaml, "bilevel-tables-test.yaml");
  auto data = loadData(config.data, config.seed);
  EXPECT_TRUE(data) << data.error();
  NetworkSpace space =
      spaceOf(config.search_space, data->inputShape(), data->numClasses);
  return {config, *data, space, tablesOf(space, config.hardware)};
}

/// The latency of the fastest and of the slowest design of the space.
std::pair<double, double> latencyRange(const TablesFixture &f) {
  double lo = 1e9, hi = 0;
  for (int h = 0; h < f.tables.numPoints(); ++h)
    for (int k = 0; k < f.space.numCandidates(); ++k) {
      if (!f.space.layers()[0].allowed[k])
        continue;
      double latency = f.tables.measure({k}, h)[0];
      lo = std::min(lo, latency);
      hi = std::max(hi, latency);
    }
  return {lo, hi};
}

/// The slowest design of the space (pe_rows and dataflow vary): its
/// candidate, accelerator and latency.
std::tuple<int, HardwareChoice, double> slowestDesign(const TablesFixture &f) {
  int slowK = -1;
  HardwareChoice slowHw;
  double slowest = 0;
  for (int k = 0; k < f.space.numCandidates(); ++k)
    for (int r = 0; r < 2; ++r)
      for (int d = 0; d < 2; ++d) {
        HardwareChoice hw;
        hw.pe_rows = r;
        hw.dataflow = d;
        if (!f.space.layers()[0].allowed[k])
          continue;
        double latency = f.tables.measure({k}, f.tables.index(hw))[0];
        if (latency > slowest) {
          slowest = latency;
          slowK = k;
          slowHw = hw;
        }
      }
  return {slowK, slowHw, slowest};
}

// With `judge: argmax` the rule judges a limit by the exact latency of the
// design the search would derive now, not by the expectation: with the
// expectation over a uniform hardware distribution far above the limit and
// the argmax design below it, nothing is violated and the margin stays at
// delta0; with the limit below the argmax design, the step is corrected.
// With `judge: expectation` the same loose limit is violated.
TEST(SearchBilevel, JudgesConstraintsByTheChosenValue) {
  TablesFixture f = makeFixture();
  TableCost cost(f.tables);
  Batch batch = makeBatch(f.data.val, {0, 1, 2, 3, 4, 5, 6, 7});
  auto stepWithLimit = [&](double limit,
                           ConstraintJudge judge = ConstraintJudge::Argmax) {
    SearchConfig config = f.config;
    config.constraints.latency_ms = limit;
    config.method.judge = judge;
    config.method.hdx_margin = 0; // judge the limit itself
    auto search = BilevelSearch::create(config, f.space, &cost);
    EXPECT_TRUE(search) << search.error();
    Metrics argmax = f.tables.measure(
        (*search)->architecture(), f.tables.index((*search)->hardwareChoice()));
    ArchStepStats stats = (*search)->archStep(batch, /*tau=*/1.0);
    // The margin for the next step: grown after a violated step.
    double nextDelta = (*search)->constraints().deltas().at(0);
    return std::make_tuple(argmax[0], stats, nextDelta);
  };
  // Probe the untouched search: alpha = beta = 0.
  auto [argmaxLatency, probe, probeDelta] = stepWithLimit(1e9);
  ASSERT_TRUE(probe.expected.has_value());
  double expected = (*probe.expected)[0];
  ASSERT_GT(expected, argmaxLatency * 1.05)
      << "the space must put the expectation above the argmax design";

  const double delta0 = f.config.method.hdx_delta0;
  auto [a1, loose, looseDelta] =
      stepWithLimit(0.5 * (argmaxLatency + expected));
  EXPECT_DOUBLE_EQ(loose.values.at(0), argmaxLatency);
  EXPECT_FALSE(loose.violated.at(0));
  EXPECT_FALSE(loose.correctionMet.has_value()); // nothing to correct
  EXPECT_DOUBLE_EQ(looseDelta, delta0);

  auto [a2, tight, tightDelta] = stepWithLimit(0.9 * argmaxLatency);
  EXPECT_DOUBLE_EQ(tight.values.at(0), argmaxLatency);
  EXPECT_TRUE(tight.violated.at(0));
  // One constraint with a non-zero gradient: the margin can always be met.
  ASSERT_TRUE(tight.correctionMet.has_value());
  EXPECT_TRUE(*tight.correctionMet);
  EXPECT_DOUBLE_EQ(tightDelta, delta0 * f.config.method.hdx_growth);

  auto [a3, byExpectation, expectationDelta] = stepWithLimit(
      0.5 * (argmaxLatency + expected), ConstraintJudge::Expectation);
  EXPECT_DOUBLE_EQ(byExpectation.values.at(0), expected);
  EXPECT_TRUE(byExpectation.violated.at(0));
  EXPECT_DOUBLE_EQ(expectationDelta, delta0 * f.config.method.hdx_growth);
}

int argmaxOf(const std::vector<double> &row) {
  return static_cast<int>(std::max_element(row.begin(), row.end()) -
                          row.begin());
}

// The design is derived from the final alpha/beta while their argmax meets
// the limits; when a later step moves the argmax over a limit, from the last
// step whose argmax met them, so the search's own result stays feasible.
TEST(SearchBilevel, DerivesFromTheLastFeasibleArgmax) {
  TablesFixture f = makeFixture();
  TableCost cost(f.tables);
  Batch batch = makeBatch(f.data.val, {0, 1, 2, 3, 4, 5, 6, 7});

  auto [slowK, slowHw, slowest] = slowestDesign(f);

  SearchConfig config = f.config;
  auto untouched = BilevelSearch::create(config, f.space, &cost);
  ASSERT_TRUE(untouched) << untouched.error();
  std::vector<int> startArch = (*untouched)->architecture();
  HardwareChoice startHw = (*untouched)->hardwareChoice();
  double startLatency = f.tables.measure(startArch, f.tables.index(startHw))[0];
  ASSERT_LT(startLatency, slowest);
  config.constraints.latency_ms = 0.5 * (startLatency + slowest);
  // The steps judge the argmax but leave alpha and beta where the test puts
  // them (one real step on this tiny space may itself cross the limit).
  config.optimizer.arch_lr = 0.0;

  auto search = BilevelSearch::create(config, f.space, &cost);
  ASSERT_TRUE(search) << search.error();
  ArchStepStats first = (*search)->archStep(batch, /*tau=*/1.0);
  ASSERT_FALSE(first.violated.at(0)); // step 0 judged a feasible argmax
  // Still feasible: the final distributions are the source.
  SearchedDistributions now = (*search)->derivationSource();
  EXPECT_FALSE(now.archStep.has_value());
  EXPECT_EQ(argmaxOf(now.architecture.at(0)), (*search)->architecture().at(0));

  // Move the argmax onto the slowest design, over the limit.
  {
    torch::NoGradGuard noGrad;
    (*search)->supernet()->alpha()[0][slowK].add_(50.0);
    (*search)->hardware()->logits().at(0)[f.tables.index(slowHw)].add_(50.0);
  }
  ASSERT_EQ((*search)->architecture().at(0), slowK);
  SearchedDistributions source = (*search)->derivationSource();
  ASSERT_TRUE(source.archStep.has_value());
  EXPECT_EQ(*source.archStep, 0);
  EXPECT_EQ(argmaxOf(source.architecture.at(0)), startArch.at(0));
  ASSERT_EQ(source.hardware.size(), static_cast<size_t>(f.tables.numPoints()));
  EXPECT_EQ(argmaxOf(source.hardware), f.tables.index(startHw));

  // A later step judges the slow argmax infeasible and keeps the snapshot.
  ArchStepStats second = (*search)->archStep(batch, /*tau=*/1.0);
  EXPECT_TRUE(second.violated.at(0));
  ASSERT_TRUE((*search)->derivationSource().archStep.has_value());
  EXPECT_EQ(*(*search)->derivationSource().archStep, 0);
}

// Item of the search's contract: by the end of the search the relaxed
// (expected) metrics describe the design that is derived. The cost
// temperature anneals softmax(alpha / tau_c) and softmax(beta / tau_c)
// towards one-hot, so the last step's expectation must be within 25 % of
// the exact metrics of its argmax design.
TEST(SearchBilevel, RelaxedMetricsConvergeOnTheDerivedDesign) {
  TablesFixture f = makeFixture();
  SearchConfig config = f.config;
  config.optimizer.epochs = 6;
  config.optimizer.warmup_epochs = 1;
  config.optimizer.arch_optimizer = ArchOptimizerKind::Adam;
  config.optimizer.arch_lr = 0.05;
  config.objective.lambda = 1.0;
  auto [lo, hi] = latencyRange(f);
  config.constraints.latency_ms = 0.5 * (lo + hi);
  TableCost cost(f.tables);
  torch::manual_seed(config.seed);
  auto search = BilevelSearch::create(config, f.space, &cost);
  ASSERT_TRUE(search) << search.error();
  std::optional<ArchStepStats> first, last;
  for (int e = 0; e < config.optimizer.epochs; ++e) {
    auto stats = (*search)->runEpoch(f.data, e,
                                     [&](int, int, const ArchStepStats *arch) {
                                       if (arch) {
                                         if (!first)
                                           first = *arch;
                                         last = *arch;
                                       }
                                     });
    ASSERT_TRUE(stats) << stats.error();
  }
  ASSERT_TRUE(first && last);
  EXPECT_DOUBLE_EQ(first->costTau, config.optimizer.cost_tau_start);
  EXPECT_NEAR(last->costTau, config.optimizer.cost_tau_end, 1e-12);
  for (int m = 0; m < kNumMetrics; ++m) {
    double expected = (*last->expected)[m], exact = (*last->exact)[m];
    EXPECT_NEAR(expected / exact, 1.0, 0.25)
        << metricName(static_cast<Metric>(m)) << ": expected " << expected
        << ", exact " << exact;
  }
}

/// alpha and beta after a whole search of `config` on `cost` (null: no
/// hardware term at all).
std::pair<torch::Tensor, std::vector<torch::Tensor>>
searchedLogits(const TablesFixture &f, const SearchConfig &config,
               DifferentiableCost *cost) {
  torch::manual_seed(config.seed);
  auto search = BilevelSearch::create(config, f.space, cost);
  EXPECT_TRUE(search) << search.error();
  for (int e = 0; e < config.optimizer.epochs; ++e)
    EXPECT_TRUE((*search)->runEpoch(f.data, e));
  std::vector<torch::Tensor> beta;
  for (const torch::Tensor &b : (*search)->hardware()->logits())
    beta.push_back(b.detach().clone());
  return {(*search)->supernet()->alpha().detach().clone(), beta};
}

// DANCE with lambda = 0 and the first stage of NAS-then-HW search the
// network for accuracy alone: alpha follows exactly the search without any
// hardware term, and beta never moves (nas-then-hw picks the accelerator
// afterwards from the tables).
TEST(SearchBaselines, DanceWithoutLambdaAndNasThenHwFollowAccuracyAlone) {
  TablesFixture f = makeFixture();
  SearchConfig plain = f.config;
  auto [alphaPlain, betaPlain] = searchedLogits(f, plain, nullptr);
  ASSERT_GT(alphaPlain.abs().sum().item<float>(), 0.0f);

  TableCost cost(f.tables);
  auto [lo, hi] = latencyRange(f);
  for (ConstraintMethod method :
       {ConstraintMethod::Dance, ConstraintMethod::NasThenHw}) {
    SearchConfig config = f.config;
    config.method.method = method;
    config.method.dance_lambda = 0.0;
    config.objective.lambda = 1.0; // ignored by both
    config.constraints.latency_ms = lo + 0.1 * (hi - lo);
    auto [alpha, beta] = searchedLogits(f, config, &cost);
    EXPECT_TRUE(torch::equal(alpha, alphaPlain))
        << constraintMethodName(method);
    for (const torch::Tensor &b : beta)
      EXPECT_EQ(b.abs().sum().item<float>(), 0.0f)
          << constraintMethodName(method);
  }

  // With a positive lambda, DANCE moves beta towards cheaper hardware.
  SearchConfig dance = f.config;
  dance.method.method = ConstraintMethod::Dance;
  dance.method.dance_lambda = 1.0;
  auto [alphaDance, betaDance] = searchedLogits(f, dance, &cost);
  float moved = 0;
  for (const torch::Tensor &b : betaDance)
    moved += b.abs().sum().item<float>();
  EXPECT_GT(moved, 0.0f);
}

// objective.trains: hardware holds alpha out of lambda * Cost_HW: alpha
// learns exactly what it learns without any hardware term, while beta still
// moves towards cheaper hardware; with `both` the same lambda moves alpha.
TEST(SearchObjective, CostThatTrainsHardwareOnlyLeavesAlphaToTheTask) {
  TablesFixture f = makeFixture();
  auto [alphaPlain, betaPlain] = searchedLogits(f, f.config, nullptr);

  TableCost cost(f.tables);
  SearchConfig hardwareOnly = f.config;
  hardwareOnly.objective.lambda = 1.0;
  hardwareOnly.objective.trains = CostTrains::Hardware;
  auto [alpha, beta] = searchedLogits(f, hardwareOnly, &cost);
  EXPECT_TRUE(torch::equal(alpha, alphaPlain));
  float moved = 0;
  for (const torch::Tensor &b : beta)
    moved += b.abs().sum().item<float>();
  EXPECT_GT(moved, 0.0f);

  SearchConfig both = hardwareOnly;
  both.objective.trains = CostTrains::Both;
  auto [alphaBoth, betaBoth] = searchedLogits(f, both, &cost);
  EXPECT_GT((alphaBoth - alphaPlain).abs().max().item<float>(), 1e-4f);
}

// method.hdx.corrects with Adam on beta and no hardware term (lambda 0), so
// that beta's own gradient is zero and only the rule moves it. Step 1 is
// violated (the limit just under the untouched argmax design), step 2 is
// not (the correction moved the argmax to faster hardware), and hold is 0.
// With `step` the correction stays out of Adam's state: at step 2 beta's
// step is Adam's on a zero gradient, so beta stays where step 1 put it.
// With `gradient` Adam's momentum still holds step 1's correction, and
// beta keeps moving at step 2 though no limit is violated.
TEST(SearchHdxRule, CorrectingTheStepKeepsTheCorrectionOutOfAdamsMomentum) {
  TablesFixture f = makeFixture();
  TableCost cost(f.tables);
  Batch batch = makeBatch(f.data.val, {0, 1, 2, 3, 4, 5, 6, 7});
  auto betaMoves = [&](HdxCorrects corrects) {
    SearchConfig config = f.config;
    config.objective.lambda = 0;
    config.optimizer.hw_optimizer = ArchOptimizerKind::Adam;
    config.optimizer.hw_lr = 0.05;
    config.method.hdx_hold = 0;
    config.method.hdx_margin = 0;
    config.method.hdx_corrects = corrects;
    auto probe = BilevelSearch::create(config, f.space, &cost);
    EXPECT_TRUE(probe) << probe.error();
    double untouched =
        f.tables.measure((*probe)->architecture(),
                         f.tables.index((*probe)->hardwareChoice()))[0];
    config.constraints.latency_ms = 0.999 * untouched;
    torch::manual_seed(config.seed);
    auto search = BilevelSearch::create(config, f.space, &cost);
    EXPECT_TRUE(search) << search.error();
    ArchStepStats first = (*search)->archStep(batch, /*tau=*/1.0);
    EXPECT_TRUE(first.violated.at(0));
    torch::Tensor afterFirst =
        torch::cat((*search)->hardware()->logits()).clone();
    EXPECT_GT(afterFirst.abs().max().item<float>(), 0.0f);
    ArchStepStats second = (*search)->archStep(batch, /*tau=*/1.0);
    EXPECT_FALSE(second.violated.at(0))
        << "the correction must have met the limit";
    torch::Tensor afterSecond = torch::cat((*search)->hardware()->logits());
    return (afterSecond - afterFirst).abs().max().item<float>();
  };
  EXPECT_EQ(betaMoves(HdxCorrects::Step), 0.0f);
  EXPECT_GT(betaMoves(HdxCorrects::Gradient), 1e-3f);
}

// `corrects: step` lowers the expected ratio by only lr * delta per
// violated step. The search starts on the slowest design (its logits raised
// by 3) with a limit just above the fastest one, and a margin schedule far
// too small for that distance (delta0 = 0.001, no growth): it ends over the
// limit (measured: on the slowest design, 5.5 times the limit). The deadline's
// floor asks each violated step for its share of the gap instead, and the
// search's own final design meets the limit, measured exactly on the tables.
TEST(SearchHdxRule, TheDeadlineClosesAGapTheScheduleCannot) {
  TablesFixture f = makeFixture();
  TableCost cost(f.tables);
  auto [lo, hi] = latencyRange(f);
  auto [slowK, slowHw, slowest] = slowestDesign(f);
  const double limit = lo + 0.05 * (hi - lo);
  auto finalRatio = [&](double deadline) {
    SearchConfig config = f.config;
    config.optimizer.epochs = 6;
    config.optimizer.warmup_epochs = 1;
    config.optimizer.arch_optimizer = ArchOptimizerKind::Adam;
    config.optimizer.hw_optimizer = ArchOptimizerKind::Adam;
    config.optimizer.arch_lr = 0.05;
    config.optimizer.hw_lr = 0.05;
    config.objective.lambda = 0;
    config.method.hdx_corrects = HdxCorrects::Step;
    config.method.hdx_delta0 = 0.001;
    config.method.hdx_growth = 1.0;
    config.method.hdx_deadline = deadline;
    config.constraints.latency_ms = limit;
    torch::manual_seed(config.seed);
    auto search = BilevelSearch::create(config, f.space, &cost);
    EXPECT_TRUE(search) << search.error();
    {
      torch::NoGradGuard noGrad;
      (*search)->supernet()->alpha()[0][slowK].add_(3.0);
      (*search)->hardware()->logits().at(0)[f.tables.index(slowHw)].add_(3.0);
    }
    for (int e = 0; e < config.optimizer.epochs; ++e)
      EXPECT_TRUE((*search)->runEpoch(f.data, e));
    return f.tables.measure((*search)->architecture(),
                            f.tables.index((*search)->hardwareChoice()))[0] /
           limit;
  };
  EXPECT_GT(slowest / limit, 3.0);
  EXPECT_GT(finalRatio(0.0), 1.0);
  EXPECT_LE(finalRatio(0.75), 1.0);
}

TEST(SearchDevice, ConstrainedEpochRunsOnTheResolvedDevice) {
  TablesFixture f = makeFixture();
  SearchConfig *config = &f.config;
  auto device = resolveDevice(DeviceKind::Auto);
  ASSERT_TRUE(device);
  auto [lo, hi] = latencyRange(f);
  ASSERT_LT(lo, hi);
  config->constraints.latency_ms = 0.5 * (lo + hi);

  TableCost cost(f.tables, *device);
  auto search = BilevelSearch::create(*config, f.space, &cost, *device);
  ASSERT_TRUE(search) << search.error();
  EXPECT_EQ(deviceOf(*(*search)->supernet()).type(), device->type());
  for (int e = 0; e < config->optimizer.epochs; ++e) {
    auto stats = (*search)->runEpoch(f.data, e);
    ASSERT_TRUE(stats) << stats.error();
    if (e > 0) {
      ASSERT_TRUE(stats->lastArchStep.has_value());
      EXPECT_EQ(stats->lastArchStep->values.size(), 1u);
    }
  }
  EXPECT_EQ((*search)->supernet()->alpha().device().type(), device->type());
  EXPECT_GT((*search)->supernet()->alpha().abs().sum().item<float>(), 0.0f);
}

} // namespace
