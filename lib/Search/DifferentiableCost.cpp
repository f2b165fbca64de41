//===- DifferentiableCost.cpp - The hardware objective --------------------===//

#include "hdx/Search/DifferentiableCost.h"

#include <ATen/ATen.h>

using namespace hdx::search;

const at::Tensor &ExpectedCost::metric(Metric m) const {
  switch (m) {
  case Metric::LatencyMs:
    return latency_ms;
  case Metric::EnergyMj:
    return energy_mj;
  case Metric::AreaMm2:
    break;
  }
  return area_mm2;
}

at::Tensor hdx::search::hardwareObjective(const ObjectiveConfig &objective,
                                          const ExpectedCost &cost) {
  return hardwareCost<at::Tensor>(objective, cost.latency_ms, cost.energy_mj,
                                 cost.area_mm2);
}
