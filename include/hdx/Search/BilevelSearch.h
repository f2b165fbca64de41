//===- BilevelSearch.h - Alternating weight and alpha/beta steps -*- C++ -*-===//
//
// The bilevel loop of differentiable co-exploration:
//   weight step (train split):  sample an architecture from alpha, minimize
//                               the task loss over the supernet weights;
//   alpha/beta step (held-out): minimize
//                                 task loss + lambda * N(Cost_HW) + penalty
//                               over alpha and beta, where Cost_HW and the
//                               constrained metrics are expected values from
//                               a DifferentiableCost under softmax(alpha/tau_c)
//                               and softmax(beta/tau_c), N normalises Cost_HW
//                               by its value for the untrained search
//                               (`objective.normalize`), and the gradient is
//                               corrected by the HDX rule when that method is
//                               selected. alpha and beta have optimizers of
//                               their own; tau_c anneals over the steps so
//                               that the expectation ends on the argmax.
// Without a DifferentiableCost the alpha step uses the task loss alone (a
// plain architecture search); constraints then cannot be enforced and are
// rejected at creation.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_BILEVELSEARCH_H
#define HDX_SEARCH_BILEVELSEARCH_H

#include "hdx/Search/Config.h"
#include "hdx/Search/ConstraintHandler.h"
#include "hdx/Search/DifferentiableCost.h"
#include "hdx/Search/Distributed.h"
#include "hdx/Search/HardwareSpace.h"
#include "hdx/Search/Supernet.h"
#include "hdx/Search/Training.h"
#include "hdx/Support/Expected.h"
#include "hdx/Support/Random.h"

#include <torch/optim/optimizer.h>
#include <torch/optim/sgd.h>
#include <torch/serialize/archive.h>

#include <array>
#include <functional>
#include <memory>
#include <optional>

namespace hdx::search {

/// What one alpha/beta step saw.
struct ArchStepStats {
  double taskLoss = 0;
  double costTau = 1; // temperature of the expected cost
  double accuracy = 0; // on the step's held-out batch
  /// Expected metrics (Metric order) and Cost_HW; set with a cost.
  std::optional<std::array<double, kNumMetrics>> expected;
  std::optional<double> hardwareObjective;
  /// Exact metrics (Metric order) of the argmax design the step judged the
  /// constraints by: the design before the step's update.
  std::optional<std::array<double, kNumMetrics>> exact;
  /// Per constrained metric, in ConstraintLimits::constrained() order.
  std::vector<double> values;
  std::vector<bool> violated;
  std::vector<double> deltas;  // hdx: margins used by the step
  std::vector<double> lambdas; // loss-side methods: weights used by the step
  /// hdx, on a step with a violated constraint: whether the corrected
  /// gradient meets every margin (false: the constraint gradients are so
  /// opposed that the least-squares correction was used).
  std::optional<bool> correctionMet;
};

struct SearchEpochStats {
  int epoch = 0;
  double tau = 0;
  Accuracy train;      // running mean over the weight steps
  Accuracy val;        // the argmax architecture on the held-out split
  int weightSteps = 0;
  int archSteps = 0;
  int64_t images = 0; // seen by the weight and alpha/beta steps
  double stepSeconds = 0; // wall time of those steps
  std::optional<ArchStepStats> lastArchStep;
  std::vector<int> architecture; // argmax of alpha after the epoch
  HardwareChoice hardware;       // argmax of beta after the epoch
  double seconds = 0;
};

/// Searched distributions, as probability rows.
struct SearchedDistributions {
  std::vector<std::vector<double>> architecture; // [layer][candidate]
  std::vector<double> hardware;                  // [hardware point]
  /// The alpha/beta step (counted from 0 over the whole search) whose
  /// state these are; unset for the state at the end of the search.
  std::optional<int64_t> archStep;
};

class BilevelSearch {
public:
  /// `cost` may be null (no hardware term; then no constraints allowed); it
  /// must outlive the search and compute on `device`, where the supernet
  /// and the hardware parameters are trained. With a `group` of several
  /// ranks the search is data-parallel: each rank takes its shard of every
  /// global batch and the task gradients are summed over the ranks before
  /// each step (the group must outlive the search).
  static Expected<std::unique_ptr<BilevelSearch>>
  create(const SearchConfig &config, const NetworkSpace &space,
         DifferentiableCost *cost, torch::Device device = torch::kCPU,
         ProcessGroup *group = nullptr);

  Supernet &supernet() { return supernet_; }
  HardwareSpace &hardware() { return hardware_; }
  const ConstraintHandler &constraints() const { return handler_; }

  /// One weight step on a training batch with learning rate `lr`; returns
  /// the batch loss and accuracy. In a data-parallel search `batch` is this
  /// rank's shard of a global batch of `globalBatch` rows, and the result
  /// is the global batch's.
  Accuracy weightStep(const Batch &batch, double lr, double tau,
                      int64_t globalBatch = 0);
  /// One alpha/beta step on a held-out batch (a shard of `globalBatch` rows
  /// as above); `tau` is the Gumbel temperature, `costTau` that of the
  /// expected cost.
  ArchStepStats archStep(const Batch &batch, double tau, double costTau = 1.0,
                         int64_t globalBatch = 0);

  /// Cost_HW of the untrained search (uniform distributions), the
  /// reference the hardware term is normalised by; 0 without a cost.
  double costReference() const { return costReference_; }

  /// Epoch `epoch` of `config.optimizer.epochs`: a weight step per training
  /// batch, each followed (after the warm-up epochs) by an alpha/beta step
  /// on the next held-out batch. `onStep(step, steps, arch)` reports
  /// progress after each step, with the alpha/beta step's statistics (null
  /// during warm-up).
  using StepCallback =
      std::function<void(int step, int steps, const ArchStepStats *arch)>;
  Expected<SearchEpochStats> runEpoch(const DataSplits &data, int epoch,
                                      const StepCallback &onStep = {});

  /// The argmax of alpha and of beta now.
  std::vector<int> architecture() const { return supernet_->argmax(); }
  HardwareChoice hardwareChoice() const { return hardware_->argmax(); }

  /// The distributions the design is derived from: those at the end of the
  /// search, unless their argmax misses a hard constraint (measured
  /// exactly) while the argmax at an earlier alpha/beta step met every one;
  /// then the distributions of the last such step. Near a limit a single
  /// step of the task loss can move the argmax over it, and the search may
  /// end on that step before the constraint handling pushes it back.
  SearchedDistributions derivationSource() const;

  /// Everything the search has learned and where it stands: supernet
  /// weights and batch-norm statistics, alpha, beta, the three optimizers'
  /// states, the constraint handling's state (delta_i, lambda_i), the
  /// search's and LibTorch's CPU random states, the step counts and the
  /// last feasible distributions. loadCheckpoint reads it into a search
  /// created from the same configuration and space.
  Status saveCheckpoint(torch::serialize::OutputArchive &archive) const;
  Status loadCheckpoint(torch::serialize::InputArchive &archive);

  /// A hash of every parameter and buffer (supernet, alpha, beta): equal on
  /// every rank of a data-parallel search as long as they take the same
  /// steps.
  int64_t stateChecksum() const;

private:
  BilevelSearch(const SearchConfig &config, const NetworkSpace &space,
                DifferentiableCost *cost, std::vector<Metric> metrics,
                std::vector<double> limits, torch::Device device,
                ProcessGroup *group);

  bool dataParallel() const { return group_ && group_->size() > 1; }
  /// Loss and accuracy of the global batch from this shard's.
  Accuracy globalAccuracy(const torch::Tensor &loss,
                          const torch::Tensor &logits,
                          const torch::Tensor &labels, int64_t globalBatch);

  /// alpha followed by every beta.
  std::vector<torch::Tensor> archParameters() const;

  SearchConfig config_;
  Supernet supernet_;
  HardwareSpace hardware_;
  DifferentiableCost *cost_;
  std::vector<Metric> metrics_;
  ConstraintHandler handler_;
  std::unique_ptr<torch::optim::SGD> weightOptimizer_;
  std::unique_ptr<torch::optim::Optimizer> archOptimizer_; // alpha
  std::unique_ptr<torch::optim::Optimizer> hwOptimizer_;   // beta
  double costReference_ = 0;
  Rng rng_;
  torch::Device device_;
  ProcessGroup *group_;
  int64_t weightStepsDone_ = 0;
  int64_t archStepsDone_ = 0;
  /// alpha/beta steps the whole search takes (for the tau_c schedule).
  int64_t archStepsTotal_ = 0;
  /// The distributions at the last step whose argmax met every limit.
  torch::Tensor lastFeasibleArch_;
  torch::Tensor lastFeasibleHardware_;
  int64_t lastFeasibleStep_ = -1;
};

} // namespace hdx::search

#endif // HDX_SEARCH_BILEVELSEARCH_H
