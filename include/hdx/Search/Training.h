//===- Training.h - Batches, evaluation, stand-alone training ---*- C++ -*-===//
//
// Mini-batches from an ImageSet (pixels scaled to [0, 1], NCHW float), test
// accuracy, and the stand-alone training of a derived network: SGD with
// momentum and weight decay, cosine learning-rate schedule, batch order drawn
// from the seed.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_TRAINING_H
#define HDX_SEARCH_TRAINING_H

#include "hdx/Search/Config.h"
#include "hdx/Search/Dataset.h"
#include "hdx/Search/DerivedNet.h"
#include "hdx/Search/Distributed.h"
#include "hdx/Support/Expected.h"
#include "hdx/Support/Random.h"

#include <functional>
#include <vector>

namespace hdx::search {

struct Batch {
  torch::Tensor images; // float [n, C, H, W] in [0, 1]
  torch::Tensor labels; // int64 [n]
};

/// The images of `set` at `indices`.
Batch makeBatch(const ImageSet &set, const std::vector<int64_t> &indices,
                torch::Device device = torch::kCPU);

/// `count` indices cut into batches of `batchSize` (the last may be
/// smaller): in a random order drawn from `rng`, or in order if it is null.
std::vector<std::vector<int64_t>> batchOrder(int64_t count, int batchSize,
                                             Rng *rng);

/// Learning rate of step `step` of `steps` under a cosine schedule.
double cosineLr(double lr, int64_t step, int64_t steps);

/// The cross-entropy of a shard of a global batch of `globalBatch` rows:
/// the shard's sum over the global count, so that the shards' gradients
/// add up to the global batch's mean (data-parallel training).
torch::Tensor shardLoss(const torch::Tensor &logits, const torch::Tensor &labels,
                        int64_t globalBatch);

/// Replaces `zero_grad(); loss.backward()` in data-parallel training:
/// backpropagates `loss` and sums over the ranks the gradients of the
/// `params` it reaches. The others (the candidates a single-path step did
/// not sample: the same on every rank, as every rank samples the same path)
/// are zero everywhere, so they are not sent; they keep a zero gradient, as
/// zero_grad() leaves it, where they had one.
void backwardAndSumGradients(ProcessGroup &group, const torch::Tensor &loss,
                             const std::vector<torch::Tensor> &params,
                             const char *what);

struct Accuracy {
  double loss = 0;     // mean cross-entropy
  double accuracy = 0; // fraction in [0, 1]
};

/// Loss and accuracy of `logitsOf` on `set`, without gradients; `module` is
/// put in eval mode for the pass and back into its previous mode after.
Expected<Accuracy>
evaluate(torch::nn::Module &module,
         const std::function<torch::Tensor(const torch::Tensor &)> &logitsOf,
         const ImageSet &set, int batchSize = 500);

/// Loss and accuracy of a derived network on `set`.
Expected<Accuracy> evaluate(DerivedNet &net, const ImageSet &set,
                            int batchSize = 500);

struct EpochReport {
  int epoch = 0;
  Accuracy train;         // running mean over the epoch's batches
  Accuracy val;           // on the held-out split
  double seconds = 0;     // wall time of the epoch
};

/// Trains `net` from its current weights on `data.train` and reports each
/// epoch (`onEpoch` may be empty). With a `group` of several ranks the
/// training is data-parallel as the search's weight steps are (each rank
/// takes its shard of every batch; gradients summed over the ranks).
Expected<std::vector<EpochReport>>
trainDerived(DerivedNet &net, const DataSplits &data,
             const DerivedTrainingConfig &config,
             const OptimizerConfig &optimizer, uint64_t seed,
             const std::function<void(const EpochReport &)> &onEpoch = {},
             ProcessGroup *group = nullptr);

} // namespace hdx::search

#endif // HDX_SEARCH_TRAINING_H
