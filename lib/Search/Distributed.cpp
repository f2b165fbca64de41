//===- Distributed.cpp - Data-parallel search over torch.distributed ------===//

#include "hdx/Search/Distributed.h"

#include "hdx/Support/FormatNumber.h"

#include <torch/autograd.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <thread>

using namespace hdx;
using namespace hdx::search;

namespace {

/// An environment variable as an integer in [lo, hi]; `fallback` when unset
/// and a fallback is given.
Expected<int> integerVariable(const char *name, int lo, int hi,
                              std::optional<int> fallback = std::nullopt) {
  const char *text = std::getenv(name);
  if (!text || !*text) {
    if (fallback)
      return *fallback;
    return Error{std::string(name) + " is not set (a data-parallel run needs "
                 "RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT)"};
  }
  char *end = nullptr;
  errno = 0;
  long long value = std::strtoll(text, &end, 10);
  if (*end != '\0' || errno == ERANGE || value < lo || value > hi)
    return Error{std::string(name) + "='" + text + "' is not an integer from " +
                 std::to_string(lo) + " to " + std::to_string(hi)};
  return static_cast<int>(value);
}

thread_local ProcessGroup *activeBatchNormGroup = nullptr;

/// A sum over the ranks whose gradient is again the sum over the ranks:
/// every rank's loss depends on every rank's input through the sum.
struct AllReduceSum : torch::autograd::Function<AllReduceSum> {
  static torch::Tensor forward(torch::autograd::AutogradContext *ctx,
                               const torch::Tensor &x, int64_t group) {
    ctx->saved_data["group"] = group;
    std::vector<torch::Tensor> sum{x.detach().contiguous().clone()};
    reinterpret_cast<ProcessGroup *>(group)->allReduceSum(
        sum, "synchronise batch-norm statistics");
    return sum[0];
  }
  static torch::autograd::tensor_list
  backward(torch::autograd::AutogradContext *ctx,
           torch::autograd::tensor_list grads) {
    auto *group =
        reinterpret_cast<ProcessGroup *>(ctx->saved_data["group"].toInt());
    std::vector<torch::Tensor> sum{grads[0].contiguous().clone()};
    group->allReduceSum(sum, "synchronise batch-norm gradients");
    return {sum[0], torch::Tensor()};
  }
};

} // namespace

Expected<std::optional<RankEnvironment>> hdx::search::rankEnvironmentFromEnv() {
  const char *world = std::getenv("WORLD_SIZE");
  if (!world || !*world)
    return std::optional<RankEnvironment>();
  RankEnvironment env;
  Expected<int> size = integerVariable("WORLD_SIZE", 1, 1 << 16);
  if (!size)
    return size.status();
  env.worldSize = *size;
  Expected<int> rank = integerVariable("RANK", 0, 1 << 16);
  if (!rank)
    return rank.status();
  if (*rank >= env.worldSize)
    return Error{"RANK=" + std::to_string(*rank) +
                 " is not below WORLD_SIZE=" + std::to_string(env.worldSize)};
  env.rank = *rank;
  Expected<int> local = integerVariable("LOCAL_RANK", 0, 1 << 16, env.rank);
  if (!local)
    return local.status();
  env.localRank = *local;
  const char *addr = std::getenv("MASTER_ADDR");
  if (!addr || !*addr)
    return Error{"MASTER_ADDR is not set (the host of rank 0, e.g. "
                 "127.0.0.1 for ranks on one machine)"};
  env.masterAddr = addr;
  Expected<int> port = integerVariable("MASTER_PORT", 1, 65535);
  if (!port)
    return port.status();
  env.masterPort = *port;
  return std::optional<RankEnvironment>(env);
}

struct ProcessGroup::Impl {
  c10::intrusive_ptr<c10d::TCPStore> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
};

ProcessGroup::~ProcessGroup() = default;

Expected<std::unique_ptr<ProcessGroup>>
ProcessGroup::connect(const RankEnvironment &env,
                      std::chrono::milliseconds timeout) {
  std::unique_ptr<ProcessGroup> group(new ProcessGroup());
  group->impl_ = std::make_unique<Impl>();
  group->rank_ = env.rank;
  group->size_ = env.worldSize;
  const std::string master =
      env.masterAddr + ":" + std::to_string(env.masterPort);
  const std::string seconds = hdx::formatDouble(timeout.count() / 1000.0);
  try {
    c10d::TCPStoreOptions options;
    options.port = static_cast<uint16_t>(env.masterPort);
    options.isServer = env.rank == 0;
    options.numWorkers = env.worldSize;
    options.waitWorkers = true;
    options.timeout = timeout;
    group->impl_->store =
        c10::make_intrusive<c10d::TCPStore>(env.masterAddr, options);
  } catch (const std::exception &e) {
    return Error{"rank " + std::to_string(env.rank) + " of " +
                 std::to_string(env.worldSize) +
                 (env.rank == 0 ? " could not serve the rendezvous at "
                                : " could not reach the rendezvous at ") +
                 master + " with all ranks within " + seconds +
                 " s: " + e.what()};
  }
  try {
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    // GLOO_SOCKET_IFNAME picks the interface, as in PyTorch; ranks on one
    // machine talk over the loopback device.
    if (const char *ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
      options->devices.push_back(
          c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
    else if (env.masterAddr == "localhost" ||
             env.masterAddr.rfind("127.", 0) == 0)
      options->devices.push_back(
          c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    else
      options->devices.push_back(
          c10d::ProcessGroupGloo::createDefaultDevice());
    group->impl_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(
        group->impl_->store, env.rank, env.worldSize, options);
  } catch (const std::exception &e) {
    return Error{"rank " + std::to_string(env.rank) +
                 " could not connect to the other ranks (rendezvous at " +
                 master + "): " + e.what()};
  }
  return group;
}

std::runtime_error ProcessGroup::failure(const char *what,
                                         const std::exception &cause) {
  // Gloo only says that a connection closed or a wait timed out. To name
  // the rank at fault, every rank that is still alive reports to the
  // rendezvous store; whoever has not reported after a grace period died,
  // hung or was stopped. Without the store, its host (rank 0) is gone.
  std::string culprits;
  try {
    impl_->store->set("hdx/alive/" + std::to_string(rank_), {1});
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::vector<int> silent;
    do {
      silent.clear();
      for (int r = 0; r < size_; ++r)
        if (!impl_->store->check({"hdx/alive/" + std::to_string(r)}))
          silent.push_back(r);
      if (silent.empty())
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } while (std::chrono::steady_clock::now() < deadline);
    if (silent.empty()) {
      culprits = "every rank is still running, so the exchange itself failed";
    } else {
      culprits = silent.size() == 1 ? "rank " : "ranks ";
      for (size_t i = 0; i < silent.size(); ++i)
        culprits += (i ? ", " : "") + std::to_string(silent[i]);
      culprits += " stopped answering (died, hung or was stopped)";
    }
  } catch (const std::exception &) {
    culprits = "rank 0, which serves the rendezvous, stopped answering (died, "
               "hung or was stopped)";
  }
  return std::runtime_error("rank " + std::to_string(rank_) + " could not " +
                            what + " with the other ranks: " + culprits +
                            " [" + cause.what() + "]");
}

void ProcessGroup::allReduceSum(std::vector<torch::Tensor> &tensors,
                                const char *what) {
  if (tensors.empty() || size_ == 1)
    return;
  // One flat message: a collective per tensor would pay the latency of
  // each.
  std::vector<torch::Tensor> flat{
      tensors.size() == 1 ? tensors[0]
                          : torch::cat([&] {
                              std::vector<torch::Tensor> parts;
                              for (const torch::Tensor &t : tensors)
                                parts.push_back(t.reshape(-1));
                              return parts;
                            }())};
  bytesReduced_ += flat[0].numel() * flat[0].element_size();
  try {
    impl_->gloo->allreduce(flat)->wait();
  } catch (const std::exception &e) {
    throw failure(what, e);
  }
  if (tensors.size() == 1)
    return;
  int64_t offset = 0;
  for (torch::Tensor &t : tensors) {
    t.copy_(flat[0].narrow(0, offset, t.numel()).view_as(t));
    offset += t.numel();
  }
}

void ProcessGroup::allReduceSum(std::vector<double> &values, const char *what) {
  if (values.empty() || size_ == 1)
    return;
  std::vector<torch::Tensor> t{torch::tensor(values, torch::kFloat64)};
  allReduceSum(t, what);
  const double *sum = t[0].data_ptr<double>();
  std::copy(sum, sum + values.size(), values.begin());
}

std::vector<int64_t> ProcessGroup::allGather(int64_t value, const char *what) {
  if (size_ == 1)
    return {value};
  std::vector<torch::Tensor> input{torch::tensor({value}, torch::kLong)};
  std::vector<std::vector<torch::Tensor>> output(1);
  for (int r = 0; r < size_; ++r)
    output[0].push_back(torch::empty({1}, torch::kLong));
  try {
    impl_->gloo->allgather(output, input)->wait();
  } catch (const std::exception &e) {
    throw failure(what, e);
  }
  std::vector<int64_t> values;
  for (const torch::Tensor &t : output[0])
    values.push_back(t.item<int64_t>());
  return values;
}

std::vector<int64_t> hdx::search::shardOf(const std::vector<int64_t> &batch,
                                          int rank, int ranks) {
  const int64_t n = static_cast<int64_t>(batch.size());
  const int64_t base = n / ranks, extra = n % ranks;
  const int64_t begin = rank * base + std::min<int64_t>(rank, extra);
  const int64_t size = base + (rank < extra ? 1 : 0);
  return std::vector<int64_t>(batch.begin() + begin,
                              batch.begin() + begin + size);
}

ProcessGroup *hdx::search::batchNormGroup() { return activeBatchNormGroup; }

ActiveBatchNormGroup::ActiveBatchNormGroup(ProcessGroup *group)
    : previous_(activeBatchNormGroup) {
  activeBatchNormGroup = group;
}

ActiveBatchNormGroup::~ActiveBatchNormGroup() {
  activeBatchNormGroup = previous_;
}

torch::Tensor hdx::search::batchNorm(torch::nn::BatchNorm2dImpl &bn,
                                     const torch::Tensor &x) {
  ProcessGroup *group = activeBatchNormGroup;
  if (!group || group->size() == 1 || !bn.is_training() ||
      !bn.options.track_running_stats())
    return bn.forward(x);
  const int64_t channels = x.size(1);
  const auto dims = std::vector<int64_t>{0, 2, 3};
  const auto groupId = reinterpret_cast<int64_t>(group);
  // Two sums over the global batch: the mean first, then the squared
  // deviations from it (no cancellation as in E[x^2] - E[x]^2).
  torch::Tensor local =
      torch::cat({x.sum(dims),
                  torch::full({1}, static_cast<double>(x.numel() / channels),
                              x.options())});
  torch::Tensor sums = AllReduceSum::apply(local, groupId);
  torch::Tensor count = sums.narrow(0, channels, 1).detach();
  torch::Tensor mean = sums.narrow(0, 0, channels) / count;
  torch::Tensor centered = x - mean.view({1, channels, 1, 1});
  torch::Tensor variance =
      AllReduceSum::apply(centered.square().sum(dims), groupId) / count;
  torch::Tensor y = centered *
                    torch::rsqrt(variance + bn.options.eps())
                        .view({1, channels, 1, 1});
  if (bn.options.affine())
    y = y * bn.weight.view({1, channels, 1, 1}) +
        bn.bias.view({1, channels, 1, 1});

  torch::NoGradGuard noGrad;
  bn.num_batches_tracked += 1;
  const double factor =
      bn.options.momentum()
          ? *bn.options.momentum()
          : 1.0 / bn.num_batches_tracked.item<double>();
  const double n = count.item<double>();
  bn.running_mean.mul_(1 - factor).add_(mean.detach(), factor);
  bn.running_var.mul_(1 - factor).add_(
      variance.detach() * (n / std::max(n - 1, 1.0)), factor);
  return y;
}
