//===- SupernetTest.cpp - Supernet, derived network, bilevel search -------===//
//
// The bilevel tests use `StandInCost`, a DifferentiableCost with a known,
// simple form (MAC-weighted latency and energy, PE-count area). It is a test
// double for the interface, not a hardware model.
//
//===----------------------------------------------------------------------===//

#include "hdx/Search/Supernet.h"
#include "hdx/Search/BilevelSearch.h"
#include "hdx/Search/DerivedNet.h"
#include "hdx/Search/Training.h"

#include "SearchTestUtil.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace hdx;
using namespace hdx::search;
using namespace hdx::search::test;

namespace {

const std::string kTinyYaml = std::string(R"(
seed: 3
data:
  dataset: synthetic
  val_size: 64
  synthetic: {classes: 3, channels: 1, image_size: 8, train_images: 192, test_images: 64}
hardware:
  pe_rows: [4, 8, 16]
  pe_cols: [4, 8]
  rf_bytes: [16]
  glb_kib: [32, 64]
  dataflow: [ws, os]
optimizer: {epochs: 2, warmup_epochs: 1, batch_size: 32, arch_lr: 0.5}
)") + kTinySearchSpaceYaml;

SearchConfig tinyConfig() { return configOf(kTinyYaml, "tiny-test.yaml"); }

NetworkSpace tinySpace(const SearchConfig &config) {
  return spaceOf(config.search_space);
}

/// Test double: latency and energy grow with the expected MACs, latency
/// shrinks with the expected number of PE rows, area grows with it.
class StandInCost : public DifferentiableCost {
public:
  StandInCost(const NetworkSpace &space, const HardwareSpaceConfig &hw) {
    macs_ = torch::zeros({space.numLayers(), space.numCandidates()});
    for (int l = 0; l < space.numLayers(); ++l)
      for (int k = 0; k < space.numCandidates(); ++k)
        for (const ConvShape &c : space.candidateConvs(l, k))
          macs_[l][k] += static_cast<double>(c.macs()) * 1e-3;
    for (const ConvShape &c : space.fixedConvs())
      fixedMacs_ += static_cast<double>(c.macs()) * 1e-3;
    rows_ =
        torch::tensor(std::vector<float>(hw.pe_rows.begin(), hw.pe_rows.end()));
    hw_ = hw;
  }

  ExpectedCost expected(const torch::Tensor &arch,
                        const torch::Tensor &hw) override {
    torch::Tensor macs = (arch * macs_).sum() + fixedMacs_;
    torch::Tensor rowProbs =
        hardwareMarginals(hw, hw_)[static_cast<int>(HardwareDim::PeRows)];
    torch::Tensor rows = (rowProbs * rows_).sum();
    return {macs / rows, 0.01 * macs, 0.1 * rows};
  }
  std::string name() const override { return "stand-in"; }

  /// Latency with every layer at its cheapest allowed candidate and the most
  /// PE rows, and at the uniform initial distributions.
  std::pair<double, double> latencyRange(const NetworkSpace &space) const {
    torch::Tensor masked = macs_.masked_fill(
        torch::tensor(flatAllowed(space)).view_as(macs_).logical_not(), 1e9);
    double best =
        (std::get<0>(masked.min(1)).sum().item<double>() + fixedMacs_) /
        rows_.max().item<double>();
    torch::Tensor allowed =
        torch::tensor(flatAllowed(space)).view_as(macs_).to(torch::kFloat);
    torch::Tensor uniform = allowed / allowed.sum(1, true);
    double start = ((uniform * macs_).sum().item<double>() + fixedMacs_) /
                   rows_.mean().item<double>();
    return {best, start};
  }

private:
  static std::vector<uint8_t> flatAllowed(const NetworkSpace &space) {
    std::vector<uint8_t> flags;
    for (const SearchableLayer &l : space.layers())
      for (bool a : l.allowed)
        flags.push_back(a);
    return flags;
  }

  torch::Tensor macs_;
  double fixedMacs_ = 0;
  torch::Tensor rows_;
  HardwareSpaceConfig hw_;
};

Batch randomBatch(int n) {
  return {torch::rand({n, 1, 8, 8}), torch::randint(0, 3, {n}, torch::kLong)};
}

TEST(SearchSupernet, ShapesMasksAndSamples) {
  torch::manual_seed(0);
  SearchConfig config = tinyConfig();
  NetworkSpace space = tinySpace(config);
  Supernet net(space);
  // Candidates: k3e1 k3e3 k5e1 k5e3 skip; skip only where shapes agree.
  ASSERT_EQ(net->alpha().sizes(), (std::vector<int64_t>{3, 5}));
  EXPECT_FALSE(net->allowed()[0][4].item<bool>());
  EXPECT_TRUE(net->allowed()[1][4].item<bool>());
  EXPECT_TRUE(net->allowed()[2][4].item<bool>());

  torch::Tensor p = net->probabilities();
  EXPECT_TRUE(torch::allclose(p.sum(1), torch::ones({3})));
  EXPECT_EQ(p[0][4].item<float>(), 0.0f);
  EXPECT_NEAR(p[1][4].item<float>(), 0.2f, 1e-6);

  for (int i = 0; i < 50; ++i) {
    torch::Tensor w = net->sample(Relaxation::Gumbel, 1.0);
    EXPECT_TRUE(torch::allclose(w.sum(1), torch::ones({3})));
    EXPECT_EQ(w.eq(1).sum().item<int64_t>(), 3); // one-hot rows
    EXPECT_EQ(w[0][4].item<float>(), 0.0f);
  }
  Batch b = randomBatch(4);
  EXPECT_EQ(net->forward(b.images, p, false).sizes(),
            (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(net->forward(b.images, net->sample(Relaxation::Gumbel, 1.0), true)
                .sizes(),
            (std::vector<int64_t>{4, 3}));
  // alpha is not a weight.
  EXPECT_EQ(net->weightParameters().size() + 1, net->parameters().size());
}

TEST(SearchSupernet, SinglePathEqualsMixtureOfOneHotWeights) {
  torch::manual_seed(1);
  SearchConfig config = tinyConfig();
  Supernet net(tinySpace(config));
  net->eval();
  torch::Tensor w = torch::zeros({3, 5});
  w[0][3] = 1;
  w[1][4] = 1; // skip
  w[2][0] = 1;
  Batch b = randomBatch(2);
  torch::NoGradGuard noGrad;
  EXPECT_TRUE(torch::allclose(net->forward(b.images, w, true),
                              net->forward(b.images, w, false), 1e-5, 1e-6));
}

TEST(SearchSupernet, StraightThroughGradientReachesEveryAllowedLogit) {
  torch::manual_seed(2);
  SearchConfig config = tinyConfig();
  Supernet net(tinySpace(config));
  Batch b = randomBatch(8);
  torch::Tensor w = net->sample(Relaxation::Gumbel, 1.0);
  torch::Tensor loss = torch::nn::functional::cross_entropy(
      net->forward(b.images, w, true), b.labels);
  loss.backward();
  torch::Tensor g = net->alpha().grad();
  ASSERT_TRUE(g.defined());
  for (int l = 0; l < 3; ++l)
    for (int k = 0; k < 5; ++k) {
      bool allowed = net->allowed()[l][k].item<bool>();
      EXPECT_EQ(g[l][k].item<float>() != 0.0f, allowed) << l << "," << k;
    }
}

TEST(SearchDerivedNet, BuildsTheChosenBlocks) {
  torch::manual_seed(3);
  SearchConfig config = tinyConfig();
  NetworkSpace space = tinySpace(config);
  auto net = makeDerivedNet(space, {1, 4, 2});
  ASSERT_TRUE(net) << net.error();
  ASSERT_EQ((*net)->layers.size(), 3u);
  EXPECT_TRUE((*net)->layers[0]);
  EXPECT_FALSE((*net)->layers[1]);         // skip
  EXPECT_FALSE((*net)->layers[2]->expand); // expansion 1
  EXPECT_TRUE((*net)->layers[2]->residual);
  EXPECT_EQ((*net)->forward(torch::rand({2, 1, 8, 8})).sizes(),
            (std::vector<int64_t>{2, 3}));

  // Conv weights + BN (2 per channel): stem 4*9; layer0 (k3 e3, 4->12->8):
  // 4*12 + 12*9 + 12*8; layer2 (k5 e1, 8->8): 8*25 + 8*8; head 8*16;
  // classifier 16*3 + 3.
  int64_t expected = 4 * 9 + 2 * 4 + (48 + 24) + (108 + 24) + (96 + 16) +
                     (200 + 16) + (64 + 16) + (128 + 32) + 51;
  int64_t count = 0;
  for (const auto &p : (*net)->parameters())
    count += p.numel();
  EXPECT_EQ(count, expected);

  auto bad = makeDerivedNet(space, {4, 0, 0});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("stage0.layer0: candidate skip"),
            std::string::npos);
}

TEST(SearchBilevel, ConstraintsNeedACostModel) {
  SearchConfig config = tinyConfig();
  config.constraints.latency_ms = 1.0;
  auto search = BilevelSearch::create(config, tinySpace(config), nullptr);
  ASSERT_FALSE(search);
  EXPECT_NE(search.error().find("latency_ms"), std::string::npos);
}

/// Expected latency after `steps` alpha/beta steps under `method`, with the
/// latency limit at 30% of the way from the best reachable value to the
/// initial one.
struct LatencyRun {
  double limit = 0, initial = 0, final = 0;
  bool everViolatedAtEnd = true;
};

LatencyRun latencyRun(ConstraintMethod method, double softLambda, int steps) {
  torch::manual_seed(4);
  SearchConfig config = tinyConfig();
  NetworkSpace space = tinySpace(config);
  StandInCost cost(space, config.hardware);
  auto [best, start] = cost.latencyRange(space);
  LatencyRun run;
  run.limit = best + 0.3 * (start - best);
  config.constraints.latency_ms = run.limit;
  config.method.method = method;
  config.method.soft_lambda = softLambda;
  auto search = BilevelSearch::create(config, space, &cost);
  EXPECT_TRUE(search) << search.error();
  Batch b = randomBatch(16);
  for (int i = 0; i < steps; ++i) {
    ArchStepStats s = (*search)->archStep(b, 1.0);
    if (i == 0)
      run.initial = s.values.at(0);
    run.final = s.values.at(0);
    run.everViolatedAtEnd = s.violated.at(0);
  }
  return run;
}

TEST(SearchBilevel, HdxDrivesTheExpectedLatencyBelowItsLimit) {
  LatencyRun plain = latencyRun(ConstraintMethod::Soft, 0.0, 40);
  EXPECT_GT(plain.initial, plain.limit);
  EXPECT_GT(plain.final, plain.limit); // the task loss alone does not care

  LatencyRun hdx = latencyRun(ConstraintMethod::Hdx, 0.0, 40);
  EXPECT_NEAR(hdx.initial, plain.initial, 1e-6);
  EXPECT_LT(hdx.final, hdx.limit);
  EXPECT_FALSE(hdx.everViolatedAtEnd);
}

TEST(SearchBilevel, RunsEpochsDeterministically) {
  auto runOnce = [](ConstraintMethod method) {
    SearchConfig config = tinyConfig();
    torch::manual_seed(config.seed);
    auto data = loadData(config.data, config.seed);
    EXPECT_TRUE(data) << data.error();
    NetworkSpace space = tinySpace(config);
    StandInCost cost(space, config.hardware);
    config.constraints.latency_ms = cost.latencyRange(space).second * 0.8;
    config.constraints.area_mm2 = 1.0;
    config.objective.lambda = 0.01;
    config.method.method = method;
    auto search = BilevelSearch::create(config, space, &cost);
    EXPECT_TRUE(search) << search.error();
    std::vector<SearchEpochStats> epochs;
    int steps = 0;
    for (int e = 0; e < config.optimizer.epochs; ++e) {
      auto stats = (*search)->runEpoch(
          *data, e, [&](int, int, const ArchStepStats *) { ++steps; });
      EXPECT_TRUE(stats) << stats.error();
      epochs.push_back(*stats);
    }
    EXPECT_EQ(steps, 2 * 4);           // 128 training images in batches of 32
    EXPECT_EQ(epochs[0].archSteps, 0); // warm-up
    EXPECT_EQ(epochs[1].archSteps, 4);
    EXPECT_TRUE(epochs[1].lastArchStep.has_value());
    EXPECT_EQ(epochs[1].lastArchStep->values.size(), 2u);
    EXPECT_TRUE(epochs[1].lastArchStep->expected.has_value());
    EXPECT_GT(epochs[1].val.accuracy, 0.0);
    EXPECT_LT(epochs[1].tau, epochs[0].tau);
    return (*search)->supernet()->alpha().clone();
  };
  for (ConstraintMethod m : {ConstraintMethod::Hdx, ConstraintMethod::Adaptive,
                             ConstraintMethod::TfNas}) {
    torch::Tensor a = runOnce(m), b = runOnce(m);
    EXPECT_TRUE(torch::equal(a, b)) << constraintMethodName(m);
    EXPECT_GT(a.abs().sum().item<float>(), 0) << constraintMethodName(m);
  }
}

TEST(SearchTraining, DerivedNetLearnsSyntheticData) {
  SearchConfig config = tinyConfig();
  config.data.synthetic.classes = 4;
  config.data.synthetic.image_size = 12;
  config.data.synthetic.train_images = 640;
  config.data.synthetic.test_images = 200;
  config.data.val_size = 128;
  torch::manual_seed(5);
  auto data = loadData(config.data, 5);
  ASSERT_TRUE(data) << data.error();
  auto space = NetworkSpace::build(config.search_space, data->inputShape(), 4);
  ASSERT_TRUE(space);
  auto net = makeDerivedNet(*space, {1, 1, 1});
  ASSERT_TRUE(net);
  DerivedTrainingConfig training;
  training.epochs = 4;
  training.batch_size = 32;
  training.lr = 0.1;
  int reported = 0;
  auto reports = trainDerived(*net, *data, training, config.optimizer, 5,
                              [&](const EpochReport &) { ++reported; });
  ASSERT_TRUE(reports) << reports.error();
  EXPECT_EQ(reported, 4);
  EXPECT_LT(reports->back().train.loss, reports->front().train.loss);
  auto test = evaluate(*net, data->test);
  ASSERT_TRUE(test) << test.error();
  EXPECT_GT(test->accuracy, 0.6) << "chance is 0.25";
}

} // namespace
