//===- BilevelSearch.cpp - Alternating weight and alpha/beta steps --------===//

#include "hdx/Search/BilevelSearch.h"
#include "hdx/Search/ConstraintRule.h"
#include "hdx/Search/Device.h"
#include "hdx/Search/Relaxation.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/autograd.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

using namespace hdx;
using namespace hdx::search;

namespace {

/// Training batches that re-estimate batch-norm statistics before the
/// held-out evaluation of the derived path.
constexpr int kRecalibrationBatches = 20;

/// d output / d inputs, flattened and concatenated; zeros for inputs the
/// output does not depend on.
torch::Tensor flatGradient(const torch::Tensor &output,
                           const std::vector<torch::Tensor> &inputs) {
  std::vector<torch::Tensor> grads =
      torch::autograd::grad({output}, inputs, /*grad_outputs=*/{},
                            /*retain_graph=*/true, /*create_graph=*/false,
                            /*allow_unused=*/true);
  std::vector<torch::Tensor> flat;
  for (size_t i = 0; i < grads.size(); ++i)
    flat.push_back(grads[i].defined() ? grads[i].reshape(-1)
                                      : torch::zeros({inputs[i].numel()},
                                                     inputs[i].options()));
  return torch::cat(flat);
}

/// Rows of a [rows, n] tensor as doubles on the CPU.
std::vector<std::vector<double>> probabilityRows(const torch::Tensor &t) {
  torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat64).contiguous();
  std::vector<std::vector<double>> rows;
  for (int64_t r = 0; r < c.size(0); ++r) {
    const double *row = c[r].data_ptr<double>();
    rows.emplace_back(row, row + c.size(1));
  }
  return rows;
}

int64_t correctCount(const torch::Tensor &logits, const torch::Tensor &labels) {
  return logits.argmax(1).eq(labels).sum().item<int64_t>();
}

/// Recomputes every batch-norm statistic of `net` for the path `weights`
/// from `batches` training batches. Supernet layers see inputs from every
/// sampled path, so their running statistics do not fit any single path;
/// evaluating a path without this (as one-shot NAS learned) can fall to
/// chance accuracy.
void recalibrateBatchNorm(Supernet &net, const torch::Tensor &weights,
                          const ImageSet &train, int batchSize, int batches,
                          Rng &rng) {
  // Every rank of a data-parallel search recalibrates on the same whole
  // batches: local statistics are already the global ones.
  ActiveBatchNormGroup local(nullptr);
  std::vector<std::pair<torch::nn::BatchNorm2dImpl *, c10::optional<double>>>
      norms;
  for (const auto &m : net->modules(/*include_self=*/false))
    if (auto *bn = m->as<torch::nn::BatchNorm2dImpl>()) {
      norms.emplace_back(bn, bn->options.momentum());
      bn->reset_running_stats();
      bn->options.momentum(c10::nullopt); // cumulative average
    }
  torch::NoGradGuard noGrad;
  const bool wasTraining = net->is_training();
  const torch::Device device = deviceOf(*net);
  net->train();
  auto order = batchOrder(train.size(), batchSize, &rng);
  for (int i = 0; i < batches && i < static_cast<int>(order.size()); ++i)
    net->forward(makeBatch(train, order[i], device).images, weights,
                 /*singlePath=*/true);
  for (auto &[bn, momentum] : norms)
    bn->options.momentum(momentum);
  net->train(wasTraining);
}

std::unique_ptr<torch::optim::Optimizer>
makeArchOptimizer(ArchOptimizerKind kind, std::vector<torch::Tensor> params,
                  double lr) {
  if (kind == ArchOptimizerKind::Sgd)
    return std::make_unique<torch::optim::SGD>(std::move(params),
                                               torch::optim::SGDOptions(lr));
  return std::make_unique<torch::optim::Adam>(std::move(params),
                                              torch::optim::AdamOptions(lr));
}

/// The hardware term of the loss: Cost_HW made dimensionless.
torch::Tensor normalizedCost(CostNormalization normalization,
                             const torch::Tensor &cost, double reference) {
  switch (normalization) {
  case CostNormalization::Log:
    return torch::log(cost / reference);
  case CostNormalization::Reference:
    return cost / reference;
  case CostNormalization::None:
    break;
  }
  return cost;
}

} // namespace

Expected<std::unique_ptr<BilevelSearch>>
BilevelSearch::create(const SearchConfig &config, const NetworkSpace &space,
                      DifferentiableCost *cost, torch::Device device,
                      ProcessGroup *group) {
  std::vector<Metric> metrics = config.constraints.constrained();
  std::vector<double> limits;
  for (Metric m : metrics)
    limits.push_back(*config.constraints.limit(m));
  if (!cost && !metrics.empty())
    return Error{"constraints on " + std::string(metricName(metrics[0])) +
                 " need a hardware cost model"};
  if (!cost && config.objective.lambda > 0)
    return Error{"objective.lambda > 0 needs a hardware cost model"};
  if (!cost && config.method.method == ConstraintMethod::Dance)
    return Error{"method dance needs a hardware cost model"};
  try {
    return std::unique_ptr<BilevelSearch>(
        new BilevelSearch(config, space, cost, metrics, limits, device, group));
  } catch (const std::exception &e) {
    return Error{std::string("cannot build the supernet: ") + e.what()};
  }
}

BilevelSearch::BilevelSearch(const SearchConfig &config,
                             const NetworkSpace &space,
                             DifferentiableCost *cost,
                             std::vector<Metric> metrics,
                             std::vector<double> limits, torch::Device device,
                             ProcessGroup *group)
    : config_(config), supernet_(space), hardware_(config.hardware),
      cost_(cost), metrics_(std::move(metrics)),
      handler_(config.method, std::move(limits),
               cost && cost->resolvesHardwarePoints()),
      rng_(config.seed ^ 0xb11e7e1ULL), device_(device), group_(group) {
  // Before the optimizers take the parameters.
  supernet_->to(device);
  hardware_->to(device);
  const OptimizerConfig &opt = config.optimizer;
  weightOptimizer_ = std::make_unique<torch::optim::SGD>(
      supernet_->weightParameters(),
      torch::optim::SGDOptions(opt.weight_lr)
          .momentum(opt.weight_momentum)
          .weight_decay(opt.weight_decay)
          .nesterov(opt.weight_momentum > 0));
  archOptimizer_ = makeArchOptimizer(opt.arch_optimizer,
                                     {supernet_->alpha()}, opt.arch_lr);
  hwOptimizer_ = makeArchOptimizer(opt.hw_optimizer, hardware_->logits(),
                                   opt.hw_lr);
  if (cost_) {
    torch::NoGradGuard noGrad;
    costReference_ =
        hardwareObjective(config.objective,
                          cost_->expected(supernet_->probabilities(),
                                          hardware_->probabilities()))
            .item<double>();
    const bool normalises =
        config.objective.normalize != CostNormalization::None &&
        handler_.costWeight(config.objective.lambda) > 0;
    if (normalises && (!(costReference_ > 0) || !std::isfinite(costReference_)))
      throw std::runtime_error("the hardware objective of the untrained "
                               "search is not a positive number (" +
                               std::to_string(costReference_) +
                               "): it cannot normalise Cost_HW");
  }
}

std::vector<torch::Tensor> BilevelSearch::archParameters() const {
  std::vector<torch::Tensor> params{supernet_->alpha()};
  for (const torch::Tensor &b : hardware_->logits())
    params.push_back(b);
  return params;
}

Accuracy BilevelSearch::globalAccuracy(const torch::Tensor &loss,
                                       const torch::Tensor &logits,
                                       const torch::Tensor &labels,
                                       int64_t globalBatch) {
  std::vector<double> sums{loss.item<double>() * globalBatch,
                           static_cast<double>(correctCount(logits, labels))};
  group_->allReduceSum(sums, "sum the batch loss");
  return {sums[0] / globalBatch, sums[1] / globalBatch};
}

Accuracy BilevelSearch::weightStep(const Batch &batch, double lr, double tau,
                                   int64_t globalBatch) {
  const Relaxation relax = config_.optimizer.relaxation;
  for (auto &group : weightOptimizer_->param_groups())
    group.options().set_lr(lr);
  torch::Tensor weights;
  {
    torch::NoGradGuard noGrad; // alpha does not learn from the train split
    weights = relax == Relaxation::Gumbel ? supernet_->sample(relax, tau)
                                          : supernet_->probabilities();
  }
  torch::Tensor logits = supernet_->forward(batch.images, weights,
                                            relax == Relaxation::Gumbel);
  if (dataParallel()) {
    torch::Tensor loss = shardLoss(logits, batch.labels, globalBatch);
    backwardAndSumGradients(*group_, loss, supernet_->weightParameters(),
                            "sum the weight gradients");
    weightOptimizer_->step();
    return globalAccuracy(loss, logits, batch.labels, globalBatch);
  }
  torch::Tensor loss = torch::nn::functional::cross_entropy(logits, batch.labels);
  weightOptimizer_->zero_grad();
  loss.backward();
  weightOptimizer_->step();
  return {loss.item<double>(), static_cast<double>(correctCount(logits, batch.labels)) /
                                   batch.labels.size(0)};
}

ArchStepStats BilevelSearch::archStep(const Batch &batch, double tau,
                                      double costTau, int64_t globalBatch) {
  const Relaxation relax = config_.optimizer.relaxation;
  ArchStepStats stats;
  stats.costTau = costTau;
  std::vector<torch::Tensor> params = archParameters();
  const OptimizerConfig &opt = config_.optimizer;
  const bool sgdOnly = opt.arch_optimizer == ArchOptimizerKind::Sgd &&
                       opt.hw_optimizer == ArchOptimizerKind::Sgd;
  // `corrects: step` keeps the correction out of the optimizers' state
  // (momentum, second moments): they see the objective's own gradient and
  // only the step they take is corrected below.
  const bool correctStepOnly =
      !sgdOnly && config_.method.hdx_corrects == HdxCorrects::Step;
  // `hdx.max_correction_logits`: the corrections below are bounded, and then
  // computed in double (an unbounded one can pass float's range, and
  // bounding an infinity gives NaN).
  const double maxLogits = config_.method.hdx_max_correction_logits;
  auto working = [&](const torch::Tensor &t) {
    return maxLogits > 0 ? t.to(torch::kDouble) : t;
  };
  // Each parameter's learning rate: alpha first, then beta (archParameters).
  std::vector<double> rates(params.size(), opt.hw_lr);
  rates[0] = opt.arch_lr;
  // With a bound, the same per logit in the flat order, built once a step.
  torch::Tensor logitRates;
  if (maxLogits > 0) {
    std::vector<torch::Tensor> perLogit;
    for (size_t i = 0; i < params.size(); ++i)
      perLogit.push_back(torch::full(
          {params[i].numel()}, rates[i],
          torch::TensorOptions(torch::kDouble).device(params[i].device())));
    logitRates = torch::cat(perLogit);
  }
  // Whether the bound scaled a correction down this step: the scaled one no
  // longer meets the margins, and the log says so (correction_met 0).
  bool scaledDown = false;
  auto bound = [&](const torch::Tensor &correction) {
    if (maxLogits <= 0)
      return correction;
    torch::Tensor bounded =
        boundCorrection(correction, logitRates, maxLogits);
    scaledDown = scaledDown || !bounded.is_same(correction);
    return bounded;
  };

  torch::Tensor weights = supernet_->sample(relax, tau);
  torch::Tensor logits = supernet_->forward(batch.images, weights,
                                            relax == Relaxation::Gumbel);
  torch::Tensor objective =
      dataParallel()
          ? shardLoss(logits, batch.labels, globalBatch)
          : torch::nn::functional::cross_entropy(logits, batch.labels);
  const torch::Tensor taskLoss = objective;
  if (dataParallel()) {
    Accuracy global = globalAccuracy(taskLoss, logits, batch.labels, globalBatch);
    stats.taskLoss = global.loss;
    stats.accuracy = global.accuracy;
  } else {
    stats.taskLoss = objective.item<double>();
    stats.accuracy = static_cast<double>(correctCount(logits, batch.labels)) /
                     batch.labels.size(0);
  }
  // The terms that do not depend on the data (equal on every rank).
  torch::Tensor hardwareTerms;
  auto addTerm = [&](const torch::Tensor &term) {
    objective = objective + term;
    hardwareTerms = hardwareTerms.defined() ? hardwareTerms + term : term;
  };

  // Expected cost under the (tempered) distributions alpha and beta define:
  // exact expectations, not the sampled path, so the hardware terms are not
  // noisy.
  std::vector<torch::Tensor> constrained;
  // What the rule corrects instead of `constrained`: the worst ratio, or
  // the untempered metrics.
  std::vector<torch::Tensor> ruleMetrics;
  if (cost_) {
    ExpectedCost expected = cost_->expected(
        supernet_->probabilities(costTau), hardware_->probabilities(costTau));
    std::array<double, kNumMetrics> values{};
    for (int m = 0; m < kNumMetrics; ++m)
      values[m] = expected.metric(static_cast<Metric>(m)).item<double>();
    stats.expected = values;
    torch::Tensor costHw = hardwareObjective(config_.objective, expected);
    stats.hardwareObjective = costHw.item<double>();
    if (double weight = handler_.costWeight(config_.objective.lambda);
        weight > 0) {
      torch::Tensor priced = costHw;
      if (config_.objective.trains == CostTrains::Hardware)
        // The same expectation with alpha held: its gradient reaches beta
        // only.
        priced = hardwareObjective(
            config_.objective,
            cost_->expected(supernet_->probabilities(costTau).detach(),
                            hardware_->probabilities(costTau)));
      addTerm(weight * normalizedCost(config_.objective.normalize, priced,
                                      costReference_));
    }
    // The design the search would derive now (the argmax), measured
    // exactly: logged, judged when `method.judge` is `argmax`, and kept as
    // the derivation's fallback while it meets every limit.
    std::optional<std::array<double, kNumMetrics>> exact =
        cost_->exact(supernet_->argmax(), hardware_->argmax());
    stats.exact = exact;
    const bool byArgmax =
        exact && config_.method.judge == ConstraintJudge::Argmax;
    for (Metric m : metrics_) {
      constrained.push_back(expected.metric(m));
      stats.values.push_back(byArgmax ? (*exact)[static_cast<int>(m)]
                                      : values[static_cast<int>(m)]);
    }
    // A step corrected alone (`corrects: step`) follows the untempered
    // expectation (tau = 1): once the cost temperature has sharpened the
    // tempered one onto the argmax design its gradient vanishes (measured:
    // identical to float precision over the last 30 steps of a search whose
    // design still missed its limit), and the rule has nothing to follow.
    const bool untemperedRule =
        correctStepOnly && handler_.correctsGradient() && costTau != 1.0;
    ExpectedCost ruleExpected =
        untemperedRule ? cost_->expected(supernet_->probabilities(),
                                         hardware_->probabilities())
                       : expected;
    if (handler_.combinesLimits()) {
      std::vector<torch::Tensor> perPoint;
      for (Metric m : metrics_)
        perPoint.push_back(ruleExpected.per_point[static_cast<int>(m)]);
      ruleMetrics = {
          handler_.worstRatio(perPoint, ruleExpected.hardware_probs)};
    } else if (untemperedRule) {
      for (Metric m : metrics_)
        ruleMetrics.push_back(ruleExpected.metric(m));
    }
    if (exact && config_.constraints.metBy(*exact)) {
      lastFeasibleArch_ = supernet_->probabilities().detach();
      lastFeasibleHardware_ = hardware_->probabilities().detach();
      lastFeasibleStep_ = archStepsDone_;
    }
    if (torch::Tensor penalty = handler_.penalty(constrained); penalty.defined())
      addTerm(penalty);
  }
  stats.deltas = handler_.deltas();
  stats.lambdas = handler_.lambdas();

  torch::Tensor g;
  if (dataParallel()) {
    // Only the task loss depends on the rank's shard: its gradient is summed
    // over the ranks, the hardware terms' is every rank's already.
    std::vector<torch::Tensor> task{flatGradient(taskLoss, params)};
    group_->allReduceSum(task, "sum the alpha/beta task gradients");
    g = hardwareTerms.defined() ? task[0] + flatGradient(hardwareTerms, params)
                                : task[0];
  } else {
    g = flatGradient(objective, params);
  }
  // The metrics' gradients, before the step changes the parameters their
  // graphs saved.
  torch::Tensor metricGrads;
  if (handler_.correctsGradient()) {
    const std::vector<torch::Tensor> &ruleRows =
        ruleMetrics.empty() ? constrained : ruleMetrics;
    std::vector<torch::Tensor> rows;
    for (const torch::Tensor &t : ruleRows)
      rows.push_back(flatGradient(t, params));
    metricGrads = torch::stack(rows);
    // A step corrected alone lowers the expected ratio by lr * delta to
    // first order: with delta's schedule alone a search that starts far
    // above the limit (the uniform distribution's expectation) can run out
    // of steps before it gets there (measured: tight latency limits missed
    // in 3 of 5 seeds). The deadline's floor asks each violated step for an
    // equal share of what is left.
    std::vector<double> floors;
    const double deadline = config_.method.hdx_deadline;
    double rate = opt.arch_lr;
    if (handler_.searchesHardware() && opt.hw_lr > 0)
      rate = rate > 0 ? std::min(rate, opt.hw_lr) : opt.hw_lr;
    if (correctStepOnly && deadline > 0 && archStepsTotal_ > 0 && rate > 0) {
      std::vector<double> expectedRows;
      for (const torch::Tensor &t : ruleRows)
        expectedRows.push_back(t.item<double>());
      double stepsLeft =
          std::max(1.0, deadline * static_cast<double>(archStepsTotal_) -
                            static_cast<double>(archStepsDone_));
      floors = handler_.deadlineFloors(expectedRows, rate, stepsLeft);
    }
    // Always run: it judges the limits and advances the delta schedule and
    // hold that the step's correction uses. A bounded correction is
    // computed in double precision and bounded as a plain SGD step would
    // be: bounding the step's correction alone left this one to Adam, and
    // past float's range its state turned NaN (measured under the joint
    // limits). Unbounded (the default) it stays in float, as the reported
    // sweep ran.
    torch::Tensor gw = working(g), corrected = handler_.correct(
                                       gw, working(metricGrads), stats.values,
                                       floors);
    stats.deltas = handler_.deltasUsed();
    if (!correctStepOnly)
      g = maxLogits > 0 ? (gw + bound(corrected - gw)).to(g.scalar_type())
                        : corrected;
  }

  // Hand the gradient to the optimizers: alpha's, and beta's unless the
  // method leaves the hardware alone.
  int64_t offset = 0;
  for (torch::Tensor &p : params) {
    torch::Tensor slice = g.narrow(0, offset, p.numel()).view_as(p);
    p.mutable_grad() = slice.detach().clone();
    offset += p.numel();
  }
  // Plain SGD steps along the corrected gradient, so the step meets the
  // rule's margins. Adam rescales each coordinate and carries momentum from
  // earlier steps, so its step need not lower a violated metric (measured:
  // under latency, energy and area limits together the search then
  // alternated between two designs that each missed one limit). Its step u
  // (per unit of learning rate: theta <- theta - lr * u) is held to the
  // same program, and the difference is applied with the same rates.
  const bool holdStep = handler_.correctsGradient() && !sgdOnly;
  std::vector<torch::Tensor> before;
  if (holdStep)
    for (const torch::Tensor &p : params)
      before.push_back(p.detach().clone());
  archOptimizer_->step();
  if (handler_.searchesHardware())
    hwOptimizer_->step();

  if (holdStep) {
    std::vector<torch::Tensor> steps;
    for (size_t i = 0; i < params.size(); ++i)
      steps.push_back(rates[i] > 0 ? ((before[i] - params[i].detach()) /
                                      rates[i])
                                         .reshape(-1)
                                   : torch::zeros({params[i].numel()},
                                                  params[i].options()));
    torch::Tensor u = working(torch::cat(steps));
    torch::Tensor d = bound(handler_.enforceOnStep(u, working(metricGrads)) - u)
                          .to(params[0].scalar_type());
    torch::NoGradGuard noGrad;
    offset = 0;
    for (size_t i = 0; i < params.size(); ++i) {
      params[i].sub_(rates[i] *
                     d.narrow(0, offset, params[i].numel()).view_as(params[i]));
      offset += params[i].numel();
    }
  }
  if (cost_)
    handler_.endStep(stats.values);
  stats.violated = handler_.violated();
  if (handler_.correctsGradient() &&
      std::find(stats.violated.begin(), stats.violated.end(), true) !=
          stats.violated.end())
    stats.correctionMet = handler_.lastCorrectionFeasible() && !scaledDown;
  ++archStepsDone_;
  return stats;
}

SearchedDistributions BilevelSearch::derivationSource() const {
  SearchedDistributions source;
  torch::Tensor arch = supernet_->probabilities();
  torch::Tensor hardware = hardware_->probabilities();
  if (cost_ && !metrics_.empty() && lastFeasibleStep_ >= 0) {
    std::optional<std::array<double, kNumMetrics>> exact =
        cost_->exact(supernet_->argmax(), hardware_->argmax());
    if (exact && !config_.constraints.metBy(*exact)) {
      arch = lastFeasibleArch_;
      hardware = lastFeasibleHardware_;
      source.archStep = lastFeasibleStep_;
    }
  }
  source.architecture = probabilityRows(arch);
  source.hardware = probabilityRows(hardware.unsqueeze(0))[0];
  return source;
}

Expected<SearchEpochStats> BilevelSearch::runEpoch(const DataSplits &data,
                                                   int epoch,
                                                   const StepCallback &onStep) {
  const OptimizerConfig &opt = config_.optimizer;
  SearchEpochStats stats;
  stats.epoch = epoch;
  stats.tau = annealedTau(opt.tau_start, opt.tau_end, epoch, opt.epochs);
  auto start = std::chrono::steady_clock::now();
  try {
    supernet_->train();
    auto trainBatches = batchOrder(data.train.size(), opt.batch_size, &rng_);
    auto valBatches = batchOrder(data.val.size(), opt.batch_size, &rng_);
    const int64_t totalSteps =
        static_cast<int64_t>(trainBatches.size()) * opt.epochs;
    const bool searchArch = epoch >= opt.warmup_epochs;
    archStepsTotal_ = static_cast<int64_t>(trainBatches.size()) *
                      (opt.epochs - opt.warmup_epochs);
    int64_t seen = 0, correct = 0;
    // The rows of a global batch this rank takes.
    auto local = [&](const std::vector<int64_t> &rows) {
      return dataParallel() ? shardOf(rows, group_->rank(), group_->size())
                            : rows;
    };
    for (size_t i = 0; i < trainBatches.size(); ++i) {
      const int64_t n = static_cast<int64_t>(trainBatches[i].size());
      Batch b = makeBatch(data.train, local(trainBatches[i]), device_);
      double lr = cosineLr(opt.weight_lr, weightStepsDone_++, totalSteps);
      Accuracy a = weightStep(b, lr, stats.tau, n);
      stats.train.loss += a.loss * n;
      correct += std::llround(a.accuracy * n);
      seen += n;
      stats.images += n;
      ++stats.weightSteps;
      if (searchArch) {
        const std::vector<int64_t> &rows = valBatches[i % valBatches.size()];
        Batch v = makeBatch(data.val, local(rows), device_);
        // tau_c falls geometrically from cost_tau_start at the first
        // alpha/beta step to cost_tau_end at the last.
        double costTau = annealedTau(
            opt.cost_tau_start, opt.cost_tau_end,
            static_cast<int>(std::min(archStepsDone_, archStepsTotal_ - 1)),
            static_cast<int>(archStepsTotal_));
        stats.lastArchStep =
            archStep(v, stats.tau, costTau, static_cast<int64_t>(rows.size()));
        stats.images += static_cast<int64_t>(rows.size());
        ++stats.archSteps;
      }
      if (onStep)
        onStep(static_cast<int>(i + 1), static_cast<int>(trainBatches.size()),
               searchArch ? &*stats.lastArchStep : nullptr);
    }
    stats.stepSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    stats.train.loss /= std::max<int64_t>(seen, 1);
    stats.train.accuracy =
        static_cast<double>(correct) / std::max<int64_t>(seen, 1);

    // The architecture the search would derive now, on the held-out split.
    stats.architecture = supernet_->argmax();
    stats.hardware = hardware_->argmax();
    torch::Tensor oneHot = torch::zeros_like(supernet_->alpha());
    for (size_t l = 0; l < stats.architecture.size(); ++l)
      oneHot[static_cast<int64_t>(l)][stats.architecture[l]] = 1.0;
    recalibrateBatchNorm(supernet_, oneHot, data.train, opt.batch_size,
                         kRecalibrationBatches, rng_);
    auto val = evaluate(
        *supernet_,
        [&](const torch::Tensor &x) {
          return supernet_->forward(x, oneHot, /*singlePath=*/true);
        },
        data.val);
    if (!val)
      return val.status();
    stats.val = *val;
  } catch (const std::exception &e) {
    return Error{"search epoch " + std::to_string(epoch + 1) +
                 " failed: " + e.what()};
  }
  stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return stats;
}

namespace {

torch::Tensor scalarTensor(int64_t v) { return torch::tensor(v, torch::kLong); }

int64_t readScalar(torch::serialize::InputArchive &archive,
                   const std::string &key) {
  torch::Tensor t;
  archive.read(key, t);
  return t.item<int64_t>();
}

} // namespace

Status BilevelSearch::saveCheckpoint(
    torch::serialize::OutputArchive &archive) const {
  try {
    auto nested = [&](const std::string &key, auto &&save) {
      torch::serialize::OutputArchive sub;
      save(sub);
      archive.write(key, sub);
    };
    nested("supernet", [&](auto &a) { supernet_->save(a); });
    nested("hardware", [&](auto &a) { hardware_->save(a); });
    nested("weight_optimizer", [&](auto &a) { weightOptimizer_->save(a); });
    nested("arch_optimizer", [&](auto &a) { archOptimizer_->save(a); });
    nested("hw_optimizer", [&](auto &a) { hwOptimizer_->save(a); });
    archive.write("weight_steps", scalarTensor(weightStepsDone_));
    archive.write("arch_steps", scalarTensor(archStepsDone_));
    archive.write("arch_steps_total", scalarTensor(archStepsTotal_));
    archive.write("last_feasible_step", scalarTensor(lastFeasibleStep_));
    if (lastFeasibleStep_ >= 0) {
      archive.write("last_feasible_arch", lastFeasibleArch_.to(torch::kCPU));
      archive.write("last_feasible_hardware",
                    lastFeasibleHardware_.to(torch::kCPU));
    }
    // Which parameters have a gradient: SGD and Adam skip the ones without
    // (a candidate no sampled path has used yet), so after a resume the
    // same ones must have one, or weight decay and momentum would skip them.
    std::vector<torch::Tensor> params = supernet_->parameters();
    for (const torch::Tensor &b : hardware_->parameters())
      params.push_back(b);
    std::vector<int64_t> hasGrad;
    for (const torch::Tensor &p : params)
      hasGrad.push_back(p.grad().defined() ? 1 : 0);
    archive.write("has_grad", torch::tensor(hasGrad, torch::kLong));
    archive.write("rng", scalarTensor(static_cast<int64_t>(rng_.state())));
    std::vector<double> handlerState = handler_.state();
    archive.write("constraint_state",
                  torch::tensor(handlerState, torch::kDouble));
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    archive.write("torch_cpu_rng", generator.get_state());
  } catch (const std::exception &e) {
    return Error{std::string("cannot save the search state: ") + e.what()};
  }
  return Status::success();
}

Status BilevelSearch::loadCheckpoint(torch::serialize::InputArchive &archive) {
  try {
    auto nested = [&](const std::string &key, auto &&load) {
      torch::serialize::InputArchive sub;
      archive.read(key, sub);
      load(sub);
    };
    nested("supernet", [&](auto &a) { supernet_->load(a); });
    nested("hardware", [&](auto &a) { hardware_->load(a); });
    nested("weight_optimizer", [&](auto &a) { weightOptimizer_->load(a); });
    nested("arch_optimizer", [&](auto &a) { archOptimizer_->load(a); });
    nested("hw_optimizer", [&](auto &a) { hwOptimizer_->load(a); });
    weightStepsDone_ = readScalar(archive, "weight_steps");
    archStepsDone_ = readScalar(archive, "arch_steps");
    archStepsTotal_ = readScalar(archive, "arch_steps_total");
    lastFeasibleStep_ = readScalar(archive, "last_feasible_step");
    if (lastFeasibleStep_ >= 0) {
      // Fresh tensors: reading into a defined one keeps its element type.
      torch::Tensor arch, hardware;
      archive.read("last_feasible_arch", arch);
      archive.read("last_feasible_hardware", hardware);
      lastFeasibleArch_ = arch.to(device_);
      lastFeasibleHardware_ = hardware.to(device_);
    }
    std::vector<torch::Tensor> params = supernet_->parameters();
    for (const torch::Tensor &b : hardware_->parameters())
      params.push_back(b);
    torch::Tensor hasGrad;
    archive.read("has_grad", hasGrad);
    if (hasGrad.numel() != static_cast<int64_t>(params.size()))
      return Error{"the checkpoint's parameters do not fit this search"};
    for (size_t i = 0; i < params.size(); ++i)
      if (hasGrad[static_cast<int64_t>(i)].item<int64_t>() != 0)
        params[i].mutable_grad() = torch::zeros_like(params[i]);
    rng_.setState(static_cast<uint64_t>(readScalar(archive, "rng")));
    torch::Tensor handlerState;
    archive.read("constraint_state", handlerState);
    handlerState = handlerState.to(torch::kDouble).contiguous();
    const double *values = handlerState.data_ptr<double>();
    if (!handler_.restoreState(
            std::vector<double>(values, values + handlerState.numel())))
      return Error{"the checkpoint's constraint state does not fit this "
                   "configuration"};
    torch::Tensor torchRng;
    archive.read("torch_cpu_rng", torchRng);
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(torchRng);
  } catch (const std::exception &e) {
    return Error{std::string("cannot restore the search state: ") + e.what()};
  }
  return Status::success();
}

int64_t BilevelSearch::stateChecksum() const {
  uint64_t hash = 0xcbf29ce484222325ULL; // FNV-1a over the bytes
  auto add = [&](const torch::Tensor &t) {
    torch::Tensor c = t.detach().to(torch::kCPU).contiguous();
    const auto *bytes = static_cast<const unsigned char *>(c.data_ptr());
    for (size_t i = 0, n = c.numel() * c.element_size(); i < n; ++i)
      hash = (hash ^ bytes[i]) * 0x100000001b3ULL;
  };
  for (const torch::Tensor &t : supernet_->parameters())
    add(t);
  for (const torch::Tensor &t : supernet_->buffers())
    add(t);
  for (const torch::Tensor &t : hardware_->parameters())
    add(t);
  return static_cast<int64_t>(hash);
}
