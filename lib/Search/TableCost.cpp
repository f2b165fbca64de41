//===- TableCost.cpp - expected cost from the exact tables ----------------===//
#include "hdx/Search/TableCost.h"

#include <torch/torch.h>

namespace hdx::search {

TableCost::TableCost(const CostTables &tables, c10::Device device)
    : tables_(&tables) {
  int layers = tables.numLayers(), candidates = tables.numCandidates(),
      points = tables.numPoints();
  auto options = torch::TensorOptions().dtype(torch::kFloat32);
  latency_ = torch::zeros({layers, candidates, points}, options);
  energy_ = torch::zeros({layers, candidates, points}, options);
  fixedLatency_ = torch::zeros({points}, options);
  fixedEnergy_ = torch::zeros({points}, options);
  area_ = torch::zeros({points}, options);
  auto lat = latency_.accessor<float, 3>(), en = energy_.accessor<float, 3>();
  for (int l = 0; l < layers; ++l)
    for (int k = 0; k < candidates; ++k)
      for (int h = 0; h < points; ++h) {
        lat[l][k][h] = tables.candidate(l, k, h, Metric::LatencyMs);
        en[l][k][h] = tables.candidate(l, k, h, Metric::EnergyMj);
      }
  for (int h = 0; h < points; ++h) {
    fixedLatency_[h] = tables.fixed(h, Metric::LatencyMs);
    fixedEnergy_[h] = tables.fixed(h, Metric::EnergyMj);
    area_[h] = tables.area(h);
  }
  // Filled on the CPU, used where the probabilities live.
  for (at::Tensor *t : {&latency_, &energy_, &fixedLatency_, &fixedEnergy_, &area_})
    *t = t->to(device);
}

ExpectedCost TableCost::expected(const at::Tensor &archProbs,
                                 const at::Tensor &hwProbs) {
  at::Tensor joint = hwProbs.to(torch::kFloat32);
  at::Tensor alpha = archProbs.to(torch::kFloat32);
  // Per hardware point: the fixed layers plus each layer's expected cost.
  at::Tensor latency =
      fixedLatency_ + torch::einsum("lk,lkh->h", {alpha, latency_});
  at::Tensor energy = fixedEnergy_ + torch::einsum("lk,lkh->h", {alpha, energy_});
  ExpectedCost cost;
  cost.latency_ms = (joint * latency).sum();
  cost.energy_mj = (joint * energy).sum();
  cost.area_mm2 = (joint * area_).sum();
  cost.per_point = torch::stack({latency, energy, area_});
  cost.hardware_probs = joint;
  return cost;
}

} // namespace hdx::search
