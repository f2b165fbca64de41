//===- DifferentiableCost.cpp - The hardware objective --------------------===//

#include "hdx/Search/DifferentiableCost.h"

#include <ATen/ATen.h>

using namespace hdx;
using namespace hdx::search;

const at::Tensor &ExpectedCost::metric(Metric m) const {
  return byMetric(m, latency_ms, energy_mj, area_mm2);
}

at::Tensor
hdx::search::productDistribution(const std::vector<at::Tensor> &perDimension) {
  // Outer product, the last dimension varying fastest.
  at::Tensor joint = perDimension.front();
  for (size_t d = 1; d < perDimension.size(); ++d)
    joint = (joint.unsqueeze(-1) * perDimension[d]).reshape({-1});
  return joint;
}

std::vector<at::Tensor>
hdx::search::hardwareMarginals(const at::Tensor &joint,
                               const HardwareSpaceConfig &space) {
  std::vector<int64_t> shape;
  for (int d = 0; d < kNumHardwareDims; ++d)
    shape.push_back(space.size(static_cast<HardwareDim>(d)));
  at::Tensor grid = joint.reshape(shape);
  std::vector<at::Tensor> marginals;
  for (int d = 0; d < kNumHardwareDims; ++d) {
    std::vector<int64_t> others;
    for (int o = 0; o < kNumHardwareDims; ++o)
      if (o != d)
        others.push_back(o);
    marginals.push_back(grid.sum(others));
  }
  return marginals;
}

at::Tensor hdx::search::hardwareObjective(const ObjectiveConfig &objective,
                                          const ExpectedCost &cost) {
  return hardwareCost<at::Tensor>(objective, cost.latency_ms, cost.energy_mj,
                                 cost.area_mm2);
}
