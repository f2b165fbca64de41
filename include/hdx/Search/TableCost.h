//===- TableCost.h - expected cost from the exact tables --------*- C++ -*-===//
//
// E[metric] = sum_h P(h) * (fixed[h] + sum_l sum_k alpha[l][k] * table[l][k][h])
// with P(h) the relaxed accelerator's probability of hardware point h: the
// exact expectation of the tabulated cost model, differentiable in alpha and
// beta. Area depends on the hardware only: E[area] = sum_h P(h) * area[h].
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_TABLECOST_H
#define HDX_SEARCH_TABLECOST_H

#include "hdx/Search/CostTables.h"
#include "hdx/Search/DifferentiableCost.h"

namespace hdx::search {

class TableCost : public DifferentiableCost {
public:
  explicit TableCost(const CostTables &tables,
                     c10::Device device = c10::kCPU);

  ExpectedCost expected(const at::Tensor &archProbs,
                        const at::Tensor &hwProbs) override;
  std::string name() const override { return "tables"; }
  bool resolvesHardwarePoints() const override { return true; }
  std::optional<Metrics> exact(const std::vector<int> &architecture,
                               const HardwareChoice &hardware) const override {
    return tables_->measure(architecture, tables_->index(hardware));
  }

private:
  const CostTables *tables_;
  at::Tensor latency_, energy_;           // [layers, candidates, points]
  at::Tensor fixedLatency_, fixedEnergy_; // [points]
  at::Tensor area_;                       // [points]
};

} // namespace hdx::search

#endif // HDX_SEARCH_TABLECOST_H
