//===- EvaluatorCost.cpp - a learned hardware cost (DANCE-style) ----------===//
#include "hdx/Search/EvaluatorCost.h"

#include "hdx/Support/Random.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>

namespace hdx::search {

struct EvaluatorCost::Model {
  torch::nn::Sequential mlp{nullptr};
  torch::Tensor mean, stddev; // of the log-metrics, per output
};

EvaluatorCost::EvaluatorCost(const CostTables &tables)
    : tables_(&tables), model_(std::make_unique<Model>()) {}
EvaluatorCost::~EvaluatorCost() = default;

namespace {

/// One design as the evaluator's input: one-hot architecture rows and
/// one-hot hardware dimensions, concatenated.
struct Sample {
  torch::Tensor input;
  Metrics exact;
};

torch::Tensor encode(const at::Tensor &archProbs,
                     const std::vector<at::Tensor> &hwMarginals) {
  std::vector<torch::Tensor> parts{archProbs.reshape({-1})};
  for (const at::Tensor &p : hwMarginals)
    parts.push_back(p.reshape({-1}));
  return torch::cat(parts).to(torch::kFloat32);
}

} // namespace

Expected<std::unique_ptr<EvaluatorCost>>
EvaluatorCost::train(const CostTables &tables, const NetworkSpace &space,
                     int samples, int epochs, uint64_t seed,
                     c10::Device device) {
  if (samples < 10 || epochs < 1)
    return Error{"cost_proxy: the evaluator needs at least 10 samples and 1 "
                 "epoch"};
  auto start = std::chrono::steady_clock::now();
  torch::manual_seed(seed);
  Rng rng(seed);
  int layers = space.numLayers(), candidates = space.numCandidates();
  std::vector<int> dimSizes;
  for (int d = 0; d < kNumHardwareDims; ++d)
    dimSizes.push_back(tables.dimSize(static_cast<HardwareDim>(d)));

  // Uniformly sampled designs, labelled exactly.
  std::vector<Sample> data;
  for (int i = 0; i < samples; ++i) {
    std::vector<int> arch(layers);
    torch::Tensor archProbs = torch::zeros({layers, candidates});
    for (int l = 0; l < layers; ++l) {
      std::vector<int> allowed;
      for (int k = 0; k < candidates; ++k)
        if (tables.allowed(l, k))
          allowed.push_back(k);
      arch[l] = allowed[rng.below(allowed.size())];
      archProbs[l][arch[l]] = 1.0f;
    }
    int h = static_cast<int>(rng.below(tables.numPoints()));
    HardwareChoice choice = tables.point(h);
    std::vector<at::Tensor> hwProbs;
    for (int d = 0; d < kNumHardwareDims; ++d) {
      torch::Tensor p = torch::zeros({dimSizes[d]});
      p[choice.index(static_cast<HardwareDim>(d))] = 1.0f;
      hwProbs.push_back(p);
    }
    data.push_back({encode(archProbs, hwProbs), tables.measure(arch, h)});
  }
  int trainCount = samples * 4 / 5;
  auto stack = [&](int from, int to) {
    std::vector<torch::Tensor> inputs;
    std::vector<float> targets;
    for (int i = from; i < to; ++i) {
      inputs.push_back(data[i].input);
      for (double v : data[i].exact)
        targets.push_back(static_cast<float>(std::log(v)));
    }
    return std::make_pair(torch::stack(inputs),
                          torch::tensor(targets).reshape({to - from, kNumMetrics}));
  };
  // Samples are encoded on the CPU and trained on where the search runs.
  auto [trainX, trainY] = stack(0, trainCount);
  auto [testX, testY] = stack(trainCount, samples);
  trainX = trainX.to(device);
  trainY = trainY.to(device);
  testX = testX.to(device);
  testY = testY.to(device);

  auto evaluator = std::unique_ptr<EvaluatorCost>(new EvaluatorCost(tables));
  Model &m = *evaluator->model_;
  m.mean = trainY.mean(0);
  m.stddev = trainY.std(0).clamp_min(1e-6);
  int inputs = static_cast<int>(trainX.size(1));
  m.mlp = torch::nn::Sequential(torch::nn::Linear(inputs, 256),
                                torch::nn::ReLU(), torch::nn::Linear(256, 256),
                                torch::nn::ReLU(),
                                torch::nn::Linear(256, kNumMetrics));
  m.mlp->to(device);
  torch::optim::Adam optimizer(m.mlp->parameters(),
                               torch::optim::AdamOptions(1e-3));
  torch::Tensor target = (trainY - m.mean) / m.stddev;
  const int batch = 128;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    torch::Tensor order = torch::randperm(trainCount);
    for (int b = 0; b < trainCount; b += batch) {
      torch::Tensor idx =
          order.slice(0, b, std::min(b + batch, trainCount)).to(device);
      optimizer.zero_grad();
      torch::Tensor loss = torch::mse_loss(m.mlp->forward(trainX.index({idx})),
                                           target.index({idx}));
      loss.backward();
      optimizer.step();
    }
  }

  // Held-out accuracy on the metrics themselves, not their logs.
  torch::NoGradGuard noGrad;
  torch::Tensor predicted =
      torch::exp(m.mlp->forward(testX) * m.stddev + m.mean);
  torch::Tensor exact = torch::exp(testY);
  torch::Tensor error = ((predicted - exact).abs() / exact).mean(0);
  EvaluatorAccuracy &acc = evaluator->accuracy_;
  acc.train_samples = trainCount;
  acc.test_samples = samples - trainCount;
  for (int k = 0; k < kNumMetrics; ++k) {
    acc.mean_relative_error[k] = error[k].item<double>();
    acc.accuracy[k] = 1.0 - acc.mean_relative_error[k];
  }
  acc.train_seconds = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  return evaluator;
}

ExpectedCost EvaluatorCost::expected(const at::Tensor &archProbs,
                                     const at::Tensor &hwProbs) {
  Model &m = *model_;
  std::vector<at::Tensor> marginals =
      hardwareMarginals(hwProbs, tables_->hardware());
  torch::Tensor out =
      torch::exp(m.mlp->forward(encode(archProbs, marginals).unsqueeze(0))[0] *
                     m.stddev +
                 m.mean);
  ExpectedCost cost;
  cost.latency_ms = out[0];
  cost.energy_mj = out[1];
  cost.area_mm2 = out[2];
  return cost;
}

} // namespace hdx::search
