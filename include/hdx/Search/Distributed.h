//===- Distributed.h - Data-parallel search over torch.distributed -*- C++ -*-===//
//
// A data-parallel search runs one process per rank. Every rank holds the
// whole supernet, alpha and beta, takes its shard of every global batch,
// and the ranks sum their gradients with c10d's Gloo process group, so that
// every rank takes the same step (docs/distributed.md).
//   - RankEnvironment: where this process sits, read from the variables
//     torchrun, Slurm and Kubernetes launchers set (RANK, WORLD_SIZE,
//     LOCAL_RANK, MASTER_ADDR, MASTER_PORT).
//   - ProcessGroup: the connection (a TCPStore at MASTER_ADDR:MASTER_PORT
//     for the rendezvous, Gloo for the collectives) and the few collectives
//     the search needs, each counting the bytes it sends.
//   - Batch norms synchronise their statistics over the active group while
//     training (as PyTorch's SyncBatchNorm does); without it the result
//     would depend on the number of ranks.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_DISTRIBUTED_H
#define HDX_SEARCH_DISTRIBUTED_H

#include "hdx/Support/Expected.h"

#include <torch/nn/modules/batchnorm.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <stdexcept>
#include <vector>

namespace hdx::search {

struct RankEnvironment {
  int rank = 0;
  int worldSize = 1;
  int localRank = 0;
  std::string masterAddr;
  int masterPort = 0;
};

/// The rank environment, or nullopt when WORLD_SIZE is not set (a plain
/// single-process run). Missing or malformed variables, and a rank outside
/// [0, WORLD_SIZE), are errors naming the variable.
Expected<std::optional<RankEnvironment>> rankEnvironmentFromEnv();

class ProcessGroup {
public:
  /// Connects to the other ranks: rank 0 serves the TCPStore, every rank
  /// waits at most `timeout` for the others to arrive; the same timeout
  /// bounds every collective later (a dead or hung rank stops the others
  /// with an error instead of a hang).
  static Expected<std::unique_ptr<ProcessGroup>>
  connect(const RankEnvironment &env, std::chrono::milliseconds timeout);
  ~ProcessGroup();

  int rank() const { return rank_; }
  int size() const { return size_; }

  /// Sums `tensors` (CPU, float or double; each contiguous) over the ranks,
  /// in place, as one message. `what` names the exchange in errors.
  void allReduceSum(std::vector<torch::Tensor> &tensors, const char *what);
  /// Sums `values` over the ranks, in place (double precision).
  void allReduceSum(std::vector<double> &values, const char *what);

  /// Every rank's `value`, in rank order.
  std::vector<int64_t> allGather(int64_t value, const char *what);

  /// Bytes this rank has handed to all-reduce so far.
  uint64_t bytesReduced() const { return bytesReduced_; }

private:
  ProcessGroup() = default;
  /// The error for a failed collective `what`, naming the ranks that
  /// stopped answering.
  std::runtime_error failure(const char *what, const std::exception &cause);
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int rank_ = 0, size_ = 1;
  uint64_t bytesReduced_ = 0;
};

/// The rows of a global batch that `rank` of `ranks` takes: a contiguous
/// block, the first (size % ranks) ranks one row more.
std::vector<int64_t> shardOf(const std::vector<int64_t> &batch, int rank,
                             int ranks);

/// The process group batch norms synchronise over while training; null
/// (the default) keeps them local. A search sets it for the time it trains
/// (ActiveBatchNormGroup).
ProcessGroup *batchNormGroup();

class ActiveBatchNormGroup {
public:
  explicit ActiveBatchNormGroup(ProcessGroup *group);
  ~ActiveBatchNormGroup();
  ActiveBatchNormGroup(const ActiveBatchNormGroup &) = delete;
  ActiveBatchNormGroup &operator=(const ActiveBatchNormGroup &) = delete;

private:
  ProcessGroup *previous_;
};

/// `bn` applied to `x`; in training mode with an active group of more than
/// one rank, the batch statistics are those of the global batch (mean and
/// biased variance for normalising, the unbiased variance for the running
/// estimate, as torch's batch_norm).
torch::Tensor batchNorm(torch::nn::BatchNorm2dImpl &bn, const torch::Tensor &x);

} // namespace hdx::search

#endif // HDX_SEARCH_DISTRIBUTED_H
