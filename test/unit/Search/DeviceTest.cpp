//===- DeviceTest.cpp - where the search trains ---------------------------===//
//
// Runs on any machine: on a CPU-only LibTorch the CUDA request must fail
// clearly; where CUDA is available, a bilevel epoch with the exact cost
// tables runs there end to end.
//
//===----------------------------------------------------------------------===//
#include "hdx/Search/BilevelSearch.h"
#include "hdx/Search/CostTables.h"
#include "hdx/Search/Device.h"
#include "hdx/Search/TableCost.h"
#include "hdx/Search/Training.h"

#include <gtest/gtest.h>
#include <torch/cuda.h>
#include <torch/torch.h>

using namespace hdx::search;

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
  candidates: {kernels: [3], expansions: [1, 3], skip: true}
hardware:
  pe_rows: [4, 8]
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
  if (!cuda)
    EXPECT_NE(forced.message().find("device cuda: this LibTorch build has no "
                                    "CUDA support or sees no GPU"),
              std::string::npos)
        << forced.message();
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

TEST(SearchDevice, ConstrainedEpochRunsOnTheResolvedDevice) {
  auto config = parseConfig(kYaml, "device-test.yaml");
  ASSERT_TRUE(config) << config.message();
  auto data = loadData(config->data, config->seed);
  ASSERT_TRUE(data) << data.message();
  auto space = NetworkSpace::build(config->search_space, data->inputShape(),
                                   data->numClasses);
  ASSERT_TRUE(space) << space.message();
  auto tables = CostTables::build(*space, config->hardware, {});
  ASSERT_TRUE(tables) << tables.message();
  auto device = resolveDevice(DeviceKind::Auto);
  ASSERT_TRUE(device);

  // A latency limit between the fastest and the slowest design.
  double lo = 1e9, hi = 0;
  for (int h = 0; h < tables->numPoints(); ++h)
    for (int k = 0; k < space->numCandidates(); ++k) {
      if (!space->layers()[0].allowed[k])
        continue;
      double latency = tables->measure({k}, h)[0];
      lo = std::min(lo, latency);
      hi = std::max(hi, latency);
    }
  ASSERT_LT(lo, hi);
  config->constraints.latency_ms = 0.5 * (lo + hi);

  TableCost cost(*tables, *device);
  auto search = BilevelSearch::create(*config, *space, &cost, *device);
  ASSERT_TRUE(search) << search.message();
  EXPECT_EQ(deviceOf(*(*search)->supernet()).type(), device->type());
  for (int e = 0; e < config->optimizer.epochs; ++e) {
    auto stats = (*search)->runEpoch(*data, e);
    ASSERT_TRUE(stats) << stats.message();
    if (e > 0) {
      ASSERT_TRUE(stats->lastArchStep.has_value());
      EXPECT_EQ(stats->lastArchStep->values.size(), 1u);
    }
  }
  EXPECT_EQ((*search)->supernet()->alpha().device().type(), device->type());
  EXPECT_GT((*search)->supernet()->alpha().abs().sum().item<float>(), 0.0f);
}

} // namespace
