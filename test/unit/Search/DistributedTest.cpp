//===- DistributedTest.cpp - data-parallel pieces against one process -----===//
//
// The truths here are single-process LibTorch: batch norm synchronised over
// two ranks (two threads with a Gloo group each) must give what torch's own
// batch norm gives on the whole batch.
//
//===----------------------------------------------------------------------===//
#include "hdx/Search/Distributed.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <thread>

using namespace hdx;
using namespace hdx::search;

namespace {

int freePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(addr);
  ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr));
  ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &size);
  ::close(fd);
  return ntohs(addr.sin_port);
}

/// Runs body(group) on `world` threads, one rank each.
void onRanks(int world, const std::function<void(ProcessGroup &)> &body) {
  const int port = freePort();
  std::vector<std::thread> threads;
  for (int r = 0; r < world; ++r)
    threads.emplace_back([&, r] {
      RankEnvironment env;
      env.rank = r;
      env.worldSize = world;
      env.masterAddr = "127.0.0.1";
      env.masterPort = port;
      auto group = ProcessGroup::connect(env, std::chrono::seconds(30));
      ASSERT_TRUE(group.ok()) << group.error();
      body(**group);
    });
  for (std::thread &t : threads)
    t.join();
}

TEST(Distributed, ShardsCoverTheBatchInOrder) {
  std::vector<int64_t> batch{10, 11, 12, 13, 14};
  EXPECT_EQ(shardOf(batch, 0, 2), (std::vector<int64_t>{10, 11, 12}));
  EXPECT_EQ(shardOf(batch, 1, 2), (std::vector<int64_t>{13, 14}));
  EXPECT_EQ(shardOf(batch, 2, 3), (std::vector<int64_t>{14}));
}

TEST(Distributed, SyncBatchNormEqualsWholeBatchNorm) {
  torch::manual_seed(3);
  const int64_t n = 6, c = 3;
  torch::Tensor x = torch::randn({n, c, 4, 5}) * 2 + 1;
  torch::Tensor upstream = torch::randn({n, c, 4, 5});
  torch::nn::BatchNorm2d reference(c);
  {
    torch::NoGradGuard noGrad;
    reference->weight.uniform_(0.5, 1.5);
    reference->bias.uniform_(-0.5, 0.5);
  }
  torch::Tensor xRef = x.clone().requires_grad_(true);
  (reference(xRef) * upstream).sum().backward();

  std::vector<torch::Tensor> xGrad(2), weightGrad(2), biasGrad(2), mean(2),
      var(2);
  onRanks(2, [&](ProcessGroup &group) {
    const int r = group.rank();
    torch::nn::BatchNorm2d bn(c);
    {
      torch::NoGradGuard noGrad;
      bn->weight.copy_(reference->weight);
      bn->bias.copy_(reference->bias);
    }
    torch::Tensor rows = torch::arange(r * n / 2, (r + 1) * n / 2);
    torch::Tensor xr = x.index_select(0, rows).clone().requires_grad_(true);
    ActiveBatchNormGroup active(&group);
    (batchNorm(*bn, xr) * upstream.index_select(0, rows)).sum().backward();
    xGrad[r] = xr.grad();
    weightGrad[r] = bn->weight.grad();
    biasGrad[r] = bn->bias.grad();
    mean[r] = bn->running_mean.clone();
    var[r] = bn->running_var.clone();
  });
  EXPECT_TRUE(torch::allclose(torch::cat(xGrad), xRef.grad(), 1e-5, 1e-6));
  // Each rank holds its shard's share of the parameter gradients; the
  // search sums them over the ranks.
  EXPECT_TRUE(torch::allclose(weightGrad[0] + weightGrad[1],
                              reference->weight.grad(), 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(biasGrad[0] + biasGrad[1],
                              reference->bias.grad(), 1e-5, 1e-6));
  for (int r = 0; r < 2; ++r) {
    EXPECT_TRUE(torch::allclose(mean[r], reference->running_mean, 1e-5, 1e-6));
    EXPECT_TRUE(torch::allclose(var[r], reference->running_var, 1e-5, 1e-6));
  }
}

TEST(Distributed, SyncBatchNormForwardEqualsWholeBatchNorm) {
  torch::manual_seed(4);
  torch::Tensor x = torch::randn({4, 2, 3, 3}) * 3 - 2;
  torch::nn::BatchNorm2d reference(2);
  torch::Tensor expected = reference(x).detach();
  std::vector<torch::Tensor> y(2);
  onRanks(2, [&](ProcessGroup &group) {
    torch::nn::BatchNorm2d bn(2);
    ActiveBatchNormGroup active(&group);
    y[group.rank()] =
        batchNorm(*bn, x.narrow(0, 2 * group.rank(), 2)).detach();
  });
  EXPECT_TRUE(torch::allclose(torch::cat(y), expected, 1e-5, 1e-6))
      << (torch::cat(y) - expected).abs().max();
}

TEST(Distributed, RankEnvironmentIsChecked) {
  ::setenv("WORLD_SIZE", "2", 1);
  ::setenv("RANK", "2", 1);
  ::setenv("MASTER_ADDR", "127.0.0.1", 1);
  ::setenv("MASTER_PORT", "29500", 1);
  auto env = rankEnvironmentFromEnv();
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error(), "RANK=2 is not below WORLD_SIZE=2");
  ::setenv("RANK", "1", 1);
  ::setenv("MASTER_PORT", "70000", 1);
  env = rankEnvironmentFromEnv();
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error(),
            "MASTER_PORT='70000' is not an integer from 1 to 65535");
  ::setenv("MASTER_PORT", "29500", 1);
  env = rankEnvironmentFromEnv();
  ASSERT_TRUE(env.ok());
  ASSERT_TRUE(env->has_value());
  EXPECT_EQ((*env)->rank, 1);
  EXPECT_EQ((*env)->localRank, 1);
  for (const char *name : {"WORLD_SIZE", "RANK", "MASTER_ADDR", "MASTER_PORT"})
    ::unsetenv(name);
  env = rankEnvironmentFromEnv();
  ASSERT_TRUE(env.ok());
  EXPECT_FALSE(env->has_value());
}

} // namespace
