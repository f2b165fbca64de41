//===- Training.cpp - Batches, evaluation, stand-alone training -----------===//

#include "hdx/Search/Training.h"
#include "hdx/Search/Device.h"

#include <torch/nn/functional/loss.h>
#include <torch/optim/sgd.h>
#include <torch/utils.h>

#include <chrono>
#include <cmath>

using namespace hdx;
using namespace hdx::search;

Batch hdx::search::makeBatch(const ImageSet &set,
                             const std::vector<int64_t> &indices,
                             torch::Device device) {
  const int64_t n = static_cast<int64_t>(indices.size());
  const int64_t bytes = set.imageBytes();
  torch::Tensor pixels = torch::empty({n, bytes}, torch::kUInt8);
  torch::Tensor labels = torch::empty({n}, torch::kLong);
  uint8_t *p = pixels.data_ptr<uint8_t>();
  int64_t *l = labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    std::copy_n(set.pixels.data() + indices[i] * bytes, bytes, p + i * bytes);
    l[i] = set.labels[indices[i]];
  }
  // Bytes cross to the device, then become floats there.
  torch::Tensor images = pixels.to(device).to(torch::kFloat).div_(255.0).view(
      {n, set.channels, set.height, set.width});
  return {images, labels.to(device)};
}

std::vector<std::vector<int64_t>>
hdx::search::batchOrder(int64_t count, int batchSize, Rng *rng) {
  std::vector<int64_t> order(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i)
    order[i] = i;
  if (rng)
    rng->shuffle(order);
  std::vector<std::vector<int64_t>> batches;
  for (int64_t begin = 0; begin < count; begin += batchSize)
    batches.emplace_back(order.begin() + begin,
                         order.begin() + std::min(count, begin + batchSize));
  return batches;
}

torch::Tensor hdx::search::shardLoss(const torch::Tensor &logits,
                                     const torch::Tensor &labels,
                                     int64_t globalBatch) {
  return torch::nn::functional::cross_entropy(
             logits, labels,
             torch::nn::functional::CrossEntropyFuncOptions().reduction(
                 torch::kSum)) /
         static_cast<double>(globalBatch);
}

void hdx::search::backwardAndSumGradients(
    ProcessGroup &group, const torch::Tensor &loss,
    const std::vector<torch::Tensor> &params, const char *what) {
  std::vector<bool> hadGradient;
  for (torch::Tensor p : params) {
    hadGradient.push_back(p.grad().defined());
    p.mutable_grad() = torch::Tensor();
  }
  loss.backward();
  std::vector<torch::Tensor> grads;
  for (torch::Tensor p : params)
    if (p.grad().defined())
      grads.push_back(p.mutable_grad());
  group.allReduceSum(grads, what);
  for (size_t i = 0; i < params.size(); ++i) {
    torch::Tensor p = params[i];
    if (hadGradient[i] && !p.grad().defined())
      p.mutable_grad() = torch::zeros_like(p);
  }
}

double hdx::search::cosineLr(double lr, int64_t step, int64_t steps) {
  if (steps <= 0)
    return lr;
  return 0.5 * lr * (1 + std::cos(M_PI * static_cast<double>(step) / steps));
}

Expected<Accuracy> hdx::search::evaluate(
    torch::nn::Module &module,
    const std::function<torch::Tensor(const torch::Tensor &)> &logitsOf,
    const ImageSet &set, int batchSize) {
  if (set.size() == 0)
    return Error{"cannot evaluate on an empty data set"};
  const bool wasTraining = module.is_training();
  try {
    torch::NoGradGuard noGrad;
    module.eval();
    const torch::Device device = deviceOf(module);
    double loss = 0;
    int64_t correct = 0;
    for (const auto &indices : batchOrder(set.size(), batchSize, nullptr)) {
      Batch b = makeBatch(set, indices, device);
      torch::Tensor logits = logitsOf(b.images);
      loss += torch::nn::functional::cross_entropy(
                  logits, b.labels,
                  torch::nn::functional::CrossEntropyFuncOptions().reduction(
                      torch::kSum))
                  .item<double>();
      correct += logits.argmax(1).eq(b.labels).sum().item<int64_t>();
    }
    module.train(wasTraining);
    return Accuracy{loss / set.size(),
                    static_cast<double>(correct) / set.size()};
  } catch (const std::exception &e) {
    module.train(wasTraining);
    return Error{std::string("evaluation failed: ") + e.what()};
  }
}

Expected<Accuracy> hdx::search::evaluate(DerivedNet &net, const ImageSet &set,
                                         int batchSize) {
  return evaluate(
      *net, [&](const torch::Tensor &x) { return net->forward(x); }, set,
      batchSize);
}

Expected<std::vector<EpochReport>> hdx::search::trainDerived(
    DerivedNet &net, const DataSplits &data,
    const DerivedTrainingConfig &config, const OptimizerConfig &optimizer,
    uint64_t seed, const std::function<void(const EpochReport &)> &onEpoch,
    ProcessGroup *group) {
  const bool parallel = group && group->size() > 1;
  std::vector<EpochReport> reports;
  try {
    torch::optim::SGD sgd(net->parameters(),
                          torch::optim::SGDOptions(config.lr)
                              .momentum(optimizer.weight_momentum)
                              .weight_decay(optimizer.weight_decay)
                              .nesterov(optimizer.weight_momentum > 0));
    Rng rng(seed ^ 0xde21edULL);
    const torch::Device device = deviceOf(*net);
    const int64_t stepsPerEpoch =
        (data.train.size() + config.batch_size - 1) / config.batch_size;
    const int64_t totalSteps = stepsPerEpoch * config.epochs;
    int64_t step = 0;
    for (int epoch = 0; epoch < config.epochs; ++epoch) {
      auto start = std::chrono::steady_clock::now();
      net->train();
      EpochReport report;
      report.epoch = epoch;
      int64_t seen = 0, correct = 0;
      for (const auto &indices :
           batchOrder(data.train.size(), config.batch_size, &rng)) {
        for (auto &group : sgd.param_groups())
          group.options().set_lr(cosineLr(config.lr, step++, totalSteps));
        if (parallel) {
          // This rank's shard; the loss is scaled so that the ranks'
          // gradients sum to the whole batch's mean.
          const int64_t n = static_cast<int64_t>(indices.size());
          Batch b = makeBatch(
              data.train, shardOf(indices, group->rank(), group->size()),
              device);
          torch::Tensor logits = net->forward(b.images);
          torch::Tensor loss = shardLoss(logits, b.labels, n);
          backwardAndSumGradients(*group, loss, net->parameters(),
                                  "sum the derived network's gradients");
          sgd.step();
          std::vector<double> sums{
              loss.item<double>() * n,
              static_cast<double>(
                  logits.argmax(1).eq(b.labels).sum().item<int64_t>())};
          group->allReduceSum(sums, "sum the batch loss");
          report.train.loss += sums[0];
          correct += std::llround(sums[1]);
          seen += n;
          continue;
        }
        Batch b = makeBatch(data.train, indices, device);
        torch::Tensor logits = net->forward(b.images);
        torch::Tensor loss =
            torch::nn::functional::cross_entropy(logits, b.labels);
        sgd.zero_grad();
        loss.backward();
        sgd.step();
        report.train.loss += loss.item<double>() * b.labels.size(0);
        correct += logits.argmax(1).eq(b.labels).sum().item<int64_t>();
        seen += b.labels.size(0);
      }
      report.train.loss /= std::max<int64_t>(seen, 1);
      report.train.accuracy = static_cast<double>(correct) / std::max<int64_t>(seen, 1);
      auto val = evaluate(net, data.val);
      if (!val)
        return val.status();
      report.val = *val;
      report.seconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      reports.push_back(report);
      if (onEpoch)
        onEpoch(report);
    }
  } catch (const std::exception &e) {
    return Error{std::string("training the derived network failed: ") +
                 e.what()};
  }
  return reports;
}
